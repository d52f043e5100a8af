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

mod engine;
pub mod rules;
mod transform;

use crate::conf::Document;
use crate::release::{Catalog, CatalogError, Release, Role};
use rules::{Rule, RulesFile, Safety};
use serde::Serialize;
use std::collections::HashMap;

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// Why a migration could not run.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("{0}")]
    Invalid(String),
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

/// An option as it reads at one point: its section as written, key, value
/// as nova reads it, and 1-based line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    pub section: String,
    pub key: String,
    pub value: String,
    pub line: usize,
}

/// What happened to one input option (or, with no `before`, an option a
/// rule added).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The rule that gave the option its final form.
    pub rule: String,
    pub kind: &'static str,
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
    #[serde(skip)]
    pub before_secret: bool,
    /// The `after` value is secret.
    #[serde(skip)]
    pub after_secret: bool,
}

/// Something the migration cannot do by editing the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Manual {
    pub rule: String,
    pub release: String,
    pub text: String,
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
    pub manual: Vec<Manual>,
    /// Input options no rule touched.
    pub unchanged: usize,
}

impl Migration {
    pub fn changed(&self) -> bool {
        !self.changes.is_empty()
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
                    MigrateError::Invalid(format!("migrations/{release}.toml (built in): {e}"))
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

    /// Explicit renames, by (from, to): the rule that documents them.
    fn renames(&self) -> HashMap<(String, String), (&str, &Rule)> {
        let mut out = HashMap::new();
        for (release, rule) in self.all() {
            for action in &rule.actions {
                if let rules::Action::Rename { from, to } = action {
                    out.insert((from.clone(), to.clone()), (release, rule));
                }
            }
        }
        out
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

/// Migrates `doc` from `from` to `to`.
pub fn migrate(
    doc: Document,
    catalog: &Catalog,
    book: &RuleBook,
    from: &Release,
    to: &Release,
    options: Options,
) -> Result<Migration, MigrateError> {
    if to.index < from.index {
        return Err(MigrateError::Invalid(format!(
            "cannot migrate backwards, from {} to {}",
            from.info.title, to.info.title
        )));
    }
    engine::run(doc, catalog, book, from, to, options)
}

#[cfg(test)]
mod tests;
