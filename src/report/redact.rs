//! Secret redaction. Every output that can show a config value asks this
//! module how to show it.
//!
//! A value is secret when its option holds one by the release data
//! (`OptionEntry::holds_secret`: marked secret upstream, or named like a
//! secret by `crate::release::secret_name` and holding more than a number
//! or on/off), by what any release says (`HistoryIndex::is_secret`), or, for
//! an option no release knows, by its name alone. A secret is shown as
//! `****`, whole, unless it parses as a URL with a password: then only the
//! passwords are masked (`rabbit://openstack:****@controller:5672/`), so a
//! reviewer still sees hosts and users. Passwords inside any URL (in the
//! user part, and query parameters named like secrets) are masked even when
//! the option is not known to be secret. `--show-secrets` turns all of this
//! off.

use std::borrow::Cow;

/// What a masked secret looks like.
pub const MASK: &str = "****";

/// How values are shown: masked, or as they are with `--show-secrets`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Redactor {
    pub show_secrets: bool,
}

impl Redactor {
    pub fn new(show_secrets: bool) -> Redactor {
        Redactor { show_secrets }
    }

    /// `value` as it may be shown. A secret is masked whole, unless it
    /// parses as a URL with a password: then only its passwords are masked
    /// (in the user part and in the query string). In any other value,
    /// passwords inside URLs are masked.
    pub fn value<'a>(&self, value: &'a str, secret: bool) -> Cow<'a, str> {
        if self.show_secrets {
            return Cow::Borrowed(value);
        }
        if secret && !value.is_empty() {
            return if is_url_with_password(value) {
                mask_url_passwords(value)
            } else {
                Cow::Borrowed(MASK)
            };
        }
        mask_url_passwords(value)
    }
}

/// Does `value` read as one URL with a password: a scheme as RFC 3986
/// spells it, no whitespace, and `user:pass@host` (a `:` before the last
/// `@`, a host after it) or a password in the query string
/// (`?password=…`). `Xy://LEAK` is not one.
fn is_url_with_password(value: &str) -> bool {
    let Some(scheme_end) = crate::conf::value::scheme_end(value) else {
        return false;
    };
    let mut scheme = value[..scheme_end].bytes();
    let scheme_ok = scheme.next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-'));
    if !scheme_ok || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let rest = &value[scheme_end + 3..];
    let user_password = match rest.rfind('@') {
        Some(at) => rest[..at].contains(':') && !rest[at + 1..].is_empty(),
        None => false,
    };
    user_password || matches!(mask_query_secrets(value, scheme_end + 3), Cow::Owned(_))
}

/// A document's bytes with its secrets masked, line for line (so that diffs
/// of two masked documents align). `secret(group, key)` says which options
/// are secret; commented-out assignments (`#admin_password = x`, with the
/// comment lines that would continue it) are masked by the same rule, as
/// are passwords in any URL. A masked value's continuation lines show `****`.
pub fn document(
    doc: &crate::conf::Document,
    secret: impl Fn(&str, &str) -> bool,
    redactor: Redactor,
) -> Vec<u8> {
    if redactor.show_secrets {
        return doc.to_bytes();
    }
    lines(doc, 0..doc.line_count(), secret, redactor)
}

/// [`document`] of the 0-based lines `range` only; its first line must
/// start a run (see `Document::continues`).
pub(crate) fn lines(
    doc: &crate::conf::Document,
    range: std::ops::Range<usize>,
    secret: impl Fn(&str, &str) -> bool,
    redactor: Redactor,
) -> Vec<u8> {
    if redactor.show_secrets {
        return doc.lines_bytes(range);
    }
    doc.lines_replacing(
        range,
        |group, key, value| {
            let shown = redactor.value(value, secret(group, key));
            (shown != value).then(|| shown.lines().next().unwrap_or_default().to_string())
        },
        MASK,
    )
}

/// Masks the password of every `scheme://user:password@host` in `value`.
///
/// The user part ends at the first `:`; the password runs to the `@` before
/// the host. In a multi-host URL (`rabbit://u:p@h1,u2:p2@h2/`) each host's
/// password is masked. Where the shape is ambiguous (an unencoded `@` in a
/// password), everything from the first password to the last `@` is masked:
/// more is hidden, nothing leaks.
pub fn mask_url_passwords(value: &str) -> Cow<'_, str> {
    let Some(scheme_end) = crate::conf::value::scheme_end(value) else {
        return Cow::Borrowed(value);
    };
    match mask_user_passwords(value, scheme_end + 3) {
        Cow::Borrowed(v) => mask_query_secrets(v, scheme_end + 3),
        Cow::Owned(v) => Cow::Owned(mask_query_secrets(&v, scheme_end + 3).into_owned()),
    }
}

/// Masks each `name=value` of a query string after `from` whose name is
/// named like a secret (`?password=…`, `&Password=…`, `;db_token=…`):
/// the value up to the next `&`, `;`, `#`, quote or whitespace.
fn mask_query_secrets(value: &str, from: usize) -> Cow<'_, str> {
    let bytes = value.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = from;
    while i < bytes.len() {
        if !matches!(bytes[i], b'?' | b'&' | b';') {
            i += 1;
            continue;
        }
        let name_start = i + 1;
        let mut j = name_start;
        while j < bytes.len()
            && (bytes[j].is_ascii_alphanumeric() || matches!(bytes[j], b'_' | b'-' | b'.'))
        {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b'=' && crate::release::secret_name(&value[name_start..j])
        {
            let v_start = j + 1;
            let mut v_end = v_start;
            while v_end < bytes.len()
                && !matches!(bytes[v_end], b'&' | b';' | b'#' | b'"' | b'\'')
                && !bytes[v_end].is_ascii_whitespace()
            {
                v_end += 1;
            }
            if v_end > v_start {
                out.push_str(&value[copied..v_start]);
                out.push_str(MASK);
                copied = v_end;
            }
            i = v_end;
        } else {
            i = j.max(i + 1);
        }
    }
    if copied == 0 {
        return Cow::Borrowed(value);
    }
    out.push_str(&value[copied..]);
    Cow::Owned(out)
}

/// The user-part passwords of the URL whose authority starts at `start`.
fn mask_user_passwords(value: &str, start: usize) -> Cow<'_, str> {
    let rest = &value[start..];
    let Some(last_at) = rest.rfind('@') else {
        return Cow::Borrowed(value);
    };
    let region = &rest[..last_at];
    let parts: Vec<&str> = region.split('@').collect();
    // parts[0] = "user:pass"; parts[i] = "host_i,user_{i+1}:pass_{i+1}".
    let mut creds: Vec<&str> = vec![parts[0]];
    let mut hosts: Vec<&str> = Vec::new();
    let well_formed = parts[1..].iter().all(|p| {
        p.split_once(',').is_some_and(|(host, cred)| {
            hosts.push(host);
            creds.push(cred);
            !host.is_empty()
        })
    });
    let mut out = String::with_capacity(value.len());
    out.push_str(&value[..start]);
    if well_formed {
        for (i, cred) in creds.iter().enumerate() {
            if i > 0 {
                out.push('@');
                out.push_str(hosts[i - 1]);
                out.push(',');
            }
            match cred.split_once(':') {
                Some((user, _)) => {
                    out.push_str(user);
                    out.push(':');
                    out.push_str(MASK);
                }
                None => out.push_str(cred),
            }
        }
    } else {
        match region.split_once(':') {
            Some((user, _)) if !user.contains('@') => {
                out.push_str(user);
                out.push(':');
                out.push_str(MASK);
            }
            _ => out.push_str(MASK),
        }
    }
    out.push_str(&rest[last_at..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_url_passwords_are_masked() {
        let cases = [
            (
                "rabbit://openstack:RABBIT_PASS@controller:5672/",
                "rabbit://openstack:****@controller:5672/",
            ),
            (
                "mysql+pymysql://nova:NOVA_DBPASS@controller/nova",
                "mysql+pymysql://nova:****@controller/nova",
            ),
            (
                "rabbit://u1:p1@h1:5672,u2:p2@h2:5672/vhost",
                "rabbit://u1:****@h1:5672,u2:****@h2:5672/vhost",
            ),
            ("rabbit://guest@controller/", "rabbit://guest@controller/"),
            ("rabbit://controller:5672/", "rabbit://controller:5672/"),
            (
                "mysql://nova:p@ss@controller/nova",
                "mysql://nova:****@controller/nova",
            ),
            ("rabbit://u:pa/ss@host/", "rabbit://u:****@host/"),
            ("http://controller:5000/v3", "http://controller:5000/v3"),
        ];
        for (value, shown) in cases {
            assert_eq!(mask_url_passwords(value), shown, "{value}");
        }
    }

    #[test]
    fn a_secret_is_masked_whole_unless_it_is_a_url_with_a_password() {
        let r = Redactor::new(false);
        for (value, shown) in [
            ("Xy://LEAK", MASK),
            ("s3cret://LEAK", MASK),
            ("rabbit://guest@controller/", MASK),
            ("rabbit://u:p@h/ x", MASK),
            ("1ab://u:p@h/", MASK),
            ("line one\nrabbit://u:p@h/", MASK),
            ("rabbit://u:p@", MASK),
            ("rabbit://u:LEAK@h:5672/", "rabbit://u:****@h:5672/"),
            (
                "mysql://nova@db/nova?password=LEAK&charset=utf8",
                "mysql://nova@db/nova?password=****&charset=utf8",
            ),
        ] {
            assert_eq!(r.value(value, true), shown, "{value}");
        }
    }

    #[test]
    fn passwords_in_query_strings_are_masked_in_any_url() {
        for (value, shown) in [
            (
                "mysql://u@h/db?password=LEAK",
                "mysql://u@h/db?password=****",
            ),
            (
                "mysql://u@h/db?charset=utf8&Password=LEAK#frag",
                "mysql://u@h/db?charset=utf8&Password=****#frag",
            ),
            (
                "mysql://u:p@h/db?ssl=1;auth_token=LEAK;x=1",
                "mysql://u:****@h/db?ssl=1;auth_token=****;x=1",
            ),
            (
                "\"mysql://u@h/db?password=LEAK\" is not a URL",
                "\"mysql://u@h/db?password=****\" is not a URL",
            ),
            ("http://h/?passwordless=1", "http://h/?passwordless=****"),
            (
                "http://h/?charset=utf8&debug=1",
                "http://h/?charset=utf8&debug=1",
            ),
            ("no url ?password=x", "no url ?password=x"),
        ] {
            assert_eq!(mask_url_passwords(value), shown, "{value}");
        }
    }

    #[test]
    fn names_say_what_is_secret_where_the_data_does_not() {
        use crate::release::secret_name;
        for name in [
            "admin_password",
            "password",
            "my_password_file",
            "PASSWD",
            "virtual_power_host_pass",
            "admin_token",
            "token",
            "s3_secret_key",
            "metadata_proxy_shared_secret",
        ] {
            assert!(secret_name(name), "{name}");
        }
        for name in [
            "passive",
            "token_cache_time",
            "compass",
            "ssl_key_file",
            "host",
        ] {
            assert!(!secret_name(name), "{name}");
        }
    }

    #[test]
    fn known_options_named_like_secrets_are_secret_unless_numbers_or_switches() {
        let catalog = crate::release::Catalog::load(None).unwrap();
        let index = catalog.history().unwrap();
        assert!(index.is_secret("baremetal", "virtual_power_host_pass"));
        assert!(index.is_secret("keystone_authtoken", "admin_token"));
        assert!(!index.is_secret("DEFAULT", "password_length"));
        assert!(!index.is_secret("libvirt", "inject_password"));
    }

    #[test]
    fn secrets_are_masked_unless_shown() {
        let r = Redactor::new(false);
        assert_eq!(r.value("NOVA_PASS", true), MASK);
        assert_eq!(r.value("", true), "");
        assert_eq!(r.value("10.0.0.11", false), "10.0.0.11");
        assert_eq!(r.value("rabbit://u:p@h/", false), "rabbit://u:****@h/");
        assert_eq!(Redactor::new(true).value("NOVA_PASS", true), "NOVA_PASS");
        use crate::release::secret_name;
        assert!(secret_name("my_new_password"));
        assert!(secret_name("metadata_proxy_shared_secret"));
        assert!(secret_name("ssl_key"));
        assert!(!secret_name("ssl_key_file"));
        // Case, and names longer than the stack buffer.
        assert!(secret_name("Admin_PassWord"));
        assert!(secret_name(&format!("{}_token", "x".repeat(100))));
        assert!(secret_name(&format!(
            "{}PASSWD{}",
            "x".repeat(60),
            "y".repeat(10)
        )));
        assert!(!secret_name(&"x".repeat(200)));
        assert!(secret_name("TOKEN") && secret_name("pass") && !secret_name("passes"));
    }

    #[test]
    fn documents_are_masked_line_for_line_comments_included() {
        let doc = crate::conf::Document::parse(
            "[DEFAULT]\ntransport_url = rabbit://u:s3cret@h/\n[database]\n#connection = mysql://n:old@h/n\nconnection = \"sqlite\"\n  more\n[x]\nmy_password = p\nother = v\n",
        )
        .unwrap();
        let secret = |g: &str, k: &str| g == "database" || crate::release::secret_name(k);
        let shown = String::from_utf8(document(&doc, secret, Redactor::default())).unwrap();
        assert_eq!(
            shown,
            "[DEFAULT]\ntransport_url = rabbit://u:****@h/\n[database]\n#connection = mysql://n:****@h/n\nconnection = ****\n  ****\n[x]\nmy_password = ****\nother = v\n"
        );
        let all = document(&doc, secret, Redactor::new(true));
        assert_eq!(all, doc.to_bytes());
    }

    #[test]
    fn a_masked_url_never_contains_a_password_character() {
        // Passwords made of characters that can confuse a URL parser.
        for password in ["p@ss", "p/ss", "p,ss", "p:ss", "p@h,u:q", "@@", "a@b,c@d"] {
            let value = format!("rabbit://user:{password}@host:5672/");
            let shown = mask_url_passwords(&value).into_owned();
            assert!(!shown.contains(password), "{value} → {shown}");
            assert!(shown.contains("host:5672"), "{shown}");
        }
    }
}
