//! A migration for people (a summary), programs (JSON) and reviewers (a
//! masked unified diff).

use super::redact::Redactor;
use super::style::{Paint, Style};
use crate::migrate::rules::Safety;
use crate::migrate::{Change, Migration, Snapshot};
use serde::Serialize;
use std::fmt::Write;

fn option(s: &Snapshot, secret: bool, r: Redactor) -> String {
    format!("[{}] {} = {}", s.section, s.key, r.value(&s.value, secret))
}

/// `juno → wallaby (13 hops)`.
pub fn route(m: &Migration) -> String {
    match m.hops.len() {
        0 => format!("{} → {} (nothing to do)", m.from, m.to),
        1 => format!("{} → {}", m.from, m.to),
        n => format!("{} → {} ({n} hops: {})", m.from, m.to, m.hops.join(", ")),
    }
}

/// How many changes need review.
pub fn reviews(m: &Migration) -> usize {
    m.changes
        .iter()
        .filter(|c| c.safety == Safety::Review)
        .count()
}

/// The summary: one line for the whole, one per change, then the manual steps.
pub fn text(file: &str, m: &Migration, r: Redactor, style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{file}: {}: {}, {} to review, {}, {} unchanged",
        route(m),
        super::plural(m.changes.len(), "change"),
        reviews(m),
        super::plural(m.manual.len(), "manual step"),
        m.unchanged
    );
    for c in &m.changes {
        change_line(&mut out, c, r, style);
    }
    if !m.manual.is_empty() {
        out.push_str("manual steps:\n");
        for step in &m.manual {
            let _ = writeln!(out, "  - [{}] {}: {}", step.release, step.rule, step.text);
        }
    }
    out
}

/// `[section] key = value` before and after, `(new)` and `removed` where
/// there is none.
fn before_after(c: &Change, r: Redactor) -> (String, String) {
    let before = c
        .before
        .as_ref()
        .map_or_else(|| "(new)".to_string(), |b| option(b, c.before_secret, r));
    let after = c
        .after
        .as_ref()
        .map_or_else(|| "removed".to_string(), |a| option(a, c.after_secret, r));
    (before, after)
}

fn change_line(out: &mut String, c: &Change, r: Redactor, style: Style) {
    let line = c
        .before
        .as_ref()
        .map(|b| format!("{:>4}", b.line))
        .unwrap_or_else(|| "   +".to_string());
    let (before, after) = before_after(c, r);
    let safety = match c.safety {
        Safety::Safe => style.paint("safe", Paint::Green),
        Safety::Review => style.paint("review", Paint::Yellow),
    };
    let _ = writeln!(
        out,
        "  {line}  {before}  →  {after}  [{} {}, {safety}]",
        c.rule, c.release
    );
    if let Some(note) = &c.note {
        let _ = writeln!(out, "        {}", style.paint(note, Paint::Dim));
    }
}

#[derive(Serialize)]
struct Json<'a> {
    schema: u32,
    file: &'a str,
    from: &'a str,
    to: &'a str,
    hops: &'a [String],
    changes: Vec<JsonChange<'a>>,
    manual: &'a [crate::migrate::Manual],
    unchanged: usize,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    rule: &'a str,
    kind: &'a str,
    safety: Safety,
    release: &'a str,
    before: Option<Snapshot>,
    after: Option<Snapshot>,
    note: Option<&'a str>,
    via: &'a [String],
}

fn masked(s: &Option<Snapshot>, secret: bool, r: Redactor) -> Option<Snapshot> {
    s.as_ref().map(|s| Snapshot {
        value: r.value(&s.value, secret).into_owned(),
        ..s.clone()
    })
}

/// `{"schema":1,"file","from","to","hops","changes","manual","unchanged"}`.
pub fn json(file: &str, m: &Migration, r: Redactor) -> String {
    let doc = Json {
        schema: super::JSON_SCHEMA,
        file,
        from: &m.from,
        to: &m.to,
        hops: &m.hops,
        changes: m
            .changes
            .iter()
            .map(|c| JsonChange {
                rule: &c.rule,
                kind: c.kind,
                safety: c.safety,
                release: &c.release,
                before: masked(&c.before, c.before_secret, r),
                after: masked(&c.after, c.after_secret, r),
                note: c.note.as_deref(),
                via: &c.via,
            })
            .collect(),
        manual: &m.manual,
        unchanged: m.unchanged,
    };
    super::json_text(&doc)
}

/// GitHub Actions workflow annotations: one per change (a warning when it
/// needs review, else a notice) anchored to the option's line in the input,
/// and one warning per manual step.
pub fn github(file: &str, m: &Migration, r: Redactor) -> String {
    use super::findings::{data, property};
    let mut out = String::new();
    for c in &m.changes {
        let level = match c.safety {
            Safety::Review => "warning",
            Safety::Safe => "notice",
        };
        let mut props = format!("file={}", property(file));
        if let Some(b) = &c.before {
            let _ = write!(props, ",line={}", b.line);
        }
        let _ = write!(
            props,
            ",title={}",
            property(&format!("{} {}", c.rule, c.kind))
        );
        let (before, after) = before_after(c, r);
        let mut message = format!("{before} → {after} (into {})", c.release);
        if let Some(note) = &c.note {
            let _ = write!(message, ": {note}");
        }
        let _ = writeln!(out, "::{level} {props}::{}", data(&message));
    }
    for s in &m.manual {
        let _ = writeln!(
            out,
            "::warning file={},title={}::{}",
            property(file),
            property(&format!("manual step {}", s.rule)),
            data(&format!("[{}] {}", s.release, s.text))
        );
    }
    out
}
