//! The view of a comparison of two versions of a config.

use super::OptionView;
use crate::report::JSON_SCHEMA;
use crate::report::compare::{Delta, DeltaKind, Reading};
use crate::report::redact::Redactor;
use serde::Serialize;

/// What changed in meaning between two versions. Its JSON is `stackhop
/// diff --format json`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ComparisonView {
    pub schema: u32,
    pub old: String,
    pub new: String,
    /// The release whose inventory judged the options, if one did.
    pub release: Option<String>,
    pub summary: Totals,
    pub options: Vec<DeltaView>,
    /// The masked unified diff of the text.
    pub diff: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Totals {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub moved: usize,
}

/// One option that changed in meaning.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DeltaView {
    pub change: DeltaKind,
    pub before: Option<OptionView>,
    pub after: Option<OptionView>,
}

fn reading(r: &Option<Reading>, secret: bool, redactor: Redactor) -> Option<OptionView> {
    r.as_ref()
        .map(|x| OptionView::masked(&x.section, &x.key, &x.value, x.line, secret, redactor))
}

impl ComparisonView {
    pub fn new(
        old: &str,
        new: &str,
        release: Option<&str>,
        deltas: &[Delta],
        diff: String,
        r: Redactor,
    ) -> ComparisonView {
        let mut summary = Totals::default();
        for d in deltas {
            match d.kind {
                DeltaKind::Added => summary.added += 1,
                DeltaKind::Removed => summary.removed += 1,
                DeltaKind::Changed => summary.changed += 1,
                DeltaKind::Moved => summary.moved += 1,
            }
        }
        ComparisonView {
            schema: JSON_SCHEMA,
            old: old.to_string(),
            new: new.to_string(),
            release: release.map(str::to_string),
            summary,
            options: deltas
                .iter()
                .map(|d| DeltaView {
                    change: d.kind,
                    before: reading(&d.before, d.secret, r),
                    after: reading(&d.after, d.secret, r),
                })
                .collect(),
            diff,
        }
    }

    /// `2 added, 1 removed, 0 changed, 1 moved`.
    pub fn summary_line(&self) -> String {
        let t = self.summary;
        format!(
            "{} added, {} removed, {} changed, {} moved",
            t.added, t.removed, t.changed, t.moved
        )
    }

    pub fn is_empty(&self) -> bool {
        self.options.is_empty()
    }
}
