//! The name of an option: `OptionRef { group, name }`, the vocabulary every
//! room shares. Written `group/name` in data files, shown `[group] name` to
//! people; its group is normalised once, here, as oslo.config compares
//! groups.
//!
//! This file uses nothing but `std` and `serde`: the build script and the
//! `xtask` importer include it as a `#[path]` module, so that the data they
//! validate names options exactly as the library does.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// How oslo.config names a group: `DEFAULT` stays as it is, any other
/// section name is compared lower-cased (so `[DEFAULT]` and `[default]`
/// are two groups, and `[VNC]` is `[vnc]`).
pub fn normalize_group(name: &str) -> Cow<'_, str> {
    if name == "DEFAULT" || (name.is_ascii() && !name.bytes().any(|b| b.is_ascii_uppercase())) {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(name.to_lowercase())
    }
}

/// An option of nova.conf, or of a release's data: a group (normalised as
/// oslo.config compares it) and a name.
///
/// Equal, hashed and ordered by (group, name). Parsed from `group/name`
/// (the form of the data files), shown as `[group] name`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OptionRef {
    group: Cow<'static, str>,
    name: Cow<'static, str>,
}

/// Why a string is not `group/name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionRefError(pub String);

impl fmt::Display for OptionRefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not group/name", self.0)
    }
}

impl std::error::Error for OptionRefError {}

/// Letters, digits, `_`, `-`, `.`: what option and group names are made of.
/// A group name may also hold `<…>` (a pattern such as `vgpu_<vgpu_type>`)
/// and `:` (paste sections such as `filter:authtoken`).
fn is_part(s: &str, group: bool) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(b, b'_' | b'-' | b'.')
                || (group && matches!(b, b'<' | b'>' | b':'))
        })
}

impl OptionRef {
    /// The option `name` of `group`, as a config file writes it (the group
    /// is normalised).
    pub fn new(group: &str, name: &str) -> OptionRef {
        // Most options are in DEFAULT: that name costs no allocation.
        let group = match normalize_group(group) {
            Cow::Borrowed("DEFAULT") => Cow::Borrowed("DEFAULT"),
            g => Cow::Owned(g.into_owned()),
        };
        OptionRef {
            group,
            name: Cow::Owned(name.to_string()),
        }
    }

    /// For static tables: `group` must already be normalised.
    pub const fn from_static(group: &'static str, name: &'static str) -> OptionRef {
        OptionRef {
            group: Cow::Borrowed(group),
            name: Cow::Borrowed(name),
        }
    }

    /// `group/name`. The name may be `*` (every option of the group), which
    /// only a rule that removes a whole group uses.
    pub fn parse(spec: &str) -> Result<OptionRef, OptionRefError> {
        let bad = || OptionRefError(spec.to_string());
        let (group, name) = spec.split_once('/').ok_or_else(bad)?;
        if !is_part(group, true) || !(name == "*" || is_part(name, false)) {
            return Err(bad());
        }
        Ok(OptionRef::new(group, name))
    }

    /// An old name of an option of `group`, as the inventories write them:
    /// `group/name`, or a bare `name` in the option's own group.
    pub fn alias(group: &str, alias: &str) -> OptionRef {
        match alias.split_once('/') {
            Some((g, n)) => OptionRef::new(g, n),
            None => OptionRef::new(group, alias),
        }
    }

    /// The group, as oslo.config compares it.
    pub fn group(&self) -> &str {
        &self.group
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole group (`group/*`), not one option.
    pub fn is_wildcard(&self) -> bool {
        self.name == "*"
    }

    /// `group/name`, as data files write it.
    pub fn spec(&self) -> String {
        format!("{}/{}", self.group, self.name)
    }
}

impl fmt::Display for OptionRef {
    /// `[group] name`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.group, self.name)
    }
}

impl std::str::FromStr for OptionRef {
    type Err = OptionRefError;

    fn from_str(s: &str) -> Result<OptionRef, OptionRefError> {
        OptionRef::parse(s)
    }
}

impl Serialize for OptionRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.spec())
    }
}

impl<'de> Deserialize<'de> for OptionRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<OptionRef, D::Error> {
        let s = Cow::<'de, str>::deserialize(d)?;
        OptionRef::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// One of several options, any of which satisfies a requirement:
/// `group/a|group/b` in the data files.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AnyOf(pub Vec<OptionRef>);

impl AnyOf {
    pub fn options(&self) -> &[OptionRef] {
        &self.0
    }
}

impl fmt::Display for AnyOf {
    /// `[g] a or [g] b`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, o) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" or ")?;
            }
            write!(f, "{o}")?;
        }
        Ok(())
    }
}

impl Serialize for AnyOf {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let specs: Vec<String> = self.0.iter().map(OptionRef::spec).collect();
        s.serialize_str(&specs.join("|"))
    }
}

impl<'de> Deserialize<'de> for AnyOf {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<AnyOf, D::Error> {
        let s = Cow::<'de, str>::deserialize(d)?;
        s.split('|')
            .map(OptionRef::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(AnyOf)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsed_from_group_slash_name_and_shown_in_brackets() {
        let o = OptionRef::parse("VNC/server_listen").unwrap();
        assert_eq!(o.group(), "vnc");
        assert_eq!(o.name(), "server_listen");
        assert_eq!(o.to_string(), "[vnc] server_listen");
        assert_eq!(o.spec(), "vnc/server_listen");
        assert_eq!(
            OptionRef::parse("DEFAULT/debug").unwrap().group(),
            "DEFAULT"
        );
        assert_eq!(
            OptionRef::parse("filter:authtoken/x").unwrap().group(),
            "filter:authtoken"
        );
        for bad in [
            "debug",
            "/debug",
            "DEFAULT/",
            "a/b/c",
            "a b/c",
            "DEFAULT/x y",
        ] {
            assert!(OptionRef::parse(bad).is_err(), "{bad}");
        }
        assert!(OptionRef::parse("xenserver/*").unwrap().is_wildcard());
    }

    #[test]
    fn groups_compare_as_oslo_config_compares_them() {
        assert_eq!(
            OptionRef::new("Glance", "host"),
            OptionRef::new("glance", "host")
        );
        assert_ne!(
            OptionRef::new("default", "x"),
            OptionRef::new("DEFAULT", "x")
        );
        assert_eq!(normalize_group("DEFAULT"), "DEFAULT");
        assert_eq!(normalize_group("Default"), "default");
        assert_eq!(
            OptionRef::from_static("vnc", "enabled"),
            OptionRef::new("VNC", "enabled")
        );
    }

    #[test]
    fn aliases_without_a_group_are_in_the_options_group() {
        assert_eq!(
            OptionRef::alias("vnc", "vncserver_listen"),
            OptionRef::new("vnc", "vncserver_listen")
        );
        assert_eq!(
            OptionRef::alias("vnc", "DEFAULT/vncserver_listen"),
            OptionRef::new("DEFAULT", "vncserver_listen")
        );
    }

    #[test]
    fn serde_uses_the_data_file_form() {
        let o: OptionRef = serde_json::from_str("\"glance/api_servers\"").unwrap();
        assert_eq!(serde_json::to_string(&o).unwrap(), "\"glance/api_servers\"");
        let any: AnyOf = serde_json::from_str("\"placement/a|placement/b\"").unwrap();
        assert_eq!(any.to_string(), "[placement] a or [placement] b");
        assert!(serde_json::from_str::<OptionRef>("\"nope\"").is_err());
    }
}
