//! The index of a document: from (group, key) to the lines that set it.
//!
//! A hash table of slots, one per distinct (group, key), four bytes each; a
//! slot holds the line of the only occurrence, or, when the key repeats, a
//! list of every occurrence. Keys are not copied: a slot's group and key
//! are read from its first line, which is how the table hashes and compares
//! them. Built on
//! demand (after a few lookups: one lookup is cheaper as a scan), and kept
//! right by every edit, which reports the lines it removed, how the others
//! moved, and the lines it added (see `Document::splice`).

use super::document::{Document, NO_SECTION, Tag};
use hashbrown::HashTable;
use hashbrown::hash_table::Entry as TableEntry;
use std::hash::BuildHasher;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// Lookups answered by scanning before the index is built.
const SCANS: u32 = 2;

/// A slot holding this bit is a list (the rest is its index in
/// `Index::extra`); else it is the line of the only occurrence. Lines are
/// fewer than 2^31: a document is at most 1 GiB.
const LIST: u32 = 1 << 31;

/// The index, built on demand.
#[derive(Default)]
pub(crate) struct IndexCell {
    built: OnceLock<Index>,
    lookups: AtomicU32,
}

impl Clone for IndexCell {
    fn clone(&self) -> IndexCell {
        IndexCell {
            built: self.built.clone(),
            lookups: AtomicU32::new(self.lookups.load(Ordering::Relaxed)),
        }
    }
}

impl std::fmt::Debug for IndexCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexCell")
            .field("built", &self.built.get().map(|ix| ix.table.len()))
            .finish()
    }
}

/// The lines a lookup found, in file order.
pub(crate) type Positions<'d> =
    std::iter::Chain<std::option::IntoIter<u32>, std::iter::Copied<std::slice::Iter<'d, u32>>>;

impl IndexCell {
    /// The lines of `key` in `group`, or `None` while lookups are still
    /// answered by scanning.
    pub fn lookup<'d>(&'d self, doc: &Document, group: &str, key: &[u8]) -> Option<Positions<'d>> {
        let ix = match self.built.get() {
            Some(ix) => ix,
            None if self.lookups.fetch_add(1, Ordering::Relaxed) < SCANS => return None,
            None => self.built.get_or_init(|| Index::build(doc)),
        };
        Some(ix.positions(doc, group, key))
    }

    /// The index, taken out for an edit to update; `None` if not built.
    pub fn take(&mut self) -> Option<Index> {
        self.built.take()
    }

    pub fn put(&mut self, ix: Index) {
        let _ = self.built.set(ix);
    }

    pub fn heap_size(&self) -> usize {
        self.built.get().map_or(0, |ix| {
            ix.table.capacity() * (std::mem::size_of::<Slot>() + 1)
                + ix.extra
                    .iter()
                    .map(|v| 24 + 4 * v.capacity())
                    .sum::<usize>()
        })
    }
}

/// The line of a key's only occurrence, or (with [`LIST`]) the index of
/// the list of its occurrences.
#[derive(Clone, Copy)]
struct Slot(u32);

#[derive(Clone)]
pub(crate) struct Index {
    table: HashTable<Slot>,
    /// Every occurrence of each repeated key, in file order (two or more).
    extra: Vec<Vec<u32>>,
    /// Lists of `extra` free for reuse.
    free: Vec<u32>,
    hasher: hashbrown::DefaultHashBuilder,
}

fn hash(hasher: &hashbrown::DefaultHashBuilder, (group, key): (&str, &[u8])) -> u64 {
    hasher.hash_one((group.as_bytes(), key))
}

fn is_indexed(doc: &Document, idx: usize) -> bool {
    let l = &doc.lines[idx];
    l.tag == Tag::Entry && l.section != NO_SECTION
}

/// The line of a slot's first occurrence, whose key is the slot's.
fn first(extra: &[Vec<u32>], s: Slot) -> u32 {
    if s.0 & LIST == 0 {
        s.0
    } else {
        extra[(s.0 & !LIST) as usize][0]
    }
}

/// Every line of a slot, in order.
fn lines<'a>(extra: &'a [Vec<u32>], s: &'a Slot) -> &'a [u32] {
    if s.0 & LIST == 0 {
        std::slice::from_ref(&s.0)
    } else {
        &extra[(s.0 & !LIST) as usize]
    }
}

impl Index {
    fn build(doc: &Document) -> Index {
        // Counted first, then added: no list of every entry is held.
        let entries = || {
            (0..doc.lines.len())
                .filter(|&i| is_indexed(doc, i))
                .map(|i| i as u32)
        };
        let mut ix = Index {
            table: HashTable::with_capacity(entries().count()),
            extra: Vec::new(),
            free: Vec::new(),
            hasher: hashbrown::DefaultHashBuilder::default(),
        };
        ix.add_many(doc, entries());
        ix
    }

    fn positions<'d>(&'d self, doc: &Document, group: &str, key: &[u8]) -> Positions<'d> {
        let h = hash(&self.hasher, (group, key));
        let extra = &self.extra;
        let found = self.table.find(h, |&s| {
            doc.entry_key(first(extra, s) as usize) == (group, key)
        });
        match found {
            Some(s) if s.0 & LIST == 0 => Some(s.0).into_iter().chain([].iter().copied()),
            Some(s) => {
                let all = &extra[(s.0 & !LIST) as usize];
                Some(all[0]).into_iter().chain(all[1..].iter().copied())
            }
            None => None.into_iter().chain([].iter().copied()),
        }
    }

    fn free_list(&mut self, s: Slot) {
        if s.0 & LIST != 0 {
            let id = s.0 & !LIST;
            self.extra[id as usize] = Vec::new();
            self.free.push(id);
        }
    }

    /// Forgets the entries at `removed` (sorted line indices of `doc` as it
    /// is before the edit). Each key's list is rewritten once, however many
    /// of its occurrences go.
    pub fn remove_many(&mut self, doc: &Document, removed: &[u32]) {
        for &p in removed {
            if !is_indexed(doc, p as usize) {
                continue;
            }
            let key = doc.entry_key(p as usize);
            let h = hash(&self.hasher, key);
            let extra = &self.extra;
            let eq = |s: &Slot| doc.entry_key(first(extra, *s) as usize) == key;
            let Some(&slot) = self.table.find(h, eq) else {
                continue;
            };
            let all = lines(extra, &slot);
            if all.binary_search(&p).is_err() {
                // This key's list was rewritten already.
                continue;
            }
            let kept: Vec<u32> = all
                .iter()
                .copied()
                .filter(|q| removed.binary_search(q).is_err())
                .collect();
            if let Ok(entry) = self.table.find_entry(h, eq) {
                match kept[..] {
                    [] => {
                        entry.remove();
                    }
                    [only] => *entry.into_mut() = Slot(only),
                    _ => {}
                }
            }
            if kept.len() < 2 {
                self.free_list(slot);
            } else {
                // Two or more left: the slot was a list, and stays one.
                self.extra[(slot.0 & !LIST) as usize] = kept;
            }
        }
    }

    /// Moves every line the index holds: `moved(old)` is its new index.
    /// It must keep the order of lines.
    pub fn remap(&mut self, moved: impl Fn(u32) -> u32) {
        for s in self.table.iter_mut() {
            if s.0 & LIST == 0 {
                s.0 = moved(s.0);
            }
        }
        for list in &mut self.extra {
            for p in list.iter_mut() {
                *p = moved(*p);
            }
        }
    }

    /// Adds the entries at `added` (sorted line indices of `doc` as it is
    /// after the edit). Each key's list is merged once.
    pub fn add_many(&mut self, doc: &Document, added: impl IntoIterator<Item = u32>) {
        // New occurrences of keys already in the table, by list.
        let mut merge: std::collections::HashMap<u32, Vec<u32>> = Default::default();
        for p in added {
            if !is_indexed(doc, p as usize) {
                continue;
            }
            let key = doc.entry_key(p as usize);
            let Index {
                table,
                extra,
                free,
                hasher,
            } = self;
            let h = hash(hasher, key);
            let entry = table.entry(
                h,
                |&s| doc.entry_key(first(extra, s) as usize) == key,
                |&s| hash(hasher, doc.entry_key(first(extra, s) as usize)),
            );
            match entry {
                TableEntry::Vacant(v) => {
                    v.insert(Slot(p));
                }
                TableEntry::Occupied(mut o) => {
                    let slot = o.get_mut();
                    if slot.0 & LIST == 0 {
                        let only = slot.0;
                        let id = match free.pop() {
                            Some(id) => id,
                            None => {
                                extra.push(Vec::new());
                                (extra.len() - 1) as u32
                            }
                        };
                        extra[id as usize] = vec![only];
                        slot.0 = id | LIST;
                    }
                    let id = slot.0 & !LIST;
                    let list = &mut extra[id as usize];
                    let last = list.last().copied().unwrap_or_default();
                    if p > last && !merge.contains_key(&id) {
                        // The usual case: a later occurrence.
                        list.push(p);
                    } else {
                        merge.entry(id).or_default().push(p);
                    }
                }
            }
        }
        for (id, new) in merge {
            // The slot names the list, which holds its first line: only the
            // list changes.
            let old = std::mem::take(&mut self.extra[id as usize]);
            let mut all = Vec::with_capacity(old.len() + new.len());
            let (mut a, mut b) = (old.into_iter().peekable(), new.into_iter().peekable());
            loop {
                let next = match (a.peek(), b.peek()) {
                    (Some(&x), Some(&y)) if x <= y => a.next(),
                    (Some(_), Some(_)) => b.next(),
                    (Some(_), None) => a.next(),
                    (None, Some(_)) => b.next(),
                    (None, None) => break,
                };
                all.extend(next);
            }
            self.extra[id as usize] = all;
        }
    }
}
