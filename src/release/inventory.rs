//! A release's option inventory, indexed for lookups: sorted tables
//! searched by halving, borrowed from the tables compiled into the binary
//! (`tables.rs`: nothing is parsed, hashed or sorted at run time) or built
//! from an `options.toml` read from `--releases-dir`.

use super::index::{expand, layout};
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

/// A group, as oslo.config compares it, and its run of `Inventory::by_name`.
#[derive(Debug, Clone)]
pub(crate) struct GroupSpan {
    pub group: Text,
    pub start: u32,
    pub end: u32,
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
    pub by_name: List<u32>,
    pub spans: Vec<GroupSpan>,
    pub aliases: Vec<AliasRow>,
}

/// The options of one release, searchable by group and name, and by old
/// name. Every table is sorted: a lookup is a binary search, no hashing.
#[derive(Debug)]
pub struct Inventory {
    release: Text,
    sources: List<Text>,
    groups: List<Text>,
    gaps: List<Gap>,
    /// Every option, in inventory order.
    options: Options,
    /// Positions in `options`, sorted by (group as compared, name).
    by_name: List<u32>,
    /// Sorted by group.
    spans: Vec<GroupSpan>,
    /// Sorted by (group, name), then inventory order.
    aliases: Vec<AliasRow>,
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
            by_name: Cow::Owned(tables.by_name),
            spans: tables
                .spans
                .into_iter()
                .map(|(group, start, end)| GroupSpan {
                    group: Cow::Owned(group),
                    start,
                    end,
                })
                .collect(),
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
            by_name: parts.by_name,
            spans: parts.spans,
            aliases: parts.aliases,
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
                &self.by_name,
                &self.spans,
                &self.aliases,
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
    pub fn groups(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().map(|g| &**g)
    }

    /// Libraries whose options the inventory does not list.
    pub fn gaps(&self) -> &[Gap] {
        &self.gaps
    }

    /// The options of a group, as oslo.config compares it, sorted by name.
    fn span(&self, group: &str) -> Option<&GroupSpan> {
        self.spans
            .binary_search_by(|s| (*s.group).cmp(group))
            .ok()
            .map(|i| &self.spans[i])
    }

    /// The old names `[group] name`, with the options that read them.
    fn alias_rows(&self, group: &str, name: &str) -> &[AliasRow] {
        let key = (group, name);
        let start = self
            .aliases
            .partition_point(|a| (&*a.group, &*a.name) < key);
        let len = self.aliases[start..]
            .iter()
            .take_while(|a| (&*a.group, &*a.name) == key)
            .count();
        &self.aliases[start..start + len]
    }

    /// The inventory group a config group reads as: itself, or the pattern
    /// it matches (`vgpu_nvidia-35` → `vgpu_<vgpu_type>`).
    pub fn resolve_group<'a>(&'a self, group: &'a str) -> Option<&'a str> {
        if let Some(span) = self.span(group) {
            return Some(&span.group);
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
        let live = self
            .resolve_group(group)
            .and_then(|g| self.span(g))
            .and_then(|span| {
                let run = &self.by_name[span.start as usize..span.end as usize];
                run.binary_search_by(|&i| self.options.name(i as usize).cmp(name))
                    .ok()
                    .map(|at| run[at] as usize)
            });
        if let Some(i) = live {
            return Lookup::Live(self.options.get(i));
        }
        match self.alias_rows(group, name) {
            [] => Lookup::Unknown,
            rows => Lookup::Alias(
                rows.iter()
                    .map(|a| self.options.get(a.target as usize))
                    .collect(),
            ),
        }
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
