//! Unified diffs of two versions of a file.

use similar::TextDiff;

/// The unified diff of `old` → `new` with three lines of context. A relative
/// name is labelled `a/NAME` and `b/NAME` as git does (`patch -p1` applies
/// it); an absolute one is used as it is. Empty when nothing differs. Bytes
/// that are not UTF-8 are shown as U+FFFD.
pub fn unified(name: &str, old: &[u8], new: &[u8]) -> String {
    if old == new {
        return String::new();
    }
    let (a, b) = if name.starts_with('/') {
        (name.to_string(), name.to_string())
    } else {
        (format!("a/{name}"), format!("b/{name}"))
    };
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&a, &b)
        .missing_newline_hint(true)
        .to_string()
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
