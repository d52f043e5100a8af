//! Reading install documentation: the configs and steps a guide describes.
//!
//! This room owns turning a guide (Markdown, reStructuredText, MediaWiki,
//! DocBook, HTML, a shell script, or plain text copied from a page, in any
//! human language) into config files per node and path, merged in the
//! guide's order; the steps it gives (SQL, identity, packages, services,
//! sync, verification, config edits), each with its line; the release it is
//! written for, with the evidence; and the guide's own mistakes (`G` codes,
//! see [`lint`]). It uses `conf` (the documents it builds) and `release`
//! (the catalog); it hands its nova documents to `check` and `migrate` and
//! does not migrate anything itself.
//!
//! The flow: bytes → text ([`decode`]) → events per format ([`blocks`]) →
//! files, steps and facts ([`analyze`]) → release ([`release`]) and
//! findings ([`lint`]).

mod analyze;
mod blocks;
pub mod decode;
mod ini;
pub mod lint;
mod markdown;
mod markup;
mod node;
mod oslo;
pub mod release;
mod rst;
mod scan;
pub mod secrets;
mod shell;
mod text;
mod wiki;

pub use blocks::Format;
pub use lint::Finding;
pub use release::{Evidence, ReleaseGuess};
pub use shell::StepKind;

use crate::check;
use crate::conf::{Document, normalize_group};
use crate::release::{Catalog, Release, Role};
use std::collections::{HashMap, HashSet};

/// What to read a guide as.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The format; told from the content when `None`.
    pub format: Option<Format>,
    /// Where a guide has per-distribution parts: `ubuntu` (the default),
    /// `rdo`, `obs`, `debian`.
    pub distro: Option<String>,
    /// The release the guide is for, when the reader knows it; detected
    /// otherwise.
    pub release: Option<String>,
}

/// Why a guide could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct ExtractError {
    pub line: Option<usize>,
    pub reason: String,
}

/// One setting of an extracted file. `line` is the guide's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The guide it comes from.
    pub guide: String,
    pub section: String,
    pub key: String,
    pub value: String,
    pub line: usize,
    /// Its line in [`ConfigFile::document`].
    pub doc_line: usize,
}

/// A config file the guide writes, for one node. Holds real values: it
/// is not `Serialize`; outputs go through `report::extract`.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    /// `/etc/nova/nova.conf`.
    pub path: String,
    /// `controller`, `compute`, or a host name.
    pub node: String,
    pub settings: Vec<Setting>,
    pub document: Document,
    /// The guide line the file is first written on.
    pub line: usize,
}

impl ConfigFile {
    /// nova reads it: `/etc/nova/nova.conf`, `/etc/nova/nova-compute.conf`.
    pub fn is_nova(&self) -> bool {
        let name = self.path.rsplit('/').next().unwrap_or("");
        self.path.starts_with("/etc/nova/") && (name == "nova.conf" || name == "nova-compute.conf")
    }

    /// The role of its node, when it is the controller or a compute node.
    pub fn role(&self) -> Option<Role> {
        match self.node.as_str() {
            "controller" => Some(Role::Controller),
            "compute" => Some(Role::Compute),
            _ => None,
        }
    }

    /// The guide line of the setting on `doc_line` of the document.
    pub fn guide_line(&self, doc_line: usize) -> Option<usize> {
        self.setting_at(doc_line).map(|s| s.line)
    }

    /// The setting on `doc_line` of the document.
    pub fn setting_at(&self, doc_line: usize) -> Option<&Setting> {
        self.settings
            .binary_search_by_key(&doc_line, |s| s.doc_line)
            .ok()
            .map(|i| &self.settings[i])
    }
}

/// One step of the guide. The command is raw (secrets and all): show it
/// through [`secrets::mask_command`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The guide it comes from.
    pub guide: String,
    pub kind: StepKind,
    pub command: String,
    pub line: usize,
    pub node: String,
}

/// Everything read from a guide.
#[derive(Debug, Clone)]
pub struct Extraction {
    pub guide: String,
    pub format: Format,
    /// `UTF-8`, `Shift_JIS`…
    pub encoding: &'static str,
    /// The distribution chosen, and those the guide has parts for (empty
    /// when it has none).
    pub distro: String,
    pub distros: Vec<String>,
    pub files: Vec<ConfigFile>,
    pub steps: Vec<Step>,
    pub release: ReleaseGuess,
    /// Sorted by guide (in the order given) and line.
    pub findings: Vec<Finding>,
    /// What the findings that compare guides read, per guide: kept so that
    /// [`combine`] can compare them across guides.
    facts: Vec<GuideFacts>,
}

/// What one guide says that the lint across guides compares.
#[derive(Debug, Clone, Default)]
struct GuideFacts {
    guide: String,
    grants: Vec<lint::Grant>,
    /// Every placeholder: how often, and first line.
    seen: HashMap<String, (usize, u32)>,
    /// Placeholders in config values.
    used: Vec<(String, u32)>,
    /// Placeholders the guide explains or creates something with.
    introduced: HashSet<String>,
}

impl Extraction {
    /// The nova configs (nova.conf, nova-compute.conf) found.
    pub fn nova_files(&self) -> impl Iterator<Item = &ConfigFile> {
        self.files.iter().filter(|f| f.is_nova())
    }

    /// Did the guide hold any config at all?
    pub fn found_config(&self) -> bool {
        !self.files.is_empty()
    }
}

/// Reads a guide. `name` is for messages and as a weak hint (a node named
/// in the file name, an extension when the content does not tell).
pub fn extract(
    bytes: &[u8],
    name: &str,
    catalog: &Catalog,
    options: &Options,
) -> Result<Extraction, ExtractError> {
    let decoded = decode::decode(bytes).map_err(|e| ExtractError {
        line: e.line,
        reason: e.reason,
    })?;
    let text = decoded.text.as_ref();
    let format = options
        .format
        .unwrap_or_else(|| blocks::detect_format(text, name));
    let mut distros = blocks::Distros::new(options.distro.as_deref().unwrap_or("ubuntu"));
    let events = blocks::read(text, format, &mut distros);
    let history = catalog.history().ok();
    let mut a = analyze::Analyzer::new(history);
    a.run(&events);
    let headings: HashSet<u32> = events
        .iter()
        .filter_map(|e| match e {
            blocks::Event::Heading { line, .. } => Some(*line),
            _ => None,
        })
        .collect();
    drop(events);

    // Nodes nothing named: from the file name, else from what the file sets.
    let hint = node::in_file_name(name);
    let mut files = Vec::new();
    for fb in &a.files {
        if fb.is_empty() {
            continue;
        }
        let Some((document, placed)) = fb.document() else {
            continue;
        };
        let node = fb.node.clone().or_else(|| hint.clone()).unwrap_or_else(|| {
            let sets = |s: &str, k: &str| {
                placed
                    .iter()
                    .any(|p| normalize_group(&p.section) == s && p.key == k)
            };
            if sets("database", "connection") || sets("api_database", "connection") {
                "controller".into()
            } else if sets("libvirt", "virt_type")
                || sets("DEFAULT", "compute_driver")
                || sets("vnc", "novncproxy_base_url")
                || sets("DEFAULT", "novncproxy_base_url")
            {
                "compute".into()
            } else {
                "controller".into()
            }
        });
        files.push(ConfigFile {
            path: fb.path.clone(),
            node,
            settings: placed
                .into_iter()
                .map(|p| Setting {
                    guide: name.to_string(),
                    section: p.section,
                    key: p.key,
                    value: p.value,
                    line: p.line as usize,
                    doc_line: p.doc_line,
                })
                .collect(),
            document,
            line: fb.first_line as usize,
        });
    }
    // Files of one path and node written in two parts (a node named only
    // later) stay two files only when their nodes differ.
    let default_node = hint
        .clone()
        .or_else(|| files.iter().find(|f| f.is_nova()).map(|f| f.node.clone()))
        .unwrap_or_else(|| "controller".into());
    let steps: Vec<Step> = a
        .steps
        .iter()
        .map(|s| Step {
            guide: name.to_string(),
            kind: s.kind,
            command: s.command.clone(),
            line: s.line as usize,
            node: s.node.clone().unwrap_or_else(|| default_node.clone()),
        })
        .collect();

    // The release.
    let placed_nova: Vec<ini::Placed> = files
        .iter()
        .filter(|f| f.is_nova())
        .flat_map(|f| {
            f.settings.iter().map(|s| ini::Placed {
                section: s.section.clone(),
                key: s.key.clone(),
                value: String::new(),
                line: s.line as u32,
                doc_line: s.doc_line,
                origin: 0,
            })
        })
        .collect();
    let refs: Vec<&ini::Placed> = placed_nova.iter().collect();
    let release = match &options.release {
        Some(r) => {
            let r = catalog
                .resolve(r)
                .map_err(|reason| ExtractError { line: None, reason })?;
            ReleaseGuess {
                from: Some(r.name().to_string()),
                to: Some(r.name().to_string()),
                evidence: vec![Evidence {
                    guide: name.to_string(),
                    line: None,
                    what: "given with --release".into(),
                    fits: r.name().to_string(),
                }],
            }
        }
        None => release::guess(catalog, &a.facts, &headings, &refs),
    };

    // Lint: what the guide's lines show, then what comparing them does.
    let mut findings = std::mem::take(&mut a.findings);
    findings.extend(path_typos(&files, &a.path_mentions));
    for f in &mut findings {
        f.guide = name.to_string();
    }
    let facts = vec![GuideFacts {
        guide: name.to_string(),
        grants: std::mem::take(&mut a.facts.grants),
        seen: std::mem::take(&mut a.facts.seen),
        used: std::mem::take(&mut a.facts.used),
        introduced: std::mem::take(&mut a.facts.introduced),
    }];
    findings.extend(compare(&facts, &files, catalog, release.to.as_deref()));
    sort_findings(&mut findings, &facts);
    let mut release = release;
    for e in &mut release.evidence {
        e.guide = name.to_string();
    }
    Ok(Extraction {
        guide: name.to_string(),
        format,
        encoding: decoded.encoding,
        distro: distros.chosen.clone(),
        distros: distros.seen.iter().cloned().collect(),
        files,
        steps,
        release,
        findings,
        facts,
    })
}

/// By guide (in the order given), line and code; each once.
fn sort_findings(findings: &mut Vec<Finding>, facts: &[GuideFacts]) {
    let order = |guide: &str| facts.iter().position(|f| f.guide == guide);
    findings.sort_by(|a, b| {
        (order(&a.guide), a.line, a.kind.code).cmp(&(order(&b.guide), b.line, b.kind.code))
    });
    findings.dedup();
}

/// Config files whose path looks like a typo of a known one (G502), each
/// path once, at the line the guide first names it.
fn path_typos(files: &[ConfigFile], mentions: &HashMap<String, (u32, usize)>) -> Vec<Finding> {
    let times = |path: &str| mentions.get(path).map_or(0, |m| m.1);
    let mut out = Vec::new();
    let mut done: HashSet<&str> = HashSet::new();
    for f in files {
        if !done.insert(&f.path) {
            continue;
        }
        let more_used: Vec<&str> = files
            .iter()
            .map(|o| o.path.as_str())
            .filter(|p| times(p) > times(&f.path))
            .collect();
        let Some(meant) = lint::path_typo(&f.path, &more_used) else {
            continue;
        };
        let line = mentions.get(&f.path).map_or(f.line as u32, |m| m.0);
        let n = files
            .iter()
            .filter(|o| o.path == f.path)
            .map(|o| o.settings.len())
            .sum::<usize>();
        out.push(Finding::new(
            &lint::PATH_TYPO,
            line,
            format!(
                "{} is not a config file a service reads: probably a typo of {meant}; {} extracted under the path as written",
                f.path,
                if n == 1 {
                    "its setting is".to_string()
                } else {
                    format!("its {n} settings are")
                }
            ),
        ));
    }
    out
}

/// The findings that compare what several places of an installation say,
/// over all its guides at once: SQL grants against connection strings
/// (G101, G102), placeholders (G201, G202), and `check` over the nova
/// configs for `release` (G303, G304). Each names its guide.
fn compare(
    facts: &[GuideFacts],
    files: &[ConfigFile],
    catalog: &Catalog,
    release: Option<&str>,
) -> Vec<Finding> {
    let guides: Vec<String> = facts.iter().map(|f| f.guide.clone()).collect();
    let index = |guide: &str| guides.iter().position(|g| g == guide).unwrap_or(0);
    let grants: Vec<(usize, &lint::Grant)> = facts
        .iter()
        .enumerate()
        .flat_map(|(i, f)| f.grants.iter().map(move |g| (i, g)))
        .collect();
    let mut connections = Vec::new();
    for f in files {
        for s in &f.settings {
            if s.key == "connection" || s.key.ends_with("_connection") {
                if let Some((user, password, db, host)) = lint::parse_connection(&s.value) {
                    connections.push(lint::Connection {
                        user,
                        password,
                        db,
                        host,
                        at: (index(&s.guide), s.line as u32),
                        option: format!("[{}] {}", s.section, s.key),
                    });
                }
            }
        }
    }
    let mut out = lint::passwords(&grants, &connections, &guides);
    // Placeholders: counts added up, each first where it first appears.
    let mut seen: HashMap<String, (usize, lint::At)> = HashMap::new();
    let mut used = Vec::new();
    let mut introduced = HashSet::new();
    for (i, f) in facts.iter().enumerate() {
        for (name, (n, line)) in &f.seen {
            let e = seen.entry(name.clone()).or_insert((0, (i, *line)));
            e.0 += n;
        }
        used.extend(f.used.iter().map(|(name, line)| (name.clone(), (i, *line))));
        introduced.extend(f.introduced.iter().cloned());
    }
    out.extend(lint::placeholders(&seen, &used, &introduced, &guides));
    if let Some(release) = release.and_then(|r| catalog.get(r)) {
        out.extend(check_lint(files, catalog, release));
    }
    out
}

/// `check`'s unknown options and invalid values, for every nova config,
/// moved to the guide's lines.
fn check_lint(files: &[ConfigFile], catalog: &Catalog, release: &Release) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in files.iter().filter(|f| f.is_nova()) {
        let Ok(found) = check::check(&f.document, catalog, release, &check::Options::default())
        else {
            continue;
        };
        for c in found {
            let kind = match c.code {
                "C101" if c.severity == check::Severity::Error => &lint::UNKNOWN_OPTION,
                "C105" => &lint::INVALID_VALUE,
                _ => continue,
            };
            let Some(setting) = c.line.and_then(|l| f.setting_at(l)) else {
                continue;
            };
            let mut message = c.message.clone();
            if let Some(s) = &c.suggestion {
                message.push_str("; ");
                message.push_str(s);
            }
            out.push(Finding {
                kind,
                line: setting.line,
                message,
                values: Vec::new(),
                guide: setting.guide.clone(),
            });
        }
    }
    out
}

/// Several guides read as one installation (a controller page and a
/// compute page): files of the same node and path merged in the order the
/// guides are given (each setting keeping its guide), steps one after the
/// other, the release all of them fit (or the span of them, when they
/// disagree), each guide's own findings, and the findings that compare
/// found again over all of them (a grant in one guide against a connection
/// string in another, a placeholder explained in one and used in another,
/// the merged nova configs against the release), each at its guide and line.
pub fn combine(mut parts: Vec<Extraction>, catalog: &Catalog) -> Option<Extraction> {
    if parts.len() <= 1 {
        return parts.pop();
    }
    // Every guide of every part, in order: settings keep the one they
    // come from through the merge.
    let facts: Vec<GuideFacts> = parts.iter().flat_map(|p| p.facts.iter().cloned()).collect();
    let guides: Vec<&str> = facts.iter().map(|f| f.guide.as_str()).collect();
    let mut builders: Vec<ini::FileBuilder> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut steps = Vec::new();
    // What each guide's own lines show; what compares guides is found again
    // over all of them below.
    let mut findings: Vec<Finding> = Vec::new();
    let mut evidence = Vec::new();
    let mut distros: Vec<String> = Vec::new();
    let (mut lo, mut hi): (Option<usize>, Option<usize>) = (None, None);
    let (mut min, mut max): (Option<usize>, Option<usize>) = (None, None);
    let idx = |n: &Option<String>| n.as_deref().and_then(|n| catalog.get(n)).map(|r| r.index);
    for p in &parts {
        for f in &p.files {
            let key = (f.node.clone(), f.path.clone());
            let i = *index.entry(key).or_insert_with(|| {
                builders.push(ini::FileBuilder::new(
                    f.path.clone(),
                    Some(f.node.clone()),
                    f.line as u32,
                ));
                builders.len() - 1
            });
            let fb = &mut builders[i];
            fb.begin_fragment();
            for s in &f.settings {
                fb.origin = guides.iter().position(|g| *g == s.guide).unwrap_or(0) as u32;
                fb.add(&s.section, &s.key, &s.value, s.line as u32, Vec::new());
            }
        }
        steps.extend(p.steps.iter().cloned());
        findings.extend(
            p.findings
                .iter()
                .filter(|f| !lint::compares_guides(f.kind))
                .cloned(),
        );
        evidence.extend(p.release.evidence.iter().cloned());
        for d in &p.distros {
            if !distros.contains(d) {
                distros.push(d.clone());
            }
        }
        if let (Some(a), Some(b)) = (idx(&p.release.from), idx(&p.release.to)) {
            lo = Some(lo.map_or(a, |l| l.max(a)));
            hi = Some(hi.map_or(b, |h| h.min(b)));
            min = Some(min.map_or(a, |m| m.min(a)));
            max = Some(max.map_or(b, |m| m.max(b)));
        }
    }
    let (from, to) = match (lo, hi) {
        (Some(l), Some(h)) if l <= h => (Some(l), Some(h)),
        _ => (min, max),
    };
    let name = |i: Option<usize>| {
        i.and_then(|i| catalog.releases().get(i))
            .map(|r| r.name().to_string())
    };
    let files: Vec<ConfigFile> = builders
        .into_iter()
        .filter_map(|fb| {
            let (document, placed) = fb.document()?;
            Some(ConfigFile {
                path: fb.path.clone(),
                node: fb.node.clone().unwrap_or_default(),
                settings: placed
                    .into_iter()
                    .map(|p| Setting {
                        guide: guides
                            .get(p.origin as usize)
                            .map_or_else(String::new, |g| g.to_string()),
                        section: p.section,
                        key: p.key,
                        value: p.value,
                        line: p.line as usize,
                        doc_line: p.doc_line,
                    })
                    .collect(),
                document,
                line: fb.first_line as usize,
            })
        })
        .collect();
    let release = ReleaseGuess {
        from: name(from),
        to: name(to),
        evidence,
    };
    findings.extend(compare(&facts, &files, catalog, release.to.as_deref()));
    sort_findings(&mut findings, &facts);
    let first = &parts[0];
    Some(Extraction {
        guide: parts
            .iter()
            .map(|p| p.guide.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        format: first.format,
        encoding: first.encoding,
        distro: first.distro.clone(),
        distros,
        files,
        steps,
        release,
        findings,
        facts,
    })
}

/// Where a config file of `node` at `path` goes under `dir`:
/// `DIR/<node>/<path>`, with no way out of `dir` (empty, `.` and `..`
/// components are dropped; the node keeps letters, digits, `-`, `_`, `.`).
/// `None` when nothing of the node or the path is left.
pub fn output_path(dir: &std::path::Path, node: &str, path: &str) -> Option<std::path::PathBuf> {
    let node: String = node
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    if node.is_empty() || node == "." || node == ".." {
        return None;
    }
    let mut out = dir.join(node);
    let mut any = false;
    for part in path.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            continue;
        }
        out.push(part);
        any = true;
    }
    any.then_some(out)
}
