//! Pull-request comments (GitHub-flavoured Markdown) for a migration and for
//! a comparison: a one-line verdict, a table of changes, checklists of what
//! to do by hand and what to review, and the unified diff folded away.

use super::compare::{Delta, DeltaKind, Reading};
use super::plural;
use super::redact::Redactor;
use crate::migrate::rules::Safety;
use crate::migrate::{Change, Migration, Snapshot};
use std::fmt::Write;

/// Plain text, with what Markdown (and a table cell) would read specially
/// escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// An inline code span holding `text` exactly, safe in a table cell: the
/// fence is longer than any run of backticks inside, pipes are escaped, and
/// line breaks show as ⏎.
pub fn code(text: &str) -> String {
    if text.is_empty() {
        return "*empty*".to_string();
    }
    let text = text.replace("\r\n", " ⏎ ").replace(['\n', '\r'], " ⏎ ");
    let fence = "`".repeat(longest_backtick_run(&text) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}").replace('|', "\\|")
}

/// The unified diff in a collapsed `<details>` block.
fn details(out: &mut String, title: &str, diff: &str) {
    if diff.is_empty() {
        return;
    }
    // Longer than any run of backticks anywhere in the diff: a line may
    // close a fence after up to three spaces, and a diff line starts with
    // one.
    let fence = "`".repeat(longest_backtick_run(diff).max(2) + 1);
    let _ = write!(
        out,
        "\n<details>\n<summary>{}</summary>\n\n{fence}diff\n{diff}",
        escape(title)
    );
    if !diff.ends_with('\n') {
        out.push('\n');
    }
    let _ = writeln!(out, "{fence}\n\n</details>");
}

fn option_name(section: &str, key: &str) -> String {
    code(&format!("[{section}] {key}"))
}

fn snapshot_value(s: &Snapshot, secret: bool, r: Redactor) -> String {
    code(&r.value(&s.value, secret))
}

/// `before → after` for one change of a migration.
fn before_after(c: &Change, r: Redactor) -> String {
    let before = c.before.as_ref().map_or_else(
        || "*new*".to_string(),
        |b| snapshot_value(b, c.before_secret, r),
    );
    let after = match (&c.after, &c.before) {
        (None, _) => "removed".to_string(),
        (Some(a), Some(b))
            if (a.section.as_str(), a.key.as_str()) != (b.section.as_str(), b.key.as_str()) =>
        {
            format!(
                "{} in {}",
                snapshot_value(a, c.after_secret, r),
                option_name(&a.section, &a.key)
            )
        }
        (Some(a), _) => snapshot_value(a, c.after_secret, r),
    };
    format!("{before} → {after}")
}

fn change_option(c: &Change) -> String {
    match (&c.before, &c.after) {
        (Some(b), _) => option_name(&b.section, &b.key),
        (None, Some(a)) => option_name(&a.section, &a.key),
        (None, None) => String::new(),
    }
}

/// A pull-request comment for a migration.
pub fn migration(
    file: &str,
    m: &Migration,
    title_from: &str,
    title_to: &str,
    diff: &str,
    r: Redactor,
) -> String {
    let mut out = String::new();
    let reviews = super::migration::reviews(m);
    if m.changes.is_empty() && m.manual.is_empty() {
        let _ = writeln!(
            out,
            "**stackhop**: {} needs no change from {title_from} to {title_to}.",
            code(file)
        );
        return out;
    }
    let _ = writeln!(
        out,
        "**stackhop**: {} from {title_from} to {title_to}: {}, {} to review, {}; {} unchanged.",
        code(file),
        plural(m.changes.len(), "change"),
        reviews,
        plural(m.manual.len(), "manual step"),
        plural(m.unchanged, "option"),
    );
    if !m.changes.is_empty() {
        out.push_str("\n| Rule | Option | Before → after | Safety |\n| --- | --- | --- | --- |\n");
        for c in &m.changes {
            let safety = match c.safety {
                Safety::Safe => "safe",
                Safety::Review => "**review**",
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {safety} |",
                code(&c.rule),
                change_option(c),
                before_after(c, r)
            );
        }
    }
    if !m.manual.is_empty() {
        out.push_str("\n#### Manual steps\n\n");
        for s in &m.manual {
            let _ = writeln!(
                out,
                "- [ ] **{}** ({}): {}",
                escape(&s.rule),
                escape(&s.release),
                escape(&s.text)
            );
        }
    }
    let to_review: Vec<&Change> = m
        .changes
        .iter()
        .filter(|c| c.safety == Safety::Review)
        .collect();
    if !to_review.is_empty() {
        out.push_str("\n#### Changes to review\n\n");
        for c in to_review {
            let note = c
                .note
                .as_deref()
                .map(|n| format!(": {}", escape(n)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- [ ] **{}** {} {}{note}",
                escape(&c.rule),
                change_option(c),
                before_after(c, r)
            );
        }
    }
    details(&mut out, &format!("Unified diff of {file}"), diff);
    out
}

fn reading_value(r: &Reading, secret: bool, redactor: Redactor) -> String {
    code(&redactor.value(&r.value, secret))
}

/// A pull-request comment for a comparison of two versions.
pub fn comparison(old: &str, new: &str, deltas: &[Delta], diff: &str, r: Redactor) -> String {
    let mut out = String::new();
    if deltas.is_empty() {
        let _ = writeln!(
            out,
            "**stackhop**: {} → {}: no change of meaning (what nova reads is the same).",
            code(old),
            code(new)
        );
    } else {
        let _ = writeln!(
            out,
            "**stackhop**: {} → {}: {} in what nova reads.",
            code(old),
            code(new),
            super::compare::render::summary(deltas)
        );
        out.push_str("\n| Change | Option | Before → after |\n| --- | --- | --- |\n");
        for d in deltas {
            let option = match (&d.before, &d.after) {
                (_, Some(a)) => option_name(&a.section, &a.key),
                (Some(b), None) => option_name(&b.section, &b.key),
                (None, None) => continue,
            };
            let cell = match (d.kind, &d.before, &d.after) {
                (DeltaKind::Added, _, Some(a)) => {
                    format!("*new* → {}", reading_value(a, d.secret, r))
                }
                (DeltaKind::Removed, Some(b), _) => {
                    format!("{} → removed", reading_value(b, d.secret, r))
                }
                (DeltaKind::Moved, Some(b), Some(a)) => format!(
                    "{} (from {})",
                    reading_value(a, d.secret, r),
                    option_name(&b.section, &b.key)
                ),
                (_, Some(b), Some(a)) => {
                    let was = if (&b.section, &b.key) != (&a.section, &a.key) {
                        format!(" (was {})", option_name(&b.section, &b.key))
                    } else {
                        String::new()
                    };
                    format!(
                        "{} → {}{was}",
                        reading_value(b, d.secret, r),
                        reading_value(a, d.secret, r)
                    )
                }
                _ => continue,
            };
            let _ = writeln!(out, "| {} | {option} | {cell} |", d.kind.as_str());
        }
    }
    details(&mut out, "Unified diff", diff);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(code("x|y"), "`x\\|y`");
        assert_eq!(code("a\nb"), "`a ⏎ b`");
        assert_eq!(code(""), "*empty*");
    }

    #[test]
    fn plain_text_is_escaped() {
        assert_eq!(
            escape("[DEFAULT] a_b *c* <d> | e"),
            "\\[DEFAULT\\] a\\_b \\*c\\* \\<d\\> \\| e"
        );
    }
}
