//! The shape of `migrations/<release>.toml`: the rules that take a nova.conf
//! into that release. Shared, as a `#[path]` module, by the migrate room and
//! by `build.rs`, which validates the rules and embeds them. Uses nothing but
//! `std` and `serde`.

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
    pub roles: Vec<String>,
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

/// What a rule does. Options are written `group/name`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Action {
    /// Moves an option to a new name or section; the value is kept. When the
    /// new name is already set, it wins and the old one is dropped.
    Rename { from: String, to: String },
    /// Deletes an option nova no longer reads.
    Remove { option: String, reason: String },
    /// Sets an option that is not set, when every option of `when_set` is
    /// and none of `when_missing`.
    Set {
        option: String,
        value: String,
        #[serde(default)]
        when_set: Vec<String>,
        #[serde(default)]
        when_missing: Vec<String>,
        /// Why the value is an assumption (makes the change a review).
        #[serde(default)]
        assumed: Option<String>,
    },
    /// Replaces an option by another whose value depends on it.
    ValueMap {
        from: String,
        to: String,
        map: BTreeMap<String, String>,
    },
    /// Builds a URL from several options (`{protocol}://{host}:{port}`) and
    /// removes them; a part that is not set takes its default in the
    /// release before the rule's.
    MergeUrl {
        to: String,
        template: String,
        parts: BTreeMap<String, String>,
    },
    /// Removes an item from a list value (`ec2` from `ec2,osapi_compute`).
    ListRemove {
        option: String,
        item: String,
        reason: String,
    },
    /// Removes a suffix (such as `/v2.0`) from a URL value.
    StripSuffix {
        option: String,
        suffix: String,
        note: String,
    },
    /// Something editing cannot do. Shown when every option of `when_set` is
    /// set, none of `when_missing` is, and `when_value` holds.
    Manual {
        text: String,
        #[serde(default)]
        when_set: Vec<String>,
        #[serde(default)]
        when_missing: Vec<String>,
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
    pub option: String,
    pub is: Vec<String>,
}

/// Transforms implemented in Rust.
pub const TRANSFORMS: &[&str] = &["rabbit-transport-url"];

impl Action {
    /// The option the action writes, if it writes one.
    pub fn written(&self) -> Option<&str> {
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

    /// Every option the action names.
    pub fn options(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        match self {
            Action::Rename { from, to } | Action::ValueMap { from, to, .. } => {
                out.push(from);
                out.push(to);
            }
            Action::Remove { option, .. }
            | Action::StripSuffix { option, .. }
            | Action::ListRemove { option, .. } => out.push(option),
            Action::Set {
                option,
                when_set,
                when_missing,
                ..
            } => {
                out.push(option);
                out.extend(when_set.iter().map(String::as_str));
                out.extend(when_missing.iter().map(String::as_str));
            }
            Action::MergeUrl { to, parts, .. } => {
                out.push(to);
                out.extend(parts.values().map(String::as_str));
            }
            Action::Manual {
                when_set,
                when_missing,
                when_value,
                ..
            } => {
                out.extend(when_set.iter().map(String::as_str));
                out.extend(when_missing.iter().map(String::as_str));
                out.extend(when_value.iter().map(|v| v.option.as_str()));
            }
            Action::Transform { .. } => {}
        }
        out
    }
}

/// `group/name` (or a bare `name`, in DEFAULT) as `[group] name`.
pub fn display_spec(spec: &str) -> String {
    let (g, n) = spec.split_once('/').unwrap_or(("DEFAULT", spec));
    format!("[{g}] {n}")
}

fn option_ref(s: &str) -> bool {
    s.split_once('/').is_some_and(|(g, n)| {
        !g.is_empty() && !n.is_empty() && !n.contains('/') && !s.contains(char::is_whitespace)
    })
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
        for role in &rule.roles {
            if !matches!(role.as_str(), "controller" | "compute") {
                return Err(format!("rule {id}: unknown role {role:?}"));
            }
        }
        for action in &rule.actions {
            for opt in action.options() {
                if !option_ref(opt) {
                    return Err(format!("rule {id}: {opt:?} is not group/name"));
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
