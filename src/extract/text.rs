//! Lines of a guide, with the 1-based numbers an editor shows.
//!
//! A line ends at `\n` (or `\r\n`). A lone `\r` (text pasted from old Mac
//! tools, or from a page) also breaks the line for reading, but keeps the
//! number of the editor line it is on.

/// Byte offsets where lines start, to turn an offset into a line number.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line(&self, offset: usize) -> u32 {
        let i = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        (i + 1) as u32
    }
}

/// Every line of `text` with its number; a lone `\r` splits a line into
/// pieces that share its number. Line endings are not part of the pieces.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (u32, &str)> {
    text.split('\n').enumerate().flat_map(|(i, line)| {
        let line = line.strip_suffix('\r').unwrap_or(line);
        line.split('\r').map(move |piece| ((i + 1) as u32, piece))
    })
}

/// Columns of leading white space (a tab counts as one, as it is kept).
pub(crate) fn indent(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\t']).len()
}

/// Removes the indentation every non-blank line shares.
pub(crate) fn dedent(lines: &mut [super::blocks::CodeLine]) {
    let common = lines
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .map(|l| indent(&l.text))
        .min()
        .unwrap_or(0);
    if common == 0 {
        return;
    }
    for l in lines.iter_mut() {
        let cut = indent(&l.text).min(common);
        l.text.drain(..cut);
    }
}

/// Decodes the character references of XML and HTML (`&lt;`, `&#64;`,
/// `&#x40;`, `&nbsp;`); unknown entities stay as they are.
pub(crate) fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';' || c.is_whitespace() || c == '&')
            .filter(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "hellip" => Some('…'),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "larr" => Some('←'),
                "rarr" => Some('→'),
                _ => {
                    if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                        u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                    } else if let Some(dec) = name.strip_prefix('#') {
                        dec.parse::<u32>().ok().and_then(char::from_u32)
                    } else {
                        None
                    }
                }
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_editor_numbers() {
        let got: Vec<_> = lines("a\r\nb\rc\nd").collect();
        assert_eq!(got, [(1, "a"), (2, "b"), (2, "c"), (3, "d")]);
        let idx = LineIndex::new("ab\ncd\n\nx");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(3), 2);
        assert_eq!(idx.line(6), 3);
        assert_eq!(idx.line(7), 4);
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a &lt;b&gt; &amp;&#64;&#x41;&foo; & x"),
            "a <b> &@A&foo; & x"
        );
    }
}
