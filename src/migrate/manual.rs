//! Manual steps that come from the release data rather than from rules:
//! services a hop removes, and options the target release requires that
//! the file lacks.

use super::rules::StepKind;
use super::session::Session;
use super::{ManualStep, MigrateError};
use crate::release::model::Change as ServiceChange;

/// Services removed in the hop: stop and remove them.
pub(super) fn removed_services(s: &mut Session) {
    let hop = s.hop;
    for c in hop
        .info
        .core()
        .service_changes
        .iter()
        .filter(|c| c.change == ServiceChange::Removed)
    {
        // Only services the release before lists (those an install puts
        // on a node), for the role when it is known.
        let Some(service) = s
            .prev
            .info
            .core()
            .services
            .iter()
            .find(|x| x.name == c.service)
        else {
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
        s.manual(ManualStep {
            id: format!("service:{}", c.service),
            release: hop.name().to_string(),
            roles: service.roles.clone(),
            kind: StepKind::ServiceRemoved,
            options: Vec::new(),
            commands: Vec::new(),
            text: format!(
                "{} is gone in {}: if this node runs it, stop and remove it before upgrading.{why}",
                c.service,
                hop.info.core().title
            ),
            if_not_yet_on: None,
        });
    }
}

/// Options the target release requires (for the role, or for any role
/// when none is given) that the migrated file lacks. Each is placed at the
/// hop where it first applies in this migration: the hop of the release
/// that declared it, or the first hop when that release is not passed.
pub(super) fn requirements(s: &mut Session) -> Result<(), MigrateError> {
    let (catalog, to, from) = (s.catalog, s.to, s.from);
    let first = (from.index + 1).min(to.index);
    for m in catalog.missing_requirements(&s.doc, to, s.opts.role)? {
        let at = &catalog.releases()[m.declared_in.index.max(first)];
        s.manual(ManualStep {
            id: m.requirement.id.clone(),
            release: at.name().to_string(),
            roles: m.requirement.roles.clone(),
            kind: StepKind::Requirement,
            options: m.options().cloned().collect(),
            commands: Vec::new(),
            text: if m.requirement.recommended {
                format!("Consider setting {}: {}", m.list(), m.requirement.why)
            } else {
                format!("Set {}: {}", m.list(), m.requirement.why)
            },
            if_not_yet_on: None,
        });
    }
    Ok(())
}
