//! What nova reads from a file: every assignment in file order.
//!
//! Both renderings are written as they go, so that a large file is shown
//! without holding a second copy of it: [`Text`] takes one assignment at a
//! time, [`write_json`] asks for them while it writes. [`text`] and
//! [`json`] render a [`Document`].

use crate::conf::{Document, LineProblem};
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};
use std::borrow::Cow;
use std::io::{self, Write};

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct Json<'a, O> {
    schema: u32,
    file: &'a str,
    options: O,
    problems: Vec<JsonProblem>,
}

/// One assignment, as the JSON output shows it.
#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonOption<'a> {
    pub section: &'a str,
    pub key: Cow<'a, str>,
    pub value: Cow<'a, str>,
    pub line: usize,
}

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct JsonProblem {
    line: usize,
    reason: String,
}

/// The assignments, serialized as `each` hands them over (it gets a sink
/// that returns false when it should stop).
struct Options<F>(F);

impl<F> Serialize for Options<F>
where
    F: Fn(&mut dyn FnMut(JsonOption<'_>) -> bool),
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        let mut failed = None;
        (self.0)(&mut |o| match seq.serialize_element(&o) {
            Ok(()) => true,
            Err(e) => {
                failed = Some(e);
                false
            }
        });
        match failed {
            Some(e) => Err(e),
            None => seq.end(),
        }
    }
}

/// `{"schema":1,"file":…,"options":[{"section","key","value","line"}…],"problems":[…]}`,
/// pretty-printed, with a final newline. `each` hands every assignment, in
/// file order, to the sink it is given, and stops when the sink returns
/// false.
pub fn write_json(
    out: &mut dyn Write,
    file: &str,
    each: impl Fn(&mut dyn FnMut(JsonOption<'_>) -> bool),
    problems: &[LineProblem],
) -> io::Result<()> {
    let json = Json {
        schema: super::JSON_SCHEMA,
        file,
        options: Options(each),
        problems: problems
            .iter()
            .map(|p| JsonProblem {
                line: p.line,
                reason: p.problem.to_string(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    out.write_all(b"\n")
}

/// [`write_json`] of a document.
pub fn json(file: &str, doc: &Document, problems: &[LineProblem]) -> String {
    let mut out = Vec::new();
    write_json(
        &mut out,
        file,
        |sink| {
            for e in doc.entries() {
                let o = JsonOption {
                    section: e.section(),
                    key: e.key(),
                    value: e.value(),
                    line: e.line(),
                };
                if !sink(o) {
                    break;
                }
            }
        },
        problems,
    )
    .expect("writing to memory");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// The options under their section headers, each with its line number;
/// continuation lines of a value indented under its first line. Written as
/// the assignments come, in file order.
pub struct Text<W: Write> {
    out: W,
    /// Digits of the last line number.
    width: usize,
    section: Option<String>,
}

impl<W: Write> Text<W> {
    /// For a file of `lines` lines.
    pub fn new(out: W, lines: usize) -> Text<W> {
        Text {
            out,
            width: lines.max(1).to_string().len(),
            section: None,
        }
    }

    pub fn option(&mut self, section: &str, key: &str, value: &str, line: usize) -> io::Result<()> {
        if self.section.as_deref() != Some(section) {
            self.section = Some(section.to_string());
            writeln!(self.out, "[{section}]")?;
        }
        let width = self.width;
        let mut pieces = value.split('\n');
        writeln!(
            self.out,
            "{line:>width$}  {key} = {}",
            pieces.next().unwrap_or_default()
        )?;
        let indent = width + 2 + key.chars().count() + 3;
        for piece in pieces {
            writeln!(self.out, "{:indent$}{piece}", "")?;
        }
        Ok(())
    }

    pub fn finish(self) -> W {
        self.out
    }
}

/// [`Text`] of a document.
pub fn text(doc: &Document) -> String {
    let mut out = Text::new(Vec::new(), doc.line_count());
    for e in doc.entries() {
        out.option(e.section(), &e.key(), &e.value(), e.line())
            .expect("writing to memory");
    }
    String::from_utf8(out.finish()).expect("the text is UTF-8")
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
