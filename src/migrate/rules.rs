//! The shape of `migrations/<release>.toml`: the rules that take a nova.conf
//! into that release. Shared, as a `#[path]` module, by the migrate room and
//! by `build.rs`, which validates the rules and embeds them. Uses nothing but
//! `std`, `serde` and the other `#[path]`-shared files (option names, roles,
//! the cross-file checks).

use super::OptionRef;
use super::model::Role;
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
    #[serde(rename = "action")]
    pub actions: Vec<Action>,
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
    /// new name is already set, it wins and the old one is dropped.
    Rename { from: OptionRef, to: OptionRef },
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
    /// Replaces an option by another whose value depends on it.
    ValueMap {
        from: OptionRef,
        to: OptionRef,
        map: BTreeMap<String, String>,
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
    /// Logic too rich for the kinds above, implemented in Rust.
    Transform { name: String },
}

/// `option`'s value (compared case-insensitively) is one of `is`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueCondition {
    pub option: OptionRef,
    pub is: Vec<String>,
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
            | Action::ListRemove { option, .. } => Some(option),
            Action::Remove { .. } | Action::Manual { .. } | Action::Transform { .. } => None,
        }
    }

    /// Every option the action reads (not the one it writes).
    pub fn read(&self) -> Vec<&OptionRef> {
        match self {
            Action::Rename { from, .. } | Action::ValueMap { from, .. } => vec![from],
            Action::Remove { option, .. } => vec![option],
            Action::StripSuffix { .. } | Action::ListRemove { .. } | Action::Transform { .. } => {
                Vec::new()
            }
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
            match action {
                Action::Transform { name } if !TRANSFORMS.contains(&name.as_str()) => {
                    return Err(format!("rule {id}: unknown transform {name:?}"));
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
