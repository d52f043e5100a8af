//! The view of a fleet: many files (of one run, or of many hosts' reports
//! merged), one entry each, and the totals. Its JSON is what `check`,
//! `migrate` and `detect` print with `--format json` for many files, and
//! what `stackhop fleet report` reads and prints (see the README).
//!
//! Unlike the other views it is also `Deserialize`: reports come back from
//! hosts. Each entry's `report` is the file's own report (the JSON the
//! command prints for that one file), already masked; merging never
//! unmasks anything (see `fleet::merge`).

use super::{CheckView, MigrationView};
use crate::report::JSON_SCHEMA;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Many files, in order (host, then path), and their totals.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FleetView {
    pub schema: u32,
    pub files: Vec<FleetEntry>,
    /// Recomputed from the entries when a report is read back.
    #[serde(default)]
    pub totals: FleetTotals,
    /// Release names, oldest first: the order of manual steps.
    #[serde(skip)]
    pub releases: Vec<String>,
}

/// Which command made an entry.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Command {
    Migrate,
    Check,
    Detect,
}

/// How a file came out, from best to worst.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Nothing to change, no failing finding.
    Ok,
    /// `migrate`: something changes (or changed).
    Changes,
    /// `check`: a finding fails the check.
    Findings,
    /// The file could not be used (bad input, I/O); `error` says why.
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Changes => "changes",
            Status::Findings => "findings",
            Status::Error => "error",
        }
    }
}

/// One file of the fleet.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FleetEntry {
    pub file: String,
    /// The host the file is on, when the entry comes from a host's report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The command that made the entry (absent: a report that could not
    /// be read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Command>,
    pub status: Status,
    /// The release the file is for: given (`--from`) or detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    /// When detected and several releases fit equally: their range
    /// (`icehouse–juno`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fits: Option<String>,
    /// `migrate`: the release migrated to; `check`: the release checked against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// `migrate`: changes, those to review, manual steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviews: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual: Option<usize>,
    /// `check`: findings by severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub infos: Option<usize>,
    /// `migrate`: where the migrated file was written (`-o DIR`, `--in-place`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// Warnings about the file that are not findings (encoding).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Why the file could not be used: `FILE:LINE: reason`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The file's own report, masked: what the command prints for this one
    /// file with `--format json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<Value>,
    /// What the fleet's summary gathers from the file (its report holds
    /// it, so it is not serialised).
    #[serde(skip)]
    pub shared: Shared,
}

/// What a file has that others may share: its manual steps and the codes
/// of its findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shared {
    pub steps: Vec<StepKey>,
    pub findings: Vec<FindingKey>,
}

/// A manual step, as the fleet's summary counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepKey {
    pub release: String,
    pub rule: String,
    /// `controller`, `controller and compute`, or empty for any node.
    pub who: String,
    pub text: String,
    /// Needed only if the node is not on this release yet (the file's
    /// release was a guess).
    pub if_not_yet_on: Option<String>,
}

/// A finding, as the fleet's summary counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingKey {
    pub code: String,
    pub name: String,
    pub severity: String,
}

impl Shared {
    pub fn of_migration(v: &MigrationView) -> Shared {
        Shared {
            steps: v
                .manual
                .iter()
                .map(|m| StepKey {
                    release: m.release.clone(),
                    rule: m.rule.clone(),
                    who: m.who(),
                    text: m.text.clone(),
                    if_not_yet_on: m.if_not_yet_on.clone(),
                })
                .collect(),
            findings: Vec::new(),
        }
    }

    pub fn of_check(v: &CheckView) -> Shared {
        Shared {
            steps: Vec::new(),
            findings: v
                .findings
                .iter()
                .map(|f| FindingKey {
                    code: f.code.to_string(),
                    name: f.name.to_string(),
                    severity: f.severity.as_str().to_string(),
                })
                .collect(),
        }
    }

    /// From a report's JSON (`manual`, `findings`), as merged reports have it.
    pub fn of_report(report: &Value) -> Shared {
        let s = |v: &Value, key: &str| v[key].as_str().unwrap_or_default().to_string();
        let list = |key: &str| report[key].as_array().map_or(&[][..], Vec::as_slice);
        Shared {
            steps: list("manual")
                .iter()
                .map(|m| StepKey {
                    release: s(m, "release"),
                    rule: s(m, "rule"),
                    who: m["roles"]
                        .as_array()
                        .map(|r| {
                            r.iter()
                                .filter_map(Value::as_str)
                                .collect::<Vec<_>>()
                                .join(" and ")
                        })
                        .unwrap_or_default(),
                    text: s(m, "text"),
                    if_not_yet_on: m["if_not_yet_on"].as_str().map(str::to_string),
                })
                .collect(),
            findings: list("findings")
                .iter()
                .map(|f| FindingKey {
                    code: s(f, "code"),
                    name: s(f, "name"),
                    severity: s(f, "severity"),
                })
                .collect(),
        }
    }
}

/// Sums over the fleet.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct FleetTotals {
    pub files: usize,
    /// Files by status.
    pub ok: usize,
    pub with_changes: usize,
    pub with_findings: usize,
    pub failed: usize,
    /// Sums of the entries' counts.
    pub changes: usize,
    pub reviews: usize,
    pub manual: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl FleetEntry {
    /// An entry with nothing but its file, command and status.
    pub fn new(
        file: impl Into<String>,
        command: impl Into<Option<Command>>,
        status: Status,
    ) -> FleetEntry {
        FleetEntry {
            file: file.into(),
            host: None,
            command: command.into(),
            status,
            release: None,
            fits: None,
            target: None,
            changes: None,
            reviews: None,
            manual: None,
            errors: None,
            warnings: None,
            infos: None,
            output: None,
            notes: Vec::new(),
            error: None,
            report: None,
            shared: Shared::default(),
        }
    }

    /// A file that could not be used.
    pub fn failed(
        file: impl Into<String>,
        command: impl Into<Option<Command>>,
        error: impl Into<String>,
    ) -> FleetEntry {
        FleetEntry {
            error: Some(error.into()),
            ..FleetEntry::new(file, command, Status::Error)
        }
    }

    /// `host:file`, or the file.
    pub fn place(&self) -> String {
        match &self.host {
            Some(h) => format!("{h}:{}", self.file),
            None => self.file.clone(),
        }
    }

    /// The release as shown: the range when several fit, else the release.
    pub fn release_shown(&self) -> Option<&str> {
        self.fits.as_deref().or(self.release.as_deref())
    }
}

impl FleetTotals {
    fn add(&mut self, e: &FleetEntry) {
        self.files += 1;
        match e.status {
            Status::Ok => self.ok += 1,
            Status::Changes => self.with_changes += 1,
            Status::Findings => self.with_findings += 1,
            Status::Error => self.failed += 1,
        }
        let n = |c: Option<usize>| c.unwrap_or(0);
        self.changes += n(e.changes);
        self.reviews += n(e.reviews);
        self.manual += n(e.manual);
        self.errors += n(e.errors);
        self.warnings += n(e.warnings);
        self.infos += n(e.infos);
    }
}

impl FleetView {
    /// The view of `entries`, put in order (host, then file) and totalled.
    pub fn new(mut entries: Vec<FleetEntry>) -> FleetView {
        entries.sort_by(|a, b| (&a.host, &a.file).cmp(&(&b.host, &b.file)));
        let mut totals = FleetTotals::default();
        for e in &entries {
            totals.add(e);
        }
        FleetView {
            schema: JSON_SCHEMA,
            files: entries,
            totals,
            releases: Vec::new(),
        }
    }

    /// With the releases in order (oldest first), so that what the files
    /// share goes hop by hop.
    pub fn with_releases(mut self, releases: Vec<String>) -> FleetView {
        self.releases = releases;
        self
    }

    /// The worst status of any file (`Ok` for none).
    pub fn worst(&self) -> Status {
        self.files
            .iter()
            .map(|e| e.status)
            .max()
            .unwrap_or(Status::Ok)
    }

    /// The commands whose entries are here, in order.
    pub fn commands(&self) -> Vec<Command> {
        let mut c: Vec<Command> = self.files.iter().filter_map(|e| e.command).collect();
        c.sort();
        c.dedup();
        c
    }

    /// The distinct targets, in order of first appearance.
    pub fn targets(&self) -> Vec<&str> {
        let mut t: Vec<&str> = Vec::new();
        for e in &self.files {
            if let Some(target) = e.target.as_deref() {
                if !t.contains(&target) {
                    t.push(target);
                }
            }
        }
        t
    }
}
