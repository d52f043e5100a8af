//! Whether a value is one nova can read for an option: its type, choices
//! and range, by the option's definition in the release.

use crate::conf::value::{boolean, dict, hostname, ip, list, number, uri};
use crate::release::{OptionDef, OptionType};

/// Why nova would refuse `value` for `option` (after substitution), if it would.
pub fn invalid(option: &OptionDef, value: &str) -> Option<String> {
    let e = &option.entry;
    let why = match option.kind {
        OptionType::Boolean => boolean(value),
        OptionType::Integer => number(value, false, e.min, e.max),
        OptionType::Float => number(value, true, e.min, e.max),
        OptionType::Port => number(
            value,
            false,
            Some(e.min.unwrap_or(0)),
            Some(e.max.unwrap_or(65535)),
        ),
        OptionType::Uri => uri(value),
        OptionType::IpAddress => ip(value),
        OptionType::Hostname => hostname(value),
        OptionType::HostAddress => (ip(value).is_some() && hostname(value).is_some())
            .then(|| "is neither an IP address nor a host name".to_string()),
        OptionType::Dict | OptionType::MultiDict => dict(value),
        OptionType::List => list(value, e.item_type.as_deref()),
        OptionType::String | OptionType::MultiString | OptionType::Subcommand => None,
    };
    if why.is_some() {
        return why;
    }
    if !e.choices.is_empty() && !matches!(option.kind, OptionType::List) {
        let ok = e
            .choices
            .iter()
            .any(|c| c == value || (e.ignore_case && c.to_lowercase() == value.to_lowercase()))
            || (value.is_empty() && !matches!(option.kind, OptionType::String));
        if !ok {
            return Some(format!(
                "is not one of the choices: {}",
                e.choices.join(", ")
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::model::OptionEntry;

    fn opt(kind: &str, min: Option<i64>, max: Option<i64>, choices: &[&str]) -> OptionDef {
        let kind: OptionType = serde_json::from_value(serde_json::json!(kind)).unwrap();
        OptionDef {
            group: "DEFAULT".into(),
            kind,
            set: None,
            entry: OptionEntry {
                name: "x".into(),
                kind,
                default: None,
                secret: false,
                choices: choices.iter().map(|s| s.to_string().into()).collect(),
                ignore_case: false,
                min,
                max,
                item_type: None,
                aliases: vec![].into(),
                deprecated_for_removal: false,
                deprecated_since: None,
                superseded_by: None,
                required: false,
                cli: false,
                hidden: false,
                owner: None,
                source: None,
            },
        }
    }

    #[test]
    fn booleans_take_oslo_spellings_only() {
        let b = opt("boolean", None, None, &[]);
        for ok in ["True", "false", "YES", "no", "1", "0", "On", "off"] {
            assert_eq!(invalid(&b, ok), None, "{ok}");
        }
        for bad in ["", "True  # note", "enabled", "t", "2"] {
            assert!(invalid(&b, bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn numbers_follow_python_int_and_float() {
        let i = opt("integer", Some(1), Some(10), &[]);
        assert_eq!(invalid(&i, "5"), None);
        assert_eq!(invalid(&i, ""), None, "empty means unset");
        assert_eq!(invalid(&i, "+7"), None);
        assert!(invalid(&i, "0").unwrap().contains("minimum, 1"));
        assert!(invalid(&i, "11").unwrap().contains("maximum, 10"));
        assert!(invalid(&i, "5 # five").unwrap().contains("not an integer"));
        assert!(invalid(&i, "1.5").is_some());
        assert!(invalid(&i, "0x10").is_some());
        let f = opt("float", None, None, &[]);
        assert_eq!(invalid(&f, "16.0"), None);
        assert_eq!(invalid(&f, "1e3"), None);
        assert_eq!(invalid(&f, "inf"), None);
        assert!(invalid(&f, "1,5").is_some());
        let p = opt("port", None, None, &[]);
        assert_eq!(invalid(&p, "5672"), None);
        assert!(invalid(&p, "70000").is_some());
    }

    #[test]
    fn urls_hosts_dicts_and_choices() {
        let u = opt("uri", None, None, &[]);
        assert_eq!(invalid(&u, "http://controller:6080/vnc_auto.html"), None);
        assert!(invalid(&u, "controller:6080").is_some());
        let h = opt("host-address", None, None, &[]);
        for ok in [
            "10.0.0.11",
            "::1",
            "controller",
            "compute-1.example.org",
            "0.0.0.0",
        ] {
            assert_eq!(invalid(&h, ok), None, "{ok}");
        }
        for bad in ["10.0.0.11 # mgmt", "http://x", "-bad", "a..b"] {
            assert!(invalid(&h, bad).is_some(), "{bad}");
        }
        let d = opt("dict", None, None, &[]);
        assert_eq!(invalid(&d, "a:1,b:2"), None);
        assert!(invalid(&d, "a:1,b").is_some());
        let c = opt("string", None, None, &["kvm", "qemu"]);
        assert_eq!(invalid(&c, "kvm"), None);
        assert!(invalid(&c, "KVM").unwrap().contains("kvm, qemu"));
    }
}
