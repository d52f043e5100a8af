//! `stackhop explain`: a rule or a finding kind, in full.

use crate::check::Kind;
use crate::migrate::rules::{Action, Rule, Safety, ValueCondition};
use std::fmt::Write;

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn condition(c: &ValueCondition) -> String {
    c.describe()
}

fn action(a: &Action) -> String {
    match a {
        Action::Rename {
            from,
            to,
            when_value,
        } => match when_value {
            Some(c) => format!("rename {from} to {to}, {}", condition(c)),
            None => format!("rename {from} to {to}"),
        },
        Action::Remove { option, reason } => format!("remove {} ({reason})", option),
        Action::Set {
            option,
            value,
            when_set,
            ..
        } => {
            let when = if when_set.is_empty() {
                String::new()
            } else {
                format!(
                    " when {} is set",
                    when_set
                        .iter()
                        .map(|w| w.to_string())
                        .collect::<Vec<_>>()
                        .join(" and ")
                )
            };
            format!("set {} = {value}, if not set,{when}", option)
        }
        Action::ValueMap { from, to, map, .. } if from == to => {
            format!("rewrite each value of {from}: {}", pairs(map))
        }
        Action::ValueMap { from, to, map, .. } => {
            format!("replace {} by {}: {}", from, to, pairs(map))
        }
        Action::ListMap {
            option,
            map,
            reason,
        } => format!("in the list {option}: {} ({reason})", pairs(map)),
        Action::ReplacePrefix {
            option, from, to, ..
        } if to.is_empty() => format!("drop a leading {from} from {option}"),
        Action::ReplacePrefix {
            option, from, to, ..
        } => format!("write a leading {from} of {option} as {to}"),
        Action::ListAddScheme {
            option,
            scheme,
            unless_contains,
            ..
        } => format!(
            "put {scheme} before each item of {option} without {unless_contains} (a template placeholder is left, as a manual step)"
        ),
        Action::MergeUrl {
            to,
            template,
            parts,
        } => format!(
            "build {} = {template} from {}",
            to,
            parts
                .iter()
                .map(|(k, v)| format!("{k} = {}", v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Action::StripSuffix { option, suffix, .. } => {
            format!("drop {suffix} from the end of {}", option)
        }
        Action::ListRemove {
            option,
            item,
            reason,
        } => {
            format!("drop {item} from the list {} ({reason})", option)
        }
        Action::Manual {
            text,
            commands,
            when_set,
            when_missing,
            when_value,
            ..
        } => {
            let mut when = Vec::new();
            if !when_set.is_empty() {
                when.push(format!("when {} set", options(when_set)));
            }
            if !when_missing.is_empty() {
                when.push(format!("when {} not set", options(when_missing)));
            }
            if let Some(c) = when_value {
                when.push(condition(c));
            }
            let when = if when.is_empty() {
                String::new()
            } else {
                format!(" ({})", when.join(", "))
            };
            let mut out = format!("manual step{when}: {text}");
            for c in commands {
                let _ = write!(out, "\n    $ {c}");
            }
            out
        }
        Action::Transform {
            name,
            reads,
            writes,
        } => {
            let into = writes
                .as_ref()
                .map(|w| format!(" into {w}"))
                .unwrap_or_default();
            format!(
                "transform {name} (implemented in stackhop): carries {}{into}",
                options(reads)
            )
        }
    }
}

/// `a → b; c → (dropped)`.
fn pairs(map: &std::collections::BTreeMap<String, String>) -> String {
    map.iter()
        .map(|(k, v)| {
            if v.is_empty() {
                format!("{k} → (dropped)")
            } else {
                format!("{k} → {v}")
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `[a] b, [c] d`.
fn options(list: &[crate::conf::OptionRef]) -> String {
    list.iter()
        .map(|o| o.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn rule(release: &str, rule: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", rule.id, rule.summary);
    let _ = writeln!(
        out,
        "release: {release} (applies to a config migrated into {release} or later)"
    );
    let safety = match rule.safety {
        Safety::Safe => "safe (what nova reads does not change)",
        Safety::Review => {
            "review (a value was assumed or the meaning may change: a reviewer must look)"
        }
    };
    let _ = writeln!(out, "safety: {safety}");
    out.push_str("\nwhat it does:\n");
    for a in &rule.actions {
        let _ = writeln!(out, "  - {}", action(a));
    }
    let _ = writeln!(out, "\nwhy:\n{}", indent(rule.why.trim()));
    if let Some(c) = &rule.check {
        let from = c.from.as_deref().unwrap_or(release);
        let level = match c.severity {
            crate::release::successors::Level::Error => "an error",
            crate::release::successors::Level::Warning => "a warning",
            crate::release::successors::Level::Info => "information",
        };
        let _ = writeln!(out, "\ncheck reports it from {from} on, as {level}");
        if let Some(stale) = &c.stale {
            let _ = writeln!(out, "{}", indent(stale.trim()));
        }
    }
    out.push_str("\nevidence:\n");
    for e in &rule.evidence {
        let _ = writeln!(out, "  - {e}");
    }
    if let Some(ex) = &rule.example {
        let _ = writeln!(
            out,
            "\nexample, before:\n{}\nafter:\n{}",
            indent(&ex.before),
            indent(&ex.after)
        );
    }
    out
}

/// A built-in step of the engine (no rule file): its summary and why.
pub fn builtin(id: &str, summary: &str, why: &str) -> String {
    format!("{id}: {summary}\n\nwhy:\n  {why}\n")
}

pub fn finding(kind: &Kind) -> String {
    format!(
        "{} {}: {}\nseverity: {}\n\nwhy:\n  {}\n",
        kind.code,
        kind.name,
        kind.summary,
        kind.severity.as_str(),
        kind.why
    )
}

/// The explanation of `id`: a rule of `book`, a rule built into the engine,
/// or a finding code (or name) of `check`. `None` when nothing has that id.
pub fn lookup(id: &str, book: &crate::migrate::RuleBook) -> Option<String> {
    use crate::migrate::builtin;
    if let Some((release, r)) = book.find(id) {
        return Some(rule(release, r));
    }
    if let Some((id, summary, why)) = builtin::ALL
        .iter()
        .find(|(b, ..)| b.eq_ignore_ascii_case(id))
    {
        return Some(builtin(id, summary, why));
    }
    Kind::by_code(id)
        .or_else(|| crate::extract::lint::kind_by_code(id))
        .map(finding)
}

/// What `explain` knows, for a message when an id is unknown.
pub fn known_ids(book: &crate::migrate::RuleBook) -> String {
    let rules: Vec<&str> = book.all().map(|(_, r)| r.id.as_str()).collect();
    let builtins: Vec<&str> = crate::migrate::builtin::ALL
        .iter()
        .map(|(id, ..)| *id)
        .collect();
    let first = crate::check::KINDS.first().map_or("", |k| k.code);
    let last = crate::check::KINDS
        .iter()
        .map(|k| k.code)
        .max()
        .unwrap_or("");
    format!(
        "rules: {}, {}; findings: {first}-{last} (see stackhop check --help)",
        rules.join(", "),
        builtins.join(", ")
    )
}
