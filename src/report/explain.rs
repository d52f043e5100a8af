//! `stackhop explain`: a rule or a finding kind, in full.

use crate::check::Kind;
use crate::migrate::rules::{Action, Rule, Safety, display_spec};
use std::fmt::Write;

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn action(a: &Action) -> String {
    match a {
        Action::Rename { from, to } => {
            format!("rename {} to {}", display_spec(from), display_spec(to))
        }
        Action::Remove { option, reason } => format!("remove {} ({reason})", display_spec(option)),
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
                        .map(|w| display_spec(w))
                        .collect::<Vec<_>>()
                        .join(" and ")
                )
            };
            format!("set {} = {value}, if not set,{when}", display_spec(option))
        }
        Action::ValueMap { from, to, map } => format!(
            "replace {} by {}: {}",
            display_spec(from),
            display_spec(to),
            map.iter()
                .map(|(k, v)| format!("{k} → {v}"))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Action::MergeUrl {
            to,
            template,
            parts,
        } => format!(
            "build {} = {template} from {}",
            display_spec(to),
            parts
                .iter()
                .map(|(k, v)| format!("{k} = {}", display_spec(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Action::StripSuffix { option, suffix, .. } => {
            format!("drop {suffix} from the end of {}", display_spec(option))
        }
        Action::ListRemove {
            option,
            item,
            reason,
        } => {
            format!(
                "drop {item} from the list {} ({reason})",
                display_spec(option)
            )
        }
        Action::Manual { text, .. } => format!("manual step: {text}"),
        Action::Transform { name } => format!("transform {name} (implemented in stackhop)"),
    }
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
