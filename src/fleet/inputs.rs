//! What the command line names, as the list of files to work on: plain
//! files, folders (every `*.conf` under them, at any depth; `*.json` for
//! reports) and glob patterns (`hosts/*/nova.conf`, `etc/**/*.conf`).
//!
//! Every file keeps a path relative to what named it (the folder, the
//! pattern's fixed prefix, or the path as given), which is where `-o DIR`
//! puts its output. The list is sorted by path and has each file once,
//! whatever order the arguments and the file system gave. An argument that
//! names nothing usable (a folder with no `*.conf`, a pattern that matches
//! nothing) is kept as a problem of its own, so the other files still run.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The file name suffix of the configs a folder holds.
pub const CONF_SUFFIX: &str = ".conf";

/// One file to work on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The path to read, as derived from the argument (`fleet/c1/nova.conf`).
    pub path: PathBuf,
    /// Its place under an output folder (`c1/nova.conf` for a file found
    /// in the folder `fleet`).
    pub relative: PathBuf,
}

impl Input {
    /// The name used in messages and reports.
    pub fn name(&self) -> String {
        self.path.display().to_string()
    }
}

/// An argument that gave no file, or a file a folder walk could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The argument or path concerned.
    pub name: String,
    pub reason: String,
}

/// The files the arguments name, and what could not be used.
#[derive(Debug, Default)]
pub struct Expanded {
    /// Sorted by path, each once.
    pub files: Vec<Input>,
    pub problems: Vec<Problem>,
    /// Did any argument name a folder or a pattern (many files, even if it
    /// matched one)?
    pub wide: bool,
}

/// Is `arg` a glob pattern (and not an existing file of that name)?
pub fn is_pattern(arg: &str) -> bool {
    arg.contains(['*', '?', '[']) && !Path::new(arg).exists()
}

/// Expands the arguments; a folder stands for the files under it whose
/// names end in `suffix`. Standard input (`-`) is not an argument here: the
/// caller handles it before.
pub fn expand(args: &[String], suffix: &str) -> Expanded {
    let mut found: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    let mut out = Expanded::default();
    for arg in args {
        let path = Path::new(arg);
        if is_pattern(arg) {
            out.wide = true;
            pattern(arg, suffix, &mut found, &mut out.problems);
        } else if path.is_dir() {
            out.wide = true;
            let before = found.len();
            folder(
                path,
                path,
                Path::new(""),
                suffix,
                &mut found,
                &mut out.problems,
            );
            if found.len() == before {
                out.problems.push(Problem {
                    name: arg.clone(),
                    reason: format!("no *{suffix} file under this folder"),
                });
            }
        } else {
            // A file, or a path that does not exist: reading it will say.
            found
                .entry(path.to_path_buf())
                .or_insert_with(|| lexical_relative(path));
        }
    }
    out.files = found
        .into_iter()
        .map(|(path, relative)| Input { path, relative })
        .collect();
    out.problems.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Every file under `dir` named `*suffix`, at any depth, following
/// symbolic links (configuration trees often link to shared files);
/// `relative` is placed under `prefix`.
fn folder(
    dir: &Path,
    base: &Path,
    prefix: &Path,
    suffix: &str,
    found: &mut BTreeMap<PathBuf, PathBuf>,
    problems: &mut Vec<Problem>,
) {
    for entry in walkdir::WalkDir::new(dir).follow_links(true) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let name = e
                    .path()
                    .map_or_else(|| dir.display().to_string(), |p| p.display().to_string());
                problems.push(Problem {
                    name,
                    reason: e
                        .io_error()
                        .map_or_else(|| e.to_string(), |io| lowercase_first(&io.to_string())),
                });
                continue;
            }
        };
        let named = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.ends_with(suffix) && n.len() > suffix.len());
        if !entry.file_type().is_file() || !named {
            continue;
        }
        let path = entry.path();
        let relative = prefix.join(path.strip_prefix(base).unwrap_or(path));
        found.entry(path.to_path_buf()).or_insert(relative);
    }
}

/// The files a glob pattern matches; a folder it matches stands for the
/// `*suffix` files under it. Relative paths start after the pattern's fixed
/// prefix (`hosts/` in `hosts/*/nova.conf`).
fn pattern(
    arg: &str,
    suffix: &str,
    found: &mut BTreeMap<PathBuf, PathBuf>,
    problems: &mut Vec<Problem>,
) {
    let paths = match glob::glob(arg) {
        Ok(paths) => paths,
        Err(e) => {
            problems.push(Problem {
                name: arg.to_string(),
                reason: format!("not a valid pattern: {}", e.msg),
            });
            return;
        }
    };
    let base = fixed_prefix(arg);
    let before = found.len();
    for path in paths {
        match path {
            Ok(path) if path.is_dir() => {
                let prefix = path.strip_prefix(&base).unwrap_or(&path).to_path_buf();
                folder(&path, &path, &prefix, suffix, found, problems);
            }
            Ok(path) => {
                let relative = path.strip_prefix(&base).unwrap_or(&path).to_path_buf();
                found.entry(path.clone()).or_insert(relative);
            }
            Err(e) => problems.push(Problem {
                name: e.path().display().to_string(),
                reason: lowercase_first(&e.error().to_string()),
            }),
        }
    }
    if found.len() == before {
        problems.push(Problem {
            name: arg.to_string(),
            reason: "no file matches this pattern".to_string(),
        });
    }
}

/// The folders of a pattern before its first component with a wildcard.
fn fixed_prefix(pattern: &str) -> PathBuf {
    let mut base = PathBuf::new();
    let components: Vec<Component> = Path::new(pattern).components().collect();
    for (i, c) in components.iter().enumerate() {
        let wild = c.as_os_str().to_string_lossy().contains(['*', '?', '[']);
        if wild || i + 1 == components.len() {
            break;
        }
        base.push(c.as_os_str());
    }
    base
}

/// A file given by name keeps its path, without a root or `./`
/// (`/etc/nova/nova.conf` → `etc/nova/nova.conf`); `..` stays, and the
/// output side refuses it.
fn lexical_relative(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| matches!(c, Component::Normal(_) | Component::ParentDir))
        .collect()
}

/// `relative` under `dir`, or why it may not go there: it must stay inside
/// `dir` (no `..`, no root).
pub fn under(dir: &Path, relative: &Path) -> Result<PathBuf, String> {
    let escapes = relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if escapes || relative.as_os_str().is_empty() {
        return Err(format!(
            "{} would be written outside {}: name files inside the current folder, or a folder",
            relative.display(),
            dir.display()
        ));
    }
    Ok(dir.join(relative))
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn touch(dir: &Path, rel: &str) {
        let p = dir.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, "[DEFAULT]\n").unwrap();
    }

    fn rel(e: &Expanded) -> Vec<String> {
        e.files
            .iter()
            .map(|i| i.relative.display().to_string())
            .collect()
    }

    #[test]
    fn a_folder_gives_every_conf_under_it_sorted_with_paths_relative_to_it() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "b/nova.conf",
            "a/nova.conf",
            "a/deep/x.conf",
            "a/nova.conf.bak",
        ] {
            touch(dir.path(), f);
        }
        touch(dir.path(), ".conf");
        let e = expand(&[dir.path().display().to_string()], CONF_SUFFIX);
        assert!(e.wide);
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        assert_eq!(rel(&e), ["a/deep/x.conf", "a/nova.conf", "b/nova.conf"]);
        assert_eq!(e.files[0].path, dir.path().join("a/deep/x.conf"));
    }

    #[test]
    fn a_pattern_is_relative_to_its_fixed_prefix_and_files_come_once() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "hosts/c2/nova.conf",
            "hosts/c1/nova.conf",
            "hosts/c1/other.ini",
        ] {
            touch(dir.path(), f);
        }
        let root = dir.path().display().to_string();
        let pat = format!("{root}/hosts/*/nova.conf");
        let one = format!("{root}/hosts/c1/nova.conf");
        let e = expand(&[pat, one], CONF_SUFFIX);
        assert_eq!(rel(&e), ["c1/nova.conf", "c2/nova.conf"]);
        // A pattern that matches folders takes the configs under them.
        let e = expand(&[format!("{root}/host?")], CONF_SUFFIX);
        assert_eq!(rel(&e), ["hosts/c1/nova.conf", "hosts/c2/nova.conf"]);
    }

    #[test]
    fn what_gives_no_file_is_a_problem_and_the_rest_still_counts() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("empty")).unwrap();
        touch(dir.path(), "ok/nova.conf");
        let root = dir.path().display().to_string();
        let e = expand(
            &[
                format!("{root}/empty"),
                format!("{root}/none/*.conf"),
                format!("{root}/ok"),
                format!("{root}/missing.conf"),
            ],
            CONF_SUFFIX,
        );
        assert_eq!(e.problems.len(), 2, "{:?}", e.problems);
        assert!(e.problems[0].reason.contains("no *.conf file"));
        assert!(e.problems[1].reason.contains("no file matches"));
        // The missing file is kept: reading it reports it, with the others.
        assert_eq!(e.files.len(), 2);
    }

    #[test]
    fn a_file_given_by_name_keeps_its_path_and_may_not_escape_the_output() {
        let e = expand(
            &["./a/b.conf".into(), "/etc/nova/nova.conf".into()],
            CONF_SUFFIX,
        );
        assert!(!e.wide);
        assert_eq!(rel(&e), ["etc/nova/nova.conf", "a/b.conf"]);
        let out = Path::new("out");
        assert_eq!(
            under(out, Path::new("a/b.conf")).unwrap(),
            Path::new("out/a/b.conf")
        );
        let err = under(out, &lexical_relative(Path::new("../x.conf"))).unwrap_err();
        assert!(err.contains("outside out"), "{err}");
    }
}
