//! The state of one migration: the document being edited, and the account
//! of every input option (where it is now, and each step a rule took with
//! it). Every edit the rules make goes through here, so that the account
//! stays exact.

use super::rules::{Safety, StepKind};
use super::{ChangeKind, ManualStep, MigrateError, Options};
use crate::conf::{Document, OptionRef, ValueAt};
use crate::release::{Catalog, HistoryIndex, Lookup, Release, Role};

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

/// An input option (or one a rule added) and what happened to it. Kept
/// small, four numbers: a large file has an item a line, and few of them
/// take a step.
#[derive(Debug)]
pub(super) struct Item {
    /// Its 1-based line in the input (0: added by a rule); what it read
    /// there is taken from the input document when a change needs it.
    before: u32,
    /// Where it is now, as an index into the session's option names;
    /// `NONE` once removed; `INPUT` while it is an input option that never
    /// moved, at a name nothing was moved to or added at: its name is then
    /// its input line's.
    at: u32,
    /// The next item at the same option (`NONE`: the last).
    next: u32,
    /// Its steps, as an index into the session's lists of steps (`NONE`:
    /// none yet).
    steps: u32,
}

impl Item {
    /// Its 1-based line in the input (`None`: added by a rule).
    pub fn before(&self) -> Option<u32> {
        (self.before != 0).then_some(self.before)
    }
}

const NONE: u32 = u32::MAX;

/// [`Item::at`] of an input option that never moved, at a name that is not
/// in [`Names`].
const INPUT: u32 = u32::MAX - 1;

/// The option names items were moved to or added at, each once, with the
/// items at each as a list threaded through the items. An input option
/// that never moved is not here (see [`Item::at`]): a large file has an
/// item a line, and few of them move. A name comes here with the input's
/// items still at it (see [`Session::id`]), so the items at a name are
/// either its list, or, for a name not here, the input's items at it that
/// never moved. The names are kept as text back to back, not as an
/// [`OptionRef`] each (two allocations a name).
#[derive(Default)]
struct Names {
    /// Each name's group then name, back to back.
    text: String,
    /// (start in `text`, length of the group, length of the name) by id.
    spans: Vec<(usize, u32, u32)>,
    /// Ids by name: hashes of (group, name).
    table: hashbrown::HashTable<u32>,
    hasher: hashbrown::DefaultHashBuilder,
    /// The first item at each name (`NONE`: none).
    first: Vec<u32>,
}

/// (group, name) of `id` in the text of [`Names`].
fn parts<'t>(text: &'t str, spans: &[(usize, u32, u32)], id: u32) -> (&'t str, &'t str) {
    let (start, g, n) = spans[id as usize];
    let mid = start + g as usize;
    (&text[start..mid], &text[mid..mid + n as usize])
}

impl Names {
    fn hash(&self, group: &str, name: &str) -> u64 {
        std::hash::BuildHasher::hash_one(&self.hasher, (group, name))
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    /// (group, name) of `id`.
    fn parts(&self, id: u32) -> (&str, &str) {
        parts(&self.text, &self.spans, id)
    }

    /// The option of `id`.
    fn option(&self, id: u32) -> OptionRef {
        let (group, name) = self.parts(id);
        OptionRef::new(group, name)
    }

    fn find(&self, group: &str, name: &str) -> Option<u32> {
        let h = self.hash(group, name);
        self.table
            .find(h, |&id| self.parts(id) == (group, name))
            .copied()
    }

    fn get(&self, o: &OptionRef) -> Option<u32> {
        self.find(o.group(), o.name())
    }

    /// The id of `[group] name` (`group` normalised), made on first use.
    fn id_of(&mut self, group: &str, name: &str) -> u32 {
        if let Some(id) = self.find(group, name) {
            return id;
        }
        let id = self.spans.len() as u32;
        let start = self.text.len();
        self.text.push_str(group);
        self.text.push_str(name);
        self.spans
            .push((start, group.len() as u32, name.len() as u32));
        self.first.push(NONE);
        let h = self.hash(group, name);
        let (text, spans, hasher) = (&self.text, &self.spans, &self.hasher);
        self.table.insert_unique(h, id, |&i| {
            std::hash::BuildHasher::hash_one(hasher, parts(text, spans, i))
        });
        id
    }

    /// The id of `o`, made on first use.
    fn id(&mut self, o: &OptionRef) -> u32 {
        self.id_of(o.group(), o.name())
    }

    /// The items at `id`, in the order they came there.
    fn items(&self, items: &[Item], id: u32) -> Vec<usize> {
        let mut out = Vec::new();
        let mut i = self.first[id as usize];
        while i != NONE {
            out.push(i as usize);
            i = items[i as usize].next;
        }
        out
    }
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

/// What a session leaves: the edited document, every item with the name of
/// where it is, the input as it was, and the manual steps.
pub(super) struct Parts {
    pub items: Vec<Item>,
    /// How many of `items` are input options (the first ones).
    inputs: usize,
    steps: Vec<Vec<Step>>,
    names: Names,
    pub input: Document,
    pub doc: Document,
    pub manual: Vec<ManualStep>,
}

impl Parts {
    /// Where an item is now.
    pub fn at(&self, item: &Item) -> Option<OptionRef> {
        match item.at {
            NONE => None,
            INPUT => self
                .input
                .entry_at(item.before as usize)
                .map(|e| e.option()),
            id => Some(self.names.option(id)),
        }
    }

    /// What the rules did to an item, in order.
    pub fn steps(&self, item: &Item) -> &[Step] {
        match item.steps {
            NONE => &[],
            k => &self.steps[k as usize],
        }
    }

    /// The items at `o`, in the order they came there.
    pub fn holders(&self, o: &OptionRef) -> Vec<usize> {
        holders(&self.names, &self.items, self.inputs, &self.input, o)
    }
}

/// The items at `o`, in the order they came there: its list, or, for a
/// name not in `names`, the input's items at it that never moved.
fn holders(
    names: &Names,
    items: &[Item],
    inputs: usize,
    input: &Document,
    o: &OptionRef,
) -> Vec<usize> {
    match names.get(o) {
        Some(id) => names.items(items, id),
        None => unmoved(items, inputs, input, o),
    }
}

/// The input's items at `o` that never moved, in file order.
fn unmoved(items: &[Item], inputs: usize, input: &Document, o: &OptionRef) -> Vec<usize> {
    input
        .get_all(o.group(), o.name())
        .filter_map(|e| item_of_line(items, inputs, e.line()))
        .filter(|&i| items[i].at == INPUT)
        .collect()
}

/// The input item read from 1-based input line `line`: input items come
/// first, in file order.
fn item_of_line(items: &[Item], inputs: usize, line: usize) -> Option<usize> {
    let line = u32::try_from(line).ok()?;
    items[..inputs]
        .binary_search_by_key(&line, |it| it.before)
        .ok()
}

/// The rule being applied: what steps are recorded under.
#[derive(Debug, Clone)]
pub(super) struct Ctx {
    pub rule: String,
    pub safety: Safety,
    /// The release the rule belongs to.
    pub release: String,
}

pub(super) struct Session<'a> {
    pub doc: Document,
    /// The input, as it was.
    input: Document,
    items: Vec<Item>,
    /// How many of `items` are input options (the first ones, in file
    /// order).
    inputs: usize,
    /// The steps of the items that took any (see [`Item::steps`]).
    steps: Vec<Vec<Step>>,
    /// The options items are at, and the items at each.
    names: Names,
    pub opts: Options,
    pub catalog: &'a Catalog,
    manual: Vec<ManualStep>,
    /// The release the current hop goes into, and the one before it.
    pub hop: &'a Release,
    pub prev: &'a Release,
    /// The releases migrated from and to.
    pub from: &'a Release,
    pub to: &'a Release,
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
        let mut s = Session {
            input: doc.clone(),
            doc,
            items: Vec::new(),
            inputs: 0,
            steps: Vec::new(),
            names: Names::default(),
            opts,
            catalog,
            manual: Vec::new(),
            hop: from,
            prev: from,
            from,
            to,
            secrets: catalog.history()?,
        };
        // An item an input option, in file order, at its input line's
        // name (`INPUT`): names are made only for what moves.
        let inputs = s.input.entries().count();
        s.items.reserve_exact(inputs);
        s.items.extend(s.input.entries().map(|e| Item {
            before: e.line() as u32,
            at: INPUT,
            next: NONE,
            steps: NONE,
        }));
        s.inputs = inputs;
        s.keys_not_utf8();
        Ok(s)
    }

    /// Keys that are not UTF-8 are read with their bad bytes replaced, so
    /// that two such keys, or one and a key holding U+FFFD, may be one
    /// name: the input's document, which compares bytes, cannot find the
    /// items at it. Such names are made now, with their items in file
    /// order.
    fn keys_not_utf8(&mut self) {
        if self.input.first_invalid_utf8_line().is_none() {
            return;
        }
        let input = &self.input;
        let lossy: hashbrown::HashSet<(String, String)> = input
            .entries()
            .filter(|e| std::str::from_utf8(e.key_bytes()).is_err())
            .map(|e| (e.group().to_string(), e.key().into_owned()))
            .collect();
        // Items are threaded in file order: each name's last item so far.
        let mut last: Vec<u32> = Vec::new();
        for (i, e) in input.entries().enumerate() {
            let key = e.key();
            if !lossy.contains(&(e.group().to_string(), key.to_string())) {
                continue;
            }
            let id = self.names.id_of(e.group(), &key);
            self.items[i].at = id;
            match last.get(id as usize) {
                Some(&prev) => self.items[prev as usize].next = i as u32,
                None => {
                    self.names.first[id as usize] = i as u32;
                    last.push(NONE);
                }
            }
            last[id as usize] = i as u32;
        }
    }

    /// The id of `o`, made on first use with the input's items still at
    /// it (in file order) as its list.
    fn id(&mut self, o: &OptionRef) -> u32 {
        if let Some(id) = self.names.get(o) {
            return id;
        }
        let here = unmoved(&self.items, self.inputs, &self.input, o);
        let id = self.names.id(o);
        self.append(id, &here);
        id
    }

    /// The input item read from 1-based input line `line`.
    pub fn item_of_line(&self, line: usize) -> Option<usize> {
        item_of_line(&self.items, self.inputs, line)
    }

    /// Puts items (their indexes, in order) at the end of `id`'s list.
    fn append(&mut self, id: u32, moved: &[usize]) {
        let mut tail = NONE;
        let mut i = self.names.first[id as usize];
        while i != NONE {
            tail = i;
            i = self.items[i as usize].next;
        }
        for &m in moved {
            self.items[m].at = id;
            self.items[m].next = NONE;
            match tail {
                NONE => self.names.first[id as usize] = m as u32,
                t => self.items[t as usize].next = m as u32,
            }
            tail = m as u32;
        }
    }

    /// A new item at `o`, with no `before`; returns its index.
    fn new_item(&mut self, o: &OptionRef) -> usize {
        let id = self.id(o);
        let i = self.items.len();
        self.items.push(Item {
            before: 0,
            at: id,
            next: NONE,
            steps: NONE,
        });
        self.append(id, &[i]);
        i
    }

    /// The items at `o` now.
    fn items_at(&self, o: &OptionRef) -> Vec<usize> {
        holders(&self.names, &self.items, self.inputs, &self.input, o)
    }

    pub fn items(&self) -> &[Item] {
        &self.items
    }

    pub fn into_parts(self) -> Parts {
        Parts {
            items: self.items,
            inputs: self.inputs,
            steps: self.steps,
            names: self.names,
            input: self.input,
            doc: self.doc,
            manual: self.manual,
        }
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
    /// `auth_type` is. Only the option's own names are looked up, so this
    /// costs the same in a large file as in a small one.
    pub fn option_set(&self, o: &OptionRef) -> bool {
        if self.present(o) {
            return true;
        }
        [self.hop, self.to].iter().any(|r| {
            let Ok(inv) = r.inventory() else { return false };
            let Some(target) = inv.canonical(o) else {
                return false;
            };
            // Every name `inv` reads as `target`: itself, its old names,
            // the options it supersedes and their old names.
            let superseded = inv.superseded(&target);
            let names = inv
                .option(&target)
                .into_iter()
                .chain(superseded)
                .flat_map(|d| std::iter::once(d.id()).chain(d.aliases()));
            names
                .chain(std::iter::once(target.clone()))
                .filter(|n| self.present(n))
                .any(|n| inv.canonical(&n).as_ref() == Some(&target))
        })
    }

    /// Where the file sets `o` under any of its names: the option the hop
    /// (or the release before it, or the target) reads `o` as, or an old
    /// name of it; the current name first, since nova prefers it. A rule
    /// names an option as its release does, while the file may still use
    /// an older name, or already a newer one.
    pub fn locate(&self, o: &OptionRef) -> Option<OptionRef> {
        for r in [self.hop, self.prev, self.to] {
            let Ok(inv) = r.inventory() else { continue };
            let Some(target) = inv.canonical(o) else {
                continue;
            };
            let aliases: Vec<OptionRef> = inv
                .option(&target)
                .map(|d| d.aliases().collect())
                .unwrap_or_default();
            if let Some(found) = std::iter::once(target)
                .chain(aliases)
                .chain(std::iter::once(o.clone()))
                .find(|n| self.present(n))
            {
                return Some(found);
            }
        }
        self.present(o).then(|| o.clone())
    }

    /// Gives each occurrence of `o` the value `f` returns for its value
    /// (`None`: left as it is), and records the change on the items there.
    /// Returns whether anything changed.
    pub fn map_values(
        &mut self,
        ctx: &Ctx,
        o: &OptionRef,
        mut f: impl FnMut(&str) -> Option<String>,
        kind: ChangeKind,
        note: Option<String>,
    ) -> Result<bool, MigrateError> {
        let occurrences: Vec<(usize, String)> = self
            .doc
            .get_all(o.group(), o.name())
            .map(|e| (e.line(), e.value().into_owned()))
            .collect();
        // (occurrence, line, new value) of each occurrence that changes.
        let edits: Vec<(usize, usize, String)> = occurrences
            .iter()
            .enumerate()
            .filter_map(|(k, (line, old))| {
                f(old).filter(|new| new != old).map(|new| (k, *line, new))
            })
            .collect();
        if edits.is_empty() {
            return Ok(false);
        }
        let at: Vec<ValueAt> = edits
            .iter()
            .map(|(_, line, value)| ValueAt {
                line: *line,
                value,
                comments_above: Vec::new(),
            })
            .collect();
        edited(self.doc.set_values_at(&at))?;
        // The items here are the occurrences, in order, when there are as
        // many: only those that changed take the step.
        let items = self.items_at(o);
        let changed: Vec<usize> = if items.len() == occurrences.len() {
            edits.iter().map(|(k, ..)| items[*k]).collect()
        } else {
            items
        };
        let r = Record::new(kind, Safety::Safe, note);
        for i in changed {
            self.step(i, ctx, &r);
        }
        Ok(true)
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
        let moved = match self.names.get(from) {
            Some(from_id) => {
                let moved = self.names.items(&self.items, from_id);
                self.names.first[from_id as usize] = NONE;
                moved
            }
            None => unmoved(&self.items, self.inputs, &self.input, from),
        };
        if moved.is_empty() {
            return moved;
        }
        // Off `from` before `to` is made: `to` takes the input's items
        // still at it, which these no longer are.
        for &i in &moved {
            self.items[i].at = NONE;
            self.items[i].next = NONE;
        }
        if let Some(t) = to {
            let id = self.id(t);
            self.append(id, &moved);
        }
        moved
    }

    /// Records on item `i` what the rule of `ctx` did to it.
    pub fn step(&mut self, i: usize, ctx: &Ctx, r: &Record) {
        let k = match self.items[i].steps {
            NONE => {
                self.steps.push(Vec::new());
                let k = self.steps.len() - 1;
                self.items[i].steps = k as u32;
                k
            }
            k => k as usize,
        };
        self.steps[k].push(Step {
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
        let here: Vec<OptionRef> = (0..self.names.len() as u32)
            .filter(|&id| self.names.parts(id).0 == group)
            .map(|id| self.names.option(id))
            .collect();
        let mut gone: Vec<usize> = here.iter().flat_map(|o| self.relocate(o, None)).collect();
        // And the input's items that never moved, at names of the group.
        for i in 0..self.inputs {
            let item = &self.items[i];
            let in_group = item.at == INPUT
                && self
                    .input
                    .entry_at(item.before as usize)
                    .is_some_and(|e| e.group() == group);
            if in_group {
                self.items[i].at = NONE;
                gone.push(i);
            }
        }
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
        let mut items = self.items_at(o);
        if items.is_empty() {
            items.push(self.new_item(o));
        }
        for i in items {
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

    /// A manual step of the rule being applied, for any role. A rule in
    /// force at several hops says the same thing once, at the first.
    pub fn manual_text(&mut self, ctx: &Ctx, kind: StepKind, text: String) {
        if self
            .manual
            .iter()
            .any(|m| m.id == ctx.rule && m.text == text)
        {
            return;
        }
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
                        .map(|d| (d, r.info.core().title.clone()))
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
