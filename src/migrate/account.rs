//! The account of a migration: every input option in exactly one change
//! (or counted unchanged), manual steps in release order, and, when the
//! source release was a guess, what depends on the guess.

use super::rules::Safety;
use super::session::{Item, Session, Step};
use super::{Change, ChangeKind, Migration, Snapshot, builtin};
use crate::conf::{Entry, OptionRef};
use crate::release::Release;
use std::collections::HashMap;

/// The occurrences of an option in the migrated document, and, when it
/// holds as many items as occurrences, each item's occurrence.
struct Place<'d> {
    all: Vec<Entry<'d>>,
    /// Item → its occurrence in `all`; empty when the counts differ.
    own: HashMap<usize, usize>,
}

/// Turns the session into the migration's result. `guessed`: the releases
/// the file fits equally when `from` was detected (oldest first).
pub(super) fn finish(s: Session, hops: &[Release], guessed: Option<Vec<String>>) -> Migration {
    let (from, to, catalog, secrets) = (s.from, s.to, s.catalog, s.secrets);
    // The hops inside the guessed range: a change made there is needed
    // only if the node is not on that release yet.
    let guess_end = guessed
        .as_ref()
        .and_then(|g| g.last())
        .and_then(|name| catalog.get(name))
        .map_or(from.index, |r| r.index);
    let depends = |hop: usize| (from.index < hop && hop <= guess_end).then_some(hop);
    let name_of = |hop: usize| catalog.releases()[hop].name().to_string();

    let parts = s.into_parts();
    let secret = |o: &OptionRef| secrets.is_secret(o.group(), o.name());
    // Where an item is now: when its option holds as many items as it has
    // occurrences (a multi-valued option, kept line for line), its own
    // occurrence; otherwise the last, the one nova reads. Only changed
    // items are looked up; each option's occurrences and items once (a
    // file may repeat an option thousands of times).
    let mut places: HashMap<OptionRef, Place> = HashMap::new();
    let mut entry_of = |i: usize| -> Option<Entry> {
        let at = parts.at(&parts.items[i])?;
        let place = places.entry(at).or_insert_with_key(|at| {
            let all: Vec<Entry> = parts.doc.get_all(at.group(), at.name()).collect();
            let mine = parts.holders(at);
            let own = if mine.len() == all.len() {
                mine.iter().enumerate().map(|(k, &j)| (j, k)).collect()
            } else {
                HashMap::new()
            };
            Place { all, own }
        });
        match place.own.get(&i) {
            Some(&k) => place.all.get(k).copied(),
            None => place.all.last().copied(),
        }
    };
    let mut changes = Vec::new();
    let mut unchanged = 0;
    for (i, item) in parts.items.iter().enumerate() {
        let steps = parts.steps(item);
        if steps.is_empty() {
            unchanged += usize::from(item.before().is_some());
            continue;
        }
        let before = item
            .before()
            .and_then(|line| parts.input.entry_at(line as usize));
        let Some(change) = change_of(
            item,
            steps,
            before.map(|e| Snapshot::of(&e)),
            parts.at(item).as_ref(),
            entry_of(i).map(|e| Snapshot::of(&e)),
            secret,
        ) else {
            continue;
        };
        let guessed_hop = steps
            .iter()
            .filter(|st| st.rule != builtin::INLINE_COMMENT)
            .filter_map(|st| depends(st.hop))
            .max();
        changes.push(Change {
            if_not_yet_on: guessed_hop.map(name_of),
            ..change
        });
    }
    changes.sort_by_key(|c| {
        (
            c.before.as_ref().map_or(usize::MAX, |b| b.line),
            c.after.as_ref().map_or(usize::MAX, |a| a.line),
        )
    });
    let mut manual = parts.manual;
    // Release order; within a release, the order they were found in.
    let index_of = |name: &str| catalog.get(name).map_or(usize::MAX, |r| r.index);
    manual.sort_by_key(|m| index_of(&m.release));
    for m in &mut manual {
        if let Some(hop) = depends(index_of(&m.release)) {
            m.if_not_yet_on = Some(name_of(hop));
        }
    }
    Migration {
        document: parts.doc,
        from: from.name().to_string(),
        to: to.name().to_string(),
        hops: hops.iter().map(|r| r.name().to_string()).collect(),
        changes,
        manual,
        unchanged,
        guessed,
    }
}

/// What happened to one item, if anything did: `before` is what it read
/// in the input, `at` where it is now, `now` what it reads there.
fn change_of(
    item: &Item,
    steps: &[Step],
    before: Option<Snapshot>,
    at: Option<&OptionRef>,
    now: Option<Snapshot>,
    secret: impl Fn(&OptionRef) -> bool,
) -> Option<Change> {
    // An input option's change is named by the rule that gave it its final
    // form; an added option's by the rule that added it.
    let decisive = match item.before() {
        Some(_) => steps.last()?,
        None => steps.first()?,
    };
    let mut via: Vec<String> = Vec::new();
    for st in steps {
        if !via.contains(&st.rule) && st.rule != decisive.rule {
            via.push(st.rule.clone());
        }
    }
    let notes: Vec<&str> = steps.iter().filter_map(|st| st.note.as_deref()).collect();
    Some(Change {
        rule: decisive.rule.clone(),
        kind: if at.is_none() {
            ChangeKind::Remove
        } else {
            decisive.kind
        },
        safety: steps
            .iter()
            .map(|st| st.safety)
            .max()
            .unwrap_or(Safety::Safe),
        release: decisive.release.clone(),
        before_secret: before.as_ref().is_some_and(|b| secret(&b.option())),
        after_secret: at.is_some_and(&secret),
        before,
        after: now,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
        via,
        if_not_yet_on: None,
    })
}
