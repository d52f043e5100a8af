//! Validates the release data in `releases/` and embeds it in the binary:
//! the option inventories and the option history index as tables that need
//! no parsing (see `src/release/tables.rs`), and
//! the rest (release.toml, install.toml, migrations) as compact JSON, which
//! start-up parses only when a command needs it. A data error fails the
//! build with the file and the reason.

#[path = "src/conf/option_ref.rs"]
#[allow(dead_code)]
mod option_ref;

#[path = "src/release/model.rs"]
#[allow(dead_code)]
mod model;

#[path = "src/release/index.rs"]
#[allow(dead_code)]
mod index;

#[path = "src/release/history.rs"]
#[allow(dead_code)]
mod history;

#[path = "src/release/validate.rs"]
#[allow(dead_code)]
mod validate;

#[path = "src/release/successors.rs"]
#[allow(dead_code)]
mod successors;

#[path = "src/migrate/rules.rs"]
#[allow(dead_code)]
mod rules;

// The names the shared files find at their parent, as in the library.
use option_ref::{AnyOf, OptionRef, normalize_group};

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=releases");
    println!("cargo::rerun-if-changed=migrations");
    if let Err(e) = run() {
        println!("cargo::error={e}");
        std::process::exit(1);
    }
}

fn read<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), one_line(&e.to_string())))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn run() -> Result<(), String> {
    let out = std::env::var("OUT_DIR").map_err(|e| e.to_string())?;
    let out = Path::new(&out);
    let mut folders: Vec<String> = std::fs::read_dir("releases")
        .map_err(|e| format!("releases: {e}"))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut releases = Vec::new();
    let mut files = Vec::new();
    for folder in &folders {
        let file = format!("releases/{folder}/release.toml");
        let r: model::ReleaseFile = read(Path::new(&file))?;
        model::validate_release(folder, &r).map_err(|e| format!("{file}: {e}"))?;
        releases.push(r);
        files.push(file);
    }
    let refs: Vec<&model::ReleaseFile> = releases.iter().collect();
    let order = model::order_releases(&refs, &files)?;
    let mut inventories = Vec::new();
    let mut installs = Vec::new();
    let mut code = String::from("static EMBEDDED: &[Embedded] = &[\n");
    for &i in &order {
        let r = &releases[i];
        let dir = Path::new("releases").join(&r.name);
        let options_path = dir.join("options.toml");
        let inventory: model::OptionsFile = read(&options_path)?;
        model::validate_options(&r.name, &inventory)
            .map_err(|e| format!("{}: {e}", options_path.display()))?;
        let install_path = dir.join("install.toml");
        let install = if install_path.exists() {
            let f: model::InstallFile = read(&install_path)?;
            model::validate_install(&f).map_err(|e| format!("{}: {e}", install_path.display()))?;
            Some(f)
        } else {
            None
        };
        let write = |kind: &str, json: String| -> Result<String, String> {
            let path = out.join(format!("{}.{kind}.json", r.name));
            std::fs::write(&path, json).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(format!("include_str!({:?})", path.display().to_string()))
        };
        let json = |v: &dyn erased::Json| v.to_json();
        let release_json = json(r);
        // The catalog parses it on first use and cannot fail: make sure.
        let back: model::ReleaseFile = serde_json::from_str(&release_json)
            .map_err(|e| format!("releases/{}/release.toml: {e}", r.name))?;
        if &back != r {
            return Err(format!(
                "releases/{}/release.toml: does not read back",
                r.name
            ));
        }
        let release = write("release", release_json)?;
        let core_json = json(&model::ReleaseCore::from(r));
        let core_back: model::ReleaseCore = serde_json::from_str(&core_json)
            .map_err(|e| format!("releases/{}/release.toml: {e}", r.name))?;
        if core_back != model::ReleaseCore::from(r) {
            return Err(format!(
                "releases/{}/release.toml: its core does not read back",
                r.name
            ));
        }
        let core = write("core", core_json)?;
        let install = match install {
            Some(f) => {
                let embedded = format!("Some({})", write("install", json(&f))?);
                installs.push((r.name.clone(), f));
                embedded
            }
            None => "None".to_string(),
        };
        let _ = writeln!(
            code,
            "    Embedded {{ name: {:?}, core: {core}, release: {release}, install: {install} }},",
            r.name
        );
        inventories.push(inventory);
    }
    code.push_str("];\n");
    let index = history::HistoryIndex::build(&inventories);
    let ordered: Vec<&model::ReleaseFile> = order.iter().map(|&i| &releases[i]).collect();
    let procedure_path = Path::new("releases/procedure.toml");
    let procedure: model::ProcedureFile = read(procedure_path)?;
    model::validate_procedure(&procedure)
        .map_err(|e| format!("{}: {e}", procedure_path.display()))?;
    model::validate_runbook_data(&procedure, &ordered)?;
    for (r, install) in &installs {
        model::validate_install_placeholders(&procedure, install)
            .map_err(|e| format!("releases/{r}/install.toml: {e}"))?;
    }
    let json_path = out.join("procedure.json");
    std::fs::write(
        &json_path,
        serde_json::to_string(&procedure).expect("serializes"),
    )
    .map_err(|e| format!("{}: {e}", json_path.display()))?;
    let _ = writeln!(
        code,
        "static PROCEDURE: &str = include_str!({:?});",
        json_path.display().to_string()
    );
    std::fs::write(out.join("embedded.rs"), code).map_err(|e| e.to_string())?;
    inventory_tables(&inventories, &index, out)?;
    let mut migrations = String::new();
    migrations_code(&mut migrations, &ordered, &index, out)?;
    std::fs::write(out.join("migrations.rs"), migrations).map_err(|e| e.to_string())
}

/// Reads, validates and embeds `migrations/<release>.toml`. Every option a
/// rule names must exist where the rule needs it, as must every option a
/// requirement or database of the release data names.
fn migrations_code(
    code: &mut String,
    releases: &[&model::ReleaseFile],
    index: &history::HistoryIndex,
    out: &Path,
) -> Result<(), String> {
    let files: Vec<String> = releases
        .iter()
        .map(|r| format!("releases/{}/release.toml", r.name))
        .collect();
    let mut claims = validate::release_claims(releases, &files).map_err(|b| b.to_string())?;
    let mut ids = std::collections::HashSet::new();
    let names: Vec<&str> = releases.iter().map(|r| r.name.as_str()).collect();
    let mut facts = successors::RuleFacts::default();
    code.push_str("static MIGRATIONS: &[(&str, &str)] = &[\n");
    for (at, r) in releases.iter().enumerate() {
        let path = Path::new("migrations").join(format!("{}.toml", r.name));
        if !path.exists() {
            continue;
        }
        let file: rules::RulesFile = read(&path)?;
        let name = path.display().to_string();
        rules::validate(&r.name, &file, &mut ids).map_err(|e| format!("{name}: {e}"))?;
        claims.extend(rules::claims(at, &file, &name));
        let more = rules::facts(&file, &names).map_err(|e| format!("{name}: {e}"))?;
        facts.carried.extend(more.carried);
        facts.values.extend(more.values);
        facts.stale.extend(more.stale);
        let json_path = out.join(format!("{}.migrations.json", r.name));
        std::fs::write(
            &json_path,
            serde_json::to_string(&file).expect("serializes"),
        )
        .map_err(|e| format!("{}: {e}", json_path.display()))?;
        let _ = writeln!(
            code,
            "    ({:?}, include_str!({:?})),",
            r.name,
            json_path.display().to_string()
        );
    }
    code.push_str("];\n");
    validate::check_claims(index, &claims, &names).map_err(|b| b.to_string())?;
    // The options a rule's check names only in passing must exist somewhere.
    for st in &facts.stale {
        if let Some(o) = st.unless_set.iter().find(|o| index.history(o).is_none()) {
            return Err(format!(
                "rule {}: check.unless_set names {}, which no release has",
                st.rule,
                o.spec()
            ));
        }
    }
    // What the rules do with options, for the release room (check reads it).
    let facts_path = out.join("rule_facts.json");
    std::fs::write(
        &facts_path,
        serde_json::to_string(&facts).expect("serializes"),
    )
    .map_err(|e| format!("{}: {e}", facts_path.display()))?;
    std::fs::write(
        out.join("rule_facts.rs"),
        format!(
            "static RULE_FACTS: &str = include_str!({:?});\n",
            facts_path.display().to_string()
        ),
    )
    .map_err(|e| e.to_string())
}

/// The history index as tables of numbers (see `src/release/tables.rs`),
/// its strings in the text of the inventories' strings.
fn history_code(code: &mut String, t: &mut Tables, index: &history::HistoryIndex) {
    let mut targets = Vec::new();
    code.push_str("static HISTORY_ENTRIES: &[H] = &[\n");
    for e in index.entries() {
        let start = targets.len();
        for (i, target) in e.targets.iter() {
            let (g, n) = (t.string(target.group()), t.string(target.name()));
            targets.push(format!("T({i}, {g}, {n})"));
        }
        let _ = writeln!(
            code,
            "H({}, {}, {}, {}, {}, {start}, {}),",
            t.string(e.option.group()),
            t.string(e.option.name()),
            e.live,
            e.alias,
            e.secret,
            targets.len()
        );
    }
    let _ = writeln!(
        code,
        "];\nstatic HISTORY_TARGETS: &[T] = &[{}];",
        targets.join(", ")
    );
    code.push_str("static HISTORY_GAPS: &[(Cow<'static, str>, u32)] = &[\n");
    for (key, mask) in index.gaps() {
        let _ = writeln!(code, "    (Cow::Borrowed({:?}), {mask}),", key.as_ref());
    }
    code.push_str("];\n");
}

/// The option inventories as tables of numbers (see `src/release/tables.rs`):
/// every string once in one text, lists of choices and old names once.
fn inventory_tables(
    inventories: &[model::OptionsFile],
    index: &history::HistoryIndex,
    out: &Path,
) -> Result<(), String> {
    let mut t = Tables::default();
    let mut code = String::new();
    history_code(&mut code, &mut t, index);
    code.push_str("static INVENTORIES: &[Compiled] = &[\n");
    for file in inventories {
        let options = index::expand(file);
        let layout = index::layout(&options);
        let texts = |items: &mut dyn Iterator<Item = &str>| {
            let items: Vec<String> = items.map(|s| format!("Cow::Borrowed({s:?})")).collect();
            format!("&[{}]", items.join(", "))
        };
        let _ = writeln!(
            code,
            "Compiled {{ release: {:?}, sources: {}, groups: {},",
            file.release,
            texts(&mut file.sources.iter().map(String::as_str)),
            texts(&mut file.groups.iter().map(|g| g.name.as_str())),
        );
        code.push_str("gaps: &[");
        for gap in file.gaps.iter() {
            let refs: Vec<String> = gap
                .options
                .iter()
                .map(|o| format!("OptionRef::from_static({:?}, {:?})", o.group(), o.name()))
                .collect();
            let _ = write!(
                code,
                "Gap {{ library: Cow::Borrowed({:?}), groups: Cow::Borrowed({}), \
                 options: Cow::Borrowed(&[{}]), note: Cow::Borrowed({:?}) }}, ",
                gap.library,
                texts(&mut gap.groups.iter().map(|g| &**g)),
                refs.join(", "),
                gap.note
            );
        }
        code.push_str("],\noptions: &[\n");
        for o in &options {
            let e = o.entry;
            let (by_group, by_name) = match &e.superseded_by {
                Some(by) => (t.string(by.group()), t.string(by.name())),
                None => (NONE, NONE),
            };
            let row = [t.string(o.group), t.string(&e.name)];
            let rest = [
                t.maybe(e.default.as_deref()),
                t.maybe(e.item_type.as_deref()),
                t.maybe(e.deprecated_since.as_deref()),
                t.maybe(e.owner.as_deref()),
                t.maybe(e.source.as_deref()),
                t.maybe(o.set),
                by_group,
                by_name,
                t.list(&e.choices)?,
                t.list(&e.aliases)?,
                t.number(e.min),
                t.number(e.max),
            ];
            let _ = writeln!(
                code,
                "O({}, {}, OptionType::{:?}, {}, {}),",
                row[0],
                row[1],
                e.kind,
                index::flags(e),
                rest.map(|n| n.to_string()).join(", ")
            );
        }
        let numbers = |n: &[u32]| n.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
        let groups: Vec<u32> = layout.groups.iter().map(|g| t.string(g)).collect();
        let _ = write!(
            code,
            "],\nlive_groups: &[{}],\nslots: &[{}],\nalias_slots: &[{}],\naliases: &[",
            numbers(&groups),
            numbers(&layout.options),
            numbers(&layout.alias_slots),
        );
        for (alias, target) in &layout.aliases {
            let (g, n) = (t.string(alias.group()), t.string(alias.name()));
            let _ = write!(code, "A({g}, {n}, {target}), ");
        }
        code.push_str("] },\n");
    }
    code.push_str("];\n");
    let strings = out.join("strings.txt");
    std::fs::write(&strings, &t.text).map_err(|e| format!("{}: {e}", strings.display()))?;
    let _ = writeln!(
        code,
        "static STRINGS: &str = include_str!({:?});",
        strings.display().to_string()
    );
    let ends: Vec<String> = t.ends.iter().map(u32::to_string).collect();
    let _ = writeln!(code, "static ENDS: &[u32] = &[{}];", ends.join(", "));
    let items: Vec<String> = t
        .items
        .iter()
        .map(|s| format!("Cow::Borrowed({s:?})"))
        .collect();
    let _ = writeln!(code, "static LISTS: &[Text] = &[{}];", items.join(", "));
    let numbers: Vec<String> = t.numbers.iter().map(i64::to_string).collect();
    let _ = writeln!(code, "static NUMBERS: &[i64] = &[{}];", numbers.join(", "));
    std::fs::write(out.join("inventories.rs"), code).map_err(|e| e.to_string())
}

/// No string, list or number (as in `src/release/tables.rs`).
const NONE: u32 = u32::MAX;

/// The shared parts of the inventory tables, each written once.
#[derive(Default)]
struct Tables {
    /// Every string, one after another.
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<u32>,
    strings: HashMap<String, u32>,
    /// The items of every list of choices or old names.
    items: Vec<String>,
    lists: HashMap<Vec<String>, u32>,
    numbers: Vec<i64>,
}

impl Tables {
    fn string(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.strings.get(s) {
            return id;
        }
        let id = self.ends.len() as u32;
        self.text.push_str(s);
        self.ends.push(self.text.len() as u32);
        self.strings.insert(s.to_string(), id);
        id
    }

    fn maybe(&mut self, s: Option<&str>) -> u32 {
        s.map_or(NONE, |s| self.string(s))
    }

    fn list(&mut self, items: &[model::Text]) -> Result<u32, String> {
        let items: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        if let Some(&r) = self.lists.get(&items) {
            return Ok(r);
        }
        let r = index::list_ref(self.items.len(), items.len())
            .ok_or_else(|| format!("a list of {} choices or old names is too long", items.len()))?;
        self.items.extend(items.iter().cloned());
        self.lists.insert(items, r);
        Ok(r)
    }

    fn number(&mut self, n: Option<i64>) -> u32 {
        n.map_or(NONE, |n| {
            self.numbers.push(n);
            self.numbers.len() as u32 - 1
        })
    }
}

mod erased {
    pub trait Json {
        fn to_json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> String {
            serde_json::to_string(self).expect("data serializes")
        }
    }
}
