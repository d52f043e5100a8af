//! Where every option name stands in every release: current, an old name
//! of another option, or unknown. Built once for the catalog (at build time
//! for the built-in data), so that telling when an option was removed, or
//! which releases a file fits, loads no inventory.

use super::model::{OptionsFile, alias_target, expanded, secret_name};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The history of one `[group] name` (group as oslo.config compares it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHistory {
    pub group: Cow<'static, str>,
    pub name: Cow<'static, str>,
    /// Bit `i` set: release `i` of the catalog has the option.
    pub live: u32,
    /// Bit `i` set: release `i` reads the name as an old name of another.
    pub alias: u32,
    /// (release index, `group/name`): the option this name pointed to in
    /// that release, as an old name or through `superseded_by`.
    pub targets: Cow<'static, [(u8, Cow<'static, str>)]>,
    /// Some release marks the option (or the one this name is an old name
    /// of) secret.
    pub secret: bool,
}

impl KeyHistory {
    pub fn known(&self) -> u32 {
        self.live | self.alias
    }

    /// What the name pointed to in release `index`.
    pub fn target_in(&self, index: usize) -> Option<&str> {
        self.targets
            .iter()
            .find(|(i, _)| usize::from(*i) == index)
            .map(|(_, t)| t.as_ref())
    }
}

/// The index: every name any release knows, sorted by (group, name); and
/// the library gaps of each release (groups or `group/name`, sorted).
#[derive(Debug, Clone)]
pub struct HistoryIndex {
    entries: Cow<'static, [KeyHistory]>,
    gaps: Cow<'static, [(Cow<'static, str>, u32)]>,
}

/// As oslo.config compares group names.
pub fn normalize(g: &str) -> String {
    if g == "DEFAULT" {
        g.to_string()
    } else {
        g.to_lowercase()
    }
}

impl HistoryIndex {
    /// Builds the index from every release's inventory, oldest first.
    pub fn build<'a>(inventories: impl IntoIterator<Item = &'a OptionsFile>) -> HistoryIndex {
        // (group, name) → (live mask, alias mask, targets, secret)
        type Seen = (u32, u32, Vec<(u8, String)>, bool);
        let mut map: BTreeMap<(String, String), Seen> = BTreeMap::new();
        let mut gaps: BTreeMap<String, u32> = BTreeMap::new();
        for (i, file) in inventories.into_iter().enumerate() {
            let bit = 1u32 << i;
            for gap in &file.gaps {
                for key in gap.groups.iter().chain(&gap.options) {
                    *gaps.entry(key.clone()).or_default() |= bit;
                }
            }
            for (group, entry) in expanded(file) {
                let own = format!("{group}/{}", entry.name);
                let e = map
                    .entry((normalize(group), entry.name.clone()))
                    .or_default();
                e.0 |= bit;
                e.3 |= entry.holds_secret();
                if let Some(by) = &entry.superseded_by {
                    e.2.push((i as u8, by.clone()));
                }
                for alias in &entry.aliases {
                    let (g, n) = alias_target(group, alias);
                    let a = map.entry((normalize(g), n.to_string())).or_default();
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
                .map(
                    |((group, name), (live, alias, targets, secret))| KeyHistory {
                        group: Cow::Owned(group),
                        name: Cow::Owned(name),
                        live,
                        alias,
                        secret,
                        targets: Cow::Owned(
                            targets
                                .into_iter()
                                .map(|(i, t)| (i, Cow::Owned(t)))
                                .collect(),
                        ),
                    },
                )
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
            .binary_search_by(|e| (e.group.as_ref(), e.name.as_ref()).cmp(&(group, name)))
            .ok()
            .map(|i| &self.entries[i])
    }

    /// The history of a `group/name` as the data files write options.
    pub fn get_spec(&self, spec: &str) -> Option<&KeyHistory> {
        let (g, n) = spec.split_once('/')?;
        self.get(&normalize(g), n)
    }

    /// Is `[group] name` secret, by what any release says of it, or, for a
    /// name no release knows, by its name? For outputs with no release at hand.
    pub fn is_secret(&self, group: &str, name: &str) -> bool {
        self.get(group, name)
            .map_or_else(|| secret_name(name), |h| h.secret)
    }

    /// Releases (bit mask) that know anything in `group`.
    pub fn group_known(&self, group: &str) -> u32 {
        let start = self.entries.partition_point(|e| e.group.as_ref() < group);
        self.entries[start..]
            .iter()
            .take_while(|e| e.group == group)
            .fold(0, |mask, e| mask | e.known())
    }
}
