//! The config-file commands, driven through the real binary: inspect, get,
//! set, del, with every error path.

mod common;
use common::{fixture, stackhop};

use assert_cmd::Command;
use predicates::prelude::*;
use pretty_assertions::assert_eq;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

/// A writable copy of a fixture in its own temporary folder.
fn copy_of(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nova.conf");
    fs::copy(fixture(name), &path).unwrap();
    (dir, path)
}

fn with_bytes(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nova.conf");
    fs::write(&path, bytes).unwrap();
    (dir, path)
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).unwrap()
}

/// Runs and asserts the bad-input contract: exit 2, one line naming the file
/// (and line), nothing on standard output, no panic.
fn assert_refused(cmd: &mut Command, message: &str) {
    let out = cmd.assert().code(2).stdout("").get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("stackhop: "), "{stderr}");
    assert!(stderr.contains(message), "{stderr:?} lacks {message:?}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"));
}

// ---------------------------------------------------------------- inspect

#[test]
fn inspect_json_lists_every_assignment_as_nova_reads_it() {
    let out = stackhop()
        .args(["inspect", "--format", "json"])
        .arg(fixture("juno-controller.conf"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    assert_eq!(v["schema"], 1);
    assert!(
        v["file"]
            .as_str()
            .unwrap()
            .ends_with("juno-controller.conf")
    );
    let options = v["options"].as_array().unwrap();
    assert_eq!(options.len(), 37);
    assert_eq!(
        options[0],
        serde_json::json!({"section": "DEFAULT", "key": "dhcpbridge_flagfile",
                           "value": "/etc/nova/nova.conf", "line": 2})
    );
    // No inline comments in oslo.config: the note is part of the value.
    let my_ip = options.iter().find(|o| o["key"] == "my_ip").unwrap();
    assert_eq!(my_ip["value"], "10.0.0.11\t# management interface");
    assert_eq!(my_ip["line"], 19);
    let last = options.last().unwrap();
    assert_eq!(last["section"], "neutron");
    assert_eq!(last["key"], "metadata_proxy_shared_secret");
}

#[test]
fn inspect_json_joins_continuation_lines_and_keeps_crlf_files_readable() {
    let out = stackhop()
        .args(["inspect", "--format=json"])
        .arg(fixture("stein-compute.conf"))
        .output()
        .unwrap();
    let v = json(&out.stdout);
    let fw = v["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["key"] == "firewall_driver")
        .unwrap()
        .clone();
    assert_eq!(
        fw["value"],
        "nova.virt.firewall.NoopFirewallDriver\n# tabs below were pasted from the wiki"
    );
    let crlf = stackhop()
        .args(["inspect", "--format", "json"])
        .arg(fixture("newton-compute.conf"))
        .output()
        .unwrap();
    let v = json(&crlf.stdout);
    assert_eq!(v["options"][0]["value"], "/var/log/nova");
    assert_eq!(v["options"].as_array().unwrap().len(), 33);
}

#[test]
fn inspect_text_shows_sections_lines_and_values() {
    stackhop()
        .arg("inspect")
        .arg(fixture("newton-controller.conf"))
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "[DEFAULT]\n 2  log_dir = /var/log/nova\n 3  lock_path = /var/lock/nova\n",
        ))
        .stdout(predicate::str::contains(
            "[vnc]\n49  vncserver_listen = $my_ip\n50  vncserver_proxyclient_address = $my_ip\n",
        ));
}

#[test]
fn inspect_reads_standard_input() {
    stackhop()
        .args(["inspect", "--format", "json", "-"])
        .write_stdin("[DEFAULT]\ndebug = True\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("\"file\": \"<stdin>\""))
        .stdout(predicate::str::contains("\"value\": \"True\""));
}

#[test]
fn inspect_refuses_each_line_nova_refuses_naming_file_and_line() {
    let cases = [
        (
            "header-comment.conf",
            2,
            "section header does not end with ']'",
        ),
        (
            "no-section.conf",
            2,
            "assignment before any [section] header",
        ),
        ("continuation.conf", 3, "indented line continues no value"),
        ("empty-key.conf", 3, "assignment has an empty key"),
        (
            "no-separator.conf",
            3,
            "line is not a comment, a [section] or a 'key = value'",
        ),
        ("empty-section.conf", 3, "section header has no name"),
        (
            "flagfile.conf",
            1,
            "assignment before any [section] header; this looks like a gflags flagfile",
        ),
    ];
    for (file, line, reason) in cases {
        let path = fixture(&format!("bad/{file}"));
        let expected = format!("{}:{line}: {reason}", path.display());
        assert_refused(stackhop().arg("inspect").arg(&path), &expected);
    }
}

#[test]
fn inspect_lenient_reads_what_it_can_and_lists_the_bad_lines() {
    let path = fixture("bad/header-comment.conf");
    let out = stackhop()
        .args(["inspect", "--lenient", "--format", "json"])
        .arg(&path)
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "stackhop: warning: {}:2: section header does not end with ']'",
            path.display()
        )))
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    assert_eq!(
        v["options"],
        serde_json::json!([{"section": "DEFAULT", "key": "debug", "value": "True", "line": 3}])
    );
    assert_eq!(v["problems"][0]["line"], 2);
}

#[test]
fn inspect_refuses_a_bom_or_bytes_that_are_not_utf8_as_nova_does() {
    let (_d, bom) = with_bytes(b"\xef\xbb\xbf[DEFAULT]\ndebug = True\n");
    assert_refused(
        stackhop().arg("inspect").arg(&bom),
        &format!(
            "{}:1: file starts with a UTF-8 byte order mark",
            bom.display()
        ),
    );
    stackhop()
        .args(["inspect", "--lenient"])
        .arg(&bom)
        .assert()
        .success()
        .stdout("[DEFAULT]\n2  debug = True\n");
    let (_d, latin1) = with_bytes(b"[DEFAULT]\ndebug = True\n# r\xe9seau\n");
    assert_refused(
        stackhop().arg("inspect").arg(&latin1),
        &format!("{}:3: line is not valid UTF-8", latin1.display()),
    );
}

#[test]
fn missing_files_and_folders_are_errors_not_panics() {
    assert_refused(
        stackhop().args(["inspect", "/nonexistent/nova.conf"]),
        "/nonexistent/nova.conf: no such file or directory",
    );
    let dir = tempfile::tempdir().unwrap();
    assert_refused(stackhop().arg("inspect").arg(dir.path()), "is a directory");
    stackhop().arg("inspect").assert().code(2);
    stackhop()
        .args(["inspect", "x", "--format", "yaml"])
        .assert()
        .code(2);
}

// ---------------------------------------------------------------- get

#[test]
fn get_prints_the_value_nova_uses() {
    stackhop()
        .arg("get")
        .arg(fixture("juno-controller.conf"))
        .args(["database", "connection"])
        .assert()
        .success()
        .stdout("mysql://nova:NOVA_DBPASS@controller/nova\n");
    // Section names other than DEFAULT compare lower-cased, as in nova.
    stackhop()
        .arg("get")
        .arg(fixture("newton-compute.conf"))
        .args(["VNC", "vncserver_proxyclient_address"])
        .assert()
        .success()
        .stdout("$my_ip\n");
}

#[test]
fn get_takes_the_last_of_repeated_keys_or_all_with_all() {
    let (_d, path) = with_bytes(
        b"[filter_scheduler]\nenabled_filters = A\n[DEFAULT]\nx = 1\n[filter_scheduler]\nenabled_filters = B\n  C\n",
    );
    stackhop()
        .arg("get")
        .arg(&path)
        .args(["filter_scheduler", "enabled_filters"])
        .assert()
        .success()
        .stdout("B\nC\n");
    stackhop()
        .args(["get", "--all"])
        .arg(&path)
        .args(["filter_scheduler", "enabled_filters"])
        .assert()
        .success()
        .stdout("A\nB\nC\n");
}

#[test]
fn get_exits_1_when_the_option_is_not_set() {
    let path = fixture("stein-controller.conf");
    stackhop()
        .arg("get")
        .arg(&path)
        .args(["DEFAULT", "rabbit_host"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "stackhop: {}: [DEFAULT] rabbit_host is not set\n",
            path.display()
        ));
    // [default] is not [DEFAULT] for nova.
    stackhop()
        .arg("get")
        .arg(&path)
        .args(["default", "my_ip"])
        .assert()
        .code(1);
}

#[test]
fn get_refuses_a_file_nova_refuses() {
    let path = fixture("bad/no-separator.conf");
    assert_refused(
        stackhop().arg("get").arg(&path).args(["DEFAULT", "debug"]),
        &format!("{}:3:", path.display()),
    );
}

// ---------------------------------------------------------------- set

#[test]
fn set_edits_in_place_touching_one_line_and_keeps_a_backup_and_the_mode() {
    let (_d, path) = copy_of("juno-controller.conf");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let before = fs::read_to_string(&path).unwrap();
    stackhop()
        .arg("set")
        .arg(&path)
        .args(["DEFAULT", "rabbit_host", "rabbit.example.org"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    let after = fs::read_to_string(&path).unwrap();
    assert_eq!(
        after,
        before.replace(
            "rabbit_host = controller\n",
            "rabbit_host = rabbit.example.org\n"
        )
    );
    let bak = path.with_extension("conf.bak");
    assert_eq!(fs::read_to_string(&bak).unwrap(), before);
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_eq!(
        fs::metadata(&bak).unwrap().permissions().mode() & 0o777,
        0o640
    );
}

#[test]
fn set_places_a_new_key_after_the_last_key_of_its_section() {
    let (_d, path) = copy_of("newton-controller.conf");
    stackhop()
        .arg("set")
        .arg(&path)
        .args(["glance", "num_retries", "3"])
        .assert()
        .success();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(
        "[glance]\napi_servers = http://controller:9292\nnum_retries = 3\n\n[keystone_authtoken]"
    ));
}

#[test]
fn set_places_a_new_key_under_its_commented_template_line() {
    let (_d, path) = copy_of("wallaby-sample.conf");
    stackhop()
        .arg("set")
        .arg(&path)
        .args(["vnc", "server_listen", "10.0.0.11"])
        .assert()
        .success();
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("#server_listen = 127.0.0.1\nserver_listen = 10.0.0.11\n\n#\n# Location")
    );
}

#[test]
fn set_adds_a_missing_section_at_the_end_in_the_files_line_endings() {
    let (_d, path) = copy_of("newton-compute.conf");
    let before = fs::read(&path).unwrap();
    stackhop()
        .arg("set")
        .arg(&path)
        .args(["placement", "region_name", "RegionOne"])
        .assert()
        .success();
    let after = fs::read(&path).unwrap();
    assert_eq!(
        after,
        [
            &before[..],
            b"\r\n[placement]\r\nregion_name = RegionOne\r\n"
        ]
        .concat()
    );
}

#[test]
fn set_of_a_repeated_key_replaces_the_last_and_says_so() {
    let (_d, path) = with_bytes(b"[DEFAULT]\ndebug = False\nx = 1\ndebug = False\n");
    stackhop()
        .arg("set")
        .arg(&path)
        .args(["DEFAULT", "debug", "True"])
        .assert()
        .success()
        .stderr(format!(
            "stackhop: note: {}:4: [DEFAULT] debug is set 2 times; replaced the last one, the one nova uses\n",
            path.display()
        ));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "[DEFAULT]\ndebug = False\nx = 1\ndebug = True\n"
    );
}

#[test]
fn set_writes_values_so_that_nova_reads_them_back_unchanged() {
    for value in [
        "  padded  ",
        "\"quoted\"",
        "a # not a comment",
        "",
        "line one\nline two",
    ] {
        let (_d, path) = copy_of("stein-controller.conf");
        stackhop()
            .arg("set")
            .arg(&path)
            .args(["DEFAULT", "host", value])
            .assert()
            .success();
        stackhop()
            .arg("get")
            .arg(&path)
            .args(["DEFAULT", "host"])
            .assert()
            .success()
            .stdout(format!("{value}\n"));
    }
}

#[test]
fn set_dry_run_prints_a_unified_diff_and_writes_nothing() {
    let (_d, path) = copy_of("stein-controller.conf");
    let before = fs::read(&path).unwrap();
    let name = path.display().to_string();
    stackhop()
        .args(["set", "--dry-run"])
        .arg(&path)
        .args(["vnc", "enabled", "false"])
        .assert()
        .success()
        .stdout(format!(
            "--- {name}\n+++ {name}\n@@ -60,6 +60,6 @@\n discover_hosts_in_cells_interval = 300\n \n [vnc]\n-enabled = true\n+enabled = false\n server_listen = $my_ip\n server_proxyclient_address = $my_ip\n"
        ));
    assert_eq!(fs::read(&path).unwrap(), before);
    assert!(!path.with_extension("conf.bak").exists());
}

#[test]
fn set_output_writes_elsewhere_and_leaves_the_file_alone() {
    let (dir, path) = copy_of("stein-compute.conf");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    let before = fs::read(&path).unwrap();
    let out = dir.path().join("out.conf");
    stackhop()
        .arg("set")
        .arg(&path)
        .args(["libvirt", "virt_type", "kvm", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(fs::read(&path).unwrap(), before);
    let written = fs::read_to_string(&out).unwrap();
    assert!(written.contains("[libvirt]\nvirt_type = kvm\n"));
    // A new file holding secrets is no more readable than its source.
    assert_eq!(
        fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );
    stackhop()
        .arg("set")
        .arg(&path)
        .args(["libvirt", "virt_type", "kvm", "-o", "-"])
        .assert()
        .success()
        .stdout(written);
}

#[test]
fn set_no_backup_keeps_no_backup_and_an_unchanged_file_is_not_rewritten() {
    let (_d, path) = copy_of("stein-controller.conf");
    stackhop()
        .args(["set", "--no-backup"])
        .arg(&path)
        .args(["DEFAULT", "debug", "True"])
        .assert()
        .success();
    assert!(!path.with_extension("conf.bak").exists());
    stackhop()
        .arg("set")
        .arg(&path)
        .args(["DEFAULT", "debug", "True"])
        .assert()
        .success();
    assert!(
        !path.with_extension("conf.bak").exists(),
        "no change, no write"
    );
}

#[test]
fn set_follows_a_symlink_and_keeps_it() {
    let (dir, real) = copy_of("stein-controller.conf");
    let link = dir.path().join("link.conf");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    stackhop()
        .arg("set")
        .arg(&link)
        .args(["DEFAULT", "debug", "True"])
        .assert()
        .success();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(fs::read_to_string(&real).unwrap().contains("debug = True"));
}

#[test]
fn set_refuses_bad_arguments_and_bad_files_and_writes_nothing() {
    let (_d, path) = copy_of("stein-controller.conf");
    let before = fs::read(&path).unwrap();
    let name = path.display().to_string();
    assert_refused(
        stackhop()
            .arg("set")
            .arg(&path)
            .args(["DEFAULT", "a=b", "1"]),
        &format!("{name}: invalid key \"a=b\""),
    );
    assert_refused(
        stackhop()
            .arg("set")
            .arg(&path)
            .args(["DEFAULT", "k", "a\n\nb"]),
        &format!("{name}: value cannot be written"),
    );
    assert_refused(
        stackhop().arg("set").arg(&path).args([" vnc", "k", "1"]),
        "invalid section name",
    );
    assert_eq!(fs::read(&path).unwrap(), before);

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("nova.conf");
    fs::copy(fixture("bad/header-comment.conf"), &bad).unwrap();
    let before = fs::read(&bad).unwrap();
    assert_refused(
        stackhop()
            .arg("set")
            .arg(&bad)
            .args(["DEFAULT", "debug", "False"]),
        &format!("{}:2: section header does not end with ']'", bad.display()),
    );
    assert_eq!(fs::read(&bad).unwrap(), before);
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary or backup file"
    );
}

#[test]
fn set_warns_about_a_bom_but_edits_losslessly() {
    let (_d, path) = with_bytes(b"\xef\xbb\xbf[DEFAULT]\r\ndebug = False\r\n");
    stackhop()
        .arg("set")
        .arg(&path)
        .args(["DEFAULT", "debug", "True"])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("warning").and(predicate::str::contains("byte order mark")),
        );
    assert_eq!(
        fs::read(&path).unwrap(),
        b"\xef\xbb\xbf[DEFAULT]\r\ndebug = True\r\n"
    );
}

// ---------------------------------------------------------------- del

#[test]
fn del_removes_every_occurrence_of_a_key() {
    let (_d, path) = with_bytes(
        b"[DEFAULT]\nrpc_backend = rabbit\ndebug = True\n\n[DEFAULT]\nrpc_backend=rabbit\n",
    );
    stackhop()
        .arg("del")
        .arg(&path)
        .args(["DEFAULT", "rpc_backend"])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "[DEFAULT]\ndebug = True\n"
    );
}

#[test]
fn del_removes_a_whole_section() {
    let (_d, path) = copy_of("juno-controller.conf");
    let before = fs::read_to_string(&path).unwrap();
    stackhop()
        .arg("del")
        .arg(&path)
        .arg("keystone_authtoken")
        .assert()
        .success();
    let after = fs::read_to_string(&path).unwrap();
    let block = "\n[keystone_authtoken]\nauth_uri = http://controller:5000/v2.0\nidentity_uri = http://controller:35357\nadmin_tenant_name = service\nadmin_user = nova\nadmin_password = NOVA_PASS\n";
    assert_eq!(after, before.replacen(block, "", 1));
}

#[test]
fn del_of_something_absent_changes_nothing_and_says_so() {
    let (_d, path) = copy_of("stein-controller.conf");
    stackhop()
        .arg("del")
        .arg(&path)
        .args(["DEFAULT", "rabbit_host"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "no [DEFAULT] rabbit_host; nothing to delete",
        ));
    assert!(!path.with_extension("conf.bak").exists());
}

#[test]
fn set_then_del_of_a_new_key_gives_back_the_original_bytes() {
    for name in [
        "juno-controller.conf",
        "newton-compute.conf",
        "stein-compute.conf",
        "wallaby-sample.conf",
    ] {
        for section in ["DEFAULT", "vnc", "stackhop_new_section"] {
            let (_d, path) = copy_of(name);
            let before = fs::read(&path).unwrap();
            stackhop()
                .args(["set", "--no-backup"])
                .arg(&path)
                .args([section, "stackhop_probe", "1"])
                .assert()
                .success();
            assert_ne!(fs::read(&path).unwrap(), before);
            stackhop()
                .args(["del", "--no-backup"])
                .arg(&path)
                .args([section, "stackhop_probe"])
                .assert()
                .success();
            assert_eq!(fs::read(&path).unwrap(), before, "{name} [{section}]");
        }
    }
}

#[test]
fn del_dry_run_prints_the_diff_only() {
    let (_d, path) = copy_of("newton-controller.conf");
    let before = fs::read(&path).unwrap();
    stackhop()
        .args(["del", "--dry-run"])
        .arg(&path)
        .args(["DEFAULT", "firewall_driver"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "-firewall_driver = nova.virt.firewall.NoopFirewallDriver\n",
        ));
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn help_reads_like_a_manual() {
    stackhop()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("inspect").and(predicate::str::contains("Exit status")));
    stackhop()
        .args(["set", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("FILE.bak"));
}

#[test]
fn every_command_refuses_missing_and_bad_files_and_writes_nothing() {
    let commands: [&[&str]; 4] = [
        &["inspect"],
        &["get", "DEFAULT", "debug"],
        &["set", "DEFAULT", "debug", "True"],
        &["del", "DEFAULT", "debug"],
    ];
    for args in commands {
        let (verb, rest) = args.split_first().unwrap();
        let missing = "/nonexistent/dir/nova.conf";
        assert_refused(
            stackhop().arg(verb).arg(missing).args(rest),
            &format!("{missing}: no such file or directory"),
        );
        for bad in [
            "header-comment.conf",
            "continuation.conf",
            "no-section.conf",
        ] {
            let (dir, path) = copy_of(&format!("bad/{bad}"));
            let before = fs::read(&path).unwrap();
            let out = stackhop()
                .arg(verb)
                .arg(&path)
                .args(rest)
                .assert()
                .code(2)
                .get_output()
                .clone();
            let stderr = String::from_utf8(out.stderr).unwrap();
            assert!(
                stderr.starts_with(&format!("stackhop: {}:", path.display())),
                "{stderr}"
            );
            assert_eq!(fs::read(&path).unwrap(), before);
            assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        }
    }
}
