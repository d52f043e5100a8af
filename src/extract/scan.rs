//! Cheap looks at text, for the hot paths: searching without lower-casing
//! a copy, and first checks that let most prose skip the costlier readings.
//! Each check here is exact or a superset of what the full reading finds,
//! so skipping on a `false` never changes a result.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use memchr::memmem;

/// An automaton finding every one of `patterns` in one pass (ignoring
/// ASCII case when `ascii_ci`); built once per list, kept in a static.
/// `dfa` for one that reads all prose: dearer to build, faster to run.
pub(crate) fn automaton(patterns: &[&str], ascii_ci: bool, dfa: bool) -> AhoCorasick {
    let kind = if dfa {
        AhoCorasickKind::DFA
    } else {
        AhoCorasickKind::ContiguousNFA
    };
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(Some(kind))
        .ascii_case_insensitive(ascii_ci)
        .build(patterns)
        .expect("a few short patterns always build")
}

/// Does `hay` contain `needle` (lower-case ASCII), ignoring ASCII case?
/// The same as `hay.to_ascii_lowercase().contains(needle)`.
pub(crate) fn contains_ci(hay: &str, needle: &str) -> bool {
    find_ci(hay.as_bytes(), needle.as_bytes()).is_some()
}

/// Where `needle` (lower-case ASCII) first is in `hay`, ignoring ASCII case.
pub(crate) fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    if hay.len() < needle.len() {
        return None;
    }
    let last_start = hay.len() - needle.len();
    let upper = first.to_ascii_uppercase();
    memchr::memchr2_iter(first, upper, &hay[..=last_start])
        .find(|&i| hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest))
}

/// Where `needle` (lower-case ASCII) is in `hay`, ignoring ASCII case,
/// without overlaps: `hay.to_ascii_lowercase().match_indices(needle)`.
pub(crate) fn find_ci_iter<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut from = 0;
    std::iter::from_fn(move || {
        if needle.is_empty() {
            return None;
        }
        let at = from + find_ci(hay.as_bytes().get(from..)?, needle.as_bytes())?;
        from = at + needle.len();
        Some(at)
    })
}

/// Does `hay` start with `prefix` (lower-case ASCII), ignoring ASCII case?
pub(crate) fn starts_with_ci(hay: &str, prefix: &str) -> bool {
    hay.len() >= prefix.len()
        && hay.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Does `hay` contain `needle` (exact bytes)? For short needles in short
/// text (a paragraph, a line), called many times: no searcher to build.
pub(crate) fn contains(hay: &str, needle: &str) -> bool {
    find_iter(hay, needle).next().is_some()
}

/// Where `needle` is in `hay`, without overlaps, as `str::match_indices`
/// finds them.
pub(crate) fn find_iter<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    // Look for the needle's rarest byte, at offset `k`, then compare.
    let k = rarest(needle);
    let mut from = 0;
    std::iter::from_fn(move || {
        if needle.is_empty() {
            return None;
        }
        while from + needle.len() <= hay.len() {
            let window = &hay[from + k..=hay.len() - needle.len() + k];
            let start = from + memchr::memchr(needle[k], window)?;
            if hay[start..].starts_with(needle) {
                from = start + needle.len();
                return Some(start);
            }
            from = start + 1;
        }
        None
    })
}

/// The offset of the byte of `needle` least likely in text: a UTF-8
/// continuation byte rather than a lead byte (every CJK character starts
/// with one of a few), a rare letter rather than a common one.
fn rarest(needle: &[u8]) -> usize {
    let rank = |b: u8| -> u8 {
        match b {
            0xc0..=0xff => 250,
            0x80..=0xbf => 100,
            b' ' => 255,
            b'e' | b't' | b'a' | b'o' | b'i' | b'n' | b's' | b'r' | b'h' => 200,
            b'l' | b'd' | b'c' | b'u' | b'm' => 150,
            b'A'..=b'Z' | b'a'..=b'z' => 60,
            _ => 40,
        }
    };
    (0..needle.len())
        .min_by_key(|&i| rank(needle[i]))
        .unwrap_or(0)
}

/// The words of `text` joined by one blank:
/// `text.split_whitespace().collect::<Vec<_>>().join(" ")`.
pub(crate) fn squeeze_blanks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `text.to_lowercase()`, without the per-character table look-ups for
/// what has no case (CJK, kana, Hangul), which is most of a guide in those
/// languages.
pub(crate) fn to_lowercase(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    // Σ lower-cases by its place in a word: leave that to the standard one.
    if text.contains('Σ') {
        return text.to_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if caseless(c) {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Blocks with no letter case: CJK symbols, kana, Hangul compatibility
/// jamo, CJK ideographs, Hangul syllables.
fn caseless(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x9fff | 0xac00..=0xd7a3)
}

/// Non-overlapping occurrences of `needle` in `hay`, as `str::matches`
/// counts them.
pub(crate) fn count(hay: &str, needle: &str) -> usize {
    memmem::find_iter(hay.as_bytes(), needle.as_bytes()).count()
}

/// Could a word of `text` be a config file name (`….conf`, `.ini`, `.cfg`,
/// `.cnf`, `.repo`)? A superset of `shell::config_path` finding one.
pub(crate) fn may_name_config(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'.', b).any(|i| {
        let rest = &b[i + 1..];
        rest.starts_with(b"conf")
            || rest.starts_with(b"ini")
            || rest.starts_with(b"cfg")
            || rest.starts_with(b"cnf")
            || rest.starts_with(b"repo")
    })
}

/// Could `text` hold a placeholder (`NOVA_DBPASS`, `RABBIT_PASS`,
/// `METADATA_SECRET`, `MANAGEMENT_INTERFACE_IP_ADDRESS`…)? A superset of
/// `conf::value::placeholder` finding one in any of its words.
pub(crate) fn may_hold_placeholder(text: &str) -> bool {
    // Every ending a placeholder has starts with `_`.
    let b = text.as_bytes();
    memchr::memchr_iter(b'_', b).any(|i| {
        let rest = &b[i + 1..];
        rest.starts_with(b"PASS")
            || rest.starts_with(b"DBPASS")
            || rest.starts_with(b"SECRET")
            || rest.starts_with(b"IP_ADDRESS")
            || rest.starts_with(b"INTERFACE_NAME")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caseless_blocks_have_no_case() {
        for c in (0x3000..=0x9fffu32)
            .chain(0xac00..=0xd7a3)
            .filter_map(char::from_u32)
        {
            assert!(caseless(c));
            assert_eq!(c.to_lowercase().collect::<String>(), c.to_string(), "{c}");
        }
        for t in [
            "Nút Điều Khiển",
            "コントローラ ΣΑΣ Node",
            "ÀÉÎ K İ",
            "控制节点 CONTROLLER",
            "ascii ONLY",
        ] {
            assert_eq!(to_lowercase(t), t.to_lowercase(), "{t}");
        }
    }

    #[test]
    fn case_insensitive_search() {
        assert!(contains_ci("Install OpenStack Juno", "openstack"));
        assert!(contains_ci("OPENSTACK", "openstack"));
        assert!(!contains_ci("open stack", "openstack"));
        assert!(!contains_ci("", "x"));
        assert!(contains_ci("xx://", "://"));
        assert!(contains_ci("コントローラ CONTROLLER", "contro"));
        assert_eq!(find_ci(b"abcABC", b"abc"), Some(0));
        assert_eq!(find_ci(b"xxABC", b"abc"), Some(2));
        assert!(starts_with_ci("GRANT ALL", "grant "));
        let h = "IDENTIFIED BY 'a'; identified by 'b' Identified By";
        assert_eq!(
            find_ci_iter(h, "identified by").collect::<Vec<_>>(),
            h.to_ascii_lowercase()
                .match_indices("identified by")
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
        );
        assert!(!starts_with_ci("GRA", "grant "));
        assert_eq!(count("aaaa", "aa"), "aaaa".matches("aa").count());
        let at = |h: &str, n: &str| find_iter(h, n).collect::<Vec<_>>();
        let std = |h: &str, n: &str| h.match_indices(n).map(|(i, _)| i).collect::<Vec<_>>();
        for (h, n) in [
            ("aaaa", "aa"),
            ("xcomputex compute", "compute"),
            ("", "a"),
            ("a", "ab"),
            ("计算计算", "计算"),
            ("컨트롤러 컨트롤 노드", "컨트롤 노드"),
            ("zzz zz", "zz"),
        ] {
            assert_eq!(at(h, n), std(h, n), "{h} {n}");
        }
        assert!(contains("컴퓨트 노드", "노드") && !contains("노", "노드"));
        assert!(may_name_config("edit /etc/nova/nova.conf now"));
        assert!(!may_name_config("edit the file. Then"));
        assert!(may_hold_placeholder("Replace NOVA_DBPASS"));
        assert!(!may_hold_placeholder("Replace the password"));
    }
}
