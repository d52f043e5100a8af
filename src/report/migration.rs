//! A migration for people (a summary), programs (JSON) and CI (GitHub
//! annotations), rendered from its masked view.

use super::style::{Paint, Style};
use super::view::{ChangeView, ManualStepView, MigrationView, OptionView};
use crate::migrate::rules::Safety;
use std::fmt::Write;

/// A value on one line: line breaks show as ⏎, so that a multi-line value
/// keeps a line of the summary one line.
pub fn one_line(value: &str) -> String {
    if value.contains(['\n', '\r']) {
        value.replace("\r\n", " ⏎ ").replace(['\n', '\r'], " ⏎ ")
    } else {
        value.to_string()
    }
}

fn option(o: &OptionView) -> String {
    format!("[{}] {} = {}", o.section, o.key, one_line(&o.value))
}

/// `[section] key = value` before and after, `(new)` and `removed` where
/// there is none.
fn before_after(c: &ChangeView) -> (String, String) {
    let before = c
        .before
        .as_ref()
        .map_or_else(|| "(new)".to_string(), option);
    let after = c
        .after
        .as_ref()
        .map_or_else(|| "removed".to_string(), option);
    (before, after)
}

/// ` (if this node is not on Stein yet)` for what depends on a guessed
/// source release.
fn condition(if_not_yet_on: &Option<String>) -> String {
    if_not_yet_on
        .as_deref()
        .map(|r| format!(" (only if this node is not on {r} yet)"))
        .unwrap_or_default()
}

/// `[stein] service:nova-cert (controller):` the head of a manual step.
pub fn step_head(s: &ManualStepView) -> String {
    let who = s.who();
    if who.is_empty() {
        format!("[{}] {}", s.release, s.rule)
    } else {
        format!("[{}] {} ({who})", s.release, s.rule)
    }
}

/// The summary: one line for the whole, one per change, then the manual steps.
pub fn text(v: &MigrationView, style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {}: {}, {} to review, {}, {} unchanged",
        v.file,
        v.route(),
        super::plural(v.changes.len(), "change"),
        v.reviews(),
        super::plural(v.manual.len(), "manual step"),
        v.unchanged
    );
    if let Some(d) = v.detected.as_ref().filter(|d| d.fits.len() > 1) {
        let _ = writeln!(
            out,
            "  the file fits {} equally: migrated from {}; what the hops up to {} do is needed only if this node is not on that release yet",
            d.range,
            v.from,
            d.fits.last().map_or(v.from.as_str(), String::as_str)
        );
    }
    for c in &v.changes {
        change_line(&mut out, c, style);
    }
    if !v.manual.is_empty() {
        out.push_str("manual steps:\n");
        for step in &v.manual {
            let _ = writeln!(
                out,
                "  - {}: {}{}",
                step_head(step),
                one_line(&step.text),
                condition(&step.if_not_yet_on)
            );
            for command in &step.commands {
                let _ = writeln!(out, "      $ {}", one_line(command));
            }
        }
    }
    out
}

fn change_line(out: &mut String, c: &ChangeView, style: Style) {
    let line = c
        .before
        .as_ref()
        .map(|b| format!("{:>4}", b.line))
        .unwrap_or_else(|| "   +".to_string());
    let (before, after) = before_after(c);
    let safety = match c.safety {
        Safety::Safe => style.paint("safe", Paint::Green),
        Safety::Review => style.paint("review", Paint::Yellow),
    };
    let _ = writeln!(
        out,
        "  {line}  {before}  →  {after}  [{} {}, {safety}]{}",
        c.rule,
        c.release,
        condition(&c.if_not_yet_on)
    );
    if let Some(note) = &c.note {
        let _ = writeln!(out, "        {}", style.paint(&one_line(note), Paint::Dim));
    }
}

/// `{"schema":1,"file","from","to","hops","changes","manual","unchanged"}`.
pub fn json(v: &MigrationView) -> String {
    super::json_text(v)
}

/// GitHub Actions workflow annotations: one per change (a warning when it
/// needs review, else a notice) anchored to the option's line in the input,
/// and one warning per manual step.
pub fn github(v: &MigrationView) -> String {
    use super::findings::{data, property};
    let mut out = String::new();
    for c in &v.changes {
        let level = match c.safety {
            Safety::Review => "warning",
            Safety::Safe => "notice",
        };
        let mut props = format!("file={}", property(&v.file));
        if let Some(b) = &c.before {
            let _ = write!(props, ",line={}", b.line);
        }
        let _ = write!(
            props,
            ",title={}",
            property(&format!("{} {}", c.rule, c.kind))
        );
        let (before, after) = before_after(c);
        let mut message = format!("{before} → {after} (into {})", c.release);
        if let Some(note) = &c.note {
            let _ = write!(message, ": {note}");
        }
        message.push_str(&condition(&c.if_not_yet_on));
        let _ = writeln!(out, "::{level} {props}::{}", data(&message));
    }
    for s in &v.manual {
        let _ = writeln!(
            out,
            "::warning file={},title={}::{}",
            property(&v.file),
            property(&format!("manual step {}", s.rule)),
            data(&format!(
                "{}: {}{}",
                step_head(s),
                s.text,
                condition(&s.if_not_yet_on)
            ))
        );
    }
    out
}
