//! The JSON Schemas of every JSON output (docs/schema/*.json) are what the
//! Rust types generate (a stale file fails: `STACKHOP_BLESS=1 cargo test
//! --test schemas` rewrites them), and real outputs of every command
//! validate against them.

mod common;

use common::{fixture, golden_at, root, stackhop};
use serde_json::Value;

fn schema(name: &str) -> Value {
    let (_, _, s) = stackhop::schema::documented()
        .into_iter()
        .find(|(n, _, _)| *n == name)
        .unwrap_or_else(|| panic!("no schema {name}"));
    s.to_value()
}

/// Fails with every validation error of `output` against schema `name`.
fn valid(name: &str, output: &[u8]) {
    let instance: Value = serde_json::from_slice(output)
        .unwrap_or_else(|e| panic!("{name}: not JSON: {e}\n{}", String::from_utf8_lossy(output)));
    let schema = schema(name);
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{name}: output does not fit docs/schema/{name}.json:\n{}",
        errors.join("\n")
    );
}

fn run(args: &[&str]) -> Vec<u8> {
    let out = stackhop()
        .current_dir(root())
        .env("STACKHOP_CONFIG", "none")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "stackhop {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn the_schema_files_are_what_the_types_generate() {
    let mut index = String::from(
        "# JSON Schemas of stackhop's outputs\n\n\
         Generated from the Rust types each command serialises (`src/schema.rs`); \
         `STACKHOP_BLESS=1 cargo test --test schemas` rewrites them, and the tests \
         validate real outputs against them. Draft 2020-12.\n\n\
         | schema | output of |\n|---|---|\n",
    );
    for (name, command, schema) in stackhop::schema::documented() {
        let mut text = serde_json::to_string_pretty(&schema).unwrap();
        text.push('\n');
        golden_at(&format!("docs/schema/{name}.json"), text);
        let command = command.replace('|', "\\|");
        index.push_str(&format!("| [`{name}.json`]({name}.json) | `{command}` |\n"));
    }
    golden_at("docs/schema/README.md", index);
}

#[test]
fn an_output_that_lacks_a_field_does_not_fit() {
    let mut out: Value = serde_json::from_slice(&run(&[
        "check",
        "examples/nova.conf",
        "--release",
        "wallaby",
        "--format",
        "json",
    ]))
    .unwrap();
    out.as_object_mut().unwrap().remove("findings");
    let schema = schema("check");
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(!validator.is_valid(&out));
}

#[test]
fn inspect_output_fits_its_schema() {
    valid(
        "inspect",
        &run(&["inspect", "examples/nova.conf", "--format", "json"]),
    );
    let bad = fixture("bad");
    let first = std::fs::read_dir(&bad)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    valid(
        "inspect",
        &run(&[
            "inspect",
            first.to_str().unwrap(),
            "--lenient",
            "--format",
            "json",
        ]),
    );
}

#[test]
fn check_and_detect_outputs_fit_their_schemas() {
    for f in [
        "juno-controller.conf",
        "stein-compute.conf",
        "wallaby-sample.conf",
    ] {
        let path = fixture(f);
        let p = path.to_str().unwrap();
        valid(
            "check",
            &run(&[
                "check",
                p,
                "--release",
                "wallaby",
                "--role",
                "controller",
                "--format",
                "json",
            ]),
        );
        valid(
            "check",
            &run(&["check", p, "--release", "juno", "--format", "json"]),
        );
        valid("detect", &run(&["detect", p, "--format", "json"]));
    }
}

#[test]
fn migrate_and_diff_outputs_fit_their_schemas() {
    for f in [
        "juno-controller.conf",
        "newton-compute.conf",
        "stein-controller.conf",
    ] {
        let path = fixture(f);
        let p = path.to_str().unwrap();
        valid(
            "migrate",
            &run(&[
                "migrate", p, "--to", "wallaby", "--format", "json", "--diff",
            ]),
        );
        valid(
            "migrate",
            &run(&[
                "migrate", p, "--to", "wallaby", "--role", "compute", "--format", "json",
            ]),
        );
        valid(
            "diff",
            &run(&[
                "diff",
                p,
                fixture("wallaby-sample.conf").to_str().unwrap(),
                "--release",
                "wallaby",
                "--format",
                "json",
            ]),
        );
        valid("diff", &run(&["diff", p, p, "--format", "json"]));
    }
}

#[test]
fn fleet_outputs_fit_their_schema() {
    let (ctl, cmp) = (
        fixture("juno-controller.conf"),
        fixture("juno-compute.conf"),
    );
    let files = [ctl.to_str().unwrap(), cmp.to_str().unwrap()];
    for args in [
        &["migrate", "--to", "wallaby", "--check", "--format", "json"][..],
        &["check", "--release", "wallaby", "--format", "json"][..],
        &["detect", "--format", "json"][..],
    ] {
        valid("fleet", &run(&[args, &files[..]].concat()));
    }
}

#[test]
fn runbook_contexts_fit_their_schema() {
    let juno = fixture("juno-controller.conf");
    valid(
        "runbook",
        &run(&[
            "runbook",
            "upgrade",
            "--to",
            "wallaby",
            "--config",
            juno.to_str().unwrap(),
            "--role",
            "controller",
            "--format",
            "json",
        ]),
    );
    valid(
        "runbook",
        &run(&[
            "runbook", "upgrade", "--from", "newton", "--to", "stein", "--distro", "rdo",
            "--format", "json",
        ]),
    );
    valid(
        "runbook",
        &run(&[
            "runbook",
            "install",
            "--release",
            "wallaby",
            "--role",
            "compute",
            "--format",
            "json",
        ]),
    );
}

#[test]
fn extract_output_fits_its_schema() {
    let guides = fixture("guides");
    let mut n = 0;
    for entry in std::fs::read_dir(&guides).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        valid(
            "extract",
            &run(&["extract", path.to_str().unwrap(), "--format", "json"]),
        );
        n += 1;
    }
    assert!(n > 0, "no guide under tests/fixtures/guides");
    let dir = tempfile::tempdir().unwrap();
    let guide = fixture("guides/juno-en.md");
    run(&[
        "extract",
        guide.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    valid(
        "extract-steps",
        &std::fs::read(dir.path().join("steps.json")).unwrap(),
    );
}
