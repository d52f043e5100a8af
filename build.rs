//! Validates the release data in `releases/` and embeds it in the binary as
//! compact JSON, so that start-up parses only what a command needs, fast.
//! A data error fails the build with the file and the reason.

#[path = "src/conf/option_ref.rs"]
#[allow(dead_code)]
mod option_ref;

#[path = "src/release/model.rs"]
#[allow(dead_code)]
mod model;

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
use option_ref::{AnyOf, OptionRef};

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
        let release = write("release", json(r))?;
        let options = write("options", json(&inventory))?;
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
            "    Embedded {{ name: {:?}, release: {release}, options: {options}, install: {install} }},",
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
    history_code(&mut code, &index);
    std::fs::write(out.join("embedded.rs"), code).map_err(|e| e.to_string())?;
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

/// The history index as static data: no parsing at start-up.
fn history_code(code: &mut String, index: &history::HistoryIndex) {
    code.push_str("static HISTORY_ENTRIES: &[KeyHistory] = &[\n");
    let option = |o: &OptionRef| format!("OptionRef::from_static({:?}, {:?})", o.group(), o.name());
    for e in index.entries() {
        let targets: Vec<String> = e
            .targets
            .iter()
            .map(|(i, t)| format!("({i}, {})", option(t)))
            .collect();
        let _ = writeln!(
            code,
            "    KeyHistory {{ option: {}, live: {}, alias: {}, targets: Cow::Borrowed(&[{}]), secret: {} }},",
            option(&e.option),
            e.live,
            e.alias,
            targets.join(", "),
            e.secret
        );
    }
    code.push_str("];\nstatic HISTORY_GAPS: &[(Cow<'static, str>, u32)] = &[\n");
    for (key, mask) in index.gaps() {
        let _ = writeln!(code, "    (Cow::Borrowed({:?}), {mask}),", key.as_ref());
    }
    code.push_str("];\n");
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
