//! Unified diffs of two versions of a file.

use similar::{Algorithm, TextDiff};
use std::time::Duration;

/// The unified diff of `old` → `new` of one file, with three lines of
/// context. A relative name is labelled `a/NAME` and `b/NAME` as git does
/// (`patch -p1` applies it); an absolute one is used as it is. Empty when
/// nothing differs. Bytes that are not UTF-8 are shown as U+FFFD.
pub fn unified(name: &str, old: &[u8], new: &[u8]) -> String {
    if name.starts_with('/') {
        between(name, name, old, new)
    } else {
        between(&format!("a/{name}"), &format!("b/{name}"), old, new)
    }
}

/// The unified diff of two files, labelled with their names.
pub fn between(old_name: &str, new_name: &str, old: &[u8], new: &[u8]) -> String {
    if old == new {
        return String::new();
    }
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    // Patience anchors on lines found once in each file, as most lines of a
    // config are, and shows a moved block as a move; the time limit keeps
    // a huge file with many changes from taking minutes (past it the diff
    // is still exact, only less tight).
    TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .timeout(Duration::from_secs(1))
        .diff_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .missing_newline_hint(true)
        .to_string()
}

/// The unified diff of an edit, as an output like any other: secrets
/// masked (commented-out ones too), judged by what any release says of
/// each option.
pub fn masked(
    name: &str,
    before: &crate::conf::Document,
    after: &crate::conf::Document,
    index: &crate::release::HistoryIndex,
    redactor: super::redact::Redactor,
) -> String {
    let secret = |g: &str, k: &str| index.is_secret(g, k);
    let old = super::redact::document(before, secret, redactor);
    let new = super::redact::document(after, secret, redactor);
    unified(name, &old, &new)
}

/// A unified diff coloured for a terminal: removals red, additions green,
/// hunk headers cyan.
pub fn colored(diff: &str, style: super::style::Style) -> String {
    use super::style::Paint;
    if !style.color {
        return diff.to_string();
    }
    let mut out = String::with_capacity(diff.len() + diff.len() / 4);
    for line in diff.split_inclusive('\n') {
        let (text, eol) = match line.strip_suffix('\n') {
            Some(t) => (t, "\n"),
            None => (line, ""),
        };
        let paint = if text.starts_with("+++") || text.starts_with("---") {
            Some(Paint::Bold)
        } else if text.starts_with('+') {
            Some(Paint::Green)
        } else if text.starts_with('-') {
            Some(Paint::Red)
        } else if text.starts_with("@@") {
            Some(Paint::Cyan)
        } else {
            None
        };
        match paint {
            Some(p) => out.push_str(&style.paint(text, p)),
            None => out.push_str(text),
        }
        out.push_str(eol);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_only_the_changed_lines_with_context() {
        let diff = unified(
            "nova.conf",
            b"[DEFAULT]\na = 1\nb = 2\n",
            b"[DEFAULT]\na = 1\nb = 3\n",
        );
        assert_eq!(
            diff,
            "--- a/nova.conf\n+++ b/nova.conf\n@@ -1,3 +1,3 @@\n [DEFAULT]\n a = 1\n-b = 2\n+b = 3\n"
        );
        assert_eq!(unified("x", b"same", b"same"), "");
    }

    /// Applies a unified diff of whole lines (each ending in a newline) as
    /// `patch` does, checking every context and removed line.
    fn apply(old: &str, diff: &str) -> String {
        let old: Vec<&str> = old.split_inclusive('\n').collect();
        let mut out = String::new();
        let mut at = 0;
        for line in diff.split_inclusive('\n').skip(2) {
            if let Some(header) = line.strip_prefix("@@ -") {
                let start: usize = header
                    .split([',', ' '])
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap();
                // An empty old range is given as the line before it.
                let start = if header.split(' ').next().unwrap().ends_with(",0") {
                    start
                } else {
                    start - 1
                };
                for l in &old[at..start] {
                    out.push_str(l);
                }
                at = start;
            } else if let Some(l) = line.strip_prefix('+') {
                out.push_str(l);
            } else {
                let l = line.strip_prefix(['-', ' ']).unwrap();
                assert_eq!(old[at], l, "the diff does not match line {}", at + 1);
                if line.starts_with(' ') {
                    out.push_str(l);
                }
                at += 1;
            }
        }
        for l in &old[at..] {
            out.push_str(l);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn the_diff_turns_the_old_file_into_the_new(
            old in proptest::collection::vec("[abc] = [0-2]", 0..40),
            new in proptest::collection::vec("[abc] = [0-2]", 0..40),
        ) {
            let (old, new): (String, String) = (
                old.iter().map(|l| format!("{l}\n")).collect(),
                new.iter().map(|l| format!("{l}\n")).collect(),
            );
            let diff = unified("nova.conf", old.as_bytes(), new.as_bytes());
            proptest::prop_assert_eq!(apply(&old, &diff), new);
        }
    }
}
