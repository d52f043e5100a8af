//! The command line as a whole: which options each command has, how
//! formats combine, colour, usage errors, and what a guessed source release
//! does to a migration report.

mod common;
use common::{fixture, root, stackhop};

use pretty_assertions::assert_eq;
use serde_json::Value;
use std::fs;

fn run(args: &[&str]) -> std::process::Output {
    stackhop()
        .current_dir(root())
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const JUNO: &str = "tests/fixtures/juno-controller.conf";

#[test]
fn options_appear_only_on_the_commands_they_act_on() {
    // (command, takes --show-secrets, takes --releases-dir, takes --color)
    let commands: &[(&[&str], bool, bool, bool)] = &[
        (&["inspect"], false, false, false),
        (&["get"], false, false, false),
        (&["set"], true, true, true),
        (&["del"], true, true, true),
        (&["check"], true, true, true),
        (&["detect"], false, true, false),
        (&["migrate"], true, true, true),
        (&["diff"], true, true, true),
        (&["explain"], false, false, false),
        (&["releases"], false, true, false),
        (&["releases", "show"], false, true, false),
        (&["extract"], true, true, false),
        (&["runbook", "upgrade"], false, true, false),
        (&["runbook", "install"], false, true, false),
    ];
    for (command, secrets, data, color) in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let help = text(&out.stdout);
        assert_eq!(
            help.contains("--show-secrets"),
            *secrets,
            "{args:?}\n{help}"
        );
        assert_eq!(help.contains("--releases-dir"), *data, "{args:?}\n{help}");
        assert_eq!(help.contains("--color"), *color, "{args:?}\n{help}");
    }
}

#[test]
fn migrate_diff_with_json_puts_the_diff_in_the_report() {
    let base = [
        "migrate", JUNO, "--from", "juno", "--to", "wallaby", "--diff",
    ];
    let out = run(&[&base[..], &["--format", "json"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    let diff = report["diff"].as_str().unwrap();
    assert!(diff.starts_with("--- a/tests/fixtures/juno-controller.conf\n+++ b/"));
    assert!(diff.contains("+transport_url = rabbit://guest:****@controller:5672/"));
    // Without --diff there is no diff in the report.
    let out = run(&[
        "migrate", JUNO, "--from", "juno", "--to", "wallaby", "--format", "json",
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report.get("diff").is_none());
    // Text: the summary, then the diff.
    let out = run(&[&base[..], &["--format", "text", "--color", "never"]].concat());
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("tests/fixtures/juno-controller.conf: juno → wallaby"));
    assert!(stdout.contains("\n--- a/tests/fixtures/juno-controller.conf\n"));
}

#[test]
fn combinations_with_nowhere_to_go_are_refused_before_any_work() {
    let tmp = tempfile::tempdir().unwrap();
    let out_file = tmp.path().join("out.conf");
    for args in [
        vec![
            "migrate", JUNO, "--to", "wallaby", "--diff", "--format", "github",
        ],
        vec![
            "migrate", JUNO, "--to", "wallaby", "-o", "-", "--format", "json",
        ],
        vec!["migrate", JUNO, "--to", "wallaby", "-o", "-", "--diff"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.starts_with("stackhop: "), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert!(!out_file.exists());
}

#[test]
fn a_guessed_source_release_marks_what_depends_on_the_guess() {
    let file = "tests/fixtures/stein-compute.conf";
    let out = run(&[
        "migrate", file, "--to", "stein", "--check", "--format", "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("--from not given; detected queens (the file fits queens–stein)"),
        "{err}"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["from"], "queens");
    assert_eq!(
        report["detected"]["fits"],
        serde_json::json!(["queens", "rocky", "stein"])
    );
    assert_eq!(report["detected"]["range"], "queens–stein");
    let placement = report["manual"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["rule"] == "PLC003")
        .expect("the Stein placement step");
    assert_eq!(placement["if_not_yet_on"], "stein");
    for c in report["changes"].as_array().unwrap() {
        if c["rule"] != "TRAP001" {
            assert!(c["if_not_yet_on"].is_string(), "{c}");
        }
    }
    // The text summary says it in words.
    let out = run(&[
        "migrate", file, "--to", "stein", "--check", "--format", "text", "--color", "never",
    ]);
    let summary = text(&out.stdout);
    assert!(
        summary.contains("(only if this node is not on stein yet)"),
        "{summary}"
    );
    assert!(
        summary.contains("the file fits queens–stein equally"),
        "{summary}"
    );
    // Given the release, nothing depends on a guess.
    let out = run(&[
        "migrate", file, "--from", "stein", "--to", "stein", "--format", "json",
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report.get("detected").is_none());
    assert_eq!(report["changes"], serde_json::json!([]));
}

#[test]
fn the_text_summary_keeps_a_multi_line_value_on_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("nova.conf");
    fs::write(
        &file,
        "[DEFAULT]\nvncserver_listen = 10.0.0.1\n  10.0.0.2\n",
    )
    .unwrap();
    let out = run(&[
        file.to_str().unwrap(),
        "--from",
        "juno",
        "--to",
        "liberty",
        "--format",
        "text",
        "--color",
        "never",
    ]
    .iter()
    .fold(vec!["migrate"], |mut v, a| {
        v.push(a);
        v
    }));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    let line = summary
        .lines()
        .find(|l| l.contains("vncserver_listen"))
        .expect("the change line");
    assert!(line.contains("10.0.0.1 ⏎ 10.0.0.2  →"), "{summary}");
    assert!(
        !summary.lines().any(|l| l.trim() == "10.0.0.2"),
        "{summary}"
    );
}

#[test]
fn colour_follows_the_flag_then_no_color_then_the_terminal() {
    let file = fixture("check/removed.conf");
    let file = file.to_str().unwrap();
    let check = |color: Option<&str>, no_color: bool| {
        let mut cmd = stackhop();
        cmd.args(["check", file, "--release", "wallaby"]);
        if let Some(c) = color {
            cmd.args(["--color", c]);
        }
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        text(&out.stdout).contains("\x1b[")
    };
    assert!(check(Some("always"), false));
    assert!(
        check(Some("always"), true),
        "an explicit flag wins over NO_COLOR"
    );
    assert!(!check(Some("never"), false));
    assert!(
        !check(None, false),
        "auto: standard output is not a terminal here"
    );
    assert!(!check(Some("auto"), true));
    let out = run(&[
        "check",
        file,
        "--release",
        "wallaby",
        "--color",
        "sometimes",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn usage_errors_start_like_every_other_error() {
    for args in [
        vec!["migrate"],
        vec!["bogus"],
        vec!["check", "nova.conf"],
        vec!["inspect", "a", "--format", "markdown"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.starts_with("stackhop: "), "{args:?}: {err}");
        assert!(!err.contains("error: "), "{args:?}: {err}");
    }
    let out = run(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("stackhop "));
}

#[test]
fn a_releases_dir_is_checked_as_the_build_checks_the_built_in_data() {
    // A requirement naming an option its release does not have.
    let tmp = tempfile::tempdir().unwrap();
    for name in ["juno", "kilo"] {
        let dir = tmp.path().join(name);
        fs::create_dir(&dir).unwrap();
        for file in ["release.toml", "options.toml"] {
            fs::copy(
                root().join("releases").join(name).join(file),
                dir.join(file),
            )
            .unwrap();
        }
    }
    let juno = tmp.path().join("juno/release.toml");
    let release = fs::read_to_string(&juno)
        .unwrap()
        .replace("predecessor = \"icehouse\"\n", "");
    fs::write(
        &juno,
        format!(
            "{release}\n[[require]]\nid = \"made-up\"\nroles = [\"compute\"]\noptions = [\"DEFAULT/no_such_option\"]\nwhy = \"x\"\nevidence = [\"x\"]\n"
        ),
    )
    .unwrap();
    let out = run(&[
        "check",
        fixture("juno-compute.conf").to_str().unwrap(),
        "--release",
        "juno",
        "--releases-dir",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.starts_with(&format!("stackhop: {}", juno.display())),
        "{err}"
    );
    assert!(
        err.contains(
            "requirement \"made-up\" names DEFAULT/no_such_option, which juno does not have"
        ),
        "{err}"
    );
}
