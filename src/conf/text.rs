//! Byte-level helpers that reproduce how Python reads a config file: which
//! characters `str.strip()` removes, and where a text-mode file iterator
//! breaks lines.

/// A file's bytes, shared: the document keeps them as they were read, and
/// whoever read them (`files::Source`) can keep them too without a copy.
/// Anything that converts into `Vec<u8>` converts into it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SharedBytes(std::sync::Arc<Vec<u8>>);

impl<T: Into<Vec<u8>>> From<T> for SharedBytes {
    fn from(bytes: T) -> SharedBytes {
        SharedBytes(std::sync::Arc::new(bytes.into()))
    }
}

impl std::ops::Deref for SharedBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for SharedBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SharedBytes({} bytes)", self.0.len())
    }
}

impl PartialEq<SharedBytes> for Vec<u8> {
    fn eq(&self, other: &SharedBytes) -> bool {
        self[..] == other[..]
    }
}

impl PartialEq<[u8]> for SharedBytes {
    fn eq(&self, other: &[u8]) -> bool {
        self[..] == *other
    }
}

/// Line ending of one physical line, kept so the file prints back unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Eol {
    /// The last line of a file without a final newline.
    None,
    Lf,
    CrLf,
    /// A lone carriage return: Python's universal newlines break the line here.
    Cr,
}

impl Eol {
    pub fn as_bytes(self) -> &'static [u8] {
        match self {
            Eol::None => b"",
            Eol::Lf => b"\n",
            Eol::CrLf => b"\r\n",
            Eol::Cr => b"\r",
        }
    }

    pub fn len(self) -> usize {
        self.as_bytes().len()
    }
}

/// Splits `bytes` at the line breaks Python's text-mode iteration sees
/// (`\n`, `\r\n` and a lone `\r`), yielding `(start, content_end, eol)`.
pub struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lines<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Lines { bytes, pos: 0 }
    }
}

impl Iterator for Lines<'_> {
    type Item = (usize, usize, Eol);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let start = self.pos;
        let rest = &self.bytes[start..];
        if rest.is_empty() {
            return None;
        }
        match memchr::memchr2(b'\n', b'\r', rest) {
            None => {
                self.pos = self.bytes.len();
                Some((start, self.bytes.len(), Eol::None))
            }
            Some(i) => {
                let end = start + i;
                let eol = if rest[i] == b'\n' {
                    Eol::Lf
                } else if rest.get(i + 1) == Some(&b'\n') {
                    Eol::CrLf
                } else {
                    Eol::Cr
                };
                self.pos = end + eol.len();
                Some((start, end, eol))
            }
        }
    }
}

/// Is `b` an ASCII character Python's `str.isspace()` accepts?
/// That is the usual five plus the four information separators 0x1c–0x1f.
#[inline]
fn is_ascii_py_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f | b' ')
}

/// Multi-byte UTF-8 encodings of the non-ASCII characters `str.strip()` removes:
/// U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
#[inline]
fn multibyte_space_len_at_start(s: &[u8]) -> usize {
    match s {
        [0xc2, 0x85 | 0xa0, ..] => 2,
        [0xe1, 0x9a, 0x80, ..] => 3,
        [0xe2, 0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf, ..] => 3,
        [0xe2, 0x81, 0x9f, ..] => 3,
        [0xe3, 0x80, 0x80, ..] => 3,
        _ => 0,
    }
}

#[inline]
fn multibyte_space_len_at_end(s: &[u8]) -> usize {
    match s {
        [.., 0xc2, 0x85 | 0xa0] => 2,
        [.., 0xe1, 0x9a, 0x80] => 3,
        [.., 0xe2, 0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf] => 3,
        [.., 0xe2, 0x81, 0x9f] => 3,
        [.., 0xe3, 0x80, 0x80] => 3,
        _ => 0,
    }
}

/// Length of `s` after Python's `str.rstrip()`.
#[inline]
pub fn rstrip_len(s: &[u8]) -> usize {
    let mut end = s.len();
    while end > 0 {
        let last = s[end - 1];
        if last < 0x80 {
            if is_ascii_py_space(last) {
                end -= 1;
                continue;
            }
            break;
        }
        match multibyte_space_len_at_end(&s[..end]) {
            0 => break,
            n => end -= n,
        }
    }
    end
}

/// Number of leading bytes Python's `str.lstrip()` removes from `s`.
#[inline]
pub fn lstrip_len(s: &[u8]) -> usize {
    let mut start = 0;
    while start < s.len() {
        let first = s[start];
        if first < 0x80 {
            if is_ascii_py_space(first) {
                start += 1;
                continue;
            }
            break;
        }
        match multibyte_space_len_at_start(&s[start..]) {
            0 => break,
            n => start += n,
        }
    }
    start
}

/// `s.strip()` as a sub-slice.
pub fn strip(s: &[u8]) -> &[u8] {
    let s = &s[..rstrip_len(s)];
    &s[lstrip_len(s)..]
}

/// Does `s` start or end with a character `str.strip()` would remove?
pub fn has_outer_space(s: &[u8]) -> bool {
    lstrip_len(s) > 0 || rstrip_len(s) < s.len()
}

/// The text of the 1-based line `n` of `bytes` (line ending excluded), with
/// lines broken where Python breaks them.
pub fn nth_line(bytes: &[u8], n: usize) -> Option<&[u8]> {
    let (start, end, _) = Lines::new(bytes).nth(n.checked_sub(1)?)?;
    Some(&bytes[start..end])
}

/// The 1-based line and the byte offset of the first invalid UTF-8 sequence.
pub fn first_invalid_utf8(bytes: &[u8]) -> Option<(usize, usize)> {
    match std::str::from_utf8(bytes) {
        Ok(_) => None,
        Err(e) => {
            let offset = e.valid_up_to();
            let line = 1 + Lines::new(&bytes[..offset])
                .filter(|l| l.2 != Eol::None)
                .count();
            Some((line, offset))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_python_universal_newlines() {
        let text = b"a\nb\r\nc\rd";
        let lines: Vec<_> = Lines::new(text).collect();
        assert_eq!(
            lines,
            vec![
                (0, 1, Eol::Lf),
                (2, 3, Eol::CrLf),
                (5, 6, Eol::Cr),
                (7, 8, Eol::None)
            ]
        );
        assert_eq!(Lines::new(b"").count(), 0);
        assert_eq!(Lines::new(b"\n").collect::<Vec<_>>(), vec![(0, 0, Eol::Lf)]);
    }

    #[test]
    fn strips_python_whitespace() {
        assert_eq!(strip(b" \t a b \x0c\x1c"), b"a b");
        assert_eq!(strip("\u{a0}x\u{3000}".as_bytes()), b"x");
        assert_eq!(strip("\u{2007}x\u{2028}".as_bytes()), b"x");
        // U+200B (zero width space) is not whitespace for Python.
        assert_eq!(strip("x\u{200b}".as_bytes()), "x\u{200b}".as_bytes());
        // A BOM is not whitespace either.
        assert_eq!(strip("\u{feff}x".as_bytes()), "\u{feff}x".as_bytes());
        // Bytes that are not UTF-8 are never whitespace.
        assert_eq!(strip(b"\xa0x\xa0"), b"\xa0x\xa0");
        assert_eq!(rstrip_len(b"   "), 0);
    }

    #[test]
    fn agrees_with_rust_plus_information_separators() {
        for c in (0u32..0x3100).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let s = c.encode_utf8(&mut buf).as_bytes();
            let python = c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c);
            assert_eq!(rstrip_len(s) == 0, python, "{c:?}");
            assert_eq!(lstrip_len(s) == s.len(), python, "{c:?}");
        }
    }

    #[test]
    fn finds_first_invalid_byte_line() {
        assert_eq!(first_invalid_utf8(b"ok\nok"), None);
        assert_eq!(first_invalid_utf8(b"a\r\nb\n# caf\xe9\n"), Some((3, 10)));
    }
}
