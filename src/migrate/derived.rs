//! Renames and removals that follow from the option inventories: an old
//! name a release reads as another option's, a name it dropped while the
//! option lived on, an option it no longer has. Where an explicit rule
//! describes the same rename or removal, the change is credited to it.

use super::rules::{Action, Rule, Safety};
use super::session::{Ctx, Session};
use super::{MigrateError, RuleBook, builtin};
use crate::conf::{Document, OptionRef};
use crate::release::{Inventory, KeyHistory, Lookup, OptionDef};
use std::collections::{HashMap, HashSet};

/// What the explicit rules say about options, gathered once for every hop.
pub(super) struct Known<'b> {
    /// (from, to) → the release and rule of the rename.
    renames: HashMap<(OptionRef, OptionRef), (&'b str, &'b Rule)>,
    /// option → the rule and reason of its removal.
    removals: HashMap<OptionRef, (&'b str, &'b str)>,
}

impl<'b> Known<'b> {
    pub fn new(book: &'b RuleBook) -> Known<'b> {
        let mut renames = HashMap::new();
        let mut removals = HashMap::new();
        for (release, rule) in book.all() {
            for action in &rule.actions {
                match action {
                    Action::Rename { from, to, .. } => {
                        renames.insert((from.clone(), to.clone()), (release, rule));
                    }
                    Action::Remove { option, reason } => {
                        removals.insert(option.clone(), (rule.id.as_str(), reason.as_str()));
                    }
                    _ => {}
                }
            }
        }
        Known { renames, removals }
    }

    /// The releases of the explicit rules that rename `from`.
    fn renamed_in(&self, from: &OptionRef) -> impl Iterator<Item = &str> {
        self.renames
            .iter()
            .filter(move |((f, _), _)| f == from)
            .map(|(_, (release, _))| *release)
    }

    /// Where an explicit rule renames `from` to, the first in name order
    /// should two do.
    fn renamed_to(&self, from: &OptionRef) -> Option<&OptionRef> {
        self.renames
            .keys()
            .filter(|(f, _)| f == from)
            .map(|(_, t)| t)
            .min()
    }
}

/// Does the name `[group] key` read differently at release `hop` than
/// before it: an old name there, a name superseded there, or a name no
/// longer known there that an earlier release knew? Names no release knows
/// never do. Asked of the history index, with nothing allocated, so that a
/// large file costs one look-up a line and a hop.
fn may_change(h: &KeyHistory, hop: usize) -> bool {
    let bit = 1u32 << hop;
    if h.alias & bit != 0 {
        return true;
    }
    if h.live & bit != 0 {
        return h.target_in(hop).is_some();
    }
    h.known() & (bit - 1) != 0
}

/// Above this many input options, the names `keep` picks are looked up in
/// the file rather than every line of the file in the index: a large file
/// then costs a few thousand look-ups a hop instead of one a line.
const LARGE: usize = 20_000;

/// The options the file sets whose history `keep` picks, once each, in
/// file order (of their first occurrence). Names no release knows are
/// never picked.
fn options_where(s: &Session, keep: impl Fn(&KeyHistory) -> bool) -> Vec<OptionRef> {
    let index = s.secrets;
    if s.items().len() <= LARGE {
        let mut seen = HashSet::new();
        return s
            .doc
            .entries()
            .filter(|e| index.get(e.group(), &e.key()).is_some_and(&keep))
            .map(|e| e.option())
            .filter(|o| seen.insert(o.clone()))
            .collect();
    }
    // Each picked name the file sets, at its first occurrence: the same
    // options as the scan above, put back in file order.
    let mut found: Vec<(usize, OptionRef)> = index
        .entries()
        .iter()
        .filter(|h| keep(h))
        .filter_map(|h| {
            let first = s.doc.get_all(h.option.group(), h.option.name()).next()?;
            Some((first.line(), first.option()))
        })
        .collect();
    found.sort_unstable_by_key(|(line, _)| *line);
    found.into_iter().map(|(_, o)| o).collect()
}

/// The option an old name is read by, when several read it: one whose
/// group the file already has, else the RabbitMQ driver's, else the first.
fn choose<'o>(doc: &Document, targets: &[&'o OptionDef]) -> &'o OptionDef {
    let groups = doc.groups();
    targets
        .iter()
        .find(|t| groups.contains(&&*t.group))
        .or_else(|| targets.iter().find(|t| t.group == "oslo_messaging_rabbit"))
        .unwrap_or(&targets[0])
}

/// The live option `o` names in `inv`, by its id.
fn live<'i>(inv: &'i Inventory, o: &OptionRef) -> Option<&'i OptionDef> {
    inv.option(o)
}

/// The renames and removals the hop's inventory implies, from the release
/// before's.
pub(super) fn apply(s: &mut Session, known: &Known) -> Result<(), MigrateError> {
    let (here, before) = (s.hop.inventory()?, s.prev.inventory()?);
    // Each option comes once, and only its own rename or removal takes it
    // out of the file: it is still there when its turn comes (`rename` and
    // `remove` check again).
    let at = s.hop.index;
    for o in options_where(s, |h| may_change(h, at)) {
        if here.gap_for(o.group(), o.name()).is_some() {
            continue;
        }
        let target = match here.find(&o) {
            Lookup::Live(d) => d.entry.superseded_by.as_ref().and_then(|by| live(here, by)),
            Lookup::Alias(targets) => Some(choose(&s.doc, &targets)),
            Lookup::Unknown => match before.find(&o) {
                // The release before may not have covered it (a library
                // its data does not list): an option some earlier release
                // read, and this one does not, is gone all the same.
                Lookup::Unknown => {
                    if let Some(last) = last_known_before(s, &o) {
                        let ctx = Ctx {
                            rule: builtin::REMOVE.to_string(),
                            safety: Safety::Safe,
                            release: s.hop.name().to_string(),
                        };
                        let reason = format!(
                            "{} does not have this option (the last release known to read it is {last})",
                            s.hop.info.core().title
                        );
                        s.remove(&ctx, &o, &reason);
                    }
                    continue;
                }
                Lookup::Alias(targets) => here.current(&choose(&s.doc, &targets).id()),
                Lookup::Live(d) => d
                    .entry
                    .superseded_by
                    .as_ref()
                    .and_then(|by| here.current(by)),
            },
        };
        match target {
            Some(t) => {
                let to = t.id();
                let (rule, release, safety) = match known.renames.get(&(o.clone(), to.clone())) {
                    Some((release, rule)) => (rule.id.clone(), release.to_string(), rule.safety),
                    None => (
                        builtin::RENAME.to_string(),
                        s.hop.name().to_string(),
                        Safety::Safe,
                    ),
                };
                let note = (rule == builtin::RENAME).then(|| {
                    format!(
                        "{} reads {o} as an old name of {to}",
                        s.hop.info.core().title
                    )
                });
                let ctx = Ctx {
                    rule,
                    safety,
                    release,
                };
                s.rename(&ctx, &o, &to, t.kind.is_multi(), note)?;
            }
            None if matches!(here.find(&o), Lookup::Unknown) => {
                let (rule, reason) = match known.removals.get(&o) {
                    Some((rule, reason)) => (rule.to_string(), reason.to_string()),
                    None => (
                        builtin::REMOVE.to_string(),
                        format!(
                            "{} no longer has this option (last read by {})",
                            s.hop.info.core().title,
                            s.prev.info.core().title
                        ),
                    ),
                };
                let ctx = Ctx {
                    rule,
                    safety: Safety::Safe,
                    release: s.hop.name().to_string(),
                };
                s.remove(&ctx, &o, &reason);
            }
            None => {}
        }
    }
    Ok(())
}

/// The title of the latest release before the hop whose data has `o`, if
/// the hop's own data covers it and does not have it.
fn last_known_before(s: &Session, o: &OptionRef) -> Option<String> {
    let h = s.catalog.history().ok()?.history(o)?;
    let earlier = h.known() & ((1u32 << s.hop.index) - 1);
    (earlier != 0).then(|| {
        let last = 31 - earlier.leading_zeros() as usize;
        s.catalog.releases()[last].info.core().title.clone()
    })
}

/// Options the source release already ignored, dropped before it: nova
/// reads them no more, so removing them changes nothing it does.
pub(super) fn already_ignored(s: &mut Session, known: &Known) -> Result<(), MigrateError> {
    let from = s.from;
    let inv = from.inventory()?;
    let index = s.catalog.history()?;
    let releases = s.catalog.releases();
    let bit = 1u32 << from.index;
    let ignored = |h: &KeyHistory| h.known() & bit == 0 && h.known() & (bit - 1) != 0;
    for o in options_where(s, ignored) {
        if !matches!(inv.find(&o), Lookup::Unknown) || inv.gap_for(o.group(), o.name()).is_some() {
            continue;
        }
        let Some(h) = index.history(&o) else {
            continue;
        };
        let earlier = h.known() & ((1u32 << from.index) - 1);
        if earlier == 0 {
            continue;
        }
        let last = 31 - earlier.leading_zeros() as usize;
        // A rule of the release that dropped the name moves it instead:
        // the release's data records a name its point releases read
        // differently (Ocata 15.0.0 ignored the [DEFAULT] notification
        // options that 15.0.1 reads), and the rule knows better.
        let moved_by_rule = known.renamed_in(&o).any(|r| {
            s.catalog
                .get(r)
                .is_some_and(|r| r.index > last && r.index <= from.index)
        });
        if moved_by_rule {
            continue;
        }
        let mut reason = format!(
            "{} already ignored it: it was dropped in {} (last read by {})",
            from.info.core().title,
            releases[last + 1].info.core().title,
            releases[last].info.core().title
        );
        // Only an option the releases migrated through still have replaces
        // it: Icehouse read [DEFAULT] libvirt_vif_driver as [libvirt]
        // vif_driver, which Juno removed too.
        let here = s.hop.inventory()?;
        let alive = |t: &OptionRef| inv.current(t).or_else(|| here.current(t)).map(|d| d.id());
        let target = h
            .target_in(last)
            .cloned()
            .or_else(|| known.renamed_to(&o).cloned());
        match target.as_ref().map(|t| (t, alive(t))) {
            Some((_, Some(t))) => {
                reason.push_str(&format!("; {t} replaces it, if that setting is wanted"))
            }
            Some((t, None)) => reason.push_str(&format!(
                "; it was an old name of {t}, which is gone too, so nothing replaces it"
            )),
            None => {}
        }
        let ctx = Ctx {
            rule: builtin::REMOVE.to_string(),
            safety: Safety::Safe,
            release: from.name().to_string(),
        };
        s.remove(&ctx, &o, &reason);
    }
    Ok(())
}
