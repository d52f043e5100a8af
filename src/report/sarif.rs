//! SARIF 2.1.0 (the Static Analysis Results Interchange Format) for
//! code-scanning views: `check --format sarif` and `migrate --check
//! --format sarif`.
//!
//! One run, whose tool driver is stackhop with every rule it can report
//! (every finding kind of `check`; every migration rule, the built-in ones
//! and the manual steps' sources for `migrate`), and one result per finding,
//! change or manual step, anchored to the file (a path relative to the
//! repository root, `%SRCROOT%`) and line. Rendered from the masked views
//! only: a value shown here went through the redactor.

use super::view::{CheckView, FindingView, MigrationView};
use crate::check::{KINDS, Severity};
use crate::migrate::RuleBook;
use crate::migrate::rules::Safety;
use serde_json::{Value, json};

/// The SARIF version written, and its schema.
pub const VERSION: &str = "2.1.0";
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// How a file name shown in a view becomes an artifact location: its path
/// relative to the repository root, with `/` separators (`None`: leave the
/// name as it is, without a base).
pub type Uri<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The findings of `check` (one view per release checked against).
pub fn check(views: &[&CheckView], uri: Uri) -> String {
    let rules: Vec<Value> = KINDS
        .iter()
        .map(|k| {
            rule(
                k.code,
                k.name,
                k.summary,
                k.why,
                level(k.severity),
                &format!("stackhop explain {}", k.code),
            )
        })
        .collect();
    let mut results = Vec::new();
    for v in views {
        for f in &v.findings {
            results.push(finding(f, &v.release, uri));
        }
    }
    document(rules, results)
}

fn finding(f: &FindingView, release: &str, uri: Uri) -> Value {
    let mut message = f.message.clone();
    if let Some(v) = &f.value {
        message.push_str(&format!(" (value: {v:?})"));
    }
    if let Some(s) = &f.suggestion {
        message.push_str(&format!(". Suggestion: {s}"));
    }
    let index = KINDS.iter().position(|k| k.code == f.code);
    let mut r = json!({
        "ruleId": f.code,
        "level": level(f.severity),
        "message": {"text": message},
        "locations": [location(&f.file, f.line, uri)],
        "properties": {"name": f.name, "release": release},
    });
    if let Some(i) = index {
        r["ruleIndex"] = json!(i);
    }
    r
}

/// The changes and manual steps of migrations (`migrate --check`): a
/// change to review is a warning, a safe one a note, a manual step a
/// warning.
pub fn migration(views: &[&MigrationView], book: &RuleBook, uri: Uri) -> String {
    let mut rules: Vec<Value> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for (release, r) in book.all() {
        let level = match r.safety {
            Safety::Review => "warning",
            Safety::Safe => "note",
        };
        rules.push(rule(
            &r.id,
            &r.id,
            &r.summary,
            &format!("{} (rules into {release})", r.why),
            level,
            &format!("stackhop explain {}", r.id),
        ));
        ids.push(r.id.clone());
    }
    for (id, summary, why) in crate::migrate::builtin::ALL {
        rules.push(rule(id, id, summary, why, "note", "built in"));
        ids.push(id.to_string());
    }
    let mut results = Vec::new();
    let mut index = |id: &str, rules: &mut Vec<Value>, summary: &str| -> usize {
        match ids.iter().position(|i| i == id) {
            Some(i) => i,
            None => {
                // A manual step from release data (`service:nova-cert`,
                // a requirement) rather than from a rule.
                rules.push(rule(id, id, summary, summary, "warning", "release data"));
                ids.push(id.to_string());
                ids.len() - 1
            }
        }
    };
    for v in views {
        for c in &v.changes {
            let i = index(&c.rule, &mut rules, "a change");
            let level = match c.safety {
                Safety::Review => "warning",
                Safety::Safe => "note",
            };
            let shown = |o: &Option<super::view::OptionView>| {
                o.as_ref()
                    .map_or_else(|| "(nothing)".to_string(), |o| o.assignment())
            };
            let mut message = format!(
                "{} → {} ({} into {}, {})",
                shown(&c.before),
                shown(&c.after),
                c.kind,
                c.release,
                level_word(c.safety)
            );
            if let Some(note) = &c.note {
                message.push_str(&format!(": {note}"));
            }
            if let Some(r) = &c.if_not_yet_on {
                message.push_str(&format!(" (only if this node is not on {r} yet)"));
            }
            let line = c.before.as_ref().map(|b| b.line);
            results.push(json!({
                "ruleId": c.rule,
                "ruleIndex": i,
                "level": level,
                "message": {"text": message},
                "locations": [location(&v.file, line, uri)],
                "properties": {"kind": c.kind, "from": v.from, "to": v.to, "release": c.release},
            }));
        }
        for s in &v.manual {
            let i = index(&s.rule, &mut rules, "a manual step");
            let mut message = format!("manual step at {}: {}", s.release, s.text);
            if let Some(r) = &s.if_not_yet_on {
                message.push_str(&format!(" (only if this node is not on {r} yet)"));
            }
            results.push(json!({
                "ruleId": s.rule,
                "ruleIndex": i,
                "level": "warning",
                "message": {"text": message},
                "locations": [location(&v.file, None, uri)],
                "properties": {"kind": "manual", "from": v.from, "to": v.to, "release": s.release},
            }));
        }
    }
    document(rules, results)
}

fn level_word(s: Safety) -> &'static str {
    match s {
        Safety::Review => "review",
        Safety::Safe => "safe",
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(id: &str, name: &str, summary: &str, why: &str, level: &str, help: &str) -> Value {
    json!({
        "id": id,
        "name": name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": why},
        "help": {"text": help},
        "defaultConfiguration": {"level": level},
    })
}

fn location(file: &str, line: Option<usize>, uri: Uri) -> Value {
    let artifact = match uri(file) {
        Some(u) => json!({"uri": u, "uriBaseId": "%SRCROOT%"}),
        None => json!({"uri": file}),
    };
    let mut physical = json!({"artifactLocation": artifact});
    if let Some(line) = line.filter(|l| *l > 0) {
        physical["region"] = json!({"startLine": line});
    }
    json!({"physicalLocation": physical})
}

fn document(rules: Vec<Value>, results: Vec<Value>) -> String {
    let doc = json!({
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": "stackhop",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    super::json_text(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::redact::Redactor;

    #[test]
    fn an_empty_check_is_one_run_with_every_rule() {
        let view = CheckView::new("wallaby", "Wallaby", [], Redactor::new(false));
        let out: Value = serde_json::from_str(&check(&[&view], &|f| Some(f.to_string()))).unwrap();
        assert_eq!(out["version"], "2.1.0");
        let run = &out["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "stackhop");
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().unwrap().len(),
            KINDS.len()
        );
        assert_eq!(run["results"].as_array().unwrap().len(), 0);
    }
}
