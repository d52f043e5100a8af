//! Edits that touch only the lines they must.
//!
//! Every new line is classified by the same code that parses files, so what
//! the document says it holds is what nova reads from the bytes it prints.

use super::document::{Document, Line, NO_SECTION, Tag, normalize_group};
use super::parse::{Kind, classify};
use super::text::{Eol, has_outer_space, lstrip_len};
use std::collections::HashMap;
use std::sync::Arc;

/// Why an edit was refused. Nothing is changed when one is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("invalid section name {0:?}: {1}")]
    Section(String, &'static str),
    #[error("invalid key {0:?}: {1}")]
    Key(String, &'static str),
    #[error("value cannot be written so that nova reads it back unchanged: {0}")]
    Value(&'static str),
    #[error("line {0} holds no option (or is edited twice)")]
    NotAnOption(usize),
}

/// A new value for the option whose key is on `line`, with comment lines
/// to put above it (see [`Document::set_values_at`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueAt<'a> {
    pub line: usize,
    pub value: &'a str,
    pub comments_above: Vec<String>,
}

/// What [`Document::set`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetOutcome {
    /// 1-based line of the key after the edit.
    pub line: usize,
    /// The value replaced, when the key was there.
    pub previous: Option<Previous>,
    /// A `[section]` header was added for it.
    pub created_section: bool,
}

/// The occurrence a `set` replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    pub value: String,
    /// How many times the key occurred in the group (only the last one, the
    /// one nova uses, is replaced).
    pub occurrences: usize,
}

/// A value split into the lines it is written on.
struct Rendered {
    first: Vec<u8>,
    rest: Vec<Vec<u8>>,
}

const CONTINUATION_INDENT: &[u8] = b"    ";

fn check_section(section: &str) -> Result<(), EditError> {
    let err = |why| Err(EditError::Section(section.to_string(), why));
    if section.is_empty() {
        return err("it is empty");
    }
    if section.contains(['\n', '\r']) {
        return err("it contains a line break");
    }
    if has_outer_space(section.as_bytes()) {
        return err("it starts or ends with whitespace");
    }
    Ok(())
}

fn check_key(key: &str) -> Result<(), EditError> {
    let err = |why| Err(EditError::Key(key.to_string(), why));
    if key.is_empty() {
        return err("it is empty");
    }
    if key.contains(['\n', '\r']) {
        return err("it contains a line break");
    }
    if key.contains(['=', ':']) {
        return err("nova splits a line at its first '=' or ':'");
    }
    if has_outer_space(key.as_bytes()) {
        return err("it starts or ends with whitespace");
    }
    if key.starts_with(['#', ';', '[']) {
        return err("a line starting with '#', ';' or '[' is not an assignment");
    }
    Ok(())
}

/// Writes `value` so that oslo.config reads back exactly `value`: quoted when
/// stripping or quote removal would change it; `\n` as continuation lines.
fn render(value: &str) -> Result<Rendered, EditError> {
    if value.contains('\r') {
        return Err(EditError::Value("it contains a carriage return"));
    }
    let mut pieces = value.split('\n');
    let first = pieces.next().unwrap_or_default().as_bytes();
    let needs_quotes = !first.is_empty()
        && (has_outer_space(first)
            || (matches!(first[0], b'"' | b'\'') && first[0] == first[first.len() - 1]));
    let first = if needs_quotes {
        [b"\"", first, b"\""].concat()
    } else {
        first.to_vec()
    };
    let mut rest = Vec::new();
    for piece in pieces {
        if piece.is_empty() {
            return Err(EditError::Value(
                "an empty line inside a value ends it (nova stops reading there)",
            ));
        }
        if has_outer_space(piece.as_bytes()) {
            return Err(EditError::Value(
                "nova strips the whitespace around each continuation line",
            ));
        }
        rest.push(piece.as_bytes().to_vec());
    }
    Ok(Rendered { first, rest })
}

/// Which headers a removal takes with the options under them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Headers {
    /// Any header left with nothing but blank lines, unless it had nothing
    /// under it when read.
    Emptied,
    /// Only the file's last one.
    EmptiedLast,
}

/// Where a new key goes in an existing section.
struct Anchor {
    /// Insert before this line index.
    at: usize,
    section: u32,
}

impl Document {
    /// Sets `key` in `section` as crudini does, losslessly: the last
    /// occurrence (the one nova uses) gets the new value and keeps its
    /// spacing; a new key goes after the section's last key, or right under a
    /// commented template line such as `#server_listen = 127.0.0.1`; a new
    /// section goes at the end of the file after a blank line.
    pub fn set(&mut self, section: &str, key: &str, value: &str) -> Result<SetOutcome, EditError> {
        check_section(section)?;
        check_key(key)?;
        let rendered = render(value)?;
        let found: Vec<(usize, String)> = self
            .get_all(section, key)
            .map(|e| (e.index(), e.value().into_owned()))
            .collect();
        if let Some((idx, old)) = found.last() {
            self.replace_value(*idx, &rendered);
            return Ok(SetOutcome {
                line: idx + 1,
                previous: Some(Previous {
                    value: old.clone(),
                    occurrences: found.len(),
                }),
                created_section: false,
            });
        }
        let (line, created_section) = self.insert_rendered(section, key, &rendered);
        Ok(SetOutcome {
            line,
            previous: None,
            created_section,
        })
    }

    /// Adds one more occurrence of `key` (for multi-valued options), placed
    /// as [`Document::set`] places a new key. Returns its 1-based line.
    pub fn append(&mut self, section: &str, key: &str, value: &str) -> Result<usize, EditError> {
        check_section(section)?;
        check_key(key)?;
        let rendered = render(value)?;
        Ok(self.insert_rendered(section, key, &rendered).0)
    }

    /// Removes every occurrence of `key` in `section`, with its continuation
    /// lines. A section left with nothing but blank lines loses its header
    /// too, with the blank line that separated it from what comes before
    /// (nova reads an empty section and a missing one alike), unless the
    /// header had nothing under it when the file was read: so `set` then
    /// `remove` of a new key gives back the original bytes. Returns how
    /// many occurrences were removed.
    pub fn remove(&mut self, section: &str, key: &str) -> usize {
        let starts: Vec<usize> = self.get_all(section, key).map(|e| e.index()).collect();
        self.remove_entries(&starts, Headers::Emptied)
    }

    /// Removes every occurrence of `key` in `section` as `stackhop del`
    /// does: as [`Document::remove`], except that an emptied header goes
    /// only when its section is the file's last, where [`Document::set`]
    /// adds a new section. A file cannot say whether a header was there
    /// before a key was added under it, so this keeps `set` in one run and
    /// `del` in the next from taking a header that was there before (as in
    /// `[vnc]` right above `[glance]`): the bytes come back, except for a
    /// header with nothing under it at the very end of the file, which reads
    /// the same as a section `set` added. Returns how many occurrences.
    pub fn delete(&mut self, section: &str, key: &str) -> usize {
        let starts: Vec<usize> = self.get_all(section, key).map(|e| e.index()).collect();
        self.remove_entries(&starts, Headers::EmptiedLast)
    }

    /// Removes every option of a group, as [`Document::remove`] removes
    /// one: comments stay, and so does a header with anything but blank
    /// lines under it. Returns how many occurrences were removed.
    pub fn remove_all_in(&mut self, section: &str) -> usize {
        let starts = self.entries_of(section);
        self.remove_entries(&starts, Headers::Emptied)
    }

    /// The line indices of every option of a group.
    fn entries_of(&self, section: &str) -> Vec<usize> {
        let group = normalize_group(section);
        // The sections of the group, by id: lines are then matched by
        // their section's id, not its name.
        let here: Vec<bool> = (0..self.sections.len() as u32)
            .map(|id| self.group_is(id, &group))
            .collect();
        if !here.contains(&true) {
            return Vec::new();
        }
        self.lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.tag == Tag::Entry && l.section != NO_SECTION)
            .filter(|(_, l)| here[l.section as usize])
            .map(|(idx, _)| idx)
            .collect()
    }

    fn remove_entries(&mut self, starts: &[usize], headers: Headers) -> usize {
        if starts.is_empty() {
            return 0;
        }
        let mut drop = vec![false; self.lines.len()];
        let mut touched = vec![false; self.sections.len()];
        for &idx in starts {
            drop[idx..self.entry_end(idx)].fill(true);
            touched[self.lines[idx].section as usize] = true;
        }
        // A header that had nothing under it when read stays; with
        // `EmptiedLast`, so does any but the file's last.
        let last_header = self.lines.iter().rposition(|l| l.tag == Tag::Header);
        for (h, line) in self.lines.iter().enumerate() {
            if line.tag != Tag::Header || !touched[line.section as usize] {
                continue;
            }
            let last_only = headers == Headers::EmptiedLast && Some(h) != last_header;
            if last_only || self.sections[line.section as usize].read_empty {
                continue;
            }
            let block_end = self.block_end(h);
            let empty = (h + 1..block_end).all(|i| drop[i] || self.lines[i].tag == Tag::Blank);
            if empty {
                drop[h] = true;
                if h > 0 && self.lines[h - 1].tag == Tag::Blank {
                    drop[h - 1] = true;
                }
            }
        }
        self.remove_lines(&drop);
        starts.len()
    }

    /// Renames every occurrence of `key` in `section` to `new_key`, in place:
    /// each line keeps its spacing, value and line ending. Returns how many
    /// occurrences were renamed.
    pub fn rename(&mut self, section: &str, key: &str, new_key: &str) -> Result<usize, EditError> {
        check_key(new_key)?;
        let starts: Vec<usize> = self.get_all(section, key).map(|e| e.index()).collect();
        let mut edits = Vec::with_capacity(starts.len());
        for &idx in &starts {
            let old = self.lines[idx];
            let p = self.entry_pos(idx);
            let content = self.content(idx);
            let text = [
                &content[..p.key_start as usize],
                new_key.as_bytes(),
                &content[p.key_end as usize..],
            ]
            .concat();
            edits.push((
                idx..idx + 1,
                vec![self.make_line(&text, old.eol, old.section)],
            ));
        }
        self.splice(edits);
        Ok(starts.len())
    }

    /// Gives options new values by the 1-based line of their key, each
    /// keeping its key and spacing, with comment lines (`# text`) put right
    /// above it. One pass over the document, however many edits; lines are
    /// those before any of them, and an edit of a line that holds no
    /// option is refused before anything changes.
    pub fn set_values_at(&mut self, edits: &[ValueAt]) -> Result<(), EditError> {
        let mut order: Vec<&ValueAt> = edits.iter().collect();
        order.sort_by_key(|e| e.line);
        let mut rendered = Vec::with_capacity(order.len());
        let mut previous = 0;
        for e in &order {
            let entry = e.line.checked_sub(1).and_then(|idx| self.lines.get(idx));
            if e.line == previous || entry.map(|l| l.tag) != Some(Tag::Entry) {
                return Err(EditError::NotAnOption(e.line));
            }
            previous = e.line;
            rendered.push(render(e.value)?);
        }
        let style = self.eol_style();
        let mut splices = Vec::with_capacity(order.len());
        for (e, value) in order.iter().zip(&rendered) {
            let idx = e.line - 1;
            let at = self.lines[idx];
            let eol = if at.eol == Eol::None { style } else { at.eol };
            let mut lines = Vec::with_capacity(e.comments_above.len() + 1 + value.rest.len());
            for text in &e.comments_above {
                lines.push(self.make_line(format!("# {text}").as_bytes(), eol, at.section));
            }
            let (new, end) = self.value_lines(idx, value);
            lines.extend(new);
            splices.push((idx..end, lines));
        }
        self.splice(splices);
        Ok(())
    }

    /// Turns every occurrence of `key` in `section`, with its continuation
    /// lines, into comment lines (`#` before the text as it was), under a
    /// comment line `# {marker}`. Returns how many occurrences.
    pub fn comment_out(&mut self, section: &str, key: &str, marker: &str) -> usize {
        let starts: Vec<usize> = self.get_all(section, key).map(|e| e.index()).collect();
        self.comment_out_entries(&starts, marker)
    }

    /// Comments out every option of a group, as [`Document::comment_out`]
    /// does one. Returns how many occurrences.
    pub fn comment_out_all_in(&mut self, section: &str, marker: &str) -> usize {
        let starts = self.entries_of(section);
        self.comment_out_entries(&starts, marker)
    }

    fn comment_out_entries(&mut self, starts: &[usize], marker: &str) -> usize {
        let spans: Vec<(usize, usize)> = starts.iter().map(|&s| (s, self.entry_end(s))).collect();
        if spans.is_empty() {
            return 0;
        }
        // One pass over the lines, however many occurrences there are.
        let style = self.eol_style();
        let marker = format!("# {marker}");
        let mut splices = Vec::with_capacity(spans.len());
        for &(start, end) in &spans {
            let at = self.lines[start];
            let eol = if at.eol == Eol::None { style } else { at.eol };
            let mut lines = Vec::with_capacity(end - start + 1);
            lines.push(self.make_line(marker.as_bytes(), eol, at.section));
            for i in start..end {
                let line = self.lines[i];
                let text = [b"#", self.content(i)].concat();
                lines.push(self.make_line(&text, line.eol, line.section));
            }
            splices.push((start..end, lines));
        }
        let mut spans = spans;
        spans.sort_unstable();
        spans.dedup();
        self.splice(splices);
        spans.len()
    }

    /// Removes every `[section]` block of the group: its header, and its lines
    /// up to its last non-blank one (the blank lines that separate it from
    /// the next section stay), with the blank line before the header.
    /// Returns the number of lines removed.
    pub fn remove_section(&mut self, section: &str) -> usize {
        let group = normalize_group(section);
        let mut drop = vec![false; self.lines.len()];
        for (h, line) in self.lines.iter().enumerate() {
            if line.tag != Tag::Header || self.group(line.section) != group {
                continue;
            }
            let mut end = self.block_end(h);
            while end > h + 1 && self.lines[end - 1].tag == Tag::Blank {
                end -= 1;
            }
            drop[h..end].fill(true);
            if h > 0 && self.lines[h - 1].tag == Tag::Blank {
                drop[h - 1] = true;
            }
        }
        let removed = drop.iter().filter(|&&d| d).count();
        self.remove_lines(&drop);
        removed
    }

    /// One past the last line of the section block whose header is at `h`.
    fn block_end(&self, h: usize) -> usize {
        let section = self.lines[h].section;
        let mut end = h + 1;
        while end < self.lines.len()
            && self.lines[end].section == section
            && self.lines[end].tag != Tag::Header
        {
            end += 1;
        }
        end
    }

    /// Removes the lines marked in `drop`. When the file had no final
    /// newline and its last line goes, the new last line loses its newline:
    /// the file keeps its ending.
    fn remove_lines(&mut self, drop: &[bool]) {
        let n = self.lines.len();
        let last_unterminated = n > 0 && drop[n - 1] && self.lines[n - 1].eol == Eol::None;
        let mut splices = Vec::new();
        let mut i = 0;
        while i < n {
            if drop[i] {
                let start = i;
                while i < n && drop[i] {
                    i += 1;
                }
                splices.push((start..i, Vec::new()));
            } else {
                i += 1;
            }
        }
        self.splice(splices);
        if last_unterminated {
            if let Some(last) = self.lines.len().checked_sub(1) {
                self.set_eol(last, Eol::None);
            }
        }
    }

    /// Replaces each range of lines with the lines given for it (ranges
    /// sorted and apart), in one pass, and keeps the index right: it
    /// forgets the entries removed, moves the others, learns the new ones.
    /// Every change to the list of lines goes through here.
    pub(crate) fn splice(&mut self, splices: Vec<(std::ops::Range<usize>, Vec<Line>)>) {
        if splices.is_empty() {
            return;
        }
        self.revision += 1;
        // Each line removed or added moves one count of the assignment
        // style by one at most.
        let changed: usize = splices.iter().map(|(r, new)| r.len() + new.len()).sum();
        self.style = match self.style.take() {
            Some((style, lead)) if changed < lead => Some((style, lead - changed)),
            _ => None,
        };
        let mut index = self.index.take();
        if let Some(ix) = &mut index {
            let removed: Vec<u32> = splices
                .iter()
                .flat_map(|(r, _)| r.clone())
                .map(|i| i as u32)
                .collect();
            ix.remove_many(self, &removed);
        }
        let same_shape = splices.iter().all(|(r, new)| r.len() == new.len());
        // (old end, new end) of each splice: a line after it moves by the
        // difference.
        let mut moves = Vec::with_capacity(splices.len());
        let mut added = Vec::new();
        if same_shape {
            for (range, new) in splices {
                added.extend((range.start..range.end).map(|i| i as u32));
                Arc::make_mut(&mut self.lines)[range].copy_from_slice(&new);
            }
        } else {
            let old = std::mem::take(&mut self.lines);
            let extra: usize = splices.iter().map(|(_, new)| new.len()).sum();
            let mut lines = Vec::with_capacity(old.len() + extra);
            let mut rest = 0;
            for (range, new) in splices {
                lines.extend_from_slice(&old[rest..range.start]);
                added.extend((lines.len()..lines.len() + new.len()).map(|i| i as u32));
                lines.extend(new);
                moves.push((range.end, lines.len()));
                rest = range.end;
            }
            lines.extend_from_slice(&old[rest..]);
            self.lines = Arc::new(lines);
        }
        if let Some(mut ix) = index {
            if !moves.is_empty() {
                ix.remap(|p| {
                    let p = p as usize;
                    match moves.partition_point(|&(end, _)| end <= p).checked_sub(1) {
                        None => p as u32,
                        Some(k) => (moves[k].1 + (p - moves[k].0)) as u32,
                    }
                });
            }
            ix.add_many(self, added.iter().copied());
            self.index.put(ix);
        }
    }

    /// Rewrites the line ending of one line.
    pub(crate) fn set_eol(&mut self, idx: usize, eol: Eol) {
        let line = self.lines[idx];
        if line.eol == eol {
            return;
        }
        self.revision += 1;
        let content = self.content(idx).to_vec();
        let start = self.text.push(&[&content, eol.as_bytes()]);
        let l = &mut Arc::make_mut(&mut self.lines)[idx];
        l.start = start;
        l.end = start + content.len() as u32;
        l.eol = eol;
    }

    /// Appends `text` + `eol` to the buffer and returns it as a line.
    /// Every change to the text goes through here, [`Document::set_eol`]
    /// or `remove_lines`, which count it in [`Document::revision`].
    pub(crate) fn make_line(&mut self, text: &[u8], eol: Eol, section: u32) -> Line {
        self.revision += 1;
        let start = self.text.push(&[text, eol.as_bytes()]);
        Line {
            start,
            end: start + text.len() as u32,
            eol,
            tag: Tag::of(classify(text)),
            section,
        }
    }

    /// The line ending new lines get where no neighbour decides: the first
    /// one the file uses, else `\n`.
    pub(crate) fn eol_style(&self) -> Eol {
        self.lines
            .iter()
            .map(|l| l.eol)
            .find(|&e| e != Eol::None)
            .unwrap_or(Eol::Lf)
    }

    /// The text between key and value the file uses most (`" = "`, `"="`…),
    /// the first one used of those used most. Found again only when as many
    /// lines have changed since it was found as it led the next one by: a
    /// large file is not read whole for every key added.
    pub(crate) fn assignment_style(&mut self) -> Vec<u8> {
        if let Some((style, _)) = &self.style {
            return style.clone();
        }
        let mut counts: HashMap<&[u8], (usize, usize)> = HashMap::new();
        for (i, line) in self.lines.iter().enumerate() {
            if line.tag != Tag::Entry {
                continue;
            }
            if let Kind::Entry(p) = self.kind(i) {
                if p.value_start < p.value_end {
                    let sep = &self.content(i)[p.key_end as usize..p.value_start as usize];
                    counts.entry(sep).or_insert((0, i)).0 += 1;
                }
            }
        }
        let mut ranked: Vec<(usize, usize, &[u8])> = counts
            .into_iter()
            .map(|(sep, (count, first))| (count, first, sep))
            .collect();
        ranked.sort_unstable_by_key(|&(count, first, _)| (std::cmp::Reverse(count), first));
        let Some(&(count, _, sep)) = ranked.first() else {
            return b" = ".to_vec();
        };
        let lead = count - ranked.get(1).map_or(0, |r| r.0);
        let sep = sep.to_vec();
        if lead > 0 {
            self.style = Some((sep.clone(), lead));
        }
        sep
    }

    fn entry_text(&mut self, key: &[u8], first: &[u8]) -> Vec<u8> {
        let style = self.assignment_style();
        let style = if first.is_empty() {
            &style[..super::text::rstrip_len(&style)]
        } else {
            &style[..]
        };
        [key, style, first].concat()
    }

    /// The lines of one entry: `text`, then the continuation pieces indented
    /// by `indent`. Each ends with `eol` but the last, which gets `last_eol`.
    fn entry_lines(
        &mut self,
        text: &[u8],
        value: &Rendered,
        indent: &[u8],
        (eol, last_eol): (Eol, Eol),
        section: u32,
    ) -> Vec<Line> {
        let mut out = Vec::with_capacity(1 + value.rest.len());
        let last = value.rest.len();
        for i in 0..=last {
            let e = if i == last { last_eol } else { eol };
            let line = if i == 0 {
                self.make_line(text, e, section)
            } else {
                self.make_line(&[indent, &value.rest[i - 1]].concat(), e, section)
            };
            out.push(line);
        }
        out
    }

    /// Replaces the value of the entry at `idx` (and its continuation lines),
    /// keeping the key, its spacing and the line endings.
    fn replace_value(&mut self, idx: usize, value: &Rendered) {
        let (lines, end) = self.value_lines(idx, value);
        self.splice(vec![(idx..end, lines)]);
    }

    /// The lines of the entry at `idx` with a new value, and one past its
    /// last line now.
    fn value_lines(&mut self, idx: usize, value: &Rendered) -> (Vec<Line>, usize) {
        let end = self.entry_end(idx);
        let old = self.lines[idx];
        let last_eol = self.lines[end - 1].eol;
        let p = self.entry_pos(idx);
        let content = self.content(idx).to_vec();
        let mut text = if p.value_start == p.value_end {
            self.entry_text(&content[..p.key_end as usize], &value.first)
        } else {
            [&content[..p.value_start as usize], &value.first[..]].concat()
        };
        if value.first.is_empty() {
            text.truncate(super::text::rstrip_len(&text));
        }
        text.extend_from_slice(&content[p.value_end as usize..]);
        let indent = if end > idx + 1 {
            let c = self.content(idx + 1);
            c[..lstrip_len(c)].to_vec()
        } else {
            CONTINUATION_INDENT.to_vec()
        };
        let eol = if old.eol == Eol::None {
            self.eol_style()
        } else {
            old.eol
        };
        let lines = self.entry_lines(&text, value, &indent, (eol, last_eol), old.section);
        (lines, end)
    }

    /// Inserts a new occurrence; returns (1-based line, created a section).
    fn insert_rendered(&mut self, section: &str, key: &str, value: &Rendered) -> (usize, bool) {
        let group = normalize_group(section).into_owned();
        let text = self.entry_text(key.as_bytes(), &value.first);
        let Some(anchor) = self.anchor(&group, key.as_bytes()) else {
            return (self.append_section(section, &text, value), true);
        };
        let at = anchor.at;
        let eols = match self.lines[at - 1].eol {
            // The last line of a file without a final newline gets one, and
            // the new last line goes without: the file keeps its ending,
            // and removing the key gives back the original bytes.
            Eol::None => {
                let style = self.eol_style();
                self.set_eol(at - 1, style);
                (style, Eol::None)
            }
            eol => (eol, eol),
        };
        let lines = self.entry_lines(&text, value, CONTINUATION_INDENT, eols, anchor.section);
        self.splice(vec![(at..at, lines)]);
        (at + 1, false)
    }

    /// The last line has no line ending.
    fn ends_unterminated(&self) -> bool {
        self.lines.last().is_some_and(|l| l.eol == Eol::None)
    }

    /// Adds `[section]` and the entry at the end of the file, after a blank
    /// line (none in an empty file). Returns the entry's 1-based line.
    fn append_section(&mut self, section: &str, text: &[u8], value: &Rendered) -> usize {
        let style = self.eol_style();
        let unterminated = self.ends_unterminated();
        if unterminated {
            self.set_eol(self.lines.len() - 1, style);
        }
        let id = self.add_section(section);
        let mut lines = Vec::with_capacity(3 + value.rest.len());
        if let Some(&last) = self.lines.last() {
            // An empty line ending in `\n` right after a lone `\r` would
            // read back as one `\r\n`: end it as the line above it.
            let eol = if last.eol == Eol::Cr { Eol::Cr } else { style };
            lines.push(self.make_line(b"", eol, last.section));
        }
        lines.push(self.make_line(&[b"[", section.as_bytes(), b"]"].concat(), style, id));
        let at = self.lines.len();
        let line = at + lines.len() + 1;
        let last_eol = if unterminated { Eol::None } else { style };
        lines.extend(self.entry_lines(text, value, CONTINUATION_INDENT, (style, last_eol), id));
        self.splice(vec![(at..at, lines)]);
        line
    }

    /// Where a new `key` goes in `group`: after its last entry, else under a
    /// commented template line for the key, else after its last header.
    fn anchor(&self, group: &str, key: &[u8]) -> Option<Anchor> {
        let ids: Vec<bool> = (0..self.sections.len() as u32)
            .map(|id| self.group_is(id, group))
            .collect();
        let in_group = |l: &Line| l.section != NO_SECTION && ids[l.section as usize];
        let mut last_entry = None;
        let mut template = None;
        let mut header = None;
        for (i, line) in self.lines.iter().enumerate() {
            if !in_group(line) {
                continue;
            }
            match line.tag {
                Tag::Entry => last_entry = Some(i),
                Tag::Header => header = Some(i),
                Tag::Comment if template.is_none() && is_template(self.content(i), key) => {
                    template = Some(i)
                }
                _ => {}
            }
        }
        if let Some(i) = last_entry {
            return Some(Anchor {
                at: self.entry_end(i),
                section: self.lines[i].section,
            });
        }
        if let Some(i) = template {
            return Some(Anchor {
                at: i + 1,
                section: self.lines[i].section,
            });
        }
        header.map(|h| Anchor {
            at: h + 1,
            section: self.lines[h].section,
        })
    }
}

/// `#key = default` or `# key: default`: the line a full sample config has
/// for every option.
fn is_template(comment: &[u8], key: &[u8]) -> bool {
    let rest = &comment[1..];
    let rest = &rest[rest
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count()..];
    let Some(after) = rest.strip_prefix(key) else {
        return false;
    };
    let after = &after[after
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count()..];
    matches!(after.first(), Some(b'=' | b':'))
}
