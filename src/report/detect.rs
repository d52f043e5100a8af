//! `stackhop detect`: which releases a file fits, and why.

use crate::release::Catalog;
use crate::release::detect::{Detection, ranges};
use serde::Serialize;
use std::fmt::Write;

pub fn text(file: &str, catalog: &Catalog, d: &Detection) -> String {
    let mut out = String::new();
    let best: Vec<String> = d.best().iter().map(|r| r.info.name.clone()).collect();
    match best.as_slice() {
        [] => {
            let _ = writeln!(out, "{file}: no options to judge by");
            return out;
        }
        [one] => {
            let _ = writeln!(out, "{file}: fits {one} best");
        }
        many => {
            let _ = writeln!(
                out,
                "{file}: fits {} equally; the oldest, {}, is the one to upgrade from",
                ranges(catalog, many),
                many[0]
            );
        }
    }
    out.push_str("\nRELEASE     SCORE  CURRENT  OLD NAMES  UNKNOWN\n");
    for c in &d.candidates {
        let _ = writeln!(
            out,
            "{:<10}  {:>5}  {:>7}  {:>9}  {:>7}",
            c.release.info.name, c.score, c.current, c.old_names, c.unknown
        );
    }
    if !d.evidence.is_empty() {
        out.push_str("\nEvidence (options only some releases know):\n");
        for e in &d.evidence {
            let mut known = Vec::new();
            if !e.current_in.is_empty() {
                known.push(format!("current in {}", ranges(catalog, &e.current_in)));
            }
            if !e.old_name_in.is_empty() {
                known.push(format!(
                    "an old name in {}",
                    ranges(catalog, &e.old_name_in)
                ));
            }
            let _ = writeln!(
                out,
                "  line {}: [{}] {}: {}",
                e.line,
                e.section,
                e.key,
                known.join("; ")
            );
        }
    }
    out
}

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct Json<'a> {
    schema: u32,
    file: &'a str,
    best: Vec<&'a str>,
    guess: Option<&'a str>,
    candidates: Vec<CandidateJson<'a>>,
    evidence: Vec<EvidenceJson<'a>>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct CandidateJson<'a> {
    release: &'a str,
    score: i64,
    current: usize,
    old_names: usize,
    unknown: usize,
}

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct EvidenceJson<'a> {
    section: &'a str,
    key: &'a str,
    line: usize,
    current_in: &'a [String],
    old_name_in: &'a [String],
}

pub fn json(file: &str, d: &Detection) -> String {
    let doc = Json {
        schema: super::JSON_SCHEMA,
        file,
        best: d.best().iter().map(|r| r.name()).collect(),
        guess: d.guess().map(|r| r.name()),
        candidates: d
            .candidates
            .iter()
            .map(|c| CandidateJson {
                release: c.release.name(),
                score: c.score,
                current: c.current,
                old_names: c.old_names,
                unknown: c.unknown,
            })
            .collect(),
        evidence: d
            .evidence
            .iter()
            .map(|e| EvidenceJson {
                section: &e.section,
                key: &e.key,
                line: e.line,
                current_in: &e.current_in,
                old_name_in: &e.old_name_in,
            })
            .collect(),
    };
    super::json_text(&doc)
}
