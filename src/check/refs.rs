//! `$name` references between options: what each resolves to, and chains
//! of them that lead back where they started.
//!
//! oslo.config resolves `$name` in a value by reading the option it names,
//! whose own value (set in the file, or its default) is substituted in turn.
//! Nothing stops that from going round a circle: `my_ip = $host` with
//! `host = $my_ip`, or `state_path = $instances_path` with
//! `instances_path` at its default of `$state_path/instances`, recurse until
//! Python gives up, and the service does not start.

use super::values;
use crate::conf::{Document, OptionRef};
use crate::release::{Found, Inventory, Lookup, OptionDef};
use std::collections::HashMap;

/// An option, by its current spelling.
pub(super) type Id = OptionRef;

/// What a `$name` names.
pub(super) enum Reference<'i, 'v> {
    /// An option the file sets, to this value.
    Value(&'i OptionDef, &'v str),
    /// An option the file does not set: its default applies.
    Unset(&'i OptionDef),
    Unknown,
}

/// The values nova reads for the options a file sets, read once.
pub(super) struct Values<'i> {
    inv: &'i Inventory,
    /// By option: the value nova reads, and the line it is on. Under its
    /// current name if the file uses it, else under an old name.
    set: HashMap<Id, (String, usize, bool)>,
}

impl<'i> Values<'i> {
    /// `found`: what the inventory found for each entry of `doc`, in order.
    pub fn new(doc: &Document, inv: &'i Inventory, found: &[Found]) -> Values<'i> {
        let mut set: HashMap<Id, (String, usize, bool)> = HashMap::new();
        for (e, &f) in doc.entries().zip(found) {
            let (o, current) = match inv.found(f) {
                Lookup::Live(o) => (o, true),
                Lookup::Alias(targets) => (targets[0], false),
                Lookup::Unknown => continue,
            };
            let slot = set.entry(o.id()).or_insert((String::new(), 0, false));
            // The last occurrence counts; the current name over an old one.
            if current || !slot.2 {
                *slot = (e.value().into_owned(), e.line(), current);
            }
        }
        Values { inv, set }
    }

    /// Resolves `$name` in a value of an option of `group` as oslo.config
    /// does: that group first, then DEFAULT; `$group.name` names a group.
    pub fn resolve(&self, group: &str, name: &str) -> Reference<'i, '_> {
        let candidates: [Option<(&str, &str)>; 2] = match name.split_once('.') {
            Some((g, n)) => [Some((g, n)), None],
            None => [Some((group, name)), Some(("DEFAULT", name))],
        };
        for (g, n) in candidates.into_iter().flatten() {
            if let Some(o) = self.inv.option(&OptionRef::new(g, n)) {
                return match self.set.get(&o.id()) {
                    Some((v, _, _)) => Reference::Value(o, v),
                    None => Reference::Unset(o),
                };
            }
        }
        Reference::Unknown
    }

    /// The value nova reads for `o`: the file's, else the default.
    fn value_of(&self, o: &'i OptionDef) -> Option<&str> {
        match self.set.get(&o.id()) {
            Some((v, _, _)) => Some(v),
            None => o.entry.default.as_deref(),
        }
    }

    /// Circles of references, one for each knot of options that lead to
    /// one another, as the options on it in the order the references lead;
    /// the first is the one set on the earliest line. Each option is
    /// visited once.
    pub fn cycles(&self) -> Vec<Vec<&'i OptionDef>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            Open,
            Done,
        }
        let mut marks: HashMap<Id, Mark> = HashMap::new();
        let mut found = Vec::new();
        let mut starts: Vec<(&Id, usize)> = self.set.iter().map(|(k, v)| (k, v.1)).collect();
        starts.sort_by_key(|&(_, line)| line);
        for (start, _) in starts {
            if marks.contains_key(start) {
                continue;
            }
            let Lookup::Live(first) = self.inv.find(start) else {
                continue;
            };
            // Depth-first, without recursion: the path, and for each option
            // on it the references still to follow.
            let mut path: Vec<(&'i OptionDef, Vec<&'i OptionDef>)> = Vec::new();
            let enter = |o: &'i OptionDef,
                         path: &mut Vec<(&'i OptionDef, Vec<&'i OptionDef>)>,
                         marks: &mut HashMap<Id, Mark>| {
                marks.insert(o.id(), Mark::Open);
                let mut next: Vec<&'i OptionDef> = self
                    .value_of(o)
                    .map(values::references)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|r| match self.resolve(&o.group, r) {
                        Reference::Value(t, _) | Reference::Unset(t) => Some(t),
                        Reference::Unknown => None,
                    })
                    .collect();
                next.reverse();
                path.push((o, next));
            };
            enter(first, &mut path, &mut marks);
            while let Some((o, next)) = path.last_mut() {
                let o = *o;
                let Some(t) = next.pop() else {
                    marks.insert(o.id(), Mark::Done);
                    path.pop();
                    continue;
                };
                match marks.get(&t.id()) {
                    None => enter(t, &mut path, &mut marks),
                    Some(Mark::Done) => {}
                    Some(Mark::Open) => {
                        let at = path.iter().position(|(p, _)| p.id() == t.id());
                        let circle: Vec<&OptionDef> =
                            path[at.unwrap_or(0)..].iter().map(|(p, _)| *p).collect();
                        found.push(self.rotate(circle));
                    }
                }
            }
        }
        found
    }

    /// A circle starting from its option set on the earliest line.
    fn rotate(&self, mut circle: Vec<&'i OptionDef>) -> Vec<&'i OptionDef> {
        let first = (0..circle.len())
            .filter_map(|i| self.set.get(&circle[i].id()).map(|s| (s.1, i)))
            .min()
            .map_or(0, |(_, i)| i);
        circle.rotate_left(first);
        circle
    }

    /// The line an option is set on, if the file sets it.
    pub fn line(&self, o: &OptionDef) -> Option<usize> {
        self.set.get(&o.id()).map(|s| s.1)
    }
}
