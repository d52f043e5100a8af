//! What the upgrade and install builders share: commands through the
//! placeholders, steps with their defaults, who runs what.

use super::RunbookError;
use super::context::{Block, ExitCodeView, Step, StepKind, VariableView};
use super::shell;
use crate::release::model::{Os, ProcedureFile, Service, UpgradeStep};
use crate::release::{Catalog, Distro, Role};
use std::collections::BTreeSet;

pub(super) struct Builder<'c> {
    pub procedure: &'c ProcedureFile,
    pub distro: Distro,
    /// The roles the runbook covers.
    pub roles: Vec<Role>,
    /// Variables the commands use so far.
    pub used: BTreeSet<String>,
}

impl<'c> Builder<'c> {
    pub fn new(
        catalog: &'c Catalog,
        distro: Distro,
        roles: Vec<Role>,
    ) -> Result<Self, RunbookError> {
        Ok(Builder {
            procedure: catalog.procedure()?,
            distro,
            roles,
            used: BTreeSet::new(),
        })
    }

    /// One command as printed: placeholders as variables.
    pub fn command(&mut self, cmd: &str) -> String {
        let p = self.procedure;
        shell::substitute(cmd, |w| p.variable(w).is_some(), &mut self.used)
    }

    /// A shell block's code: a comment saying where it runs, then the
    /// commands, each run as `as_user` when given, repeated while the last
    /// exits with `repeat`.
    pub fn sh(
        &mut self,
        on: &str,
        commands: &[String],
        as_user: Option<&str>,
        repeat: Option<u8>,
    ) -> Block {
        let cmds: Vec<String> = commands
            .iter()
            .map(|c| match as_user {
                Some(u) => shell::as_user(c, u),
                None => c.clone(),
            })
            .map(|c| self.command(&c))
            .collect();
        let body = match repeat {
            Some(code) => shell::repeat(&cmds, code),
            None => cmds.join("\n"),
        };
        Block {
            lang: "sh".to_string(),
            caption: format!("On {on}"),
            code: format!("# on {on}\n{body}"),
        }
    }

    /// A step with nothing but its id, kind, title and roles.
    pub fn step(
        &self,
        id: String,
        kind: StepKind,
        title: impl Into<String>,
        roles: &[Role],
    ) -> Step {
        Step {
            id,
            kind,
            partial: kind.partial(),
            title: title.into(),
            roles: roles.to_vec(),
            who: who(kind, roles, &self.roles),
            when: None,
            why: None,
            notes: Vec::new(),
            irreversible: false,
            blocks: Vec::new(),
            exit_codes: Vec::new(),
            changes: Vec::new(),
            checklist: Vec::new(),
            evidence: Vec::new(),
        }
    }

    /// The roles of `of` this runbook covers.
    pub fn covered(&self, of: &[Role]) -> Vec<Role> {
        Role::ALL
            .into_iter()
            .filter(|r| of.contains(r) && self.roles.contains(r))
            .collect()
    }

    /// A data step of release `release` as a runbook step, or `None` when
    /// it is for another role or distribution.
    pub fn data_step(&mut self, release: &str, s: &UpgradeStep) -> Option<Step> {
        let roles = self.covered(&s.roles);
        if roles.is_empty() {
            return None;
        }
        let commands = s.commands(self.distro)?.to_vec();
        let mut step = self.step(
            format!("{release}.{}", s.id),
            step_kind(s),
            s.title.clone(),
            &roles,
        );
        step.when = s.when.clone();
        step.why = s.why.clone();
        step.notes.extend(s.note.clone());
        step.irreversible = s.irreversible;
        step.evidence = s.evidence.clone();
        step.exit_codes = s
            .exit_codes
            .iter()
            .map(|(code, means)| ExitCodeView {
                code: code.clone(),
                means: means.clone(),
            })
            .collect();
        step.exit_codes
            .sort_by_key(|e| e.code.parse::<u16>().unwrap_or(u16::MAX));
        if let Some(file) = &s.file {
            step.blocks.push(Block {
                lang: "ini".to_string(),
                caption: format!("{} on {}", file.path, step.who),
                code: format!("# {}\n{}", file.path, file.lines.join("\n")),
            });
        }
        if !commands.is_empty() {
            let on = step.who.clone();
            let block = self.sh(&on, &commands, s.as_user.as_deref(), s.repeat_while);
            step.blocks.push(block);
        }
        Some(step)
    }

    pub fn os(&self, name: &str) -> Result<&'c Os, RunbookError> {
        self.procedure
            .os(name)
            .ok_or_else(|| RunbookError::Data(format!("procedure.toml has no os {name:?}")))
    }

    /// The block that stops (or starts) services a node may or may not run,
    /// captioned `lead (their names), on ON`.
    pub fn optional_services(
        &mut self,
        on: &str,
        services: &[&Service],
        os: &str,
        start: bool,
        lead: &str,
    ) -> Result<Block, RunbookError> {
        let cmds = self.service_commands(services, os, start)?;
        let mut block = self.sh(on, &cmds, None, None);
        let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
        block.caption = format!("{lead} ({}), on {on}", names.join(", "));
        Ok(block)
    }

    /// Commands that stop (`start == false`) or start a release's services
    /// on `os`, in start order (stop: reversed). Web applications are
    /// switched in the web server, which is reloaded, never stopped.
    pub fn service_commands(
        &self,
        services: &[&Service],
        os: &str,
        start: bool,
    ) -> Result<Vec<String>, RunbookError> {
        let os = self.os(os)?;
        let init = self.procedure.init(&os.init).ok_or_else(|| {
            RunbookError::Data(format!("procedure.toml has no init {:?}", os.init))
        })?;
        let facts = self
            .procedure
            .distro(self.distro)
            .ok_or_else(|| RunbookError::Data("procedure.toml lacks a distro".to_string()))?;
        let mut out = Vec::new();
        for s in services {
            if let Some(web) = &s.web {
                let t = if start {
                    &facts.site_enable
                } else {
                    &facts.site_disable
                };
                let site = match self.distro {
                    Distro::Ubuntu => shell::fill(t, "site", &web.ubuntu_site),
                    Distro::Rdo => shell::fill(t, "conf", &web.rdo_conf),
                };
                out.push(site);
                out.push(shell::fill(&init.reload, "unit", &facts.web_server));
                continue;
            }
            for unit in s.units(self.distro) {
                if start {
                    out.push(shell::fill(&init.enable, "unit", unit));
                    out.push(shell::fill(&init.start, "unit", unit));
                } else {
                    out.push(shell::fill(&init.stop, "unit", unit));
                    out.push(shell::fill(&init.disable, "unit", unit));
                }
            }
        }
        Ok(out)
    }

    /// The variables used, as the runbook lists them.
    pub fn variables(&self) -> Vec<VariableView> {
        self.used
            .iter()
            .filter_map(|n| self.procedure.variable(n))
            .map(|v| VariableView {
                name: v.name.clone(),
                what: v.what.clone(),
                secret: v.secret,
            })
            .collect()
    }
}

/// The runbook kind of a data step.
fn step_kind(s: &UpgradeStep) -> StepKind {
    use crate::release::model::UpgradeKind as K;
    match s.kind {
        K::Package => StepKind::Package,
        K::Service => StepKind::Service,
        K::Config => StepKind::Config,
        K::Db => StepKind::Db,
        K::Cells => StepKind::Cells,
        K::Placement => StepKind::Placement,
        K::Check => StepKind::Check,
        K::Manual => StepKind::Manual,
    }
}

/// Who runs a step of `kind` for `roles`: database work needs one
/// controller; packages and services, every node of the role.
pub(super) fn who(kind: StepKind, roles: &[Role], covered: &[Role]) -> String {
    let once = matches!(
        kind,
        StepKind::Db
            | StepKind::Cells
            | StepKind::Placement
            | StepKind::Check
            | StepKind::Endpoint
            | StepKind::Identity
            | StepKind::Verify
            | StepKind::Record
    );
    match roles {
        [Role::Controller] if once => "one controller".to_string(),
        [Role::Controller] => "every controller".to_string(),
        [Role::Compute] => "every compute node".to_string(),
        [] => "every node".to_string(),
        _ if covered.len() == 1 => who(kind, covered, covered),
        _ => "every node".to_string(),
    }
}
