//! The release catalog: every release's identity, services, databases,
//! upgrade steps and nova.conf option inventory, as data.
//!
//! This room owns loading `releases/` (embedded in the binary at build time,
//! or read from `--releases-dir`), ordering releases, finding the path
//! between two, and mapping a nova version string to its release. It knows
//! nothing of how configs are edited.
//!
//! Loading is lazy. Built in, nothing is read up front: a release's
//! `release.toml` (compact JSON) is parsed when first used, its option
//! inventory is compiled tables (`tables.rs`) whose options are made as
//! lookups find them, its install steps parsed when asked for. Read from a
//! folder, every `release.toml` is read up front (to order and check them),
//! inventories and install steps when asked for, once.

pub mod detect;
pub mod history;
mod index;
mod inventory;
pub mod model;
mod requirements;
pub mod sample;
pub mod successors;
mod tables;
pub mod validate;

pub use history::{HistoryIndex, KeyHistory};
pub use inventory::{Found, Inventory, Lookup, OptionDef, is_secret};
pub use model::secret_name;
pub use model::{Distro, InstallFile, OptionType, ProcedureFile, ReleaseCore, ReleaseFile, Role};
pub use requirements::Missing;

// The shared vocabulary, in scope for `model.rs` (which the build script
// and xtask include on their own, with these names at their crate root).
use crate::conf::{AnyOf, OptionRef, normalize_group};

use std::borrow::Cow;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A data file of the catalog that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct CatalogError {
    pub file: String,
    pub message: String,
}

/// Data built into the binary by `build.rs`, validated at build time; the
/// option inventories are in `tables.rs`, in the same order.
struct Embedded {
    name: &'static str,
    /// [`ReleaseCore`] as JSON.
    core: &'static str,
    release: &'static str,
    install: Option<&'static str>,
}

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
include!(concat!(env!("OUT_DIR"), "/rule_facts.rs"));

/// What the built-in migration rules do with options (derived from
/// `migrations/*.toml` and validated by `build.rs`).
pub fn rule_facts() -> &'static successors::RuleFacts {
    static FACTS: OnceLock<successors::RuleFacts> = OnceLock::new();
    FACTS.get_or_init(|| serde_json::from_str(RULE_FACTS).expect("built by build.rs"))
}

/// Where a release's files are read from.
enum Origin {
    Embedded(&'static Embedded),
    Dir(PathBuf),
}

/// A release's `release.toml`, read as [`ReleaseFile`] (through `Deref`),
/// and its [`ReleaseCore`] ([`Info::core`]): what the engines need, read on
/// its own. Built in, each is parsed from the JSON `build.rs` wrote (and
/// read back) on first use.
pub struct Info {
    parsed: OnceLock<ReleaseFile>,
    json: &'static str,
    core: OnceLock<ReleaseCore>,
    core_json: &'static str,
}

impl Info {
    fn read(file: ReleaseFile) -> Info {
        Info {
            core: OnceLock::from(ReleaseCore::from(&file)),
            core_json: "",
            parsed: OnceLock::from(file),
            json: "",
        }
    }

    fn built_in(json: &'static str, core_json: &'static str) -> Info {
        Info {
            parsed: OnceLock::new(),
            json,
            core: OnceLock::new(),
            core_json,
        }
    }

    /// Who the release is, its service changes and role requirements,
    /// without parsing the rest of `release.toml`.
    pub fn core(&self) -> &ReleaseCore {
        self.core.get_or_init(|| {
            serde_json::from_str(self.core_json)
                .expect("build.rs wrote this JSON from a ReleaseCore and read it back")
        })
    }
}

impl Deref for Info {
    type Target = ReleaseFile;

    fn deref(&self) -> &ReleaseFile {
        self.parsed.get_or_init(|| {
            serde_json::from_str(self.json)
                .expect("build.rs wrote this JSON from a ReleaseFile and read it back")
        })
    }
}

/// One release: its `release.toml`, and its inventory and install steps on demand.
pub struct Release {
    pub info: Info,
    name: Cow<'static, str>,
    /// Position in the catalog, oldest first.
    pub index: usize,
    origin: Origin,
    has_install: bool,
    options: OnceLock<Result<Inventory, CatalogError>>,
    install: OnceLock<Result<Option<InstallFile>, CatalogError>>,
}

impl std::fmt::Debug for Release {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Release")
            .field("name", &self.name)
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl Release {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Full install knowledge (install steps) or only what upgrades need.
    pub fn data_level(&self) -> &'static str {
        if self.has_install {
            "full"
        } else {
            "upgrade-only"
        }
    }

    fn file(&self, kind: &str) -> String {
        match &self.origin {
            Origin::Embedded(_) => format!("releases/{}/{kind}.toml (built in)", self.name),
            Origin::Dir(dir) => dir.join(format!("{kind}.toml")).display().to_string(),
        }
    }

    /// The release's option inventory.
    pub fn inventory(&self) -> Result<&Inventory, CatalogError> {
        self.options
            .get_or_init(|| {
                let dir = match &self.origin {
                    // Validated by build.rs, with the same code, and laid
                    // out as tables: nothing to parse.
                    Origin::Embedded(_) => return Ok(tables::inventory(self.index)),
                    Origin::Dir(dir) => dir,
                };
                let parsed = from_toml(&dir.join("options.toml"))?;
                model::validate_options(&self.name, &parsed).map_err(|message| CatalogError {
                    file: self.file("options"),
                    message,
                })?;
                Ok(Inventory::new(parsed))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The release's install steps, for releases with full install knowledge.
    pub fn install(&self) -> Result<Option<&InstallFile>, CatalogError> {
        self.install
            .get_or_init(|| {
                if !self.has_install {
                    return Ok(None);
                }
                let file = self.file("install");
                let parsed: InstallFile = match &self.origin {
                    Origin::Embedded(e) => from_json(e.install.unwrap_or("null"), &file)?,
                    Origin::Dir(dir) => from_toml(&dir.join("install.toml"))?,
                };
                model::validate_install(&parsed)
                    .map_err(|message| CatalogError { file, message })?;
                Ok(Some(parsed))
            })
            .as_ref()
            .map(Option::as_ref)
            .map_err(Clone::clone)
    }
}

fn from_json<T: serde::de::DeserializeOwned>(json: &str, file: &str) -> Result<T, CatalogError> {
    serde_json::from_str(json).map_err(|e| CatalogError {
        file: file.to_string(),
        message: e.to_string(),
    })
}

fn from_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, CatalogError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| CatalogError {
        file: file.clone(),
        message: e.to_string(),
    })?;
    toml::from_str(&text).map_err(|e| CatalogError {
        file,
        message: e
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    })
}

/// Every release, oldest first.
pub struct Catalog {
    releases: Vec<Release>,
    /// Built in: computed at build time. From a folder: on first use.
    history: OnceLock<Result<HistoryIndex, CatalogError>>,
    /// A folder's `procedure.toml`, when it has one.
    procedure_file: Option<PathBuf>,
    procedure: OnceLock<Result<ProcedureFile, CatalogError>>,
}

impl Catalog {
    /// The catalog built into the binary.
    pub fn embedded() -> Result<Catalog, CatalogError> {
        debug_assert_eq!(tables::count(), EMBEDDED.len(), "one inventory a release");
        let mut releases = Vec::with_capacity(EMBEDDED.len());
        for (index, e) in EMBEDDED.iter().enumerate() {
            releases.push(Release {
                info: Info::built_in(e.release, e.core),
                name: Cow::Borrowed(e.name),
                index,
                origin: Origin::Embedded(e),
                has_install: e.install.is_some(),
                options: OnceLock::new(),
                install: OnceLock::new(),
            });
        }
        let history = OnceLock::new();
        let _ = history.set(Ok(HistoryIndex::compiled(
            &tables::History,
            tables::History::gaps(),
        )));
        Ok(Catalog {
            releases,
            history,
            procedure_file: None,
            procedure: OnceLock::new(),
        })
    }

    /// A catalog read from a folder shaped like `releases/`: one folder per
    /// release with `release.toml`, `options.toml` and maybe `install.toml`.
    pub fn from_dir(dir: &Path) -> Result<Catalog, CatalogError> {
        let err = |message: String| CatalogError {
            file: dir.display().to_string(),
            message,
        };
        let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| err(e.to_string()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        folders.sort();
        let mut infos = Vec::new();
        let mut files = Vec::new();
        for folder in &folders {
            let path = folder.join("release.toml");
            let info: ReleaseFile = from_toml(&path)?;
            let name = folder
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            model::validate_release(&name, &info).map_err(|message| CatalogError {
                file: path.display().to_string(),
                message,
            })?;
            files.push(path.display().to_string());
            infos.push(info);
        }
        if infos.is_empty() {
            return Err(err("no release folders".to_string()));
        }
        let refs: Vec<&ReleaseFile> = infos.iter().collect();
        let order = model::order_releases(&refs, &files).map_err(|message| {
            // The message starts with the file it is about, when there is one.
            match message.split_once(": ") {
                Some((file, rest)) if files.iter().any(|f| f == file) => CatalogError {
                    file: file.to_string(),
                    message: rest.to_string(),
                },
                _ => err(message),
            }
        })?;
        let mut slots: Vec<Option<ReleaseFile>> = infos.into_iter().map(Some).collect();
        let releases = order
            .into_iter()
            .enumerate()
            .map(|(index, i)| {
                let folder = folders[i].clone();
                let info = slots[i].take().expect("each release once");
                Release {
                    name: Cow::Owned(info.name.clone()),
                    info: Info::read(info),
                    index,
                    has_install: folder.join("install.toml").exists(),
                    origin: Origin::Dir(folder),
                    options: OnceLock::new(),
                    install: OnceLock::new(),
                }
            })
            .collect();
        let procedure_file = Some(dir.join("procedure.toml")).filter(|p| p.exists());
        Ok(Catalog {
            releases,
            history: OnceLock::new(),
            procedure_file,
            procedure: OnceLock::new(),
        })
    }

    /// What every release's runbook shares (`procedure.toml`): the folder's
    /// own when it has one, else the built-in one.
    pub fn procedure(&self) -> Result<&ProcedureFile, CatalogError> {
        self.procedure
            .get_or_init(|| {
                let Some(path) = &self.procedure_file else {
                    return from_json(PROCEDURE, "releases/procedure.toml (built in)");
                };
                let parsed: ProcedureFile = from_toml(path)?;
                let file = path.display().to_string();
                let fail = |message: String| CatalogError {
                    file: file.clone(),
                    message,
                };
                model::validate_procedure(&parsed).map_err(fail)?;
                let infos: Vec<&ReleaseFile> = self.releases.iter().map(|r| &*r.info).collect();
                model::validate_runbook_data(&parsed, &infos).map_err(fail)?;
                Ok(parsed)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The built-in catalog, or the one in `dir`.
    pub fn load(dir: Option<&Path>) -> Result<Catalog, CatalogError> {
        match dir {
            Some(dir) => Catalog::from_dir(dir),
            None => Catalog::embedded(),
        }
    }

    pub fn releases(&self) -> &[Release] {
        &self.releases
    }

    /// Where every option name stands in every release.
    pub fn history(&self) -> Result<&HistoryIndex, CatalogError> {
        self.history
            .get_or_init(|| {
                let files = self
                    .releases
                    .iter()
                    .map(|r| {
                        r.inventory()?.file().ok_or_else(|| CatalogError {
                            file: r.file("options"),
                            message: "built-in inventory in a catalog read from a folder"
                                .to_string(),
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(HistoryIndex::build(files))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The release of this code name (any case).
    pub fn get(&self, name: &str) -> Option<&Release> {
        self.releases
            .iter()
            .find(|r| r.name().eq_ignore_ascii_case(name))
    }

    /// The release named, or one whose nova version `name` is (`14.0.7`,
    /// `2014.2.4`), or an error listing the releases there are.
    pub fn resolve(&self, name: &str) -> Result<&Release, String> {
        self.get(name)
            .or_else(|| self.by_version(name))
            .ok_or_else(|| {
                format!(
                    "unknown release {name:?}; releases: {}",
                    self.releases
                        .iter()
                        .map(Release::name)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }

    /// The release a nova version belongs to: `14.0.7` → newton,
    /// `2014.2.4` (or `2014.2`) → juno.
    pub fn by_version(&self, version: &str) -> Option<&Release> {
        let padded;
        let version = match version.matches('.').count() {
            1 => {
                padded = format!("{version}.0");
                &padded
            }
            _ => version,
        };
        let v = semver::Version::parse(version).ok()?;
        self.releases.iter().find(|r| {
            let Ok(rv) = semver::Version::parse(&r.info.core().nova_version) else {
                return false;
            };
            if rv.major >= 2000 {
                rv.major == v.major && rv.minor == v.minor
            } else {
                rv.major == v.major
            }
        })
    }

    /// The releases an upgrade from `from` to `to` passes through: every one
    /// after `from`, up to and including `to`. Empty when `to` is not later.
    pub fn between(&self, from: &Release, to: &Release) -> &[Release] {
        if to.index <= from.index {
            return &[];
        }
        &self.releases[from.index + 1..=to.index]
    }

    /// The release before `release`, if any.
    pub fn before(&self, release: &Release) -> Option<&Release> {
        release.index.checked_sub(1).map(|i| &self.releases[i])
    }

    /// Checks that every option the release data and `more` (the claims of
    /// other data, such as migration rules) name exists in the releases
    /// they concern. The build does this for the built-in data; a catalog
    /// read from a folder is checked here.
    pub fn validate(&self, more: &[validate::Claim]) -> Result<(), CatalogError> {
        let infos: Vec<&ReleaseFile> = self.releases.iter().map(|r| &*r.info).collect();
        let files: Vec<String> = self.releases.iter().map(|r| r.file("release")).collect();
        let broken = |b: validate::Broken| CatalogError {
            file: b.file,
            message: b.message,
        };
        let mut claims = validate::release_claims(&infos, &files).map_err(broken)?;
        claims.extend_from_slice(more);
        let names: Vec<&str> = self.releases.iter().map(|r| r.name()).collect();
        validate::check_claims(self.history()?, &claims, &names).map_err(broken)
    }
}

#[cfg(test)]
mod tests;
