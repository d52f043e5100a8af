//! Secret redaction. Every output that can show a config value asks this
//! module how to show it.
//!
//! A value is secret when its option holds one by the release data
//! (`OptionEntry::holds_secret`: marked secret upstream, or named
//! `…password`, `…secret`, `…_key` and not a boolean), by what any release
//! says (`HistoryIndex::is_secret`), or, for an option no release knows,
//! by its name (`crate::release::secret_name`). A secret is shown as `****`,
//! except that in a URL only the passwords are masked
//! (`rabbit://openstack:****@controller:5672/`), so a reviewer still sees
//! hosts and users. Passwords inside any URL are masked even when the option
//! is not known to be secret. `--show-secrets` turns all of this off.

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

    /// `value` as it may be shown.
    pub fn value<'a>(&self, value: &'a str, secret: bool) -> Cow<'a, str> {
        if self.show_secrets {
            return Cow::Borrowed(value);
        }
        let masked = mask_url_passwords(value);
        if secret && !value.contains("://") && !value.is_empty() {
            return Cow::Borrowed(MASK);
        }
        masked
    }
}

/// A document's bytes with its secrets masked, line for line (so that diffs
/// of two masked documents align). `secret(group, key)` says which options
/// are secret; commented-out assignments (`#admin_password = x`) are masked
/// by the same rule, as are passwords in any URL.
pub fn document(
    doc: &crate::conf::Document,
    secret: impl Fn(&str, &str) -> bool,
    redactor: Redactor,
) -> Vec<u8> {
    if redactor.show_secrets {
        return doc.to_bytes();
    }
    doc.to_bytes_replacing(
        |group, key, value| {
            let shown = redactor.value(value, secret(group, key));
            (shown != value).then(|| shown.into_owned())
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
    let Some(scheme_end) = value.find("://") else {
        return Cow::Borrowed(value);
    };
    let start = scheme_end + 3;
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
