//! Renderings of an extraction's view ([`ExtractView`]): text, JSON,
//! Markdown, the findings alone (`--lint`), `steps.json` and `steps.md`.

use super::view::{ExtractView, ReleaseView, StepView};
use super::{JSON_SCHEMA, json_text, plural};
use serde::Serialize;
use std::fmt::Write;

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

/// `extract -o DIR`'s `DIR/steps.json`.
#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct StepsFile<'a> {
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
