//! What nova reads from a file: every assignment in file order.

use crate::conf::{Document, LineProblem};
use serde::Serialize;
use std::fmt::Write;

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct Json<'a> {
    schema: u32,
    file: &'a str,
    options: Vec<JsonOption<'a>>,
    problems: Vec<JsonProblem>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct JsonOption<'a> {
    section: &'a str,
    key: std::borrow::Cow<'a, str>,
    value: std::borrow::Cow<'a, str>,
    line: usize,
}

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct JsonProblem {
    line: usize,
    reason: String,
}

/// `{"schema":1,"file":…,"options":[{"section","key","value","line"}…],"problems":[…]}`.
pub fn json(file: &str, doc: &Document, problems: &[LineProblem]) -> String {
    let out = Json {
        schema: super::JSON_SCHEMA,
        file,
        options: doc
            .entries()
            .map(|e| JsonOption {
                section: e.section(),
                key: e.key(),
                value: e.value(),
                line: e.line(),
            })
            .collect(),
        problems: problems
            .iter()
            .map(|p| JsonProblem {
                line: p.line,
                reason: p.problem.to_string(),
            })
            .collect(),
    };
    super::json_text(&out)
}

/// The options under their section headers, each with its line number;
/// continuation lines of a value indented under its first line.
pub fn text(doc: &Document) -> String {
    let width = doc.line_count().max(1).to_string().len();
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for e in doc.entries() {
        if current != Some(e.section()) {
            current = Some(e.section());
            let _ = writeln!(out, "[{}]", e.section());
        }
        let key = e.key();
        let value = e.value();
        let mut pieces = value.split('\n');
        let _ = writeln!(
            out,
            "{:>width$}  {key} = {}",
            e.line(),
            pieces.next().unwrap_or_default()
        );
        let indent = width + 2 + key.chars().count() + 3;
        for piece in pieces {
            let _ = writeln!(out, "{:indent$}{piece}", "");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_has_one_entry_per_assignment_in_file_order() {
        let doc =
            Document::parse("[DEFAULT]\ndebug = True\n[vnc]\nenabled: 'true'\n  x\n").unwrap();
        let v: serde_json::Value = serde_json::from_str(&json("n.conf", &doc, &[])).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "schema": 1, "file": "n.conf", "problems": [],
                "options": [
                    {"section": "DEFAULT", "key": "debug", "value": "True", "line": 2},
                    {"section": "vnc", "key": "enabled", "value": "true\nx", "line": 4},
                ]
            })
        );
    }

    #[test]
    fn text_groups_by_section_with_line_numbers() {
        let doc = Document::parse("[DEFAULT]\ndebug = True\n[vnc]\nenabled = a\n  b\n").unwrap();
        assert_eq!(
            text(&doc),
            "[DEFAULT]\n2  debug = True\n[vnc]\n4  enabled = a\n             b\n"
        );
    }
}
