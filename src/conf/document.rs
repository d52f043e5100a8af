//! The document: a list of physical lines over the file's bytes (kept as
//! they were read, shared with whoever read them) and the text of the lines
//! edits wrote, with an index from (group, key) to the lines that set it.

use super::index::IndexCell;
pub(crate) use super::option_ref::normalize_group;
use super::parse::{EntryPos, Kind, Problem, classify};
use super::text::{Eol, Lines, SharedBytes};
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// Section id of lines above the first header.
pub(crate) const NO_SECTION: u32 = u32::MAX;

const BOM: &[u8] = b"\xef\xbb\xbf";

/// Text addresses from here on are in the buffer of written lines; below
/// it, in the bytes read.
const ADDED: u32 = 1 << 31;

/// What a line is, without the positions [`Kind`] carries (they are found
/// again from the line's text when needed): a line costs 16 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    Blank,
    Comment,
    Header,
    Entry,
    Continuation,
    Invalid(Problem),
}

impl Tag {
    pub fn of(kind: Kind) -> Tag {
        match kind {
            Kind::Blank => Tag::Blank,
            Kind::Comment => Tag::Comment,
            Kind::Header { .. } => Tag::Header,
            Kind::Entry(_) => Tag::Entry,
            Kind::Continuation { .. } => Tag::Continuation,
            Kind::Invalid(p) => Tag::Invalid(p),
        }
    }
}

/// One physical line: where its text is, what it is, which section it is in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    /// Address of the line's text (see [`Text`]).
    pub start: u32,
    /// End of its content; the line ending's bytes follow.
    pub end: u32,
    /// Index into `Document::sections`, or `NO_SECTION`.
    pub section: u32,
    pub eol: Eol,
    pub tag: Tag,
}

impl Line {
    fn full_end(&self) -> u32 {
        self.end + self.eol.len() as u32
    }
}

/// The bytes lines point into: the file as read, then what edits wrote.
#[derive(Debug, Clone, Default)]
pub(crate) struct Text {
    read: SharedBytes,
    written: Vec<u8>,
}

impl Text {
    pub fn slice(&self, start: u32, end: u32) -> &[u8] {
        if start >= ADDED {
            &self.written[(start - ADDED) as usize..(end - ADDED) as usize]
        } else {
            &self.read[start as usize..end as usize]
        }
    }

    /// Appends the pieces; returns the address of the first byte.
    pub fn push(&mut self, pieces: &[&[u8]]) -> u32 {
        let start = self.written.len();
        for p in pieces {
            self.written.extend_from_slice(p);
        }
        // MAX_LEN keeps every edit far below this: editing a file can at
        // most double it, plus a marker line per option.
        assert!(
            self.written.len() < ADDED as usize,
            "edits wrote more than 2 GiB"
        );
        ADDED + start as u32
    }

    /// Bytes held.
    pub fn len(&self) -> usize {
        self.read.len() + self.written.len()
    }
}

/// A string of the document: a span of its text (valid UTF-8), or one of
/// its owned strings. Packed: 8 bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Str(u64);

const OWNED: u64 = 1 << 63;

impl Str {
    fn span(start: u32, len: u32) -> Str {
        Str(u64::from(start) | (u64::from(len) << 32))
    }
    fn owned(index: usize) -> Str {
        Str(OWNED | index as u64)
    }
}

/// No lower-cased group name: the group is the name.
const SAME: u32 = u32::MAX;

/// One `[header]` occurrence. Sections may repeat; occurrences with the same
/// group are merged when read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SectionName {
    /// As written between the brackets.
    name: Str,
    /// Index into `Document::strings` of the lower-cased name, or `SAME`.
    group: u32,
    /// The header had no assignment under it when the file was read: an
    /// edit never removes it (see [`Document::remove`]).
    pub read_empty: bool,
}

/// A nova.conf file as oslo.config reads it, that prints back byte for byte.
///
/// Parse it with [`Document::parse`] (oslo.config's rules: a line nova would
/// reject is an error) or [`Document::parse_lenient`] (keeps the bad lines and
/// lists them). Read options with [`Document::entries`] and [`Document::get`];
/// edit them with the methods in `edit.rs`; print with [`Document::to_bytes`].
///
/// Memory: the bytes read (shared, not copied), 16 bytes a line (shared
/// with a clone until either is edited), 16 a section, and, once a few
/// options have been looked up, an index of 5 to 10 bytes an option.
/// Looking up an option then costs a hash, and every edit keeps the index
/// right.
#[derive(Debug, Clone)]
pub struct Document {
    pub(crate) text: Text,
    /// Shared by a clone until either is edited: a copy of the input kept
    /// while the document is edited costs nothing until the first edit.
    pub(crate) lines: Arc<Vec<Line>>,
    pub(crate) sections: Vec<SectionName>,
    /// Section names that are not spans of the text: lower-cased groups,
    /// names that are not UTF-8 (lossily decoded), names of added sections.
    strings: Vec<Box<str>>,
    pub(crate) bom: bool,
    /// Counts edits (see [`Document::revision`]).
    pub(crate) revision: u64,
    pub(crate) index: IndexCell,
    /// The assignment style last found (see `Document::assignment_style`),
    /// and by how many entries it led the next one: it stands while fewer
    /// lines than that have changed.
    pub(crate) style: Option<(Vec<u8>, usize)>,
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
    #[error("file is larger than 1 GiB")]
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
const MAX_LEN: usize = 1 << 30;

impl Document {
    /// Parses `bytes` as oslo.config does; the first line it would reject is
    /// an error.
    pub fn parse(bytes: impl Into<SharedBytes>) -> Result<Document, ParseError> {
        let doc = Document::parse_lenient(bytes)?;
        match doc.problems().first() {
            Some(&p) => Err(ParseError::Line(p)),
            None => Ok(doc),
        }
    }

    /// Parses `bytes`, keeping lines oslo.config would reject as invalid
    /// lines (see [`Document::problems`]). A header with text after its `]`
    /// still opens the section it names, so what follows can be read.
    pub fn parse_lenient(bytes: impl Into<SharedBytes>) -> Result<Document, ParseError> {
        let buf: SharedBytes = bytes.into();
        if buf.len() > MAX_LEN {
            return Err(ParseError::TooLarge);
        }
        let bom = buf.starts_with(BOM);
        let body = if bom { BOM.len() } else { 0 };
        let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', &buf).count() + 1);
        let mut doc = Document {
            text: Text::default(),
            lines: Arc::default(),
            sections: Vec::new(),
            strings: Vec::new(),
            bom,
            revision: 0,
            index: IndexCell::default(),
            style: None,
        };
        let mut section = NO_SECTION;
        let mut in_value = false;
        for (start, end, eol) in Lines::new(&buf[body..]) {
            let (start, end) = (start + body, end + body);
            let content = &buf[start..end];
            let mut kind = classify(content);
            match kind {
                Kind::Blank | Kind::Comment => in_value = false,
                Kind::Entry(_) => {
                    in_value = true;
                    if section != NO_SECTION {
                        doc.sections[section as usize].read_empty = false;
                    }
                }
                Kind::Continuation { .. } => {
                    if !in_value {
                        kind = Kind::Invalid(Problem::UnexpectedContinuation);
                    }
                }
                Kind::Header { len } => {
                    in_value = false;
                    section = doc.push_section(start as u32 + 1, len - 2, &buf);
                }
                Kind::Invalid(problem) => {
                    in_value = false;
                    if problem == Problem::NoSectionEnd {
                        if let Some(len) = recovered_section_name(content) {
                            section = doc.push_section(start as u32 + 1, len, &buf);
                        }
                    }
                }
            }
            lines.push(Line {
                start: start as u32,
                end: end as u32,
                section,
                eol,
                tag: Tag::of(kind),
            });
        }
        doc.text.read = buf;
        doc.lines = Arc::new(lines);
        Ok(doc)
    }

    /// Adds a section named by `len` bytes at `start` of the text being
    /// read. Returns its id.
    fn push_section(&mut self, start: u32, len: u32, text: &[u8]) -> u32 {
        let raw = &text[start as usize..(start + len) as usize];
        let name = match std::str::from_utf8(raw) {
            Ok(_) => Str::span(start, len),
            Err(_) => self.own(String::from_utf8_lossy(raw).into_owned()),
        };
        let group = self.group_of_name(name, text);
        self.sections.push(SectionName {
            name,
            group,
            read_empty: true,
        });
        (self.sections.len() - 1) as u32
    }

    /// Adds a section that is not in the text yet (`set` adds it at the end).
    pub(crate) fn add_section(&mut self, name: &str) -> u32 {
        let str = self.own(name.to_string());
        let group = match normalize_group(name) {
            Cow::Owned(lowered) => self.strings_push(lowered),
            Cow::Borrowed(_) => SAME,
        };
        self.sections.push(SectionName {
            name: str,
            group,
            read_empty: false,
        });
        (self.sections.len() - 1) as u32
    }

    fn group_of_name(&mut self, name: Str, text: &[u8]) -> u32 {
        let lowered = match normalize_group(self.resolve_in(name, text)) {
            Cow::Owned(lowered) => Some(lowered),
            Cow::Borrowed(_) => None,
        };
        match lowered {
            Some(l) => self.strings_push(l),
            None => SAME,
        }
    }

    fn own(&mut self, s: String) -> Str {
        Str::owned(self.strings_push(s) as usize)
    }

    fn strings_push(&mut self, s: String) -> u32 {
        self.strings.push(s.into_boxed_str());
        (self.strings.len() - 1) as u32
    }

    /// `s` read against `text` (the bytes being parsed, before they are
    /// the document's).
    fn resolve_in<'a>(&'a self, s: Str, text: &'a [u8]) -> &'a str {
        if s.0 & OWNED != 0 {
            return &self.strings[(s.0 & !OWNED) as usize];
        }
        let (start, len) = ((s.0 & 0xffff_ffff) as u32, (s.0 >> 32) as u32);
        let bytes = if start >= ADDED {
            self.text.slice(start, start + len)
        } else {
            &text[start as usize..(start + len) as usize]
        };
        std::str::from_utf8(bytes).unwrap_or_default()
    }

    fn resolve(&self, s: Str) -> &str {
        if s.0 & OWNED != 0 {
            return &self.strings[(s.0 & !OWNED) as usize];
        }
        let (start, len) = ((s.0 & 0xffff_ffff) as u32, (s.0 >> 32) as u32);
        std::str::from_utf8(self.text.slice(start, start + len)).unwrap_or_default()
    }

    /// The bytes of `s`, as [`Document::resolve`] reads them, not decoded
    /// again: a span is UTF-8 (checked when it was made).
    fn resolve_bytes(&self, s: Str) -> &[u8] {
        if s.0 & OWNED != 0 {
            return self.strings[(s.0 & !OWNED) as usize].as_bytes();
        }
        let (start, len) = ((s.0 & 0xffff_ffff) as u32, (s.0 >> 32) as u32);
        self.text.slice(start, start + len)
    }

    /// Is the group of section `id` (not `NO_SECTION`) `group`? As
    /// `self.group(id) == group`, without decoding the name.
    pub(crate) fn group_is(&self, id: u32, group: &str) -> bool {
        let s = &self.sections[id as usize];
        match s.group {
            SAME => self.resolve_bytes(s.name) == group.as_bytes(),
            g => &*self.strings[g as usize] == group,
        }
    }

    /// The name of section `id` as written.
    pub(crate) fn section_name(&self, id: u32) -> &str {
        self.resolve(self.sections[id as usize].name)
    }

    /// The group of section `id`, as oslo.config compares it; `""` for
    /// lines above the first section.
    pub(crate) fn group(&self, id: u32) -> &str {
        if id == NO_SECTION {
            return "";
        }
        match self.sections[id as usize].group {
            SAME => self.section_name(id),
            g => &self.strings[g as usize],
        }
    }

    /// The bytes of the document: the input, with any edits.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.text.read.len());
        if self.bom {
            out.extend_from_slice(BOM);
        }
        self.runs(|run| out.extend_from_slice(run));
        out
    }

    /// The bytes of the 0-based lines `range` (the BOM with line 0).
    pub(crate) fn lines_bytes(&self, range: std::ops::Range<usize>) -> Vec<u8> {
        let mut out = Vec::new();
        if self.bom && range.start == 0 {
            out.extend_from_slice(BOM);
        }
        for l in &self.lines[range] {
            out.extend_from_slice(self.text.slice(l.start, l.full_end()));
        }
        out
    }

    /// Writes the bytes of [`Document::to_bytes`] to `w`, without making
    /// them: an untouched document is one write of the bytes read.
    pub fn write_to(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        use std::io::Write;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, w);
        if self.bom {
            out.write_all(BOM)?;
        }
        let mut result = Ok(());
        self.runs(|run| {
            if result.is_ok() {
                result = out.write_all(run);
            }
        });
        result?;
        out.flush()
    }

    /// Calls `each` with runs of the document's bytes (BOM excluded) that
    /// are contiguous in its text, in order: an untouched document is one
    /// run.
    fn runs(&self, mut each: impl FnMut(&[u8])) {
        let mut run = (0u32, 0u32);
        for line in self.lines.iter() {
            if line.start == run.1 {
                run.1 = line.full_end();
            } else {
                each(self.text.slice(run.0, run.1));
                run = (line.start, line.full_end());
            }
        }
        each(self.text.slice(run.0, run.1));
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
        self.lines_replacing(0..self.lines.len(), replace, fill)
    }

    /// [`Document::to_bytes_replacing`] of the 0-based lines `range` only
    /// (the BOM with line 0). Its first line must start a run: not a line
    /// that continues a value, nor a comment (which may continue a
    /// commented-out one); see [`Document::continues`].
    pub(crate) fn lines_replacing(
        &self,
        range: std::ops::Range<usize>,
        replace: impl Fn(&str, &str, &str) -> Option<String>,
        fill: &str,
    ) -> Vec<u8> {
        let lines = &self.lines[range.clone()];
        let bytes = lines
            .first()
            .zip(lines.last())
            .map_or(0, |(a, b)| b.full_end().saturating_sub(a.start) as usize);
        let mut out = Vec::with_capacity(bytes.min(self.text.len()) + BOM.len());
        if self.bom && range.start == 0 {
            out.extend_from_slice(BOM);
        }
        // Continuation lines of the value being replaced: live ones, or
        // commented ones after a commented-out assignment.
        let mut replacing = None;
        for (i, line) in lines.iter().enumerate() {
            let i = range.start + i;
            let content = self.content(i);
            let group = self.group(line.section);
            let mut text = None;
            match (self.kind(i), replacing) {
                (Kind::Continuation { start, end }, Some(false)) => {
                    text = Some(filled(content, start as usize, end as usize, fill));
                }
                // A commented line that would continue a value goes on a
                // value being replaced, commented out or live: an edit may
                // have put a live assignment between a commented-out one
                // and its commented continuation lines.
                (Kind::Comment, Some(_)) if commented_continuation(content).is_some() => {
                    let (start, end) = commented_continuation(content).unwrap_or_default();
                    text = Some(filled(content, start, end, fill));
                }
                (Kind::Continuation { .. }, _) => {}
                (kind, _) => {
                    replacing = None;
                    let commented = matches!(kind, Kind::Comment);
                    let site = match kind {
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
            let piece = match (commented, self.kind(next)) {
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
                let problem = match l.tag {
                    Tag::Invalid(p) => p,
                    Tag::Entry if l.section == NO_SECTION => Problem::BeforeSection,
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
        // A line break is ASCII and never inside a UTF-8 sequence, so each
        // run of lines can be checked on its own.
        let mut bad = false;
        self.runs(|run| bad = bad || std::str::from_utf8(run).is_err());
        if !bad {
            return None;
        }
        (0..self.lines.len())
            .find(|&i| {
                let l = self.lines[i];
                std::str::from_utf8(self.text.slice(l.start, l.full_end())).is_err()
            })
            .map(|i| i + 1)
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

    /// Bytes of text the document holds (read and written), about its size.
    pub(crate) fn text_len(&self) -> usize {
        self.text.len()
    }

    /// The bytes of 0-based line `idx`: its text and its line ending.
    pub(crate) fn line_bytes(&self, idx: usize) -> (&[u8], &'static [u8]) {
        let l = &self.lines[idx];
        (self.text.slice(l.start, l.end), l.eol.as_bytes())
    }

    /// Whether 0-based line `idx` may belong to the value of a line above
    /// it: a continuation line, or a comment (one may continue a
    /// commented-out assignment).
    pub(crate) fn continues(&self, idx: usize) -> bool {
        matches!(self.lines[idx].tag, Tag::Continuation | Tag::Comment)
    }

    /// The group of 0-based line `idx` (`""` above the first section).
    pub(crate) fn line_group(&self, idx: usize) -> &str {
        self.group(self.lines[idx].section)
    }

    /// Whether 0-based line `idx` is a `[section]` header (a recovered one
    /// included).
    pub(crate) fn opens_section(&self, idx: usize) -> bool {
        idx == 0 && self.lines[0].section != NO_SECTION
            || idx > 0 && self.lines[idx].section != self.lines[idx - 1].section
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> Option<&[u8]> {
        let l = self.lines.get(line.checked_sub(1)?)?;
        Some(self.text.slice(l.start, l.end))
    }

    /// The assignment on 1-based line `line`, if that line holds one.
    pub fn entry_at(&self, line: usize) -> Option<Entry<'_>> {
        let idx = line.checked_sub(1)?;
        let l = self.lines.get(idx)?;
        (l.tag == Tag::Entry && l.section != NO_SECTION).then_some(Entry { doc: self, idx })
    }

    /// Every assignment under a section, in file order.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        self.lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.tag == Tag::Entry && l.section != NO_SECTION)
            .map(move |(idx, _)| Entry { doc: self, idx })
    }

    /// Every value of `key` in `section` (repeated sections merge), in file
    /// order. The first lookups scan the lines; after a few, the document
    /// builds its index, and a lookup costs a hash.
    pub fn get_all<'d>(
        &'d self,
        section: &str,
        key: &str,
    ) -> impl Iterator<Item = Entry<'d>> + use<'d> {
        let group = normalize_group(section);
        let lines = match self.index.lookup(self, &group, key.as_bytes()) {
            Some(found) => Found::Indexed(found),
            None => Found::Scan {
                next: 0,
                group: group.into_owned(),
                key: key.as_bytes().to_vec(),
            },
        };
        GetAll { doc: self, lines }
    }

    /// The value nova uses for a single-valued option: the last one.
    pub fn get(&self, section: &str, key: &str) -> Option<Entry<'_>> {
        self.get_all(section, key).last()
    }

    /// Does any `[section]` header name this group?
    pub fn has_section(&self, section: &str) -> bool {
        let group = normalize_group(section);
        (0..self.sections.len() as u32).any(|id| self.group(id) == group)
    }

    /// The groups of the file, each once, in order of first appearance.
    pub fn groups(&self) -> Vec<&str> {
        let mut seen = hashbrown::HashSet::new();
        (0..self.sections.len() as u32)
            .map(|id| self.group(id))
            .filter(|g| seen.insert(*g))
            .collect()
    }

    /// How many `[section]` headers the document has (each occurrence of a
    /// repeated one counts), recovered and added ones included: section ids
    /// run from 0 to this.
    pub(crate) fn section_count(&self) -> usize {
        self.sections.len()
    }

    /// Every `[section]` header line, as (0-based line, section id), in
    /// file order.
    pub(crate) fn header_ids(&self) -> impl Iterator<Item = (usize, u32)> + '_ {
        self.lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.tag == Tag::Header)
            .map(|(idx, l)| (idx, l.section))
    }

    /// The group of every section, in file order, repeated as often as its
    /// header is.
    pub fn section_groups(&self) -> impl Iterator<Item = &str> {
        (0..self.sections.len() as u32).map(|id| self.group(id))
    }

    /// The 1-based line of each group's first `[section]` header.
    pub fn header_lines(&self) -> hashbrown::HashMap<&str, usize> {
        let mut out = hashbrown::HashMap::new();
        for (idx, line) in self.lines.iter().enumerate() {
            if line.tag == Tag::Header {
                out.entry(self.group(line.section)).or_insert(idx + 1);
            }
        }
        out
    }

    pub(crate) fn content(&self, idx: usize) -> &[u8] {
        let l = &self.lines[idx];
        self.text.slice(l.start, l.end)
    }

    /// What line `idx` is, with the positions of its parts.
    pub(crate) fn kind(&self, idx: usize) -> Kind {
        match self.lines[idx].tag {
            Tag::Invalid(p) => Kind::Invalid(p),
            _ => classify(self.content(idx)),
        }
    }

    /// Index one past the last continuation line of the entry at `idx`.
    pub(crate) fn entry_end(&self, idx: usize) -> usize {
        let mut end = idx + 1;
        while end < self.lines.len() && self.lines[end].tag == Tag::Continuation {
            end += 1;
        }
        end
    }

    pub(crate) fn entry_pos(&self, idx: usize) -> EntryPos {
        match self.kind(idx) {
            Kind::Entry(p) => p,
            _ => unreachable!("line {} is not an assignment", idx + 1),
        }
    }

    /// The group and key of the entry at `idx`.
    pub(crate) fn entry_key(&self, idx: usize) -> (&str, &[u8]) {
        let p = self.entry_pos(idx);
        (
            self.group(self.lines[idx].section),
            &self.content(idx)[p.key_start as usize..p.key_end as usize],
        )
    }

    /// Bytes held by the document (text, lines, sections), for measuring.
    pub fn heap_size(&self) -> usize {
        self.text.len()
            + self.lines.capacity() * std::mem::size_of::<Line>()
            + self.sections.capacity() * std::mem::size_of::<SectionName>()
            + self.strings.iter().map(|s| s.len() + 16).sum::<usize>()
            + self.index.heap_size()
    }
}

/// Lines a lookup found.
enum Found<'d> {
    Indexed(super::index::Positions<'d>),
    Scan {
        next: usize,
        group: String,
        key: Vec<u8>,
    },
}

struct GetAll<'d> {
    doc: &'d Document,
    lines: Found<'d>,
}

impl<'d> Iterator for GetAll<'d> {
    type Item = Entry<'d>;

    fn next(&mut self) -> Option<Entry<'d>> {
        let doc = self.doc;
        match &mut self.lines {
            Found::Indexed(it) => it.next().map(|i| Entry {
                doc,
                idx: i as usize,
            }),
            Found::Scan { next, group, key } => {
                while *next < doc.lines.len() {
                    let idx = *next;
                    *next += 1;
                    let l = &doc.lines[idx];
                    if l.tag == Tag::Entry && l.section != NO_SECTION {
                        let (g, k) = doc.entry_key(idx);
                        if g == group && k == key.as_slice() {
                            return Some(Entry { doc, idx });
                        }
                    }
                }
                None
            }
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

/// `[DEFAULT] # note` → `DEFAULT`; `[vnc` → `vnc`: the length of the name
/// after the `[`, if there is one.
fn recovered_section_name(content: &[u8]) -> Option<u32> {
    let inner = &content[1..];
    let name = match memchr::memchr(b']', inner) {
        Some(i) => &inner[..i],
        None => &inner[..super::text::rstrip_len(inner)],
    };
    (!super::text::strip(name).is_empty()).then_some(name.len() as u32)
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
        self.doc.section_name(self.doc.lines[self.idx].section)
    }

    /// The id of the section occurrence the entry is in.
    pub(crate) fn section_id(&self) -> u32 {
        self.doc.lines[self.idx].section
    }

    /// The group as oslo.config compares it.
    pub fn group(&self) -> &'d str {
        self.doc.group(self.doc.lines[self.idx].section)
    }

    pub fn key_bytes(&self) -> &'d [u8] {
        self.doc.entry_key(self.idx).1
    }

    pub fn key(&self) -> Cow<'d, str> {
        String::from_utf8_lossy(self.key_bytes())
    }

    /// The value as oslo.config reads it: stripped, one pair of quotes
    /// removed, continuation lines joined with `\n`, nothing else touched.
    pub fn value_bytes(&self) -> Cow<'d, [u8]> {
        let doc = self.doc;
        let p = doc.entry_pos(self.idx);
        let (vs, ve) = p.value_range();
        let first = &doc.content(self.idx)[vs..ve];
        let end = doc.entry_end(self.idx);
        if end == self.idx + 1 {
            return Cow::Borrowed(first);
        }
        let mut value = first.to_vec();
        for i in self.idx + 1..end {
            if let Kind::Continuation { start, end } = doc.kind(i) {
                value.push(b'\n');
                value.extend_from_slice(&doc.content(i)[start as usize..end as usize]);
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
