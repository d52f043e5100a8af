//! The runbook context: one serde struct, documented in the README, that the
//! templates render and `--format json` prints (`"schema": 1`). It holds no
//! secret: commands name secrets as shell variables, diffs are masked.

use crate::release::{Distro, Role};
use serde::{Deserialize, Serialize};

/// Version of the context's shape; bumped on incompatible changes.
pub const SCHEMA: u32 = 1;

/// A whole runbook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunbookContext {
    pub schema: u32,
    pub kind: RunbookKind,
    pub title: String,
    /// `stackhop 0.1.0`.
    pub generator: String,
    /// Upgrade: where it starts. Install: absent.
    pub from: Option<ReleaseRef>,
    /// Upgrade: the target. Install: the release installed.
    pub to: ReleaseRef,
    /// The role asked for; absent: every role.
    #[schemars(schema_with = "crate::schema::role_or_none")]
    pub role: Option<Role>,
    /// The roles the runbook covers.
    #[schemars(schema_with = "crate::schema::roles")]
    pub roles: Vec<Role>,
    #[schemars(schema_with = "crate::schema::distro")]
    pub distro: Distro,
    /// `Ubuntu`, `RDO (CentOS, RHEL)`.
    pub distro_title: String,
    /// How `from` was told, when it was detected from a config file.
    pub detected: Option<String>,
    /// The config files the upgrade was computed over.
    pub configs: Vec<String>,
    /// Export these before you start.
    pub variables: Vec<VariableView>,
    /// Upgrade only.
    pub summary: Option<Summary>,
    /// Things to know before starting.
    pub notes: Vec<String>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RunbookKind {
    Upgrade,
    Install,
}

/// A release as the runbook names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRef {
    pub name: String,
    pub title: String,
    pub nova_version: String,
}

/// A shell variable the commands use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VariableView {
    pub name: String,
    pub what: String,
    /// Read without echo; its value appears nowhere.
    pub secret: bool,
}

/// What the upgrade does, at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// `Juno → Kilo → … → Wallaby`.
    pub path: String,
    pub hops: Vec<HopSummary>,
    /// Steps that cannot be undone, except by restoring a checkpoint.
    pub irreversible: Vec<StepRef>,
    /// The named backups, in order: `juno`, `kilo`, …
    pub checkpoints: Vec<String>,
}

/// One hop in the summary table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HopSummary {
    pub release: String,
    pub title: String,
    pub nova_version: String,
    /// The OS during the hop, and after it when it changes (`trusty → xenial`).
    pub os: String,
    pub services_added: Vec<String>,
    pub services_removed: Vec<String>,
    pub databases_new: Vec<String>,
    /// Options changed by migrate over the config files (0 without).
    pub config_changes: usize,
    /// The ids of the hop's steps that cannot be undone.
    pub irreversible: Vec<String>,
    /// Steps to do by hand (no command, or a condition to judge).
    pub manual_steps: usize,
    pub steps: usize,
}

/// A step named elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepRef {
    pub id: String,
    pub title: String,
}

/// A part of the runbook: before you start, one hop, finishing…
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// `before`, `kilo`, `finish`…
    pub id: String,
    pub title: String,
    pub intro: Option<String>,
    pub steps: Vec<Step>,
}

/// One thing to do, with a box to tick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Stable: `ocata.db.map-cell0`.
    pub id: String,
    pub kind: StepKind,
    /// The template partial that renders it: `step-<kind>`.
    pub partial: String,
    pub title: String,
    /// Who runs it (empty: every node).
    #[schemars(schema_with = "crate::schema::roles")]
    pub roles: Vec<Role>,
    /// `the controller`, `every compute node`, `every node`.
    pub who: String,
    /// A condition the operator judges.
    pub when: Option<String>,
    pub why: Option<String>,
    /// What is uncertain or differs (`UNCERTAIN`, `DERIVED`), in the data's words.
    pub notes: Vec<String>,
    /// Cannot be undone, except by restoring a checkpoint.
    pub irreversible: bool,
    pub blocks: Vec<Block>,
    pub exit_codes: Vec<ExitCodeView>,
    /// Config changes (from migrate), as a table.
    pub changes: Vec<ChangeRow>,
    /// Things to check by hand.
    pub checklist: Vec<String>,
    pub evidence: Vec<String>,
}

/// What a step is about; each has a template partial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    Record,
    Backup,
    Service,
    Repo,
    Package,
    Os,
    Config,
    Db,
    Cells,
    Placement,
    Check,
    Endpoint,
    Identity,
    Verify,
    Manual,
    Rollback,
}

impl StepKind {
    pub const ALL: [StepKind; 16] = [
        StepKind::Record,
        StepKind::Backup,
        StepKind::Service,
        StepKind::Repo,
        StepKind::Package,
        StepKind::Os,
        StepKind::Config,
        StepKind::Db,
        StepKind::Cells,
        StepKind::Placement,
        StepKind::Check,
        StepKind::Endpoint,
        StepKind::Identity,
        StepKind::Verify,
        StepKind::Manual,
        StepKind::Rollback,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Record => "record",
            StepKind::Backup => "backup",
            StepKind::Service => "service",
            StepKind::Repo => "repo",
            StepKind::Package => "package",
            StepKind::Os => "os",
            StepKind::Config => "config",
            StepKind::Db => "db",
            StepKind::Cells => "cells",
            StepKind::Placement => "placement",
            StepKind::Check => "check",
            StepKind::Endpoint => "endpoint",
            StepKind::Identity => "identity",
            StepKind::Verify => "verify",
            StepKind::Manual => "manual",
            StepKind::Rollback => "rollback",
        }
    }

    /// The partial's name.
    pub fn partial(self) -> String {
        format!("step-{}", self.as_str())
    }
}

/// A fenced block: commands (`sh`), a file (`ini`), a diff (`diff`), SQL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Block {
    /// The fence's language: `sh`, `ini`, `diff`, `sql`.
    pub lang: String,
    /// What the block is, and who runs it: `On the controller`.
    pub caption: String,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExitCodeView {
    pub code: String,
    pub means: String,
}

/// One option a hop changes in one file (values masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeRow {
    pub rule: String,
    pub kind: String,
    /// `[group] name` before, or after for an added option.
    pub option: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// `safe` or `review`.
    pub safety: String,
    pub note: Option<String>,
}

impl RunbookContext {
    /// Every step, in order.
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.sections.iter().flat_map(|s| s.steps.iter())
    }
}
