//! Migrating a nova.conf from one release to a later one, hop by hop.
//!
//! This room owns the rules (`migrations/<release>.toml`, embedded at build
//! time) and applying them to a [`Document`]. At each hop, into release H:
//!
//! 1. the rules of H, and those of earlier releases the file still needs
//!    (a rule is in force from its release on: a config that still holds
//!    what an older rule reads is migrated at the first hop), in order;
//! 2. the renames H's inventory declares (an old name nova still reads, or a
//!    name dropped in H whose option lives on) and the removals it implies
//!    (an option H no longer has that the release before had);
//! 3. the manual steps of H: rules that cannot edit, services H removed.
//!
//! At the first hop, values carrying an inline comment (which nova reads as
//! part of the value) are split, the comment moving to the line above. After
//! the last hop, options the target release requires and the file lacks
//! become manual steps. Every input option ends in exactly one [`Change`] or
//! in the `unchanged` count. It knows nothing of output formats.

mod account;
mod actions;
mod derived;
mod inline;
mod manual;
pub mod rules;
mod session;
mod transform;

use crate::conf::{Document, Entry, OptionRef};
use crate::release::detect::{self, Detection};
use crate::release::{Catalog, CatalogError, Release, Role};
use rules::{Rule, RulesFile, Safety, StepKind};

// The shared vocabulary, in scope for `rules.rs` (which the build script
// includes on its own, with these names at its crate root).
use crate::release::{model, successors, validate};

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// Why a migration could not run.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("cannot migrate backwards, from {from} to {to}")]
    Backwards { from: String, to: String },
    #[error("no option in the file tells which release it is for; give --from")]
    CannotTell,
    /// A bug in stackhop, not a problem with the input.
    #[error("{0}")]
    Internal(String),
}

/// What to migrate beyond the file itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Only manual steps and requirements of this role.
    pub role: Option<Role>,
    /// Comment removed options out (with a marker naming the rule) instead
    /// of deleting them.
    pub keep_removed: bool,
}

/// Where a migration starts.
#[derive(Debug)]
pub enum Start<'c> {
    /// The release the operator says the file is for.
    Given(&'c Release),
    /// Detected from the option names: the releases the file fits equally,
    /// oldest first. The migration starts from the oldest (no upgrade step
    /// is skipped), and what the hops inside the range do is reported as
    /// depending on that guess.
    Detected(Vec<&'c Release>),
}

impl<'c> Start<'c> {
    /// Tells the release of `doc` as `stackhop detect` does.
    pub fn detect(doc: &Document, catalog: &'c Catalog) -> Result<Start<'c>, MigrateError> {
        let detection: Detection = detect::detect(doc, catalog)?;
        let known = detection
            .candidates
            .iter()
            .any(|c| c.current + c.old_names > 0);
        let best = detection.best();
        if !known || best.is_empty() {
            return Err(MigrateError::CannotTell);
        }
        Ok(Start::Detected(best))
    }

    /// The release the migration starts from.
    pub fn release(&self) -> &'c Release {
        match self {
            Start::Given(r) => r,
            Start::Detected(best) => best[0],
        }
    }
}

/// An option as it reads at one point: its section as written, key, value
/// as nova reads it, and 1-based line. Holds raw values: it is not
/// serialisable (outputs go through `report::view`).
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub section: String,
    pub key: String,
    pub value: String,
    pub line: usize,
}

impl Snapshot {
    pub fn of(e: &Entry) -> Snapshot {
        Snapshot {
            section: e.section().to_string(),
            key: e.key().into_owned(),
            value: e.value().into_owned(),
            line: e.line(),
        }
    }

    /// The option, as oslo.config names it.
    pub fn option(&self) -> OptionRef {
        OptionRef::new(&self.section, &self.key)
    }
}

/// What a change did to an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    Rename,
    Remove,
    Set,
    ValueMap,
    MergeUrl,
    UrlPart,
    Transform,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Rename => "rename",
            ChangeKind::Remove => "remove",
            ChangeKind::Set => "set",
            ChangeKind::ValueMap => "value-map",
            ChangeKind::MergeUrl => "merge-url",
            ChangeKind::UrlPart => "url-part",
            ChangeKind::Transform => "transform",
        }
    }
}

/// What happened to one input option (or, with no `before`, an option a
/// rule added). Holds raw values: it is not serialisable, so that nothing
/// can print it unmasked; outputs use `report::view::ChangeView`.
///
/// ```compile_fail
/// fn serialisable<T: serde::Serialize>() {}
/// serialisable::<stackhop::migrate::Change>();
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The rule that gave the option its final form.
    pub rule: String,
    pub kind: ChangeKind,
    pub safety: Safety,
    /// The release whose hop made the change.
    pub release: String,
    pub before: Option<Snapshot>,
    /// Absent when the option was removed.
    pub after: Option<Snapshot>,
    pub note: Option<String>,
    /// Rules that changed the option on earlier hops, oldest first.
    pub via: Vec<String>,
    /// The `before` value is secret.
    pub before_secret: bool,
    /// The `after` value is secret.
    pub after_secret: bool,
    /// When the source release was a guess and this change comes from a hop
    /// inside the guessed range: the release the node must not be on yet
    /// for the change to be needed.
    pub if_not_yet_on: Option<String>,
}

/// Something the migration cannot do by editing the file.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualStep {
    /// The rule, requirement (`placement-credentials`) or service
    /// (`service:nova-cert`) it comes from.
    pub id: String,
    /// The hop it belongs to.
    pub release: String,
    /// Who does it (empty: any node).
    pub roles: Vec<Role>,
    pub kind: StepKind,
    /// The options it concerns.
    pub options: Vec<OptionRef>,
    /// Commands to run, in order, if any.
    pub commands: Vec<String>,
    pub text: String,
    /// As for [`Change::if_not_yet_on`].
    pub if_not_yet_on: Option<String>,
}

/// The result of a migration.
#[derive(Debug)]
pub struct Migration {
    pub document: Document,
    pub from: String,
    pub to: String,
    /// The releases passed through, in order (empty when from = to).
    pub hops: Vec<String>,
    pub changes: Vec<Change>,
    /// In release order.
    pub manual: Vec<ManualStep>,
    /// Input options no rule touched.
    pub unchanged: usize,
    /// When the source release was detected: the releases the file fits
    /// equally, oldest first (`from` is the first).
    pub guessed: Option<Vec<String>>,
}

impl Migration {
    pub fn changed(&self) -> bool {
        !self.changes.is_empty()
    }

    /// How many changes need review.
    pub fn reviews(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.safety == Safety::Review)
            .count()
    }
}

/// The rules of every release, as built into the binary.
pub struct RuleBook {
    files: Vec<RulesFile>,
}

impl RuleBook {
    /// The embedded rules.
    pub fn embedded() -> Result<RuleBook, MigrateError> {
        let files = MIGRATIONS
            .iter()
            .map(|(release, json)| {
                serde_json::from_str(json).map_err(|e| {
                    MigrateError::Internal(format!("migrations/{release}.toml (built in): {e}"))
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(RuleBook { files })
    }

    /// The rules of `release`.
    pub fn rules_of(&self, release: &str) -> &[Rule] {
        self.files
            .iter()
            .find(|f| f.release == release)
            .map_or(&[], |f| &f.rules)
    }

    /// Every rule, with its release, in release order.
    pub fn all(&self) -> impl Iterator<Item = (&str, &Rule)> {
        self.files
            .iter()
            .flat_map(|f| f.rules.iter().map(move |r| (f.release.as_str(), r)))
    }

    /// A rule by id (any case), with its release.
    pub fn find(&self, id: &str) -> Option<(&str, &Rule)> {
        self.all().find(|(_, r)| r.id.eq_ignore_ascii_case(id))
    }

    /// What every rule claims of the options it names, for the releases of
    /// `catalog` (see [`Catalog::validate`]).
    pub fn claims(&self, catalog: &Catalog) -> Vec<validate::Claim> {
        self.files
            .iter()
            .filter_map(|f| {
                let at = catalog.get(&f.release)?.index;
                let file = format!("migrations/{}.toml (built in)", f.release);
                Some(rules::claims(at, f, &file))
            })
            .flatten()
            .collect()
    }
}

/// The rules stackhop applies without a file of its own.
pub mod builtin {
    /// An old name the release's inventory still reads, or a name it dropped
    /// while its option lives on.
    pub const RENAME: &str = "INV-RENAME";
    /// An option the release's inventory no longer has.
    pub const REMOVE: &str = "INV-REMOVE";
    /// A value holding an inline comment.
    pub const INLINE_COMMENT: &str = "TRAP001";
    /// An option the target release requires for the role.
    pub const REQUIRED: &str = "REQ";

    /// (id, summary, why) of each.
    pub const ALL: &[(&str, &str, &str)] = &[
        (
            RENAME,
            "Options the release's inventory names differently are renamed",
            "Every release's option inventory lists the old names each option still reads \
             (deprecated aliases) and, through the release before, the names it dropped while \
             the option lived on. Writing the current name is safe: nova reads the same value, \
             and the old name stops working in a later release.",
        ),
        (
            REMOVE,
            "Options the release no longer has are removed",
            "An option the release before had and this release does not is ignored by nova from \
             here on. It is deleted (or, with --keep-removed, commented out under a marker naming \
             the rule) and the report says which release dropped it. Options no release of the \
             migration knew (typos, other services' options) are left alone for `check` to report.",
        ),
        (
            INLINE_COMMENT,
            "A comment after a value moves to the line above",
            "oslo.config has no inline comments: in `key = value  # note` nova reads \
             `value  # note`, which breaks booleans, numbers, hosts and passwords alike. The \
             comment moves to a line of its own above the option. A reviewer should confirm the \
             text was not meant to be part of the value; for a secret option nothing is changed \
             and a manual step asks to check it.",
        ),
        (
            REQUIRED,
            "Options the target release requires and the file lacks",
            "From the release data: for example [placement] credentials from Ocata, \
             [api_database] connection on controllers from Mitaka, transport_url from Stein. \
             stackhop cannot invent credentials or URLs, so these are manual steps.",
        ),
    ];
}

/// Migrates `doc` from where it starts to `to`, hop by hop.
pub fn migrate(
    doc: Document,
    catalog: &Catalog,
    book: &RuleBook,
    start: Start,
    to: &Release,
    options: Options,
) -> Result<Migration, MigrateError> {
    let from = start.release();
    if to.index < from.index {
        return Err(MigrateError::Backwards {
            from: from.info.core().title.clone(),
            to: to.info.core().title.clone(),
        });
    }
    let guessed = match &start {
        Start::Given(_) => None,
        Start::Detected(best) => Some(best.iter().map(|r| r.name().to_string()).collect()),
    };
    let hops = catalog.between(from, to);
    let known = derived::Known::new(book);
    let mut s = session::Session::new(doc, catalog, from, to, options)?;
    for (n, hop) in hops.iter().enumerate() {
        s.prev = &catalog.releases()[hop.index - 1];
        s.hop = hop;
        if n == 0 {
            inline::apply(&mut s)?;
            derived::already_ignored(&mut s, &known)?;
        }
        // The rules in force: the hop's own, and every earlier release's.
        for r in &catalog.releases()[..=hop.index] {
            let own_hop = r.index == hop.index;
            for rule in book.rules_of(r.name()) {
                let ctx = session::Ctx {
                    rule: rule.id.clone(),
                    safety: rule.safety,
                    release: r.name().to_string(),
                };
                for action in &rule.actions {
                    actions::apply(&mut s, &ctx, action, own_hop, &rule.roles)?;
                }
            }
        }
        derived::apply(&mut s, &known)?;
        manual::removed_services(&mut s);
    }
    if !hops.is_empty() {
        manual::requirements(&mut s)?;
    }
    Ok(account::finish(s, hops, guessed))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod props;
