//! What each kind of rule action does to the document.

use super::ChangeKind;
use super::rules::{Action, Safety, ValueCondition};
use super::session::{Ctx, Record, Session, edited};
use super::{ManualStep, MigrateError};
use crate::conf::OptionRef;
use crate::release::Role;
use std::collections::BTreeMap;

/// Does `option`'s value (case-insensitively) equal one of the condition's?
fn condition_value(s: &Session, c: &ValueCondition) -> bool {
    s.value(&c.option)
        .is_some_and(|v| c.is.iter().any(|x| x.eq_ignore_ascii_case(v.trim())))
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
        Action::Rename { from, to } => {
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
        Action::ValueMap { from, to, map } => value_map(s, ctx, from, to, map)?,
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
        Action::Transform { name } => super::transform::apply(s, ctx, name)?,
    }
    Ok(())
}

fn value_map(
    s: &mut Session,
    ctx: &Ctx,
    from: &OptionRef,
    to: &OptionRef,
    map: &BTreeMap<String, String>,
) -> Result<(), MigrateError> {
    let Some(v) = s.value(from) else {
        return Ok(());
    };
    let mapped = map
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(v.trim()))
        .map(|(_, m)| m.clone());
    if from == to {
        // A new spelling of the same option's value: values not in the map stay.
        if let Some(m) = mapped {
            let note = format!("{v} is written {m} in this release");
            s.set(
                ctx,
                from,
                &m,
                Record::new(ChangeKind::ValueMap, Safety::Safe, Some(note)),
            )?;
        }
        return Ok(());
    }
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

fn list_remove(
    s: &mut Session,
    ctx: &Ctx,
    option: &OptionRef,
    item: &str,
    reason: &str,
) -> Result<(), MigrateError> {
    let Some(v) = s.value(option) else {
        return Ok(());
    };
    let items: Vec<&str> = v.split(',').map(str::trim).collect();
    if !items.contains(&item) {
        return Ok(());
    }
    let kept: Vec<&str> = items
        .into_iter()
        .filter(|i| *i != item && !i.is_empty())
        .collect();
    if kept.is_empty() {
        s.manual_text(
            ctx,
            super::rules::StepKind::Config,
            format!("{option} lists only {item}, which is gone ({reason}): set it by hand"),
        );
    } else {
        let note = format!("{item} dropped from the list: {reason}");
        let r = Record::new(ChangeKind::ValueMap, Safety::Safe, Some(note));
        s.set(ctx, option, &kept.join(","), r)?;
    }
    Ok(())
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
