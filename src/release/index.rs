//! How an option inventory is laid out for lookups: every option of the
//! release in inventory order (sets expanded, overrides applied), the
//! options sorted by (group, name), each group's run of that order, and the
//! old names sorted by (group, name).
//!
//! Shared, as a `#[path]` module, by the build script (which writes these
//! tables into the binary, see `tables.rs`) and by the catalog (which builds
//! them for an inventory read from `--releases-dir`), so that both order and
//! search alike. It uses nothing but `std` and the model.

use super::model::{OptionEntry, OptionsFile};
use super::{OptionRef, normalize_group};

/// One option of the release, with its group and the set it comes from.
#[derive(Debug, Clone, Copy)]
pub struct Expanded<'a> {
    /// As registered (a pattern such as `vgpu_<vgpu_type>` stays one).
    pub group: &'a str,
    pub entry: &'a OptionEntry,
    /// The shared (keystoneauth) set it comes from, if any.
    pub set: Option<&'a str>,
}

/// Every option of the inventory, groups in file order, an included set's
/// members before the group's own options.
pub fn expand(file: &OptionsFile) -> Vec<Expanded<'_>> {
    let mut options = Vec::new();
    for group in &file.groups {
        for inc in &group.include {
            for member in file
                .sets
                .iter()
                .filter(|s| &s.name == inc)
                .flat_map(|s| &s.options)
            {
                let entry = group
                    .overrides
                    .iter()
                    .find(|o| o.name == member.name)
                    .unwrap_or(member);
                options.push(Expanded {
                    group: &group.name,
                    entry,
                    set: Some(inc),
                });
            }
        }
        for entry in &group.options {
            options.push(Expanded {
                group: &group.name,
                entry,
                set: None,
            });
        }
    }
    options
}

/// The search tables of an inventory, as positions in its expanded options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// The groups that have options, as oslo.config compares them, sorted.
    pub groups: Vec<String>,
    /// The options by (group as compared, name): a [`probe`] table of
    /// their positions.
    pub options: Vec<u32>,
    /// Every old name, sorted by (group, name); for one old name, the
    /// options that read it in inventory order.
    pub aliases: Vec<(OptionRef, u32)>,
    /// The old names: a [`probe`] table of the first row of each in
    /// `aliases`.
    pub alias_slots: Vec<u32>,
}

/// Sorts the expanded options into their search tables.
pub fn layout(options: &[Expanded<'_>]) -> Layout {
    let groups: Vec<String> = options
        .iter()
        .map(|o| normalize_group(o.group).into_owned())
        .collect();
    let mut sorted = groups.clone();
    sorted.sort();
    sorted.dedup();
    let keys = options
        .iter()
        .zip(&groups)
        .map(|(o, g)| (g.as_str(), &*o.entry.name));
    let table = hash_table(keys);
    let mut aliases: Vec<(OptionRef, u32)> = options
        .iter()
        .enumerate()
        .flat_map(|(i, o)| o.entry.alias_refs(o.group).map(move |a| (a, i as u32)))
        .collect();
    aliases.sort();
    let firsts: Vec<(usize, &OptionRef)> = aliases
        .iter()
        .enumerate()
        .filter(|&(i, (a, _))| i == 0 || aliases[i - 1].0 != *a)
        .map(|(i, (a, _))| (i, a))
        .collect();
    let mut alias_slots = hash_table(firsts.iter().map(|(_, a)| (a.group(), a.name())));
    for slot in alias_slots.iter_mut().filter(|s| **s != EMPTY) {
        *slot = firsts[*slot as usize].0 as u32;
    }
    Layout {
        groups: sorted,
        options: table,
        aliases,
        alias_slots,
    }
}

/// A free slot of a [`probe`] table.
pub const EMPTY: u32 = u32::MAX;

/// An open-addressing table of `keys` (distinct): slot → the key's
/// position in `keys`, at most half full, searched by [`probe`].
fn hash_table<'a>(keys: impl ExactSizeIterator<Item = (&'a str, &'a str)>) -> Vec<u32> {
    let size = (keys.len() * 2).next_power_of_two().max(2);
    let mut slots = vec![EMPTY; size];
    for (i, (group, name)) in keys.enumerate() {
        let mut at = key_hash(group, name) as usize & (size - 1);
        while slots[at] != EMPTY {
            at = (at + 1) & (size - 1);
        }
        slots[at] = i as u32;
    }
    slots
}

/// The value in a table of [`hash_table`]'s shape whose key is
/// `(group, name)`: `is(value)` tells whether a candidate has that key.
pub fn probe(slots: &[u32], group: &str, name: &str, is: impl Fn(u32) -> bool) -> Option<u32> {
    let mask = slots.len() - 1;
    let mut at = key_hash(group, name) as usize & mask;
    loop {
        match slots[at] {
            EMPTY => return None,
            v if is(v) => return Some(v),
            _ => at = (at + 1) & mask,
        }
    }
}

/// A hash of `(group, name)`, the same in the build script and at run
/// time (FxHash's mixing, eight bytes at a time).
pub fn key_hash(group: &str, name: &str) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mix = |h: u64, word: u64| (h.rotate_left(5) ^ word).wrapping_mul(K);
    let mut h = 0;
    for part in [group.as_bytes(), name.as_bytes()] {
        let mut words = part.chunks_exact(8);
        for w in &mut words {
            h = mix(h, u64::from_le_bytes(w.try_into().expect("eight bytes")));
        }
        let mut last = [0u8; 8];
        last[..words.remainder().len()].copy_from_slice(words.remainder());
        h = mix(h, u64::from_le_bytes(last));
        h = mix(h, part.len() as u64);
    }
    // The low bits pick the slot: fold the well-mixed high bits in.
    h ^ (h >> 32)
}

/// The yes/no facts of an option, as the compiled tables keep them: one
/// bit each.
pub mod flag {
    pub const SECRET: u8 = 1;
    pub const IGNORE_CASE: u8 = 1 << 1;
    pub const DEPRECATED_FOR_REMOVAL: u8 = 1 << 2;
    pub const REQUIRED: u8 = 1 << 3;
    pub const CLI: u8 = 1 << 4;
    pub const HIDDEN: u8 = 1 << 5;
}

/// The bits of [`flag`] an option has (for the build script, which writes
/// the tables).
#[allow(dead_code)]
pub fn flags(e: &OptionEntry) -> u8 {
    [
        (e.secret, flag::SECRET),
        (e.ignore_case, flag::IGNORE_CASE),
        (e.deprecated_for_removal, flag::DEPRECATED_FOR_REMOVAL),
        (e.required, flag::REQUIRED),
        (e.cli, flag::CLI),
        (e.hidden, flag::HIDDEN),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .fold(0, |bits, (_, bit)| bits | bit)
}

/// A list (of choices or old names) in the compiled tables: where it
/// starts in the table of list items, and how long it is (for the build
/// script, which writes the tables).
#[allow(dead_code)]
pub fn list_ref(start: usize, len: usize) -> Option<u32> {
    (start < 1 << 24 && len < 1 << 8).then_some(((start as u32) << 8) | len as u32)
}

/// The (start, len) of a [`list_ref`].
pub fn list_span(r: u32) -> (usize, usize) {
    ((r >> 8) as usize, (r & 0xff) as usize)
}
