//! Unified diffs of two versions of a file.

use super::redact::{self, Redactor};
use crate::conf::Document;
use similar::{Algorithm, TextDiff};
use std::time::Duration;

/// The unified diff of `old` → `new` of one file, with three lines of
/// context. A relative name is labelled `a/NAME` and `b/NAME` as git does
/// (`patch -p1` applies it); an absolute one is used as it is. Empty when
/// nothing differs. Bytes that are not UTF-8 are shown as U+FFFD.
pub fn unified(name: &str, old: &[u8], new: &[u8]) -> String {
    let (a, b) = labels(name);
    between(&a, &b, old, new)
}

/// The labels of the two sides of one file's diff: `a/NAME` and `b/NAME`,
/// or an absolute name as it is.
fn labels(name: &str) -> (String, String) {
    if name.starts_with('/') {
        (name.to_string(), name.to_string())
    } else {
        (format!("a/{name}"), format!("b/{name}"))
    }
}

/// The unified diff of two files, labelled with their names.
pub fn between(old_name: &str, new_name: &str, old: &[u8], new: &[u8]) -> String {
    if old == new {
        return String::new();
    }
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    let trim = old.len() + new.len() > TRIM_ABOVE;
    diff_text(old_name, new_name, &old, &new, trim, 0)
}

/// The unified diff of two versions of a document, secrets masked
/// (commented-out ones too, see [`super::redact::document`]), labelled with
/// the names given.
///
/// A large pair is masked only where it differs: lines both versions share
/// at the head and tail, read in the same section, mask alike, so only the
/// lines between (with a margin wider than the context, widened to whole
/// values and to the tail's lines that read a section opened above them)
/// are masked and diffed. The diff is the one of the whole masked texts.
pub fn documents(
    old_name: &str,
    new_name: &str,
    old: &Document,
    new: &Document,
    secret: impl Fn(&str, &str) -> bool,
    redactor: Redactor,
) -> String {
    let (n, m) = (old.line_count(), new.line_count());
    if old.text_len() + new.text_len() <= TRIM_ABOVE {
        return between(
            old_name,
            new_name,
            &redact::document(old, &secret, redactor),
            &redact::document(new, &secret, redactor),
        );
    }
    let same = |i: usize, j: usize| old.line_bytes(i) == new.line_bytes(j);
    let mut head = 0;
    if old.has_bom() == new.has_bom() {
        while head < n.min(m) && same(head, head) {
            head += 1;
        }
    }
    let mut tail = 0;
    while tail < n.min(m) - head && same(n - 1 - tail, m - 1 - tail) {
        tail += 1;
    }
    // From a line that starts a run: the lines above are the same in both.
    let mut lo = head.saturating_sub(MARGIN);
    while lo > 0 && old.continues(lo) {
        lo -= 1;
    }
    // The tail's lines above its first header read the section of a line
    // above them: if that differs, they may mask differently, and are
    // diffed too. Lines are counted from the end, the same in both.
    let mut from_end = tail;
    if from_end > 0 && old.line_group(n - from_end) != new.line_group(m - from_end) {
        while from_end > 0 && !old.opens_section(n - from_end) {
            from_end -= 1;
        }
    }
    // Then the margin, to a line that starts a run in both (after whole
    // values).
    from_end = from_end.saturating_sub(MARGIN);
    while from_end > 0 && (old.continues(n - from_end) || new.continues(m - from_end)) {
        from_end -= 1;
    }
    let old_text = redact::lines(old, lo..n - from_end, &secret, redactor);
    let new_text = redact::lines(new, lo..m - from_end, &secret, redactor);
    if old_text == new_text {
        return String::new();
    }
    let old_text = String::from_utf8_lossy(&old_text);
    let new_text = String::from_utf8_lossy(&new_text);
    diff_text(old_name, new_name, &old_text, &new_text, true, lo)
}

/// The unified diff of two texts that start at 0-based line `offset` of
/// their files; trimmed of their common head and tail when `trimmed`.
fn diff_text(
    old_name: &str,
    new_name: &str,
    old: &str,
    new: &str,
    trimmed: bool,
    offset: usize,
) -> String {
    // A large file is diffed from its first differing line to its last
    // (less a margin wider than the context): the lines both share at the
    // head and tail cost nothing, so a one-line edit of 50 MB is quick.
    let (head, tail) = if trimmed {
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
    if head.lines + offset == 0 {
        diff
    } else {
        shift_hunks(&diff, head.lines + offset)
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
    before: &Document,
    after: &Document,
    index: &crate::release::HistoryIndex,
    redactor: Redactor,
) -> String {
    let secret = |g: &str, k: &str| index.is_secret(g, k);
    let (a, b) = labels(name);
    documents(&a, &b, before, after, secret, redactor)
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

    /// A document of about 1.2 MB around `middle`: filler sections above
    /// and below.
    fn large_around(middle: &str) -> String {
        let filler = |from: usize| -> String {
            (from..from + 20_000)
                .map(|i| format!("[s{i}]\nkey = value {i}\n"))
                .collect()
        };
        format!("{}{middle}{}", filler(0), filler(20_000))
    }

    #[test]
    fn a_large_pair_masked_around_its_changes_diffs_as_the_whole_masked_texts() {
        // `[database] connection` is secret here, `[other] connection` is
        // not: a renamed header changes how the lines below it mask, ten
        // lines down, past the margin.
        let secret = |g: &str, k: &str| g == "database" && k == "connection" || k == "password";
        let below: String = (0..10).map(|i| format!("plain{i} = {i}\n")).collect();
        let middle = format!(
            "[database]\n{below}connection = PLAIN_VALUE\n\
             [auth]\npassword = CANARY1\n  CANARY_CONT1\n  CANARY_CONT2\n\
             #password = CANARY2\n#  CANARY_CONT3\nafter = 1\n"
        );
        let old = large_around(&middle);
        let edits: Vec<(&str, String)> = vec![
            (
                "header renamed",
                old.replacen("[database]\n", "[other]\n", 1),
            ),
            (
                "secret changed",
                old.replacen("password = CANARY1", "password = CANARY9", 1),
            ),
            (
                "continuation added",
                old.replacen("  CANARY_CONT1\n", "  CANARY_CONT1\n  CANARY_NEW\n", 1),
            ),
            (
                "continuation dropped",
                old.replacen("  CANARY_CONT2\n", "", 1),
            ),
            (
                "commented secret changed",
                old.replacen("#password = CANARY2", "#password = CANARY8", 1),
            ),
            (
                "line added above",
                old.replacen("plain3 = 3\n", "plain3 = 3\nadded = 1\n", 1),
            ),
            ("first line", old.replacen("[s0]", "[first]", 1)),
            ("last line", format!("{old}tail = 1\n")),
            ("no final newline", old.trim_end().to_string()),
            ("byte order mark", format!("\u{feff}{old}")),
        ];
        for redactor in [Redactor::new(false), Redactor::new(true)] {
            for (what, new) in &edits {
                let (a, b) = (
                    Document::parse(old.as_str()).unwrap(),
                    Document::parse(new.as_str()).unwrap(),
                );
                let whole = between(
                    "a",
                    "b",
                    &redact::document(&a, secret, redactor),
                    &redact::document(&b, secret, redactor),
                );
                let masked = documents("a", "b", &a, &b, secret, redactor);
                assert_eq!(masked, whole, "{what}");
                assert!(
                    !masked.is_empty() || what.ends_with("secret changed"),
                    "{what}"
                );
                if !redactor.show_secrets {
                    assert!(!masked.contains("CANARY"), "{what}: {masked}");
                }
            }
        }
    }

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
            let whole = diff_text("a", "b", &old, &new, false, 0);
            let trimmed = diff_text("a", "b", &old, &new, true, 0);
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
