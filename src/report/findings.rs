//! Findings of `check`, for terminals (text), programs (JSON) and CI
//! (GitHub workflow annotations). Values, and any URL password a message
//! quotes, pass through the redactor.

use super::plural;
use super::redact::Redactor;
use super::style::{Paint, Style};
use crate::check::{Finding, Severity};
use serde::Serialize;
use std::borrow::Cow;
use std::fmt::Write;

/// The findings of one file.
pub struct FileFindings<'a> {
    pub file: &'a str,
    pub findings: &'a [Finding],
}

/// (errors, warnings, infos).
pub fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    let n = |s| findings.iter().filter(|f| f.severity == s).count();
    (n(Severity::Error), n(Severity::Warning), n(Severity::Info))
}

/// One block a finding: `FILE:LINE: severity[CODE name]: message`, then the
/// value and the suggestion indented; a summary line a file.
pub fn text(files: &[FileFindings], release: &str, redactor: Redactor, style: Style) -> String {
    let mut out = String::new();
    for ff in files {
        for f in ff.findings {
            let place = match f.line {
                Some(line) => format!("{}:{line}", ff.file),
                None => ff.file.to_string(),
            };
            let paint = match f.severity {
                Severity::Error => Paint::Red,
                Severity::Warning => Paint::Yellow,
                Severity::Info => Paint::Cyan,
            };
            let _ = writeln!(
                out,
                "{}: {}[{} {}]: {}",
                style.paint(&place, Paint::Bold),
                style.paint(f.severity.as_str(), paint),
                f.code,
                f.name,
                redactor.value(&f.message, false)
            );
            if let Some(v) = &f.value {
                let _ = writeln!(out, "    value: {:?}", redactor.value(v, f.secret));
            }
            if let Some(s) = &f.suggestion {
                let _ = writeln!(out, "    {} {s}", style.paint("help:", Paint::Green));
            }
        }
        let (e, w, i) = counts(ff.findings);
        let summary = if ff.findings.is_empty() {
            "no findings".to_string()
        } else {
            format!(
                "{}, {}, {}",
                plural(e, "error"),
                plural(w, "warning"),
                plural(i, "note")
            )
        };
        let _ = writeln!(out, "{}: {summary} (checked against {release})", ff.file);
    }
    out
}

#[derive(Serialize)]
struct Json<'a> {
    schema: u32,
    release: &'a str,
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    name: &'a str,
    severity: Severity,
    file: &'a str,
    line: Option<usize>,
    section: Option<&'a str>,
    key: Option<&'a str>,
    message: Cow<'a, str>,
    suggestion: Option<&'a str>,
    value: Option<String>,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

/// `{"schema":1,"release":…,"findings":[…],"summary":{…}}`.
pub fn json(files: &[FileFindings], release: &str, redactor: Redactor) -> String {
    let mut findings = Vec::new();
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    for ff in files {
        let (e, w, i) = counts(ff.findings);
        (errors, warnings, infos) = (errors + e, warnings + w, infos + i);
        findings.extend(ff.findings.iter().map(|f| {
            JsonFinding {
                code: f.code,
                name: f.name,
                severity: f.severity,
                file: ff.file,
                line: f.line,
                section: f.section.as_deref(),
                key: f.key.as_deref(),
                message: redactor.value(&f.message, false),
                suggestion: f.suggestion.as_deref(),
                value: f
                    .value
                    .as_deref()
                    .map(|v| redactor.value(v, f.secret).into_owned()),
            }
        }));
    }
    let doc = Json {
        schema: super::JSON_SCHEMA,
        release,
        findings,
        summary: Summary {
            files: files.len(),
            errors,
            warnings,
            infos,
        },
    };
    super::json_text(&doc)
}

/// GitHub Actions workflow commands: `::error file=F,line=N,title=T::message`.
pub fn github(files: &[FileFindings], redactor: Redactor) -> String {
    let mut out = String::new();
    for ff in files {
        for f in ff.findings {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = redactor.value(&f.message, false).into_owned();
            if let Some(v) = &f.value {
                let _ = write!(message, " (value: {:?})", redactor.value(v, f.secret));
            }
            if let Some(s) = &f.suggestion {
                let _ = write!(message, ". Suggestion: {s}");
            }
            let mut props = format!("file={}", property(ff.file));
            if let Some(line) = f.line {
                let _ = write!(props, ",line={line}");
            }
            let _ = write!(
                props,
                ",title={}",
                property(&format!("{} {}", f.code, f.name))
            );
            let _ = writeln!(out, "::{level} {props}::{}", data(&message));
        }
    }
    out
}

/// Escapes the message part of a workflow command.
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(secret: bool) -> Finding {
        Finding {
            code: "C201",
            name: "inline-comment",
            severity: Severity::Warning,
            line: Some(3),
            section: Some("DEFAULT".into()),
            key: Some("k".into()),
            message: "50% of it, a\nb".into(),
            suggestion: Some("fix it".into()),
            value: Some("hunter2  # pw".into()),
            secret,
        }
    }

    #[test]
    fn github_annotations_escape_and_mask() {
        let f = [finding(true)];
        let out = github(
            &[FileFindings {
                file: "etc/nova,x.conf",
                findings: &f,
            }],
            Redactor::default(),
        );
        assert_eq!(
            out,
            "::warning file=etc/nova%2Cx.conf,line=3,title=C201 inline-comment::50%25 of it, a%0Ab (value: \"****\"). Suggestion: fix it\n"
        );
        assert!(!out.contains("hunter2"));
    }

    #[test]
    fn text_shows_place_severity_code_value_and_help() {
        let f = [finding(false)];
        let out = text(
            &[FileFindings {
                file: "n.conf",
                findings: &f,
            }],
            "Wallaby",
            Redactor::default(),
            Style::default(),
        );
        assert_eq!(
            out,
            "n.conf:3: warning[C201 inline-comment]: 50% of it, a\nb\n    value: \"hunter2  # pw\"\n    help: fix it\nn.conf: 0 errors, 1 warning, 0 notes (checked against Wallaby)\n"
        );
    }
}
