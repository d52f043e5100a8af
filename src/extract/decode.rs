//! Bytes to text: UTF-8 (with or without a byte order mark), UTF-16 with a
//! byte order mark, or whatever legacy encoding `chardetng` guesses (Shift_JIS,
//! EUC-KR, GBK, windows-1252…). Binary content is refused with the line it
//! starts on.

use std::borrow::Cow;

/// Why a guide cannot be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// 1-based line of the first offending byte, when it has one.
    pub line: Option<usize>,
    pub reason: String,
}

/// The text of a guide, and the encoding it was read in.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// `UTF-8`, `UTF-16LE`, `Shift_JIS`…
    pub encoding: &'static str,
}

/// Bytes that only binary files hold: NUL and most C0 controls (tab, line
/// feed, carriage return, form feed and escape are text).
fn is_binary_byte(b: u8) -> bool {
    matches!(b, 0x00..=0x08 | 0x0e..=0x1a | 0x1c..=0x1f)
}

/// Where the first binary byte is: a branch-free look at each 64-byte chunk
/// (vectorised), then the exact place in the one that has one.
fn first_binary(bytes: &[u8]) -> Option<usize> {
    let mut base = 0;
    for chunk in bytes.chunks(64) {
        if chunk.iter().fold(false, |any, &b| any | is_binary_byte(b)) {
            return chunk
                .iter()
                .position(|&b| is_binary_byte(b))
                .map(|i| base + i);
        }
        base += chunk.len();
    }
    None
}

fn line_of(bytes: &[u8], at: usize) -> usize {
    memchr::memchr_iter(b'\n', &bytes[..at.min(bytes.len())]).count() + 1
}

/// Decodes `bytes` as text, or says why it is not text.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return utf8(rest).map(|text| Decoded {
            text,
            encoding: "UTF-8",
        });
    }
    for (bom, enc) in [
        (&b"\xff\xfe"[..], encoding_rs::UTF_16LE),
        (&b"\xfe\xff"[..], encoding_rs::UTF_16BE),
    ] {
        if bytes.starts_with(bom) {
            let (text, had_errors) = enc.decode_with_bom_removal(bytes);
            if had_errors {
                return Err(DecodeError {
                    line: None,
                    reason: format!("not valid {} text", enc.name()),
                });
            }
            return refuse_controls(text).map(|text| Decoded {
                text,
                encoding: enc.name(),
            });
        }
    }
    if let Some(at) = first_binary(bytes) {
        return Err(binary(bytes, at));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: "UTF-8",
        });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, had_errors) = enc.decode(bytes);
    if had_errors {
        let at = std::str::from_utf8(bytes)
            .err()
            .map_or(0, |e| e.valid_up_to());
        return Err(DecodeError {
            line: Some(line_of(bytes, at)),
            reason: "not text in UTF-8 or any encoding stackhop can tell".to_string(),
        });
    }
    Ok(Decoded {
        text,
        encoding: enc.name(),
    })
}

fn utf8(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    if let Some(at) = first_binary(bytes) {
        return Err(binary(bytes, at));
    }
    std::str::from_utf8(bytes)
        .map(Cow::Borrowed)
        .map_err(|e| DecodeError {
            line: Some(line_of(bytes, e.valid_up_to())),
            reason: "starts with a UTF-8 byte order mark but is not valid UTF-8".to_string(),
        })
}

fn refuse_controls(text: Cow<'_, str>) -> Result<Cow<'_, str>, DecodeError> {
    match first_binary(text.as_bytes()) {
        Some(at) => Err(binary(text.as_bytes(), at)),
        None => Ok(text),
    }
}

fn binary(bytes: &[u8], at: usize) -> DecodeError {
    let what = if bytes.starts_with(b"PK\x03\x04") {
        " (a ZIP archive, e.g. a .docx)"
    } else if bytes.starts_with(b"\x7fELF") {
        " (an executable)"
    } else if bytes.starts_with(b"%PDF") {
        " (a PDF)"
    } else {
        ""
    };
    DecodeError {
        line: Some(line_of(bytes, at)),
        reason: format!(
            "binary content{what}: byte 0x{:02x} is not text; give a text guide (Markdown, reStructuredText, MediaWiki, DocBook, HTML or plain text)",
            bytes.get(at).copied().unwrap_or(0)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_legacy_and_binary() {
        assert_eq!(decode(b"a\nb").unwrap().text, "a\nb");
        assert_eq!(decode(b"\xef\xbb\xbfa").unwrap().text, "a");
        let e = decode(b"line\nPK\x03\x04\x00\x00").unwrap_err();
        assert_eq!(e.line, Some(2));
        // Shift_JIS for "コントローラ"
        let sjis = encoding_rs::SHIFT_JIS
            .encode("[DEFAULT]\n# コントローラノード の設定です\nmy_ip = 10.0.0.11\n")
            .0;
        let d = decode(&sjis).unwrap();
        assert!(d.text.contains("コントローラ"), "{}", d.encoding);
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("[DEFAULT]\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&utf16).unwrap().text, "[DEFAULT]\n");
    }
}
