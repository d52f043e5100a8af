//! The state of one migration: the document being edited, and the account
//! of every input option (where it is now, and each step a rule took with
//! it). Every edit the rules make goes through here, so that the account
//! stays exact.

use super::rules::{Safety, StepKind};
use super::{ChangeKind, ManualStep, MigrateError, Options, Snapshot};
use crate::conf::{Document, OptionRef};
use crate::release::{Catalog, HistoryIndex, Lookup, Release, Role};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// One thing a rule did to an option.
#[derive(Debug, Clone)]
pub(super) struct Step {
    pub rule: String,
    pub kind: ChangeKind,
    pub safety: Safety,
    pub release: String,
    /// Catalog index of the hop that made it.
    pub hop: usize,
    pub note: Option<String>,
}

/// An input option (or one a rule added) and what happened to it.
#[derive(Debug)]
pub(super) struct Item {
    pub before: Option<Snapshot>,
    /// Where it is now; `None` once removed.
    pub at: Option<OptionRef>,
    pub steps: Vec<Step>,
}

/// What an edit records: its kind, how safe it is, and a note.
#[derive(Debug, Clone)]
pub(super) struct Record {
    pub kind: ChangeKind,
    pub safety: Safety,
    pub note: Option<String>,
}

impl Record {
    pub fn new(kind: ChangeKind, safety: Safety, note: Option<String>) -> Record {
        Record { kind, safety, note }
    }
}

/// The rule being applied: what steps are recorded under.
#[derive(Debug, Clone)]
pub(super) struct Ctx {
    pub rule: String,
    pub safety: Safety,
    /// The release the rule belongs to.
    pub release: String,
}

/// The options a file sets, under their names in one release, as of a
/// revision of the document (`None`: not read yet).
type SetNames = (Option<u64>, HashSet<OptionRef>);

pub(super) struct Session<'a> {
    pub doc: Document,
    items: Vec<Item>,
    /// Items by where they are now.
    at: HashMap<OptionRef, Vec<usize>>,
    pub opts: Options,
    pub catalog: &'a Catalog,
    manual: Vec<ManualStep>,
    /// The release the current hop goes into, and the one before it.
    pub hop: &'a Release,
    pub prev: &'a Release,
    /// The releases migrated from and to.
    pub from: &'a Release,
    pub to: &'a Release,
    /// By release: the options the file sets, under their names in that
    /// release, as of a revision of the document.
    set_names: RefCell<HashMap<usize, SetNames>>,
    /// Every release's word on which options are secret.
    pub secrets: &'a HistoryIndex,
}

impl<'a> Session<'a> {
    pub fn new(
        doc: Document,
        catalog: &'a Catalog,
        from: &'a Release,
        to: &'a Release,
        opts: Options,
    ) -> Result<Session<'a>, MigrateError> {
        let mut items = Vec::new();
        let mut at: HashMap<OptionRef, Vec<usize>> = HashMap::new();
        for e in doc.entries() {
            let option = e.option();
            at.entry(option.clone()).or_default().push(items.len());
            items.push(Item {
                before: Some(Snapshot::of(&e)),
                at: Some(option),
                steps: Vec::new(),
            });
        }
        Ok(Session {
            doc,
            items,
            at,
            opts,
            catalog,
            manual: Vec::new(),
            hop: from,
            prev: from,
            from,
            to,
            set_names: RefCell::default(),
            secrets: catalog.history()?,
        })
    }

    pub fn items(&self) -> &[Item] {
        &self.items
    }

    pub fn into_parts(self) -> (Document, Vec<Item>, Vec<ManualStep>) {
        (self.doc, self.items, self.manual)
    }

    /// Is the option secret: so in any release, or named like a secret
    /// where no release knows it. One rule for every report.
    pub fn is_secret(&self, o: &OptionRef) -> bool {
        self.secrets.is_secret(o.group(), o.name())
    }

    pub fn present(&self, o: &OptionRef) -> bool {
        self.doc.is_set(o)
    }

    /// The value nova reads (the last occurrence).
    pub fn value(&self, o: &OptionRef) -> Option<String> {
        self.doc.value_of(o)
    }

    /// Every occurrence's value, in file order.
    fn values(&self, o: &OptionRef) -> Vec<String> {
        self.doc
            .get_all(o.group(), o.name())
            .map(|e| e.value().into_owned())
            .collect()
    }

    /// Is the option set under any of its names? Names are judged by the
    /// hop's inventory and by the target release's (a file migrated before
    /// may already use names later than the hop): `auth_plugin` is set when
    /// `auth_type` is.
    pub fn option_set(&self, o: &OptionRef) -> bool {
        if self.present(o) {
            return true;
        }
        [self.hop, self.to].iter().any(|r| {
            let Ok(inv) = r.inventory() else { return false };
            let Some(target) = inv.canonical(o) else {
                return false;
            };
            let mut cache = self.set_names.borrow_mut();
            let (revision, names) = cache.entry(r.index).or_default();
            if *revision != Some(self.doc.revision()) {
                *revision = Some(self.doc.revision());
                *names = self
                    .doc
                    .entries()
                    .filter_map(|e| inv.canonical(&e.option()))
                    .collect();
            }
            names.contains(&target)
        })
    }

    /// The name the hop's inventory gives the option (an old name becomes
    /// the current one).
    pub fn current_name(&self, o: &OptionRef) -> OptionRef {
        match self.hop.inventory().map(|inv| inv.find(o)) {
            Ok(Lookup::Alias(t)) => t[0].id(),
            _ => o.clone(),
        }
    }

    /// Moves the items at `from` to `to` (`None`: removed).
    fn relocate(&mut self, from: &OptionRef, to: Option<&OptionRef>) -> Vec<usize> {
        let moved = self.at.remove(from).unwrap_or_default();
        for &i in &moved {
            self.items[i].at = to.cloned();
        }
        if let Some(to) = to {
            self.at.entry(to.clone()).or_default().extend(&moved);
        }
        moved
    }

    /// Records on item `i` what the rule of `ctx` did to it.
    pub fn step(&mut self, i: usize, ctx: &Ctx, r: &Record) {
        self.items[i].steps.push(Step {
            rule: ctx.rule.clone(),
            kind: r.kind,
            safety: r.safety.max(ctx.safety),
            release: ctx.release.clone(),
            hop: self.hop.index,
            note: r.note.clone(),
        });
    }

    /// Records every item in `items` as removed, for `why`.
    fn removed(&mut self, items: Vec<usize>, ctx: &Ctx, safety: Safety, why: &str) {
        let r = Record::new(ChangeKind::Remove, safety, Some(why.to_string()));
        for i in items {
            self.step(i, ctx, &r);
        }
    }

    /// Moves `from` to `to`, keeping the value. If `to` is already set,
    /// nova reads it rather than the old name: the old one is dropped.
    pub fn rename(
        &mut self,
        ctx: &Ctx,
        from: &OptionRef,
        to: &OptionRef,
        multi: bool,
        note: Option<String>,
    ) -> Result<(), MigrateError> {
        if !self.present(from) || from == to {
            return Ok(());
        }
        if self.present(to) {
            let why = format!(
                "{to} is also set, and nova reads it rather than this old name: this one is dropped"
            );
            self.doc.remove(from.group(), from.name());
            let gone = self.relocate(from, None);
            self.removed(gone, ctx, Safety::Review, &why);
            return Ok(());
        }
        let mut note = note;
        // Several values folded into one: which one counts is worth a look.
        let mut collapsed = false;
        if from.group() == to.group() {
            edited(self.doc.rename(from.group(), from.name(), to.name()))?;
        } else {
            let values = self.values(from);
            if multi {
                for v in &values {
                    edited(self.doc.append(to.group(), to.name(), v))?;
                }
            } else {
                let last = values.last().cloned().unwrap_or_default();
                if values.len() > 1 {
                    collapsed = true;
                    note = Some(join(
                        note,
                        format!(
                            "it was set {} times; the last value, the one nova used, is kept",
                            values.len()
                        ),
                    ));
                }
                edited(self.doc.set(to.group(), to.name(), &last))?;
            }
            self.doc.remove(from.group(), from.name());
        }
        let safety = if collapsed {
            Safety::Review
        } else {
            Safety::Safe
        };
        let r = Record::new(ChangeKind::Rename, safety, note);
        for i in self.relocate(from, Some(to)) {
            self.step(i, ctx, &r);
        }
        Ok(())
    }

    /// Removes an option (or comments it out, with `--keep-removed`).
    pub fn remove(&mut self, ctx: &Ctx, o: &OptionRef, reason: &str) {
        let n = if self.opts.keep_removed {
            let marker = format!("stackhop {}: {}", ctx.rule, reason);
            self.doc.comment_out(o.group(), o.name(), &marker)
        } else {
            self.doc.remove(o.group(), o.name())
        };
        if n == 0 {
            return;
        }
        let gone = self.relocate(o, None);
        self.removed(gone, ctx, Safety::Safe, reason);
    }

    /// Removes (or comments out) every option of a group.
    pub fn remove_all_in(&mut self, ctx: &Ctx, group: &str, reason: &str) {
        let n = if self.opts.keep_removed {
            let marker = format!("stackhop {}: {}", ctx.rule, reason);
            self.doc.comment_out_all_in(group, &marker)
        } else {
            self.doc.remove_all_in(group)
        };
        if n == 0 {
            return;
        }
        let here: Vec<OptionRef> = self
            .at
            .keys()
            .filter(|o| o.group() == group)
            .cloned()
            .collect();
        let mut gone: Vec<usize> = here.iter().flat_map(|o| self.relocate(o, None)).collect();
        gone.sort_unstable();
        self.removed(gone, ctx, Safety::Safe, reason);
    }

    /// Sets an option's value. The items of the option, if it is set,
    /// record the change; an option not set becomes a new item, with no
    /// `before`.
    pub fn set(
        &mut self,
        ctx: &Ctx,
        o: &OptionRef,
        value: &str,
        r: Record,
    ) -> Result<(), MigrateError> {
        edited(self.doc.set(o.group(), o.name(), value))?;
        let items = self.at.entry(o.clone()).or_default();
        if items.is_empty() {
            items.push(self.items.len());
            self.items.push(Item {
                before: None,
                at: Some(o.clone()),
                steps: Vec::new(),
            });
        }
        for i in self.at[o].clone() {
            self.step(i, ctx, &r);
        }
        Ok(())
    }

    /// Sets an option without an item of its own: its value comes from
    /// options about to be folded into it (see [`Session::fold_into`]).
    pub fn add_value(&mut self, o: &OptionRef, value: &str) -> Result<(), MigrateError> {
        edited(self.doc.set(o.group(), o.name(), value)).map(|_| ())
    }

    /// Folds the options at `parts` into the option at `to` (which the
    /// caller has set): they are removed, and their items now live at `to`.
    pub fn fold_into(
        &mut self,
        ctx: &Ctx,
        parts: &[OptionRef],
        to: &OptionRef,
        kind: ChangeKind,
        note: &str,
    ) {
        let r = Record::new(kind, Safety::Safe, Some(note.to_string()));
        for p in parts {
            for i in self.relocate(p, Some(to)) {
                self.step(i, ctx, &r);
            }
            self.doc.remove(p.group(), p.name());
        }
    }

    /// Records a manual step once, at the current hop.
    pub fn manual(&mut self, step: ManualStep) {
        if !self.manual.contains(&step) {
            self.manual.push(step);
        }
    }

    /// A manual step of the rule being applied, for any role.
    pub fn manual_text(&mut self, ctx: &Ctx, kind: StepKind, text: String) {
        let step = ManualStep {
            id: ctx.rule.clone(),
            release: self.hop.name().to_string(),
            roles: Vec::new(),
            kind,
            options: Vec::new(),
            commands: Vec::new(),
            text,
            if_not_yet_on: None,
        };
        self.manual(step);
    }

    /// The default of an option the file did not set: the source release's,
    /// or, for an option it did not have, that of the latest release before
    /// the hop that has it. `names` are the places the option may have
    /// lived, in any release. Returns the value and the release's title.
    pub fn default_of(&self, names: &[OptionRef]) -> Option<(String, String)> {
        let releases = self.catalog.releases();
        std::iter::once(&releases[self.from.index])
            .chain(releases[..=self.prev.index].iter().rev())
            .find_map(|r| {
                let inv = r.inventory().ok()?;
                names.iter().find_map(|o| {
                    inv.option(o)
                        .and_then(|d| d.entry.default.as_deref().map(str::to_string))
                        .map(|d| (d, r.info.title.clone()))
                })
            })
    }

    /// How a default taken for an option not set is reported: its value,
    /// unless the option is secret.
    pub fn assumed(&self, o: &OptionRef, default: &str, release: &str) -> String {
        if self.is_secret(o) {
            format!("{} (the {release} default)", o.name())
        } else {
            format!("{} {default} (the {release} default)", o.name())
        }
    }

    /// Does a step for `roles` (empty: any) concern this migration?
    pub fn role_matches(&self, roles: &[Role]) -> bool {
        match self.opts.role {
            Some(role) => roles.is_empty() || roles.contains(&role),
            None => true,
        }
    }
}

/// Edits of the engine use values read from the document itself, so the
/// document accepts them; a refusal is a bug, reported as such.
pub(super) fn edited<T>(r: Result<T, crate::conf::EditError>) -> Result<T, MigrateError> {
    r.map_err(|e| MigrateError::Internal(format!("an edit was refused: {e}")))
}

pub(super) fn join(note: Option<String>, more: String) -> String {
    match note {
        Some(n) => format!("{n}; {more}"),
        None => more,
    }
}
