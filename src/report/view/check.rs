//! The view of `check`'s findings.

use super::text;
use crate::check::{Finding, Severity};
use crate::report::JSON_SCHEMA;
use crate::report::redact::Redactor;
use serde::Serialize;

/// The findings of one or more files against one release. Its JSON is
/// `stackhop check --format json`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CheckView {
    pub schema: u32,
    pub release: String,
    pub findings: Vec<FindingView>,
    pub summary: Summary,
    /// The release's display name (`Wallaby`).
    #[serde(skip)]
    pub release_title: String,
    /// Each file checked, with its findings' place in `findings`.
    #[serde(skip)]
    pub files: Vec<FileCheck>,
}

/// A file checked: its name and the range of its findings.
#[derive(Debug, Clone)]
pub struct FileCheck {
    pub file: String,
    pub findings: std::ops::Range<usize>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, schemars::JsonSchema)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// One finding as it may be shown.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FindingView {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub file: String,
    pub line: Option<usize>,
    pub section: Option<String>,
    pub key: Option<String>,
    /// Never holds a secret value.
    pub message: String,
    pub suggestion: Option<String>,
    /// The value concerned, masked when secret.
    pub value: Option<String>,
}

impl FindingView {
    pub fn new(file: &str, f: &Finding, r: Redactor) -> FindingView {
        FindingView {
            code: f.code,
            name: f.name,
            severity: f.severity,
            file: file.to_string(),
            line: f.line,
            section: f.section.clone(),
            key: f.key.clone(),
            message: text(&f.message, r),
            suggestion: f.suggestion.as_deref().map(|s| text(s, r)),
            value: f
                .value
                .as_deref()
                .map(|v| r.value(v, f.secret).into_owned()),
        }
    }
}

impl FindingView {
    /// As [`FindingView::new`], taking the finding's strings rather than
    /// copying them (a file can have millions of findings).
    pub fn from_owned(file: &str, f: Finding, r: Redactor) -> FindingView {
        let value = match f.value {
            Some(v) => Some(masked(v, r, f.secret)),
            None => None,
        };
        FindingView {
            code: f.code,
            name: f.name,
            severity: f.severity,
            file: file.to_string(),
            line: f.line,
            section: f.section,
            key: f.key,
            message: masked(f.message, r, false),
            suggestion: f.suggestion.map(|s| masked(s, r, false)),
            value,
        }
    }
}

/// `s` as the redactor shows it: `s` itself when it is shown whole (a
/// borrowed answer may be the mask, not `s`).
fn masked(s: String, r: Redactor, secret: bool) -> String {
    let shown = match r.value(&s, secret) {
        std::borrow::Cow::Borrowed(b) if std::ptr::eq(b, s.as_str()) => None,
        other => Some(other.into_owned()),
    };
    shown.unwrap_or(s)
}

impl Summary {
    /// Counts a finding of `severity`.
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }
}

impl CheckView {
    /// The view of each file's findings (file name, findings) against the
    /// release `release` (`title`: its display name).
    pub fn new<'a>(
        release: &str,
        title: &str,
        files: impl IntoIterator<Item = (&'a str, &'a [Finding])>,
        r: Redactor,
    ) -> CheckView {
        Self::assemble(
            release,
            title,
            files.into_iter().map(|(file, fs)| {
                (
                    file,
                    fs.iter().map(|f| FindingView::new(file, f, r)).collect(),
                )
            }),
        )
    }

    /// As [`CheckView::new`], taking each file's findings rather than
    /// copying them.
    pub fn from_owned<'a>(
        release: &str,
        title: &str,
        files: impl IntoIterator<Item = (&'a str, Vec<Finding>)>,
        r: Redactor,
    ) -> CheckView {
        Self::assemble(
            release,
            title,
            files.into_iter().map(|(file, fs)| {
                let views = fs
                    .into_iter()
                    .map(|f| FindingView::from_owned(file, f, r))
                    .collect();
                (file, views)
            }),
        )
    }

    /// The view of the files' findings, already masked, in file order.
    fn assemble<'a>(
        release: &str,
        title: &str,
        files: impl Iterator<Item = (&'a str, Vec<FindingView>)>,
    ) -> CheckView {
        let mut findings = Vec::new();
        let mut summary = Summary::default();
        let mut checked = Vec::new();
        for (file, views) in files {
            let start = findings.len();
            for v in &views {
                summary.add(v.severity);
            }
            findings.extend(views);
            checked.push(FileCheck {
                file: file.to_string(),
                findings: start..findings.len(),
            });
        }
        summary.files = checked.len();
        CheckView {
            schema: JSON_SCHEMA,
            release: release.to_string(),
            findings,
            summary,
            release_title: title.to_string(),
            files: checked,
        }
    }

    /// The findings of one file checked.
    pub fn of(&self, file: &FileCheck) -> &[FindingView] {
        &self.findings[file.findings.clone()]
    }

    /// Does any finding fail the check: an error, or a warning with `strict`.
    pub fn fails(&self, strict: bool) -> bool {
        self.summary.errors > 0 || (strict && self.summary.warnings > 0)
    }
}
