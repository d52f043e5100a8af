//! The upgrade runbook: before you start (record, stop, back up), one
//! section per hop in release order (repository, packages, config, database
//! steps, checks, checkpoint, OS change), finishing (start in nova's order,
//! endpoints), verification and rollback. Every command, release and order
//! comes from the release data; this file only arranges it.

use super::build::Builder;
use super::context::*;
use super::shell;
use super::{ConfigFile, EndpointRecord, RunbookError};
use crate::conf::Document;
use crate::migrate::rules::StepKind as ManualKind;
use crate::migrate::{self, RuleBook, Start};
use crate::release::model::{
    Change, OsMethod, Presence, Repository, Service, UpgradePhase, UpgradeStep,
};
use crate::release::{Catalog, Distro, Release, Role};
use crate::report::redact::Redactor;
use crate::report::view::MigrationView;

/// What an upgrade runbook is asked for.
#[derive(Debug, Clone, Copy)]
pub struct UpgradeRequest<'a> {
    /// The release the nodes run (a name or a nova version); detected from
    /// the first config when absent.
    pub from: Option<&'a str>,
    pub to: &'a str,
    /// The config files to migrate hop by hop (their diffs go in the runbook).
    pub configs: &'a [ConfigFile],
    /// Only this role's steps; absent: every role.
    pub role: Option<Role>,
    pub distro: Distro,
    /// `openstack endpoint list -f json`, parsed.
    pub endpoints: Option<&'a [EndpointRecord]>,
    pub redactor: Redactor,
}

/// One hop's config changes, per file.
struct HopConfig {
    file: String,
    diff: String,
    changes: Vec<ChangeRow>,
    manual: Vec<crate::report::view::ManualStepView>,
}

/// Builds the upgrade runbook's context.
pub fn upgrade(
    catalog: &Catalog,
    book: &RuleBook,
    req: &UpgradeRequest,
) -> Result<RunbookContext, RunbookError> {
    let to = catalog.resolve(req.to).map_err(RunbookError::Usage)?;
    let (from, detected) = match req.from {
        Some(name) => (catalog.resolve(name).map_err(RunbookError::Usage)?, None),
        None => detect(catalog, req.configs)?,
    };
    if from.index >= to.index {
        return Err(RunbookError::Usage(format!(
            "--from {} is not before --to {}: an upgrade goes to a later release",
            from.name(),
            to.name()
        )));
    }
    let hops = catalog.between(from, to);
    let roles: Vec<Role> = match req.role {
        Some(r) => vec![r],
        None => Role::ALL.to_vec(),
    };
    let mut b = Builder::new(catalog, req.distro, roles.clone())?;
    let configs = migrate_configs(catalog, book, from, hops, req)?;

    let mut u = Upgrade {
        b: &mut b,
        catalog,
        book,
        from,
        to,
        req,
        os: start_os(from, req.distro)?,
        checkpoints: Vec::new(),
        asked: Vec::new(),
    };
    let mut sections = vec![u.before()?];
    let mut hop_summaries = Vec::new();
    for (n, hop) in hops.iter().enumerate() {
        let next = hops.get(n + 1);
        let prev = &catalog.releases()[hop.index - 1];
        let (section, summary) = u.hop(prev, hop, next, &configs[n])?;
        sections.push(section);
        hop_summaries.push(summary);
    }
    sections.push(u.finish()?);
    sections.push(u.verify());
    sections.push(u.rollback()?);
    let checkpoints = u.checkpoints.clone();

    let irreversible = sections
        .iter()
        .flat_map(|s| &s.steps)
        .filter(|s| s.irreversible)
        .map(|s| StepRef {
            id: s.id.clone(),
            title: s.title.clone(),
        })
        .collect();
    let path = std::iter::once(from)
        .chain(hops.iter())
        .map(|r| r.info.title.as_str())
        .collect::<Vec<_>>()
        .join(" → ");
    let role_text = match req.role {
        Some(r) => r.as_str().to_string(),
        None => "controller and compute".to_string(),
    };
    let mut notes = vec![
        "This is an offline (fast-forward) upgrade: every nova service stays stopped from the \
         first hop to the finish; instances keep running, except while their compute node \
         reboots or is rebuilt for a new OS. Each hop runs its release's database \
         migrations with its release's code, in order; no hop may be skipped."
            .to_string(),
        "Run every step in order and tick its box. A step marked \"Only if\" is skipped when its \
         condition does not hold. Steps for \"one controller\" run once; the others on every \
         node named."
            .to_string(),
    ];
    if !req.configs.is_empty() {
        notes.push(format!(
            "Config changes come from `stackhop migrate` over {}; values that are secrets are \
             masked (****) in the diffs. Apply each hop's changes to the real files (or write the \
             target's files at the end with `stackhop migrate FILE --from {} --to {} -o FILE`).",
            req.configs
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(" and "),
            from.name(),
            to.name()
        ));
    }
    Ok(RunbookContext {
        schema: SCHEMA,
        kind: RunbookKind::Upgrade,
        title: format!(
            "Upgrade runbook: {} to {} ({role_text}, {})",
            from.info.title,
            to.info.title,
            req.distro.title()
        ),
        generator: super::generator(),
        from: Some(release_ref(from)),
        to: release_ref(to),
        role: req.role,
        roles,
        distro: req.distro,
        distro_title: req.distro.title().to_string(),
        detected,
        configs: req.configs.iter().map(|c| c.name.clone()).collect(),
        variables: b.variables(),
        summary: Some(Summary {
            path,
            hops: hop_summaries,
            irreversible,
            checkpoints,
        }),
        notes,
        sections,
    })
}

pub(super) fn release_ref(r: &Release) -> ReleaseRef {
    ReleaseRef {
        name: r.name().to_string(),
        title: r.info.title.clone(),
        nova_version: r.info.nova_version.clone(),
    }
}

/// The release of the configs, as `detect` tells it: the oldest of the
/// releases the files fit, so that no hop is skipped.
fn detect<'c>(
    catalog: &'c Catalog,
    configs: &[ConfigFile],
) -> Result<(&'c Release, Option<String>), RunbookError> {
    let Some(first) = configs.first() else {
        return Err(RunbookError::Usage(
            "give --from, or --config FILE to detect it from".to_string(),
        ));
    };
    let mut best: Option<(&Release, String)> = None;
    for c in configs {
        let start = Start::detect(&c.document, catalog)
            .map_err(|e| RunbookError::Usage(format!("{}: {e}", c.name)))?;
        let Start::Detected(fits) = start else {
            continue;
        };
        let names: Vec<String> = fits.iter().map(|r| r.name().to_string()).collect();
        let range = crate::release::detect::ranges(catalog, &names);
        if best.as_ref().is_none_or(|(r, _)| fits[0].index < r.index) {
            best = Some((
                fits[0],
                format!(
                    "--from was not given: {} fits {range}; this runbook starts at {}, the oldest, \
                     so no hop is skipped. If the nodes already run a later release, start at its \
                     hop.",
                    c.name, fits[0].info.title
                ),
            ));
        }
    }
    let (r, text) = best.ok_or_else(|| {
        RunbookError::Usage(format!(
            "{}: cannot tell its release; give --from",
            first.name
        ))
    })?;
    Ok((r, Some(text)))
}

/// Each config migrated hop by hop: per hop, per file, the masked diff,
/// the changes and the manual steps. The option inventories the hops need
/// are read first, and the files migrated, on as many threads as there are
/// (the machine has two cores; a whole-process budget of 30 ms).
fn migrate_configs(
    catalog: &Catalog,
    book: &RuleBook,
    from: &Release,
    hops: &[Release],
    req: &UpgradeRequest,
) -> Result<Vec<Vec<HopConfig>>, RunbookError> {
    if req.configs.is_empty() {
        return Ok(hops.iter().map(|_| Vec::new()).collect());
    }
    let history = catalog.history()?;
    let needed = &catalog.releases()[from.index..=hops.last().map_or(from.index, |h| h.index)];
    std::thread::scope(|s| {
        let load = |r: &Release| r.inventory().map(|_| ());
        let other = s.spawn(move || needed.iter().step_by(2).try_for_each(load));
        let mine = needed.iter().skip(1).step_by(2).try_for_each(load);
        mine.and(other.join().expect("no panic"))
    })?;
    let per_file: Vec<Result<Vec<HopConfig>, RunbookError>> = std::thread::scope(|s| {
        let handles: Vec<_> = req
            .configs
            .iter()
            .map(|c| s.spawn(move || migrate_one(catalog, book, from, hops, req, c, history)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .collect()
    });
    let mut per_hop: Vec<Vec<HopConfig>> = hops.iter().map(|_| Vec::new()).collect();
    for file in per_file {
        for (n, hc) in file?.into_iter().enumerate() {
            per_hop[n].push(hc);
        }
    }
    Ok(per_hop)
}

/// One config carried through every hop.
fn migrate_one(
    catalog: &Catalog,
    book: &RuleBook,
    from: &Release,
    hops: &[Release],
    req: &UpgradeRequest,
    c: &ConfigFile,
    history: &crate::release::HistoryIndex,
) -> Result<Vec<HopConfig>, RunbookError> {
    let mut out = Vec::with_capacity(hops.len());
    let mut doc: Document = c.document.clone();
    let mut prev = from;
    for hop in hops {
        let before = doc.clone();
        let options = migrate::Options {
            role: req.role,
            keep_removed: false,
        };
        let m = migrate::migrate(doc, catalog, book, Start::Given(prev), hop, options)
            .map_err(|e| RunbookError::Migrate(format!("{}: {e}", c.name)))?;
        let diff =
            crate::report::diff::masked(&c.name, &before, &m.document, history, req.redactor);
        let view = MigrationView::new(&c.name, &m, catalog, req.redactor);
        let changes = view
            .changes
            .iter()
            .map(|ch| ChangeRow {
                rule: ch.rule.clone(),
                kind: ch.kind.to_string(),
                option: ch.option().map(|o| o.name()).unwrap_or_default(),
                before: ch.before.as_ref().map(|o| o.assignment()),
                after: ch.after.as_ref().map(|o| o.assignment()),
                safety: format!("{:?}", ch.safety).to_lowercase(),
                note: ch.note.clone(),
            })
            .collect();
        out.push(HopConfig {
            file: c.name.clone(),
            diff,
            changes,
            manual: view.manual,
        });
        doc = m.document;
        prev = hop;
    }
    Ok(out)
}

/// The OS a node runs at `from`: the first the data lists for the
/// distribution (the one its install guide used).
fn start_os(from: &Release, distro: Distro) -> Result<String, RunbookError> {
    from.info
        .repositories
        .iter()
        .find(|r| r.distro == distro)
        .map(|r| r.os.clone())
        .ok_or_else(|| {
            RunbookError::Data(format!(
                "releases/{}/release.toml has no {} repository",
                from.name(),
                distro.as_str()
            ))
        })
}

struct Upgrade<'u, 'c> {
    b: &'u mut Builder<'c>,
    catalog: &'c Catalog,
    book: &'c RuleBook,
    from: &'c Release,
    to: &'c Release,
    req: &'u UpgradeRequest<'u>,
    /// The OS the nodes run now.
    os: String,
    checkpoints: Vec<String>,
    /// Manual steps of the migration already asked for (a requirement is
    /// reported at every hop after the one that declares it).
    asked: Vec<String>,
}

impl<'c> Upgrade<'_, 'c> {
    fn roles(&self) -> Vec<Role> {
        self.b.roles.clone()
    }

    fn backup_dir(&self) -> String {
        shell::fill(
            &shell::fill(&self.b.procedure.backup.dir, "from", self.from.name()),
            "to",
            self.to.name(),
        )
    }

    /// The services of `r` for `role`, in start order.
    fn services(r: &'c Release, role: Role) -> Vec<&'c Service> {
        let mut v: Vec<&Service> = r
            .info
            .services
            .iter()
            .filter(|s| s.roles.contains(&role) && s.start.is_some())
            .collect();
        v.sort_by_key(|s| s.start);
        v
    }

    fn before(&mut self) -> Result<Section, RunbookError> {
        let from = self.from;
        let mut steps = Vec::new();
        let bk = self.backup_dir();

        // Record what there is.
        let mut record = self.b.step(
            "before.record".to_string(),
            StepKind::Record,
            "Record the endpoints and the nova version",
            &[Role::Controller],
        );
        let identity = from.info.endpoints.as_ref().map(|e| e.identity_cli);
        let list = match identity {
            Some(crate::release::model::IdentityCli::Keystone) => "keystone endpoint-list",
            _ => "openstack endpoint list",
        };
        record.why = Some(
            "What the cloud looks like before anything changes: the endpoint list tells which \
             Compute URLs to move at the end; the version tells the exact point release."
                .to_string(),
        );
        let cmds = vec![
            format!("BK={bk}"),
            "mkdir -p \"$BK\"".to_string(),
            format!("{list} > \"$BK/endpoints.txt\""),
            format!("{list} -f json > \"$BK/endpoints.json\""),
            "nova-manage --version > \"$BK/nova-version.txt\" 2>&1".to_string(),
        ];
        let cmds: Vec<String> = if list.starts_with("keystone") {
            cmds.into_iter()
                .filter(|c| !c.contains("-f json"))
                .collect()
        } else {
            cmds
        };
        record.notes.push(
            "Load the admin credentials first (. admin-openrc). nova-manage prints its version on \
             standard error on Python 2, hence the 2>&1."
                .to_string(),
        );
        let block = self.b.sh("one controller", &cmds, None, None);
        record.blocks.push(block);
        record.evidence = vec![
            "charm-guide@2a2fe65a:doc/source/admin/upgrades/openstack.rst:122-165".to_string(),
        ];
        steps.push(record);

        // Stop the services, controllers first (API first, conductor last).
        for role in self.roles() {
            let services = Self::services(from, role);
            let (required, optional): (Vec<&Service>, Vec<&Service>) =
                services.into_iter().rev().partition(|s| !s.optional);
            let os = self.os.clone();
            let mut step = self.b.step(
                format!("before.stop.{}", role.as_str()),
                StepKind::Service,
                format!("Stop and disable the {} services", role.as_str()),
                &[role],
            );
            step.why = Some(
                "Nothing may write to the databases while they are backed up and migrated, and a \
                 reboot (OS upgrades) must not start old code. Disabled services stay down until \
                 the finish. Stop order: the API first, the conductor last."
                    .to_string(),
            );
            if role == Role::Compute {
                step.notes
                    .push("Instances keep running while nova-compute is stopped.".to_string());
            }
            let cmds = self.b.service_commands(&required, &os, false)?;
            let on = step.who.clone();
            step.blocks.push(self.b.sh(&on, &cmds, None, None));
            if !optional.is_empty() {
                let block = self.b.optional_services(
                    &on,
                    &optional,
                    &os,
                    false,
                    "Only the services this node runs",
                )?;
                step.blocks.push(block);
            }
            step.evidence = vec![
                "nova@15.0.0:doc/source/upgrade.rst:80-112".to_string(),
                "facts: service units per release (releases/*/release.toml [[service]])"
                    .to_string(),
            ];
            steps.push(step);
        }

        // Back up.
        steps.extend(self.checkpoint("before", from, "Checkpoint before")?);

        // Keep services down while packages change.
        if let Some(facts) = self.b.procedure.distro(self.req.distro) {
            if !facts.hold_services.is_empty() {
                let roles = self.roles();
                let mut step = self.b.step(
                    "before.hold-services".to_string(),
                    StepKind::Package,
                    "Keep package upgrades from starting services",
                    &roles,
                );
                step.why = Some(
                    "The package scripts would otherwise start services on old or half-migrated \
                     databases between hops. Removed at the finish."
                        .to_string(),
                );
                step.notes.extend(facts.note.clone());
                step.evidence = facts.evidence.clone();
                let on = step.who.clone();
                step.blocks
                    .push(self.b.sh(&on, &facts.hold_services, None, None));
                steps.push(step);
            }
        }
        Ok(Section {
            id: "before".to_string(),
            title: "Before you start".to_string(),
            intro: Some(format!(
                "On {}. Backups go to {bk} on each node (the database dumps on the controller \
                 that runs them); copy them off the node as well.",
                self.b.os(&self.os)?.title
            )),
            steps,
        })
    }

    /// After a rebuild of the node that held the database server: the
    /// server again, the databases of checkpoint `at` restored, and their
    /// grants made again (a dump holds no users).
    fn restore_databases(
        &mut self,
        id: &str,
        at: &'c Release,
        install: &str,
    ) -> Result<Step, RunbookError> {
        let backup = self.b.procedure.backup.clone();
        let mut step = self.b.step(
            format!("{id}.os.restore-databases"),
            StepKind::Backup,
            format!(
                "On the rebuilt database server: MariaDB back, with the databases of checkpoint {}",
                at.name()
            ),
            &[Role::Controller],
        );
        step.who = "the database server (the controller in the guides)".to_string();
        step.when = Some(
            "the database server ran on a node rebuilt above (as in the install guides)"
                .to_string(),
        );
        step.why = Some(format!(
            "A rebuild wipes the node's disk, and MariaDB's data with it. The dumps of \
             checkpoint {} hold the databases but not their users, so the grants are made \
             again with the passwords the configuration already uses.",
            at.name()
        ));
        step.notes.push(
            "A fresh MariaDB's root has no password: give it DB_ROOT_PASS (mysql_secure_installation) \
             or leave DB_ROOT_PASS empty for this step. Put the server's own settings back too \
             (the install guides' /etc/my.cnf.d/openstack.cnf: bind-address and the rest) and \
             restart it before any other node connects."
                .to_string(),
        );
        step.evidence = backup.evidence.clone();
        let mut cmds = vec![
            shell::fill(install, "packages", &backup.server_packages),
            backup.server_start.clone(),
            format!("BK={}", self.backup_dir()),
        ];
        for db in &at.info.databases {
            let restore = shell::fill(
                &shell::fill(&backup.restore_database, "db", &db.name),
                "checkpoint",
                at.name(),
            );
            let grant = shell::fill(
                &shell::fill(
                    &shell::fill(&backup.grant, "db", &db.name),
                    "user",
                    db.user.as_deref().unwrap_or("nova"),
                ),
                "password",
                db.password.as_deref().unwrap_or("NOVA_DBPASS"),
            );
            match db.presence {
                Presence::Required => {
                    cmds.push(restore);
                    cmds.push(grant);
                }
                Presence::Optional => {
                    let dump = format!("\"$BK/{}-{}.sql\"", db.name, at.name());
                    cmds.push(format!("if [ -f {dump} ]; then {restore}; {grant}; fi"));
                }
                Presence::Unused => {}
            }
        }
        let on = step.who.clone();
        step.blocks.push(self.b.sh(&on, &cmds, None, None));
        Ok(step)
    }

    /// The backup of the databases `at` has and of its configuration, as
    /// checkpoint `name`.
    fn checkpoint(
        &mut self,
        name: &str,
        at: &'c Release,
        title: &str,
    ) -> Result<Vec<Step>, RunbookError> {
        let backup = self.b.procedure.backup.clone();
        let bk = self.backup_dir();
        let mut steps = Vec::new();
        self.checkpoints.push(name.to_string());
        let id = if name == "before" {
            "before.backup".to_string()
        } else {
            format!("{name}.checkpoint")
        };
        if self.b.roles.contains(&Role::Controller) {
            let mut step = self.b.step(
                format!("{id}.databases"),
                StepKind::Backup,
                format!("{title}: the databases"),
                &[Role::Controller],
            );
            step.who = "the database server (the controller in the guides)".to_string();
            let mut cmds = vec![format!("BK={bk}"), "mkdir -p \"$BK\"".to_string()];
            let mut listed = Vec::new();
            for db in &at.info.databases {
                let dump = shell::fill(
                    &shell::fill(&backup.database, "db", &db.name),
                    "checkpoint",
                    name,
                );
                match db.presence {
                    Presence::Required => cmds.push(dump),
                    Presence::Optional => {
                        let exists = shell::fill(&backup.exists, "db", &db.name);
                        cmds.push(format!("if {exists}; then {dump}; fi"));
                    }
                    Presence::Unused => continue,
                }
                listed.push(db.name.as_str());
            }
            step.why = Some(format!(
                "A restore point: there is no database downgrade. {} at {}.",
                listed.join(", "),
                at.info.title
            ));
            step.evidence = backup.evidence.clone();
            let on = step.who.clone();
            step.blocks.push(self.b.sh(&on, &cmds, None, None));
            steps.push(step);
        }
        let roles = self.roles();
        let mut step = self.b.step(
            format!("{id}.files"),
            StepKind::Backup,
            format!("{title}: the configuration"),
            &roles,
        );
        let paths: Vec<&str> = at
            .info
            .config_paths
            .iter()
            .map(String::as_str)
            .filter(|p| match self.req.distro {
                Distro::Ubuntu => !p.starts_with("/etc/httpd"),
                Distro::Rdo => !p.starts_with("/etc/apache2"),
            })
            .collect();
        let tar = shell::fill(
            &shell::fill(&backup.files, "paths", &paths.join(" ")),
            "checkpoint",
            name,
        );
        let on = step.who.clone();
        step.blocks.push(self.b.sh(
            &on,
            &[format!("BK={bk}"), "mkdir -p \"$BK\"".to_string(), tar],
            None,
            None,
        ));
        step.evidence = backup.evidence.clone();
        steps.push(step);
        Ok(steps)
    }

    fn repository(&self, r: &'c Release, os: &str) -> Result<&'c Repository, RunbookError> {
        r.info
            .repositories
            .iter()
            .find(|x| x.distro == self.req.distro && x.os == os)
            .ok_or_else(|| {
                RunbookError::Data(format!(
                    "releases/{}/release.toml has no {} repository for {os}",
                    r.name(),
                    self.req.distro.as_str()
                ))
            })
    }

    fn data_steps(&mut self, r: &Release, phase: UpgradePhase) -> Vec<Step> {
        let mut out = Vec::new();
        for s in r.info.upgrade.iter().filter(|s| s.phase == phase) {
            if !self.applies(s) {
                continue;
            }
            if let Some(step) = self.b.data_step(r.name(), s) {
                out.push(step);
            }
        }
        out
    }

    fn applies(&self, s: &UpgradeStep) -> bool {
        match &s.from_before {
            Some(b) => self
                .catalog
                .get(b)
                .is_some_and(|b| self.from.index < b.index),
            None => true,
        }
    }

    /// The OS change after `hop` when `next` has no repository on the OS
    /// the nodes run; `id` is the hop the steps belong to.
    fn os_change(
        &mut self,
        at: &'c Release,
        next: &Release,
        id: &str,
    ) -> Result<Vec<Step>, RunbookError> {
        let on_here = next
            .info
            .repositories
            .iter()
            .any(|x| x.distro == self.req.distro && x.os == self.os);
        if on_here {
            return Ok(Vec::new());
        }
        let Some(t) = at
            .info
            .os_transitions
            .iter()
            .find(|t| t.distro == self.req.distro && t.from == self.os)
        else {
            return Err(RunbookError::Data(format!(
                "{} has no {} repository for {} and {} names no OS change from it",
                next.name(),
                self.req.distro.as_str(),
                self.os,
                at.name()
            )));
        };
        let from_title = self.b.os(&t.from)?.title.clone();
        let to_title = self.b.os(&t.to)?.title.clone();
        let roles = self.roles();
        let mut steps = Vec::new();
        let mut step = self.b.step(
            format!("{id}.os.{}-to-{}", t.from, t.to),
            StepKind::Os,
            format!("Move the OS from {from_title} to {to_title}"),
            &roles,
        );
        step.irreversible = true;
        if at.index == self.from.index {
            // The starting release runs on both OSes: the node may have
            // moved already.
            step.when = Some(format!("this node still runs {from_title}"));
        }
        step.why = Some(format!(
            "{} is the last release built for {from_title} and {} is not: the OS must change \
             here, with {} still installed, after its database steps and checkpoint.",
            at.info.title, next.info.title, at.info.title
        ));
        step.notes.extend(t.note.clone());
        step.evidence = t.evidence.clone();
        match t.method {
            OsMethod::ReleaseUpgrade => {
                let step_when = step.when.clone();
                // The OS upgrade restarts the database server and more:
                // package scripts may start services again meanwhile (the
                // nova ones stay disabled), and are held again after it.
                let facts = self.b.procedure.distro(self.req.distro).cloned();
                let (release, hold) = facts
                    .map(|f| (f.release_services, f.hold_services))
                    .unwrap_or_default();
                let mut cmds = release.clone();
                cmds.extend(t.commands.iter().cloned());
                let on = step.who.clone();
                step.blocks.push(self.b.sh(&on, &cmds, None, None));
                if !release.is_empty() {
                    step.notes.push(
                        "policy-rc.d comes off for the OS upgrade (its package scripts must \
                         restart the database server and others); the nova services stay \
                         disabled, and it goes back after the reboot."
                            .to_string(),
                    );
                }
                step.notes.push(
                    "The last command reboots the node: log in again and go on with the next step."
                        .to_string(),
                );
                steps.push(step);
                let mut after = self.b.step(
                    format!("{id}.os.after-reboot"),
                    StepKind::Os,
                    format!(
                        "After the reboot: {} from {to_title}'s archive",
                        at.info.title
                    ),
                    &roles,
                );
                after.why = Some(format!(
                    "{} now comes from {to_title}'s own archive: drop the Cloud Archive lists and \
                     check that the installed release is still {}.",
                    at.info.title, at.info.title
                ));
                after.evidence = t.evidence.clone();
                after.when = step_when.clone();
                let on = after.who.clone();
                let mut cmds = t.after_reboot.clone();
                cmds.extend(hold);
                after.blocks.push(self.b.sh(&on, &cmds, None, None));
                // The new OS may manage services with another init, which
                // knows nothing of the old one's disabled state.
                for role in roles.clone() {
                    let services = Self::services(at, role);
                    let (required, optional): (Vec<&Service>, Vec<&Service>) =
                        services.into_iter().rev().partition(|s| !s.optional);
                    let on = format!("every {} node", role.as_str());
                    let cmds = self.b.service_commands(&required, &t.to, false)?;
                    let mut block = self.b.sh(&on, &cmds, None, None);
                    block.caption = format!(
                        "Then stop and disable the nova services again, on {on} ({} does not \
                         know what {from_title} disabled)",
                        to_title
                    );
                    after.blocks.push(block);
                    if !optional.is_empty() {
                        let block = self.b.optional_services(
                            &on,
                            &optional,
                            &t.to,
                            false,
                            "And those of them this node runs",
                        )?;
                        after.blocks.push(block);
                    }
                }
                steps.push(after);
            }
            OsMethod::Rebuild => {
                let rebuild_when = step.when.clone();
                if roles.contains(&Role::Compute) {
                    step.notes.push(
                        "Rebuilding a compute node ends the instances on it: live-migrate them \
                         to a compute node not yet rebuilt (or to one already on the new OS), \
                         or plan their downtime."
                            .to_string(),
                    );
                }
                step.title = format!(
                    "Rebuild the node on {to_title}: no in-place upgrade from {from_title}"
                );
                steps.push(step);
                let repo = self.repository(at, &t.to)?;
                let os = self.b.os(&t.to)?.clone();
                let mut reinstall = self.b.step(
                    format!("{id}.os.reinstall"),
                    StepKind::Os,
                    format!("On the rebuilt node: {} from the {to_title} repository, and the configuration back", at.info.title),
                    &roles,
                );
                reinstall.why = Some(format!(
                    "The node gets the same {} packages and its configuration from checkpoint \
                     {}. The databases belong to the release, not to the OS: on a database \
                     server of its own they stay as they are; on a rebuilt node they come back \
                     in the next step.",
                    at.info.title,
                    at.name()
                ));
                reinstall.when = rebuild_when;
                reinstall.notes.extend(repo.note.clone());
                reinstall.evidence = repo.evidence.clone();
                for role in roles.clone() {
                    let packages: Vec<String> = Self::services(at, role)
                        .into_iter()
                        .filter(|s| !s.optional)
                        .flat_map(|s| s.packages(self.req.distro).iter().cloned())
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect();
                    let mut cmds = repo.setup.clone();
                    cmds.push(shell::fill(&os.install, "packages", &packages.join(" ")));
                    cmds.push(format!("BK={}", self.backup_dir()));
                    cmds.push(shell::fill(
                        &self.b.procedure.backup.restore_files,
                        "checkpoint",
                        at.name(),
                    ));
                    let on = format!("every {} node", role.as_str());
                    let mut block = self.b.sh(&on, &cmds, None, None);
                    block.caption =
                        format!("On {on} (copy {} back to it first)", self.backup_dir());
                    reinstall.blocks.push(block);
                }
                steps.push(reinstall);
                if roles.contains(&Role::Controller) {
                    steps.push(self.restore_databases(id, at, &os.install)?);
                }
            }
        }
        self.os = t.to.clone();
        Ok(steps)
    }

    fn hop(
        &mut self,
        prev: &'c Release,
        hop: &'c Release,
        next: Option<&'c Release>,
        configs: &[HopConfig],
    ) -> Result<(Section, HopSummary), RunbookError> {
        let name = hop.name().to_string();
        let distro = self.req.distro;
        let os_at_start = self.os.clone();
        let mut steps = Vec::new();

        // An OS change the release we start from needs before this hop.
        if prev.index == self.from.index {
            steps.extend(self.os_change(prev, hop, &name)?);
        }
        let os_during = self.os.clone();

        steps.extend(self.data_steps(hop, UpgradePhase::Pre));

        // Services that disappear: disable and remove, with the old packages.
        let handled = |svc: &str| {
            hop.info
                .upgrade
                .iter()
                .any(|s| s.service.as_deref() == Some(svc))
        };
        let mut removed = Vec::new();
        for c in hop
            .info
            .service_changes
            .iter()
            .filter(|c| c.change == Change::Removed)
        {
            let Some(svc) = prev.info.services.iter().find(|s| s.name == c.service) else {
                continue;
            };
            let roles = self.b.covered(&svc.roles);
            if roles.is_empty() {
                continue;
            }
            removed.push(svc.name.clone());
            if handled(&svc.name) {
                continue;
            }
            let mut step = self.b.step(
                format!("{name}.service.remove-{}", shell::slug(&svc.name)),
                StepKind::Service,
                format!("Remove {} (gone in {})", svc.name, hop.info.title),
                &roles,
            );
            if svc.optional {
                step.when = Some(format!("this node runs {}", svc.name));
            }
            step.why = Some(format!(
                "{} has no {}: remove its package with the old packages, before the repository \
                 switch, so it does not hold the upgrade back.",
                hop.info.title, svc.name
            ));
            step.notes.extend(c.note.clone());
            step.evidence = c.evidence.clone();
            // Services were stopped and disabled before the first hop; a
            // web application is taken out of the web server here.
            let mut cmds = if svc.web.is_some() {
                self.b.service_commands(&[svc], &self.os, false)?
            } else {
                Vec::new()
            };
            // Packages no service of the new release still needs.
            let keep: std::collections::HashSet<&str> = hop
                .info
                .services
                .iter()
                .flat_map(|s| s.packages(distro).iter().map(String::as_str))
                .collect();
            let packages: Vec<&str> = svc
                .packages(distro)
                .iter()
                .map(String::as_str)
                .filter(|p| !keep.contains(p))
                .collect();
            if !packages.is_empty() {
                let os = self.b.os(&self.os)?;
                cmds.push(shell::fill(&os.remove, "packages", &packages.join(" ")));
            } else {
                step.notes.push(format!(
                    "Its package ({}) stays: other services of {} still need it. The service was stopped and disabled before the first hop.",
                    svc.packages(distro).join(", "),
                    hop.info.title
                ));
            }
            if !cmds.is_empty() {
                let on = step.who.clone();
                step.blocks.push(self.b.sh(&on, &cmds, None, None));
            }
            steps.push(step);
        }

        // The repository switch and the package upgrade, on every node.
        let repo = self.repository(hop, &self.os)?;
        let roles = self.roles();
        let mut step = self.b.step(
            format!("{name}.repo.switch"),
            StepKind::Repo,
            format!(
                "Switch the package repository to {} ({})",
                hop.info.title,
                self.b.os(&self.os)?.title
            ),
            &roles,
        );
        step.why = Some(source_text(repo));
        step.notes.extend(repo.note.clone());
        step.evidence = repo.evidence.clone();
        let cmds: Vec<String> = repo.remove.iter().chain(&repo.setup).cloned().collect();
        if cmds.is_empty() {
            step.notes
                .push("Nothing to run: the release comes from the OS's own archive.".to_string());
        } else {
            let on = step.who.clone();
            step.blocks.push(self.b.sh(&on, &cmds, None, None));
        }
        steps.push(step);
        let mut step = self.b.step(
            format!("{name}.packages.upgrade"),
            StepKind::Package,
            format!("Upgrade the packages to {}", hop.info.title),
            &roles,
        );
        step.why = Some(format!(
            "Installs {}'s nova (nova {}) with its database migrations; the services stay stopped.",
            hop.info.title, hop.info.nova_version
        ));
        if let Some(facts) = self.b.procedure.distro(distro) {
            step.notes.extend(facts.note.clone());
        }
        step.evidence = repo.evidence.clone();
        let on = step.who.clone();
        step.blocks.push(self.b.sh(&on, &repo.upgrade, None, None));
        steps.push(step);

        // Services that appear: install them (they start at the finish).
        let mut added = Vec::new();
        for role in self.roles() {
            for svc in Self::services(hop, role) {
                if svc.optional || prev.info.services.iter().any(|s| s.name == svc.name) {
                    continue;
                }
                if added.contains(&svc.name) {
                    continue;
                }
                added.push(svc.name.clone());
                if handled(&svc.name) {
                    continue;
                }
                let roles = self.b.covered(&svc.roles);
                let mut step = self.b.step(
                    format!("{name}.service.add-{}", shell::slug(&svc.name)),
                    StepKind::Service,
                    format!("Install {} (new in {})", svc.name, hop.info.title),
                    &roles,
                );
                step.why = Some("It starts with the others at the finish.".to_string());
                step.notes.extend(svc.note.clone());
                step.evidence = svc.evidence.clone();
                let os = self.b.os(&self.os)?;
                let cmd = shell::fill(&os.install, "packages", &svc.packages(distro).join(" "));
                let on = step.who.clone();
                step.blocks.push(self.b.sh(&on, &[cmd], None, None));
                steps.push(step);
            }
        }

        // The config changes of the hop.
        let mut config_changes = 0;
        let mut manual_from_migration = Vec::new();
        if configs.is_empty() {
            steps.push(self.rules_checklist(hop));
        } else {
            for c in configs {
                config_changes += c.changes.len();
                let mut step = self.b.step(
                    format!("{name}.config.{}", shell::slug(&file_stem(&c.file))),
                    StepKind::Config,
                    format!("Config changes for {} in {}", c.file, hop.info.title),
                    &[],
                );
                step.who = format!("the nodes that use {}", c.file);
                if c.changes.is_empty() {
                    step.why = Some(format!("Nothing in {} changes at this hop.", c.file));
                } else {
                    step.why = Some(format!(
                        "What `stackhop migrate` changes in {} for {} (secrets masked). Rules \
                         marked review need a person to look.",
                        c.file, hop.info.title
                    ));
                    step.blocks.push(Block {
                        lang: "diff".to_string(),
                        caption: format!("{} before and after {}", c.file, hop.info.title),
                        code: c.diff.trim_end().to_string(),
                    });
                    step.changes = c.changes.clone();
                }
                steps.push(step);
                for m in &c.manual {
                    // The release data has the steps for services, databases,
                    // cells and placement; a requirement is asked for once.
                    let by_data = matches!(
                        m.kind,
                        ManualKind::ServiceRemoved
                            | ManualKind::ServiceAdded
                            | ManualKind::Database
                            | ManualKind::Cells
                            | ManualKind::Placement
                    );
                    if by_data || !self.still_required(m) || self.asked.contains(&m.rule) {
                        continue;
                    }
                    if manual_from_migration
                        .iter()
                        .any(|(id, _): &(String, _)| id == &m.rule)
                    {
                        continue;
                    }
                    manual_from_migration.push((m.rule.clone(), m.clone()));
                }
            }
        }
        steps.extend(self.data_steps(hop, UpgradePhase::Config));
        for (rule, _) in &manual_from_migration {
            self.asked.push(rule.clone());
        }
        for (rule, m) in &manual_from_migration {
            let roles = if m.roles.is_empty() {
                self.roles()
            } else {
                self.b.covered(&m.roles)
            };
            if roles.is_empty() {
                continue;
            }
            let kind = match m.kind {
                ManualKind::Database => StepKind::Db,
                ManualKind::Cells => StepKind::Cells,
                ManualKind::Placement => StepKind::Placement,
                ManualKind::Endpoint => StepKind::Endpoint,
                ManualKind::Config | ManualKind::Requirement => StepKind::Config,
                _ => StepKind::Manual,
            };
            let title = if m.kind == ManualKind::Requirement {
                format!("Set the options {} requires ({rule})", hop.info.title)
            } else {
                first_sentence(&m.text)
            };
            let mut step = self.b.step(
                format!("{name}.manual.{}", shell::slug(rule)),
                kind,
                title,
                &roles,
            );
            step.why = Some(m.text.clone());
            if !m.commands.is_empty() {
                let on = step.who.clone();
                step.blocks.push(self.b.sh(&on, &m.commands, None, None));
            }
            step.evidence = vec![format!("stackhop migrate: rule {rule}")];
            steps.push(step);
        }

        steps.extend(self.data_steps(hop, UpgradePhase::Db));
        if let Some(step) = self.serve_placement(hop)? {
            steps.push(step);
        }
        steps.extend(self.data_steps(hop, UpgradePhase::Post));
        steps.extend(self.checkpoint(&name, hop, &format!("Checkpoint {name}"))?);
        if let Some(next) = next {
            steps.extend(self.os_change(hop, next, &name)?);
        }

        let os = if os_at_start == self.os {
            os_at_start.clone()
        } else if os_at_start != os_during {
            format!("{os_at_start} → {os_during}")
        } else {
            format!("{os_at_start} → {}", self.os)
        };
        let databases_new = hop
            .info
            .databases
            .iter()
            .filter(|d| d.presence == Presence::Required)
            .filter_map(|d| {
                let before = prev.info.databases.iter().find(|p| p.name == d.name);
                match before.map(|p| p.presence) {
                    Some(Presence::Required) => None,
                    Some(Presence::Optional) => Some(format!("{} (required from here)", d.name)),
                    _ => Some(d.name.clone()),
                }
            })
            .collect();
        // Services a data step of the hop brings in (placement at Ocata).
        for s in &hop.info.upgrade {
            let Some(svc) = &s.service else { continue };
            let before = prev.info.services.iter().find(|p| &p.name == svc);
            let new_here = before.is_none_or(|p| p.optional)
                && hop.info.services.iter().any(|x| &x.name == svc)
                && !self.b.covered(&s.roles).is_empty();
            if new_here && !added.contains(svc) {
                added.push(svc.clone());
            }
        }
        let summary = HopSummary {
            release: name.clone(),
            title: hop.info.title.clone(),
            nova_version: hop.info.nova_version.clone(),
            os,
            services_added: added,
            services_removed: removed,
            databases_new,
            config_changes,
            irreversible: steps
                .iter()
                .filter(|s| s.irreversible)
                .map(|s| s.id.clone())
                .collect(),
            manual_steps: steps
                .iter()
                .filter(|s| s.blocks.iter().all(|b| b.lang != "sh") || s.when.is_some())
                .count(),
            steps: steps.len(),
        };
        let section = Section {
            id: name.clone(),
            title: format!("Hop to {} (nova {})", hop.info.title, hop.info.nova_version),
            intro: hop.info.note.clone(),
            steps,
        };
        Ok((section, summary))
    }

    /// nova-status calls the placement endpoint: before its check, the
    /// web server serves placement with the hop's code (where the data does
    /// not do it itself).
    fn serve_placement(&mut self, hop: &'c Release) -> Result<Option<Step>, RunbookError> {
        let has_check = hop.info.upgrade.iter().any(|s| s.id == "check.status");
        let by_data = hop.info.upgrade.iter().any(|s| s.id == "placement.start");
        if !has_check || by_data || !self.b.roles.contains(&Role::Controller) {
            return Ok(None);
        }
        let web: Vec<&Service> = Self::services(hop, Role::Controller)
            .into_iter()
            .filter(|s| s.web.is_some())
            .collect();
        if web.is_empty() {
            return Ok(None);
        }
        let mut step = self.b.step(
            format!("{}.placement.serve", hop.name()),
            StepKind::Placement,
            format!("Serve placement with {}'s code", hop.info.title),
            &[Role::Controller],
        );
        step.why = Some(
            "nova-status upgrade check calls the placement endpoint. The web server is reloaded, not stopped (it may serve keystone too); placement stays idle while nova is stopped."
                .to_string(),
        );
        step.evidence = vec!["nova@15.0.0:nova/cmd/status.py:190-227".to_string()];
        let os = self.os.clone();
        let cmds = self.b.service_commands(&web, &os, true)?;
        let on = step.who.clone();
        step.blocks.push(self.b.sh(&on, &cmds, None, None));
        Ok(Some(step))
    }

    /// A requirement the migration reports still holds at the target
    /// (one that ends before it is only needed by services that never run
    /// on the way).
    fn still_required(&self, m: &crate::report::view::ManualStepView) -> bool {
        if m.kind != ManualKind::Requirement {
            return true;
        }
        let until = self
            .catalog
            .releases()
            .iter()
            .flat_map(|r| &r.info.requirements)
            .find(|q| q.id == m.rule)
            .and_then(|q| q.until.as_deref())
            .and_then(|u| self.catalog.get(u));
        until.is_none_or(|u| u.index > self.to.index)
    }

    /// Without a config: the hop's rules and requirements, to check by hand.
    fn rules_checklist(&mut self, hop: &Release) -> Step {
        let mut step = self.b.step(
            format!("{}.config.rules", hop.name()),
            StepKind::Config,
            format!(
                "Config changes of {} (check nova.conf by hand)",
                hop.info.title
            ),
            &self.roles(),
        );
        step.why = Some(format!(
            "No --config was given: these are the rules `stackhop migrate` applies at {}. \
             `stackhop migrate /etc/nova/nova.conf --from {} --to {} --diff` shows them on a \
             real file.",
            hop.info.title,
            self.from.name(),
            self.to.name()
        ));
        for rule in self.book.rules_of(hop.name()) {
            if !rule.roles.is_empty() && self.b.covered(&rule.roles).is_empty() {
                continue;
            }
            step.checklist
                .push(format!("{}: {}", rule.id, rule.summary));
        }
        for req in &hop.info.requirements {
            if self.b.covered(&req.roles).is_empty() {
                continue;
            }
            let options: Vec<String> = req.options.iter().map(|o| o.to_string()).collect();
            step.checklist
                .push(format!("{}: set {}", req.id, options.join(", ")));
        }
        step.checklist.push(format!(
            "options {} no longer has are removed (see `stackhop check --release {}`)",
            hop.info.title,
            hop.name()
        ));
        step
    }

    fn finish(&mut self) -> Result<Section, RunbookError> {
        let to = self.to;
        let distro = self.req.distro;
        let roles = self.roles();
        let mut steps = Vec::new();

        let mut check = self.b.step(
            "finish.check-config".to_string(),
            StepKind::Config,
            format!("Check that {}'s configuration is in place", to.info.title),
            &roles,
        );
        check.why = Some(format!(
            "Every hop's config changes applied, the files should pass {}'s check with no error.",
            to.info.title
        ));
        for role in &roles {
            let cmd = format!(
                "stackhop check --release {} --role {} /etc/nova/nova.conf",
                to.name(),
                role.as_str()
            );
            let on = format!(
                "every {} node (or a copy of its nova.conf where stackhop runs)",
                role.as_str()
            );
            check.blocks.push(self.b.sh(&on, &[cmd], None, None));
        }
        steps.push(check);

        let mut start_steps = 0;
        for r in self.catalog.releases().iter().take(to.index + 1) {
            let more = self.data_steps(r, UpgradePhase::Start);
            start_steps += more.len();
            steps.extend(more);
        }

        if let Some(facts) = self.b.procedure.distro(distro) {
            if !facts.release_services.is_empty() {
                let mut step = self.b.step(
                    "finish.release-services".to_string(),
                    StepKind::Package,
                    "Let package scripts start services again",
                    &roles,
                );
                step.evidence = facts.evidence.clone();
                let on = step.who.clone();
                step.blocks
                    .push(self.b.sh(&on, &facts.release_services, None, None));
                steps.push(step);
            }
        }

        // Start in nova's order: placement, conductor, scheduler, proxies,
        // computes, the API last.
        let mut all: Vec<(&Service, Role)> = Vec::new();
        for role in &roles {
            for s in Self::services(to, *role) {
                all.push((s, *role));
            }
        }
        all.sort_by_key(|(s, _)| s.start);
        let mut groups: Vec<(Role, Vec<&Service>)> = Vec::new();
        for (s, role) in all {
            match groups.last_mut() {
                Some((r, v)) if *r == role => v.push(s),
                _ => groups.push((role, vec![s])),
            }
        }
        let mut seen = Vec::new();
        for (role, services) in groups {
            let id = if seen.contains(&role) {
                format!("finish.start.{}-last", role.as_str())
            } else {
                format!("finish.start.{}", role.as_str())
            };
            seen.push(role);
            let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
            let mut step = self.b.step(
                id,
                StepKind::Service,
                format!("Enable and start {}", names.join(", ")),
                &[role],
            );
            step.why = Some(
                "Nova's order: placement before any nova service, nova-conductor first, \
                 nova-compute on every compute, nova-api last."
                    .to_string(),
            );
            step.evidence = vec![
                "nova@15.0.0:doc/source/upgrade.rst:85-91".to_string(),
                "nova@18.0.0:doc/source/user/upgrade.rst:83-87".to_string(),
            ];
            let (required, optional): (Vec<&Service>, Vec<&Service>) =
                services.into_iter().partition(|s| !s.optional);
            let os = self.os.clone();
            let on = step.who.clone();
            if !required.is_empty() {
                let cmds = self.b.service_commands(&required, &os, true)?;
                step.blocks.push(self.b.sh(&on, &cmds, None, None));
            }
            if !optional.is_empty() {
                let block = self.b.optional_services(
                    &on,
                    &optional,
                    &os,
                    true,
                    "Only the services this node ran before",
                )?;
                step.blocks.push(block);
            }
            if !step.blocks.is_empty() {
                steps.push(step);
            }
        }

        for r in self.catalog.releases().iter().take(to.index + 1) {
            steps.extend(self.data_steps(r, UpgradePhase::Started));
        }
        if start_steps > 0 {
            steps.extend(self.restart()?);
        }
        if self.b.roles.contains(&Role::Controller) {
            steps.push(self.endpoints()?);
        }
        Ok(Section {
            id: "finish".to_string(),
            title: format!("Finish: {} in service", to.info.title),
            intro: Some(format!("On {}.", self.b.os(&self.os)?.title)),
            steps,
        })
    }

    /// Every service restarted once all run the target: what the start
    /// steps set for the first start (a pinned RPC version, the FFU
    /// workaround) is read again.
    fn restart(&mut self) -> Result<Vec<Step>, RunbookError> {
        let to = self.to;
        let os = self.b.os(&self.os)?.clone();
        let init = self
            .b
            .procedure
            .init(&os.init)
            .ok_or_else(|| RunbookError::Data(format!("no init {:?}", os.init)))?
            .clone();
        let mut steps = Vec::new();
        for role in self.roles() {
            let services: Vec<&Service> = Self::services(to, role)
                .into_iter()
                .filter(|s| !s.optional && s.web.is_none())
                .collect();
            if services.is_empty() {
                continue;
            }
            let mut step = self.b.step(
                format!("finish.restart.{}", role.as_str()),
                StepKind::Service,
                format!(
                    "Restart the {} services once every compute runs {}",
                    role.as_str(),
                    to.info.title
                ),
                &[role],
            );
            step.why = Some(
                "Controllers read the computes' RPC version once at start ([upgrade_levels]                  compute = auto), and the settings of the first start (the FFU workaround)                  stay until a restart."
                    .to_string(),
            );
            step.notes.push(
                "DERIVED from nova/compute/rpcapi.py (the version cap is cached until SIGHUP or restart)."
                    .to_string(),
            );
            step.evidence = vec!["nova@23.0.0:nova/compute/rpcapi.py:472-536".to_string()];
            let cmds: Vec<String> = services
                .iter()
                .flat_map(|s| s.units(self.req.distro).iter())
                .map(|u| shell::fill(&init.restart, "unit", u))
                .collect();
            let on = step.who.clone();
            step.blocks.push(self.b.sh(&on, &cmds, None, None));
            steps.push(step);
        }
        Ok(steps)
    }

    /// Moving the Compute endpoints to the target's form.
    fn endpoints(&mut self) -> Result<Step, RunbookError> {
        let to = self.to;
        let target = to
            .info
            .endpoints
            .as_ref()
            .map(|e| e.compute.clone())
            .ok_or_else(|| {
                RunbookError::Data(format!(
                    "releases/{}/release.toml has no [endpoints]",
                    to.name()
                ))
            })?;
        let path = url_path(&target).to_string();
        let mut step = self.b.step(
            "finish.endpoints".to_string(),
            StepKind::Endpoint,
            format!(
                "Move the Compute endpoints to {}'s form (…{path})",
                to.info.title
            ),
            &[Role::Controller],
        );
        step.why = Some(format!(
            "{}'s install guide registers {target}. Older forms (…/v2/%(tenant_id)s, \
             …/v2.1/%(tenant_id)s) keep working through Wallaby, so this is recommended, not \
             required; keep each endpoint's scheme, host and port.",
            to.info.title
        ));
        step.evidence = to
            .info
            .endpoints
            .as_ref()
            .map(|e| e.evidence.clone())
            .unwrap_or_default();
        let keystone_v2 = to
            .info
            .endpoints
            .as_ref()
            .is_some_and(|e| e.identity_cli == crate::release::model::IdentityCli::Keystone);
        let on = step.who.clone();
        match self.req.endpoints {
            Some(records) => {
                let mut cmds = Vec::new();
                for e in records.iter().filter(|e| e.is_compute()) {
                    let new = format!("{}{path}", url_origin(&e.url));
                    if new != e.url {
                        cmds.push(format!("openstack endpoint set --url {new} {}", e.id));
                        step.checklist.push(format!(
                            "{} {} {}: {} → {new}",
                            e.region.as_deref().unwrap_or("-"),
                            e.interface.as_deref().unwrap_or("-"),
                            e.id,
                            e.url
                        ));
                    }
                }
                if cmds.is_empty() {
                    step.notes.push(format!(
                        "Every Compute endpoint in the list already ends in {path}: nothing to do."
                    ));
                } else {
                    step.blocks.push(self.b.sh(&on, &cmds, None, None));
                }
            }
            None if keystone_v2 => {
                step.notes
                    .push("Nothing to move: the target still uses …/v2/%(tenant_id)s.".to_string());
            }
            None => {
                let list =
                    "openstack endpoint list --service compute -f value -c ID -c Interface -c URL"
                        .to_string();
                step.blocks.push(self.b.sh(&on, &[list], None, None));
                step.checklist.push(format!(
                    "for each endpoint whose URL does not end in {path}: openstack endpoint set \
                     --url SCHEME://HOST:PORT{path} ID (keep its scheme, host and port)"
                ));
                step.notes.push(
                    "Give --endpoints with the output of `openstack endpoint list -f json` to get \
                     the exact commands."
                        .to_string(),
                );
            }
        }
        Ok(step)
    }

    fn verify(&mut self) -> Section {
        let to = self.to;
        let mut steps = Vec::new();
        for cmd in &to.info.verify {
            // nova-manage and placement-manage run as their service user, so
            // that their log files stay theirs.
            let user = if cmd.starts_with("nova-manage ") {
                Some("nova")
            } else if cmd.starts_with("placement-manage ") {
                Some("placement")
            } else {
                None
            };
            let mut step = self.b.step(
                format!("verify.{}", shell::slug(cmd)),
                StepKind::Verify,
                format!("`{cmd}`"),
                &[Role::Controller],
            );
            step.evidence = vec![format!("releases/{}/release.toml verify", to.name())];
            let on = step.who.clone();
            step.blocks
                .push(self.b.sh(&on, std::slice::from_ref(cmd), user, None));
            steps.push(step);
        }
        Section {
            id: "verify".to_string(),
            title: "Verify".to_string(),
            intro: Some(
                "Every service up and enabled, cell0 and cell1 listed, the readiness checks \
                 passed, the Compute endpoints in the catalog."
                    .to_string(),
            ),
            steps,
        }
    }

    fn rollback(&mut self) -> Result<Section, RunbookError> {
        let from = self.from;
        let backup = self.b.procedure.backup.clone();
        let mut step = self.b.step(
            "rollback.restore".to_string(),
            StepKind::Rollback,
            format!("Go back to a checkpoint ({} shown)", from.info.title),
            &self.roles(),
        );
        step.why = Some(
            "There is no downgrade: database migrations, cell mappings, the placement copy and OS \
             changes cannot be undone in place. To go back, stop every nova service, restore the \
             databases and configuration of a checkpoint, put that release's repository and \
             packages back, and start the services. Each hop's checkpoint has the same form, \
             named after the hop."
                .to_string(),
        );
        step.notes.push(format!(
            "Checkpoints, in order: {}.",
            self.checkpoints.join(", ")
        ));
        let mut cmds = vec![format!("BK={}", self.backup_dir())];
        for db in &from.info.databases {
            if db.presence == Presence::Unused {
                continue;
            }
            let restore = shell::fill(
                &shell::fill(&backup.restore_database, "db", &db.name),
                "checkpoint",
                "before",
            );
            match db.presence {
                Presence::Optional => cmds.push(format!(
                    "if [ -f \"$BK/{}-before.sql\" ]; then {restore}; fi",
                    db.name
                )),
                _ => cmds.push(restore),
            }
        }
        if self.b.roles.contains(&Role::Controller) {
            step.blocks.push(self.b.sh(
                "the database server (the controller in the guides)",
                &cmds,
                None,
                None,
            ));
        }
        let files = shell::fill(&backup.restore_files, "checkpoint", "before");
        let on = step.who.clone();
        step.blocks.push(self.b.sh(
            &on,
            &[format!("BK={}", self.backup_dir()), files],
            None,
            None,
        ));
        step.evidence = backup.evidence.clone();
        Ok(Section {
            id: "rollback".to_string(),
            title: "Rollback".to_string(),
            intro: None,
            steps: vec![step],
        })
    }
}

fn source_text(repo: &Repository) -> String {
    use crate::release::model::RepoSource as S;
    match repo.source {
        S::Distro => "The release is in the OS's own archive.".to_string(),
        S::Uca => "The release comes from the Ubuntu Cloud Archive.".to_string(),
        S::RdoRpm => "The release comes from RDO's rdo-release package.".to_string(),
        S::CentosRelease => {
            "The release comes from the CentOS Cloud SIG (centos-release-openstack-*).".to_string()
        }
    }
}

fn file_stem(name: &str) -> String {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.strip_suffix(".conf").unwrap_or(base).to_string()
}

fn first_sentence(text: &str) -> String {
    let end = text
        .find(": ")
        .or_else(|| text.find(". "))
        .unwrap_or(text.len());
    text[..end].trim_end_matches('.').to_string()
}

/// `http://controller:8774/v2.1` → `/v2.1`.
fn url_path(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/').map_or("", |i| &rest[i..])
}

/// `http://controller:8774/v2/%(tenant_id)s` → `http://controller:8774`.
fn url_origin(url: &str) -> &str {
    let path = url_path(url);
    &url[..url.len() - path.len()]
}
