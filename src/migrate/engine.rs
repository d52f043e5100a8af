//! Applying the rules hop by hop, and keeping account of every input option.

use super::rules::{Action, Safety, ValueCondition};
use super::{Change, Manual, MigrateError, Migration, Options, RuleBook, Snapshot, builtin};
use crate::check::values;
use crate::conf::{Document, ValueAt, normalize_group};
use crate::release::model::Change as ServiceChange;
use crate::release::{Catalog, HistoryIndex, Inventory, Lookup, OptionDef, Release, Role};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// Where an option is: (group as oslo.config compares it, key).
pub(super) type Loc = (String, String);

/// `group/name` → its location.
pub(super) fn loc(spec: &str) -> Loc {
    let (g, n) = spec.split_once('/').unwrap_or(("DEFAULT", spec));
    (normalize_group(g).into_owned(), n.to_string())
}

fn spec(l: &Loc) -> String {
    format!("{}/{}", l.0, l.1)
}

pub(super) fn show(l: &Loc) -> String {
    format!("[{}] {}", l.0, l.1)
}

/// The options a file sets, under their names in one release, as of a
/// revision of the document (`None`: not read yet).
type SetNames = (Option<u64>, HashSet<Loc>);

/// One thing a rule did to an option.
#[derive(Debug, Clone)]
struct Step {
    rule: String,
    kind: &'static str,
    safety: Safety,
    release: String,
    note: Option<String>,
}

/// An input option (or one a rule added) and what happened to it.
#[derive(Debug)]
struct Item {
    before: Option<Snapshot>,
    /// Where it is now; `None` once removed.
    at: Option<Loc>,
    steps: Vec<Step>,
}

/// The rule being applied: what steps are recorded under.
#[derive(Debug, Clone)]
pub(super) struct Ctx {
    pub rule: String,
    pub safety: Safety,
    pub release: String,
}

pub(super) struct Session<'a> {
    pub doc: Document,
    items: Vec<Item>,
    opts: Options,
    pub catalog: &'a Catalog,
    pub manual: Vec<Manual>,
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
    secrets: &'a HistoryIndex,
}

impl<'a> Session<'a> {
    /// Is the option secret: so in any release, or named like a secret
    /// where no release knows it. One rule for every report.
    pub fn is_secret(&self, l: &Loc) -> bool {
        self.secrets.is_secret(&l.0, &l.1)
    }

    pub fn present(&self, l: &Loc) -> bool {
        self.doc.get(&l.0, &l.1).is_some()
    }

    /// The value nova reads (the last occurrence).
    pub fn value(&self, l: &Loc) -> Option<String> {
        self.doc.get(&l.0, &l.1).map(|e| e.value().into_owned())
    }

    /// Is the option at `l` set under any of its names? Names are judged
    /// by the hop's inventory and by the target release's (a file migrated
    /// before may already use names later than the hop): `auth_plugin` is
    /// set when `auth_type` is.
    pub fn option_set(&self, l: &Loc) -> bool {
        if self.present(l) {
            return true;
        }
        [self.hop, self.to].iter().any(|r| {
            let Ok(inv) = r.inventory() else { return false };
            let Some(target) = canonical(inv, l) else {
                return false;
            };
            let mut cache = self.set_names.borrow_mut();
            let (revision, names) = cache.entry(r.index).or_default();
            if *revision != Some(self.doc.revision()) {
                *revision = Some(self.doc.revision());
                *names = self
                    .doc
                    .entries()
                    .filter_map(|e| canonical(inv, &(e.group().to_string(), e.key().into_owned())))
                    .collect();
            }
            names.contains(&target)
        })
    }

    /// The name the hop's inventory gives the option at `l` (an old name
    /// becomes the current one).
    pub fn current_name(&self, l: &Loc) -> Loc {
        match self.hop.inventory().map(|inv| inv.lookup(&l.0, &l.1)) {
            Ok(Lookup::Alias(t)) => (
                normalize_group(&t[0].group).into_owned(),
                t[0].name().to_string(),
            ),
            _ => l.clone(),
        }
    }

    fn items_at(&self, l: &Loc) -> Vec<usize> {
        (0..self.items.len())
            .filter(|&i| self.items[i].at.as_ref() == Some(l))
            .collect()
    }

    fn step(
        &mut self,
        i: usize,
        ctx: &Ctx,
        kind: &'static str,
        safety: Safety,
        note: Option<String>,
    ) {
        self.items[i].steps.push(Step {
            rule: ctx.rule.clone(),
            kind,
            safety: safety.max(ctx.safety),
            release: ctx.release.clone(),
            note,
        });
    }

    /// Every occurrence's value, in file order.
    fn values(&self, l: &Loc) -> Vec<String> {
        self.doc
            .get_all(&l.0, &l.1)
            .map(|e| e.value().into_owned())
            .collect()
    }

    /// Moves `from` to `to`, keeping the value. If `to` is already set,
    /// nova reads it rather than the old name: the old one is dropped.
    pub fn rename(
        &mut self,
        ctx: &Ctx,
        from: &Loc,
        to: &Loc,
        multi: bool,
        note: Option<String>,
    ) -> Result<(), MigrateError> {
        if !self.present(from) || from == to {
            return Ok(());
        }
        let items = self.items_at(from);
        if self.present(to) {
            let why = format!(
                "{} is also set, and nova reads it rather than this old name: this one is dropped",
                show(to)
            );
            self.doc.remove(&from.0, &from.1);
            for i in items {
                self.items[i].at = None;
                self.step(i, ctx, "remove", Safety::Review, Some(why.clone()));
            }
            return Ok(());
        }
        let mut note = note;
        // Several values folded into one: which one counts is worth a look.
        let mut collapsed = false;
        if from.0 == to.0 {
            edited(self.doc.rename(&from.0, &from.1, &to.1))?;
        } else {
            let values = self.values(from);
            if multi {
                for v in &values {
                    edited(self.doc.append(&to.0, &to.1, v))?;
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
                edited(self.doc.set(&to.0, &to.1, &last))?;
            }
            self.doc.remove(&from.0, &from.1);
        }
        let safety = if collapsed {
            Safety::Review
        } else {
            Safety::Safe
        };
        for i in items {
            self.items[i].at = Some(to.clone());
            self.step(i, ctx, "rename", safety, note.clone());
        }
        Ok(())
    }

    /// Removes an option (or comments it out, with `--keep-removed`).
    pub fn remove(&mut self, ctx: &Ctx, l: &Loc, reason: &str) {
        let n = if self.opts.keep_removed {
            let marker = format!("stackhop {}: {}", ctx.rule, reason);
            self.doc.comment_out(&l.0, &l.1, &marker)
        } else {
            self.doc.remove(&l.0, &l.1)
        };
        if n == 0 {
            return;
        }
        for i in self.items_at(l) {
            self.items[i].at = None;
            self.step(i, ctx, "remove", Safety::Safe, Some(reason.to_string()));
        }
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
        for i in 0..self.items.len() {
            if self.items[i].at.as_ref().is_some_and(|l| l.0 == group) {
                self.items[i].at = None;
                self.step(i, ctx, "remove", Safety::Safe, Some(reason.to_string()));
            }
        }
    }

    /// Adds an option that is not set: a new item with no `before`.
    pub fn add(
        &mut self,
        ctx: &Ctx,
        l: &Loc,
        value: &str,
        kind: &'static str,
        safety: Safety,
        note: Option<String>,
    ) -> Result<(), MigrateError> {
        edited(self.doc.set(&l.0, &l.1, value))?;
        self.items.push(Item {
            before: None,
            at: Some(l.clone()),
            steps: Vec::new(),
        });
        let i = self.items.len() - 1;
        self.step(i, ctx, kind, safety, note);
        Ok(())
    }

    /// Sets an option without an item of its own: its value comes from
    /// options about to be folded into it (see [`Session::fold_into`]).
    pub fn add_value(&mut self, l: &Loc, value: &str) -> Result<(), MigrateError> {
        edited(self.doc.set(&l.0, &l.1, value)).map(|_| ())
    }

    /// Changes the value of a set option.
    pub fn change_value(
        &mut self,
        ctx: &Ctx,
        l: &Loc,
        value: &str,
        kind: &'static str,
        safety: Safety,
        note: Option<String>,
    ) -> Result<(), MigrateError> {
        edited(self.doc.set(&l.0, &l.1, value))?;
        for i in self.items_at(l) {
            self.step(i, ctx, kind, safety, note.clone());
        }
        Ok(())
    }

    /// Folds the options at `parts` into the option at `to` (which the
    /// caller has set): they are removed, and their items now live at `to`.
    pub fn fold_into(
        &mut self,
        ctx: &Ctx,
        parts: &[Loc],
        to: &Loc,
        kind: &'static str,
        note: &str,
    ) {
        for p in parts {
            for i in self.items_at(p) {
                self.items[i].at = Some(to.clone());
                self.step(i, ctx, kind, Safety::Safe, Some(note.to_string()));
            }
            self.doc.remove(&p.0, &p.1);
        }
    }

    /// Records a manual step once.
    pub fn manual(&mut self, rule: &str, release: &str, text: String) {
        let m = Manual {
            rule: rule.to_string(),
            release: release.to_string(),
            text,
        };
        if !self.manual.contains(&m) {
            self.manual.push(m);
        }
    }

    /// The default of `[group] key` when the file did not set it: the
    /// source release's, or, for an option it did not have, that of the
    /// latest release before the hop that has it.
    /// `names` are the places the option may have lived, in any release.
    pub fn default_of(&self, names: &[Loc]) -> Option<(String, String)> {
        let releases = self.catalog.releases();
        std::iter::once(&releases[self.from.index])
            .chain(releases[..=self.prev.index].iter().rev())
            .find_map(|r| {
                let inv = r.inventory().ok()?;
                names.iter().find_map(|l| match inv.lookup(&l.0, &l.1) {
                    Lookup::Live(o) => Some((o.entry.default.clone()?, r.info.title.clone())),
                    _ => None,
                })
            })
    }

    /// How a default taken for an option not set is reported: its value,
    /// unless the option is secret.
    pub fn assumed(&self, l: &Loc, default: &str, release: &str) -> String {
        if self.is_secret(l) {
            format!("{} (the {release} default)", l.1)
        } else {
            format!("{} {default} (the {release} default)", l.1)
        }
    }

    /// Does a step for `roles` (empty: any role) concern this migration?
    fn role_matches(&self, roles: &[Role]) -> bool {
        match self.opts.role {
            Some(role) => roles.is_empty() || roles.contains(&role),
            None => true,
        }
    }
}

/// Edits of the engine use values read from the document itself, so the
/// document accepts them; a refusal would be a bug, reported as such.
fn edited<T>(r: Result<T, crate::conf::EditError>) -> Result<T, MigrateError> {
    r.map_err(|e| MigrateError::Invalid(format!("internal edit refused: {e}")))
}

fn join(note: Option<String>, more: String) -> String {
    match note {
        Some(n) => format!("{n}; {more}"),
        None => more,
    }
}

/// The option an old name is read by, when several read it: one whose
/// group the file already has, else the RabbitMQ driver's, else the first.
fn choose<'o>(doc: &Document, targets: &[&'o OptionDef]) -> &'o OptionDef {
    let groups = doc.groups();
    targets
        .iter()
        .find(|t| groups.contains(&t.group.as_str()))
        .or_else(|| targets.iter().find(|t| t.group == "oslo_messaging_rabbit"))
        .unwrap_or(&targets[0])
}

fn condition_value(s: &Session, c: &ValueCondition) -> bool {
    s.value(&loc(&c.option))
        .is_some_and(|v| c.is.iter().any(|x| x.eq_ignore_ascii_case(v.trim())))
}

fn apply_action(
    s: &mut Session,
    ctx: &Ctx,
    action: &Action,
    own_hop: bool,
    roles: &[Role],
) -> Result<(), MigrateError> {
    match action {
        Action::Rename { from, to } => {
            let to = loc(to);
            let multi = matches!(s.hop.inventory()?.lookup(&to.0, &to.1), Lookup::Live(o) if o.kind.is_multi());
            s.rename(ctx, &loc(from), &to, multi, None)?;
        }
        Action::Remove { option, reason } => {
            let l = loc(option);
            if l.1 == "*" {
                s.remove_all_in(ctx, &l.0, reason);
            } else {
                s.remove(ctx, &l, reason);
            }
        }
        Action::Set {
            option,
            value,
            when_set,
            when_missing,
            assumed,
        } => {
            let l = loc(option);
            let fire = !s.option_set(&l)
                && when_set.iter().all(|o| s.option_set(&loc(o)))
                && !when_missing.iter().any(|o| s.option_set(&loc(o)));
            if fire {
                let safety = if assumed.is_some() {
                    Safety::Review
                } else {
                    Safety::Safe
                };
                let l = s.current_name(&l);
                s.add(ctx, &l, value, "set", safety, assumed.clone())?;
            }
        }
        Action::ValueMap { from, to, map } => {
            let (f, t) = (loc(from), loc(to));
            let Some(v) = s.value(&f) else { return Ok(()) };
            let mapped = map
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(v.trim()))
                .map(|(_, m)| m.clone());
            if f == t {
                // A new meaning for the same option: values not in the map stay.
                if let Some(m) = mapped {
                    let note = format!("{v} is written {m} in this release");
                    s.change_value(ctx, &f, &m, "value-map", Safety::Safe, Some(note))?;
                }
                return Ok(());
            }
            match mapped {
                _ if s.present(&t) => {
                    let reason = format!("{} is already set and decides", show(&t));
                    s.remove(ctx, &f, &reason);
                }
                Some(m) => {
                    edited(s.doc.set(&t.0, &t.1, &m))?;
                    let note = format!("{} = {v} means {} = {m}", show(&f), show(&t));
                    s.fold_into(ctx, std::slice::from_ref(&f), &t, "value-map", &note);
                }
                None => s.manual(
                    &ctx.rule,
                    &ctx.release,
                    format!(
                        "{} has a value stackhop cannot map to {}: set {} by hand",
                        show(&f),
                        show(&t),
                        show(&t)
                    ),
                ),
            }
        }
        Action::MergeUrl {
            to,
            template,
            parts,
        } => merge_url(s, ctx, &loc(to), template, parts)?,
        Action::ListRemove {
            option,
            item,
            reason,
        } => {
            let l = loc(option);
            if let Some(v) = s.value(&l) {
                let items: Vec<&str> = v.split(',').map(str::trim).collect();
                if items.iter().any(|i| i == item) {
                    let kept: Vec<&str> = items
                        .into_iter()
                        .filter(|i| i != item && !i.is_empty())
                        .collect();
                    if kept.is_empty() {
                        s.manual(
                            &ctx.rule,
                            &ctx.release,
                            format!(
                                "{} lists only {item}, which is gone ({reason}): set it by hand",
                                show(&l)
                            ),
                        );
                    } else {
                        let note = format!("{item} dropped from the list: {reason}");
                        s.change_value(
                            ctx,
                            &l,
                            &kept.join(","),
                            "value-map",
                            Safety::Safe,
                            Some(note),
                        )?;
                    }
                }
            }
        }
        Action::StripSuffix {
            option,
            suffix,
            note,
        } => {
            let l = loc(option);
            if let Some(v) = s.value(&l) {
                let trimmed = v.trim_end_matches('/');
                if let Some(stripped) = trimmed.strip_suffix(suffix.as_str()) {
                    let note = format!("{suffix} dropped from the URL: {note}");
                    s.change_value(ctx, &l, stripped, "url-part", Safety::Review, Some(note))?;
                }
            }
        }
        Action::Manual {
            text,
            when_set,
            when_missing,
            when_value,
        } => {
            let fire = own_hop
                && s.role_matches(roles)
                && when_set.iter().all(|o| s.present(&loc(o)))
                && !when_missing.iter().any(|o| s.present(&loc(o)))
                && when_value.as_ref().is_none_or(|c| condition_value(s, c));
            if fire {
                s.manual(&ctx.rule, &ctx.release, text.clone());
            }
        }
        Action::Transform { name } => super::transform::apply(s, ctx, name)?,
    }
    Ok(())
}

/// Builds a URL from parts; a part not set takes its earlier default.
fn merge_url(
    s: &mut Session,
    ctx: &Ctx,
    to: &Loc,
    template: &str,
    parts: &std::collections::BTreeMap<String, String>,
) -> Result<(), MigrateError> {
    let locs: Vec<(String, Loc)> = parts.iter().map(|(k, v)| (k.clone(), loc(v))).collect();
    let set: Vec<Loc> = locs
        .iter()
        .filter(|(_, l)| s.present(l))
        .map(|(_, l)| l.clone())
        .collect();
    if set.is_empty() {
        return Ok(());
    }
    if s.present(to) {
        let reason = format!("ignored while {} is set, which it now is", show(to));
        for l in &set {
            s.remove(ctx, l, &reason);
        }
        return Ok(());
    }
    let mut url = template.to_string();
    let mut assumed = Vec::new();
    for (part, l) in &locs {
        let value = match s.value(l) {
            Some(v) => v,
            None => match s.default_of(std::slice::from_ref(l)) {
                Some((d, release)) => {
                    assumed.push(s.assumed(l, &d, &release));
                    d
                }
                None => {
                    s.manual(
                        &ctx.rule,
                        &ctx.release,
                        format!(
                            "{} could not be built: {} is not set; set it by hand",
                            show(to),
                            show(l)
                        ),
                    );
                    return Ok(());
                }
            },
        };
        url = url.replace(&format!("{{{part}}}"), &value);
    }
    edited(s.doc.set(&to.0, &to.1, &url))?;
    let mut note = format!(
        "built from {}",
        set.iter().map(show).collect::<Vec<_>>().join(", ")
    );
    if !assumed.is_empty() {
        note.push_str(&format!(
            "; not set, so taken as before: {}",
            assumed.join(", ")
        ));
    }
    s.fold_into(ctx, &set, to, "merge-url", &note);
    Ok(())
}

/// Every (group, key) the file sets, once each, in file order.
fn distinct_locations(doc: &Document) -> Vec<Loc> {
    let mut seen = HashSet::new();
    doc.entries()
        .map(|e| (e.group().to_string(), e.key().into_owned()))
        .filter(|l| seen.insert(l.clone()))
        .collect()
}

/// The renames and removals H's inventory implies, from P's.
fn derived(s: &mut Session, known: &Known) -> Result<(), MigrateError> {
    let (here, before) = (s.hop.inventory()?, s.prev.inventory()?);
    let (renames, removals) = (&known.renames, &known.removals);
    let locs = distinct_locations(&s.doc);
    // Each location comes once, and only its own rename or removal takes
    // it out of the file: it is still there when its turn comes (`rename`
    // and `remove` check again, and only these few scan the file).
    for l in locs {
        if here.gap_for(&l.0, &l.1).is_some() {
            continue;
        }
        let target = match here.lookup(&l.0, &l.1) {
            Lookup::Live(o) => o
                .entry
                .superseded_by
                .as_deref()
                .and_then(|by| live(here, &loc(by))),
            Lookup::Alias(targets) => Some(choose(&s.doc, &targets)),
            Lookup::Unknown => match before.lookup(&l.0, &l.1) {
                Lookup::Unknown => continue,
                Lookup::Alias(targets) => {
                    Some(choose(&s.doc, &targets)).and_then(|t| current(here, &t.id()))
                }
                Lookup::Live(o) => o
                    .entry
                    .superseded_by
                    .as_deref()
                    .and_then(|by| current(here, &loc(by))),
            },
        };
        match target {
            Some(t) => {
                let to = t.id();
                let (rule, release, safety) = match renames.get(&(spec(&l), spec(&to))) {
                    Some((release, rule)) => (rule.id.clone(), release.to_string(), rule.safety),
                    None => (
                        builtin::RENAME.to_string(),
                        s.hop.info.name.clone(),
                        Safety::Safe,
                    ),
                };
                let note = Some(format!(
                    "{} reads {} as an old name of {}",
                    s.hop.info.title,
                    show(&l),
                    show(&to)
                ))
                .filter(|_| rule == builtin::RENAME);
                let ctx = Ctx {
                    rule,
                    safety,
                    release,
                };
                s.rename(&ctx, &l, &to, t.kind.is_multi(), note)?;
            }
            None if matches!(here.lookup(&l.0, &l.1), Lookup::Unknown) => {
                let (rule, reason) = match removals.get(&spec(&l)) {
                    Some((rule, reason)) => (rule.clone(), reason.clone()),
                    None => (
                        builtin::REMOVE.to_string(),
                        format!(
                            "{} no longer has this option (last read by {})",
                            s.hop.info.title, s.prev.info.title
                        ),
                    ),
                };
                let ctx = Ctx {
                    rule,
                    safety: Safety::Safe,
                    release: s.hop.info.name.clone(),
                };
                s.remove(&ctx, &l, &reason);
            }
            None => {}
        }
    }
    Ok(())
}

/// The name `inv` gives the option at `l`: its own if live, else the
/// option it is an old name of.
fn canonical(inv: &Inventory, l: &Loc) -> Option<Loc> {
    current(inv, l).map(OptionDef::id)
}

/// The live option at `l` in `inv`.
fn live<'i>(inv: &'i Inventory, l: &Loc) -> Option<&'i OptionDef> {
    match inv.lookup(&l.0, &l.1) {
        Lookup::Live(o) => Some(o),
        _ => None,
    }
}

/// The option `l` is in `inv`: itself if live, the option it is an old name of.
fn current<'i>(inv: &'i Inventory, l: &Loc) -> Option<&'i OptionDef> {
    match inv.lookup(&l.0, &l.1) {
        Lookup::Live(o) => Some(o),
        Lookup::Alias(t) => Some(t[0]),
        Lookup::Unknown => None,
    }
}

/// What the explicit rules say about options, by option, gathered once
/// for every hop.
struct Known<'b> {
    /// (from, to) → the release and rule of the rename.
    renames: HashMap<(String, String), (&'b str, &'b super::rules::Rule)>,
    /// option → the rule and reason of its removal.
    removals: HashMap<String, (String, String)>,
}

/// Explicit removals, by option: the rule and its reason.
fn explicit_removals(book: &RuleBook) -> HashMap<String, (String, String)> {
    let mut out = HashMap::new();
    for (_, rule) in book.all() {
        for action in &rule.actions {
            if let Action::Remove { option, reason } = action {
                out.insert(option.clone(), (rule.id.clone(), reason.clone()));
            }
        }
    }
    out
}

/// Options the source release already ignored, dropped before it: nova
/// reads them no more, so removing them changes nothing it does.
fn already_ignored(s: &mut Session, known: &Known) -> Result<(), MigrateError> {
    let from = s.from;
    let inv = from.inventory()?;
    let index = s.catalog.history()?;
    let releases = s.catalog.releases();
    let renames = &known.renames;
    let locs = distinct_locations(&s.doc);
    for l in locs {
        if !matches!(inv.lookup(&l.0, &l.1), Lookup::Unknown) || inv.gap_for(&l.0, &l.1).is_some() {
            continue;
        }
        let Some(h) = index.get(&l.0, &l.1) else {
            continue;
        };
        let earlier = h.known() & ((1u32 << from.index) - 1);
        if earlier == 0 {
            continue;
        }
        let last = 31 - earlier.leading_zeros() as usize;
        let mut reason = format!(
            "{} already ignored it: it was dropped in {} (last read by {})",
            from.info.title,
            releases[last + 1].info.title,
            releases[last].info.title
        );
        let replacement = h
            .target_in(last)
            .map(loc)
            .map(|t| s.current_name(&t))
            .or_else(|| {
                // The first in name order, should two rules rename it.
                let name = spec(&l);
                renames
                    .keys()
                    .filter(|(f, _)| *f == name)
                    .map(|(_, t)| t)
                    .min()
                    .map(|t| loc(t))
            });
        if let Some(t) = replacement {
            reason.push_str(&format!(
                "; {} replaces it, if that setting is wanted",
                show(&t)
            ));
        }
        let ctx = Ctx {
            rule: builtin::REMOVE.to_string(),
            safety: Safety::Safe,
            release: from.info.name.clone(),
        };
        s.remove(&ctx, &l, &reason);
    }
    Ok(())
}

/// What the inline-comment fix does to one option: the comments it lifts
/// out of the value, and the value left.
struct Lifted {
    line: usize,
    at: Loc,
    comments: Vec<String>,
    value: String,
}

/// Finds `value  # note` and indented `# note` lines under a value: nova
/// reads both as part of the value.
fn lift(value: &str) -> Option<(Vec<String>, String)> {
    let mut pieces = value.split('\n');
    let first = pieces.next().unwrap_or_default();
    let mut comments = Vec::new();
    let mut kept = Vec::new();
    match values::inline_comment(first) {
        Some(at) => {
            comments.push(first[at..].to_string());
            kept.push(first[..at].trim_end().to_string());
        }
        None => kept.push(first.to_string()),
    }
    for piece in pieces {
        if piece.starts_with(['#', ';']) {
            comments.push(piece.to_string());
        } else {
            kept.push(piece.to_string());
        }
    }
    (!comments.is_empty()).then(|| (comments, kept.join("\n")))
}

/// Moves comments nova reads as part of a value to lines of their own
/// above the option.
fn inline_comments(s: &mut Session) -> Result<(), MigrateError> {
    let found: Vec<Lifted> = s
        .doc
        .entries()
        .filter_map(|e| {
            let (comments, value) = lift(&e.value())?;
            Some(Lifted {
                line: e.line(),
                at: (e.group().to_string(), e.key().into_owned()),
                comments,
                value,
            })
        })
        .collect();
    let ctx = Ctx {
        rule: builtin::INLINE_COMMENT.to_string(),
        safety: Safety::Review,
        release: s.hop.info.name.clone(),
    };
    // Nothing has moved yet at the first hop: an item's original line is
    // its line.
    let item_at: HashMap<usize, usize> = s
        .items
        .iter()
        .enumerate()
        .filter_map(|(i, it)| it.before.as_ref().map(|b| (b.line, i)))
        .collect();
    let mut edits = Vec::new();
    for f in &found {
        if s.is_secret(&f.at) {
            s.manual(
                &ctx.rule,
                &ctx.release,
                format!(
                    "The value of {} (line {}) holds a '#' or ';' comment that nova reads as part of this secret. \
                     Check it, and move any comment to a line of its own.",
                    show(&f.at),
                    f.line
                ),
            );
            continue;
        }
        edits.push(ValueAt {
            line: f.line,
            value: &f.value,
            comments_above: f
                .comments
                .iter()
                .map(|c| c.trim_start_matches(['#', ';']).trim().to_string())
                .collect(),
        });
        let shown: Vec<String> = f.comments.iter().map(|c| format!("{c:?}")).collect();
        let note = format!(
            "moved the comment {} to a line of its own above; nova had read it as part of the value",
            shown.join(" and ")
        );
        if let Some(&i) = item_at.get(&f.line) {
            s.step(i, &ctx, "transform", Safety::Review, Some(note));
        }
    }
    edited(s.doc.set_values_at(&edits))
}

/// Services removed in the hop: stop and remove them.
fn removed_services(s: &mut Session) {
    let hop = s.hop;
    for c in hop
        .info
        .service_changes
        .iter()
        .filter(|c| c.change == ServiceChange::Removed)
    {
        // Only services the release before lists (those an install puts
        // on a node), for the role when it is known.
        let Some(service) = s.prev.info.services.iter().find(|x| x.name == c.service) else {
            continue;
        };
        if !s.role_matches(&service.roles) {
            continue;
        }
        let why = c
            .note
            .as_deref()
            .map(|n| format!(" {n}"))
            .unwrap_or_default();
        s.manual(
            &format!("service:{}", c.service),
            &hop.info.name,
            format!(
                "{} is gone in {}: if this node runs it, stop and remove it before upgrading.{why}",
                c.service, hop.info.title
            ),
        );
    }
}

/// Options the target release requires (for the role) that the file lacks.
fn requirements(s: &mut Session, to: &Release) -> Result<(), MigrateError> {
    let inv = to.inventory()?;
    let set: HashSet<Loc> = s
        .doc
        .entries()
        .map(|e| {
            let l = (e.group().to_string(), e.key().into_owned());
            canonical(inv, &l).unwrap_or(l)
        })
        .collect();
    let catalog = s.catalog;
    for r in &catalog.releases()[..=to.index] {
        for req in &r.info.requirements {
            let in_force = req
                .until
                .as_deref()
                .and_then(|u| catalog.get(u))
                .is_none_or(|u| u.index > to.index);
            // With the role unknown, every role's requirement is listed,
            // saying whose it is.
            let (applies, whose) = match s.opts.role {
                Some(role) => (req.roles.contains(&role), String::new()),
                None => {
                    let roles: Vec<&str> = req.roles.iter().map(|r| r.as_str()).collect();
                    (true, format!("On a {} node: ", roles.join(" or ")))
                }
            };
            if !in_force || !applies {
                continue;
            }
            let missing: Vec<String> = req
                .options
                .iter()
                .filter(|alts| !alts.split('|').any(|a| set.contains(&loc(a))))
                .map(|alts| {
                    alts.split('|')
                        .map(|a| show(&loc(a)))
                        .collect::<Vec<_>>()
                        .join(" or ")
                })
                .collect();
            if !missing.is_empty() {
                s.manual(
                    &req.id,
                    &r.info.name,
                    format!("{whose}Set {}: {}", missing.join(", "), req.why),
                );
            }
        }
    }
    Ok(())
}

pub(super) fn run(
    doc: Document,
    catalog: &Catalog,
    book: &RuleBook,
    from: &Release,
    to: &Release,
    opts: Options,
) -> Result<Migration, MigrateError> {
    let items = doc
        .entries()
        .map(|e| Item {
            before: Some(Snapshot {
                section: e.section().to_string(),
                key: e.key().into_owned(),
                value: e.value().into_owned(),
                line: e.line(),
            }),
            at: Some((e.group().to_string(), e.key().into_owned())),
            steps: Vec::new(),
        })
        .collect();
    let hops = catalog.between(from, to);
    let known = Known {
        renames: book.renames(),
        removals: explicit_removals(book),
    };
    let mut s = Session {
        doc,
        items,
        opts,
        catalog,
        manual: Vec::new(),
        hop: from,
        prev: from,
        from,
        to,
        set_names: RefCell::default(),
        secrets: catalog.history()?,
    };
    for (n, hop) in hops.iter().enumerate() {
        s.prev = &catalog.releases()[hop.index - 1];
        s.hop = hop;
        if n == 0 {
            inline_comments(&mut s)?;
            already_ignored(&mut s, &known)?;
        }
        for r in &catalog.releases()[..=hop.index] {
            let own_hop = r.index == hop.index;
            for rule in book.rules_of(&r.info.name) {
                let roles: Vec<Role> = rule
                    .roles
                    .iter()
                    .filter_map(|x| match x.as_str() {
                        "controller" => Some(Role::Controller),
                        "compute" => Some(Role::Compute),
                        _ => None,
                    })
                    .collect();
                let ctx = Ctx {
                    rule: rule.id.clone(),
                    safety: rule.safety,
                    release: r.info.name.clone(),
                };
                for action in &rule.actions {
                    apply_action(&mut s, &ctx, action, own_hop, &roles)?;
                }
            }
        }
        derived(&mut s, &known)?;
        removed_services(&mut s);
    }
    if !hops.is_empty() {
        requirements(&mut s, to)?;
    }
    Ok(finish(s, from, to, hops))
}

fn finish(s: Session, from: &Release, to: &Release, hops: &[Release]) -> Migration {
    let secrets = s.secrets;
    let secret = |l: &Loc| secrets.is_secret(&l.0, &l.1);
    // Where each option is now: its last occurrence, the one nova reads.
    let last_entry: HashMap<Loc, crate::conf::Entry> = s
        .doc
        .entries()
        .map(|e| ((e.group().to_string(), e.key().into_owned()), e))
        .collect();
    let mut changes = Vec::new();
    let mut unchanged = 0;
    for item in &s.items {
        // An input option's change is named by the rule that gave it its
        // final form; an added option's by the rule that added it.
        let last = match (&item.before, item.steps.first(), item.steps.last()) {
            (_, None, _) | (_, _, None) => {
                unchanged += usize::from(item.before.is_some());
                continue;
            }
            (None, Some(first), _) => first,
            (Some(_), _, Some(last)) => last,
        };
        let after = item.at.as_ref().and_then(|l| {
            last_entry.get(l).map(|e| Snapshot {
                section: e.section().to_string(),
                key: e.key().into_owned(),
                value: e.value().into_owned(),
                line: e.line(),
            })
        });
        let mut via: Vec<String> = Vec::new();
        for st in &item.steps {
            if !via.contains(&st.rule) && st.rule != last.rule {
                via.push(st.rule.clone());
            }
        }
        let notes: Vec<&str> = item
            .steps
            .iter()
            .filter_map(|st| st.note.as_deref())
            .collect();
        let before_secret = item
            .before
            .as_ref()
            .is_some_and(|b| secret(&(normalize_group(&b.section).into_owned(), b.key.clone())));
        changes.push(Change {
            rule: last.rule.clone(),
            kind: if item.at.is_none() {
                "remove"
            } else {
                last.kind
            },
            safety: item
                .steps
                .iter()
                .map(|st| st.safety)
                .max()
                .unwrap_or(Safety::Safe),
            release: last.release.clone(),
            before_secret,
            after_secret: item.at.as_ref().is_some_and(secret),
            before: item.before.clone(),
            after,
            note: (!notes.is_empty()).then(|| notes.join("; ")),
            via,
        });
    }
    changes.sort_by_key(|c| {
        (
            c.before.as_ref().map_or(usize::MAX, |b| b.line),
            c.after.as_ref().map_or(usize::MAX, |a| a.line),
        )
    });
    Migration {
        document: s.doc,
        from: from.info.name.clone(),
        to: to.info.name.clone(),
        hops: hops.iter().map(|r| r.info.name.clone()).collect(),
        changes,
        manual: s.manual,
        unchanged,
    }
}
