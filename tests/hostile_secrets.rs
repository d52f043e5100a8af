//! Secrets under hostile values: a secret that looks like a URL but is not
//! one, a commented-out secret's continuation lines, names and URL query
//! strings that hold passwords. No command and no format shows them unless
//! --show-secrets (issue 13, items 1 to 3).

mod common;
use common::stackhop;

use std::fs;
use std::path::Path;

/// Runs in `dir`; returns (exit code, stdout + stderr), asserting no panic.
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = stackhop()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("panicked"), "{args:?}: {text}");
    (out.status.code().unwrap(), text)
}

/// A Juno controller whose secrets are canaries in the shapes that used to
/// leak: `scheme://` without a URL's password, a continuation line, a
/// password in a query string, names only the name says are secret.
const JUNO: &str = "\
[DEFAULT]
rpc_backend = rabbit
rabbit_host = controller
rabbit_password = Qz://CANARY-RB
my_ip = 10.0.0.11
sql_connection = mysql://nova@controller/nova?password=CANARY-QS&charset=utf8
virtual_power_host_pass = CANARY-VPH
my_service_token = CANARY-TOK
my_password_file = CANARY-PWF
legacy_pass = CANARY-LP

[keystone_authtoken]
auth_uri = http://controller:5000/v2.0
identity_uri = http://controller:35357
admin_tenant_name = service
admin_user = nova
admin_password = Xy://CANARY-ADM
  CANARY-CONT

[neutron]
url = http://controller:9696
admin_password = s3cret://CANARY-NEU
metadata_proxy_shared_secret = m://CANARY-META
";

const WALLABY: &str = "\
[DEFAULT]
transport_url = Xy://CANARY-TU
my_ip = 10.0.0.11

[database]
connection = mysql+pymysql://nova@controller/nova?charset=utf8&Password=CANARY-QS2

[keystone_authtoken]
password = Xy://CANARY-KS
password = Zz://CANARY-KS2 # note

[placement]
password = NOVA_PASS://CANARY-PLC
";

const CANARIES: &[&str] = &[
    "CANARY-RB",
    "CANARY-QS",
    "CANARY-VPH",
    "CANARY-TOK",
    "CANARY-PWF",
    "CANARY-LP",
    "CANARY-ADM",
    "CANARY-CONT",
    "CANARY-NEU",
    "CANARY-META",
    "CANARY-TU",
    "CANARY-KS",
    "CANARY-PLC",
];

fn every_output() -> Vec<Vec<&'static str>> {
    let mut all: Vec<Vec<&str>> = Vec::new();
    for file in ["juno.conf", "wallaby.conf"] {
        for release in ["juno", "wallaby"] {
            for format in ["text", "json", "github"] {
                all.push(vec![
                    "check",
                    file,
                    "--release",
                    release,
                    "--role",
                    "controller",
                    "--format",
                    format,
                ]);
            }
        }
        for format in ["text", "json"] {
            all.push(vec!["detect", file, "--format", format]);
        }
    }
    for keep in [None, Some("--keep-removed")] {
        let mut base = vec!["migrate", "juno.conf", "--from", "juno", "--to", "wallaby"];
        base.extend(keep);
        for extra in [
            &[][..],
            &["--diff"],
            &["--check"],
            &["--format", "text"],
            &["--format", "json"],
            &["--format", "markdown"],
            &["--format", "github"],
            &["--check", "--format", "markdown"],
        ] {
            let mut args = base.clone();
            args.extend(extra);
            // The migrated file itself keeps its values: look at the reports only.
            if extra.is_empty() {
                args.extend(["-o", "out.conf"]);
            }
            all.push(args);
        }
    }
    for (old, new) in [
        ("juno.conf", "wallaby.conf"),
        ("wallaby.conf", "empty.conf"),
    ] {
        for format in ["text", "markdown", "json"] {
            all.push(vec!["diff", old, new, "--format", format]);
            all.push(vec![
                "diff",
                old,
                new,
                "--release",
                "wallaby",
                "--format",
                format,
            ]);
        }
    }
    all.push(vec![
        "set",
        "juno.conf",
        "DEFAULT",
        "debug",
        "True",
        "--dry-run",
    ]);
    all.push(vec![
        "set",
        "wallaby.conf",
        "keystone_authtoken",
        "password",
        "Xy://CANARY-KS-NEW",
        "--dry-run",
    ]);
    all.push(vec!["del", "juno.conf", "keystone_authtoken", "--dry-run"]);
    all.push(vec!["del", "wallaby.conf", "DEFAULT", "my_ip", "--dry-run"]);
    all
}

#[test]
fn no_output_shows_a_hostile_secret_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("juno.conf"), JUNO).unwrap();
    fs::write(tmp.path().join("wallaby.conf"), WALLABY).unwrap();
    fs::write(tmp.path().join("empty.conf"), "").unwrap();
    let mut shown_somewhere = std::collections::BTreeSet::new();
    for args in every_output() {
        let (_, text) = run(tmp.path(), &args);
        for canary in CANARIES {
            assert!(
                !text.contains(canary),
                "{canary} shown by stackhop {}:\n{text}",
                args.join(" ")
            );
        }
        let mut shown = args.clone();
        shown.push("--show-secrets");
        let (_, text) = run(tmp.path(), &shown);
        for canary in CANARIES {
            if text.contains(canary) {
                shown_somewhere.insert(*canary);
            }
        }
    }
    // Each canary is a value the outputs do show once asked: the test
    // looks where they would leak.
    assert_eq!(shown_somewhere.len(), CANARIES.len(), "{shown_somewhere:?}");
}

#[test]
fn a_secret_url_keeps_its_user_and_host_and_loses_its_password() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("a.conf"),
        "[DEFAULT]\ntransport_url = rabbit://openstack:RB-PASS@controller:5672/\n",
    )
    .unwrap();
    fs::write(
        tmp.path().join("b.conf"),
        "[DEFAULT]\ntransport_url = rabbit://openstack:RB-NEW@controller:5672/\n\
         [database]\nconnection = mysql://nova@db/nova?password=DB-PASS&charset=utf8\n",
    )
    .unwrap();
    let (code, text) = run(tmp.path(), &["diff", "a.conf", "b.conf"]);
    assert_eq!(code, 1);
    assert!(
        text.contains("rabbit://openstack:****@controller:5672/"),
        "{text}"
    );
    assert!(
        text.contains("mysql://nova@db/nova?password=****&charset=utf8"),
        "{text}"
    );
    assert!(!text.contains("PASS") && !text.contains("RB-NEW"), "{text}");
}

#[test]
fn a_commented_out_secret_keeps_its_continuation_lines_masked() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("juno.conf"),
        "[DEFAULT]\nmy_ip = 10.0.0.11\n\n[xenserver]\nconnection_url = http://x\n\
         connection_password = s3cret\n  LEAK-CONT\n\t# LEAK-COMMENT\n",
    )
    .unwrap();
    let base = ["migrate", "juno.conf", "--from", "juno", "--to", "wallaby"];
    for extra in [
        &["--keep-removed", "--diff"][..],
        &["--keep-removed", "--format", "markdown"],
        &["--diff"],
    ] {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        let (_, text) = run(tmp.path(), &args);
        for leak in ["s3cret", "LEAK-CONT", "LEAK-COMMENT"] {
            assert!(!text.contains(leak), "{leak}: {args:?}\n{text}");
        }
    }
    // The migrated file keeps them, commented out under the rule's marker.
    let (_, file) = run(tmp.path(), &[&base[..], &["--keep-removed"]].concat());
    assert!(
        file.contains("#connection_password = s3cret\n#  LEAK-CONT\n#\t# LEAK-COMMENT\n"),
        "{file}"
    );
}

#[test]
fn a_new_option_set_between_a_commented_out_secret_and_its_continuation_keeps_it_masked() {
    // `set` puts the option under its commented-out template, which splits
    // the template from its commented continuation lines: those follow a
    // live secret now, and are masked with it.
    let tmp = tempfile::tempdir().unwrap();
    let input = "[keystone_authtoken]\n#password = CANARY1\n#  CANARY2\n#  CANARY3\n[foo]\nx = 1\n";
    fs::write(tmp.path().join("e.conf"), input).unwrap();
    let (code, text) = run(
        tmp.path(),
        &[
            "set",
            "e.conf",
            "keystone_authtoken",
            "password",
            "CANARY4",
            "--dry-run",
        ],
    );
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("+password = ****"), "{text}");
    assert!(!text.contains("CANARY"), "{text}");
    // Nothing written by a dry run; the real edit keeps every line.
    assert_eq!(
        fs::read_to_string(tmp.path().join("e.conf")).unwrap(),
        input
    );
}
