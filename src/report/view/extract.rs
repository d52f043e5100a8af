//! The view of an extraction: what `stackhop extract` shows, built once
//! through the [`Redactor`]. Secret values (by any release's data, or by
//! name) are masked as in every other output; so are SQL and CLI passwords
//! in commands.

use crate::check::Severity;
use crate::extract::{Extraction, secrets};
use crate::release::{HistoryIndex, secret_name};
use crate::report::JSON_SCHEMA;
use crate::report::redact::Redactor;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ExtractView {
    pub schema: u32,
    pub guides: Vec<String>,
    pub format: &'static str,
    pub encoding: &'static str,
    /// The distribution chosen where the guide has per-distribution parts.
    pub distro: Option<DistroView>,
    pub release: ReleaseView,
    pub files: Vec<FileView>,
    pub steps: Vec<StepView>,
    pub findings: Vec<FindingView>,
    pub summary: SummaryView,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DistroView {
    pub chosen: String,
    pub available: Vec<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ReleaseView {
    pub from: Option<String>,
    pub to: Option<String>,
    pub evidence: Vec<EvidenceView>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EvidenceView {
    pub guide: String,
    pub line: Option<usize>,
    pub what: String,
    pub fits: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FileView {
    pub path: String,
    pub node: String,
    pub options: Vec<SettingView>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SettingView {
    pub section: String,
    pub key: String,
    pub value: String,
    pub line: usize,
    pub guide: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StepView {
    pub kind: &'static str,
    pub command: String,
    pub line: usize,
    pub node: String,
    pub guide: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FindingView {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub file: String,
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SummaryView {
    pub files: usize,
    pub options: usize,
    pub steps: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// Is an option's value secret: by what any release says, or by its name
/// (`…password`, `…secret`, `…_key`, `…_token`).
fn is_secret(index: Option<&HistoryIndex>, section: &str, key: &str) -> bool {
    let by_name = secret_name(key) || key.ends_with("_token") || key == "token";
    by_name || index.is_some_and(|i| i.is_secret(&crate::conf::normalize_group(section), key))
}

impl ExtractView {
    pub fn build<'a>(
        x: &'a Extraction,
        index: Option<&HistoryIndex>,
        redactor: Redactor,
    ) -> ExtractView {
        let show = |v: &str, secret: bool| redactor.value(v, secret).into_owned();
        // A guide repeats commands: each is masked once.
        let mut masked: HashMap<&str, String> = HashMap::new();
        let mut command = |c: &'a str| -> String {
            if redactor.show_secrets {
                return c.to_string();
            }
            masked
                .entry(c)
                .or_insert_with(|| secrets::mask_command(c, |s, k| is_secret(index, s, k)))
                .clone()
        };
        let files: Vec<FileView> = x
            .files
            .iter()
            .map(|f| FileView {
                path: f.path.clone(),
                node: f.node.clone(),
                options: f
                    .settings
                    .iter()
                    .map(|s| SettingView {
                        section: s.section.clone(),
                        key: s.key.clone(),
                        value: show(&s.value, is_secret(index, &s.section, &s.key)),
                        line: s.line,
                        guide: s.guide.clone(),
                    })
                    .collect(),
            })
            .collect();
        let findings: Vec<FindingView> = x
            .findings
            .iter()
            .map(|f| FindingView {
                code: f.kind.code,
                name: f.kind.name,
                severity: f.kind.severity,
                file: f.guide.clone(),
                line: f.line,
                message: f.render(|v, secret| format!("`{}`", show(v, secret))),
            })
            .collect();
        let n = |s| findings.iter().filter(|f| f.severity == s).count();
        let summary = SummaryView {
            files: files.len(),
            options: files.iter().map(|f| f.options.len()).sum(),
            steps: x.steps.len(),
            errors: n(Severity::Error),
            warnings: n(Severity::Warning),
            infos: n(Severity::Info),
        };
        ExtractView {
            schema: JSON_SCHEMA,
            guides: x.guide.split(", ").map(str::to_string).collect(),
            format: x.format.as_str(),
            encoding: x.encoding,
            distro: (!x.distros.is_empty()).then(|| DistroView {
                chosen: x.distro.clone(),
                available: x.distros.clone(),
            }),
            release: ReleaseView {
                from: x.release.from.clone(),
                to: x.release.to.clone(),
                evidence: x
                    .release
                    .evidence
                    .iter()
                    .map(|e| EvidenceView {
                        guide: e.guide.clone(),
                        line: e.line,
                        what: redactor.value(&e.what, false).into_owned(),
                        fits: e.fits.clone(),
                    })
                    .collect(),
            },
            files,
            steps: x
                .steps
                .iter()
                .map(|s| StepView {
                    kind: s.kind.as_str(),
                    command: command(&s.command),
                    line: s.line,
                    node: s.node.clone(),
                    guide: s.guide.clone(),
                })
                .collect(),
            findings,
            summary,
        }
    }

    pub fn release_text(&self) -> String {
        match (&self.release.from, &self.release.to) {
            (Some(a), Some(b)) if a == b => a.clone(),
            (Some(a), Some(b)) => format!("{a}–{b} (cannot tell which)"),
            _ => "unknown (no evidence)".to_string(),
        }
    }
}
