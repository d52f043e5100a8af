//! What the migration rules do with options, as facts for every room: which
//! rule carries an option where (or removes it, and why), which values a
//! rule rewrites from which release on, and which options a rule carries
//! away because, although nova still reads them, they stop working.
//!
//! `build.rs` derives these facts from `migrations/*.toml` (see
//! `migrate::rules::facts`) and embeds them; [`super::rule_facts`] reads
//! them. `check` names the rule that fixes what it finds from here, so that
//! it says what `migrate` does without knowing the migrate room. This file
//! is shared, as a `#[path]` module, with the build script: it uses nothing
//! but `std` and `serde`.

use super::OptionRef;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Every fact the rules state, in release order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFacts {
    pub carried: Vec<Carried>,
    pub values: Vec<ValueFix>,
    pub stale: Vec<Stale>,
}

/// How a rule carries an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    /// Moved under a new name, the value kept.
    Renamed,
    /// Replaced by another option whose value it decides.
    Mapped,
    /// Merged, with other options, into one value (a URL).
    Merged,
    /// Removed, for a reason.
    Removed,
}

/// A rule carries `option` to `to` (or removes it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Carried {
    /// `group/*`: every option of the group.
    pub option: OptionRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<OptionRef>,
    pub how: How,
    pub rule: String,
    /// The rule's release.
    pub release: String,
    /// Why it is removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When the rule does it only for some values: which (`when [glance]
    /// api_servers has a single item`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

impl Carried {
    /// Does the fact concern `option`?
    pub fn concerns(&self, option: &OptionRef) -> bool {
        &self.option == option
            || (self.option.is_wildcard() && self.option.group() == option.group())
    }

    /// `merged into [DEFAULT] transport_url by MSG002`.
    pub fn describe(&self) -> String {
        let what = self.what();
        match &self.condition {
            Some(c) => format!("{what}, {c}"),
            None => what,
        }
    }

    fn what(&self) -> String {
        match (&self.how, &self.to) {
            (How::Renamed, Some(to)) => format!("moved to {to} by {}", self.rule),
            (How::Mapped, Some(to)) => format!("turned into {to} by {}", self.rule),
            (How::Merged, Some(to)) => format!("merged into {to} by {}", self.rule),
            _ => match &self.reason {
                Some(r) => format!("removed by {} ({r})", self.rule),
                None => format!("removed by {}", self.rule),
            },
        }
    }
}

/// How bad a finding is, as the data says it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
    #[default]
    Error,
}

/// A value test, and what the rule writes instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum ValueTest {
    /// A list item that is a key of `map` becomes its value ("": dropped).
    Items { map: BTreeMap<String, String> },
    /// A value starting with `from` starts with `to` instead.
    Prefix { from: String, to: String },
    /// A value that is a key of `map` (any case) becomes its value.
    OneOf { map: BTreeMap<String, String> },
    /// A list item without `unless_contains` gets `scheme` in front.
    Scheme {
        scheme: String,
        unless_contains: String,
    },
}

/// From `release` on, a value of `option` that `test` matches is one the
/// rule rewrites: `note` says why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueFix {
    pub option: OptionRef,
    pub rule: String,
    /// From this release on check reports it.
    pub release: String,
    pub severity: Level,
    pub test: ValueTest,
    pub note: String,
}

/// From `release` on, the options a rule (of release `since`) carries away
/// no longer work, although nova still reads them; with one of `unless_set`
/// set they are only leftovers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stale {
    pub options: Vec<OptionRef>,
    pub rule: String,
    pub since: String,
    pub release: String,
    pub severity: Level,
    pub why: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unless_set: Vec<OptionRef>,
}
