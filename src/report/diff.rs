//! Unified diffs of two versions of a file.

use similar::TextDiff;

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
    TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .missing_newline_hint(true)
        .to_string()
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
}
