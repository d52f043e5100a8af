//! What changed in meaning between two versions of a config: options
//! added, removed, changed, moved between sections, as nova reads them. A
//! change of spacing, order or comments is not a change of meaning.

use crate::conf::{Document, Entry, OptionRef};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasher;

/// How an option reads in one version. Holds the raw value: shown through
/// [`ComparisonView`](super::view::ComparisonView) only.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub section: String,
    pub key: String,
    pub value: String,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DeltaKind {
    Added,
    Removed,
    /// Same option, another value.
    Changed,
    /// Same value, another section or name (an old name renamed too).
    Moved,
}

impl DeltaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeltaKind::Added => "added",
            DeltaKind::Removed => "removed",
            DeltaKind::Changed => "changed",
            DeltaKind::Moved => "moved",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Delta {
    pub kind: DeltaKind,
    pub before: Option<Reading>,
    pub after: Option<Reading>,
    /// The values are secret.
    pub secret: bool,
}

/// How options are identified and judged.
pub struct Options<'a> {
    /// The option a name is: two spellings nova reads as one option are
    /// one (with a release's inventory, an old name is its option).
    pub identity: &'a dyn Fn(&OptionRef) -> OptionRef,
    /// Takes every value of a repeated key (else the last, as nova does).
    pub multi: &'a dyn Fn(&OptionRef) -> bool,
    pub secret: &'a dyn Fn(&OptionRef) -> bool,
}

/// [`Options`] asked by (group, key) as the document holds them, so the
/// millions of options of a large file cost no owned name.
struct Names<'a> {
    /// The option `[group] name` is when it is not itself (with a
    /// release's inventory, an old name is its option); `None` else.
    identity: &'a dyn Fn(&str, &str) -> Option<OptionRef>,
    /// Takes every value of a repeated key `[group] name`.
    multi: &'a dyn Fn(&str, &str) -> bool,
    secret: &'a dyn Fn(&OptionRef) -> bool,
}

/// No index: the slot's option is its own name, its value borrowed.
const NONE: u32 = u32::MAX;

/// How an option reads in one version, read from its document until a
/// change needs it as a [`Reading`]: a large file has millions of them, so
/// a slot is three numbers, its line and two indexes for the rare ones that
/// must be owned. Its key and value are read again from the line.
#[derive(Clone, Copy)]
struct Slot {
    /// The 0-based line of the occurrence that counts (for a multi-valued
    /// option, the first).
    idx: u32,
    /// The option, in [`Readings::ids`], when it is not the entry's own
    /// (group, key) as borrowed from the document (then its key is UTF-8).
    id: u32,
    /// Its value (every value, one a line, for a multi-valued option) in
    /// [`Readings::values`], when the document does not hold it as it reads.
    values: u32,
}

/// Each option of a document, by identity, in file order, with the value
/// nova reads; found by identity through a hash table of positions.
struct Readings<'d> {
    doc: &'d Document,
    all: Vec<Slot>,
    ids: Vec<OptionRef>,
    values: Vec<String>,
    table: hashbrown::HashTable<u32>,
    hasher: hashbrown::DefaultHashBuilder,
}

/// The option slot `s` holds, as (group, name).
fn slot_id<'s>(doc: &'s Document, ids: &'s [OptionRef], s: &Slot) -> (&'s str, &'s str) {
    if s.id != NONE {
        let id = &ids[s.id as usize];
        (id.group(), id.name())
    } else {
        let (group, key) = doc.entry_key(s.idx as usize);
        (group, std::str::from_utf8(key).unwrap_or_default())
    }
}

impl<'d> Readings<'d> {
    fn id<'s>(&'s self, s: &Slot) -> (&'s str, &'s str) {
        slot_id(self.doc, &self.ids, s)
    }

    fn entry(&self, s: &Slot) -> Entry<'d> {
        self.doc
            .entry_at(s.idx as usize + 1)
            .expect("a slot is at an entry of its document")
    }

    /// The key as written.
    fn key(&self, s: &Slot) -> Cow<'d, str> {
        self.entry(s).key()
    }

    fn value<'s>(&'s self, s: &Slot) -> Cow<'s, str>
    where
        'd: 's,
    {
        if s.values != NONE {
            Cow::Borrowed(&self.values[s.values as usize])
        } else {
            self.entry(s).value()
        }
    }

    fn position(&self, id: (&str, &str)) -> Option<usize> {
        let h = self.hasher.hash_one(id);
        self.table
            .find(h, |&i| self.id(&self.all[i as usize]) == id)
            .map(|&i| i as usize)
    }

    fn reading(&self, s: &Slot) -> Reading {
        let e = self.entry(s);
        Reading {
            section: e.section().to_string(),
            key: e.key().into_owned(),
            value: self.value(s).into_owned(),
            line: e.line(),
        }
    }

    /// A slot for `e`, its value stored here when the document does not
    /// hold it as it reads.
    fn slot(&mut self, e: &Entry<'d>, id: u32) -> Slot {
        let values = match e.value() {
            Cow::Borrowed(_) => NONE,
            Cow::Owned(v) => {
                self.values.push(v);
                (self.values.len() - 1) as u32
            }
        };
        Slot {
            idx: (e.line() - 1) as u32,
            id,
            values,
        }
    }
}

/// Each option of a document, by identity, with the value nova reads.
fn readings<'d>(doc: &'d Document, o: &Names) -> Readings<'d> {
    let entries = doc.entries().count();
    let mut r = Readings {
        doc,
        all: Vec::with_capacity(entries),
        ids: Vec::new(),
        values: Vec::new(),
        // Room for every entry: the table never grows.
        table: hashbrown::HashTable::with_capacity(entries),
        hasher: hashbrown::DefaultHashBuilder::default(),
    };
    for e in doc.entries() {
        let key = e.key();
        let group = e.group();
        let mapped = (o.identity)(group, &key);
        let own = match (crate::conf::normalize_group(group), &key) {
            (Cow::Borrowed(_), Cow::Borrowed(k)) => Some(*k),
            _ => None,
        };
        // The option this entry sets, owned only when it must be.
        let owned = match (mapped, own) {
            (Some(m), _) => Some(m),
            (None, Some(_)) => None,
            (None, None) => Some(OptionRef::new(group, &key)),
        };
        let id: (&str, &str) = match (&owned, own) {
            (Some(m), _) => (m.group(), m.name()),
            (None, Some(k)) => (group, k),
            (None, None) => unreachable!("an entry without its own name has an owned one"),
        };
        let h = r.hasher.hash_one(id);
        let at = r
            .table
            .find(h, |&i| r.id(&r.all[i as usize]) == id)
            .map(|&i| i as usize);
        match at {
            Some(i) if (o.multi)(group, &key) => {
                if r.all[i].values == NONE {
                    let first = r.value(&r.all[i]).into_owned();
                    r.all[i].values = r.values.len() as u32;
                    r.values.push(first);
                }
                let v = &mut r.values[r.all[i].values as usize];
                v.push('\n');
                v.push_str(&e.value());
            }
            Some(i) => {
                // The last occurrence counts, unless an old name follows the
                // current one: nova reads the current name first.
                let current = id.1 == key;
                let had_current = r.key(&r.all[i]) == id.1;
                if current || !had_current {
                    let at_id = match (r.all[i].id, owned) {
                        (NONE, Some(m)) => {
                            r.ids.push(m);
                            (r.ids.len() - 1) as u32
                        }
                        (kept, _) => kept,
                    };
                    r.all[i] = r.slot(&e, at_id);
                }
            }
            None => {
                let at_id = match owned {
                    Some(m) => {
                        r.ids.push(m);
                        (r.ids.len() - 1) as u32
                    }
                    None => NONE,
                };
                let i = r.all.len() as u32;
                let slot = r.slot(&e, at_id);
                r.all.push(slot);
                let Readings {
                    doc,
                    all,
                    ids,
                    table,
                    hasher,
                    ..
                } = &mut r;
                table.insert_unique(h, i, |&j| {
                    hasher.hash_one(slot_id(doc, ids, &all[j as usize]))
                });
            }
        }
    }
    r
}

/// The changes of meaning from `old` to `new`, judged by a release's
/// inventory when given (an old name and its current name are one option,
/// multi-valued options compare every value) and by what any release says
/// is secret.
pub fn compare_in(
    old: &Document,
    new: &Document,
    inventory: Option<&crate::release::Inventory>,
    index: &crate::release::HistoryIndex,
) -> Vec<Delta> {
    use crate::release::Lookup;
    let identity = |group: &str, name: &str| {
        let group = crate::conf::normalize_group(group);
        match inventory?.lookup(&group, name) {
            Lookup::Live(d) => match &d.entry.superseded_by {
                Some(s) => Some(s.clone()),
                None => {
                    let id = d.id();
                    (id.group() != group || id.name() != name).then_some(id)
                }
            },
            Lookup::Alias(targets) => Some(targets[0].id()),
            Lookup::Unknown => None,
        }
    };
    let multi = |group: &str, name: &str| {
        let group = crate::conf::normalize_group(group);
        inventory.is_some_and(|inv| match inv.lookup(&group, name) {
            Lookup::Live(d) => d.kind.is_multi(),
            _ => false,
        })
    };
    let secret = |o: &OptionRef| index.is_secret(o.group(), o.name());
    compare_names(
        old,
        new,
        &Names {
            identity: &identity,
            multi: &multi,
            secret: &secret,
        },
    )
}

/// The changes of meaning from `old` to `new`, in the new file's order
/// (removed options where they were, after the new ones).
pub fn compare(old: &Document, new: &Document, o: &Options) -> Vec<Delta> {
    let identity = |group: &str, name: &str| {
        let own = OptionRef::new(group, name);
        let id = (o.identity)(&own);
        (id != own).then_some(id)
    };
    let multi = |group: &str, name: &str| (o.multi)(&OptionRef::new(group, name));
    compare_names(
        old,
        new,
        &Names {
            identity: &identity,
            multi: &multi,
            secret: o.secret,
        },
    )
}

/// [`compare`], with options asked by (group, key).
fn compare_names(old: &Document, new: &Document, o: &Names) -> Vec<Delta> {
    let before = readings(old, o);
    let after = readings(new, o);
    let secret = |r: &Reading| (o.secret)(&OptionRef::new(&r.section, &r.key));
    let mut deltas = Vec::new();
    let mut added = Vec::new();
    // Which of the old options the new file still has. Two versions of a
    // file mostly hold their options in the same order: the old option
    // after the last one found is tried before the hash table.
    let mut kept = vec![false; before.all.len()];
    let mut next = 0;
    for a in &after.all {
        // The usual case, cheaply: the old option after the last one found
        // is the same line, as written, in a section of the same group.
        if let Some(b) = before.all.get(next) {
            if [a.id, a.values, b.id, b.values] == [NONE; 4]
                && old.line_bytes(b.idx as usize).0 == new.line_bytes(a.idx as usize).0
                && old.line_group(b.idx as usize) == new.line_group(a.idx as usize)
            {
                kept[next] = true;
                next += 1;
                continue;
            }
        }
        let id = after.id(a);
        let found = match before.all.get(next) {
            Some(b) if before.id(b) == id => Some(next),
            _ => before.position(id),
        };
        if let Some(i) = found {
            kept[i] = true;
            next = i + 1;
        }
        match found.map(|i| &before.all[i]) {
            Some(b)
                if before.value(b) == after.value(a)
                    && before.key(b) == after.key(a)
                    && before.entry(b).group() == after.entry(a).group() => {}
            Some(b) => {
                let kind = if before.value(b) == after.value(a) {
                    DeltaKind::Moved
                } else {
                    DeltaKind::Changed
                };
                let (b, a) = (before.reading(b), after.reading(a));
                deltas.push(Delta {
                    kind,
                    secret: secret(&b) || secret(&a),
                    before: Some(b),
                    after: Some(a),
                });
            }
            None => added.push(after.reading(a)),
        }
    }
    let removed: Vec<Reading> = before
        .all
        .iter()
        .zip(&kept)
        .filter(|(_, kept)| !**kept)
        .map(|(b, _)| before.reading(b))
        .collect();
    // An option gone from one place and come, with the same key and value,
    // to another has moved (paired in file order, each removal once).
    let mut gone: HashMap<(&str, &str), std::collections::VecDeque<usize>> = HashMap::new();
    for (i, b) in removed.iter().enumerate() {
        gone.entry((b.key.as_str(), b.value.as_str()))
            .or_default()
            .push_back(i);
    }
    let mut paired = vec![false; removed.len()];
    for a in &added {
        let moved = gone
            .get_mut(&(a.key.as_str(), a.value.as_str()))
            .and_then(|q| q.pop_front());
        match moved {
            Some(i) => {
                paired[i] = true;
                let b = &removed[i];
                deltas.push(Delta {
                    kind: DeltaKind::Moved,
                    secret: secret(b) || secret(a),
                    before: Some(b.clone()),
                    after: Some(a.clone()),
                });
            }
            None => deltas.push(Delta {
                kind: DeltaKind::Added,
                secret: secret(a),
                before: None,
                after: Some(a.clone()),
            }),
        }
    }
    for (b, _) in removed.iter().zip(&paired).filter(|(_, p)| !**p) {
        deltas.push(Delta {
            kind: DeltaKind::Removed,
            secret: secret(b),
            before: Some(b.clone()),
            after: None,
        });
    }
    // By section (the new file's order, then sections only the old one
    // has); in a section, what the new file holds by line, then removals.
    // Only the sections of the changes are ranked: a file can have millions.
    let mut rank: hashbrown::HashMap<String, usize> = deltas
        .iter()
        .flat_map(|d| [&d.after, &d.before])
        .flatten()
        .map(|r| {
            (
                crate::conf::normalize_group(&r.section).into_owned(),
                usize::MAX,
            )
        })
        .collect();
    let mut next = 0;
    for g in new.section_groups().chain(old.section_groups()) {
        if let Some(r) = rank.get_mut(g) {
            if *r == usize::MAX {
                *r = next;
                next += 1;
            }
        }
    }
    let rank = |section: &str| {
        rank.get(crate::conf::normalize_group(section).as_ref())
            .copied()
            .unwrap_or(usize::MAX)
    };
    deltas.sort_by_cached_key(|d| match (&d.after, &d.before) {
        (Some(a), _) => (rank(&a.section), 0, a.line),
        (None, Some(b)) => (rank(&b.section), 1, b.line),
        (None, None) => (usize::MAX, 2, 0),
    });
    deltas
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(o: &OptionRef) -> OptionRef {
        o.clone()
    }

    fn single(_: &OptionRef) -> bool {
        false
    }

    fn named_secret(o: &OptionRef) -> bool {
        o.name().ends_with("password")
    }

    fn plain() -> Options<'static> {
        Options {
            identity: &same,
            multi: &single,
            secret: &named_secret,
        }
    }

    #[test]
    fn spacing_order_and_comments_are_not_changes() {
        let old = Document::parse("[DEFAULT]\na = 1\nb=2\n").unwrap();
        let new = Document::parse("# note\n[DEFAULT]\nb = 2\n\na   =   \"1\"\n").unwrap();
        assert!(compare(&old, &new, &plain()).is_empty());
    }

    #[test]
    fn added_removed_changed_and_moved() {
        let old = Document::parse(
            "[DEFAULT]\nlock_path = /l\ndebug = False\nold = x\nadmin_password = p\n",
        )
        .unwrap();
        let new = Document::parse("[DEFAULT]\ndebug = True\nnew = y\nadmin_password = p\n[oslo_concurrency]\nlock_path = /l\n").unwrap();
        let d = compare(&old, &new, &plain());
        let kinds: Vec<(DeltaKind, &str)> = d
            .iter()
            .map(|d| {
                (
                    d.kind,
                    d.after.as_ref().or(d.before.as_ref()).unwrap().key.as_str(),
                )
            })
            .collect();
        assert_eq!(
            kinds,
            [
                (DeltaKind::Changed, "debug"),
                (DeltaKind::Added, "new"),
                (DeltaKind::Removed, "old"),
                (DeltaKind::Moved, "lock_path"),
            ]
        );
    }

    #[test]
    fn each_removal_pairs_with_one_move_in_file_order() {
        let old = Document::parse("[a]\nk = v\n[b]\nk = v\n[c]\nk = w\n").unwrap();
        let new = Document::parse("[d]\nk = v\n").unwrap();
        let d: Vec<(DeltaKind, Option<String>, Option<String>)> = compare(&old, &new, &plain())
            .into_iter()
            .map(|d| {
                (
                    d.kind,
                    d.before.map(|r| r.section),
                    d.after.map(|r| r.section),
                )
            })
            .collect();
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            d,
            [
                (DeltaKind::Moved, s("a"), s("d")),
                (DeltaKind::Removed, s("b"), None),
                (DeltaKind::Removed, s("c"), None),
            ]
        );
    }

    #[test]
    fn an_old_name_renamed_is_a_move_when_identity_knows_them_as_one() {
        let old = Document::parse("[DEFAULT]\nvncserver_listen = 0.0.0.0\n").unwrap();
        let new = Document::parse("[vnc]\nserver_listen = 0.0.0.0\n").unwrap();
        let i = |o: &OptionRef| match (o.group(), o.name()) {
            ("DEFAULT", "vncserver_listen") => OptionRef::new("vnc", "server_listen"),
            _ => o.clone(),
        };
        let options = Options {
            identity: &i,
            ..plain()
        };
        let d = compare(&old, &new, &options);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, DeltaKind::Moved);
    }
}

/// Renderings of a comparison, from its masked view.
pub mod render {
    use super::DeltaKind;
    use crate::report::migration::one_line;
    use crate::report::style::{Paint, Style};
    use crate::report::view::{ComparisonView, OptionView};
    use std::fmt::Write;

    /// The changes of meaning, by section.
    pub fn text(v: &ComparisonView, style: Style) -> String {
        let (old, new) = (&v.old, &v.new);
        let mut out = String::new();
        if v.is_empty() {
            let _ = writeln!(out, "{old} → {new}: no change of meaning");
            return out;
        }
        let _ = writeln!(out, "{old} → {new}: {}", v.summary_line());
        let mut section = None;
        for d in &v.options {
            let Some(here) = d.after.as_ref().or(d.before.as_ref()) else {
                continue;
            };
            if section != Some(here.section.as_str()) {
                section = Some(&here.section);
                let _ = writeln!(out, "[{}]", here.section);
            }
            let val = |o: &OptionView| one_line(&o.value);
            let line = match (d.change, &d.before, &d.after) {
                (DeltaKind::Added, _, Some(a)) => {
                    format!("{} {} = {}", style.paint("+", Paint::Green), a.key, val(a))
                }
                (DeltaKind::Removed, Some(b), _) => {
                    format!("{} {} = {}", style.paint("-", Paint::Red), b.key, val(b))
                }
                (DeltaKind::Changed, Some(b), Some(a)) => {
                    let renamed = if (&b.section, &b.key) != (&a.section, &a.key) {
                        format!(" (was [{}] {})", b.section, b.key)
                    } else {
                        String::new()
                    };
                    format!(
                        "{} {} = {} → {}{renamed}",
                        style.paint("~", Paint::Yellow),
                        a.key,
                        val(b),
                        val(a)
                    )
                }
                (DeltaKind::Moved, Some(b), Some(a)) => format!(
                    "{} {} = {} (from [{}] {})",
                    style.paint(">", Paint::Cyan),
                    a.key,
                    val(a),
                    b.section,
                    b.key
                ),
                _ => continue,
            };
            let _ = writeln!(out, "  {line}");
        }
        out
    }

    /// `{"schema":1,"old","new","release","summary","options":[…],"diff"}`.
    pub fn json(v: &ComparisonView) -> String {
        crate::report::json_text(v)
    }
}
