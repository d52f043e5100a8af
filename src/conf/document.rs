//! The document: a list of physical lines over one byte buffer.

use super::parse::{EntryPos, Kind, Problem, classify};
use super::text::{Eol, Lines, first_invalid_utf8};
use std::borrow::Cow;
use std::fmt;

/// Section id of lines above the first header.
pub(crate) const NO_SECTION: u32 = u32::MAX;

const BOM: &[u8] = b"\xef\xbb\xbf";

/// One physical line: where its bytes are, what it is, which section it is in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    /// Start of the line in `Document::buf`.
    pub start: u32,
    /// End of its content; the line ending's bytes follow in the buffer.
    pub end: u32,
    pub eol: Eol,
    pub kind: Kind,
    /// Index into `Document::sections`, or `NO_SECTION`.
    pub section: u32,
}

impl Line {
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn full_range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize + self.eol.len()
    }
}

/// One `[header]` occurrence. Sections may repeat; occurrences with the same
/// group are merged when read.
#[derive(Debug, Clone)]
pub(crate) struct SectionName {
    /// As written between the brackets.
    pub name: String,
    /// The lower-cased name, when it differs from `name`.
    lowered: Option<String>,
    /// The header had no assignment under it when the file was read: an
    /// edit never removes it (see [`Document::remove`]).
    pub read_empty: bool,
}

impl SectionName {
    pub fn new(name: String) -> SectionName {
        let lowered = match normalize_group(&name) {
            Cow::Owned(lowered) => Some(lowered),
            Cow::Borrowed(_) => None,
        };
        SectionName {
            name,
            lowered,
            read_empty: false,
        }
    }

    /// As oslo.config compares it: `DEFAULT`, or the name lower-cased.
    pub fn group(&self) -> &str {
        self.lowered.as_deref().unwrap_or(&self.name)
    }
}

/// A nova.conf file as oslo.config reads it, that prints back byte for byte.
///
/// Parse it with [`Document::parse`] (oslo.config's rules: a line nova would
/// reject is an error) or [`Document::parse_lenient`] (keeps the bad lines and
/// lists them). Read options with [`Document::entries`] and [`Document::get`];
/// edit them with the methods in `edit.rs`; print with [`Document::to_bytes`].
#[derive(Debug, Clone)]
pub struct Document {
    /// The original bytes, followed by the text of any line written since.
    pub(crate) buf: Vec<u8>,
    pub(crate) lines: Vec<Line>,
    pub(crate) sections: Vec<SectionName>,
    pub(crate) bom: bool,
    /// Counts edits (see [`Document::revision`]).
    pub(crate) revision: u64,
}

/// A line oslo.config would reject, with its 1-based number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LineProblem {
    pub line: usize,
    pub problem: Problem,
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.line, self.problem)
    }
}

/// Why a document could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The first line oslo.config would reject.
    #[error("{}", .0.problem)]
    Line(LineProblem),
    /// Line offsets are 32-bit: no nova.conf comes near this.
    #[error("file is larger than 4 GiB")]
    TooLarge,
}

impl ParseError {
    /// 1-based line of the problem, when it is about a line.
    pub fn line(&self) -> Option<usize> {
        match self {
            ParseError::Line(p) => Some(p.line),
            ParseError::TooLarge => None,
        }
    }
}

/// The largest input a document takes.
const MAX_LEN: usize = u32::MAX as usize / 2;

/// How oslo.config names a group: `DEFAULT` stays as it is, any other
/// section name is compared lower-cased (so `[DEFAULT]` and `[default]` differ).
pub fn normalize_group(name: &str) -> Cow<'_, str> {
    if name == "DEFAULT" || (name.is_ascii() && !name.bytes().any(|b| b.is_ascii_uppercase())) {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(name.to_lowercase())
    }
}

impl Document {
    /// Parses `bytes` as oslo.config does; the first line it would reject is
    /// an error.
    pub fn parse(bytes: impl Into<Vec<u8>>) -> Result<Document, ParseError> {
        let doc = Document::parse_lenient(bytes)?;
        match doc.problems().first() {
            Some(&p) => Err(ParseError::Line(p)),
            None => Ok(doc),
        }
    }

    /// Parses `bytes`, keeping lines oslo.config would reject as invalid
    /// lines (see [`Document::problems`]). A header with text after its `]`
    /// still opens the section it names, so what follows can be read.
    pub fn parse_lenient(bytes: impl Into<Vec<u8>>) -> Result<Document, ParseError> {
        let buf: Vec<u8> = bytes.into();
        if buf.len() > MAX_LEN {
            return Err(ParseError::TooLarge);
        }
        let bom = buf.starts_with(BOM);
        let body = if bom { BOM.len() } else { 0 };
        let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', &buf).count() + 1);
        let mut sections: Vec<SectionName> = Vec::new();
        let mut section = NO_SECTION;
        let mut in_value = false;
        for (start, end, eol) in Lines::new(&buf[body..]) {
            let (start, end) = (start + body, end + body);
            let content = &buf[start..end];
            let mut kind = classify(content);
            match kind {
                Kind::Blank | Kind::Comment => in_value = false,
                Kind::Entry(_) => in_value = true,
                Kind::Continuation { .. } => {
                    if !in_value {
                        kind = Kind::Invalid(Problem::UnexpectedContinuation);
                    }
                }
                Kind::Header { len } => {
                    in_value = false;
                    section = push_section(&mut sections, &content[1..len as usize - 1]);
                }
                Kind::Invalid(problem) => {
                    in_value = false;
                    if problem == Problem::NoSectionEnd {
                        if let Some(name) = recovered_section_name(content) {
                            section = push_section(&mut sections, name);
                        }
                    }
                }
            }
            lines.push(Line {
                start: start as u32,
                end: end as u32,
                eol,
                kind,
                section,
            });
        }
        let mut read_empty = vec![true; sections.len()];
        for line in &lines {
            if matches!(line.kind, Kind::Entry(_)) && line.section != NO_SECTION {
                read_empty[line.section as usize] = false;
            }
        }
        for (s, empty) in sections.iter_mut().zip(read_empty) {
            s.read_empty = empty;
        }
        Ok(Document {
            buf,
            lines,
            sections,
            bom,
            revision: 0,
        })
    }

    /// The bytes of the document: the input, with any edits.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.buf.len());
        if self.bom {
            out.extend_from_slice(BOM);
        }
        // Copy runs of lines that are contiguous in the buffer at once: an
        // untouched document is a single copy.
        let mut run = 0..0;
        for line in &self.lines {
            let r = line.full_range();
            if r.start == run.end {
                run.end = r.end;
            } else {
                out.extend_from_slice(&self.buf[run]);
                run = r;
            }
        }
        out.extend_from_slice(&self.buf[run]);
        out
    }

    /// The bytes of the document with some values replaced, for showing it
    /// without secrets. `replace(group, key, value)` gets each assignment's
    /// group, key and value as nova reads it (continuation lines joined with
    /// `\n`), and returns the text to show on its first line instead, if
    /// any; its continuation lines then show `fill`. Comment lines holding a
    /// commented-out assignment (`#password = x`) are offered too, with the
    /// comment lines that would continue it (`#  more`). Line structure is
    /// kept, so diffs of two such renderings align.
    pub fn to_bytes_replacing(
        &self,
        replace: impl Fn(&str, &str, &str) -> Option<String>,
        fill: &str,
    ) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.buf.len());
        if self.bom {
            out.extend_from_slice(BOM);
        }
        // Continuation lines of the value being replaced: live ones, or
        // commented ones after a commented-out assignment.
        let mut replacing = None;
        for (i, line) in self.lines.iter().enumerate() {
            let content = self.content(i);
            let group = if line.section == NO_SECTION {
                ""
            } else {
                self.sections[line.section as usize].group()
            };
            let mut text = None;
            match (line.kind, replacing) {
                (Kind::Continuation { start, end }, Some(false)) => {
                    text = Some(filled(content, start as usize, end as usize, fill));
                }
                (Kind::Comment, Some(true)) if commented_continuation(content).is_some() => {
                    let (start, end) = commented_continuation(content).unwrap_or_default();
                    text = Some(filled(content, start, end, fill));
                }
                (Kind::Continuation { .. }, _) => {}
                (Kind::Comment, Some(true)) if commented_continuation(content).is_some() => {}
                _ => {
                    replacing = None;
                    let commented = matches!(line.kind, Kind::Comment);
                    let site = match line.kind {
                        Kind::Entry(p) => Some((0usize, p)),
                        Kind::Comment => match classify(&content[1..]) {
                            Kind::Entry(p) => Some((1, p)),
                            _ => None,
                        },
                        _ => None,
                    };
                    if let Some((off, p)) = site {
                        let key = String::from_utf8_lossy(
                            &content[off + p.key_start as usize..off + p.key_end as usize],
                        );
                        let value = self.value_at(i, off, p, commented);
                        if let Some(shown) = replace(group, &key, &value) {
                            replacing = Some(commented);
                            let (vs, ve) =
                                (off + p.value_start as usize, off + p.value_end as usize);
                            text =
                                Some([&content[..vs], shown.as_bytes(), &content[ve..]].concat());
                        }
                    }
                }
            }
            match text {
                Some(t) => out.extend_from_slice(&t),
                None => out.extend_from_slice(content),
            }
            out.extend_from_slice(line.eol.as_bytes());
        }
        out
    }

    /// The value of the assignment on line `idx` at `off` in its text (1
    /// for a commented-out one), as nova would read it: unquoted, with the
    /// lines that continue it.
    fn value_at(&self, idx: usize, off: usize, p: EntryPos, commented: bool) -> String {
        let content = self.content(idx);
        let (vs, ve) = p.value_range();
        let mut value = String::from_utf8_lossy(&content[off + vs..off + ve]).into_owned();
        for next in idx + 1..self.lines.len() {
            let text = self.content(next);
            let piece = match (commented, self.lines[next].kind) {
                (false, Kind::Continuation { start, end }) => &text[start as usize..end as usize],
                (true, Kind::Comment) => match commented_continuation(text) {
                    Some((start, end)) => &text[start..end],
                    None => break,
                },
                _ => break,
            };
            value.push('\n');
            value.push_str(&String::from_utf8_lossy(piece));
        }
        value
    }

    /// Lines oslo.config would reject, in file order. Empty for a document
    /// made by [`Document::parse`].
    pub fn problems(&self) -> Vec<LineProblem> {
        self.lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let problem = match l.kind {
                    Kind::Invalid(p) => p,
                    Kind::Entry(_) if l.section == NO_SECTION => Problem::BeforeSection,
                    _ => return None,
                };
                Some(LineProblem {
                    line: i + 1,
                    problem,
                })
            })
            .collect()
    }

    /// The file starts with a UTF-8 byte order mark. oslo.config reads it as
    /// part of the first line, which it then refuses.
    pub fn has_bom(&self) -> bool {
        self.bom
    }

    /// The first line holding bytes that are not UTF-8: nova decodes its
    /// config files as UTF-8 and refuses such a file.
    pub fn first_invalid_utf8_line(&self) -> Option<usize> {
        first_invalid_utf8(&self.to_bytes()).map(|(line, _)| line)
    }

    /// A number that changes with every edit: what was read from the
    /// document is still true while its revision is the same.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Number of physical lines.
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> Option<&[u8]> {
        let l = self.lines.get(line.checked_sub(1)?)?;
        Some(&self.buf[l.range()])
    }

    /// Every assignment under a section, in file order.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        self.lines
            .iter()
            .enumerate()
            .filter(|(_, l)| matches!(l.kind, Kind::Entry(_)) && l.section != NO_SECTION)
            .map(move |(idx, _)| Entry { doc: self, idx })
    }

    /// Every value of `key` in `section` (repeated sections merge), in file order.
    pub fn get_all<'d>(
        &'d self,
        section: &str,
        key: &str,
    ) -> impl Iterator<Item = Entry<'d>> + use<'d> {
        let group = normalize_group(section).into_owned();
        let key = key.as_bytes().to_vec();
        self.entries()
            .filter(move |e| e.group() == group && e.key_bytes() == key.as_slice())
    }

    /// The value nova uses for a single-valued option: the last one.
    pub fn get(&self, section: &str, key: &str) -> Option<Entry<'_>> {
        self.get_all(section, key).last()
    }

    /// Does any `[section]` header name this group?
    pub fn has_section(&self, section: &str) -> bool {
        let group = normalize_group(section);
        self.sections.iter().any(|s| s.group() == group)
    }

    /// The groups of the file, each once, in order of first appearance.
    pub fn groups(&self) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        self.sections
            .iter()
            .map(SectionName::group)
            .filter(|g| seen.insert(*g))
            .collect()
    }

    /// The 1-based line of each group's first `[section]` header.
    pub fn header_lines(&self) -> std::collections::HashMap<&str, usize> {
        let mut out = std::collections::HashMap::new();
        for (idx, line) in self.lines.iter().enumerate() {
            if matches!(line.kind, Kind::Header { .. }) {
                let group = self.sections[line.section as usize].group();
                out.entry(group).or_insert(idx + 1);
            }
        }
        out
    }

    pub(crate) fn content(&self, idx: usize) -> &[u8] {
        &self.buf[self.lines[idx].range()]
    }

    /// Index one past the last continuation line of the entry at `idx`.
    pub(crate) fn entry_end(&self, idx: usize) -> usize {
        let mut end = idx + 1;
        while end < self.lines.len() && matches!(self.lines[end].kind, Kind::Continuation { .. }) {
            end += 1;
        }
        end
    }

    pub(crate) fn entry_pos(&self, idx: usize) -> EntryPos {
        match self.lines[idx].kind {
            Kind::Entry(p) => p,
            _ => unreachable!("line {} is not an assignment", idx + 1),
        }
    }
}

/// `#  more`: a comment line whose text after the `#` would continue a
/// value; the range of that text in the line.
fn commented_continuation(content: &[u8]) -> Option<(usize, usize)> {
    match classify(content.get(1..)?) {
        Kind::Continuation { start, end } => Some((1 + start as usize, 1 + end as usize)),
        _ => None,
    }
}

/// `content` with `start..end` replaced by `fill`.
fn filled(content: &[u8], start: usize, end: usize, fill: &str) -> Vec<u8> {
    [&content[..start], fill.as_bytes(), &content[end..]].concat()
}

fn push_section(sections: &mut Vec<SectionName>, raw: &[u8]) -> u32 {
    sections.push(SectionName::new(String::from_utf8_lossy(raw).into_owned()));
    (sections.len() - 1) as u32
}

/// `[DEFAULT] # note` → `DEFAULT`; `[vnc` → `vnc`.
fn recovered_section_name(content: &[u8]) -> Option<&[u8]> {
    let inner = &content[1..];
    let name = match memchr::memchr(b']', inner) {
        Some(i) => &inner[..i],
        None => &inner[..super::text::rstrip_len(inner)],
    };
    (!super::text::strip(name).is_empty()).then_some(name)
}

/// One assignment of a document: where it is and what nova reads from it.
#[derive(Clone, Copy)]
pub struct Entry<'d> {
    doc: &'d Document,
    idx: usize,
}

impl<'d> Entry<'d> {
    /// 1-based number of the line that holds the key.
    pub fn line(&self) -> usize {
        self.idx + 1
    }

    /// 1-based number of the value's last line (continuation lines included).
    pub fn last_line(&self) -> usize {
        self.doc.entry_end(self.idx)
    }

    /// The section name as written.
    pub fn section(&self) -> &'d str {
        &self.doc.sections[self.doc.lines[self.idx].section as usize].name
    }

    /// The group as oslo.config compares it.
    pub fn group(&self) -> &'d str {
        self.doc.sections[self.doc.lines[self.idx].section as usize].group()
    }

    pub fn key_bytes(&self) -> &'d [u8] {
        let p = self.doc.entry_pos(self.idx);
        &self.doc.content(self.idx)[p.key_start as usize..p.key_end as usize]
    }

    pub fn key(&self) -> Cow<'d, str> {
        String::from_utf8_lossy(self.key_bytes())
    }

    /// The value as oslo.config reads it: stripped, one pair of quotes
    /// removed, continuation lines joined with `\n`, nothing else touched.
    pub fn value_bytes(&self) -> Cow<'d, [u8]> {
        let p = self.doc.entry_pos(self.idx);
        let (vs, ve) = p.value_range();
        let first = &self.doc.content(self.idx)[vs..ve];
        let end = self.doc.entry_end(self.idx);
        if end == self.idx + 1 {
            return Cow::Borrowed(first);
        }
        let mut value = first.to_vec();
        for i in self.idx + 1..end {
            if let Kind::Continuation { start, end } = self.doc.lines[i].kind {
                value.push(b'\n');
                value.extend_from_slice(&self.doc.content(i)[start as usize..end as usize]);
            }
        }
        Cow::Owned(value)
    }

    /// [`Entry::value_bytes`] as text (bytes that are not UTF-8 replaced).
    pub fn value(&self) -> Cow<'d, str> {
        match self.value_bytes() {
            Cow::Borrowed(b) => String::from_utf8_lossy(b),
            Cow::Owned(b) => Cow::Owned(String::from_utf8_lossy(&b).into_owned()),
        }
    }

    /// Does the value go on over indented continuation lines?
    pub fn is_multiline(&self) -> bool {
        self.doc.entry_end(self.idx) > self.idx + 1
    }

    /// The value text of the first line as written: quotes kept.
    pub fn raw_value(&self) -> &'d [u8] {
        let p = self.doc.entry_pos(self.idx);
        &self.doc.content(self.idx)[p.value_start as usize..p.value_end as usize]
    }

    /// Index of the line in the document.
    pub(crate) fn index(&self) -> usize {
        self.idx
    }
}

impl fmt::Debug for Entry<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry")
            .field("line", &self.line())
            .field("section", &self.section())
            .field("key", &self.key())
            .field("value", &self.value())
            .finish()
    }
}
