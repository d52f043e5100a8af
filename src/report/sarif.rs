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

use super::view::{FindingView, MigrationView};
use crate::check::{KINDS, Severity};
use crate::migrate::RuleBook;
use crate::migrate::rules::Safety;
use serde::Serialize;
use serde_json::{Value, json};

/// The SARIF version written, and its schema.
pub const VERSION: &str = "2.1.0";
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// How a file name shown in a view becomes an artifact location: its path
/// relative to the repository root, with `/` separators (`None`: leave the
/// name as it is, without a base).
pub type Uri<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The findings of `check` (of every release checked against) as one
/// run, written a finding at a time as the findings come: a file with
/// millions of findings never has them all (as views or as JSON) at once.
pub fn check_stream() -> Stream {
    Stream::new(check_rules())
}

/// One finding of `check` against `release`, for [`Stream::result`].
pub fn check_result<'a>(f: &'a FindingView, release: &'a str, uri: Uri) -> CheckResult<'a> {
    result_of(f, release, uri)
}

fn check_rules() -> Vec<Value> {
    KINDS
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
        .collect()
}

/// A SARIF document written a result at a time: the bytes [`document`]
/// makes of the same rules and results.
pub struct Stream {
    /// The document up to its first result, and from its last one on.
    head: String,
    tail: String,
    /// Each line of a result starts with this.
    indent: String,
    /// The document without results.
    empty: String,
    started: bool,
}

impl Stream {
    fn new(rules: Vec<Value>) -> Stream {
        // The document with one result, a string no real result is, cut
        // around the line that holds it.
        const MARK: &str = "\u{1}stackhop results\u{1}";
        let marked = document(rules.clone(), vec![json!(MARK)]);
        let quoted = serde_json::to_string(MARK).expect("a string serializes");
        let at = marked.find(&quoted).expect("the mark is in the document");
        let start = marked[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = at + quoted.len();
        Stream {
            head: marked[..start].to_string(),
            tail: marked[end..].to_string(),
            indent: marked[start..at].to_string(),
            empty: document(rules, Vec::new()),
            started: false,
        }
    }

    /// Writes one result.
    pub fn result(
        &mut self,
        r: &impl Serialize,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        if self.started {
            out.write_all(b",\n")?;
        } else {
            out.write_all(self.head.as_bytes())?;
            self.started = true;
        }
        let text = serde_json::to_string_pretty(r).expect("plain data serializes");
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.write_all(b"\n")?;
            }
            out.write_all(self.indent.as_bytes())?;
            out.write_all(line.as_bytes())?;
        }
        Ok(())
    }

    /// Writes the rest of the document.
    pub fn finish(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let rest = if self.started {
            &self.tail
        } else {
            &self.empty
        };
        out.write_all(rest.as_bytes())
    }
}

/// A result of `check`, typed: serialised, the same bytes as its
/// `serde_json::Value` (whose keys are sorted), made without a map a key.
#[derive(Serialize)]
pub struct CheckResult<'a> {
    level: &'static str,
    locations: [Location; 1],
    message: Message,
    properties: Properties<'a>,
    #[serde(rename = "ruleId")]
    rule_id: &'a str,
    #[serde(rename = "ruleIndex", skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
}

#[derive(Serialize)]
struct Location {
    #[serde(rename = "physicalLocation")]
    physical: Physical,
}

#[derive(Serialize)]
struct Physical {
    #[serde(rename = "artifactLocation")]
    artifact: Artifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct Artifact {
    uri: String,
    #[serde(rename = "uriBaseId", skip_serializing_if = "Option::is_none")]
    base: Option<&'static str>,
}

#[derive(Serialize)]
struct Region {
    #[serde(rename = "startLine")]
    start_line: usize,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct Properties<'a> {
    name: &'a str,
    release: &'a str,
}

fn result_of<'a>(f: &'a FindingView, release: &'a str, uri: Uri) -> CheckResult<'a> {
    let mut message = f.message.clone();
    if let Some(v) = &f.value {
        message.push_str(&format!(" (value: {v:?})"));
    }
    if let Some(s) = &f.suggestion {
        message.push_str(&format!(". Suggestion: {s}"));
    }
    CheckResult {
        level: level(f.severity),
        locations: [typed_location(&f.file, f.line, uri)],
        message: Message { text: message },
        properties: Properties {
            name: f.name,
            release,
        },
        rule_id: f.code,
        rule_index: KINDS.iter().position(|k| k.code == f.code),
    }
}

fn typed_location(file: &str, line: Option<usize>, uri: Uri) -> Location {
    let artifact = match uri(file) {
        Some(uri) => Artifact {
            uri,
            base: Some("%SRCROOT%"),
        },
        None => Artifact {
            uri: file.to_string(),
            base: None,
        },
    };
    Location {
        physical: Physical {
            artifact,
            region: line
                .filter(|l| *l > 0)
                .map(|start_line| Region { start_line }),
        },
    }
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
    use crate::report::view::CheckView;

    /// The whole document of views, made at once: what the stream must
    /// write.
    fn check(views: &[&CheckView], uri: Uri) -> String {
        let results = views
            .iter()
            .flat_map(|v| v.findings.iter().map(|f| (f, v.release.as_str())))
            .map(|(f, release)| serde_json::to_value(result_of(f, release, uri)).unwrap())
            .collect();
        document(check_rules(), results)
    }

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

    #[test]
    fn a_streamed_document_is_the_same_bytes() {
        use crate::check::Finding;
        let uri = |f: &str| Some(format!("etc/{f}"));
        for n in [0, 1, 3] {
            let findings: Vec<Finding> = (0..n)
                .map(|i| Finding {
                    code: "C104",
                    name: "removed-option",
                    severity: Severity::Error,
                    line: Some(i + 1),
                    section: Some("DEFAULT".into()),
                    key: Some("k".into()),
                    message: format!("message {i}"),
                    suggestion: Some("a \"quoted\"\nsuggestion".into()),
                    value: Some("v".into()),
                    secret: i == 1,
                })
                .collect();
            let view = CheckView::new(
                "wallaby",
                "Wallaby",
                [("nova.conf", &findings[..])],
                Redactor::new(false),
            );
            let whole = check(&[&view], &uri);
            let mut stream = check_stream();
            let mut out = Vec::new();
            for f in &view.findings {
                stream
                    .result(&check_result(f, "wallaby", &uri), &mut out)
                    .unwrap();
            }
            stream.finish(&mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), whole, "{n} findings");
        }
    }
}
