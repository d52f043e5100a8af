//! Classifying one physical line the way oslo.config's `iniparser` does.

use super::text::{lstrip_len, rstrip_len};
use std::fmt;

/// What one physical line is. Offsets are relative to the line's start, so a
/// line can be moved around the buffer without touching its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Empty, or only whitespace: ends a multi-line value.
    Blank,
    /// Starts with `#` or `;`.
    Comment,
    /// `[name]`; the name is `content[1..len - 1]` of the right-stripped line.
    Header { len: u32 },
    /// `key = value` or `key: value`.
    Entry(EntryPos),
    /// An indented line: the next piece of the previous value.
    Continuation { start: u32, end: u32 },
    /// A line oslo.config rejects. Only kept by the lenient parser.
    Invalid(Problem),
}

/// Where the parts of an assignment sit inside its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EntryPos {
    pub key_start: u32,
    pub key_end: u32,
    /// Position of the `=` or `:`.
    pub sep: u32,
    /// The value after `strip()`, quotes included.
    pub value_start: u32,
    pub value_end: u32,
    /// One pair of matching surrounding quotes is removed when read.
    pub quoted: bool,
}

impl EntryPos {
    /// The value as oslo.config reads the first line: stripped, unquoted.
    pub fn value_range(&self) -> (usize, usize) {
        let (start, end) = (self.value_start as usize, self.value_end as usize);
        if self.quoted {
            // A lone quote character is its own pair: it reads as "".
            (start + 1, (end - 1).max(start + 1))
        } else {
            (start, end)
        }
    }
}

/// Why oslo.config refuses a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    /// `[name] # note`: a header must end with `]`.
    NoSectionEnd,
    /// `[]`.
    EmptySectionName,
    /// Neither blank, comment, header nor `key = value`.
    NoSeparator,
    /// `= value`.
    EmptyKey,
    /// `key = value` before any `[section]`.
    BeforeSection,
    /// An indented line with no value to continue.
    UnexpectedContinuation,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Problem::NoSectionEnd => {
                "section header does not end with ']' (nova allows no text after it, not even a comment)"
            }
            Problem::EmptySectionName => "section header has no name",
            Problem::NoSeparator => {
                "line is not a comment, a [section] or a 'key = value' assignment (no '=' or ':')"
            }
            Problem::EmptyKey => "assignment has an empty key",
            Problem::BeforeSection => "assignment before any [section] header",
            Problem::UnexpectedContinuation => {
                "indented line continues no value (a line starting with a space or tab \
                 continues the value above it, and there is none)"
            }
        })
    }
}

impl Problem {
    /// A likely cause and fix, judged from the offending line's text.
    pub fn hint(self, text: &[u8]) -> Option<&'static str> {
        let text = &text[lstrip_len(text)..];
        let has = |needle: &[u8]| memchr::memmem::find(text, needle).is_some();
        match self {
            Problem::NoSectionEnd if has(b"]") => Some("put the comment on a line of its own"),
            Problem::BeforeSection if text.starts_with(b"--") => Some(
                "this looks like a gflags flagfile of nova before 2012 (--flag=value); \
                 nova.conf needs a [DEFAULT] header and no leading dashes",
            ),
            Problem::BeforeSection => {
                Some("add the [section] it belongs to above it, e.g. [DEFAULT]")
            }
            Problem::NoSeparator if has(b"{{") || has(b"{%") || has(b"<%") => {
                Some("this looks like template syntax; render the template first")
            }
            Problem::UnexpectedContinuation if has(b"=") => {
                Some("remove the indentation if this line is meant to be an option")
            }
            _ => None,
        }
    }
}

/// Classifies one line's content (its line ending excluded).
#[inline]
pub(crate) fn classify(content: &[u8]) -> Kind {
    let Some(&first) = content.first() else {
        return Kind::Blank;
    };
    match first {
        b'#' | b';' => Kind::Comment,
        b' ' | b'\t' => {
            let end = rstrip_len(content);
            if end == 0 {
                Kind::Blank
            } else {
                let start = lstrip_len(&content[..end]);
                Kind::Continuation {
                    start: start as u32,
                    end: end as u32,
                }
            }
        }
        _ => {
            let end = rstrip_len(content);
            if end == 0 {
                return Kind::Blank;
            }
            let line = &content[..end];
            if first == b'[' {
                if line[end - 1] != b']' {
                    Kind::Invalid(Problem::NoSectionEnd)
                } else if end == 2 {
                    Kind::Invalid(Problem::EmptySectionName)
                } else {
                    Kind::Header { len: end as u32 }
                }
            } else {
                assignment(line)
            }
        }
    }
}

fn assignment(line: &[u8]) -> Kind {
    let Some(sep) = memchr::memchr2(b'=', b':', line) else {
        return Kind::Invalid(Problem::NoSeparator);
    };
    let key_start = lstrip_len(&line[..sep]);
    let key_end = rstrip_len(&line[..sep]);
    if key_end <= key_start {
        return Kind::Invalid(Problem::EmptyKey);
    }
    let value_start = sep + 1 + lstrip_len(&line[sep + 1..]);
    let value_end = line.len().max(value_start);
    let value = &line[value_start..value_end];
    let quoted = matches!(value.first(), Some(b'"' | b'\'')) && value.first() == value.last();
    Kind::Entry(EntryPos {
        key_start: key_start as u32,
        key_end: key_end as u32,
        sep: sep as u32,
        value_start: value_start as u32,
        value_end: value_end as u32,
        quoted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(line: &str) -> (String, String) {
        match classify(line.as_bytes()) {
            Kind::Entry(p) => {
                let (vs, ve) = p.value_range();
                (
                    line[p.key_start as usize..p.key_end as usize].to_string(),
                    line[vs..ve].to_string(),
                )
            }
            other => panic!("{line:?} is {other:?}"),
        }
    }

    #[test]
    fn classifies_lines_as_oslo_does() {
        assert_eq!(classify(b""), Kind::Blank);
        assert_eq!(classify(b" \t "), Kind::Blank);
        assert_eq!(classify(b"\x0c"), Kind::Blank);
        assert_eq!(classify(b"# x"), Kind::Comment);
        assert_eq!(classify(b"; x"), Kind::Comment);
        assert_eq!(classify(b"[DEFAULT]  "), Kind::Header { len: 9 });
        assert_eq!(
            classify(b"[DEFAULT] # x"),
            Kind::Invalid(Problem::NoSectionEnd)
        );
        assert_eq!(classify(b"[]"), Kind::Invalid(Problem::EmptySectionName));
        assert_eq!(classify(b"DEFAULT]"), Kind::Invalid(Problem::NoSeparator));
        assert_eq!(classify(b"= x"), Kind::Invalid(Problem::EmptyKey));
        assert_eq!(classify(b" = x"), Kind::Continuation { start: 1, end: 4 });
        assert_eq!(
            classify(b"  indented = 1 "),
            Kind::Continuation { start: 2, end: 14 }
        );
    }

    #[test]
    fn splits_at_the_first_separator_and_strips_one_quote_pair() {
        assert_eq!(
            entry("debug = True  # note"),
            ("debug".into(), "True  # note".into())
        );
        assert_eq!(
            entry("url: http://h:5000/v3"),
            ("url".into(), "http://h:5000/v3".into())
        );
        assert_eq!(entry("a:b = c"), ("a".into(), "b = c".into()));
        assert_eq!(entry("k = \"v\""), ("k".into(), "v".into()));
        assert_eq!(entry("k = '\"v\"'"), ("k".into(), "\"v\"".into()));
        assert_eq!(entry("k = \"v'"), ("k".into(), "\"v'".into()));
        assert_eq!(entry("k = \""), ("k".into(), "".into()));
        assert_eq!(entry("k ="), ("k".into(), "".into()));
        assert_eq!(entry("my key\t=\tv"), ("my key".into(), "v".into()));
    }
}
