//! The project config file, `stackhop.toml` (or `.stackhop.toml`), as ruff
//! reads `ruff.toml`: found from the current folder upwards, it says which
//! files are which release and role, the release to migrate to, finding
//! codes to skip and output defaults, so a repository of configs runs
//! `stackhop check` or `stackhop migrate --check` with no flags.
//!
//! ```toml
//! [[files]]
//! path = "etc/controller/*.conf"   # a glob, relative to this file's folder
//! release = "juno"                 # the release these files run
//! role = "controller"              # optional
//!
//! [check]
//! format = "github"                # text, json, github, sarif
//! strict = true
//! skip = ["C201", "C402"]          # finding codes (or names) not reported
//!
//! [migrate]
//! to = "wallaby"
//! format = "markdown"              # text, json, markdown, github, sarif
//! keep_removed = true
//! ```
//!
//! Command-line flags always win over the file. Every setting keeps where
//! it came from ([`Origin`]), which `stackhop config` prints. An unknown
//! key, or a value of the wrong kind, is an error naming the file and line.
//!
//! "For this path, which release and role apply" is one function,
//! [`Project::settings_for`]; the last `[[files]]` entry whose glob matches
//! the path wins.

use super::error::{Error, Outcome};
use super::print;
use super::settings::Format;
use clap::Args;
use serde::Deserialize;
use stackhop::release::Role;
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use toml::Spanned;

/// The names looked for in each folder, in this order.
pub const NAMES: [&str; 2] = ["stackhop.toml", ".stackhop.toml"];

/// Where a setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag.
    Flag,
    /// The project config file, at this line.
    File { path: String, line: usize },
    /// stackhop's default.
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag => f.write_str("flag"),
            Origin::File { path, line } => write!(f, "{path}:{line}"),
            Origin::Default => f.write_str("default"),
        }
    }
}

/// A setting in force, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Setting<T> {
    /// An error about this setting's value, saying where the value came
    /// from: the file and line of the project config, or the flag (`flag`,
    /// `--release`) that gave it.
    pub fn error(&self, flag: &str, message: impl Into<String>) -> Error {
        match &self.origin {
            Origin::File { .. } => Error::user(message).context(self.origin.to_string()),
            Origin::Flag => Error::user(message).context(flag),
            Origin::Default => Error::user(message),
        }
    }

    fn flag(value: T) -> Self {
        Setting {
            value,
            origin: Origin::Flag,
        }
    }

    fn default(value: T) -> Self {
        Setting {
            value,
            origin: Origin::Default,
        }
    }
}

/// What `[[files]]` says of one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSettings {
    /// The release the file runs, as written (a name or a nova version).
    pub release: Setting<String>,
    pub role: Option<Setting<Role>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    #[serde(default)]
    files: Vec<FilesEntry>,
    #[serde(default)]
    check: CheckSection,
    #[serde(default)]
    migrate: MigrateSection,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilesEntry {
    path: Spanned<String>,
    release: Spanned<String>,
    #[serde(default)]
    role: Option<Spanned<Role>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckSection {
    format: Option<Spanned<String>>,
    strict: Option<Spanned<bool>>,
    skip: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MigrateSection {
    to: Option<Spanned<String>>,
    format: Option<Spanned<String>>,
    keep_removed: Option<Spanned<bool>>,
}

/// A project config file, read and checked.
#[derive(Debug)]
pub struct Project {
    /// The file, as shown in messages (relative to the current folder when
    /// it is there, else absolute).
    pub shown: String,
    /// Its folder, absolute: globs and SARIF paths are relative to it.
    pub dir: PathBuf,
    text: String,
    file: ProjectFile,
}

/// The current folder, absolute.
fn cwd() -> Result<PathBuf, Error> {
    std::env::current_dir().map_err(|e| Error::from(e).context("the current folder"))
}

/// `path` made absolute against the current folder, with `.` and `..`
/// resolved by name (the file need not exist).
pub fn absolute(path: &Path) -> Result<PathBuf, Error> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd()?.join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// `path` relative to `base` when it is under it.
fn under(path: &Path, base: &Path) -> Option<PathBuf> {
    path.strip_prefix(base).ok().map(Path::to_path_buf)
}

impl Project {
    /// The project config of the current folder: the first `stackhop.toml`
    /// or `.stackhop.toml` from it upwards. `STACKHOP_CONFIG` names a file
    /// to use instead (`none`: use none).
    pub fn discover() -> Result<Option<Project>, Error> {
        match std::env::var_os("STACKHOP_CONFIG") {
            Some(v) if v == "none" => return Ok(None),
            Some(v) if !v.is_empty() => return Project::read(&absolute(Path::new(&v))?).map(Some),
            _ => {}
        }
        let start = cwd()?;
        for dir in start.ancestors() {
            for name in NAMES {
                let path = dir.join(name);
                if path.is_file() {
                    return Project::read(&path).map(Some);
                }
            }
        }
        Ok(None)
    }

    /// Reads and checks the project config at `path` (absolute).
    pub fn read(path: &Path) -> Result<Project, Error> {
        let here = cwd()?;
        let shown = match path.parent() {
            Some(dir) if dir == here => path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into(),
            ),
            _ => under(path, &here)
                .map_or_else(|| path.display().to_string(), |p| p.display().to_string()),
        };
        let text = std::fs::read_to_string(path).map_err(|e| Error::from(e).context(&shown))?;
        let file: ProjectFile = toml::from_str(&text).map_err(|e| {
            let line = e.span().map_or(1, |s| line_of(&text, s.start));
            Error::user(format!(
                "{}; see the project config's keys with `stackhop config --help`",
                e.message().trim_end()
            ))
            .context(format!("{shown}:{line}"))
        })?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let project = Project {
            shown,
            dir,
            text,
            file,
        };
        project.validate()?;
        Ok(project)
    }

    fn validate(&self) -> Result<(), Error> {
        for entry in &self.file.files {
            let pattern = entry.path.get_ref();
            if Path::new(pattern).is_absolute() {
                return Err(self.error(
                    entry.path.span().start,
                    format!("`{pattern}` is absolute: write it relative to this file's folder"),
                ));
            }
            if let Err(e) = glob::Pattern::new(pattern) {
                return Err(self.error(
                    entry.path.span().start,
                    format!("`{pattern}` is not a glob: {}", e.msg),
                ));
            }
        }
        let formats: [(&Option<Spanned<String>>, &[Format]); 2] = [
            (&self.file.check.format, CHECK_FORMATS),
            (&self.file.migrate.format, MIGRATE_FORMATS),
        ];
        for (format, allowed) in formats {
            if let Some(f) = format {
                if Format::named(f.get_ref(), allowed).is_none() {
                    return Err(self.error(
                        f.span().start,
                        format!(
                            "format `{}` is not one of {}",
                            f.get_ref(),
                            allowed
                                .iter()
                                .map(|f| f.name())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
            }
        }
        if let Some(skip) = &self.file.check.skip {
            for code in skip.get_ref() {
                if stackhop::check::Kind::by_code(code).is_none() {
                    return Err(self.error(
                        skip.span().start,
                        format!(
                            "`{code}` in skip is no finding code: `stackhop explain C101` shows one, the README lists them"
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// An error at byte `at` of the file.
    pub fn error(&self, at: usize, message: impl Into<String>) -> Error {
        Error::user(message).context(format!("{}:{}", self.shown, line_of(&self.text, at)))
    }

    fn origin(&self, at: usize) -> Origin {
        Origin::File {
            path: self.shown.clone(),
            line: line_of(&self.text, at),
        }
    }

    /// Every release the file names (`[[files]]` release, `[migrate] to`),
    /// each with where it is written.
    pub fn named_releases(&self) -> Vec<(&'static str, Setting<String>)> {
        let mut out: Vec<_> = self
            .file
            .files
            .iter()
            .map(|e| ("release", self.setting(&e.release)))
            .collect();
        if let Some(to) = &self.file.migrate.to {
            out.push(("to", self.setting(to)));
        }
        out
    }

    fn setting<T: Clone>(&self, s: &Spanned<T>) -> Setting<T> {
        Setting {
            value: s.get_ref().clone(),
            origin: self.origin(s.span().start),
        }
    }

    /// What `[[files]]` says of `path` (as given on the command line,
    /// relative to the current folder, or absolute): the last entry whose
    /// glob matches its path relative to the project's folder. `None` when
    /// no entry matches, or the path is outside the project's folder.
    pub fn settings_for(&self, path: &Path) -> Option<FileSettings> {
        let abs = absolute(path).ok()?;
        let rel = under(&abs, &self.dir)?;
        let options = glob::MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: false,
        };
        self.file
            .files
            .iter()
            .rev()
            .find(|e| {
                glob::Pattern::new(relative_pattern(e.path.get_ref()))
                    .is_ok_and(|p| p.matches_path_with(&rel, options))
            })
            .map(|e| FileSettings {
                release: self.setting(&e.release),
                role: e.role.as_ref().map(|r| self.setting(r)),
            })
    }

    /// Every file `[[files]]` lists, in the order of the entries and, within
    /// one, of the paths; as paths relative to the current folder when they
    /// are under it. An entry that matches no file is an error (a typo
    /// would otherwise check nothing and pass).
    pub fn files(&self) -> Result<Vec<String>, Error> {
        let here = cwd()?;
        let mut out: Vec<String> = Vec::new();
        for entry in &self.file.files {
            let pattern = self.dir.join(entry.path.get_ref());
            let paths = glob::glob(&pattern.to_string_lossy())
                .map_err(|e| self.error(entry.path.span().start, e.msg))?;
            let mut found = 0;
            for p in paths {
                let p = p.map_err(|e| {
                    Error::user(e.error().to_string()).context(e.path().display().to_string())
                })?;
                if !p.is_file() {
                    continue;
                }
                found += 1;
                let shown = under(&p, &here).unwrap_or(p).display().to_string();
                if !out.contains(&shown) {
                    out.push(shown);
                }
            }
            if found == 0 {
                return Err(self.error(
                    entry.path.span().start,
                    format!(
                        "`{}` matches no file under {}: fix the glob, or remove the entry",
                        entry.path.get_ref(),
                        self.dir.display()
                    ),
                ));
            }
        }
        Ok(out)
    }
}

fn slashed(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The 1-based line of byte `at`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The formats `check` and `migrate` take.
pub const CHECK_FORMATS: &[Format] = &[Format::Text, Format::Json, Format::Github, Format::Sarif];
pub const MIGRATE_FORMATS: &[Format] = &[
    Format::Text,
    Format::Json,
    Format::Markdown,
    Format::Github,
    Format::Sarif,
];

/// A `[[files]]` path as it is matched against paths relative to the
/// project's folder: `./etc/*.conf` and `etc/*.conf` are the same glob.
fn relative_pattern(path: &str) -> &str {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.trim_start_matches('/');
    }
    p
}

/// The root SARIF paths are relative to: the project's folder, else the
/// git work tree the current folder is in, else the current folder.
pub fn sarif_root(project: Option<&Project>) -> Option<PathBuf> {
    if let Some(p) = project {
        return Some(p.dir.clone());
    }
    let here = cwd().ok()?;
    let root = here
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map_or_else(|| here.clone(), Path::to_path_buf);
    Some(root)
}

/// `file` relative to `root`, `/`-separated; `None` for standard input or
/// a file outside `root`.
pub fn sarif_uri(root: Option<&Path>, file: &str) -> Option<String> {
    if file == "<stdin>" || file == "-" {
        return None;
    }
    let rel = under(&absolute(Path::new(file)).ok()?, root?)?;
    Some(slashed(&rel))
}

/// The settings `check` runs with, and where each came from.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    pub format: Setting<Format>,
    pub strict: Setting<bool>,
    /// Finding codes not reported.
    pub skip: Setting<Vec<String>>,
}

/// One group of files checked together: one release, one role.
#[derive(Debug, Clone)]
pub struct Group {
    /// `None`: none given or listed (`migrate` then detects it).
    pub release: Option<Setting<String>>,
    pub role: Option<Setting<Role>>,
    pub files: Vec<String>,
}

/// Which files to work on, each with its release and role: the files
/// given (or, with none, those `[[files]]` lists), with `--release` (or
/// `--from`) and `--role` when given, else what `[[files]]` says of each.
/// Files that share a release and role are one group, in the order met.
pub fn groups(
    project: Option<&Project>,
    files: &[String],
    release: Option<&str>,
    release_flag: &str,
    release_required: bool,
    role: Option<Role>,
) -> Result<Vec<Group>, Error> {
    let listed;
    let files: &[String] = if files.is_empty() {
        let Some(p) = project else {
            return Err(Error::user(format!(
                "no FILE given and no stackhop.toml in this folder or above: name the config files, \
                 or write a stackhop.toml with [[files]] entries (see `stackhop config --help`); \
                 e.g. `stackhop check nova.conf {release_flag} wallaby`"
            )));
        };
        listed = p.files()?;
        if listed.is_empty() {
            return Err(Error::user(
                "lists no [[files]]: add one (path, release, role), or name the config files",
            )
            .context(&p.shown));
        }
        &listed
    } else {
        files
    };
    let mut groups: Vec<Group> = Vec::new();
    for file in files {
        let from_file = project.and_then(|p| {
            if file == "-" {
                None
            } else {
                p.settings_for(Path::new(file))
            }
        });
        let release = match (release, &from_file) {
            (Some(r), _) => Some(Setting::flag(r.to_string())),
            (None, Some(s)) => Some(s.release.clone()),
            (None, None) if !release_required => None,
            (None, None) => {
                return Err(Error::user(format!(
                    "no release for this file: give {release_flag} RELEASE, or list the file under [[files]] in {}",
                    project.map_or("a stackhop.toml", |p| p.shown.as_str())
                ))
                .context(file));
            }
        };
        let role = match (role, &from_file) {
            (Some(r), _) => Some(Setting::flag(r)),
            (None, Some(s)) => s.role.clone(),
            (None, None) => None,
        };
        match groups.iter_mut().find(|g| {
            g.release.as_ref().map(|r| &r.value) == release.as_ref().map(|r| &r.value)
                && g.role.as_ref().map(|r| r.value) == role.as_ref().map(|r| r.value)
        }) {
            Some(g) => g.files.push(file.clone()),
            None => groups.push(Group {
                release,
                role,
                files: vec![file.clone()],
            }),
        }
    }
    Ok(groups)
}

/// `-v`'s line for a group checked: the files, the release and role and
/// where they came from, and the finding codes skipped.
pub fn describe_group(group: &Group, release: &str, settings: &CheckSettings) -> String {
    let from = group
        .release
        .as_ref()
        .map_or_else(String::new, |r| format!(" ({})", r.origin));
    let role = group.role.as_ref().map_or_else(
        || "no role (role requirements not checked)".to_string(),
        |r| format!("role {} ({})", r.value.as_str(), r.origin),
    );
    let skip = if settings.skip.value.is_empty() {
        "every finding code".to_string()
    } else {
        format!(
            "every finding code but {} ({})",
            settings.skip.value.join(", "),
            settings.skip.origin
        )
    };
    format!(
        "check: {} against {release}{from}, {role}; {skip}",
        group.files.join(", ")
    )
}

impl CheckSettings {
    /// Flags win; then the project's `[check]`; then the defaults.
    pub fn resolve(
        project: Option<&Project>,
        format: Option<Format>,
        strict: bool,
        skip: &[String],
    ) -> Result<CheckSettings, Error> {
        let section = project.map(|p| (p, &p.file.check));
        let format = match format {
            Some(f) => Setting::flag(f),
            None => match section.and_then(|(p, s)| s.format.as_ref().map(|f| (p, f))) {
                Some((p, f)) => {
                    let s = p.setting(f);
                    Setting {
                        value: Format::named(&s.value, CHECK_FORMATS).unwrap_or(Format::Text),
                        origin: s.origin,
                    }
                }
                None => Setting::default(Format::Text),
            },
        };
        let strict = if strict {
            Setting::flag(true)
        } else {
            match section.and_then(|(p, s)| s.strict.as_ref().map(|v| p.setting(v))) {
                Some(s) => s,
                None => Setting::default(false),
            }
        };
        for code in skip {
            if stackhop::check::Kind::by_code(code).is_none() {
                return Err(Error::user(format!(
                    "--skip {code}: no such finding code (C100 to C402; the README lists them)"
                )));
            }
        }
        let skip = if !skip.is_empty() {
            Setting::flag(skip.to_vec())
        } else {
            match section.and_then(|(p, s)| s.skip.as_ref().map(|v| p.setting(v))) {
                Some(s) => s,
                None => Setting::default(Vec::new()),
            }
        };
        // Codes, whether written as codes or names.
        let skip = Setting {
            value: skip
                .value
                .iter()
                .filter_map(|c| stackhop::check::Kind::by_code(c).map(|k| k.code.to_string()))
                .collect(),
            origin: skip.origin,
        };
        Ok(CheckSettings {
            format,
            strict,
            skip,
        })
    }
}

/// The settings `migrate` runs with, and where each came from.
#[derive(Debug, Clone)]
pub struct MigrateSettings {
    pub to: Option<Setting<String>>,
    pub format: Option<Setting<Format>>,
    pub keep_removed: Setting<bool>,
}

impl MigrateSettings {
    /// Flags win; then the project's `[migrate]`. A format from the file
    /// applies only with `--check`, `--diff`, `--in-place` or `-o` (else
    /// the migrated file itself goes to standard output).
    pub fn resolve(
        project: Option<&Project>,
        to: Option<&str>,
        format: Option<Format>,
        keep_removed: bool,
    ) -> MigrateSettings {
        let section = project.map(|p| (p, &p.file.migrate));
        let to = match to {
            Some(t) => Some(Setting::flag(t.to_string())),
            None => section.and_then(|(p, s)| s.to.as_ref().map(|t| p.setting(t))),
        };
        let format = match format {
            Some(f) => Some(Setting::flag(f)),
            None => section.and_then(|(p, s)| {
                s.format.as_ref().map(|f| {
                    let s = p.setting(f);
                    Setting {
                        value: Format::named(&s.value, MIGRATE_FORMATS).unwrap_or(Format::Text),
                        origin: s.origin,
                    }
                })
            }),
        };
        let keep_removed = if keep_removed {
            Setting::flag(true)
        } else {
            section
                .and_then(|(p, s)| s.keep_removed.as_ref().map(|v| p.setting(v)))
                .unwrap_or_else(|| Setting::default(false))
        };
        MigrateSettings {
            to,
            format,
            keep_removed,
        }
    }
}

/// Show the settings in force and where each came from
///
/// Reads the project config (`stackhop.toml` or `.stackhop.toml`, the first
/// found from the current folder upwards; `STACKHOP_CONFIG=FILE` names
/// another, `STACKHOP_CONFIG=none` ignores it) and prints every setting of
/// `check` and `migrate` with its origin: `flag`, `FILE:LINE` or `default`,
/// then each file `[[files]]` lists with its release and role. With FILE,
/// what applies to that file.
///
/// The file's keys: `[[files]]` entries with `path` (a glob, relative to
/// the config file's folder), `release` (what the files run) and `role`
/// (controller or compute; optional), the last matching entry winning;
/// `[check]` with `format`, `strict`, `skip` (finding codes);
/// `[migrate]` with `to`, `format`, `keep_removed`. Command-line flags
/// always win over the file; an unknown key is an error naming its line.
#[derive(Args)]
#[command(after_help = "Example stackhop.toml:\n\n  \
    [[files]]\n  path = \"etc/controller/*.conf\"\n  release = \"juno\"\n  role = \"controller\"\n\n  \
    [check]\n  format = \"github\"\n  skip = [\"C201\"]\n\n  \
    [migrate]\n  to = \"wallaby\"\n\n\
    Then `stackhop check` and `stackhop migrate --check` need no flags.")]
pub struct ConfigArgs {
    /// Show what applies to this config file
    file: Option<String>,
}

pub fn config(args: ConfigArgs) -> Outcome {
    let project = Project::discover()?;
    let mut out = String::new();
    match &project {
        Some(p) => out.push_str(&format!(
            "project config: {} (folder {})\n",
            p.shown,
            p.dir.display()
        )),
        None => out.push_str(
            "project config: none (no stackhop.toml or .stackhop.toml in this folder or above)\n",
        ),
    }
    let check = CheckSettings::resolve(project.as_ref(), None, false, &[])?;
    let migrate = MigrateSettings::resolve(project.as_ref(), None, None, false);
    // The releases it names must be ones stackhop knows (as `check` and
    // `migrate` will find when they use them).
    if let Some(p) = &project {
        let catalog = stackhop::release::Catalog::embedded()?;
        for (key, release) in p.named_releases() {
            catalog
                .resolve(&release.value)
                .map_err(|e| release.error(key, e))?;
        }
    }
    out.push_str("\n[check]\n");
    row(
        &mut out,
        "format",
        check.format.value.name(),
        &check.format.origin,
    );
    row(
        &mut out,
        "strict",
        &check.strict.value.to_string(),
        &check.strict.origin,
    );
    row(
        &mut out,
        "skip",
        &format!("{:?}", check.skip.value),
        &check.skip.origin,
    );
    out.push_str("\n[migrate]\n");
    match &migrate.to {
        Some(t) => row(&mut out, "to", &t.value, &t.origin),
        None => row(&mut out, "to", "(none: give --to)", &Origin::Default),
    }
    match &migrate.format {
        Some(f) => row(&mut out, "format", f.value.name(), &f.origin),
        None => row(
            &mut out,
            "format",
            "(none: the migrated file)",
            &Origin::Default,
        ),
    }
    row(
        &mut out,
        "keep_removed",
        &migrate.keep_removed.value.to_string(),
        &migrate.keep_removed.origin,
    );
    let files = match (&args.file, &project) {
        (Some(f), _) => vec![f.clone()],
        (None, Some(p)) => p.files()?,
        (None, None) => Vec::new(),
    };
    if !files.is_empty() {
        out.push_str("\n[files]\n");
    }
    for f in &files {
        match project.as_ref().and_then(|p| p.settings_for(Path::new(f))) {
            Some(s) => {
                let role = s.role.as_ref().map_or_else(
                    || "role: (none)".to_string(),
                    |r| format!("role: {} ({})", r.value.as_str(), r.origin),
                );
                out.push_str(&format!(
                    "{f}\n  release: {} ({})\n  {role}\n",
                    s.release.value, s.release.origin
                ));
            }
            None => out.push_str(&format!(
                "{f}\n  release: (none: no [[files]] entry matches it; give --release or --from)\n"
            )),
        }
    }
    print(out)?;
    Ok(ExitCode::SUCCESS)
}

fn row(out: &mut String, key: &str, value: &str, origin: &Origin) {
    out.push_str(&format!("{key:<13} = {value:<28} # {origin}\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }

    #[test]
    fn origins_read_as_people_say_them() {
        assert_eq!(Origin::Flag.to_string(), "flag");
        assert_eq!(
            Origin::File {
                path: "stackhop.toml".into(),
                line: 3
            }
            .to_string(),
            "stackhop.toml:3"
        );
    }
}
