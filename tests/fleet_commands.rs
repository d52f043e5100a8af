//! Fleets through the real binary: `check`, `migrate` and `detect` over
//! many files, folders and patterns, and `stackhop fleet report`.
//!
//! Each test builds its fleet in a temporary folder and runs there, so
//! that names in outputs are relative (`fleet/c1/nova.conf`).

mod common;
use common::{fixture, stackhop};

use pretty_assertions::assert_eq;
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::Output;

/// A fleet under `dir/fleet`: a controller, two computes and, when
/// `broken`, a file nova would refuse.
fn fleet(dir: &Path, broken: bool) {
    let put = |rel: &str, from: &str| {
        let p = dir.join("fleet").join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::copy(fixture(from), p).unwrap();
    };
    put("ctl/nova.conf", "juno-controller.conf");
    put("c1/nova.conf", "juno-compute.conf");
    put("c2/nova.conf", "juno-compute.conf");
    // Not a config: a folder stands for its *.conf files only.
    fs::write(dir.join("fleet/c1/notes.txt"), "not a config\n").unwrap();
    if broken {
        put("bad/nova.conf", "bad/no-separator.conf");
    }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    stackhop().current_dir(dir).args(args).output().unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn files(v: &Value) -> Vec<(String, String)> {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_string(),
                e["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const MIGRATE: [&str; 5] = ["migrate", "--from", "juno", "--to", "wallaby"];

#[test]
fn a_folder_migrates_into_the_same_paths_under_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    fleet(dir.path(), false);
    let out = run(
        dir.path(),
        &[&MIGRATE[..], &["fleet", "-o", "out"]].concat(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(
        table.starts_with(
            "FILE                 RELEASE  CHANGES  REVIEW  MANUAL  RESULT\n\
             fleet/c1/nova.conf   juno          40      21      14  changes\n\
             fleet/c2/nova.conf   juno          40      21      14  changes\n\
             fleet/ctl/nova.conf  juno          40      23      15  changes\n\
             \n\
             manual steps (files that need them):\n  \
             - [mitaka] service:nova-api-ec2 (controller): 3 files: nova-api-ec2 is gone in Mitaka"
        ),
        "{table}"
    );
    assert!(
        table.ends_with(
            "3 files (juno → wallaby): 3 with changes; 120 changes, 65 to review, 43 manual steps\n"
        ),
        "{table}"
    );
    // Each file is what migrating it alone writes.
    for rel in ["ctl/nova.conf", "c1/nova.conf", "c2/nova.conf"] {
        let alone = run(
            dir.path(),
            &[&MIGRATE[..], &[&format!("fleet/{rel}")]].concat(),
        );
        assert_eq!(
            text(&fs::read(dir.path().join("out").join(rel)).unwrap()),
            text(&alone.stdout),
            "{rel}"
        );
    }
    assert!(!dir.path().join("out/c1/notes.txt").exists());
    // The inputs are untouched.
    assert_eq!(
        fs::read(dir.path().join("fleet/c1/nova.conf")).unwrap(),
        fs::read(fixture("juno-compute.conf")).unwrap()
    );
}

#[test]
fn one_bad_file_is_reported_and_the_others_complete_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    fleet(dir.path(), true);
    let out = run(
        dir.path(),
        &[&MIGRATE[..], &["fleet", "-o", "out", "--format", "json"]].concat(),
    );
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    assert_eq!(v["schema"], 1);
    assert_eq!(
        files(&v),
        [
            ("fleet/bad/nova.conf".into(), "error".into()),
            ("fleet/c1/nova.conf".into(), "changes".into()),
            ("fleet/c2/nova.conf".into(), "changes".into()),
            ("fleet/ctl/nova.conf".into(), "changes".into()),
        ]
    );
    let error = "fleet/bad/nova.conf:3: line is not a comment, a [section] or a 'key = value' assignment (no '=' or ':')";
    assert_eq!(v["files"][0]["error"], error);
    assert_eq!(v["totals"]["failed"], 1);
    assert_eq!(v["totals"]["with_changes"], 3);
    assert!(text(&out.stderr).contains(&format!("stackhop: {error}\n")));
    assert!(dir.path().join("out/c1/nova.conf").exists());
    assert!(!dir.path().join("out/bad").exists());
}

#[test]
fn a_file_that_cannot_be_written_is_reported_and_the_others_are_written() {
    let dir = tempfile::tempdir().unwrap();
    fleet(dir.path(), false);
    // out/c1 is a file: nothing can be written under it.
    fs::create_dir(dir.path().join("out")).unwrap();
    fs::write(dir.path().join("out/c1"), "in the way\n").unwrap();
    let out = run(
        dir.path(),
        &[&MIGRATE[..], &["fleet", "-o", "out", "--format", "json"]].concat(),
    );
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    assert_eq!(
        files(&v),
        [
            ("fleet/c1/nova.conf".into(), "error".into()),
            ("fleet/c2/nova.conf".into(), "changes".into()),
            ("fleet/ctl/nova.conf".into(), "changes".into()),
        ]
    );
    let error = v["files"][0]["error"].as_str().unwrap();
    assert!(error.starts_with("out/c1: "), "{error}");
    assert_eq!(v["files"][1]["output"], "out/c2/nova.conf");
    assert!(dir.path().join("out/ctl/nova.conf").exists());
}

#[test]
fn each_entry_holds_the_report_of_its_file_alone_masked() {
    let dir = tempfile::tempdir().unwrap();
    fleet(dir.path(), false);
    let many = json(&run(
        dir.path(),
        &[&MIGRATE[..], &["fleet", "--check", "--format", "json"]].concat(),
    ));
    let entry = &many["files"][2];
    assert_eq!(entry["file"], "fleet/ctl/nova.conf");
    assert_eq!(entry["release"], "juno");
    assert_eq!(entry["target"], "wallaby");
    assert_eq!(entry["changes"], 40);
    let alone = json(&run(
        dir.path(),
        &[
            &MIGRATE[..],
            &["fleet/ctl/nova.conf", "--check", "--format", "json"],
        ]
        .concat(),
    ));
    assert_eq!(entry["report"], alone);
    let shown = many.to_string();
    assert!(!shown.contains("RABBIT_PASS") && !shown.contains("NOVA_DBPASS"));
    assert!(shown.contains("rabbit://guest:****@controller:5672/"));
}

#[test]
fn in_place_keeps_backups_and_a_second_run_has_nothing_to_change() {
    let dir = tempfile::tempdir().unwrap();
    fleet(dir.path(), false);
    let out = run(
        dir.path(),
        &["migrate", "--to", "wallaby", "fleet", "--in-place"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        fs::read(dir.path().join("fleet/c1/nova.conf.bak")).unwrap(),
        fs::read(fixture("juno-compute.conf")).unwrap()
    );
    let again = run(
        dir.path(),
        &["migrate", "--to", "wallaby", "fleet", "--check"],
    );
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stdout));
    assert!(text(&again.stdout).contains("3 ok; 0 changes"));
    assert!(text(&again.stdout).contains("nothing to change"));
    // The backups are not configs of the next run.
    assert!(!text(&again.stdout).contains(".bak"));
}

#[test]
fn patterns_and_several_files_make_a_fleet_and_the_order_is_the_paths() {
    let dir = tempfile::tempdir().unwrap();
    fleet(dir.path(), false);
    let by_pattern = run(
        dir.path(),
        &[&MIGRATE[..], &["fleet/c[0-9]/nova.conf", "--check"]].concat(),
    );
    assert_eq!(by_pattern.status.code(), Some(1));
    let listed = run(
        dir.path(),
        &[
            &MIGRATE[..],
            &["fleet/c2/nova.conf", "fleet/c1/nova.conf", "--check"],
        ]
        .concat(),
    );
    assert_eq!(text(&by_pattern.stdout), text(&listed.stdout));
    assert!(text(&listed.stdout).starts_with("FILE "));
    // Whatever the threads do, the output is the same.
    let one = stackhop()
        .current_dir(dir.path())
        .env("RAYON_NUM_THREADS", "1")
        .args([&MIGRATE[..], &["fleet", "--check", "--format", "json"]].concat())
        .output()
        .unwrap();
    let four = stackhop()
        .current_dir(dir.path())
        .env("RAYON_NUM_THREADS", "4")
        .args([&MIGRATE[..], &["fleet", "--check", "--format", "json"]].concat())
        .output()
        .unwrap();
    assert_eq!(text(&one.stdout), text(&four.stdout));
    // --fleet: one file, reported as a fleet.
    let v = json(&run(
        dir.path(),
        &[
            &MIGRATE[..],
            &[
                "fleet/c1/nova.conf",
                "--fleet",
                "--check",
                "--format",
                "json",
            ],
        ]
        .concat(),
    ));
    assert_eq!(files(&v), [("fleet/c1/nova.conf".into(), "changes".into())]);
}

#[test]
fn many_files_never_go_to_standard_output_nor_outside_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    fleet(dir.path(), false);
    let refused = |args: &[&str], message: &str| {
        let out = run(dir.path(), &[&MIGRATE[..], args].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.starts_with("stackhop: ") && err.contains(message),
            "{err}"
        );
        assert!(out.stdout.is_empty());
        assert!(!dir.path().join("out").exists());
    };
    refused(&["fleet"], "--in-place or -o DIR");
    refused(&["fleet", "-o", "-"], "never go to standard output");
    refused(&["fleet", "-"], "standard input");
    refused(
        &["fleet/c1/nova.conf", "../x/nova.conf", "-o", "out"],
        "outside out",
    );
    fs::create_dir_all(dir.path().join("other/c1")).unwrap();
    fs::copy(
        fixture("juno-compute.conf"),
        dir.path().join("other/c1/nova.conf"),
    )
    .unwrap();
    refused(&["fleet", "other", "-o", "out"], "would both be written");
    refused(&["fleet", "-o", "fleet"], "over the file itself");
}

#[test]
fn check_of_a_fleet_counts_findings_and_a_missing_file_is_an_entry() {
    let dir = tempfile::tempdir().unwrap();
    fleet(dir.path(), false);
    let out = run(
        dir.path(),
        &[
            "check",
            "--release",
            "juno",
            "fleet",
            "missing.conf",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    assert_eq!(
        files(&v),
        [
            ("fleet/c1/nova.conf".into(), "findings".into()),
            ("fleet/c2/nova.conf".into(), "findings".into()),
            ("fleet/ctl/nova.conf".into(), "findings".into()),
            ("missing.conf".into(), "error".into()),
        ]
    );
    assert_eq!(v["files"][0]["release"], "juno");
    assert_eq!(v["files"][0]["target"], "juno");
    assert_eq!(v["files"][0]["errors"], 1);
    let codes: Vec<&str> = v["files"][0]["report"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"C104"), "{codes:?}");
    assert_eq!(
        v["files"][3]["error"],
        "missing.conf: no such file or directory (os error 2)"
    );
    let out = run(dir.path(), &["check", "--release", "juno", "fleet"]);
    assert_eq!(out.status.code(), Some(1));
    let table = text(&out.stdout);
    assert!(table.contains("findings by code:\n  C104 removed-option (error): 3 in 3 files\n"));
    // GitHub annotations of every file, in order.
    let out = run(
        dir.path(),
        &["check", "--release", "juno", "fleet", "--format", "github"],
    );
    let annotations = text(&out.stdout);
    let c1 = annotations
        .find("::error file=fleet/c1/nova.conf,")
        .unwrap();
    let ctl = annotations
        .find("::error file=fleet/ctl/nova.conf,")
        .unwrap();
    assert!(c1 < ctl, "{annotations}");
    assert!(annotations.lines().all(|l| l.starts_with("::")));
}

#[test]
fn detect_of_a_fleet_gives_each_file_its_release() {
    let dir = tempfile::tempdir().unwrap();
    fleet(dir.path(), false);
    fs::copy(
        fixture("wallaby-sample.conf"),
        dir.path().join("fleet/w.conf"),
    )
    .unwrap();
    let v = json(&run(dir.path(), &["detect", "fleet", "--format", "json"]));
    let got: Vec<(&str, &str)> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap(),
                e["release"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(got[0], ("fleet/c1/nova.conf", "juno"));
    assert_eq!(v["files"][0]["report"]["guess"], "juno");
    let out = run(dir.path(), &["detect", "fleet"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("FILE "));
}

#[test]
fn fleet_report_merges_reports_of_hosts_and_keeps_secrets_masked() {
    let dir = tempfile::tempdir().unwrap();
    fleet(dir.path(), true);
    let reports = dir.path().join("reports");
    fs::create_dir(&reports).unwrap();
    let save = |name: &str, out: Output| fs::write(reports.join(name), out.stdout).unwrap();
    // A fleet report, a single file's report made with --show-secrets, a
    // check report, and one that is not a report at all.
    save(
        "compute.json",
        run(
            dir.path(),
            &[&MIGRATE[..], &["fleet", "--check", "--format", "json"]].concat(),
        ),
    );
    save(
        "controller.json",
        run(
            dir.path(),
            &[
                &MIGRATE[..],
                &[
                    "fleet/ctl/nova.conf",
                    "--check",
                    "--format",
                    "json",
                    "--show-secrets",
                ],
            ]
            .concat(),
        ),
    );
    save(
        "checked.json",
        run(
            dir.path(),
            &[
                "check",
                "--release",
                "juno",
                "fleet/c1/nova.conf",
                "--format",
                "json",
            ],
        ),
    );
    fs::write(reports.join("truncated.json"), "{\"schema\": 1, \"fi").unwrap();
    assert!(
        fs::read_to_string(reports.join("controller.json"))
            .unwrap()
            .contains("RABBIT_PASS")
    );

    let out = run(
        dir.path(),
        &[
            "fleet",
            "report",
            "reports",
            "--host-from-name",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    let got: Vec<(String, String, String)> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["host"].as_str().unwrap_or("-").to_string(),
                e["file"].as_str().unwrap().to_string(),
                e["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let row = |h: &str, f: &str, s: &str| (h.to_string(), f.to_string(), s.to_string());
    assert_eq!(
        got,
        [
            row("checked", "fleet/c1/nova.conf", "findings"),
            row("compute", "fleet/bad/nova.conf", "error"),
            row("compute", "fleet/c1/nova.conf", "changes"),
            row("compute", "fleet/c2/nova.conf", "changes"),
            row("compute", "fleet/ctl/nova.conf", "changes"),
            row("controller", "fleet/ctl/nova.conf", "changes"),
            row("truncated", "reports/truncated.json", "error"),
        ]
    );
    let shown = v.to_string();
    assert!(!shown.contains("RABBIT_PASS"), "a secret shows");
    assert!(shown.contains("rabbit://guest:****@controller:5672/"));
    // The merged report reads back as itself.
    fs::write(dir.path().join("merged.json"), &out.stdout).unwrap();
    let again = json(&run(
        dir.path(),
        &["fleet", "report", "merged.json", "--format", "json"],
    ));
    assert_eq!(again, v);

    let md = run(
        dir.path(),
        &[
            "fleet",
            "report",
            "reports",
            "--host-from-name",
            "--format",
            "markdown",
        ],
    );
    let md = text(&md.stdout);
    assert!(md.starts_with("**stackhop fleet: 7 files: "), "{md}");
    assert!(
        md.contains("| `compute:fleet/c1/nova.conf` | juno |"),
        "{md}"
    );
    assert!(md.contains("### Manual steps"));
}

#[test]
fn detect_of_many_files_counts_the_lines_nova_refuses_in_words() {
    let dir = tempfile::tempdir().unwrap();
    fleet(dir.path(), false);
    fs::write(
        dir.path().join("fleet/c2/nova.conf"),
        "[DEFAULT]\ndebug = true\nno separator here\nanother bad line\n",
    )
    .unwrap();
    let out = run(dir.path(), &["detect", "fleet"]);
    let err = text(&out.stderr);
    assert!(
        err.contains("fleet/c2/nova.conf: 2 lines nova refuses;"),
        "{err}"
    );
}
