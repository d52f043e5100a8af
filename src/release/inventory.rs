//! A release's option inventory, indexed for lookups: hash tables laid out
//! by `index.rs`, borrowed from the tables compiled into the binary
//! (`tables.rs`: nothing is parsed, hashed or sorted at start-up) or built
//! from an `options.toml` read from `--releases-dir`.

use super::index::{expand, layout, probe};
use super::model::{Gap, List, OptionEntry, OptionType, OptionsFile, Text};
use super::tables::Rows;
use crate::conf::{OptionRef, normalize_group};
use std::borrow::Cow;
use std::sync::OnceLock;

/// One option of the release, with its group.
#[derive(Debug, Clone)]
pub struct OptionDef {
    pub group: Text,
    pub entry: OptionEntry,
    /// The set it comes from, when it is a shared (keystoneauth) option.
    pub set: Option<Text>,
    pub kind: OptionType,
}

impl OptionDef {
    pub fn name(&self) -> &str {
        &self.entry.name
    }

    /// How the option is told apart from every other.
    pub fn id(&self) -> OptionRef {
        // A built-in option's strings are static: borrow them.
        if let (Cow::Borrowed(group), Cow::Borrowed(name)) = (&self.group, &self.entry.name) {
            if let Cow::Borrowed(group) = normalize_group(group) {
                return OptionRef::from_static(group, name);
            }
        }
        OptionRef::new(&self.group, self.name())
    }

    /// `[group] name`.
    pub fn display(&self) -> String {
        self.id().to_string()
    }

    /// The old spellings nova still accepts.
    pub fn aliases(&self) -> impl Iterator<Item = OptionRef> + '_ {
        self.entry.alias_refs(&self.group)
    }
}

use super::model::secret_name;

/// Is an option secret: marked so in the inventory, or, when the inventory
/// does not know it, named like a secret.
pub fn is_secret(option: Option<&OptionDef>, key: &str) -> bool {
    option.map_or_else(|| secret_name(key), |o| o.entry.holds_secret())
}

/// What [`Inventory::locate`] found: an option's position, the first row
/// of an old name, or nothing. Four bytes, to keep one an option of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found(u32);

impl Found {
    pub const UNKNOWN: Found = Found(u32::MAX);
    const ALIAS: u32 = 1 << 31;
}

/// How a (group, key) of a config file reads in a release.
#[derive(Debug)]
pub enum Lookup<'a> {
    /// An option of the release.
    Live(&'a OptionDef),
    /// A deprecated spelling these options still read.
    Alias(Vec<&'a OptionDef>),
    Unknown,
}

/// A group name with a `<…>` placeholder: `vgpu_<vgpu_type>`.
#[derive(Debug)]
struct Pattern {
    prefix: String,
    suffix: String,
    group: String,
}

impl Pattern {
    fn parse(group: &str) -> Option<Pattern> {
        let open = group.find('<')?;
        let close = group[open..].find('>')? + open;
        Some(Pattern {
            prefix: group[..open].to_string(),
            suffix: group[close + 1..].to_string(),
            group: group.to_string(),
        })
    }

    fn matches(&self, group: &str) -> bool {
        group.len() > self.prefix.len() + self.suffix.len()
            && group.starts_with(&self.prefix)
            && group.ends_with(&self.suffix)
    }
}

/// An old name (group as oslo.config compares it) and an option that reads it.
#[derive(Debug, Clone)]
pub(crate) struct AliasRow {
    pub group: Text,
    pub name: Text,
    pub target: u32,
}

/// The options of an inventory, in inventory order.
pub(crate) enum Options {
    /// Read from a folder: every option built.
    Built(Vec<OptionDef>),
    /// Built in: each option made from its row of the compiled tables when
    /// first asked for (a lookup makes one, [`Inventory::options`] all).
    Compiled {
        rows: Rows,
        one: Box<[OnceLock<Box<OptionDef>>]>,
        all: OnceLock<Vec<OptionDef>>,
    },
}

impl Options {
    pub fn compiled(rows: Rows) -> Options {
        Options::Compiled {
            one: (0..rows.len()).map(|_| OnceLock::new()).collect(),
            rows,
            all: OnceLock::new(),
        }
    }

    fn get(&self, i: usize) -> &OptionDef {
        match self {
            Options::Built(all) => &all[i],
            Options::Compiled { rows, one, all } => match all.get() {
                Some(all) => &all[i],
                None => one[i].get_or_init(|| Box::new(rows.option(i))),
            },
        }
    }

    /// The name of the `i`th option, without making it.
    fn name(&self, i: usize) -> &str {
        match self {
            Options::Built(all) => &all[i].entry.name,
            Options::Compiled { rows, .. } => rows.name(i),
        }
    }

    /// The group of the `i`th option, as registered, without making it.
    fn group(&self, i: usize) -> &str {
        match self {
            Options::Built(all) => &all[i].group,
            Options::Compiled { rows, .. } => rows.group(i),
        }
    }

    fn len(&self) -> usize {
        match self {
            Options::Built(all) => all.len(),
            Options::Compiled { rows, .. } => rows.len(),
        }
    }

    /// Whether the `i`th option names `target` as what supersedes it,
    /// without making the option.
    fn supersedes(&self, i: usize, target: &OptionRef) -> bool {
        match self {
            Options::Built(all) => all[i].entry.superseded_by.as_ref() == Some(target),
            // The name first: it rarely matches, and costs no group normalising.
            Options::Compiled { rows, .. } => rows.superseded_by(i).is_some_and(|(g, n)| {
                n == target.name() && OptionRef::from_static(g, n) == *target
            }),
        }
    }

    fn all(&self) -> &[OptionDef] {
        match self {
            Options::Built(all) => all,
            Options::Compiled { rows, all, .. } => {
                all.get_or_init(|| (0..rows.len()).map(|i| rows.option(i)).collect())
            }
        }
    }
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Options::Built(all) => write!(f, "{} options", all.len()),
            Options::Compiled { rows, .. } => write!(f, "{} compiled options", rows.len()),
        }
    }
}

/// What an inventory is made of; see [`Inventory`].
pub(crate) struct Parts {
    pub release: Text,
    pub sources: List<Text>,
    /// Group names as registered, in inventory order.
    pub groups: List<Text>,
    pub gaps: List<Gap>,
    pub options: Options,
    /// The groups that have options, as compared, sorted.
    pub live_groups: Vec<Text>,
    /// `index::probe` table of the options.
    pub slots: List<u32>,
    pub aliases: Vec<AliasRow>,
    /// `index::probe` table of the first row of each old name in `aliases`.
    pub alias_slots: List<u32>,
}

/// The options of one release, searchable by group and name, and by old
/// name: a lookup hashes the name once and compares one or two candidates.
#[derive(Debug)]
pub struct Inventory {
    release: Text,
    sources: List<Text>,
    groups: List<Text>,
    gaps: List<Gap>,
    /// Every option, in inventory order.
    options: Options,
    /// The groups that have options, as compared, sorted.
    live_groups: Vec<Text>,
    /// Options by (group as compared, name): see `index::probe`.
    slots: List<u32>,
    /// Sorted by (group, name), then inventory order.
    aliases: Vec<AliasRow>,
    /// Old names: the first of their rows in `aliases`.
    alias_slots: List<u32>,
    patterns: Vec<Pattern>,
    /// The file read, for an inventory read from a folder.
    file: Option<OptionsFile>,
}

impl Inventory {
    /// Indexes an inventory read from a file.
    pub(crate) fn new(file: OptionsFile) -> Inventory {
        let expanded = expand(&file);
        let tables = layout(&expanded);
        let options = expanded
            .iter()
            .map(|o| OptionDef {
                group: Cow::Owned(o.group.to_string()),
                kind: o.entry.kind,
                entry: o.entry.clone(),
                set: o.set.map(|s| Cow::Owned(s.to_string())),
            })
            .collect();
        let parts = Parts {
            release: Cow::Owned(file.release.clone()),
            sources: file.sources.iter().cloned().map(Cow::Owned).collect(),
            groups: file
                .groups
                .iter()
                .map(|g| Cow::Owned(g.name.clone()))
                .collect(),
            gaps: Cow::Owned(file.gaps.clone()),
            options: Options::Built(options),
            live_groups: tables.groups.into_iter().map(Cow::Owned).collect(),
            slots: Cow::Owned(tables.options),
            alias_slots: Cow::Owned(tables.alias_slots),
            aliases: tables
                .aliases
                .into_iter()
                .map(|(a, target)| AliasRow {
                    group: Cow::Owned(a.group().to_string()),
                    name: Cow::Owned(a.name().to_string()),
                    target,
                })
                .collect(),
        };
        let mut inventory = Inventory::from_parts(parts);
        inventory.file = Some(file);
        inventory
    }

    /// An inventory of parts already laid out (see `index::layout`).
    pub(crate) fn from_parts(parts: Parts) -> Inventory {
        let patterns = parts
            .groups
            .iter()
            .filter_map(|g| Pattern::parse(&normalize_group(g)))
            .collect();
        Inventory {
            release: parts.release,
            sources: parts.sources,
            groups: parts.groups,
            gaps: parts.gaps,
            options: parts.options,
            live_groups: parts.live_groups,
            slots: parts.slots,
            aliases: parts.aliases,
            alias_slots: parts.alias_slots,
            patterns,
            file: None,
        }
    }

    pub fn release(&self) -> &str {
        &self.release
    }

    /// Everything but where it was read from, to compare inventories.
    #[cfg(test)]
    pub(crate) fn contents(&self) -> String {
        format!(
            "{:#?}",
            (
                &self.release,
                &self.sources,
                &self.groups,
                &self.gaps,
                self.options(),
                &self.live_groups,
                &self.slots,
                &self.aliases,
                &self.alias_slots,
                &self.patterns,
            )
        )
    }

    /// The file the inventory was read from, when it was read from a
    /// folder (built-in inventories are compiled tables).
    pub(crate) fn file(&self) -> Option<&OptionsFile> {
        self.file.as_ref()
    }

    /// Where the facts come from.
    pub fn sources(&self) -> &[Text] {
        &self.sources
    }

    /// Every option, groups in inventory order (DEFAULT first).
    pub fn options(&self) -> &[OptionDef] {
        self.options.all()
    }

    /// The group names of the inventory, as registered.
    /// The options `option` supersedes (each names it as `superseded_by`),
    /// in inventory order; only those are made.
    pub fn superseded(&self, option: &OptionRef) -> impl Iterator<Item = &OptionDef> {
        (0..self.options.len())
            .filter(move |&i| self.options.supersedes(i, option))
            .map(move |i| self.options.get(i))
    }

    pub fn groups(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().map(|g| &**g)
    }

    /// Libraries whose options the inventory does not list.
    pub fn gaps(&self) -> &[Gap] {
        &self.gaps
    }

    /// The position of the option `[group] name`, `group` as compared.
    fn live(&self, group: &str, name: &str) -> Option<usize> {
        probe(&self.slots, group, name, |i| {
            let i = i as usize;
            let of = self.options.group(i);
            self.options.name(i) == name && (of == group || normalize_group(of) == group)
        })
        .map(|i| i as usize)
    }

    /// The first row of the old name `[group] name` in `aliases`.
    fn alias_first(&self, group: &str, name: &str) -> Option<u32> {
        probe(&self.alias_slots, group, name, |i| {
            let a = &self.aliases[i as usize];
            a.group == group && a.name == name
        })
    }

    fn has_options_in(&self, group: &str) -> Option<&str> {
        self.live_groups
            .binary_search_by(|g| (**g).cmp(group))
            .ok()
            .map(|i| &*self.live_groups[i])
    }

    /// The inventory group a config group reads as: itself, or the pattern
    /// it matches (`vgpu_nvidia-35` → `vgpu_<vgpu_type>`).
    pub fn resolve_group<'a>(&'a self, group: &'a str) -> Option<&'a str> {
        if let Some(g) = self.has_options_in(group) {
            return Some(g);
        }
        self.patterns
            .iter()
            .find(|p| p.matches(group))
            .map(|p| p.group.as_str())
    }

    /// Does nova read anything from this (normalized) group in this release?
    pub fn knows_group(&self, group: &str) -> bool {
        if self.resolve_group(group).is_some() {
            return true;
        }
        let start = self.aliases.partition_point(|a| &*a.group < group);
        self.aliases.get(start).is_some_and(|a| a.group == group)
    }

    /// How `[group] name` reads; `group` as oslo.config compares it
    /// (see [`normalize_group`]).
    pub fn lookup(&self, group: &str, name: &str) -> Lookup<'_> {
        self.found(self.locate(group, name))
    }

    /// What [`Inventory::lookup`] finds, as a number to keep: a file's
    /// options are searched once, and read again with [`Inventory::found`].
    pub fn locate(&self, group: &str, name: &str) -> Found {
        let live = self.live(group, name).or_else(|| {
            self.pattern_of(group)
                .and_then(|pattern| self.live(pattern, name))
        });
        self.found_at(live, group, name)
    }

    /// The pattern group (`vgpu_<vgpu_type>`) that `group` reads as, if
    /// it has no options of its own: what [`Inventory::lookup`] asks of a
    /// group, asked once for many names (see [`Inventory::lookup_as`]).
    pub(crate) fn pattern_of(&self, group: &str) -> Option<&str> {
        // The patterns first: few, cheap to match, and most groups match
        // none, so the sorted groups are seldom searched.
        let pattern = self.patterns.iter().find(|p| p.matches(group))?;
        // A group with options of its own is no pattern's.
        match self.has_options_in(group) {
            Some(_) => None,
            None => Some(&*pattern.group),
        }
    }

    /// [`Inventory::lookup`], with `pattern` the group's
    /// [`Inventory::pattern_of`].
    pub(crate) fn lookup_as(&self, group: &str, pattern: Option<&str>, name: &str) -> Lookup<'_> {
        let live = self
            .live(group, name)
            .or_else(|| pattern.and_then(|p| self.live(p, name)));
        self.found(self.found_at(live, group, name))
    }

    /// What a search found: the live option at `live`, else an old name.
    fn found_at(&self, live: Option<usize>, group: &str, name: &str) -> Found {
        if let Some(i) = live {
            return Found(i as u32);
        }
        match self.alias_first(group, name) {
            Some(row) => Found(Found::ALIAS | row),
            None => Found::UNKNOWN,
        }
    }

    /// What `found` stands for.
    pub fn found(&self, found: Found) -> Lookup<'_> {
        if found == Found::UNKNOWN {
            return Lookup::Unknown;
        }
        if found.0 & Found::ALIAS == 0 {
            return Lookup::Live(self.options.get(found.0 as usize));
        }
        let rows = &self.aliases[(found.0 & !Found::ALIAS) as usize..];
        let first = &rows[0];
        Lookup::Alias(
            rows.iter()
                .take_while(|a| a.group == first.group && a.name == first.name)
                .map(|a| self.options.get(a.target as usize))
                .collect(),
        )
    }

    /// The option a config's `[group] key` sets, as (group, name): itself,
    /// the option an old name belongs to, or the option that replaces a
    /// deprecated one and reads its key (`auth_uri` → `www_authenticate_uri`).
    /// `None` for a key the release does not know.
    pub fn canonical(&self, option: &OptionRef) -> Option<OptionRef> {
        match self.lookup(option.group(), option.name()) {
            Lookup::Live(o) => Some(o.entry.superseded_by.clone().unwrap_or_else(|| o.id())),
            Lookup::Alias(targets) => Some(targets[0].id()),
            Lookup::Unknown => None,
        }
    }

    /// How `option` reads in this release.
    pub fn find(&self, option: &OptionRef) -> Lookup<'_> {
        self.lookup(option.group(), option.name())
    }

    /// The live option `option` names, if it is one.
    pub fn option(&self, option: &OptionRef) -> Option<&OptionDef> {
        match self.find(option) {
            Lookup::Live(o) => Some(o),
            _ => None,
        }
    }

    /// The option `option` is in this release: itself if live, else the
    /// option it is an old name of.
    pub fn current(&self, option: &OptionRef) -> Option<&OptionDef> {
        match self.find(option) {
            Lookup::Live(o) => Some(o),
            Lookup::Alias(t) => Some(t[0]),
            Lookup::Unknown => None,
        }
    }

    /// Is `[group] key` of a config file secret in this release?
    pub fn is_secret(&self, group: &str, key: &str) -> bool {
        match self.lookup(group, key) {
            Lookup::Live(o) => o.entry.holds_secret(),
            Lookup::Alias(targets) => targets.iter().any(|o| o.entry.holds_secret()),
            Lookup::Unknown => secret_name(key),
        }
    }

    /// The library gap that covers `[group] name`, if any.
    pub fn gap_for(&self, group: &str, name: &str) -> Option<&Gap> {
        self.gaps.iter().find(|gap| {
            gap.groups.iter().any(|g| g == group)
                || gap
                    .options
                    .iter()
                    .any(|o| o.group() == group && o.name() == name)
        })
    }
}
