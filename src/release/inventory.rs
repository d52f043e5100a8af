//! A release's option inventory, expanded and indexed for lookups.

use super::model::{Gap, OptionEntry, OptionType, OptionsFile};
use crate::conf::{OptionRef, normalize_group};
use std::collections::HashMap;

/// One option of the release, with its group.
#[derive(Debug, Clone)]
pub struct OptionDef {
    pub group: String,
    pub entry: OptionEntry,
    /// The set it comes from, when it is a shared (keystoneauth) option.
    pub set: Option<String>,
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

/// The options of one release, indexed by group and name, and by alias.
#[derive(Debug)]
pub struct Inventory {
    file: OptionsFile,
    options: Vec<OptionDef>,
    by_group: HashMap<String, HashMap<String, usize>>,
    aliases: HashMap<String, HashMap<String, Vec<usize>>>,
    patterns: Vec<Pattern>,
}

impl Inventory {
    pub(crate) fn new(file: OptionsFile) -> Inventory {
        let mut options = Vec::new();
        let mut push = |group: &str, entry: &OptionEntry, set: Option<&String>| {
            options.push(OptionDef {
                group: group.to_string(),
                kind: entry.kind,
                entry: entry.clone(),
                set: set.cloned(),
            })
        };
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
                    push(&group.name, entry, Some(inc));
                }
            }
            for entry in &group.options {
                push(&group.name, entry, None);
            }
        }
        let mut by_group: HashMap<String, HashMap<String, usize>> = HashMap::new();
        let mut aliases: HashMap<String, HashMap<String, Vec<usize>>> = HashMap::new();
        for (i, o) in options.iter().enumerate() {
            by_group
                .entry(normalize_group(&o.group).into_owned())
                .or_default()
                .insert(o.entry.name.clone(), i);
            for a in o.aliases() {
                aliases
                    .entry(a.group().to_string())
                    .or_default()
                    .entry(a.name().to_string())
                    .or_default()
                    .push(i);
            }
        }
        let patterns = file
            .groups
            .iter()
            .filter_map(|g| Pattern::parse(&normalize_group(&g.name)))
            .collect();
        Inventory {
            file,
            options,
            by_group,
            aliases,
            patterns,
        }
    }

    pub fn release(&self) -> &str {
        &self.file.release
    }

    /// The file the inventory was read from.
    pub fn file(&self) -> &OptionsFile {
        &self.file
    }

    /// Where the facts come from.
    pub fn sources(&self) -> &[String] {
        &self.file.sources
    }

    /// Every option, groups in inventory order (DEFAULT first).
    pub fn options(&self) -> &[OptionDef] {
        &self.options
    }

    /// The group names of the inventory, as registered.
    pub fn groups(&self) -> impl Iterator<Item = &str> {
        self.file.groups.iter().map(|g| g.name.as_str())
    }

    /// Libraries whose options the inventory does not list.
    pub fn gaps(&self) -> &[Gap] {
        &self.file.gaps
    }

    /// The inventory group a config group reads as: itself, or the pattern
    /// it matches (`vgpu_nvidia-35` → `vgpu_<vgpu_type>`).
    pub fn resolve_group<'a>(&'a self, group: &'a str) -> Option<&'a str> {
        if let Some((g, _)) = self.by_group.get_key_value(group) {
            return Some(g);
        }
        self.patterns
            .iter()
            .find(|p| p.matches(group))
            .map(|p| p.group.as_str())
    }

    /// Does nova read anything from this (normalized) group in this release?
    pub fn knows_group(&self, group: &str) -> bool {
        self.resolve_group(group).is_some() || self.aliases.contains_key(group)
    }

    /// How `[group] name` reads; `group` as oslo.config compares it
    /// (see [`normalize_group`]).
    pub fn lookup(&self, group: &str, name: &str) -> Lookup<'_> {
        let live = self
            .resolve_group(group)
            .and_then(|g| self.by_group.get(g))
            .and_then(|names| names.get(name));
        if let Some(&i) = live {
            return Lookup::Live(&self.options[i]);
        }
        match self.aliases.get(group).and_then(|names| names.get(name)) {
            Some(targets) => Lookup::Alias(targets.iter().map(|&i| &self.options[i]).collect()),
            None => Lookup::Unknown,
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
        self.file.gaps.iter().find(|gap| {
            gap.groups.iter().any(|g| g == group)
                || gap
                    .options
                    .iter()
                    .any(|o| o.group() == group && o.name() == name)
        })
    }
}
