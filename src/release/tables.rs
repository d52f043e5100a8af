//! The option inventories built into the binary, as tables `build.rs`
//! writes: nothing to parse, hash or sort when a command starts.
//!
//! The tables hold numbers, not pointers: a string is its number in one
//! text of every string of every release (`STRINGS`, cut at `ENDS`), so the
//! loader has nothing to relocate at start-up (a pointer table of every
//! option would cost each command about 3 ms and 4 MB of copied pages), and
//! the pages of a release no command asks for are never read. Asking for a
//! release's inventory copies out its group runs and old names (a few
//! hundred rows); an option becomes an [`OptionDef`] when a lookup first
//! finds it, or when every option is asked for, its strings borrowed from
//! that text. Choices and old names (`LISTS`), sources, group names and
//! gaps are small `Cow` tables.
//!
//! The layout (sort orders, runs of groups, old names) is computed by
//! `index.rs`, the code that also lays out an inventory read from
//! `--releases-dir`; `tests.rs` checks that both give the same inventory.

use super::history::{Compiled as CompiledHistory, KeyHistory};
use super::index::{flag, list_span};
use super::inventory::{AliasRow, Inventory, OptionDef, Options, Parts};
use super::model::{Gap, List, OptionEntry, OptionType, Text};
use crate::conf::OptionRef;
use std::borrow::Cow;

/// No string, list or number.
const NONE: u32 = u32::MAX;

/// One option, in inventory order. Strings are numbers in `STRINGS`
/// (`NONE`: absent), lists are `index::list_ref`s into `LISTS`, numbers
/// are positions in `NUMBERS`.
#[derive(Clone, Copy)]
pub(super) struct O(
    /// group, as registered
    u32,
    /// name
    u32,
    OptionType,
    /// `index::flag` bits
    u8,
    /// default
    u32,
    /// item_type
    u32,
    /// deprecated_since
    u32,
    /// owner
    u32,
    /// source
    u32,
    /// set
    u32,
    /// superseded_by: group, name
    u32,
    u32,
    /// choices
    u32,
    /// aliases
    u32,
    /// min, max
    u32,
    u32,
);

/// An old name (group, name) and the option that reads it.
pub(super) struct A(u32, u32, u32);

/// One release's inventory.
pub(super) struct Compiled {
    release: &'static str,
    sources: &'static [Text],
    groups: &'static [Text],
    gaps: &'static [Gap],
    options: &'static [O],
    /// The groups that have options, as compared, sorted.
    live_groups: &'static [u32],
    /// `index::probe` tables (see `index::Layout`).
    slots: &'static [u32],
    aliases: &'static [A],
    alias_slots: &'static [u32],
}

/// An entry of the history index: option (group, name), live and alias
/// masks, secret, its targets `HISTORY_TARGETS[start..end]`.
pub(super) struct H(u32, u32, u32, u32, bool, u32, u32);

/// A target of a history entry: release index, option (group, name).
pub(super) struct T(u8, u32, u32);

include!(concat!(env!("OUT_DIR"), "/inventories.rs"));

/// The history index built into the binary.
pub(super) struct History;

impl History {
    pub fn gaps() -> &'static [(Cow<'static, str>, u32)] {
        HISTORY_GAPS
    }
}

impl CompiledHistory for History {
    fn len(&self) -> usize {
        HISTORY_ENTRIES.len()
    }

    fn key(&self, i: usize) -> (&'static str, &'static str) {
        let h = &HISTORY_ENTRIES[i];
        (text(h.0), text(h.1))
    }

    fn masks(&self, i: usize) -> (u32, u32, bool) {
        let h = &HISTORY_ENTRIES[i];
        (h.2, h.3, h.4)
    }

    fn entry(&self, i: usize) -> KeyHistory {
        let h = &HISTORY_ENTRIES[i];
        KeyHistory {
            option: OptionRef::from_static(text(h.0), text(h.1)),
            live: h.2,
            alias: h.3,
            secret: h.4,
            targets: HISTORY_TARGETS[h.5 as usize..h.6 as usize]
                .iter()
                .map(|&T(release, group, name)| {
                    (release, OptionRef::from_static(text(group), text(name)))
                })
                .collect(),
        }
    }
}

fn text(id: u32) -> &'static str {
    let id = id as usize;
    let start = if id == 0 { 0 } else { ENDS[id - 1] as usize };
    &STRINGS[start..ENDS[id] as usize]
}

fn maybe(id: u32) -> Option<Text> {
    (id != NONE).then(|| Cow::Borrowed(text(id)))
}

fn list(r: u32) -> List<Text> {
    let (start, len) = list_span(r);
    Cow::Borrowed(&LISTS[start..start + len])
}

fn number(at: u32) -> Option<i64> {
    (at != NONE).then(|| NUMBERS[at as usize])
}

impl O {
    fn option(&self) -> OptionDef {
        let bits = self.3;
        let on = |bit: u8| bits & bit != 0;
        let group = Cow::Borrowed(text(self.0));
        OptionDef {
            group,
            kind: self.2,
            set: maybe(self.9),
            entry: OptionEntry {
                name: Cow::Borrowed(text(self.1)),
                kind: self.2,
                default: maybe(self.4),
                secret: on(flag::SECRET),
                choices: list(self.12),
                ignore_case: on(flag::IGNORE_CASE),
                min: number(self.14),
                max: number(self.15),
                item_type: maybe(self.5),
                aliases: list(self.13),
                deprecated_for_removal: on(flag::DEPRECATED_FOR_REMOVAL),
                deprecated_since: maybe(self.6),
                superseded_by: (self.10 != NONE)
                    .then(|| OptionRef::from_static(text(self.10), text(self.11))),
                required: on(flag::REQUIRED),
                cli: on(flag::CLI),
                hidden: on(flag::HIDDEN),
                owner: maybe(self.7),
                source: maybe(self.8),
            },
        }
    }
}

/// The options of a built-in inventory, made one by one on demand.
pub(crate) struct Rows(&'static [O]);

impl Rows {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn name(&self, i: usize) -> &'static str {
        text(self.0[i].1)
    }

    pub fn group(&self, i: usize) -> &'static str {
        text(self.0[i].0)
    }

    /// The option that supersedes the `i`th, as (group, name), without
    /// making the option.
    pub fn superseded_by(&self, i: usize) -> Option<(&'static str, &'static str)> {
        let o = &self.0[i];
        (o.10 != NONE).then(|| (text(o.10), text(o.11)))
    }

    pub fn option(&self, i: usize) -> OptionDef {
        self.0[i].option()
    }
}

/// How many inventories are built in (one per release, in catalog order).
pub(super) fn count() -> usize {
    INVENTORIES.len()
}

/// The inventory of the `index`th built-in release.
pub(super) fn inventory(index: usize) -> Inventory {
    let c = &INVENTORIES[index];
    Inventory::from_parts(Parts {
        release: Cow::Borrowed(c.release),
        sources: Cow::Borrowed(c.sources),
        groups: Cow::Borrowed(c.groups),
        gaps: Cow::Borrowed(c.gaps),
        options: Options::compiled(Rows(c.options)),
        live_groups: c
            .live_groups
            .iter()
            .map(|&g| Cow::Borrowed(text(g)))
            .collect(),
        slots: Cow::Borrowed(c.slots),
        alias_slots: Cow::Borrowed(c.alias_slots),
        aliases: c
            .aliases
            .iter()
            .map(|&A(group, name, target)| AliasRow {
                group: Cow::Borrowed(text(group)),
                name: Cow::Borrowed(text(name)),
                target,
            })
            .collect(),
    })
}
