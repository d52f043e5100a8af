//! The shape of `migrations/<release>.toml`: the rules that take a nova.conf
//! into that release. Shared, as a `#[path]` module, by the migrate room and
//! by `build.rs`, which validates the rules and embeds them. Uses nothing but
//! `std`, `serde` and the other `#[path]`-shared files (option names, roles,
//! the cross-file checks).

use super::OptionRef;
use super::model::Role;
use super::successors::{Carried, How, Level, RuleFacts, Stale, ValueFix, ValueTest};
use super::validate::{Claim, Need};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// One `migrations/<release>.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    pub release: String,
    #[serde(default, rename = "rule")]
    pub rules: Vec<Rule>,
}

/// A rule: what it does (its actions, in order), and the four parts every
/// rule has: a summary, why, the upstream evidence, and how safe it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable, e.g. `MSG002`.
    pub id: String,
    pub summary: String,
    pub why: String,
    pub evidence: Vec<String>,
    pub safety: Safety,
    /// For manual steps: the roles they concern (empty: any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    /// Shown by `stackhop explain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Example>,
    /// What `check` says of a config that still holds what the rule
    /// changes (default: an error from the rule's release on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<CheckSays>,
    #[serde(rename = "action")]
    pub actions: Vec<Action>,
}

/// What `check` reports for a config the rule would change: a value its
/// value actions rewrite (finding C106), or, with `stale`, an option it
/// carries elsewhere that the release still reads but that no longer works.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSays {
    /// The release from which check reports it (default: the rule's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default)]
    pub severity: Level,
    /// Why the options the rule carries elsewhere stop working from `from`
    /// on, although nova still reads them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale: Option<String>,
    /// Options that make the carried options mere leftovers when set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unless_set: Vec<OptionRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// What nova reads does not change.
    Safe,
    /// A reviewer must look: a value was assumed, or meaning may change.
    Review,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub before: String,
    pub after: String,
}

/// What a manual step is about: how a runbook files it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    /// A setting to write or check by hand.
    #[default]
    Config,
    /// A service the release no longer has: stop and remove it.
    ServiceRemoved,
    /// A service the release adds: install and enable it.
    ServiceAdded,
    /// A database to create, migrate or copy.
    Database,
    /// Cells v2 mappings.
    Cells,
    /// The placement service.
    Placement,
    /// An option the release requires for a role, which the file lacks.
    Requirement,
    /// Keystone endpoints.
    Endpoint,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Config => "config",
            StepKind::ServiceRemoved => "service-removed",
            StepKind::ServiceAdded => "service-added",
            StepKind::Database => "database",
            StepKind::Cells => "cells",
            StepKind::Placement => "placement",
            StepKind::Requirement => "requirement",
            StepKind::Endpoint => "endpoint",
        }
    }
}

/// What a rule does. Options are written `group/name`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Action {
    /// Moves an option to a new name or section; the value is kept. When the
    /// new name is already set, it wins and the old one is dropped. With
    /// `when_value`, only when the value passes the test.
    Rename {
        from: OptionRef,
        to: OptionRef,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when_value: Option<ValueCondition>,
    },
    /// Deletes an option nova no longer reads (`group/*`: the whole group).
    Remove { option: OptionRef, reason: String },
    /// Sets an option that is not set, when every option of `when_set` is
    /// and none of `when_missing`.
    Set {
        option: OptionRef,
        value: String,
        #[serde(default)]
        when_set: Vec<OptionRef>,
        #[serde(default)]
        when_missing: Vec<OptionRef>,
        /// Why the value is an assumption (makes the change a review).
        #[serde(default)]
        assumed: Option<String>,
    },
    /// Replaces an option by another whose value depends on it; with
    /// `from = to`, rewrites each occurrence whose value is a key of `map`.
    ValueMap {
        from: OptionRef,
        to: OptionRef,
        map: BTreeMap<String, String>,
        /// Why the value changes (shown with the change and by `check`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Builds a URL from several options (`{protocol}://{host}:{port}`) and
    /// removes them; a part that is not set takes its default in the
    /// release before the rule's.
    MergeUrl {
        to: OptionRef,
        template: String,
        parts: BTreeMap<String, OptionRef>,
    },
    /// Removes an item from a list value (`ec2` from `ec2,osapi_compute`).
    ListRemove {
        option: OptionRef,
        item: String,
        reason: String,
    },
    /// Removes a suffix (such as `/v2.0`) from a URL value.
    StripSuffix {
        option: OptionRef,
        suffix: String,
        note: String,
    },
    /// Replaces the items of a list value that are keys of `map` by their
    /// value; an empty value drops the item.
    ListMap {
        option: OptionRef,
        map: BTreeMap<String, String>,
        reason: String,
    },
    /// Replaces a leading `from` of the value by `to` (which may be empty).
    ReplacePrefix {
        option: OptionRef,
        from: String,
        to: String,
        note: String,
    },
    /// Puts `scheme` before every item of a list value that does not
    /// contain `unless_contains`; an item that is wholly a template
    /// placeholder is left, and a manual step names it.
    ListAddScheme {
        option: OptionRef,
        scheme: String,
        unless_contains: String,
        note: String,
    },
    /// Something editing cannot do. Shown when every option of `when_set` is
    /// set, none of `when_missing` is, and `when_value` holds.
    Manual {
        text: String,
        /// What it is about (default `config`).
        #[serde(default)]
        kind: StepKind,
        /// Commands to run, in order, if the step has any.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        commands: Vec<String>,
        #[serde(default)]
        when_set: Vec<OptionRef>,
        #[serde(default)]
        when_missing: Vec<OptionRef>,
        #[serde(default)]
        when_value: Option<ValueCondition>,
    },
    /// Logic too rich for the kinds above, implemented in Rust. `reads`
    /// and `writes` declare what it carries where (for validation, and for
    /// `check` to name the rule).
    Transform {
        name: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        reads: Vec<OptionRef>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        writes: Option<OptionRef>,
    },
}

/// A test of `option`'s value, as nova reads it (under any of its names).
/// It holds when one of the tests given holds: the value is one of `is`
/// (any case), starts with one of `starts_with`, contains one of
/// `contains`, or, as a comma-separated list, has an item among
/// `contains_item`; `single_item`: the list has exactly one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueCondition {
    pub option: OptionRef,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub is: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub starts_with: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contains: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contains_item: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub single_item: bool,
}

impl ValueCondition {
    /// Does a value (as nova reads it) pass the test?
    pub fn holds(&self, value: &str) -> bool {
        let v = value.trim();
        let items = || {
            v.split(',')
                .map(str::trim)
                .filter(|i| !i.is_empty())
                .collect::<Vec<_>>()
        };
        self.is.iter().any(|x| x.eq_ignore_ascii_case(v))
            || self.starts_with.iter().any(|p| v.starts_with(p.as_str()))
            || self.contains.iter().any(|p| v.contains(p.as_str()))
            || (!self.contains_item.is_empty()
                && items()
                    .iter()
                    .any(|i| self.contains_item.iter().any(|x| x == i)))
            || (self.single_item && items().len() == 1)
    }

    /// `when [glance] api_servers has a single item`.
    pub fn describe(&self) -> String {
        let list = |l: &[String]| l.join(", ");
        let mut tests = Vec::new();
        if !self.is.is_empty() {
            tests.push(format!("is one of {}", list(&self.is)));
        }
        if !self.starts_with.is_empty() {
            tests.push(format!("starts with {}", list(&self.starts_with)));
        }
        if !self.contains.is_empty() {
            tests.push(format!("contains {}", list(&self.contains)));
        }
        if !self.contains_item.is_empty() {
            tests.push(format!("lists {}", list(&self.contains_item)));
        }
        if self.single_item {
            tests.push("has a single item".to_string());
        }
        format!("when {} {}", self.option, tests.join(" or "))
    }

    fn is_empty(&self) -> bool {
        self.is.is_empty()
            && self.starts_with.is_empty()
            && self.contains.is_empty()
            && self.contains_item.is_empty()
            && !self.single_item
    }
}

/// Transforms implemented in Rust.
pub const TRANSFORMS: &[&str] = &["rabbit-transport-url"];

impl Action {
    /// The option the action writes, if it writes one.
    pub fn written(&self) -> Option<&OptionRef> {
        match self {
            Action::Rename { to, .. }
            | Action::ValueMap { to, .. }
            | Action::MergeUrl { to, .. } => Some(to),
            Action::Set { option, .. }
            | Action::StripSuffix { option, .. }
            | Action::ListRemove { option, .. }
            | Action::ListMap { option, .. }
            | Action::ReplacePrefix { option, .. }
            | Action::ListAddScheme { option, .. } => Some(option),
            Action::Transform { writes, .. } => writes.as_ref(),
            Action::Remove { .. } | Action::Manual { .. } => None,
        }
    }

    /// Every option the action reads (not the one it writes).
    pub fn read(&self) -> Vec<&OptionRef> {
        match self {
            Action::Rename { from, .. } => vec![from],
            Action::ValueMap { from, to, .. } if from != to => vec![from],
            Action::Remove { option, .. } => vec![option],
            Action::Transform { reads, .. } => reads.iter().collect(),
            Action::ValueMap { .. }
            | Action::StripSuffix { .. }
            | Action::ListRemove { .. }
            | Action::ListMap { .. }
            | Action::ReplacePrefix { .. }
            | Action::ListAddScheme { .. } => Vec::new(),
            Action::Set {
                when_set,
                when_missing,
                ..
            } => when_set.iter().chain(when_missing).collect(),
            Action::MergeUrl { parts, .. } => parts.values().collect(),
            Action::Manual {
                when_set,
                when_missing,
                when_value,
                ..
            } => when_set
                .iter()
                .chain(when_missing)
                .chain(when_value.iter().map(|v| &v.option))
                .collect(),
        }
    }
}

impl Action {
    /// What the action carries where: (option, target, how, reason).
    pub fn carried(&self) -> Vec<(&OptionRef, Option<&OptionRef>, How, Option<&str>)> {
        match self {
            Action::Rename { from, to, .. } => vec![(from, Some(to), How::Renamed, None)],
            Action::ValueMap { from, to, .. } if from != to => {
                vec![(from, Some(to), How::Mapped, None)]
            }
            Action::MergeUrl { to, parts, .. } => parts
                .values()
                .map(|p| (p, Some(to), How::Merged, None))
                .collect(),
            Action::Transform { reads, writes, .. } => reads
                .iter()
                .map(|r| (r, writes.as_ref(), How::Merged, None))
                .collect(),
            Action::Remove { option, reason } => {
                vec![(option, None, How::Removed, Some(reason.as_str()))]
            }
            _ => Vec::new(),
        }
    }

    /// The value test of an action that rewrites values: the option, the
    /// test, and why.
    pub fn value_test(&self) -> Option<(&OptionRef, ValueTest, String)> {
        match self {
            Action::ListMap {
                option,
                map,
                reason,
            } => Some((
                option,
                ValueTest::Items { map: map.clone() },
                reason.clone(),
            )),
            Action::ListRemove {
                option,
                item,
                reason,
            } => Some((
                option,
                ValueTest::Items {
                    map: BTreeMap::from([(item.clone(), String::new())]),
                },
                reason.clone(),
            )),
            Action::ReplacePrefix {
                option,
                from,
                to,
                note,
            } => Some((
                option,
                ValueTest::Prefix {
                    from: from.clone(),
                    to: to.clone(),
                },
                note.clone(),
            )),
            Action::ValueMap {
                from,
                to,
                map,
                note,
            } if from == to => Some((
                from,
                ValueTest::OneOf { map: map.clone() },
                note.clone()
                    .unwrap_or_else(|| "a spelling this release no longer reads".into()),
            )),
            Action::ListAddScheme {
                option,
                scheme,
                unless_contains,
                note,
            } => Some((
                option,
                ValueTest::Scheme {
                    scheme: scheme.clone(),
                    unless_contains: unless_contains.clone(),
                },
                note.clone(),
            )),
            _ => None,
        }
    }
}

/// The facts the rules of one file state (see `release::successors`);
/// `names` are the releases in catalog order.
pub fn facts(f: &RulesFile, names: &[&str]) -> Result<RuleFacts, String> {
    let position = |r: &str| names.iter().position(|n| *n == r);
    let at = position(&f.release).ok_or_else(|| format!("{:?} is not a release", f.release))?;
    let mut out = RuleFacts::default();
    for rule in &f.rules {
        let says = rule.check.clone().unwrap_or(CheckSays {
            from: None,
            severity: Level::Error,
            stale: None,
            unless_set: Vec::new(),
        });
        let from = says.from.clone().unwrap_or_else(|| f.release.clone());
        match position(&from) {
            Some(i) if i >= at => {}
            _ => {
                return Err(format!(
                    "rule {}: check.from {from:?} is not a release from {} on",
                    rule.id, f.release
                ));
            }
        }
        let mut carried = Vec::new();
        for action in &rule.actions {
            for (option, to, how, reason) in action.carried() {
                let condition = match action {
                    Action::Rename { when_value, .. } => {
                        when_value.as_ref().map(ValueCondition::describe)
                    }
                    _ => None,
                };
                out.carried.push(Carried {
                    option: option.clone(),
                    to: to.cloned(),
                    how,
                    rule: rule.id.clone(),
                    release: f.release.clone(),
                    reason: reason.map(str::to_string),
                    condition,
                });
                carried.push(option.clone());
            }
            if let Some((option, test, note)) = action.value_test() {
                out.values.push(ValueFix {
                    option: option.clone(),
                    rule: rule.id.clone(),
                    release: from.clone(),
                    severity: says.severity,
                    test,
                    note,
                });
            }
        }
        if let Some(why) = says.stale {
            if carried.is_empty() {
                return Err(format!(
                    "rule {}: check.stale, but the rule carries no option",
                    rule.id
                ));
            }
            out.stale.push(Stale {
                options: carried,
                rule: rule.id.clone(),
                since: f.release.clone(),
                release: from,
                severity: says.severity,
                why: why.split_whitespace().collect::<Vec<_>>().join(" "),
                unless_set: says.unless_set,
            });
        }
    }
    Ok(out)
}

/// Checks one rules file on its own; `ids` collects rule ids across files.
pub fn validate(release: &str, f: &RulesFile, ids: &mut HashSet<String>) -> Result<(), String> {
    if f.release != release {
        return Err(format!(
            "release {:?} differs from the file name {release:?}",
            f.release
        ));
    }
    for rule in &f.rules {
        let id = &rule.id;
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(format!("rule id {id:?} is not letters, digits and dashes"));
        }
        if !ids.insert(id.clone()) {
            return Err(format!("rule id {id} is used twice"));
        }
        if rule.evidence.is_empty() {
            return Err(format!("rule {id} has no evidence"));
        }
        if rule.actions.is_empty() {
            return Err(format!("rule {id} does nothing"));
        }
        for action in &rule.actions {
            let wildcard = action
                .read()
                .into_iter()
                .chain(action.written())
                .find(|o| o.is_wildcard());
            if let Some(o) = wildcard {
                if !matches!(action, Action::Remove { .. }) {
                    return Err(format!(
                        "rule {id}: only remove takes a whole group, not {}",
                        o.spec()
                    ));
                }
            }
            let condition = match action {
                Action::Manual { when_value, .. } | Action::Rename { when_value, .. } => {
                    when_value.as_ref()
                }
                _ => None,
            };
            if condition.is_some_and(ValueCondition::is_empty) {
                return Err(format!("rule {id}: when_value tests nothing"));
            }
            match action {
                Action::Transform {
                    name,
                    reads,
                    writes,
                } => {
                    if !TRANSFORMS.contains(&name.as_str()) {
                        return Err(format!("rule {id}: unknown transform {name:?}"));
                    }
                    if reads.is_empty() || writes.is_none() {
                        return Err(format!(
                            "rule {id}: transform {name} must declare what it reads and writes"
                        ));
                    }
                }
                Action::ListMap { map, .. } | Action::ValueMap { map, .. } if map.is_empty() => {
                    return Err(format!("rule {id}: an empty map"));
                }
                Action::ReplacePrefix { from, .. } if from.is_empty() => {
                    return Err(format!("rule {id}: replace-prefix from an empty prefix"));
                }
                Action::ListAddScheme {
                    scheme,
                    unless_contains,
                    ..
                } if scheme.is_empty() || unless_contains.is_empty() => {
                    return Err(format!(
                        "rule {id}: list-add-scheme needs a scheme and unless_contains"
                    ));
                }
                Action::MergeUrl {
                    template, parts, ..
                } => {
                    for part in parts.keys() {
                        if !template.contains(&format!("{{{part}}}")) {
                            return Err(format!("rule {id}: part {part:?} is not in the template"));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// What the rules of release `at` (catalog index) claim of the options they
/// name: what an action writes is an option of that release; what it reads
/// is an option of that release or an earlier one.
pub fn claims(at: usize, f: &RulesFile, file: &str) -> Vec<Claim> {
    let mut out = Vec::new();
    for rule in &f.rules {
        let what = format!("rule {}", rule.id);
        for action in &rule.actions {
            if let Some(w) = action.written() {
                out.push(Claim {
                    file: file.to_string(),
                    what: what.clone(),
                    options: vec![w.clone()],
                    need: Need::LiveAt(at),
                });
            }
            for r in action.read() {
                out.push(Claim {
                    file: file.to_string(),
                    what: what.clone(),
                    options: vec![r.clone()],
                    need: Need::KnownBy(at),
                });
            }
        }
    }
    out
}
