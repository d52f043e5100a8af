//! Where every option name stands in every release: current, an old name
//! of another option, or unknown. Built once for the catalog (at build time
//! for the built-in data, as tables of numbers: see `tables.rs`), so that
//! telling when an option was removed, or which releases a file fits, loads
//! no inventory.

use super::OptionRef;
use super::model::{OptionsFile, expanded, secret_name};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::sync::OnceLock;

/// The history of one option name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHistory {
    pub option: OptionRef,
    /// Bit `i` set: release `i` of the catalog has the option.
    pub live: u32,
    /// Bit `i` set: release `i` reads the name as an old name of another.
    pub alias: u32,
    /// (release index, option): the option this name pointed to in that
    /// release, as an old name or through `superseded_by`.
    pub targets: Cow<'static, [(u8, OptionRef)]>,
    /// Some release marks the option (or the one this name is an old name
    /// of) secret.
    pub secret: bool,
}

impl KeyHistory {
    pub fn known(&self) -> u32 {
        self.live | self.alias
    }

    /// What the name pointed to in release `index`.
    pub fn target_in(&self, index: usize) -> Option<&OptionRef> {
        self.targets
            .iter()
            .find(|(i, _)| usize::from(*i) == index)
            .map(|(_, t)| t)
    }
}

/// The entries of an index compiled into the binary (see `tables.rs`):
/// what the index reads of an entry without making a [`KeyHistory`] of it.
pub trait Compiled: Sync + Send {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// (group, name) of the `i`th entry.
    fn key(&self, i: usize) -> (&'static str, &'static str);
    /// (live, alias, secret) of the `i`th entry.
    fn masks(&self, i: usize) -> (u32, u32, bool);
    fn entry(&self, i: usize) -> KeyHistory;
}

enum Entries {
    Built(Vec<KeyHistory>),
    /// Each entry made when first asked for.
    Compiled {
        table: &'static dyn Compiled,
        one: OnceLock<Box<[OnceLock<Box<KeyHistory>>]>>,
        all: OnceLock<Vec<KeyHistory>>,
    },
}

/// The index: every name any release knows, sorted by option; and the
/// library gaps of each release (groups or `group/name`, sorted).
pub struct HistoryIndex {
    entries: Entries,
    gaps: Cow<'static, [(Cow<'static, str>, u32)]>,
    /// Positions by (group, name), made on first lookup: a large file asks
    /// for millions of names, and a hash beats a binary search of strings.
    by_name: OnceLock<ByName>,
}

/// A hash table of entry positions, and the hasher of its keys.
struct ByName {
    table: hashbrown::HashTable<u32>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl std::fmt::Debug for HistoryIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HistoryIndex")
            .field("entries", &self.len())
            .field("gaps", &self.gaps.len())
            .finish()
    }
}

impl HistoryIndex {
    /// Builds the index from every release's inventory, oldest first.
    pub fn build<'a>(inventories: impl IntoIterator<Item = &'a OptionsFile>) -> HistoryIndex {
        // option → (live mask, alias mask, targets, secret)
        type Seen = (u32, u32, Vec<(u8, OptionRef)>, bool);
        let mut map: BTreeMap<OptionRef, Seen> = BTreeMap::new();
        let mut gaps: BTreeMap<String, u32> = BTreeMap::new();
        for (i, file) in inventories.into_iter().enumerate() {
            let bit = 1u32 << i;
            for gap in &file.gaps {
                let options = gap.options.iter().map(OptionRef::spec);
                for key in gap.groups.iter().map(|g| g.to_string()).chain(options) {
                    *gaps.entry(key).or_default() |= bit;
                }
            }
            for (group, entry) in expanded(file) {
                let own = OptionRef::new(group, &entry.name);
                let e = map.entry(own.clone()).or_default();
                e.0 |= bit;
                e.3 |= entry.holds_secret();
                if let Some(by) = &entry.superseded_by {
                    e.2.push((i as u8, by.clone()));
                }
                for alias in entry.alias_refs(group) {
                    let a = map.entry(alias).or_default();
                    a.3 |= entry.holds_secret();
                    if a.1 & bit == 0 {
                        a.1 |= bit;
                        a.2.push((i as u8, own.clone()));
                    }
                }
            }
        }
        HistoryIndex {
            gaps: Cow::Owned(gaps.into_iter().map(|(k, m)| (Cow::Owned(k), m)).collect()),
            entries: Entries::Built(
                map.into_iter()
                    .map(|(option, (live, alias, targets, secret))| KeyHistory {
                        option,
                        live,
                        alias,
                        secret,
                        targets: Cow::Owned(targets),
                    })
                    .collect(),
            ),
            by_name: OnceLock::new(),
        }
    }

    /// An index over compiled tables, already sorted (what `build.rs`
    /// writes).
    pub const fn compiled(
        table: &'static dyn Compiled,
        gaps: &'static [(Cow<'static, str>, u32)],
    ) -> HistoryIndex {
        HistoryIndex {
            entries: Entries::Compiled {
                table,
                one: OnceLock::new(),
                all: OnceLock::new(),
            },
            gaps: Cow::Borrowed(gaps),
            by_name: OnceLock::new(),
        }
    }

    fn len(&self) -> usize {
        match &self.entries {
            Entries::Built(all) => all.len(),
            Entries::Compiled { table, .. } => table.len(),
        }
    }

    /// (group, name) of the `i`th entry.
    fn key(&self, i: usize) -> (&str, &str) {
        match &self.entries {
            Entries::Built(all) => (all[i].option.group(), all[i].option.name()),
            Entries::Compiled { table, .. } => table.key(i),
        }
    }

    /// (live, alias, secret) of the `i`th entry.
    fn masks(&self, i: usize) -> (u32, u32, bool) {
        match &self.entries {
            Entries::Built(all) => (all[i].live, all[i].alias, all[i].secret),
            Entries::Compiled { table, .. } => table.masks(i),
        }
    }

    fn at(&self, i: usize) -> &KeyHistory {
        match &self.entries {
            Entries::Built(all) => &all[i],
            Entries::Compiled { table, one, all } => match all.get() {
                Some(all) => &all[i],
                None => one.get_or_init(|| (0..table.len()).map(|_| OnceLock::new()).collect())[i]
                    .get_or_init(|| Box::new(table.entry(i))),
            },
        }
    }

    /// The position of `[group] name`.
    fn find(&self, group: &str, name: &str) -> Option<usize> {
        let by = self.by_name.get_or_init(|| {
            let hasher = hashbrown::DefaultHashBuilder::default();
            let mut table = hashbrown::HashTable::with_capacity(self.len());
            for i in 0..self.len() {
                let h = hasher.hash_one(self.key(i));
                table.insert_unique(h, i as u32, |&j| hasher.hash_one(self.key(j as usize)));
            }
            ByName { table, hasher }
        });
        let h = by.hasher.hash_one((group, name));
        by.table
            .find(h, |&i| self.key(i as usize) == (group, name))
            .map(|&i| i as usize)
    }

    pub fn gaps(&self) -> &[(Cow<'static, str>, u32)] {
        &self.gaps
    }

    /// Releases (bit mask) whose data does not cover `[group] name`.
    pub fn gap_mask(&self, group: &str, name: &str) -> u32 {
        let find = |key: &str| {
            self.gaps
                .binary_search_by(|(k, _)| k.as_ref().cmp(key))
                .map_or(0, |i| self.gaps[i].1)
        };
        find(group) | find(&format!("{group}/{name}"))
    }

    /// Every entry, sorted by option (for the compiled index, made on the
    /// first call).
    pub fn entries(&self) -> &[KeyHistory] {
        match &self.entries {
            Entries::Built(all) => all,
            Entries::Compiled { table, all, .. } => {
                all.get_or_init(|| (0..table.len()).map(|i| table.entry(i)).collect())
            }
        }
    }

    /// The history of `[group] name`; `group` as oslo.config compares it.
    pub fn get(&self, group: &str, name: &str) -> Option<&KeyHistory> {
        self.find(group, name).map(|i| self.at(i))
    }

    /// The history of an option.
    pub fn history(&self, option: &OptionRef) -> Option<&KeyHistory> {
        self.get(option.group(), option.name())
    }

    /// Is `[group] name` secret, by what any release says of it, or, for a
    /// name no release knows, by its name? For outputs with no release at hand.
    pub fn is_secret(&self, group: &str, name: &str) -> bool {
        self.find(group, name)
            .map_or_else(|| secret_name(name), |i| self.masks(i).2)
    }

    /// Releases (bit mask) that know anything in `group`.
    pub fn group_known(&self, group: &str) -> u32 {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let mid = (low + high) / 2;
            if self.key(mid).0 < group {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        (low..self.len())
            .take_while(|&i| self.key(i).0 == group)
            .fold(0, |mask, i| {
                let (live, alias, _) = self.masks(i);
                mask | live | alias
            })
    }
}
