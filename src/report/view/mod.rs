//! The masked views of every result: what text, JSON, Markdown, GitHub
//! annotations, SARIF and runbooks render from, and what a library user
//! serialises.
//!
//! A view is built once, through the [`Redactor`], from a result that holds
//! raw values (a [`Migration`](crate::migrate::Migration), [`Finding`]s, a
//! comparison). Those raw types are not `Serialize`; views are, and hold
//! nothing a reader may not see. Renderers never see a raw value.
//!
//! [`Finding`]: crate::check::Finding

mod check;
mod comparison;
mod extract;
mod fleet;
mod migration;

pub use check::{CheckView, FileCheck, FindingView, Summary};
pub use comparison::{ComparisonView, DeltaView, Totals};
pub use extract::{
    DistroView, EvidenceView, ExtractView, FileView, ReleaseView, SettingView, StepView,
    SummaryView,
};
pub use fleet::{Command, FindingKey, FleetEntry, FleetTotals, FleetView, Shared, Status, StepKey};
pub use migration::{ChangeView, DetectedView, HopView, ManualStepView, MigrationView};

use super::redact::Redactor;
use serde::Serialize;

/// One option as shown: where it is and its value, masked when secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct OptionView {
    /// As written in the file.
    pub section: String,
    pub key: String,
    pub value: String,
    /// 1-based.
    pub line: usize,
}

impl OptionView {
    fn masked(
        section: &str,
        key: &str,
        value: &str,
        line: usize,
        secret: bool,
        r: Redactor,
    ) -> Self {
        OptionView {
            section: section.to_string(),
            key: key.to_string(),
            value: r.value(value, secret).into_owned(),
            line,
        }
    }

    /// `[section] key`.
    pub fn name(&self) -> String {
        format!("[{}] {}", self.section, self.key)
    }

    /// `[section] key = value`.
    pub fn assignment(&self) -> String {
        format!("[{}] {} = {}", self.section, self.key, self.value)
    }
}

/// Free text that may quote a value (a note, a message): URL passwords in
/// it are masked.
fn text(s: &str, r: Redactor) -> String {
    r.value(s, false).into_owned()
}
