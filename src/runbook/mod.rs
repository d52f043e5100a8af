//! Runbooks: the upgrade and install procedures an operator follows, in
//! Markdown, rendered with handlebars from one serialisable context.
//!
//! This room owns building that context from the release data (upgrade
//! steps per release, role and distribution, repositories, services, the
//! install guides) and from the masked migration view of the config files,
//! and rendering it through templates (`templates/`, embedded, overridable
//! file by file). Secrets never reach it: commands name them as shell
//! variables the operator exports first, diffs come masked. It knows nothing
//! of rule logic.
//!
//! ```no_run
//! use stackhop::release::{Catalog, Distro, Role};
//! use stackhop::migrate::RuleBook;
//! use stackhop::report::redact::Redactor;
//! use stackhop::runbook::{self, Templates, UpgradeRequest};
//!
//! let catalog = Catalog::embedded()?;
//! let book = RuleBook::embedded()?;
//! let ctx = runbook::upgrade(&catalog, &book, &UpgradeRequest {
//!     from: Some("juno"),
//!     to: "wallaby",
//!     configs: &[],
//!     role: Some(Role::Controller),
//!     distro: Distro::Ubuntu,
//!     endpoints: None,
//!     redactor: Redactor::default(),
//! })?;
//! let markdown = runbook::render(&ctx, &Templates::embedded())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod build;
pub mod context;
mod install;
mod render;
mod shell;
mod upgrade;

pub use context::{RunbookContext, SCHEMA};
pub use install::{ConfigOut, InstallRequest, install, install_configs};
pub use render::{TemplateError, Templates, render};
pub use upgrade::{UpgradeRequest, upgrade};

use crate::conf::Document;

/// Why a runbook could not be made.
#[derive(Debug, thiserror::Error)]
pub enum RunbookError {
    /// Bad input: an unknown release, `--from` not before `--to`, an
    /// unknown `--set` name.
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Catalog(#[from] crate::release::CatalogError),
    #[error("{0}")]
    Migrate(String),
    /// The endpoint list could not be read.
    #[error("{file}: {message}")]
    Endpoints { file: String, message: String },
    /// The release data lacks what the runbook needs (a bug in the data).
    #[error("release data: {0}")]
    Data(String),
    #[error(transparent)]
    Template(#[from] TemplateError),
}

/// A config file to carry through the upgrade.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    /// As the runbook names it.
    pub name: String,
    pub document: Document,
}

/// One row of `openstack endpoint list -f json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct EndpointRecord {
    #[serde(rename = "ID")]
    pub id: String,
    #[serde(rename = "Region", default)]
    pub region: Option<String>,
    #[serde(rename = "Service Name", default)]
    pub service_name: Option<String>,
    #[serde(rename = "Service Type", default)]
    pub service_type: Option<String>,
    #[serde(rename = "Interface", default)]
    pub interface: Option<String>,
    #[serde(rename = "URL")]
    pub url: String,
}

impl EndpointRecord {
    /// A Compute (nova) endpoint.
    pub fn is_compute(&self) -> bool {
        match &self.service_type {
            Some(t) => t == "compute",
            None => self.service_name.as_deref() == Some("nova"),
        }
    }
}

/// Reads `openstack endpoint list -f json` output; `file` names it in errors.
pub fn parse_endpoints(file: &str, bytes: &[u8]) -> Result<Vec<EndpointRecord>, RunbookError> {
    serde_json::from_slice(bytes).map_err(|e| RunbookError::Endpoints {
        file: format!("{file}:{}", e.line()),
        message: format!(
            "not the output of `openstack endpoint list -f json` (an array of objects with \
             \"ID\" and \"URL\"): {e}"
        ),
    })
}

/// `stackhop 0.1.0`.
fn generator() -> String {
    format!("stackhop {}", env!("CARGO_PKG_VERSION"))
}
