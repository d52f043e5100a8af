//! The catalog for people and programs: `stackhop releases` and
//! `stackhop releases show`.

use crate::conf::OptionRef;
use crate::release::model::{InstallFile, Requirement, ServiceChange, UpgradeStep};
use crate::release::{Catalog, CatalogError, OptionDef, Release, ReleaseFile};
use serde::Serialize;
use std::fmt::Write;

/// The table of releases.
pub fn list_text(catalog: &Catalog) -> String {
    let mut rows = vec![[
        "RELEASE".to_string(),
        "NOVA".to_string(),
        "RELEASED".to_string(),
        "DATA".to_string(),
    ]];
    for r in catalog.releases() {
        rows.push([
            r.info.name.clone(),
            r.info.nova_version.clone(),
            r.info.released.clone(),
            r.data_level().to_string(),
        ]);
    }
    table(&rows)
}

fn table<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0; N];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 < N {
                let _ = write!(line, "{cell:<width$}  ", width = widths[i]);
            } else {
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct ListJson<'a> {
    schema: u32,
    releases: Vec<ReleaseJson<'a>>,
}

#[derive(Serialize)]
struct ReleaseJson<'a> {
    name: &'a str,
    title: &'a str,
    nova_version: &'a str,
    released: &'a str,
    predecessor: Option<&'a str>,
    data: &'a str,
}

pub fn list_json(catalog: &Catalog) -> String {
    let doc = ListJson {
        schema: super::JSON_SCHEMA,
        releases: catalog
            .releases()
            .iter()
            .map(|r| ReleaseJson {
                name: &r.info.name,
                title: &r.info.title,
                nova_version: &r.info.nova_version,
                released: &r.info.released,
                predecessor: r.info.predecessor.as_deref(),
                data: r.data_level(),
            })
            .collect(),
    };
    super::json_text(&doc)
}

/// Services, databases, service changes, upgrade steps and requirements;
/// with `options`, the whole inventory.
pub fn show_text(release: &Release, options: bool) -> Result<String, CatalogError> {
    let info = &release.info;
    let mut out = String::new();
    let after = info
        .predecessor
        .as_deref()
        .map(|p| format!(", after {p}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} (nova {}, released {}{after}); data: {}",
        info.title,
        info.nova_version,
        info.released,
        release.data_level()
    );
    if let Some(note) = &info.note {
        let _ = writeln!(out, "\n{note}");
    }
    if !info.services.is_empty() {
        out.push_str("\nServices\n");
        let mut rows = vec![[
            "  SERVICE".to_string(),
            "ROLES".to_string(),
            "UBUNTU".to_string(),
            "RDO".to_string(),
        ]];
        for s in &info.services {
            rows.push([
                format!("  {}", s.name),
                s.roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                or_dash(&s.ubuntu.join(" ")),
                or_dash(&s.rdo.join(" ")),
            ]);
        }
        out.push_str(&table(&rows));
    }
    if !info.databases.is_empty() {
        out.push_str("\nDatabases\n");
        for d in &info.databases {
            let option = d
                .option
                .as_ref()
                .map_or_else(|| "(not in nova.conf)".to_string(), |o| o.to_string());
            let _ = writeln!(out, "  {:<11} {option}", d.name);
            if let Some(note) = &d.note {
                let _ = writeln!(out, "              {note}");
            }
        }
    }
    if !info.service_changes.is_empty() {
        out.push_str("\nService changes\n");
        for c in &info.service_changes {
            service_change(&mut out, c);
        }
    }
    if !info.upgrade.is_empty() {
        let _ = writeln!(out, "\nUpgrading into {}", info.title);
        for (i, step) in info.upgrade.iter().enumerate() {
            upgrade_step(&mut out, i + 1, step);
        }
    }
    if !info.requirements.is_empty() {
        out.push_str("\nOptions a role must set from this release on\n");
        for r in &info.requirements {
            requirement(&mut out, r);
        }
    }
    if let Some(install) = release.install()? {
        install_summary(&mut out, install);
    }
    let inv = release.inventory()?;
    let groups = inv.groups().count();
    if options {
        let _ = writeln!(
            out,
            "\nOptions ({} in {groups} groups)",
            inv.options().len()
        );
        let mut group = "";
        for o in inv.options() {
            if o.group != group {
                group = &o.group;
                let _ = writeln!(out, "[{group}]");
            }
            option_line(&mut out, o);
        }
    } else {
        let _ = writeln!(
            out,
            "\nOptions: {} in {groups} groups (--options lists them)",
            inv.options().len()
        );
    }
    Ok(out)
}

fn or_dash(s: &str) -> String {
    if s.is_empty() { "-".into() } else { s.into() }
}

fn service_change(out: &mut String, c: &ServiceChange) {
    let change = serde_json::to_value(c.change)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    let _ = writeln!(out, "  {change:<10} {}", c.service);
    if let Some(note) = &c.note {
        let _ = writeln!(out, "             {note}");
    }
    let _ = writeln!(out, "             evidence: {}", c.evidence.join("; "));
}

fn upgrade_step(out: &mut String, n: usize, step: &UpgradeStep) {
    let roles: Vec<&str> = step.roles.iter().map(|r| r.as_str()).collect();
    let _ = writeln!(
        out,
        "  {n}. {} [{}, {}] {}",
        step.id,
        roles.join(","),
        step.phase_name(),
        step.title
    );
    for run in step.run.iter().chain(&step.ubuntu) {
        let _ = writeln!(out, "     run: {run}");
    }
    if let Some(when) = &step.when {
        let _ = writeln!(out, "     only if: {when}");
    }
    if let Some(why) = &step.why {
        let _ = writeln!(out, "     why: {why}");
    }
    let _ = writeln!(out, "     evidence: {}", step.evidence.join("; "));
}

fn requirement(out: &mut String, r: &Requirement) {
    let roles: Vec<&str> = r.roles.iter().map(|r| r.as_str()).collect();
    let until = r
        .until
        .as_deref()
        .map(|u| format!(", until {u}"))
        .unwrap_or_default();
    let advice = if r.recommended { ", recommended" } else { "" };
    let _ = writeln!(out, "  {} ({}{until}{advice})", r.id, roles.join(", "));
    for o in &r.options {
        let _ = writeln!(out, "     {o}");
    }
    let _ = writeln!(out, "     why: {}", r.why);
}

fn install_summary(out: &mut String, install: &InstallFile) {
    let _ = writeln!(out, "\nInstall guide: {}", install.guide);
    let _ = writeln!(
        out,
        "  databases: {}",
        install
            .databases
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    for e in &install.identity.endpoints {
        let _ = writeln!(out, "  endpoint: {} {} {}", e.service, e.interface, e.url);
    }
    let _ = writeln!(out, "  {} steps", install.steps.len());
}

fn option_line(out: &mut String, o: &OptionDef) {
    let e = &o.entry;
    let mut line = format!("  {} ({})", e.name, e.kind);
    if let Some(d) = &e.default {
        let _ = write!(line, " = {d:?}");
    }
    let mut notes = Vec::new();
    if e.secret {
        notes.push("secret".to_string());
    }
    if !e.choices.is_empty() {
        notes.push(format!("choices: {}", e.choices.join("|")));
    }
    if !e.aliases.is_empty() {
        let aliases: Vec<String> = o.aliases().map(|a| a.to_string()).collect();
        notes.push(format!("old names: {}", aliases.join(", ")));
    }
    if e.deprecated_for_removal {
        notes.push("deprecated for removal".to_string());
    }
    if let Some(by) = &e.superseded_by {
        notes.push(format!("superseded by {by}"));
    }
    if !notes.is_empty() {
        let _ = write!(line, "  [{}]", notes.join("; "));
    }
    out.push_str(&line);
    out.push('\n');
}

#[derive(Serialize)]
struct ShowJson<'a> {
    schema: u32,
    data: &'a str,
    release: &'a ReleaseFile,
    #[serde(skip_serializing_if = "Option::is_none")]
    install: Option<&'a InstallFile>,
    option_count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Vec<OptionJson<'a>>>,
}

#[derive(Serialize)]
struct Alias {
    group: String,
    name: String,
}

#[derive(Serialize)]
struct OptionJson<'a> {
    group: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    default: Option<&'a str>,
    secret: bool,
    choices: &'a [std::borrow::Cow<'static, str>],
    min: Option<i64>,
    max: Option<i64>,
    deprecated_aliases: Vec<Alias>,
    deprecated_for_removal: bool,
    deprecated_since: Option<&'a str>,
    superseded_by: Option<String>,
    set: Option<&'a str>,
    owner: &'a str,
    source: Option<&'a str>,
}

pub fn show_json(release: &Release, options: bool) -> Result<String, CatalogError> {
    let inv = release.inventory()?;
    let doc = ShowJson {
        schema: super::JSON_SCHEMA,
        data: release.data_level(),
        release: &release.info,
        install: release.install()?,
        option_count: inv.options().len(),
        options: options.then(|| {
            inv.options()
                .iter()
                .map(|o| OptionJson {
                    group: &o.group,
                    name: o.name(),
                    kind: o.entry.kind.as_str(),
                    default: o.entry.default.as_deref(),
                    secret: o.entry.secret,
                    choices: &o.entry.choices,
                    min: o.entry.min,
                    max: o.entry.max,
                    deprecated_aliases: o
                        .aliases()
                        .map(|a| Alias {
                            group: a.group().to_string(),
                            name: a.name().to_string(),
                        })
                        .collect(),
                    deprecated_for_removal: o.entry.deprecated_for_removal,
                    deprecated_since: o.entry.deprecated_since.as_deref(),
                    superseded_by: o.entry.superseded_by.as_ref().map(OptionRef::spec),
                    set: o.set.as_deref(),
                    owner: o.entry.owner.as_deref().unwrap_or("nova"),
                    source: o.entry.source.as_deref(),
                })
                .collect()
        }),
    };
    Ok(super::json_text(&doc))
}
