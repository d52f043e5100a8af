//! `stackhop extract`: the same small Juno guide in every format and in four
//! languages, with the traps of issue 12; golden configs, steps and findings;
//! secrets; exit codes; the chain to Wallaby; hostile input.

mod common;

use common::{golden, root, stackhop};
use std::fs;
use std::path::Path;

const GUIDES: &[&str] = &[
    "juno-en.md",
    "juno-en.rst",
    "juno-en.wiki",
    "juno-en.xml",
    "juno-en.html",
    "juno-en.txt",
    "juno-ja.md",
    "juno-ja.rst",
    "juno-ko.md",
    "juno-ko.html",
    "juno-zh.md",
    "juno-zh.wiki",
];

fn guide(name: &str) -> std::path::PathBuf {
    root().join("tests/fixtures/guides").join(name)
}

/// Every file under `dir`, sorted, as `==> path <==` sections.
fn bundle(dir: &Path) -> String {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut out = String::new();
    for f in files {
        let rel = f.strip_prefix(dir).unwrap().display().to_string();
        out.push_str(&format!(
            "==> {rel} <==\n{}\n",
            fs::read_to_string(&f).unwrap()
        ));
    }
    out
}

/// Extracts a fixture, named relative to its folder (so that outputs do not
/// hold where the project is).
fn extract_to(name: &str, dir: &Path) {
    stackhop()
        .args(["extract", name, "-o", dir.to_str().unwrap()])
        .current_dir(root().join("tests/fixtures/guides"))
        .assert()
        .success();
}

#[test]
fn every_format_and_language_gives_the_same_configs() {
    let mut first: Option<(String, Vec<String>)> = None;
    for name in GUIDES {
        let tmp = tempfile::tempdir().unwrap();
        extract_to(name, tmp.path());
        let configs: Vec<String> = [
            "controller/etc/nova/nova.conf",
            "compute/etc/nova/nova.conf",
            "compute/etc/nova/nova-compute.conf",
        ]
        .iter()
        .map(|p| {
            fs::read_to_string(tmp.path().join(p))
                .unwrap_or_else(|_| panic!("{name}: {p} not written"))
        })
        .collect();
        match &first {
            None => first = Some((name.to_string(), configs)),
            Some((n, want)) => pretty_assertions::assert_eq!(&configs, want, "{name} vs {n}"),
        }
    }
}

#[test]
fn golden_configs_steps_and_findings() {
    for name in GUIDES {
        let tmp = tempfile::tempdir().unwrap();
        extract_to(name, tmp.path());
        let lint = stackhop()
            .args(["extract", "--lint", name])
            .current_dir(root().join("tests/fixtures/guides"))
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        let lint = String::from_utf8(lint).unwrap();
        golden(
            "extract",
            &format!("{name}.out"),
            format!("{}==> lint <==\n{lint}", bundle(tmp.path())),
        );
    }
}

#[test]
fn the_traps_of_the_issue_are_found() {
    let out = stackhop()
        .args(["extract", "--lint", guide("juno-en.md").to_str().unwrap()])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    for code in [
        "G101", "G102", "G201", "G202", "G301", "G302", "G401", "G402", "G403", "G404",
    ] {
        assert!(out.contains(code), "{code} missing:\n{out}");
    }
    // The config keeps what the guide meant: the note above the value,
    // the first alternative, the indented key un-indented, the shell line
    // out of the config.
    let tmp = tempfile::tempdir().unwrap();
    extract_to("juno-en.md", tmp.path());
    let ctl = fs::read_to_string(tmp.path().join("controller/etc/nova/nova.conf")).unwrap();
    assert!(
        ctl.contains("# management IP\nmy_ip = 10.0.0.11\n"),
        "{ctl}"
    );
    assert!(!ctl.contains("nova-manage"), "{ctl}");
    let cmp = fs::read_to_string(tmp.path().join("compute/etc/nova/nova.conf")).unwrap();
    assert!(cmp.contains("\nvncserver_listen = 0.0.0.0\n"), "{cmp}");
    assert!(!cmp.contains("echo"), "{cmp}");
    let nc = fs::read_to_string(tmp.path().join("compute/etc/nova/nova-compute.conf")).unwrap();
    assert!(nc.contains("virt_type = kvm\n"), "{nc}");
    let steps = fs::read_to_string(tmp.path().join("steps.json")).unwrap();
    assert!(
        steps.contains("\"su -s /bin/sh -c \\\"nova-manage db sync\\\" nova\""),
        "{steps}"
    );
}

#[test]
fn json_has_the_documented_shape_and_masks_secrets() {
    let out = stackhop()
        .args([
            "extract",
            "--format",
            "json",
            guide("juno-en.rst").to_str().unwrap(),
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema"], 1);
    assert_eq!(v["release"]["from"], "juno");
    assert_eq!(v["release"]["to"], "juno");
    assert!(v["release"]["evidence"].as_array().unwrap().len() >= 2);
    let files = v["files"].as_array().unwrap();
    let ctl = files
        .iter()
        .find(|f| f["node"] == "controller" && f["path"] == "/etc/nova/nova.conf")
        .unwrap();
    let my_ip = ctl["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["key"] == "my_ip")
        .unwrap();
    assert_eq!(my_ip["section"], "DEFAULT");
    assert_eq!(my_ip["value"], "10.0.0.11");
    assert!(my_ip["line"].as_u64().unwrap() > 1);
    let step = &v["steps"][0];
    for k in ["kind", "command", "line", "node"] {
        assert!(!step[k].is_null(), "{k}");
    }
    let f = &v["findings"][0];
    for k in ["code", "severity", "line", "message", "file"] {
        assert!(!f[k].is_null(), "{k}");
    }
    for secret in [
        "p@ssword",
        "p@ssw0rd",
        "\"RABBIT_PASS\"",
        "\"NOVA_PASS\"",
        "--pass NOVA_PASS",
        "GLANCE_DBPASS'",
    ] {
        assert!(!text.contains(secret), "{secret} leaked");
    }
}

#[test]
fn secrets_never_leak_but_written_configs_hold_them() {
    let g = guide("juno-en.md");
    let g = g.to_str().unwrap();
    for format in ["text", "json", "markdown"] {
        let out = stackhop()
            .args(["extract", "--format", format, g])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let out = String::from_utf8(out).unwrap();
        assert!(
            !out.contains("p@ssw") && !out.contains("RABBIT_PASS\n"),
            "{format}:\n{out}"
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    extract_to("juno-en.md", tmp.path());
    for f in ["steps.json", "steps.md"] {
        let s = fs::read_to_string(tmp.path().join(f)).unwrap();
        assert!(
            !s.contains("p@ssw") && !s.contains("NOVA_PASS"),
            "{f}:\n{s}"
        );
    }
    let conf = tmp.path().join("controller/etc/nova/nova.conf");
    assert!(
        fs::read_to_string(&conf)
            .unwrap()
            .contains("mysql://nova:p@ssw0rd@controller/nova")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&conf).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let shown = stackhop()
        .args(["extract", "--show-secrets", g])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8(shown)
            .unwrap()
            .contains("IDENTIFIED BY 'p@ssword'")
    );
}

#[test]
fn exit_codes_and_plain_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let prose = tmp.path().join("prose.md");
    fs::write(&prose, "# Nothing here\n\nJust words about clouds.\n").unwrap();
    stackhop()
        .args(["extract", prose.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no config found"));
    let bin = tmp.path().join("guide.docx");
    fs::write(&bin, b"PK\x03\x04\x14\x00\x06\x00binary").unwrap();
    stackhop()
        .args(["extract", bin.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("guide.docx:1: binary content"));
    stackhop()
        .args(["extract", tmp.path().join("missing.md").to_str().unwrap()])
        .assert()
        .code(2);
    stackhop()
        .args([
            "extract",
            "--lint",
            guide("juno-chain.md").to_str().unwrap(),
        ])
        .assert()
        .success()
        .stdout("");
    // Standard input.
    stackhop()
        .args(["extract", "-"])
        .write_stdin(fs::read(guide("juno-en.txt")).unwrap())
        .assert()
        .success()
        .stdout(predicates::str::contains("<stdin>: plain"));
    stackhop()
        .args(["explain", "G101"])
        .assert()
        .success()
        .stdout(predicates::str::contains("grant-password-mismatch"));
}

#[test]
fn a_juno_guide_carried_to_wallaby_passes_check() {
    let tmp = tempfile::tempdir().unwrap();
    stackhop()
        .args([
            "extract",
            guide("juno-chain.md").to_str().unwrap(),
            "--to",
            "wallaby",
            "-o",
            tmp.path().to_str().unwrap(),
        ])
        .assert()
        .success()
        .stderr(predicates::str::contains("wrote the upgrade runbook"));
    for (node, file) in [
        ("controller", "nova.conf"),
        ("compute", "nova.conf"),
        ("compute", "nova-compute.conf"),
    ] {
        let path = tmp
            .path()
            .join(format!("to-wallaby/{node}/etc/nova/{file}"));
        stackhop()
            .args(["check", path.to_str().unwrap(), "--release", "wallaby"])
            .assert()
            .success();
        let report = fs::read_to_string(format!("{}.migration.json", path.display())).unwrap();
        assert!(report.contains("\"to\": \"wallaby\""), "{report}");
    }
    let ctl =
        fs::read_to_string(tmp.path().join("to-wallaby/controller/etc/nova/nova.conf")).unwrap();
    assert!(
        ctl.contains("transport_url = rabbit://guest:RABBIT_PASS@controller:5672/"),
        "{ctl}"
    );
    // With the role, what remains is what the report names as manual steps.
    let out = stackhop()
        .args([
            "check",
            tmp.path()
                .join("to-wallaby/controller/etc/nova/nova.conf")
                .to_str()
                .unwrap(),
            "--release",
            "wallaby",
            "--role",
            "controller",
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    for f in v["findings"].as_array().unwrap() {
        if f["severity"] == "error" {
            assert_eq!(f["code"], "C401", "{f}");
        }
    }
    let report = fs::read_to_string(
        tmp.path()
            .join("to-wallaby/controller/etc/nova/nova.conf.migration.json"),
    )
    .unwrap();
    assert!(report.contains("\"manual\""), "{report}");
    // And the way there: the upgrade runbook over the extracted configs.
    let runbook = fs::read_to_string(tmp.path().join("runbook-juno-to-wallaby.md")).unwrap();
    assert!(
        runbook.starts_with("# Upgrade runbook: Juno to Wallaby"),
        "{}",
        &runbook[..runbook.len().min(200)]
    );
    assert!(
        runbook.contains("### ocata.db.map-cell0:"),
        "cells v2 at Ocata"
    );
    assert!(
        runbook.contains("Config changes for controller:/etc/nova/nova.conf"),
        "the extracted controller config is carried hop by hop"
    );
    assert!(!runbook.contains("RABBIT_PASS@"), "no secret in a runbook");
}

#[test]
fn hostile_input_ends_without_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let mut big = String::from("# Guide\n\nEdit /etc/nova/nova.conf:\n\n```ini\n[DEFAULT]\n");
    for i in 0..100_000 {
        big.push_str(&format!("key{i} = value{i}\n"));
    }
    // Unclosed fence.
    let path = tmp.path().join("big.md");
    fs::write(&path, &big).unwrap();
    stackhop()
        .args(["extract", path.to_str().unwrap(), "--format", "json"])
        .assert()
        .success();
    for (name, text) in [
        (
            "tags.xml",
            "<?xml version=\"1.0\"?><section><programlisting>[DEFAULT]\nmy_ip = 1\n<screen><para",
        ),
        (
            "tags.html",
            "<html><pre><code>[DEFAULT]\nmy_ip = 1\n<p <a href=\"x",
        ),
        (
            "open.rst",
            "T\n=\n\n.. code-block:: ini\n\n   [DEFAULT]\n   my_ip = 1",
        ),
        (
            "open.wiki",
            "== x ==\n<syntaxhighlight lang=ini>\n[DEFAULT]\nmy_ip = 1\n",
        ),
        (
            "heredoc.sh",
            "#!/bin/sh\ncat > /etc/nova/nova.conf <<EOF\n[DEFAULT]\nmy_ip = 1\n",
        ),
        ("deep.html", &"<div>".repeat(50_000)),
        ("angles.html", &"<a \"".repeat(50_000)),
    ] {
        let p = tmp.path().join(name);
        fs::write(&p, text).unwrap();
        let code = stackhop()
            .args(["extract", p.to_str().unwrap()])
            .assert()
            .get_output()
            .status
            .code();
        assert!(matches!(code, Some(0 | 1)), "{name}: {code:?}");
    }
}
