//! Reading a file front to back without building a [`Document`]: what
//! `get` and `inspect` need from a file too large to hold twice.
//!
//! A scan reads lines by the same rules as [`Document::parse_lenient`]
//! (each line classified by the same function, `parse::classify`) and hands
//! each assignment, its value complete, and each line nova would refuse to
//! a visitor, in file order. It keeps no line: [`scan`] reads bytes already
//! in memory, [`scan_read`] reads a file a piece at a time (memory: one
//! piece, and a value spread over continuation lines while it is joined).
//! The tests check that both read what a [`Document`] reads.
//!
//! [`Document`]: super::Document
//! [`Document::parse_lenient`]: super::Document::parse_lenient

use super::document::{LineProblem, normalize_group};
use super::parse::{Kind, Problem, classify};
use super::text::{Lines, first_invalid_utf8};
use super::{BOM_REASON, NOT_UTF8_REASON};
use std::borrow::Cow;
use std::io::{self, Read};
use std::ops::ControlFlow;

const BOM: &[u8] = b"\xef\xbb\xbf";

/// How much of a file [`scan_read`] reads at a time (more for a longer line).
const PIECE: usize = 1 << 18;

/// The section an assignment is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section<'b> {
    /// As written between the brackets (bytes that are not UTF-8 replaced).
    pub name: Cow<'b, str>,
    /// As oslo.config compares it: `DEFAULT`, or the name lower-cased.
    pub group: Cow<'b, str>,
}

impl<'b> Section<'b> {
    fn new(raw: &'b [u8]) -> Section<'b> {
        let name = String::from_utf8_lossy(raw);
        let group = match &name {
            Cow::Borrowed(s) => normalize_group(s),
            Cow::Owned(s) => Cow::Owned(normalize_group(s).into_owned()),
        };
        Section { name, group }
    }

    fn owned(self) -> Section<'static> {
        Section {
            name: Cow::Owned(self.name.into_owned()),
            group: Cow::Owned(self.group.into_owned()),
        }
    }
}

/// One assignment under a section, as nova reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment<'b> {
    /// 1-based line of the key.
    pub line: usize,
    pub key: Cow<'b, [u8]>,
    /// Stripped, one pair of quotes removed, continuation lines joined with
    /// `\n`.
    pub value: Cow<'b, [u8]>,
}

impl Assignment<'_> {
    fn owned(self) -> Assignment<'static> {
        Assignment {
            line: self.line,
            key: Cow::Owned(self.key.into_owned()),
            value: Cow::Owned(self.value.into_owned()),
        }
    }
}

/// What a scan finds, in file order.
#[derive(Debug)]
pub enum Event<'s, 'b> {
    Assignment(&'s Section<'b>, Assignment<'b>),
    /// A line nova refuses, and its text (the scan goes on, as the lenient
    /// parser does).
    Problem(LineProblem, &'b [u8]),
}

/// What a whole scan found besides its events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Lines read (all of them, unless the visitor stopped the scan).
    pub lines: usize,
    /// The file starts with a UTF-8 byte order mark.
    pub bom: bool,
    /// Why nova refuses the bytes, whatever their lines say, as `(line,
    /// reason)`: what `Document::encoding_problem` says of them.
    pub encoding: Option<(usize, &'static str)>,
}

/// Reads `bytes` as oslo.config does and shows `visit` every assignment
/// under a section and every line nova would refuse, in file order, until
/// `visit` breaks.
pub fn scan<'b>(
    bytes: &'b [u8],
    mut visit: impl FnMut(Event<'_, 'b>) -> ControlFlow<()>,
) -> Summary {
    let mut state = State::default();
    let body = match bytes.strip_prefix(BOM) {
        Some(body) => {
            state.bom = true;
            body
        }
        None => bytes,
    };
    let _ = state.feed(body, true, &mut visit);
    state.summary()
}

/// [`scan`] of what `input` reads, read a piece at a time. Sections, keys
/// and values are borrowed from the piece being read: keep what must
/// outlive the visit with `into_owned`.
pub fn scan_read(
    input: impl Read,
    visit: impl FnMut(Event<'_, '_>) -> ControlFlow<()>,
) -> io::Result<Summary> {
    scan_pieces(input, PIECE, visit)
}

fn scan_pieces(
    mut input: impl Read,
    piece: usize,
    mut visit: impl FnMut(Event<'_, '_>) -> ControlFlow<()>,
) -> io::Result<Summary> {
    let mut state = State::default();
    let mut buf = vec![0u8; piece.max(BOM.len())];
    let (mut filled, mut eof, mut first) = (0, false, true);
    loop {
        while filled < buf.len() && !eof {
            match input.read(&mut buf[filled..]) {
                Ok(0) => eof = true,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if std::mem::take(&mut first) && buf[..filled].starts_with(BOM) {
            state.bom = true;
            buf.copy_within(BOM.len()..filled, 0);
            filled -= BOM.len();
            continue;
        }
        let cut = if eof {
            filled
        } else {
            complete_lines(&buf[..filled])
        };
        if cut == 0 && !eof {
            // One line longer than the buffer.
            buf.resize(buf.len() * 2, 0);
            continue;
        }
        if state.feed(&buf[..cut], eof, &mut visit).is_break() || eof {
            break;
        }
        buf.copy_within(cut..filled, 0);
        filled -= cut;
    }
    Ok(state.summary())
}

/// The length of the lines of `data` known to be complete: up to its last
/// line break, but not a `\r` at its very end (a `\n` may follow).
fn complete_lines(data: &[u8]) -> usize {
    match memchr::memrchr2(b'\n', b'\r', data) {
        None => 0,
        Some(i) if data[i] == b'\r' && i + 1 == data.len() => complete_lines(&data[..i]),
        Some(i) => i + 1,
    }
}

/// The lines of a piece, as (start, end of content).
enum Breaks<'b> {
    /// No `\r` in the piece: lines end at `\n` (the common case, faster).
    Lf {
        len: usize,
        at: usize,
        newlines: memchr::Memchr<'b>,
    },
    /// Lines end at `\n`, `\r\n` or a lone `\r`.
    Any(Lines<'b>),
}

impl<'b> Breaks<'b> {
    fn new(bytes: &'b [u8]) -> Breaks<'b> {
        match memchr::memchr(b'\r', bytes) {
            None => Breaks::Lf {
                len: bytes.len(),
                at: 0,
                newlines: memchr::memchr_iter(b'\n', bytes),
            },
            Some(_) => Breaks::Any(Lines::new(bytes)),
        }
    }
}

impl Iterator for Breaks<'_> {
    type Item = (usize, usize);

    #[inline]
    fn next(&mut self) -> Option<(usize, usize)> {
        match self {
            Breaks::Lf { len, at, newlines } => {
                let start = *at;
                match newlines.next() {
                    Some(end) => {
                        *at = end + 1;
                        Some((start, end))
                    }
                    None if start < *len => {
                        *at = *len;
                        Some((start, *len))
                    }
                    None => None,
                }
            }
            Breaks::Any(lines) => lines.next().map(|(start, end, _)| (start, end)),
        }
    }
}

/// What a scan carries from one piece to the next.
#[derive(Default)]
struct State {
    lines: usize,
    bom: bool,
    invalid_utf8: Option<usize>,
    section: Option<Section<'static>>,
    /// The assignment whose continuation lines are being read; `in_value`
    /// without one: an assignment before any section, which nova refuses.
    open: Option<Assignment<'static>>,
    in_value: bool,
}

impl State {
    /// Reads the lines of `piece`, which ends at a line break unless it is
    /// the `last`.
    fn feed<'b>(
        &mut self,
        piece: &'b [u8],
        last: bool,
        visit: &mut impl FnMut(Event<'_, 'b>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        if self.invalid_utf8.is_none() {
            self.invalid_utf8 = first_invalid_utf8(piece).map(|(line, _)| self.lines + line);
        }
        let mut section: Option<Section<'b>> = self.section.take();
        let mut open: Option<Assignment<'b>> = self.open.take();
        let mut flow = ControlFlow::Continue(());
        for (start, end) in Breaks::new(piece) {
            self.lines += 1;
            let content = &piece[start..end];
            let kind = classify(content);
            if let Kind::Continuation { start, end } = kind {
                if self.in_value {
                    if let Some(a) = &mut open {
                        let value = a.value.to_mut();
                        value.push(b'\n');
                        value.extend_from_slice(&content[start as usize..end as usize]);
                    }
                    continue;
                }
            }
            if let Some(a) = open.take() {
                let s = section
                    .as_ref()
                    .expect("an open assignment is under a section");
                flow = visit(Event::Assignment(s, a));
                if flow.is_break() {
                    break;
                }
            }
            self.in_value = false;
            let problem = match kind {
                Kind::Blank | Kind::Comment => None,
                Kind::Header { len } => {
                    section = Some(Section::new(&content[1..len as usize - 1]));
                    None
                }
                Kind::Entry(p) => {
                    self.in_value = true;
                    if section.is_none() {
                        Some(Problem::BeforeSection)
                    } else {
                        let (vs, ve) = p.value_range();
                        let key = &content[p.key_start as usize..p.key_end as usize];
                        open = Some(Assignment {
                            line: self.lines,
                            key: Cow::Borrowed(key),
                            value: Cow::Borrowed(&content[vs..ve]),
                        });
                        None
                    }
                }
                Kind::Continuation { .. } => Some(Problem::UnexpectedContinuation),
                Kind::Invalid(problem) => {
                    if problem == Problem::NoSectionEnd {
                        if let Some(name) = recovered_section_name(content) {
                            section = Some(Section::new(name));
                        }
                    }
                    Some(problem)
                }
            };
            if let Some(problem) = problem {
                let p = LineProblem {
                    line: self.lines,
                    problem,
                };
                flow = visit(Event::Problem(p, content));
                if flow.is_break() {
                    break;
                }
            }
        }
        match open {
            Some(a) if last && flow.is_continue() => {
                let s = section
                    .as_ref()
                    .expect("an open assignment is under a section");
                flow = visit(Event::Assignment(s, a));
            }
            // Its continuation lines may be in the next piece.
            Some(a) if !last => self.open = Some(a.owned()),
            _ => {}
        }
        self.section = section.map(Section::owned);
        flow
    }

    fn summary(&self) -> Summary {
        let encoding = match (self.bom, self.invalid_utf8) {
            (true, _) => Some((1, BOM_REASON)),
            (false, Some(line)) => Some((line, NOT_UTF8_REASON)),
            (false, None) => None,
        };
        Summary {
            lines: self.lines,
            bom: self.bom,
            encoding,
        }
    }
}

/// `[DEFAULT] # note` → `DEFAULT`; `[vnc` → `vnc` (as the lenient parser
/// recovers them).
fn recovered_section_name(content: &[u8]) -> Option<&[u8]> {
    let inner = &content[1..];
    let name = match memchr::memchr(b']', inner) {
        Some(i) => &inner[..i],
        None => &inner[..super::text::rstrip_len(inner)],
    };
    (!super::text::strip(name).is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conf::Document;
    use proptest::prelude::*;

    type Entries = Vec<(String, String, Vec<u8>, Vec<u8>, usize)>;
    type Read = (Entries, Vec<LineProblem>, Summary);

    fn collect(
        entries: &mut Entries,
        problems: &mut Vec<LineProblem>,
        e: Event<'_, '_>,
    ) -> ControlFlow<()> {
        match e {
            Event::Assignment(s, a) => entries.push((
                s.name.to_string(),
                s.group.to_string(),
                a.key.into_owned(),
                a.value.into_owned(),
                a.line,
            )),
            Event::Problem(p, _) => problems.push(p),
        }
        ControlFlow::Continue(())
    }

    fn by_scan(bytes: &[u8]) -> Read {
        let (mut entries, mut problems) = (Vec::new(), Vec::new());
        let summary = scan(bytes, |e| collect(&mut entries, &mut problems, e));
        (entries, problems, summary)
    }

    /// Read in pieces of `piece` bytes (grown for longer lines).
    fn by_pieces(bytes: &[u8], piece: usize) -> Read {
        let (mut entries, mut problems) = (Vec::new(), Vec::new());
        let summary = scan_pieces(bytes, piece, |e| collect(&mut entries, &mut problems, e))
            .expect("reading memory");
        (entries, problems, summary)
    }

    fn by_document(bytes: &[u8]) -> Read {
        let doc = Document::parse_lenient(bytes.to_vec()).unwrap();
        let entries = doc
            .entries()
            .map(|e| {
                (
                    e.section().to_string(),
                    e.group().to_string(),
                    e.key_bytes().to_vec(),
                    e.value_bytes().into_owned(),
                    e.line(),
                )
            })
            .collect();
        let summary = Summary {
            lines: doc.line_count(),
            bom: doc.has_bom(),
            encoding: doc.encoding_problem(),
        };
        (entries, doc.problems(), summary)
    }

    #[test]
    fn reads_what_a_document_reads() {
        let text = "\u{feff}[DEFAULT]\r\ndebug = True  # note\r\n[VNC]\n\
                    server_listen = \"10.0.0.1\"\n  more\n\tand more\n\n  stray\n\
                    [bad] # x\nk: v\n= x\nnothing\n[]\nlast = 1";
        let read = by_scan(text.as_bytes());
        assert_eq!(read, by_document(text.as_bytes()));
        assert_eq!(read.0[1].3, b"10.0.0.1\nmore\nand more");
        assert_eq!(read.0[1].1, "vnc");
        assert_eq!(read.2.encoding, Some((1, BOM_REASON)));
        for piece in [1, 2, 3, 5, 8, 64] {
            assert_eq!(by_pieces(text.as_bytes(), piece), read, "pieces of {piece}");
        }
        let latin1 = b"[a]\r\nk = 1\r\n\r\nk = caf\xe9\r\n";
        assert_eq!(by_scan(latin1).2.encoding, Some((4, NOT_UTF8_REASON)));
        assert_eq!(by_scan(latin1), by_document(latin1));
        assert_eq!(by_pieces(latin1, 4), by_document(latin1));
    }

    #[test]
    fn stops_when_told() {
        let mut seen = 0;
        scan(b"[a]\nx = 1\ny = 2\n", |_| {
            seen += 1;
            ControlFlow::Break(())
        });
        assert_eq!(seen, 1);
    }

    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("[DEFAULT]".to_string()),
            Just("[Vnc]".to_string()),
            Just("[vnc] # note".to_string()),
            Just("[broken".to_string()),
            Just("[]".to_string()),
            Just("# comment".to_string()),
            Just("; comment".to_string()),
            Just(String::new()),
            Just("   ".to_string()),
            Just("no separator".to_string()),
            Just("= value".to_string()),
            "[a-z_]{1,6} ?[=:] ?[a-z'\" #=:]{0,8}",
            "[ \t]{1,2}[a-z= #]{0,6}",
            Just("caf\u{e9} = \u{a0}x\u{a0}".to_string()),
        ]
    }

    proptest! {
        #[test]
        fn a_scan_reads_what_the_document_reads(
            lines in proptest::collection::vec((line(), 0..3usize), 0..24),
            bom in any::<bool>(),
            last_eol in any::<bool>(),
            piece in 1..40usize,
        ) {
            let mut text = String::from(if bom { "\u{feff}" } else { "" });
            for (i, (l, eol)) in lines.iter().enumerate() {
                text.push_str(l);
                if i + 1 < lines.len() || last_eol {
                    text.push_str(["\n", "\r\n", "\r"][*eol]);
                }
            }
            let read = by_document(text.as_bytes());
            prop_assert_eq!(&by_scan(text.as_bytes()), &read);
            prop_assert_eq!(&by_pieces(text.as_bytes(), piece), &read);
        }
    }
}
