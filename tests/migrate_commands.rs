//! `stackhop migrate` and `stackhop explain` through the real binary.
//!
//! Golden files under tests/golden/migrate/ hold the migrated file and the
//! JSON report of each fixture to each later release among juno, newton,
//! stein and wallaby. Regenerate them with STACKHOP_BLESS=1 cargo test, and
//! read the diff before committing.

mod common;
use common::{fixture, golden, root, stackhop};

use predicates::prelude::*;
use pretty_assertions::assert_eq;
use serde_json::Value;
use std::fs;

/// Runs the binary from the project folder (so file names in outputs are
/// relative and the golden files do not depend on where the tree is).
fn run(args: &[&str]) -> std::process::Output {
    stackhop().current_dir(root()).args(args).output().unwrap()
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// The comment lines of a text, in order.
fn comments(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.starts_with(['#', ';'])).collect()
}

const CASES: &[(&str, &str, &str, &[&str])] = &[
    (
        "juno-controller",
        "juno",
        "controller",
        &["newton", "stein", "wallaby"],
    ),
    (
        "juno-compute",
        "juno",
        "compute",
        &["newton", "stein", "wallaby"],
    ),
    (
        "newton-controller",
        "newton",
        "controller",
        &["stein", "wallaby"],
    ),
    ("newton-compute", "newton", "compute", &["stein", "wallaby"]),
    ("stein-controller", "stein", "controller", &["wallaby"]),
    ("stein-compute", "stein", "compute", &["wallaby"]),
];

#[test]
fn fixtures_migrate_to_every_later_release_as_the_golden_files_say() {
    for &(name, from, role, targets) in CASES {
        let input_path = format!("tests/fixtures/{name}.conf");
        let input = fs::read_to_string(root().join(&input_path)).unwrap();
        let inspect = json(&run(&["inspect", "--format", "json", &input_path]));
        let input_options = inspect["options"].as_array().unwrap().len();
        for &to in targets {
            let case = format!("{name}.to-{to}");
            let file = run(&[
                "migrate",
                &input_path,
                "--from",
                from,
                "--to",
                to,
                "--role",
                role,
            ]);
            assert!(
                file.status.success(),
                "{case}: {}",
                String::from_utf8_lossy(&file.stderr)
            );
            golden("migrate", &format!("{case}.conf"), &file.stdout);
            let report = run(&[
                "migrate",
                &input_path,
                "--from",
                from,
                "--to",
                to,
                "--role",
                role,
                "--format",
                "json",
            ]);
            golden("migrate", &format!("{case}.json"), &report.stdout);
            let report = json(&report);

            // Nothing lost: every input option is in one change or unchanged.
            let changes = report["changes"].as_array().unwrap();
            let mut lines: Vec<u64> = changes
                .iter()
                .filter_map(|c| c["before"]["line"].as_u64())
                .collect();
            let changed = lines.len();
            lines.sort_unstable();
            lines.dedup();
            assert_eq!(
                lines.len(),
                changed,
                "{case}: an input option in two changes"
            );
            assert_eq!(
                changed + report["unchanged"].as_u64().unwrap() as usize,
                input_options,
                "{case}"
            );

            // Comments stay, in order.
            let output = String::from_utf8(file.stdout.clone()).unwrap();
            let mut out_comments = comments(&output).into_iter();
            for c in comments(&input) {
                assert!(
                    out_comments.any(|o| o == c),
                    "{case}: comment {c:?} lost or moved"
                );
            }

            // Idempotent.
            let dir = tempfile::tempdir().unwrap();
            let migrated = dir.path().join("nova.conf");
            fs::write(&migrated, &file.stdout).unwrap();
            let again = json(
                &stackhop()
                    .arg("migrate")
                    .arg(&migrated)
                    .args([
                        "--from", from, "--to", to, "--role", role, "--format", "json",
                    ])
                    .output()
                    .unwrap(),
            );
            assert_eq!(
                again["changes"],
                serde_json::json!([]),
                "{case}: migrating again changes something"
            );

            // What check still finds wrong is what the manual steps name.
            let check = json(
                &stackhop()
                    .arg("check")
                    .arg(&migrated)
                    .args(["--release", to, "--role", role, "--format", "json"])
                    .output()
                    .unwrap(),
            );
            let manual = report["manual"].to_string();
            for f in check["findings"].as_array().unwrap() {
                if f["severity"] == "error" {
                    assert_eq!(f["code"], "C401", "{case}: {f:#}");
                    let section = f["section"].as_str().unwrap();
                    assert!(
                        manual.contains(&format!("[{section}]")),
                        "{case}: {f:#} is not a manual step"
                    );
                }
            }
        }
        // To the same release: byte for byte the same.
        let same = run(&["migrate", &input_path, "--from", from, "--to", from]);
        assert_eq!(same.stdout, input.as_bytes(), "{name}");
    }
}

#[test]
fn the_summary_goes_to_stderr_and_the_file_to_stdout() {
    let out = run(&[
        "migrate",
        "tests/fixtures/juno-compute.conf",
        "--to",
        "newton",
    ]);
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with(
        "stackhop: tests/fixtures/juno-compute.conf: --from not given; detected juno (the file fits juno); give --from to be exact\n"
    ), "{stderr}");
    assert!(stderr.contains("tests/fixtures/juno-compute.conf: juno → newton (2 hops: kilo, liberty, mitaka, newton)") || stderr.contains("juno → newton (4 hops: kilo, liberty, mitaka, newton)"), "{stderr}");
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("transport_url = rabbit://")
    );
}

#[test]
fn diff_shows_the_change_with_secrets_masked() {
    let out = run(&[
        "migrate",
        "tests/fixtures/juno-controller.conf",
        "--from",
        "juno",
        "--to",
        "wallaby",
        "--diff",
    ]);
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.starts_with(
        "--- a/tests/fixtures/juno-controller.conf\n+++ b/tests/fixtures/juno-controller.conf\n"
    ));
    assert!(diff.contains("-rabbit_password = ****\n"), "{diff}");
    assert!(
        diff.contains("+transport_url = rabbit://guest:****@controller:5672/\n"),
        "{diff}"
    );
    for secret in [
        "RABBIT_PASS",
        "NOVA_PASS",
        "NOVA_DBPASS",
        "NEUTRON_PASS",
        "METADATA_SECRET",
    ] {
        assert!(!diff.contains(secret), "{secret} in the diff");
    }
    let shown = run(&[
        "migrate",
        "tests/fixtures/juno-controller.conf",
        "--from",
        "juno",
        "--to",
        "wallaby",
        "--diff",
        "--show-secrets",
    ]);
    assert!(
        String::from_utf8(shown.stdout)
            .unwrap()
            .contains("+transport_url = rabbit://guest:RABBIT_PASS@controller:5672/\n")
    );
    // Commented-out secrets are masked too.
    let kept = run(&[
        "migrate",
        "tests/fixtures/juno-controller.conf",
        "--from",
        "juno",
        "--to",
        "wallaby",
        "--diff",
        "--keep-removed",
    ]);
    let kept = String::from_utf8(kept.stdout).unwrap();
    assert!(kept.contains("# stackhop"), "{kept}");
    assert!(
        !kept.contains("NEUTRON_PASS") && !kept.contains("RABBIT_PASS"),
        "{kept}"
    );
}

#[test]
fn check_exits_1_when_something_would_change_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nova.conf");
    fs::copy(fixture("stein-compute.conf"), &path).unwrap();
    stackhop()
        .arg("migrate")
        .arg(&path)
        .args(["--from", "stein", "--to", "wallaby", "--check"])
        .assert()
        .code(1)
        .stdout("");
    assert_eq!(
        fs::read(&path).unwrap(),
        fs::read(fixture("stein-compute.conf")).unwrap()
    );
    stackhop()
        .arg("migrate")
        .arg(&path)
        .args(["--from", "stein", "--to", "stein", "--check"])
        .assert()
        .success();
}

#[test]
fn in_place_and_output_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nova.conf");
    fs::copy(fixture("newton-compute.conf"), &path).unwrap();
    let before = fs::read(&path).unwrap();
    stackhop()
        .arg("migrate")
        .arg(&path)
        .args(["--from", "newton", "--to", "stein", "--in-place"])
        .assert()
        .success()
        .stdout("");
    let after = fs::read_to_string(&path).unwrap();
    assert!(
        after.contains("[vnc]\r\nenabled = True\r\nserver_listen = 0.0.0.0\r\n"),
        "CRLF kept: {after:?}"
    );
    assert_eq!(fs::read(path.with_extension("conf.bak")).unwrap(), before);
    let out = dir.path().join("out.conf");
    stackhop()
        .arg("migrate")
        .arg(fixture("newton-compute.conf"))
        .args(["--from", "newton", "--to", "stein", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&out).unwrap(), after);
    // Standard input has no place to write back to: refused before any report.
    stackhop()
        .args([
            "migrate",
            "-",
            "--from",
            "juno",
            "--to",
            "wallaby",
            "--in-place",
        ])
        .args(["--format", "json"])
        .write_stdin("[DEFAULT]\nrabbit_host = controller\n")
        .assert()
        .code(2)
        .stdout("")
        .stderr("stackhop: --in-place needs a file, not standard input\n");
}

#[test]
fn json_report_has_the_documented_shape() {
    let v = json(&run(&[
        "migrate",
        "tests/fixtures/juno-compute.conf",
        "--from",
        "juno",
        "--to",
        "kilo",
        "--format",
        "json",
    ]));
    assert_eq!(v["schema"], 1);
    assert_eq!(v["file"], "tests/fixtures/juno-compute.conf");
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some("juno"), Some("kilo"))
    );
    assert_eq!(v["hops"], serde_json::json!(["kilo"]));
    let c = &v["changes"][0];
    for field in [
        "rule", "kind", "safety", "release", "before", "after", "note", "via",
    ] {
        assert!(c.get(field).is_some(), "{field} missing in {c:#}");
    }
    for field in ["section", "key", "value", "line"] {
        assert!(c["before"].get(field).is_some(), "before.{field}");
    }
    assert!(v["manual"].is_array());
    assert!(v["unchanged"].is_u64());
}

#[test]
fn bad_input_is_refused_with_exit_2() {
    stackhop()
        .arg("migrate")
        .arg(fixture("stein-compute.conf"))
        .args(["--from", "wallaby", "--to", "juno"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot migrate backwards, from Wallaby to Juno",
        ));
    stackhop()
        .arg("migrate")
        .arg(fixture("bad/header-comment.conf"))
        .args(["--to", "wallaby"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "header-comment.conf:2: section header does not end with ']'",
        ));
    stackhop()
        .arg("migrate")
        .arg(fixture("stein-compute.conf"))
        .args(["--to", "zed"])
        .assert()
        .code(2);
}

#[test]
fn explain_prints_rules_and_findings() {
    stackhop()
        .args(["explain", "msg002"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "MSG002: The rabbit_* connection options and rpc_backend become one transport_url\nrelease: newton",
        ))
        .stdout(predicate::str::contains("evidence:\n  - oslo.messaging@5.10.0"))
        .stdout(predicate::str::contains("example, before:"));
    stackhop()
        .args(["explain", "INV-REMOVE"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no longer has"));
    stackhop()
        .args(["explain", "C104"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("C104 removed-option"));
    stackhop()
        .args(["explain", "NOPE"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no rule or finding \"NOPE\"; rules: DB001",
        ));
}
