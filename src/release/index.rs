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
    /// Positions of the options sorted by (group as oslo.config compares
    /// it, name).
    pub by_name: Vec<u32>,
    /// Each group (as oslo.config compares it), sorted, with its run
    /// `start..end` of `by_name`.
    pub spans: Vec<(String, u32, u32)>,
    /// Every old name, sorted by (group, name); for one old name, the
    /// options that read it in inventory order.
    pub aliases: Vec<(OptionRef, u32)>,
}

/// Sorts the expanded options into their search tables.
pub fn layout(options: &[Expanded<'_>]) -> Layout {
    let groups: Vec<String> = options
        .iter()
        .map(|o| normalize_group(o.group).into_owned())
        .collect();
    let mut by_name: Vec<u32> = (0..options.len() as u32).collect();
    by_name.sort_by(|&a, &b| {
        let (a, b) = (a as usize, b as usize);
        (groups[a].as_str(), &*options[a].entry.name)
            .cmp(&(groups[b].as_str(), &*options[b].entry.name))
    });
    let mut spans: Vec<(String, u32, u32)> = Vec::new();
    for (at, &i) in by_name.iter().enumerate() {
        let group = &groups[i as usize];
        match spans.last_mut() {
            Some((g, _, end)) if g == group => *end = at as u32 + 1,
            _ => spans.push((group.clone(), at as u32, at as u32 + 1)),
        }
    }
    let mut aliases: Vec<(OptionRef, u32)> = options
        .iter()
        .enumerate()
        .flat_map(|(i, o)| o.entry.alias_refs(o.group).map(move |a| (a, i as u32)))
        .collect();
    aliases.sort();
    Layout {
        by_name,
        spans,
        aliases,
    }
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
