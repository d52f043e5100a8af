//! The view of a migration.

use super::{OptionView, text};
use crate::migrate::rules::{Safety, StepKind};
use crate::migrate::{Change, ManualStep, Migration, Snapshot};
use crate::release::{Catalog, Role};
use crate::report::JSON_SCHEMA;
use crate::report::redact::Redactor;
use serde::Serialize;

/// A migration as it may be shown. Its JSON is `stackhop migrate
/// --format json` (see the README).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MigrationView {
    pub schema: u32,
    pub file: String,
    pub from: String,
    pub to: String,
    /// When `from` was detected rather than given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detected: Option<DetectedView>,
    /// The releases passed through, in order.
    pub hops: Vec<String>,
    pub changes: Vec<ChangeView>,
    /// In release order.
    pub manual: Vec<ManualStepView>,
    /// Input options no rule touched.
    pub unchanged: usize,
    /// The masked unified diff of the file, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// Display names of `from` and `to` (`Juno`).
    #[serde(skip)]
    pub from_title: String,
    #[serde(skip)]
    pub to_title: String,
}

/// How the source release was told.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DetectedView {
    /// The releases the file fits equally, oldest first.
    pub fits: Vec<String>,
    /// The same as a range, `queens–stein`.
    pub range: String,
}

/// One change of the migration.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ChangeView {
    /// The rule that gave the option its final form.
    pub rule: String,
    /// `rename`, `remove`, `set`, `value-map`, `merge-url`, `url-part`, `transform`.
    pub kind: &'static str,
    #[schemars(schema_with = "crate::schema::safety")]
    pub safety: Safety,
    /// The release the rule belongs to.
    pub release: String,
    /// Where the input option was (absent: an option a rule added).
    pub before: Option<OptionView>,
    /// Where it is now (absent: removed).
    pub after: Option<OptionView>,
    pub note: Option<String>,
    /// Rules that changed the option on earlier hops, oldest first.
    pub via: Vec<String>,
    /// When the source release was a guess: the change is needed only if
    /// the node is not on this release yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub if_not_yet_on: Option<String>,
}

/// Something to do by hand.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ManualStepView {
    /// The rule, requirement or service (`service:nova-cert`) it comes from.
    pub rule: String,
    /// The hop it belongs to.
    pub release: String,
    /// Who does it (empty: any node).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "crate::schema::roles")]
    pub roles: Vec<Role>,
    #[schemars(schema_with = "crate::schema::manual_kind")]
    pub kind: StepKind,
    /// The options it concerns, `group/name`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Commands to run, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<String>,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub if_not_yet_on: Option<String>,
}

/// One hop of a migration, for renderers that go hop by hop (runbooks).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct HopView<'v> {
    pub release: &'v str,
    pub changes: Vec<&'v ChangeView>,
    pub manual: Vec<&'v ManualStepView>,
}

fn snapshot(s: &Option<Snapshot>, secret: bool, r: Redactor) -> Option<OptionView> {
    s.as_ref()
        .map(|s| OptionView::masked(&s.section, &s.key, &s.value, s.line, secret, r))
}

impl ChangeView {
    pub fn new(c: &Change, r: Redactor) -> ChangeView {
        ChangeView {
            rule: c.rule.clone(),
            kind: c.kind.as_str(),
            safety: c.safety,
            release: c.release.clone(),
            before: snapshot(&c.before, c.before_secret, r),
            after: snapshot(&c.after, c.after_secret, r),
            note: c.note.as_deref().map(|n| text(n, r)),
            via: c.via.clone(),
            if_not_yet_on: c.if_not_yet_on.clone(),
        }
    }

    /// The option the change is about: where it was, or, for an added
    /// one, where it is.
    pub fn option(&self) -> Option<&OptionView> {
        self.before.as_ref().or(self.after.as_ref())
    }
}

impl ManualStepView {
    pub fn new(m: &ManualStep, r: Redactor) -> ManualStepView {
        ManualStepView {
            rule: m.id.clone(),
            release: m.release.clone(),
            roles: m.roles.clone(),
            kind: m.kind,
            options: m.options.iter().map(|o| o.spec()).collect(),
            commands: m.commands.iter().map(|c| text(c, r)).collect(),
            text: text(&m.text, r),
            if_not_yet_on: m.if_not_yet_on.clone(),
        }
    }

    /// `controller`, `controller and compute`, or empty for any node.
    pub fn who(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(" and ")
    }
}

impl MigrationView {
    /// The view of `m` of `file`; `catalog` gives release titles.
    pub fn new(file: &str, m: &Migration, catalog: &Catalog, r: Redactor) -> MigrationView {
        let title = |name: &str| {
            catalog
                .get(name)
                .map_or_else(|| name.to_string(), |rel| rel.info.core().title.clone())
        };
        MigrationView {
            schema: JSON_SCHEMA,
            file: file.to_string(),
            from: m.from.clone(),
            to: m.to.clone(),
            detected: m.guessed.as_ref().map(|fits| DetectedView {
                range: crate::release::detect::ranges(catalog, fits),
                fits: fits.clone(),
            }),
            hops: m.hops.clone(),
            changes: m.changes.iter().map(|c| ChangeView::new(c, r)).collect(),
            manual: m.manual.iter().map(|s| ManualStepView::new(s, r)).collect(),
            unchanged: m.unchanged,
            diff: None,
            from_title: title(&m.from),
            to_title: title(&m.to),
        }
    }

    /// With the masked unified diff of the file.
    pub fn with_diff(mut self, diff: String) -> MigrationView {
        self.diff = Some(diff);
        self
    }

    pub fn reviews(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.safety == Safety::Review)
            .count()
    }

    /// `juno → wallaby (13 hops: kilo, …)`.
    pub fn route(&self) -> String {
        match self.hops.len() {
            0 => format!("{} → {} (nothing to do)", self.from, self.to),
            1 => format!("{} → {}", self.from, self.to),
            n => format!(
                "{} → {} ({n} hops: {})",
                self.from,
                self.to,
                self.hops.join(", ")
            ),
        }
    }

    /// The changes and manual steps of each hop, in order. A change made
    /// by a rule of an earlier release (a config catching up) belongs to
    /// the hop of its rule's release when that is a hop, else to the first.
    pub fn by_hop(&self) -> Vec<HopView<'_>> {
        let mut hops: Vec<HopView> = self
            .hops
            .iter()
            .map(|h| HopView {
                release: h,
                changes: Vec::new(),
                manual: Vec::new(),
            })
            .collect();
        if hops.is_empty() {
            return hops;
        }
        let slot = |release: &str| self.hops.iter().position(|h| h == release).unwrap_or(0);
        for c in &self.changes {
            hops[slot(&c.release)].changes.push(c);
        }
        for m in &self.manual {
            hops[slot(&m.release)].manual.push(m);
        }
        hops
    }
}
