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
    diff_text(old_name, new_name, &old, &new, TRIM_ABOVE)
}

/// The unified diff of two texts; trimmed of their common head and tail
/// when they are larger than `trim_above`.
fn diff_text(old_name: &str, new_name: &str, old: &str, new: &str, trim_above: usize) -> String {
    // A large file is diffed from its first differing line to its last
    // (less a margin wider than the context): the lines both share at the
    // head and tail cost nothing, so a one-line edit of 50 MB is quick.
    let (head, tail) = if old.len() + new.len() > trim_above {
        trim(old, new)
    } else {
        (Cut::default(), Cut::default())
    };
    let (old_mid, new_mid) = (
        &old[head.bytes..old.len() - tail.bytes],
        &new[head.bytes..new.len() - tail.bytes],
    );
    // Patience anchors on lines found once in each file, as most lines of a
    // config are, and shows a moved block as a move; the time limit keeps
    // a huge file with many changes from taking minutes (past it the diff
    // is still exact, only less tight).
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .timeout(Duration::from_secs(1))
        .diff_lines(old_mid, new_mid)
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .missing_newline_hint(true)
        .to_string();
    if head.lines == 0 {
        diff
    } else {
        shift_hunks(&diff, head.lines)
    }
}

/// Inputs larger than this (bytes, both files) are trimmed of their common
/// head and tail before they are diffed; smaller ones are diffed whole.
const TRIM_ABOVE: usize = 1 << 20;

/// Lines of the common head and tail kept in the diff: more than the
/// context, so every hunk's context is in what is diffed.
const MARGIN: usize = 8;

/// A run of whole lines both files share.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Cut {
    lines: usize,
    bytes: usize,
}

/// The common head and tail of two texts, in whole lines, less `MARGIN`
/// lines each; they do not overlap.
fn trim(old: &str, new: &str) -> (Cut, Cut) {
    let mut head = Cut::default();
    // Where each of the last MARGIN common lines started.
    let mut starts = std::collections::VecDeque::with_capacity(MARGIN + 1);
    for (a, b) in old.split_inclusive('\n').zip(new.split_inclusive('\n')) {
        if a != b || !a.ends_with('\n') {
            break;
        }
        starts.push_back(head);
        if starts.len() > MARGIN {
            starts.pop_front();
        }
        head.lines += 1;
        head.bytes += a.len();
    }
    if starts.len() < MARGIN {
        head = Cut::default();
    } else if let Some(&first) = starts.front() {
        head = first;
    }
    let (old_rest, new_rest) = (&old[head.bytes..], &new[head.bytes..]);
    let mut tail = Cut::default();
    let mut ends = std::collections::VecDeque::with_capacity(MARGIN + 1);
    let max = old_rest.len().min(new_rest.len());
    let (mut a_end, mut b_end) = (old_rest.len(), new_rest.len());
    loop {
        // The last line of each rest, ending at a_end / b_end.
        let a_start = line_start(old_rest, a_end);
        let b_start = line_start(new_rest, b_end);
        let (a, b) = (&old_rest[a_start..a_end], &new_rest[b_start..b_end]);
        // A line is whole only when a newline comes before it.
        if a_end == a_start || a != b || a_start == 0 || b_start == 0 || tail.bytes + a.len() >= max
        {
            break;
        }
        ends.push_back(tail);
        if ends.len() > MARGIN {
            ends.pop_front();
        }
        tail.lines += 1;
        tail.bytes += a.len();
        (a_end, b_end) = (a_start, b_start);
    }
    if ends.len() < MARGIN {
        tail = Cut::default();
    } else if let Some(&first) = ends.front() {
        tail = first;
    }
    (head, tail)
}

/// Where the line ending at `end` (its newline included) starts in `text`.
fn line_start(text: &str, end: usize) -> usize {
    if end == 0 {
        return 0;
    }
    // The newline that ends this line is at end - 1 (or the text ends).
    memchr::memrchr(b'\n', &text.as_bytes()[..end - 1]).map_or(0, |i| i + 1)
}

/// `@@ -a,b +c,d @@` with `lines` added to `a` and `c`: the hunks of a
/// diff of a text's tail, placed in the whole text.
fn shift_hunks(diff: &str, lines: usize) -> String {
    let mut out = String::with_capacity(diff.len() + 64);
    for line in diff.split_inclusive('\n') {
        match line.strip_prefix("@@ -") {
            Some(rest) => {
                let mut parts = rest.splitn(3, ' ');
                let (old, new, after) = (
                    parts.next().unwrap_or_default(),
                    parts.next().unwrap_or_default(),
                    parts.next().unwrap_or_default(),
                );
                let shift = |range: &str| match range.split_once(',') {
                    Some((start, len)) => match start.parse::<usize>() {
                        Ok(n) => format!("{},{len}", n + lines),
                        Err(_) => range.to_string(),
                    },
                    None => match range.parse::<usize>() {
                        Ok(n) => (n + lines).to_string(),
                        Err(_) => range.to_string(),
                    },
                };
                let new = new.strip_prefix('+').unwrap_or(new);
                out.push_str(&format!("@@ -{} +{} {after}", shift(old), shift(new)));
            }
            None => out.push_str(line),
        }
    }
    out
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
    fn a_large_file_trimmed_of_its_common_head_and_tail_diffs_the_same() {
        let lines: Vec<String> = (0..400).map(|i| format!("k{} = {}\n", i % 37, i)).collect();
        let old = lines.concat();
        type Edit<'a> = &'a dyn Fn(&mut Vec<String>);
        let edits: [Edit; 6] = [
            &|l| l.insert(200, "new = 1\n".into()),
            &|l| l[3] = "k3 = x\n".into(),
            &|l| l[397] = "k = y\n".into(),
            &|l| {
                l.remove(0);
                l.push("last\n".into());
            },
            &|l| {
                l.drain(100..110);
                l.insert(300, "k1 = 1\n".into());
            },
            &|l| l.truncate(395),
        ];
        for edit in edits {
            let mut l = lines.clone();
            edit(&mut l);
            let new = l.concat();
            let whole = diff_text("a", "b", &old, &new, usize::MAX);
            let trimmed = diff_text("a", "b", &old, &new, 0);
            assert_eq!(whole, trimmed);
            assert_eq!(apply(&old, &trimmed), new);
        }
    }

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
