//! Where every option name stands in every release: current, an old name
//! of another option, or unknown. Built once for the catalog (at build time
//! for the built-in data), so that telling when an option was removed, or
//! which releases a file fits, loads no inventory.

use super::OptionRef;
use super::model::{OptionsFile, expanded, secret_name};
use std::borrow::Cow;
use std::collections::BTreeMap;

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

/// The index: every name any release knows, sorted by option; and the
/// library gaps of each release (groups or `group/name`, sorted).
#[derive(Debug, Clone)]
pub struct HistoryIndex {
    entries: Cow<'static, [KeyHistory]>,
    gaps: Cow<'static, [(Cow<'static, str>, u32)]>,
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
            entries: map
                .into_iter()
                .map(|(option, (live, alias, targets, secret))| KeyHistory {
                    option,
                    live,
                    alias,
                    secret,
                    targets: Cow::Owned(targets),
                })
                .collect(),
        }
    }

    /// An index over static data, already sorted (what `build.rs` embeds).
    pub const fn from_static(
        entries: &'static [KeyHistory],
        gaps: &'static [(Cow<'static, str>, u32)],
    ) -> HistoryIndex {
        HistoryIndex {
            entries: Cow::Borrowed(entries),
            gaps: Cow::Borrowed(gaps),
        }
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

    pub fn entries(&self) -> &[KeyHistory] {
        &self.entries
    }

    /// The history of `[group] name`; `group` as oslo.config compares it.
    pub fn get(&self, group: &str, name: &str) -> Option<&KeyHistory> {
        self.entries
            .binary_search_by(|e| (e.option.group(), e.option.name()).cmp(&(group, name)))
            .ok()
            .map(|i| &self.entries[i])
    }

    /// The history of an option.
    pub fn history(&self, option: &OptionRef) -> Option<&KeyHistory> {
        self.get(option.group(), option.name())
    }

    /// Is `[group] name` secret, by what any release says of it, or, for a
    /// name no release knows, by its name? For outputs with no release at hand.
    pub fn is_secret(&self, group: &str, name: &str) -> bool {
        self.get(group, name)
            .map_or_else(|| secret_name(name), |h| h.secret)
    }

    /// Releases (bit mask) that know anything in `group`.
    pub fn group_known(&self, group: &str) -> u32 {
        let start = self.entries.partition_point(|e| e.option.group() < group);
        self.entries[start..]
            .iter()
            .take_while(|e| e.option.group() == group)
            .fold(0, |mask, e| mask | e.known())
    }
}
