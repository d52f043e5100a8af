//! What each kind of rule action does to the document.

use super::ChangeKind;
use super::rules::{Action, Safety, ValueCondition};
use super::session::{Ctx, Record, Session, edited};
use super::{ManualStep, MigrateError};
use crate::conf::OptionRef;
use crate::conf::value::{self as values, ItemEdit};
use crate::release::Role;
use std::collections::BTreeMap;

/// Does the value of the condition's option, under any of its names, pass
/// its test?
fn condition_value(s: &Session, c: &ValueCondition) -> bool {
    s.locate(&c.option)
        .and_then(|at| s.value(&at))
        .is_some_and(|v| c.holds(&v))
}

/// Applies one action of a rule. `own_hop`: the rule belongs to the hop
/// being made (manual steps are shown only then); `roles`: the rule's.
pub(super) fn apply(
    s: &mut Session,
    ctx: &Ctx,
    action: &Action,
    own_hop: bool,
    roles: &[Role],
) -> Result<(), MigrateError> {
    match action {
        Action::Rename {
            from,
            to,
            when_value,
        } => {
            if when_value.as_ref().is_some_and(|c| !condition_value(s, c)) {
                return Ok(());
            }
            let multi = s
                .hop
                .inventory()?
                .option(to)
                .is_some_and(|o| o.kind.is_multi());
            s.rename(ctx, from, to, multi, None)?;
        }
        Action::Remove { option, reason } => {
            if option.is_wildcard() {
                s.remove_all_in(ctx, option.group(), reason);
            } else {
                s.remove(ctx, option, reason);
            }
        }
        Action::Set {
            option,
            value,
            when_set,
            when_missing,
            assumed,
        } => {
            let fire = !s.option_set(option)
                && when_set.iter().all(|o| s.option_set(o))
                && !when_missing.iter().any(|o| s.option_set(o));
            if fire {
                let safety = if assumed.is_some() {
                    Safety::Review
                } else {
                    Safety::Safe
                };
                let o = s.current_name(option);
                s.set(
                    ctx,
                    &o,
                    value,
                    Record::new(ChangeKind::Set, safety, assumed.clone()),
                )?;
            }
        }
        Action::ValueMap {
            from,
            to,
            map,
            note,
        } => value_map(s, ctx, from, to, map, note.as_deref())?,
        Action::ListMap {
            option,
            map,
            reason,
        } => list_map(s, ctx, option, map, reason)?,
        Action::ReplacePrefix {
            option,
            from,
            to,
            note,
        } => {
            if let Some(at) = s.locate(option) {
                let kind = if from.contains("://") {
                    ChangeKind::UrlPart
                } else {
                    ChangeKind::ValueMap
                };
                let said = if to.is_empty() {
                    format!("the {from} prefix is dropped: {note}")
                } else {
                    format!("{from}… becomes {to}…: {note}")
                };
                s.map_values(
                    ctx,
                    &at,
                    |v| {
                        v.strip_prefix(from.as_str())
                            .map(|rest| format!("{to}{rest}"))
                    },
                    kind,
                    Some(said),
                )?;
            }
        }
        Action::ListAddScheme {
            option,
            scheme,
            unless_contains,
            note,
        } => list_add_scheme(s, ctx, option, scheme, unless_contains, note)?,
        Action::MergeUrl {
            to,
            template,
            parts,
        } => merge_url(s, ctx, to, template, parts)?,
        Action::ListRemove {
            option,
            item,
            reason,
        } => list_remove(s, ctx, option, item, reason)?,
        Action::StripSuffix {
            option,
            suffix,
            note,
        } => {
            if let Some(v) = s.value(option) {
                let trimmed = v.trim_end_matches('/');
                if let Some(stripped) = trimmed.strip_suffix(suffix.as_str()) {
                    let note = format!("{suffix} dropped from the URL: {note}");
                    s.set(
                        ctx,
                        option,
                        stripped,
                        Record::new(ChangeKind::UrlPart, Safety::Review, Some(note)),
                    )?;
                }
            }
        }
        Action::Manual {
            text,
            kind,
            commands,
            when_set,
            when_missing,
            when_value,
        } => {
            let fire = own_hop
                && s.role_matches(roles)
                && when_set.iter().all(|o| s.present(o))
                && !when_missing.iter().any(|o| s.present(o))
                && when_value.as_ref().is_none_or(|c| condition_value(s, c));
            if fire {
                let options = when_set
                    .iter()
                    .chain(when_value.iter().map(|c| &c.option))
                    .cloned()
                    .collect();
                s.manual(ManualStep {
                    id: ctx.rule.clone(),
                    release: s.hop.name().to_string(),
                    roles: roles.to_vec(),
                    kind: *kind,
                    options,
                    commands: commands.clone(),
                    text: text.clone(),
                    if_not_yet_on: None,
                });
            }
        }
        Action::Transform { name, .. } => super::transform::apply(s, ctx, name)?,
    }
    Ok(())
}

fn value_map(
    s: &mut Session,
    ctx: &Ctx,
    from: &OptionRef,
    to: &OptionRef,
    map: &BTreeMap<String, String>,
    why: Option<&str>,
) -> Result<(), MigrateError> {
    let lookup = |v: &str| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(v.trim()))
            .map(|(_, m)| m.clone())
    };
    if from == to {
        // A new spelling of the same option's value, in every occurrence
        // (a multi-valued option has several): values not in the map stay.
        let Some(at) = s.locate(from) else {
            return Ok(());
        };
        let mut said = Vec::new();
        let changed = s
            .doc
            .get_all(at.group(), at.name())
            .filter_map(|e| {
                let v = e.value();
                lookup(&v).map(|m| format!("{} is written {m}", v.trim()))
            })
            .collect::<Vec<_>>();
        said.extend(changed);
        said.dedup();
        let mut note = said.join("; ");
        match why {
            Some(w) => note.push_str(&format!(": {w}")),
            None => note.push_str(" in this release"),
        }
        s.map_values(ctx, &at, lookup, ChangeKind::ValueMap, Some(note))?;
        return Ok(());
    }
    let Some(v) = s.value(from) else {
        return Ok(());
    };
    let mapped = lookup(&v);
    match mapped {
        _ if s.present(to) => {
            let reason = format!("{to} is already set and decides");
            s.remove(ctx, from, &reason);
        }
        Some(m) => {
            edited(s.doc.set(to.group(), to.name(), &m))?;
            let note = format!("{from} = {v} means {to} = {m}");
            s.fold_into(
                ctx,
                std::slice::from_ref(from),
                to,
                ChangeKind::ValueMap,
                &note,
            );
        }
        None => s.manual_text(
            ctx,
            super::rules::StepKind::Config,
            format!("{from} has a value stackhop cannot map to {to}: set {to} by hand"),
        ),
    }
    Ok(())
}

/// Maps or drops items of a list value.
fn list_map(
    s: &mut Session,
    ctx: &Ctx,
    option: &OptionRef,
    map: &BTreeMap<String, String>,
    reason: &str,
) -> Result<(), MigrateError> {
    let Some(at) = s.locate(option) else {
        return Ok(());
    };
    let values: Vec<String> = s
        .doc
        .get_all(at.group(), at.name())
        .map(|e| e.value().into_owned())
        .collect();
    let mut dropped = Vec::new();
    let mut replaced = Vec::new();
    let edit = |v: &str, dropped: &mut Vec<String>, replaced: &mut Vec<String>| {
        values::edit_list(v, |item| match map.get(item) {
            Some(r) if r.is_empty() => {
                dropped.push(item.to_string());
                ItemEdit::Drop
            }
            Some(r) => {
                replaced.push(format!("{item} becomes {r}"));
                ItemEdit::Replace(r.clone())
            }
            None => ItemEdit::Keep,
        })
    };
    // Every occurrence is edited (a duplicate nova does not read would
    // still mislead); the last one, the one nova reads, must keep an item.
    let edited: Vec<Option<String>> = values
        .iter()
        .map(|v| edit(v, &mut dropped, &mut replaced))
        .collect();
    if edited.iter().all(Option::is_none) {
        return Ok(());
    }
    let firsts = |list: &mut Vec<String>| {
        let mut seen = std::collections::HashSet::new();
        list.retain(|x| seen.insert(x.clone()));
    };
    firsts(&mut dropped);
    firsts(&mut replaced);
    let emptied = edited
        .last()
        .and_then(Option::as_ref)
        .is_some_and(|new| values::list_items(new).next().is_none());
    if emptied {
        s.manual_text(
            ctx,
            super::rules::StepKind::Config,
            format!(
                "{at} lists only {}, which it must not ({reason}): without the option nova takes its default list, so set it by hand",
                dropped.join(", ")
            ),
        );
        return Ok(());
    }
    let mut said = Vec::new();
    if !dropped.is_empty() {
        said.push(format!("{} dropped from the list", dropped.join(", ")));
    }
    said.extend(replaced);
    let note = format!("{}: {reason}", said.join("; "));
    s.map_values(
        ctx,
        &at,
        |v| edit(v, &mut Vec::new(), &mut Vec::new()),
        ChangeKind::ValueMap,
        Some(note),
    )?;
    Ok(())
}

/// Puts a scheme before list items that have none.
fn list_add_scheme(
    s: &mut Session,
    ctx: &Ctx,
    option: &OptionRef,
    scheme: &str,
    unless_contains: &str,
    why: &str,
) -> Result<(), MigrateError> {
    let Some(at) = s.locate(option) else {
        return Ok(());
    };
    let edit = |v: &str, tokens: &mut Vec<String>, fixed: &mut Vec<String>| {
        values::edit_list(v, |item| {
            if item.contains(unless_contains) {
                ItemEdit::Keep
            } else if values::template_token(item) {
                tokens.push(item.to_string());
                ItemEdit::Keep
            } else {
                fixed.push(item.to_string());
                ItemEdit::Replace(format!("{scheme}{item}"))
            }
        })
    };
    let (mut tokens, mut fixed) = (Vec::new(), Vec::new());
    for e in s.doc.get_all(at.group(), at.name()) {
        edit(&e.value(), &mut tokens, &mut fixed);
    }
    if !fixed.is_empty() {
        fixed.dedup();
        let note = format!("{scheme} put before {}: {why}", fixed.join(", "));
        s.map_values(
            ctx,
            &at,
            |v| edit(v, &mut Vec::new(), &mut Vec::new()),
            ChangeKind::UrlPart,
            Some(note),
        )?;
    }
    tokens.dedup();
    for t in tokens {
        s.manual_text(
            ctx,
            super::rules::StepKind::Config,
            format!(
                "{at} holds {t}, a template placeholder stackhop cannot read: make sure it expands to URLs with a scheme ({scheme}…). {why}."
            ),
        );
    }
    Ok(())
}

/// Removes an item from a list value, in every occurrence: a `list-map`
/// that drops one item.
fn list_remove(
    s: &mut Session,
    ctx: &Ctx,
    option: &OptionRef,
    item: &str,
    reason: &str,
) -> Result<(), MigrateError> {
    let map = BTreeMap::from([(item.to_string(), String::new())]);
    list_map(s, ctx, option, &map, reason)
}

/// Builds a URL from parts; a part not set takes its earlier default.
fn merge_url(
    s: &mut Session,
    ctx: &Ctx,
    to: &OptionRef,
    template: &str,
    parts: &BTreeMap<String, OptionRef>,
) -> Result<(), MigrateError> {
    let set: Vec<OptionRef> = parts.values().filter(|o| s.present(o)).cloned().collect();
    if set.is_empty() {
        return Ok(());
    }
    if s.present(to) {
        let reason = format!("ignored while {to} is set, which it now is");
        for o in &set {
            s.remove(ctx, o, &reason);
        }
        return Ok(());
    }
    let mut url = template.to_string();
    let mut assumed = Vec::new();
    for (part, o) in parts {
        let value = match s.value(o) {
            Some(v) => v,
            None => match s.default_of(std::slice::from_ref(o)) {
                Some((d, release)) => {
                    assumed.push(s.assumed(o, &d, &release));
                    d
                }
                None => {
                    s.manual_text(
                        ctx,
                        super::rules::StepKind::Config,
                        format!("{to} could not be built: {o} is not set; set it by hand"),
                    );
                    return Ok(());
                }
            },
        };
        url = url.replace(&format!("{{{part}}}"), &value);
    }
    edited(s.doc.set(to.group(), to.name(), &url))?;
    let mut note = format!(
        "built from {}",
        set.iter()
            .map(OptionRef::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !assumed.is_empty() {
        note.push_str(&format!(
            "; not set, so taken as before: {}",
            assumed.join(", ")
        ));
    }
    s.fold_into(ctx, &set, to, ChangeKind::MergeUrl, &note);
    Ok(())
}
