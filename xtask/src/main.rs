//! Maintenance tasks for stackhop's release data.
//!
//! `cargo xtask import-options --release NAME [--static FILE] [--generator FILE]`
//! writes `releases/NAME/options.toml` from an option inventory. The inputs
//! are described in `releases/README.md`:
//!
//! - `--generator`: the output of `oslo-config-generator --format json` run
//!   with nova's namespaces (what an operator can produce for any release);
//! - `--static`: an inventory read statically from upstream source, in the
//!   shape of `../shared/reference/nova-options/<release>.json`.
//!
//! With both, the static inventory wins where they overlap and the
//! generator adds what the static one lacks. keystoneauth options, which many
//! groups share, are written once as sets that groups include; the importer
//! checks that expanding the file gives back exactly what it read.
//!
//! `cargo xtask import-reference DIR` re-imports every release from the shared
//! reference folder.

#[path = "../../src/conf/option_ref.rs"]
#[allow(dead_code)]
mod option_ref;

#[path = "../../src/release/model.rs"]
#[allow(dead_code)]
mod model;

use clap::{Parser, Subcommand};
use model::{Gap, Group, OptionEntry, OptionSet, OptionType, OptionsFile};
// The shared vocabulary, where `model.rs` finds it (its parent module).
#[allow(unused_imports)]
use option_ref::{AnyOf, OptionRef, normalize_group};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Write releases/RELEASE/options.toml from an option inventory
    ImportOptions {
        #[arg(long)]
        release: String,
        /// Static inventory JSON (the reference folder's nova-options shape)
        #[arg(long = "static")]
        static_file: Option<PathBuf>,
        /// `oslo-config-generator --format json` output
        #[arg(long)]
        generator: Option<PathBuf>,
        /// Where the release folders are
        #[arg(long, default_value = "releases")]
        releases_dir: PathBuf,
    },
    /// Compare releases/*/options.toml with the reference inventories
    CompareReference {
        /// The reference folder (../shared/reference)
        dir: PathBuf,
        #[arg(long, default_value = "releases")]
        releases_dir: PathBuf,
    },
    /// Re-import every release from the shared reference folder
    ImportReference {
        /// The reference folder (../shared/reference)
        dir: PathBuf,
        #[arg(long, default_value = "releases")]
        releases_dir: PathBuf,
    },
}

/// Releases the reference folder has inventories for, in order.
const REFERENCE_RELEASES: &[&str] = &[
    "icehouse", "juno", "kilo", "liberty", "mitaka", "newton", "ocata", "pike", "queens", "rocky",
    "stein", "train", "ussuri", "victoria", "wallaby",
];

fn main() -> ExitCode {
    let result = match Cli::parse().task {
        Task::ImportOptions {
            release,
            static_file,
            generator,
            releases_dir,
        } => import(
            &release,
            static_file.as_deref(),
            generator.as_deref(),
            &releases_dir,
        ),
        Task::CompareReference { dir, releases_dir } => compare(&dir, &releases_dir),
        Task::ImportReference { dir, releases_dir } => {
            REFERENCE_RELEASES.iter().try_for_each(|release| {
                let generator = dir.join(format!("samples/nova-optdata.{release}.json"));
                import(
                    release,
                    Some(&dir.join(format!("nova-options/{release}.json"))),
                    generator.exists().then_some(generator.as_path()),
                    &releases_dir,
                )
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One option read from an input, before sets are factored out.
#[derive(Debug, Clone)]
struct Record {
    group: String,
    entry: OptionEntry,
    /// keystoneauth password-plugin option (exists when auth_type=password).
    password_plugin: bool,
}

impl Record {
    fn id(&self) -> OptionRef {
        OptionRef::new(&self.group, &self.entry.name)
    }
}

fn import(
    release: &str,
    static_file: Option<&Path>,
    generator: Option<&Path>,
    releases_dir: &Path,
) -> Result<(), String> {
    let mut sources = Vec::new();
    let mut records = Vec::new();
    let mut static_aliases: HashSet<OptionRef> = HashSet::new();
    let mut elsewhere: HashSet<OptionRef> = HashSet::new();
    if let Some(path) = static_file {
        let (recs, source, aliases, moved) = read_static(path)?;
        sources.push(source);
        records = recs;
        static_aliases = aliases;
        elsewhere = moved;
    }
    if let Some(path) = generator {
        let (recs, source) = read_generator(path)?;
        sources.push(source);
        let known: HashSet<OptionRef> = records.iter().map(Record::id).collect();
        for r in recs {
            let key = r.id();
            if !known.contains(&key) && !static_aliases.contains(&key) && !elsewhere.contains(&key)
            {
                records.push(r);
            }
        }
    }
    if static_file.is_none() && generator.is_none() {
        return Err("give --static, --generator or both".into());
    }
    resolve_aliases(&mut records);
    records.sort_by(|a, b| group_order(&a.group, &b.group).then(a.entry.name.cmp(&b.entry.name)));
    let file = OptionsFile {
        release: release.to_string(),
        sources,
        gaps: gaps(generator.is_some()),
        ..factor_sets(release, &records)
    };
    model::validate_options(release, &file).map_err(|e| format!("{release}: {e}"))?;
    let text = emit(&file);
    let reread: OptionsFile = toml::from_str(&text)
        .map_err(|e| format!("{release}: emitted TOML does not parse: {e}"))?;
    if reread != file {
        return Err(format!(
            "{release}: emitted TOML does not read back the same"
        ));
    }
    check_expansion(&file, &records).map_err(|e| format!("{release}: {e}"))?;
    let dir = releases_dir.join(release);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join("options.toml");
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!(
        "{}: {} options ({} in {} sets), {} groups",
        path.display(),
        records.len(),
        file.sets.iter().map(|s| s.options.len()).sum::<usize>(),
        file.sets.len(),
        file.groups.len()
    );
    Ok(())
}

/// DEFAULT first, then by name: the order nova's sample config uses.
fn group_order(a: &str, b: &str) -> std::cmp::Ordering {
    (a != "DEFAULT", a).cmp(&(b != "DEFAULT", b))
}

/// A JSON default as a config file would write it for an option of type
/// `kind`: oslo.config converts a Python default with the option's type, so
/// an integer option defaulting to `True` or `1.0` reads as `1`.
fn typed_default(v: &Value, kind: OptionType) -> Option<String> {
    match (kind.as_str(), v) {
        ("integer" | "port", Value::Bool(b)) => Some(u8::from(*b).to_string()),
        ("integer" | "port", Value::Number(n)) if n.is_f64() => {
            let f = n.as_f64()?;
            (f.fract() == 0.0).then(|| (f as i64).to_string())
        }
        _ => render_default(v),
    }
}

/// A computed default the sample shows as an expression
/// (`multiprocessing.cpu_count()`) becomes a placeholder, `<…>`.
fn sample_placeholder(s: String) -> String {
    let call = s.ends_with(')') && s.contains('(') && !s.contains(' ') && !s.starts_with('<');
    if call { format!("<{s}>") } else { s }
}

/// Choices compare case-insensitively when the option's own default only
/// matches them that way: oslo.config checks a default against its choices
/// when the option is registered, so nova could not start otherwise.
fn ignores_case(choices: &[String], default: Option<&str>) -> bool {
    default.is_some_and(|d| {
        !choices.iter().any(|c| c == d) && choices.iter().any(|c| c.eq_ignore_ascii_case(d))
    })
}

/// A JSON default as a config file would write it.
fn render_default(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(render_default)
                .collect::<Vec<_>>()
                .join(","),
        ),
        Value::Object(map) => Some(
            map.iter()
                .map(|(k, v)| format!("{k}:{}", render_default(v).unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(","),
        ),
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|c| match c {
                    // The generator gives choices as [value, description].
                    Value::Array(pair) => pair.first().and_then(render_default),
                    other => render_default(other),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Owned strings as the model's lists hold them.
fn texts(v: Vec<String>) -> model::List<model::Text> {
    v.into_iter().map(Into::into).collect()
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

fn read_json(path: &Path) -> Result<Value, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

type StaticRead = (Vec<Record>, String, HashSet<OptionRef>, HashSet<OptionRef>);

/// Reads a static inventory. Also returns the (group, name) pairs that are
/// aliases, and those the sample config lists in a group other than the one
/// nova registers them in (the generator's copy of those is wrong).
fn read_static(path: &Path) -> Result<StaticRead, String> {
    let doc = read_json(path)?;
    let err = |what: &str| format!("{}: {what}", path.display());
    let options = doc["options"]
        .as_array()
        .ok_or_else(|| err("no \"options\" list"))?;
    let mut records = Vec::new();
    let mut aliases = HashSet::new();
    let mut elsewhere = HashSet::new();
    for o in options {
        let group = o["group"]
            .as_str()
            .ok_or_else(|| err("option without group"))?;
        let name = o["name"]
            .as_str()
            .ok_or_else(|| err("option without name"))?;
        let kind = o["type"]
            .as_str()
            .ok_or_else(|| err("option without type"))?;
        let literal = o.get("default_is_literal").and_then(Value::as_bool) != Some(false);
        let kind = map_type(kind);
        let default = match (text(o.get("sample_default")), literal) {
            (Some(sample), _) => Some(sample_placeholder(sample)),
            (None, true) => typed_default(&o["default"], kind),
            (None, false) => None,
        };
        let choices = strings(o.get("choices"));
        let entry_aliases: Vec<String> = o["deprecated_aliases"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| {
                Some(format!(
                    "{}/{}",
                    normalize_group(a["group"].as_str()?),
                    a["name"].as_str()?
                ))
            })
            .collect();
        for a in &entry_aliases {
            aliases.insert(OptionRef::parse(a).map_err(|e| err(&e.to_string()))?);
        }
        for g in o["list_opts_groups"].as_array().into_iter().flatten() {
            if let Some(g) = g.as_str() {
                elsewhere.insert(OptionRef::new(g, name));
            }
        }
        let owner = o["owner"].as_str().unwrap_or("nova");
        records.push(Record {
            group: group.to_string(),
            entry: OptionEntry {
                name: name.to_string().into(),
                kind,
                ignore_case: ignores_case(&choices, default.as_deref()),
                default: default.map(Into::into),
                secret: o["secret"].as_bool().unwrap_or(false),
                choices: texts(choices),
                min: o["min"].as_i64(),
                max: o["max"].as_i64(),
                item_type: text(o.get("item_type")).map(Into::into),
                aliases: texts(entry_aliases),
                deprecated_for_removal: o["deprecated_for_removal"].as_bool().unwrap_or(false),
                deprecated_since: text(o.get("deprecated_since")).map(Into::into),
                superseded_by: None,
                required: o["required"].as_bool().unwrap_or(false),
                cli: o["cli"].as_bool().unwrap_or(false),
                hidden: o["in_sample_config"].as_bool() == Some(false),
                owner: (owner != "nova").then(|| owner.to_string().into()),
                source: text(o.get("source")).map(Into::into),
            },
            password_plugin: o["dynamic"].as_str() == Some("auth-plugin:password"),
        });
    }
    let versions = doc["sources"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or("?")))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let source = format!(
        "static inventory read from upstream option definitions ({versions}; {} options)",
        records.len()
    );
    Ok((records, source, aliases, elsewhere))
}

/// Inventory and oslo-config-generator type names → ours; an unknown one
/// is a string (oslo.config's own fallback).
fn map_type(t: &str) -> OptionType {
    let t = t.trim_end_matches(" value");
    let name = match t {
        "floating point" => "float",
        "multi valued" => "multi-string",
        "host address" => "host-address",
        "IP address" => "ip-address",
        other => other,
    };
    serde_json::from_value(Value::String(name.to_string())).unwrap_or(OptionType::String)
}

/// The library an option of a generator namespace comes from.
fn owner_of(namespace: &str, group: &str, name: &str) -> Option<String> {
    let owner = match namespace {
        "nova.conf" => match group {
            "cache" => "oslo.cache",
            "key_manager" | "barbican" | "vault" | "barbican_service_user" => "castellan",
            _ if matches!(name, "tenant_id" | "tenant_name") => "keystoneauth1",
            _ => return None,
        },
        ns if ns.starts_with("oslo.service") => "oslo.service",
        ns if ns.starts_with("oslo.db") => "oslo.db",
        ns if ns.starts_with("keystonemiddleware") => "keystonemiddleware",
        ns => ns,
    };
    Some(owner.to_string())
}

/// Reads `oslo-config-generator --format json` output.
fn read_generator(path: &Path) -> Result<(Vec<Record>, String), String> {
    let doc = read_json(path)?;
    let err = |what: &str| format!("{}: {what}", path.display());
    let groups = doc["options"]
        .as_object()
        .ok_or_else(|| err("no \"options\" object (is this oslo-config-generator JSON?)"))?;
    let mut records = Vec::new();
    for (group, g) in groups {
        for o in g["opts"].as_array().into_iter().flatten() {
            let name = o["dest"]
                .as_str()
                .or_else(|| o["name"].as_str())
                .ok_or_else(|| err("option without dest or name"))?
                .replace('-', "_");
            let namespace = o["namespace"].as_str().unwrap_or("nova.conf");
            let aliases: Vec<String> = o["deprecated_opts"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| {
                    let n = a["name"].as_str()?.replace('-', "_");
                    let g = a["group"].as_str().unwrap_or(group);
                    Some(format!("{}/{n}", normalize_group(g)))
                })
                .collect();
            let kind = map_type(o["type"].as_str().unwrap_or("string value"));
            let default = text(o.get("sample_default"))
                .map(sample_placeholder)
                .or_else(|| typed_default(&o["default"], kind));
            let choices = strings(o.get("choices"));
            records.push(Record {
                group: group.clone(),
                entry: OptionEntry {
                    kind,
                    ignore_case: ignores_case(&choices, default.as_deref()),
                    default: default.map(Into::into),
                    secret: o["secret"].as_bool().unwrap_or(false),
                    choices: texts(choices),
                    min: o["min"].as_i64(),
                    max: o["max"].as_i64(),
                    item_type: None,
                    aliases: texts(aliases),
                    deprecated_for_removal: o["deprecated_for_removal"].as_bool().unwrap_or(false),
                    deprecated_since: text(o.get("deprecated_since")).map(Into::into),
                    superseded_by: None,
                    required: o["required"].as_bool().unwrap_or(false),
                    cli: false,
                    hidden: false,
                    owner: owner_of(namespace, group, &name).map(Into::into),
                    source: Some(format!("oslo-config-generator, namespace {namespace}").into()),
                    name: name.into(),
                },
                password_plugin: false,
            });
        }
    }
    let namespaces = doc["generator_options"]["namespace"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((
        records,
        format!("oslo-config-generator --format json output {file} (namespaces: {namespaces})"),
    ))
}

/// Drops aliases that name the option itself or repeat; an alias that is
/// also a live option of the release becomes that option's `superseded_by`;
/// an alias in the option's own group is written as a bare name.
fn resolve_aliases(records: &mut [Record]) {
    let live: HashSet<OptionRef> = records.iter().map(Record::id).collect();
    let mut superseded: HashMap<OptionRef, OptionRef> = HashMap::new();
    for r in records.iter_mut() {
        let own = OptionRef::new(&r.group, &r.entry.name);
        let mut seen = HashSet::new();
        let mut kept = Vec::new();
        for alias in std::mem::take(&mut r.entry.aliases).iter() {
            let key = OptionRef::parse(alias).expect("aliases are built as group/name");
            if key == own || !seen.insert(key.clone()) {
                continue;
            }
            if live.contains(&key) {
                superseded.entry(key).or_insert_with(|| own.clone());
            } else if key.group() == r.group {
                kept.push(key.name().to_string());
            } else {
                kept.push(alias.to_string());
            }
        }
        r.entry.aliases = texts(kept);
    }
    for r in records.iter_mut() {
        if let Some(by) = superseded.get(&r.id()) {
            r.entry.superseded_by = Some(by.clone());
        }
    }
}

/// The keystoneauth set an option belongs to, if any.
fn set_class(r: &Record) -> Option<&'static str> {
    let owner = r.entry.owner.as_deref()?;
    let ksa = owner.starts_with("keystoneauth1") || owner == "python-keystoneclient";
    if !ksa {
        return None;
    }
    if r.password_plugin {
        return Some("password-plugin");
    }
    Some(match &*r.entry.name {
        "auth_type" | "auth_section" | "auth_plugin" => "keystoneauth-auth",
        "cafile" | "certfile" | "keyfile" | "insecure" | "timeout" | "collect_timing"
        | "split_loggers" => "keystoneauth-session",
        _ => "keystoneauth-adapter",
    })
}

const SET_NOTES: &[(&str, &str)] = &[
    (
        "keystoneauth-auth",
        "Which auth plugin a group uses (keystoneauth; python-keystoneclient before Mitaka).",
    ),
    (
        "keystoneauth-session",
        "TLS and timeout settings of the HTTP session a group's client uses (keystoneauth).",
    ),
    (
        "keystoneauth-adapter",
        "How a group's client finds its service endpoint (keystoneauth adapter).",
    ),
    (
        "password-plugin",
        "Options of the generic password auth plugin; they exist when auth_type = password.",
    ),
];

/// Factors the keystoneauth options into sets: a set holds the options of a
/// class every group with that class has, defined as most groups define
/// them; a group that differs overrides the member.
fn factor_sets(release: &str, records: &[Record]) -> OptionsFile {
    let mut by_group: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for r in records {
        by_group.entry(&r.group).or_default().push(r);
    }
    let mut sets = Vec::new();
    let mut members_of: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for (class, note) in SET_NOTES {
        let groups: Vec<&Vec<&Record>> = by_group
            .values()
            .filter(|recs| recs.iter().any(|r| set_class(r) == Some(class)))
            .collect();
        if groups.len() < 2 {
            continue;
        }
        let mut common: Option<BTreeSet<String>> = None;
        for recs in &groups {
            let names: BTreeSet<String> = recs
                .iter()
                .filter(|r| set_class(r) == Some(class))
                .map(|r| r.entry.name.to_string())
                .collect();
            common = Some(match common {
                None => names,
                Some(c) => c.intersection(&names).cloned().collect(),
            });
        }
        let common = common.unwrap_or_default();
        if common.is_empty() {
            continue;
        }
        let options = common
            .iter()
            .map(|name| {
                let mut counts: Vec<(&OptionEntry, usize)> = Vec::new();
                for recs in &groups {
                    let e = &recs
                        .iter()
                        .find(|r| &r.entry.name == name)
                        .expect("common")
                        .entry;
                    match counts.iter_mut().find(|(d, _)| *d == e) {
                        Some((_, n)) => *n += 1,
                        None => counts.push((e, 1)),
                    }
                }
                // Most common definition; ties go to the first group's.
                let best = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
                counts
                    .iter()
                    .find(|(_, n)| *n == best)
                    .expect("non-empty")
                    .0
                    .clone()
            })
            .collect();
        members_of.insert(class, common);
        sets.push(OptionSet {
            name: class.to_string(),
            note: note.to_string(),
            options,
        });
    }
    let groups = by_group
        .iter()
        .map(|(&name, recs)| {
            let mut include = Vec::new();
            let mut overrides = Vec::new();
            let mut in_sets: HashSet<&str> = HashSet::new();
            for set in &sets {
                let members = &members_of[set.name.as_str()];
                let has_all = members.iter().all(|m| {
                    recs.iter()
                        .any(|r| &r.entry.name == m && set_class(r) == Some(&set.name))
                });
                if !has_all {
                    continue;
                }
                include.push(set.name.clone());
                for member in &set.options {
                    let own = &recs
                        .iter()
                        .find(|r| r.entry.name == member.name)
                        .expect("has all")
                        .entry;
                    in_sets.insert(&own.name);
                    if own != member {
                        overrides.push(own.clone());
                    }
                }
            }
            Group {
                name: name.to_string(),
                include,
                overrides,
                options: recs
                    .iter()
                    .filter(|r| !in_sets.contains(&*r.entry.name))
                    .map(|r| r.entry.clone())
                    .collect(),
            }
        })
        .collect::<Vec<_>>();
    let mut groups = groups;
    groups.sort_by(|a, b| group_order(&a.name, &b.name));
    OptionsFile {
        release: release.to_string(),
        sources: Vec::new(),
        sets,
        groups,
        gaps: Vec::new(),
    }
}

/// Expanding the file must give back every record, and nothing else.
fn check_expansion(file: &OptionsFile, records: &[Record]) -> Result<(), String> {
    let mut want: HashMap<OptionRef, &OptionEntry> =
        records.iter().map(|r| (r.id(), &r.entry)).collect();
    for (group, entry) in model::expanded(file) {
        match want.remove(&OptionRef::new(group, &entry.name)) {
            Some(e) if e == entry => {}
            Some(_) => return Err(format!("[{group}] {} expands differently", entry.name)),
            None => return Err(format!("[{group}] {} expands from nowhere", entry.name)),
        }
    }
    match want.keys().next() {
        Some(o) => Err(format!("{o} is lost by the expansion")),
        None => Ok(()),
    }
}

/// Libraries whose options the inputs may lack. The static inventory does
/// not read them; oslo-config-generator output covers the first group.
fn gaps(with_generator: bool) -> Vec<Gap> {
    let static_only: &[(&str, &[&str], &[&str])] = &[
        (
            "oslo.middleware",
            &["cors", "healthcheck", "oslo_middleware"],
            &[],
        ),
        ("oslo.policy", &["oslo_policy"], &[]),
        ("osprofiler", &["profiler"], &[]),
        ("oslo.privsep", &["privsep"], &[]),
        ("oslo.cache", &["cache"], &[]),
        ("castellan", &["key_manager", "barbican", "vault"], &[]),
        (
            "oslo.service",
            &[],
            &[
                "DEFAULT/backdoor_port",
                "DEFAULT/backdoor_socket",
                "DEFAULT/graceful_shutdown_timeout",
                "DEFAULT/log_options",
                "DEFAULT/run_external_periodic_tasks",
            ],
        ),
    ];
    let never: &[(&str, &[&str], &[&str])] = &[
        (
            "os-vif",
            &["os_vif_ovs", "os_vif_linux_bridge", "os_vif_noop"],
            &[],
        ),
        ("oslo.reports", &["oslo_reports"], &[]),
        ("oslo.versionedobjects", &["oslo_versionedobjects"], &[]),
        (
            "oslo.privsep (per-entrypoint groups)",
            &[
                "privsep_osbrick",
                "privsep_entrypoint",
                "vif_plug_ovs_privileged",
                "vif_plug_linux_bridge_privileged",
            ],
            &[],
        ),
    ];
    let mut out = Vec::new();
    let mut push = |list: &[(&str, &[&str], &[&str])], note: &str| {
        for (library, groups, options) in list {
            out.push(Gap {
                library: library.to_string().into(),
                groups: groups.iter().map(|s| s.to_string().into()).collect(),
                options: options
                    .iter()
                    .map(|s| OptionRef::parse(s).expect("gap options are group/name"))
                    .collect(),
                note: note.to_string().into(),
            });
        }
    };
    if !with_generator {
        push(
            static_only,
            "not read by the static extraction for this release (group and option names as \
             oslo-config-generator lists them for stein and wallaby)",
        );
    }
    push(
        never,
        "not covered by the option inventories (nova loads these libraries, which register \
         their own groups)",
    );
    out
}

/// TOML for an options file: one option a line, as inline tables.
fn emit(f: &OptionsFile) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# nova.conf option inventory of {}.\n\
         # Generated by `cargo xtask import-options` (see releases/README.md); edit the\n\
         # inputs and re-import rather than editing this file.\n\n",
        f.release
    ));
    out.push_str(&format!("release = {}\n", q(&f.release)));
    out.push_str("sources = [\n");
    for s in &f.sources {
        out.push_str(&format!("  {},\n", q(s)));
    }
    out.push_str("]\n");
    for set in &f.sets {
        out.push_str(&format!(
            "\n[[set]]\nname = {}\nnote = {}\n",
            q(&set.name),
            q(&set.note)
        ));
        push_entries(&mut out, "options", &set.options);
    }
    for g in &f.groups {
        out.push_str(&format!("\n[[group]]\nname = {}\n", q(&g.name)));
        if !g.include.is_empty() {
            out.push_str(&format!("include = {}\n", list(&g.include)));
        }
        if !g.overrides.is_empty() {
            push_entries(&mut out, "override", &g.overrides);
        }
        push_entries(&mut out, "options", &g.options);
    }
    for gap in &f.gaps {
        out.push_str(&format!(
            "\n[[gap]]\nlibrary = {}\ngroups = {}\noptions = {}\nnote = {}\n",
            q(&gap.library),
            list(&gap.groups),
            list(&gap.options.iter().map(OptionRef::spec).collect::<Vec<_>>()),
            q(&gap.note)
        ));
    }
    out
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list<S: AsRef<str>>(items: &[S]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|s| q(s.as_ref()))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// `KEY = [` one option entry a line `]`.
fn push_entries(out: &mut String, key: &str, options: &[OptionEntry]) {
    out.push_str(key);
    out.push_str(" = [\n");
    for o in options {
        out.push_str(&format!("  {},\n", entry(o)));
    }
    out.push_str("]\n");
}

fn entry(o: &OptionEntry) -> String {
    let mut parts = vec![
        format!("name = {}", q(&o.name)),
        format!("type = {}", q(o.kind.as_str())),
    ];
    if let Some(d) = &o.default {
        parts.push(format!("default = {}", q(d)));
    }
    if o.secret {
        parts.push("secret = true".into());
    }
    if !o.choices.is_empty() {
        parts.push(format!("choices = {}", list(&o.choices)));
    }
    if o.ignore_case {
        parts.push("ignore_case = true".into());
    }
    if let Some(v) = o.min {
        parts.push(format!("min = {v}"));
    }
    if let Some(v) = o.max {
        parts.push(format!("max = {v}"));
    }
    if let Some(t) = &o.item_type {
        parts.push(format!("item_type = {}", q(t)));
    }
    if !o.aliases.is_empty() {
        parts.push(format!("aliases = {}", list(&o.aliases)));
    }
    if o.deprecated_for_removal {
        parts.push("deprecated_for_removal = true".into());
    }
    if let Some(s) = &o.deprecated_since {
        parts.push(format!("deprecated_since = {}", q(s)));
    }
    if let Some(s) = &o.superseded_by {
        parts.push(format!("superseded_by = {}", q(&s.spec())));
    }
    if o.required {
        parts.push("required = true".into());
    }
    if o.cli {
        parts.push("cli = true".into());
    }
    if o.hidden {
        parts.push("hidden = true".into());
    }
    if let Some(s) = &o.owner {
        parts.push(format!("owner = {}", q(s)));
    }
    if let Some(s) = &o.source {
        parts.push(format!("source = {}", q(s)));
    }
    format!("{{ {} }}", parts.join(", "))
}

/// Per release: how many options the data holds, and how it differs from
/// the static inventory and the generator output, by cause.
fn compare(reference: &Path, releases_dir: &Path) -> Result<(), String> {
    println!(
        "| release | ours | static | generator | static not ours | ours not static | generator not ours |"
    );
    println!("|---|---|---|---|---|---|---|");
    for release in REFERENCE_RELEASES {
        let path = releases_dir.join(release).join("options.toml");
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file: OptionsFile =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let ours: HashSet<OptionRef> = model::expanded(&file)
            .map(|(g, o)| OptionRef::new(g, &o.name))
            .collect();
        let (stat, _, aliases, elsewhere) =
            read_static(&reference.join(format!("nova-options/{release}.json")))?;
        let stat: HashSet<OptionRef> = stat.iter().map(Record::id).collect();
        let gen_path = reference.join(format!("samples/nova-optdata.{release}.json"));
        let generated: Option<HashSet<OptionRef>> = if gen_path.exists() {
            Some(
                read_generator(&gen_path)?
                    .0
                    .iter()
                    .map(Record::id)
                    .collect(),
            )
        } else {
            None
        };
        let static_not_ours = stat.difference(&ours).count();
        let ours_not_static: Vec<_> = ours.difference(&stat).collect();
        let (gen_count, gen_note) = match &generated {
            None => ("–".to_string(), "–".to_string()),
            Some(g) => {
                let missing: Vec<&OptionRef> = g.difference(&ours).collect();
                let as_alias = missing.iter().filter(|k| aliases.contains(k)).count();
                let moved = missing
                    .iter()
                    .filter(|k| !aliases.contains(k) && elsewhere.contains(k))
                    .count();
                let other = missing.len() - as_alias - moved;
                (
                    g.len().to_string(),
                    format!(
                        "{} ({as_alias} are old names of live options, {moved} are registered in another group at runtime, {other} other)",
                        missing.len()
                    ),
                )
            }
        };
        let extra = if ours_not_static.is_empty() {
            "0".to_string()
        } else {
            format!("{} (from the generator output)", ours_not_static.len())
        };
        println!(
            "| {release} | {} | {} | {gen_count} | {static_not_ours} | {extra} | {gen_note} |",
            ours.len(),
            stat.len()
        );
    }
    Ok(())
}
