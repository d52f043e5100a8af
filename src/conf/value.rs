//! The syntax of values, as oslo.config reads them after a file is parsed:
//! `$name` references (substituted before anything else), the spellings of
//! each type (booleans, integers and floats as Python reads them, URLs,
//! host names, dicts), and the traps of install guides (placeholders,
//! comments nova reads as part of a value, URL passwords that need
//! encoding). Each check says why nova would refuse a value, or returns
//! `None`. Nothing here knows which option a value belongs to.

use std::net::{Ipv4Addr, Ipv6Addr};

/// A piece of a value as Python's `string.Template` splits it with
/// oslo.config's pattern `[_a-z][._a-z0-9]*` (case-insensitive).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    /// `$name` or `${name}`; a name may be `group.option`.
    Reference(&'a str),
}

/// Splits a value into text and references. `$$` (and `\$`, which
/// oslo.config turns into `$$`) is a literal `$`; a `$` followed by anything
/// else than a name is left as it is.
fn scan(value: &str) -> Vec<Piece<'_>> {
    let bytes = value.as_bytes();
    let ident = |from: usize| -> usize {
        let s = &bytes[from.min(bytes.len())..];
        if s.first()
            .is_none_or(|&b| !(b == b'_' || b.is_ascii_alphabetic()))
        {
            return 0;
        }
        1 + s[1..]
            .iter()
            .take_while(|&&b| b == b'_' || b == b'.' || b.is_ascii_alphanumeric())
            .count()
    };
    let mut out = Vec::new();
    let (mut i, mut text_start) = (0, 0);
    while i < bytes.len() {
        let escaped = match (bytes[i], bytes.get(i + 1)) {
            (b'$', Some(b'$')) | (b'\\', Some(b'$')) => true,
            (b'$', _) => false,
            _ => {
                i += 1;
                continue;
            }
        };
        if escaped {
            out.push(Piece::Text(&value[text_start..i]));
            out.push(Piece::Text("$"));
            i += 2;
            text_start = i;
            continue;
        }
        let (start, len, close) = if bytes.get(i + 1) == Some(&b'{') {
            let n = ident(i + 2);
            (
                i + 2,
                n,
                usize::from(n > 0 && bytes.get(i + 2 + n) == Some(&b'}')),
            )
        } else {
            (i + 1, ident(i + 1), 0)
        };
        let braced = bytes.get(i + 1) == Some(&b'{');
        if len == 0 || (braced && close == 0) {
            i += 1;
            continue;
        }
        out.push(Piece::Text(&value[text_start..i]));
        out.push(Piece::Reference(&value[start..start + len]));
        i = start + len + close;
        text_start = i;
    }
    out.push(Piece::Text(&value[text_start..]));
    out
}

/// The names `$name` / `${name}` references in `value` use.
pub fn references(value: &str) -> Vec<&str> {
    scan(value)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Reference(name) => Some(name),
            Piece::Text(_) => None,
        })
        .collect()
}

/// `value` with its references replaced by `resolve`, and `$$` by `$`;
/// `None` when a reference cannot be resolved.
pub fn substitute(value: &str, mut resolve: impl FnMut(&str) -> Option<String>) -> Option<String> {
    let mut out = String::with_capacity(value.len());
    for piece in scan(value) {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Reference(name) => out.push_str(&resolve(name)?),
        }
    }
    Some(out)
}

pub fn boolean(value: &str) -> Option<String> {
    let v = value.to_lowercase();
    (!matches!(
        v.as_str(),
        "true" | "false" | "1" | "0" | "on" | "off" | "yes" | "no"
    ))
    .then(|| "is not a boolean (true/false, yes/no, on/off, 1/0)".to_string())
}

/// Python's `int()` / `float()` on a stripped string; empty means unset.
pub fn number(value: &str, float: bool, min: Option<i64>, max: Option<i64>) -> Option<String> {
    let s = value.trim();
    if s.is_empty() {
        return None;
    }
    let parsed = if float { py_float(s) } else { py_int(s) };
    let Some(n) = parsed else {
        return Some(format!(
            "is not {}",
            if float { "a number" } else { "an integer" }
        ));
    };
    if let Some(min) = min.filter(|&m| n < m as f64) {
        return Some(format!("is less than the minimum, {min}"));
    }
    if let Some(max) = max.filter(|&m| n > m as f64) {
        return Some(format!("is more than the maximum, {max}"));
    }
    None
}

/// Python allows `_` only between two digits (`1_000`).
fn without_underscores(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let ok = (0..b.len()).filter(|&i| b[i] == b'_').all(|i| {
        i > 0 && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit)
    });
    ok.then(|| s.replace('_', ""))
}

fn py_int(s: &str) -> Option<f64> {
    let plain = without_underscores(s)?;
    let digits = plain.strip_prefix(['+', '-']).unwrap_or(&plain);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: f64 = digits.parse().ok()?;
    Some(if plain.starts_with('-') { -n } else { n })
}

fn py_float(s: &str) -> Option<f64> {
    let plain = without_underscores(s)?;
    // Rust and Python agree on the rest: signs, exponents, inf and nan.
    plain.parse::<f64>().ok()
}

/// oslo.config's URI type: a scheme and an authority (`scheme://host…`).
pub fn uri(value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    let ok = value.split_once("://").is_some_and(|(scheme, rest)| {
        let mut chars = scheme.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            && !rest.is_empty()
            && !rest.starts_with('/')
            && !value.contains(char::is_whitespace)
    });
    (!ok).then(|| "is not a URL with a scheme and a host (scheme://host/…)".to_string())
}

pub fn ip(value: &str) -> Option<String> {
    (value.parse::<Ipv4Addr>().is_err() && value.parse::<Ipv6Addr>().is_err())
        .then(|| "is not an IP address".to_string())
}

/// RFC 1123 host names, as oslo.config's Hostname type checks them.
pub fn hostname(value: &str) -> Option<String> {
    let v = value.strip_suffix('.').unwrap_or(value);
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let labels: Vec<&str> = v.split('.').collect();
    let ok = !v.is_empty()
        && v.len() <= 253
        && labels.iter().all(|l| label_ok(l))
        && !labels
            .last()
            .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()));
    (!ok).then(|| "is not a valid host name".to_string())
}

pub fn dict(value: &str) -> Option<String> {
    let s = value.trim();
    if s.is_empty() {
        return None;
    }
    s.split(',')
        .find(|pair| !pair.contains(':'))
        .map(|pair| format!("is not key:value pairs ({:?} has no ':')", pair.trim()))
}

pub fn list(value: &str, item_type: Option<&str>) -> Option<String> {
    let kind = match item_type {
        Some(t) if t.to_lowercase().starts_with("integer") => false,
        Some(t) if t.to_lowercase().starts_with("float") => true,
        _ => return None,
    };
    value
        .trim()
        .trim_end_matches(',')
        .split(',')
        .filter(|item| !item.trim().is_empty())
        .find_map(|item| {
            number(item.trim(), kind, None, None).map(|why| format!("item {:?} {why}", item.trim()))
        })
}

/// Where the first `://` of a value starts (a URL's scheme ends there):
/// asked of every value shown, so found from the colons, with no searcher
/// to build.
pub fn scheme_end(value: &str) -> Option<usize> {
    let b = value.as_bytes();
    memchr::memchr_iter(b':', b).find(|&i| b[i + 1..].starts_with(b"//"))
}

/// Install-guide placeholders: `NOVA_DBPASS`, `RABBIT_PASS`,
/// `MANAGEMENT_INTERFACE_IP_ADDRESS`, `METADATA_SECRET`…
pub fn placeholder(value: &str) -> Option<&str> {
    const ENDINGS: &[&str] = &[
        "_PASS",
        "_DBPASS",
        "_SECRET",
        "_IP_ADDRESS",
        "_INTERFACE_NAME",
        "_PASSWORD",
    ];
    value
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|word| {
            word.len() > 5
                && word
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                && word.bytes().any(|b| b.is_ascii_uppercase())
                && ENDINGS.iter().any(|e| word.ends_with(e))
        })
}

/// The items of a list value, stripped, empty ones left out (oslo.config's
/// `List` type splits at commas).
pub fn list_items(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|i| !i.is_empty())
}

/// What [`edit_list`] does with one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemEdit {
    Keep,
    Replace(String),
    Drop,
}

/// `value`, a list, with each item (stripped) edited by `f`: kept items keep
/// their spacing and separators; a dropped item goes with the separator
/// after it (before it, when it is the last). `None` when nothing changed.
pub fn edit_list(value: &str, mut f: impl FnMut(&str) -> ItemEdit) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    let mut changed = false;
    // The spacing before a dropped item, for the item that takes its place.
    let mut lead_of_dropped: Option<&str> = None;
    for piece in value.split(',') {
        let item = piece.trim();
        if item.is_empty() {
            out.push(piece.to_string());
            continue;
        }
        let lead = &piece[..piece.len() - piece.trim_start().len()];
        let trail = &piece[piece.trim_end().len()..];
        let new = match f(item) {
            ItemEdit::Keep => item.to_string(),
            ItemEdit::Replace(r) => {
                changed |= r != item;
                r
            }
            ItemEdit::Drop => {
                changed = true;
                lead_of_dropped.get_or_insert(lead);
                continue;
            }
        };
        let lead = lead_of_dropped.take().unwrap_or(lead);
        out.push(format!("{lead}{new}{trail}"));
    }
    changed.then(|| out.join(",").trim().to_string())
}

/// Is `item` wholly a placeholder of a template engine, which a deployment
/// tool replaces (`{{ glance_url }}`, `{% … %}`, `${GLANCE}`, `%GLANCE%`,
/// `@GLANCE@`, `<glance-url>`, `GLANCE_SERVERS`), or a `$name` reference,
/// whose value may be anything? A value that merely contains one is not.
pub fn template_token(item: &str) -> bool {
    let t = item.trim();
    let inner = |open: &str, close: &str| {
        t.strip_prefix(open)
            .and_then(|r| r.strip_suffix(close))
            .filter(|i| !i.is_empty())
    };
    let word = |i: &str| {
        i.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    };
    inner("{{", "}}").is_some()
        || inner("{%", "%}").is_some()
        || inner("<", ">").is_some_and(|i| !i.contains(['<', '>']))
        || inner("${", "}").is_some_and(|i| !i.contains('}'))
        || inner("%", "%").is_some_and(word)
        || inner("@", "@").is_some_and(word)
        || inner("$", "").is_some_and(|i| {
            i.bytes()
                .next()
                .is_some_and(|b| b == b'_' || b.is_ascii_alphabetic())
                && word(i)
        })
        || shouted(t)
}

/// `GLANCE_SERVERS`: an upper-case name with an underscore, as install
/// guides and shell-driven templates write what is to be filled in.
fn shouted(t: &str) -> bool {
    t.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
        && t.contains('_')
        && t.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// `a  # note` or `a ; note`: text nova takes as part of the value.
pub fn inline_comment(value: &str) -> Option<usize> {
    let b = value.as_bytes();
    (1..b.len()).find(|&i| matches!(b[i], b'#' | b';') && matches!(b[i - 1], b' ' | b'\t'))
}

/// What is wrong with the credentials of a URL (`scheme://user:pass@host/…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlProblem {
    /// An `@` in the user or password: the host is read from after it.
    At,
    /// A `/`, `?` or `#` in the password ends the host part early.
    Delimiter(char),
}

/// Checks the user:password parts of a URL value. `multi_host` splits the
/// host part at commas, as oslo.messaging does for `transport_url`.
pub fn url_credentials(value: &str, multi_host: bool) -> Option<UrlProblem> {
    let (_, rest) = value.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (netloc, tail) = rest.split_at(end);
    if tail.contains('@') {
        let c = tail.chars().next().expect("non-empty: holds '@'");
        return Some(UrlProblem::Delimiter(c));
    }
    let hosts: Vec<&str> = if multi_host {
        netloc.split(',').collect()
    } else {
        vec![netloc]
    };
    hosts
        .iter()
        .any(|h| h.matches('@').count() > 1)
        .then_some(UrlProblem::At)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheme_ends_at_the_first_colon_slash_slash() {
        assert_eq!(scheme_end("rabbit://u:p@h/"), Some(6));
        assert_eq!(scheme_end("a:b://c"), Some(3));
        assert_eq!(scheme_end("Xy://LEAK"), Some(2));
        for none in ["", ":", "a:", "a:/", "a:/b", "http:/x//y", "//x"] {
            assert_eq!(scheme_end(none), None, "{none}");
        }
    }

    #[test]
    fn list_edits_keep_the_spacing_of_what_stays() {
        let drop_r = |i: &str| {
            if i.starts_with('R') {
                ItemEdit::Drop
            } else {
                ItemEdit::Keep
            }
        };
        assert_eq!(
            edit_list("RetryFilter, AZFilter, RamFilter,ComputeFilter", drop_r).as_deref(),
            Some("AZFilter, ComputeFilter")
        );
        assert_eq!(
            edit_list("AZFilter, RamFilter, ComputeFilter", drop_r).as_deref(),
            Some("AZFilter, ComputeFilter")
        );
        assert_eq!(
            edit_list("AZFilter , RamFilter", drop_r).as_deref(),
            Some("AZFilter")
        );
        assert_eq!(edit_list("AZFilter, X", drop_r), None);
        assert_eq!(edit_list("RamFilter", drop_r).as_deref(), Some(""));
        assert_eq!(
            edit_list("a:1, b:2", |i| ItemEdit::Replace(format!("http://{i}"))).as_deref(),
            Some("http://a:1, http://b:2")
        );
        assert_eq!(list_items(" a, ,b ,").collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn template_tokens_are_whole_placeholders() {
        for t in [
            "{{ glance_url }}",
            "{% if x %}",
            "${GLANCE}",
            "%GLANCE_URL%",
            "@GLANCE@",
            "<glance-url>",
            "$glance_host",
            "${glance_host}",
            "GLANCE_SERVERS",
        ] {
            assert!(template_token(t), "{t}");
        }
        for t in [
            "$my_ip:9292",
            "10.0.2.15:9292",
            "http://{{ x }}",
            "%",
            "MANAGEMENT_IP:9292",
        ] {
            assert!(!template_token(t), "{t}");
        }
    }

    #[test]
    fn references_are_found_as_string_template_finds_them() {
        let names = |v: &str| {
            references(v)
                .into_iter()
                .map(String::from)
                .collect::<Vec<_>>()
        };
        assert_eq!(names("$my_ip"), ["my_ip"]);
        assert_eq!(names("http://$my_ip:6080/x"), ["my_ip"]);
        assert_eq!(names("${vnc.server_listen}/x"), ["vnc.server_listen"]);
        assert_eq!(names("$state_path/instances"), ["state_path"]);
        assert_eq!(names("pa$$word"), Vec::<String>::new());
        assert_eq!(names("pa\\$word"), Vec::<String>::new());
        assert_eq!(names("cost $5 ${"), Vec::<String>::new());
        assert_eq!(names("p4$sw0rd"), ["sw0rd"]);
        assert_eq!(names("$My_IP"), ["My_IP"]);
        let sub = |v: &str| substitute(v, |n| (n == "my_ip").then(|| "10.0.0.11".to_string()));
        assert_eq!(
            sub("http://$my_ip:6080/").as_deref(),
            Some("http://10.0.0.11:6080/")
        );
        assert_eq!(sub("${my_ip}x").as_deref(), Some("10.0.0.11x"));
        assert_eq!(sub("a$$b\\$c").as_deref(), Some("a$b$c"));
        assert_eq!(sub("$other"), None);
    }

    #[test]
    fn placeholders_and_inline_comments() {
        assert_eq!(
            placeholder("mysql+pymysql://nova:NOVA_DBPASS@controller/nova"),
            Some("NOVA_DBPASS")
        );
        assert_eq!(
            placeholder("MANAGEMENT_INTERFACE_IP_ADDRESS"),
            Some("MANAGEMENT_INTERFACE_IP_ADDRESS")
        );
        assert_eq!(placeholder("rabbit://openstack:s3cret@controller"), None);
        assert_eq!(placeholder("RegionOne"), None);
        assert_eq!(inline_comment("10.0.0.11  # mgmt"), Some(11));
        assert_eq!(inline_comment("a;b"), None);
        assert_eq!(inline_comment("http://x/#frag"), None);
    }

    #[test]
    fn url_credentials_need_percent_encoding() {
        assert_eq!(
            url_credentials("mysql+pymysql://nova:p@ss@controller/nova", false),
            Some(UrlProblem::At)
        );
        assert_eq!(
            url_credentials("rabbit://openstack:pa/ss@controller:5672/", true),
            Some(UrlProblem::Delimiter('/'))
        );
        assert_eq!(
            url_credentials("rabbit://u:p@h1:5672,u:p@h2:5672/", true),
            None
        );
        assert_eq!(url_credentials("rabbit://u:p%40ss@h1/", true), None);
        assert_eq!(
            url_credentials("sqlite:////var/lib/nova/nova.sqlite", false),
            None
        );
    }
}
