//! What `stackhop extract` shows: one masked view of an extraction
//! ([`ExtractView`], `Serialize`), built once through the [`Redactor`], and
//! its renderings as text, JSON, Markdown, `steps.json` and `steps.md`.
//! Secret values (by any release's data, or by name) are masked as in every
//! other output; so are SQL and CLI passwords in commands.

use super::redact::Redactor;
use super::{JSON_SCHEMA, json_text, plural};
use crate::check::Severity;
use crate::extract::{Extraction, secrets};
use crate::release::{HistoryIndex, secret_name};
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
pub struct DistroView {
    pub chosen: String,
    pub available: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReleaseView {
    pub from: Option<String>,
    pub to: Option<String>,
    pub evidence: Vec<EvidenceView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView {
    pub guide: String,
    pub line: Option<usize>,
    pub what: String,
    pub fits: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileView {
    pub path: String,
    pub node: String,
    pub options: Vec<OptionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OptionView {
    pub section: String,
    pub key: String,
    pub value: String,
    pub line: usize,
    pub guide: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub kind: &'static str,
    pub command: String,
    pub line: usize,
    pub node: String,
    pub guide: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub file: String,
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
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
    pub fn build(x: &Extraction, index: Option<&HistoryIndex>, redactor: Redactor) -> ExtractView {
        let show = |v: &str, secret: bool| redactor.value(v, secret).into_owned();
        let command = |c: &str| {
            if redactor.show_secrets {
                c.to_string()
            } else {
                secrets::mask_command(c, |s, k| is_secret(index, s, k))
            }
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
                    .map(|s| OptionView {
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

    fn release_text(&self) -> String {
        match (&self.release.from, &self.release.to) {
            (Some(a), Some(b)) if a == b => a.clone(),
            (Some(a), Some(b)) => format!("{a}–{b} (cannot tell which)"),
            _ => "unknown (no evidence)".to_string(),
        }
    }
}

/// The summary for a terminal.
pub fn text(v: &ExtractView) -> String {
    let mut out = String::new();
    let _ = write!(out, "{}: {}, {}", v.guides.join(", "), v.format, v.encoding);
    if let Some(d) = &v.distro {
        let _ = write!(
            out,
            "; distribution {} (parts for {})",
            d.chosen,
            d.available.join(", ")
        );
    }
    out.push('\n');
    let _ = writeln!(out, "release: {}", v.release_text());
    for e in &v.release.evidence {
        let place = e.line.map_or(String::new(), |l| format!("line {l}: "));
        let _ = writeln!(out, "  {place}{} → {}", e.what, e.fits);
    }
    if v.files.is_empty() {
        out.push_str("\nno config found\n");
    }
    for f in &v.files {
        let _ = writeln!(
            out,
            "\n{} {} ({})",
            f.node,
            f.path,
            plural(f.options.len(), "option")
        );
        let mut section = "";
        for o in &f.options {
            if o.section != section {
                let _ = writeln!(out, "  [{}]", o.section);
                section = &o.section;
            }
            let _ = writeln!(out, "    {} = {}  (line {})", o.key, o.value, o.line);
        }
    }
    if !v.steps.is_empty() {
        let _ = writeln!(out, "\nsteps:");
        for s in &v.steps {
            let _ = writeln!(
                out,
                "  {:>5} {:<10} {:<8} {}",
                s.line, s.node, s.kind, s.command
            );
        }
    }
    if !v.findings.is_empty() {
        out.push('\n');
        out.push_str(&lint(v));
    }
    let _ = writeln!(
        out,
        "\n{}, {}, {}, {}",
        plural(v.summary.files, "file"),
        plural(v.summary.options, "option"),
        plural(v.summary.steps, "step"),
        plural(v.findings.len(), "finding")
    );
    out
}

/// Only the findings, one a line: `FILE:LINE: severity[CODE name]: message`.
pub fn lint(v: &ExtractView) -> String {
    let mut out = String::new();
    for f in &v.findings {
        let _ = writeln!(
            out,
            "{}:{}: {}[{} {}]: {}",
            f.file,
            f.line,
            f.severity.as_str(),
            f.code,
            f.name,
            f.message
        );
    }
    out
}

pub fn json(v: &ExtractView) -> String {
    json_text(v)
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A Markdown report: release, files (tables), steps by node, findings.
pub fn markdown(v: &ExtractView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", v.guides.join(", "));
    let _ = writeln!(
        out,
        "Format {}, release **{}**.\n",
        v.format,
        v.release_text()
    );
    if !v.release.evidence.is_empty() {
        out.push_str("Evidence:\n\n");
        for e in &v.release.evidence {
            let place = e.line.map_or(String::new(), |l| format!("line {l}: "));
            let _ = writeln!(out, "- {place}{} → {}", e.what, e.fits);
        }
        out.push('\n');
    }
    for f in &v.files {
        let _ = writeln!(out, "## {} `{}`\n", f.node, f.path);
        out.push_str("| section | key | value | line |\n|---|---|---|---|\n");
        for o in &f.options {
            let _ = writeln!(
                out,
                "| {} | {} | `{}` | {} |",
                md_cell(&o.section),
                md_cell(&o.key),
                md_cell(&o.value),
                o.line
            );
        }
        out.push('\n');
    }
    out.push_str(&steps_markdown(v));
    if !v.findings.is_empty() {
        out.push_str("## Findings\n\n");
        for f in &v.findings {
            let _ = writeln!(
                out,
                "- **{} {}** ({}) line {}: {}",
                f.code,
                f.name,
                f.severity.as_str(),
                f.line,
                f.message
            );
        }
    }
    out
}

#[derive(Serialize)]
struct StepsFile<'a> {
    schema: u32,
    guides: &'a [String],
    release: &'a ReleaseView,
    steps: &'a [StepView],
}

/// `steps.json`: the steps, masked.
pub fn steps_json(v: &ExtractView) -> String {
    json_text(&StepsFile {
        schema: JSON_SCHEMA,
        guides: &v.guides,
        release: &v.release,
        steps: &v.steps,
    })
}

/// `steps.md`: the steps by node, in the guide's order, as checklists.
pub fn steps_markdown(v: &ExtractView) -> String {
    let mut out = String::new();
    let mut nodes: Vec<&str> = Vec::new();
    for s in &v.steps {
        if !nodes.contains(&s.node.as_str()) {
            nodes.push(&s.node);
        }
    }
    for node in nodes {
        let _ = writeln!(out, "## Steps on {node}\n");
        for s in v.steps.iter().filter(|s| s.node == node) {
            let _ = writeln!(
                out,
                "- [ ] {} (line {}): `{}`",
                s.kind,
                s.line,
                s.command.replace('`', "'")
            );
        }
        out.push('\n');
    }
    out
}
