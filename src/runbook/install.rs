//! The install runbook: a release's install guide (`releases/<r>/install.toml`)
//! for one role and distribution, in the guide's order: the repository,
//! databases and grants, the identity user, service and endpoints (in that
//! release's CLI and URL form), packages, the config the guide writes (as
//! the file), sync and cell commands, services, verification. `--set`
//! fills the guide's placeholders; passwords among them reach only the
//! config files written for the operator, never the runbook.

use super::RunbookError;
use super::build::Builder;
use super::context::*;
use super::shell;
use super::upgrade::release_ref;
use crate::release::model::{ConfigSetting, InstallFile, InstallKind, InstallStep, Phase};
use crate::release::{Catalog, Distro, Release, Role};

/// What an install runbook is asked for.
#[derive(Debug, Clone)]
pub struct InstallRequest<'a> {
    /// A name or a nova version.
    pub release: &'a str,
    pub role: Role,
    pub distro: Distro,
    /// `NAME=VALUE`: a placeholder of the guide (`controller`, `NOVA_DBPASS`)
    /// or the key of an option it writes (`my_ip`).
    pub set: &'a [(String, String)],
}

/// A config file the guide writes, with every `--set` value in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigOut {
    /// `nova.conf`.
    pub name: String,
    pub role: Role,
    pub bytes: Vec<u8>,
}

struct Guide<'c> {
    release: &'c Release,
    file: &'c InstallFile,
}

fn guide<'c>(catalog: &'c Catalog, name: &str) -> Result<Guide<'c>, RunbookError> {
    let release = catalog.resolve(name).map_err(RunbookError::Usage)?;
    let Some(file) = release.install()? else {
        let full: Vec<&str> = catalog
            .releases()
            .iter()
            .filter(|r| r.data_level() == "full")
            .map(|r| r.name())
            .collect();
        return Err(RunbookError::Usage(format!(
            "{} has no install guide data; install runbooks exist for {}",
            release.name(),
            full.join(", ")
        )));
    };
    Ok(Guide { release, file })
}

/// Is `token` a whole word of `text`?
fn has_word(text: &str, token: &str) -> bool {
    text.match_indices(token).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + token.len()..].chars().next();
        !ident(before) && !ident(after)
    })
}

/// Does `c` join a word: a letter, digit or `_`; before it, also `$` and
/// `{` (an oslo.config reference, `$my_ip`, stays as it is).
fn ident(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '{'))
}

/// `text` with every whole-word `token` replaced.
fn replace_word(text: &str, token: &str, value: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    for (i, _) in text.match_indices(token) {
        if i < rest {
            continue;
        }
        let before = text[..i].chars().next_back();
        let after = text[i + token.len()..].chars().next();
        if ident(before) || ident(after) {
            continue;
        }
        out.push_str(&text[rest..i]);
        out.push_str(value);
        rest = i + token.len();
    }
    out.push_str(&text[rest..]);
    out
}

/// The settings the guide writes for the role on the distribution.
fn settings<'c>(g: &Guide<'c>, role: Role, distro: Distro) -> Vec<&'c ConfigSetting> {
    g.file
        .config
        .get(&role)
        .map(|v| {
            v.iter()
                .filter(|c| c.distro.is_none_or(|d| d == distro))
                .collect()
        })
        .unwrap_or_default()
}

/// Checks every `--set` name: a placeholder of the guide or an option key.
fn check_sets(g: &Guide, req: &InstallRequest) -> Result<(), RunbookError> {
    for (name, _) in req.set {
        let key = settings(g, req.role, req.distro)
            .iter()
            .any(|c| c.key == *name);
        let values = g.file.config.values().flatten().map(|c| c.value.as_str());
        let commands = g
            .file
            .steps
            .iter()
            .flat_map(|s| s.commands.iter().chain(&s.rdo))
            .map(String::as_str);
        let word = values.chain(commands).any(|t| has_word(t, name));
        let db = g.file.databases.iter().any(|d| d.password == *name);
        if !(key || word || db) {
            return Err(RunbookError::Usage(format!(
                "--set {name}: the {} install guide has no placeholder or option of that name",
                g.release.info.title
            )));
        }
    }
    Ok(())
}

/// Is `name` a secret: a variable marked so, or named like a password.
fn secret(catalog: &Catalog, name: &str) -> bool {
    let known = catalog
        .procedure()
        .ok()
        .and_then(|p| p.variable(name))
        .map(|v| v.secret);
    known.unwrap_or_else(|| crate::release::secret_name(name) || name.ends_with("PASS"))
}

/// `text` with the `--set` values applied: `secrets` says whether the
/// secret ones are too (config files) or not (the runbook).
fn apply(catalog: &Catalog, text: &str, set: &[(String, String)], secrets: bool) -> String {
    let mut out = text.to_string();
    for (name, value) in set {
        if secrets || !secret(catalog, name) {
            out = replace_word(&out, name, value);
        }
    }
    out
}

fn value_of(
    catalog: &Catalog,
    c: &ConfigSetting,
    set: &[(String, String)],
    secrets: bool,
) -> String {
    if let Some((name, value)) = set.iter().find(|(n, _)| *n == c.key) {
        if secrets || !secret(catalog, name) {
            return value.clone();
        }
    }
    apply(catalog, &c.value, set, secrets)
}

/// The config file as lines: sections in the guide's order, `[DEFAULT]`
/// first; settings the guide writes only under a condition are comments
/// (`show_conditional`) or left out.
fn config_lines(
    catalog: &Catalog,
    g: &Guide,
    req: &InstallRequest,
    secrets: bool,
    show_conditional: bool,
) -> Vec<String> {
    let all = settings(g, req.role, req.distro);
    let mut sections: Vec<&str> = Vec::new();
    if all.iter().any(|c| c.section == "DEFAULT") {
        sections.push("DEFAULT");
    }
    for c in &all {
        if !sections.contains(&c.section.as_str()) {
            sections.push(&c.section);
        }
    }
    let mut lines = Vec::new();
    for section in sections {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!("[{section}]"));
        for c in all.iter().filter(|c| c.section == section) {
            let value = value_of(catalog, c, req.set, secrets);
            match &c.when {
                Some(when) if show_conditional => {
                    lines.push(format!("# only if {when}:"));
                    lines.push(format!("#{} = {value}", c.key));
                }
                Some(_) => {}
                None => lines.push(format!("{} = {value}", c.key)),
            }
        }
    }
    lines
}

/// The config files the guide writes for the role, with every `--set`
/// value (passwords included) in them, for `--write-configs`.
pub fn install_configs(
    catalog: &Catalog,
    req: &InstallRequest,
) -> Result<Vec<ConfigOut>, RunbookError> {
    let g = guide(catalog, req.release)?;
    check_sets(&g, req)?;
    let mut text = format!(
        "# nova.conf of the {} {}, as the {} install guide writes it ({}).\n",
        g.release.info.title,
        req.role.as_str(),
        req.distro.title(),
        super::generator()
    );
    for line in config_lines(catalog, &g, req, true, false) {
        text.push_str(&line);
        text.push('\n');
    }
    Ok(vec![ConfigOut {
        name: "nova.conf".to_string(),
        role: req.role,
        bytes: text.into_bytes(),
    }])
}

/// `juno-controller-create-db` → `juno.controller.create-db`.
fn step_id(release: &str, id: &str) -> String {
    let rest = id
        .strip_prefix(release)
        .and_then(|r| r.strip_prefix('-'))
        .unwrap_or(id);
    match rest.split_once('-') {
        Some((area, name)) => format!("{release}.{area}.{name}"),
        None => format!("{release}.install.{rest}"),
    }
}

fn kind_of(s: &InstallStep) -> StepKind {
    let all = s.commands.join("\n");
    match s.phase {
        Phase::Prerequisites if s.kind == InstallKind::Databases => StepKind::Db,
        Phase::Prerequisites if all.starts_with("keystone") || all.contains("openstack ") => {
            StepKind::Identity
        }
        Phase::Prerequisites => StepKind::Manual,
        Phase::Install => StepKind::Package,
        Phase::Configure => StepKind::Config,
        Phase::Populate if all.contains("cell_v2") => StepKind::Cells,
        Phase::Populate => StepKind::Db,
        Phase::Finalize => StepKind::Service,
        Phase::Verify if all.contains("cell_v2") => StepKind::Cells,
        Phase::Verify => StepKind::Verify,
    }
}

fn phase_title(p: Phase) -> &'static str {
    match p {
        Phase::Prerequisites => "Prerequisites: databases and identity",
        Phase::Install => "Install the packages",
        Phase::Configure => "Configure",
        Phase::Populate => "Populate the databases",
        Phase::Finalize => "Start the services",
        Phase::Verify => "Verify",
    }
}

/// Builds the install runbook's context.
pub fn install(catalog: &Catalog, req: &InstallRequest) -> Result<RunbookContext, RunbookError> {
    let g = guide(catalog, req.release)?;
    check_sets(&g, req)?;
    let release = g.release;
    let rel = release.name();
    let mut b = Builder::new(catalog, req.distro, vec![req.role])?;
    let mut sections = Vec::new();

    // The release's packages: the repository.
    let repo = release
        .info
        .repositories
        .iter()
        .find(|r| r.distro == req.distro)
        .ok_or_else(|| {
            RunbookError::Data(format!(
                "releases/{rel}/release.toml has no {} repository",
                req.distro.as_str()
            ))
        })?;
    let os = b.os(&repo.os)?.title.clone();
    let mut step = b.step(
        format!("{rel}.{}.repository", req.role.as_str()),
        StepKind::Repo,
        format!("Enable the {} packages ({os})", release.info.title),
        &[req.role],
    );
    step.why = Some(format!(
        "From the guide's environment chapter: {} packages for {os}.",
        release.info.title
    ));
    step.notes.extend(repo.note.clone());
    step.evidence = repo.evidence.clone();
    let mut cmds = repo.setup.clone();
    cmds.extend(repo.upgrade.iter().cloned());
    if !repo.client.is_empty() {
        let os = b.os(&repo.os)?;
        cmds.push(shell::fill(&os.install, "packages", &repo.client.join(" ")));
    }
    let on = step.who.clone();
    step.blocks.push(b.sh(&on, &cmds, None, None));
    sections.push(Section {
        id: "repository".to_string(),
        title: "Package repository".to_string(),
        intro: None,
        steps: vec![step],
    });

    let phases = [
        Phase::Prerequisites,
        Phase::Install,
        Phase::Configure,
        Phase::Populate,
        Phase::Finalize,
        Phase::Verify,
    ];
    for phase in phases {
        let mut steps = Vec::new();
        for s in g
            .file
            .steps
            .iter()
            .filter(|s| s.phase == phase && s.role == req.role)
        {
            let Some(commands) = s.commands(req.distro) else {
                continue;
            };
            let kind = kind_of(s);
            let mut step = b.step(step_id(rel, &s.id), kind, s.title.clone(), &[req.role]);
            step.notes.extend(s.note.clone());
            step.evidence = g.file.evidence.iter().take(1).cloned().collect();
            let on = step.who.clone();
            if s.kind == InstallKind::Databases {
                let facts = b.procedure.distro(req.distro).ok_or_else(|| {
                    RunbookError::Data("procedure.toml lacks a distro".to_string())
                })?;
                let mut sql = Vec::new();
                for d in &g.file.databases {
                    sql.push(format!("CREATE DATABASE IF NOT EXISTS {};", d.name));
                    for h in &d.hosts {
                        sql.push(format!(
                            "GRANT ALL PRIVILEGES ON {}.* TO '{}'@'{h}' IDENTIFIED BY '{}';",
                            d.name, d.user, d.password
                        ));
                    }
                }
                let cmd = format!("{} -e \"{}\"", facts.mysql, sql.join(" "));
                step.why = Some(
                    "The guide types this SQL into the mysql client as root; here it is one \
                     command, with the password from the variable."
                        .to_string(),
                );
                step.blocks.push(b.sh(&on, &[cmd], None, None));
            } else if !commands.is_empty() {
                let cmds: Vec<String> = commands
                    .iter()
                    .map(|c| apply(catalog, c, req.set, false))
                    .collect();
                step.blocks.push(b.sh(&on, &cmds, None, None));
            }
            steps.push(step);
        }
        if phase == Phase::Configure {
            let mut step = b.step(
                format!("{rel}.{}.config.file", req.role.as_str()),
                StepKind::Config,
                "Write the options into /etc/nova/nova.conf",
                &[req.role],
            );
            step.why = Some(
                "Every option the steps above name, as the guide writes it: set these in the \
                 [sections] of /etc/nova/nova.conf (keep the file's other options). Upper-case \
                 names are the guide's placeholders: put in the real values, or write the file \
                 with `--write-configs DIR`."
                    .to_string(),
            );
            let lines = config_lines(catalog, &g, req, false, true);
            step.blocks.push(Block {
                lang: "ini".to_string(),
                caption: format!("/etc/nova/nova.conf on {}", step.who),
                code: format!(
                    "# /etc/nova/nova.conf on {}\n{}",
                    step.who,
                    lines.join("\n")
                ),
            });
            for c in settings(&g, req.role, req.distro) {
                if let Some(n) = &c.note {
                    step.checklist
                        .push(format!("[{}] {}: {n}", c.section, c.key));
                }
            }
            steps.push(step);
        }
        if !steps.is_empty() {
            sections.push(Section {
                id: format!("{phase:?}").to_lowercase(),
                title: phase_title(phase).to_string(),
                intro: None,
                steps,
            });
        }
    }
    let ep = release.info.endpoints.as_ref();
    let mut notes = vec![format!("Follows {}.", g.file.guide)];
    if let Some(e) = ep {
        notes.push(format!(
            "Identity commands use the {} client; the Compute endpoint is {}.",
            match e.identity_cli {
                crate::release::model::IdentityCli::Keystone => "keystone (identity v2)",
                crate::release::model::IdentityCli::Openstack => "openstack",
            },
            apply(catalog, &e.compute, req.set, false)
        ));
    }
    notes.push(
        "Commands refer to passwords as shell variables; no password appears in this runbook."
            .to_string(),
    );
    Ok(RunbookContext {
        schema: SCHEMA,
        kind: RunbookKind::Install,
        title: format!(
            "Install runbook: {} {} ({})",
            release.info.title,
            req.role.as_str(),
            req.distro.title()
        ),
        generator: super::generator(),
        from: None,
        to: release_ref(release),
        role: Some(req.role),
        roles: vec![req.role],
        distro: req.distro,
        distro_title: req.distro.title().to_string(),
        detected: None,
        configs: Vec::new(),
        variables: b.variables(),
        summary: None,
        notes,
        sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_replaced_whole() {
        assert_eq!(
            replace_word(
                "http://controller:8774 controller_x xcontroller",
                "controller",
                "ctl01"
            ),
            "http://ctl01:8774 controller_x xcontroller"
        );
        assert_eq!(
            replace_word("$my_ip my_ip", "my_ip", "10.0.0.1"),
            "$my_ip 10.0.0.1"
        );
        assert!(has_word("a NOVA_DBPASS b", "NOVA_DBPASS"));
        assert!(!has_word("a NOVA_DBPASSX b", "NOVA_DBPASS"));
    }

    #[test]
    fn step_ids_name_release_area_and_step() {
        assert_eq!(
            step_id("juno", "juno-controller-create-db"),
            "juno.controller.create-db"
        );
        assert_eq!(
            step_id("juno", "juno-verify-service-list"),
            "juno.verify.service-list"
        );
    }
}
