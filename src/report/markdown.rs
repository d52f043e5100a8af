//! Pull-request comments (GitHub-flavoured Markdown) for a migration and for
//! a comparison: a one-line verdict, a table of changes, checklists of what
//! to do by hand and what to review, and the unified diff folded away.

use super::compare::DeltaKind;
use super::plural;
use super::view::{ChangeView, ComparisonView, MigrationView, OptionView};
use crate::migrate::rules::Safety;
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

fn option_name(o: &OptionView) -> String {
    code(&o.name())
}

/// `before → after` for one change of a migration.
fn before_after(c: &ChangeView) -> String {
    let before = c
        .before
        .as_ref()
        .map_or_else(|| "*new*".to_string(), |b| code(&b.value));
    let after = match (&c.after, &c.before) {
        (None, _) => "removed".to_string(),
        (Some(a), Some(b)) if (&a.section, &a.key) != (&b.section, &b.key) => {
            format!("{} in {}", code(&a.value), option_name(a))
        }
        (Some(a), _) => code(&a.value),
    };
    format!("{before} → {after}")
}

fn change_option(c: &ChangeView) -> String {
    c.option().map(option_name).unwrap_or_default()
}

/// ` (only if this node is not on Stein yet)`.
fn condition(if_not_yet_on: &Option<String>) -> String {
    if_not_yet_on
        .as_deref()
        .map(|r| format!(" *(only if this node is not on {} yet)*", escape(r)))
        .unwrap_or_default()
}

/// A pull-request comment for a migration (with its diff, if the view
/// holds one).
pub fn migration(v: &MigrationView) -> String {
    let mut out = String::new();
    let (from, to) = (&v.from_title, &v.to_title);
    if v.changes.is_empty() && v.manual.is_empty() {
        let _ = writeln!(
            out,
            "**stackhop**: {} needs no change from {from} to {to}.",
            code(&v.file)
        );
        return out;
    }
    let _ = writeln!(
        out,
        "**stackhop**: {} from {from} to {to}: {}, {} to review, {}; {} unchanged.",
        code(&v.file),
        plural(v.changes.len(), "change"),
        v.reviews(),
        plural(v.manual.len(), "manual step"),
        plural(v.unchanged, "option"),
    );
    if let Some(d) = v.detected.as_ref().filter(|d| d.fits.len() > 1) {
        let _ = writeln!(
            out,
            "\nThe release was not given: the file fits {} equally, so it was migrated from {from}. \
             Changes and steps marked *only if…* depend on that guess.",
            escape(&d.range)
        );
    }
    if !v.changes.is_empty() {
        out.push_str("\n| Rule | Option | Before → after | Safety |\n| --- | --- | --- | --- |\n");
        for c in &v.changes {
            let safety = match c.safety {
                Safety::Safe => "safe",
                Safety::Review => "**review**",
            };
            let _ = writeln!(
                out,
                "| {} | {} | {}{} | {safety} |",
                code(&c.rule),
                change_option(c),
                before_after(c),
                condition(&c.if_not_yet_on)
            );
        }
    }
    if !v.manual.is_empty() {
        out.push_str("\n#### Manual steps\n\n");
        for s in &v.manual {
            let who = match s.who() {
                w if w.is_empty() => String::new(),
                w => format!(", {w}"),
            };
            let _ = writeln!(
                out,
                "- [ ] **{}** ({}{who}): {}{}",
                escape(&s.rule),
                escape(&s.release),
                escape(&s.text),
                condition(&s.if_not_yet_on)
            );
            for command in &s.commands {
                let _ = writeln!(out, "  {}", code(command));
            }
        }
    }
    let to_review: Vec<&ChangeView> = v
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
                before_after(c)
            );
        }
    }
    if let Some(diff) = &v.diff {
        details(&mut out, &format!("Unified diff of {}", v.file), diff);
    }
    out
}

/// A pull-request comment for a comparison of two versions.
pub fn comparison(v: &ComparisonView) -> String {
    let mut out = String::new();
    if v.is_empty() {
        let _ = writeln!(
            out,
            "**stackhop**: {} → {}: no change of meaning (what nova reads is the same).",
            code(&v.old),
            code(&v.new)
        );
    } else {
        let _ = writeln!(
            out,
            "**stackhop**: {} → {}: {} in what nova reads.",
            code(&v.old),
            code(&v.new),
            v.summary_line()
        );
        out.push_str("\n| Change | Option | Before → after |\n| --- | --- | --- |\n");
        for d in &v.options {
            let option = match (&d.before, &d.after) {
                (_, Some(a)) => option_name(a),
                (Some(b), None) => option_name(b),
                (None, None) => continue,
            };
            let cell = match (d.change, &d.before, &d.after) {
                (DeltaKind::Added, _, Some(a)) => format!("*new* → {}", code(&a.value)),
                (DeltaKind::Removed, Some(b), _) => format!("{} → removed", code(&b.value)),
                (DeltaKind::Moved, Some(b), Some(a)) => {
                    format!("{} (from {})", code(&a.value), option_name(b))
                }
                (_, Some(b), Some(a)) => {
                    let was = if (&b.section, &b.key) != (&a.section, &a.key) {
                        format!(" (was {})", option_name(b))
                    } else {
                        String::new()
                    };
                    format!("{} → {}{was}", code(&b.value), code(&a.value))
                }
                _ => continue,
            };
            let _ = writeln!(out, "| {} | {option} | {cell} |", d.change.as_str());
        }
    }
    details(&mut out, "Unified diff", &v.diff);
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
