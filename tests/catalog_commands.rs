//! The catalog commands through the real binary: check (every finding kind,
//! every format, exit codes), detect, releases, and --releases-dir.

mod common;
use common::{fixture, stackhop};

use predicates::prelude::*;
use pretty_assertions::assert_eq;
use serde_json::Value;
use std::fs;
use std::path::Path;

/// `check --format json` of a fixture: (exit code, findings).
fn check(file: &Path, args: &[&str]) -> (i32, Vec<Value>) {
    let out = stackhop()
        .arg("check")
        .arg(file)
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(v["schema"], 1);
    (
        out.status.code().unwrap(),
        v["findings"].as_array().unwrap().clone(),
    )
}

/// The finding of `code` on `line`.
fn finding<'a>(findings: &'a [Value], code: &str, line: u64) -> &'a Value {
    findings
        .iter()
        .find(|f| f["code"] == code && f["line"] == line)
        .unwrap_or_else(|| panic!("no {code} on line {line} in {findings:#?}"))
}

fn text(v: &Value, field: &str) -> String {
    v[field].as_str().unwrap_or_default().to_string()
}

#[test]
fn unknown_options_and_sections_with_did_you_mean() {
    let (code, fs) = check(&fixture("check/unknown.conf"), &["--release", "wallaby"]);
    assert_eq!(code, 1);
    let f = finding(&fs, "C101", 3);
    assert_eq!(f["severity"], "error");
    assert_eq!(f["section"], "DEFAULT");
    assert_eq!(f["key"], "virt_type");
    assert_eq!(text(f, "suggestion"), "did you mean [libvirt] virt_type?");
    assert_eq!(
        text(finding(&fs, "C101", 4), "suggestion"),
        "did you mean [DEFAULT] transport_url?"
    );
    assert_eq!(
        text(finding(&fs, "C101", 7), "suggestion"),
        "did you mean [vnc] server_listen?"
    );
    let s = finding(&fs, "C102", 9);
    assert_eq!(s["severity"], "warning");
    assert!(text(s, "message").contains("[nova_extras]"));
}

#[test]
fn deprecated_names_point_at_their_replacement() {
    let (code, fs) = check(&fixture("check/deprecated.conf"), &["--release", "wallaby"]);
    assert_eq!(code, 0, "warnings only: {fs:#?}");
    assert_eq!(
        text(finding(&fs, "C103", 2), "suggestion"),
        "rename it to [vnc] server_listen: stackhop migrate does it (stackhop explain VNC001)"
    );
    assert_eq!(
        text(finding(&fs, "C103", 3), "suggestion"),
        "rename it to [filter_scheduler] enabled_filters"
    );
    assert_eq!(
        text(finding(&fs, "C103", 6), "suggestion"),
        "use [keystone_authtoken] www_authenticate_uri: stackhop migrate does it (stackhop explain ID001)"
    );
    // --strict makes warnings fail.
    let (code, _) = check(
        &fixture("check/deprecated.conf"),
        &["--release", "wallaby", "--strict"],
    );
    assert_eq!(code, 1);
}

#[test]
fn removed_options_name_the_release_that_removed_them() {
    let (_, fs) = check(&fixture("check/removed.conf"), &["--release", "wallaby"]);
    let cases = [
        (
            2,
            "[DEFAULT] rpc_backend was removed in Stein (last read by Rocky)",
        ),
        (
            3,
            "[DEFAULT] rabbit_host was removed in Stein (last read by Rocky)",
        ),
        (
            4,
            "[DEFAULT] auth_strategy was removed in Ussuri (last read by Train)",
        ),
        (
            7,
            "[glance] host was removed in Newton (last read by Mitaka)",
        ),
        (
            10,
            "[xenserver] connection_url was removed in Victoria (last read by Ussuri)",
        ),
    ];
    for (line, message) in cases {
        let f = finding(&fs, "C104", line);
        assert!(text(f, "message").starts_with(message), "{f:#}");
    }
    // What replaced it, when the data records it, and the rule that
    // carries it there (issue 10, item 13).
    assert_eq!(
        text(finding(&fs, "C104", 4), "suggestion"),
        "use [api] auth_strategy: stackhop migrate does it (stackhop explain ID004)"
    );
    assert_eq!(
        text(finding(&fs, "C104", 3), "suggestion"),
        "merged into [DEFAULT] transport_url by MSG002: stackhop migrate does it (stackhop explain MSG002)"
    );
    assert_eq!(
        text(finding(&fs, "C104", 7), "suggestion"),
        "merged into [glance] api_servers by IMG001: stackhop migrate does it (stackhop explain IMG001)"
    );
    assert_eq!(
        text(finding(&fs, "C104", 10), "suggestion"),
        "removed by XEN001 (removed in Victoria with the XenAPI driver): stackhop migrate does it (stackhop explain XEN001)"
    );
    // The same file is fine for Juno, where all of it existed.
    let (code, fs) = check(&fixture("check/removed.conf"), &["--release", "juno"]);
    assert!(!fs.iter().any(|f| f["code"] == "C104"), "{fs:#?}");
    assert_eq!(code, 0);
}

#[test]
fn options_of_later_releases_say_when_they_appear() {
    let (_, fs) = check(&fixture("stein-controller.conf"), &["--release", "juno"]);
    let f = finding(&fs, "C101", 64);
    assert_eq!(
        text(f, "message"),
        "[vnc] server_listen does not exist in Juno; it first appears in Queens"
    );
}

#[test]
fn values_are_checked_against_types_choices_and_ranges() {
    let (code, fs) = check(&fixture("check/values.conf"), &["--release", "wallaby"]);
    assert_eq!(code, 1);
    let expect = [
        (2, "is not a boolean"),
        (3, "is not an integer"),
        (4, "is not a number"),
        (8, "is not one of the choices: kvm, lxc, qemu, parallels"),
        (11, "is more than the maximum, 65535"),
        (12, "is not a URL with a scheme and a host"),
    ];
    for (line, why) in expect {
        let f = finding(&fs, "C105", line);
        assert!(text(f, "message").contains(why), "{f:#}");
    }
    // `$my_ip` resolves to 10.0.0.11, a valid host address.
    assert!(!fs.iter().any(|f| f["line"] == 13));
}

#[test]
fn syntax_traps_of_oslo_config_are_explained() {
    let (_, fs) = check(&fixture("check/traps.conf"), &["--release", "wallaby"]);
    let inline = finding(&fs, "C201", 2);
    assert_eq!(inline["value"], "10.0.0.31  # management interface");
    let indented = finding(&fs, "C202", 4);
    assert!(
        text(indented, "message").contains("part of the value of [DEFAULT] use_neutron (line 3)")
    );
    let reference = finding(&fs, "C203", 5);
    assert!(text(reference, "message").contains("$hostname"));
    // An indented comment continues the value above it.
    finding(&fs, "C201", 9);
    let cycle = finding(&fs, "C207", 13);
    assert_eq!(
        text(cycle, "message"),
        "the $ references in [libvirt] images_volume_group lead back to it: [libvirt] images_volume_group \
         → [libvirt] images_rbd_pool → [libvirt] images_volume_group; nova cannot read these options"
    );
    // The inline comment travels through $my_ip into [vnc] server_listen.
    assert!(
        text(finding(&fs, "C105", 10), "message").contains("10.0.0.31  # management interface")
    );
}

#[test]
fn placeholders_and_url_passwords_are_found_without_showing_secrets() {
    let (_, fs) = check(&fixture("check/secrets.conf"), &["--release", "wallaby"]);
    assert!(text(finding(&fs, "C301", 2), "message").contains("MANAGEMENT_INTERFACE_IP_ADDRESS"));
    let at = finding(&fs, "C302", 3);
    assert!(text(at, "message").contains("unencoded '@'"));
    assert_eq!(at["value"], "rabbit://openstack:****@controller:5672/");
    let db = finding(&fs, "C301", 6);
    assert!(!text(db, "message").contains("NOVA_DBPASS"));
    assert_eq!(db["value"], "mysql+pymysql://nova:****@controller/nova");
    let slash = finding(&fs, "C302", 9);
    assert!(text(slash, "message").contains("unencoded '/'"));
    let everything = serde_json::to_string(&fs).unwrap();
    for secret in ["p@ss", "pa/ss", "NOVA_DBPASS"] {
        assert!(!everything.contains(secret), "{secret} leaked");
    }
    let (_, shown) = check(
        &fixture("check/secrets.conf"),
        &["--release", "wallaby", "--show-secrets"],
    );
    assert_eq!(
        finding(&shown, "C302", 3)["value"],
        "rabbit://openstack:p@ss@controller:5672/"
    );
}

#[test]
fn duplicates_say_which_value_nova_uses() {
    let (_, fs) = check(&fixture("check/duplicates.conf"), &["--release", "wallaby"]);
    assert!(
        text(finding(&fs, "C204", 2), "message").contains("nova uses [DEFAULT] debug on line 4")
    );
    // The current name wins over an old name, wherever each is.
    assert!(
        text(finding(&fs, "C204", 5), "message")
            .contains("nova uses [vnc] server_listen on line 8")
    );
}

#[test]
fn bom_and_bytes_that_are_not_utf8_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bom = dir.path().join("bom.conf");
    fs::write(&bom, b"\xef\xbb\xbf[DEFAULT]\ndebug = True\n").unwrap();
    let (code, fs) = check(&bom, &["--release", "wallaby"]);
    assert_eq!(code, 1);
    finding(&fs, "C205", 1);
    let latin1 = dir.path().join("latin1.conf");
    fs::write(&latin1, b"[DEFAULT]\n# r\xe9seau\ndebug = True\n").unwrap();
    let (_, fs) = check(&latin1, &["--release", "wallaby"]);
    finding(&fs, "C206", 2);
}

#[test]
fn lines_nova_refuses_are_findings_and_the_rest_is_still_checked() {
    let (code, fs) = check(&fixture("check/syntax.conf"), &["--release", "wallaby"]);
    assert_eq!(code, 1);
    assert_eq!(
        text(finding(&fs, "C100", 1), "suggestion"),
        "put the comment on a line of its own"
    );
    finding(&fs, "C202", 3);
}

#[test]
fn role_requirements_name_what_is_missing() {
    let file = fixture("check/compute-missing-placement.conf");
    let (code, fs) = check(&file, &["--release", "wallaby", "--role", "compute"]);
    assert_eq!(code, 1);
    let missing: Vec<&Value> = fs.iter().filter(|f| f["code"] == "C401").collect();
    assert!(!missing.is_empty());
    assert!(
        text(missing[0], "message").contains("[placement] auth_url"),
        "{missing:#?}"
    );
    // Without a role, the requirements are not checked, and it says so.
    let (code, fs) = check(&file, &["--release", "wallaby"]);
    assert_eq!(code, 0);
    assert_eq!(fs.iter().filter(|f| f["code"] == "C402").count(), 1);
    // Before Ocata, a compute node needed no [placement].
    let (_, fs) = check(&file, &["--release", "newton", "--role", "compute"]);
    assert!(
        !fs.iter()
            .any(|f| f["code"] == "C401" && text(f, "message").contains("placement"))
    );
    // A Mitaka controller needs the API database.
    let (_, fs) = check(
        &fixture("juno-controller.conf"),
        &["--release", "mitaka", "--role", "controller"],
    );
    assert!(
        fs.iter().any(
            |f| f["code"] == "C401" && text(f, "message").contains("[api_database] connection")
        )
    );
}

#[test]
fn a_clean_install_guide_config_passes_its_own_release() {
    let (code, fs) = check(
        &fixture("stein-controller.conf"),
        &["--release", "stein", "--role", "controller"],
    );
    let errors: Vec<_> = fs.iter().filter(|f| f["severity"] == "error").collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(code, 0);
}

#[test]
fn text_and_github_formats() {
    let file = fixture("check/traps.conf");
    let name = file.display().to_string();
    stackhop()
        .arg("check")
        .arg(&file)
        .args(["--release", "wallaby"])
        .env("NO_COLOR", "1")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "{name}:4: error[C202 indented-assignment]: firewall_driver is indented"
        )))
        .stdout(predicate::str::contains(
            "    help: remove the indentation\n",
        ))
        .stdout(predicate::str::contains(format!(
            "{name}: 6 errors, 2 warnings, 1 note (checked against Wallaby)"
        )));
    let out = stackhop()
        .arg("check")
        .arg(&file)
        .args(["--release", "wallaby", "--format", "github"])
        .output()
        .unwrap();
    let github = String::from_utf8(out.stdout).unwrap();
    let escaped = name.replace(':', "%3A").replace(',', "%2C");
    assert!(
        github.contains(&format!("::error file={escaped},line=4,title=C202 indented-assignment::firewall_driver is indented")),
        "{github}"
    );
    assert!(github.lines().all(|l| l.starts_with("::error ")
        || l.starts_with("::warning ")
        || l.starts_with("::notice ")));
}

#[test]
fn several_files_and_standard_input() {
    let out = stackhop()
        .args(["check", "--format", "json", "--release", "wallaby", "-"])
        .arg(fixture("check/deprecated.conf"))
        .write_stdin("[DEFAULT]\nvirt_type = kvm\n")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["findings"][0]["file"], "<stdin>");
}

#[test]
fn check_refuses_bad_input_with_exit_2() {
    stackhop()
        .args(["check", "--release", "zed"])
        .arg(fixture("stein-controller.conf"))
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "stackhop: --release: unknown release \"zed\"; releases: icehouse, juno",
        ));
    stackhop()
        .args(["check", "/nonexistent.conf", "--release", "wallaby"])
        .assert()
        .code(2)
        .stderr("stackhop: /nonexistent.conf: no such file or directory (os error 2)\n");
    stackhop()
        .args(["check", "--release", "wallaby"])
        .assert()
        .code(2);
    // A nova version names its release.
    stackhop()
        .args(["check", "--release", "19.0.3"])
        .arg(fixture("stein-controller.conf"))
        .assert()
        .success();
}

#[test]
fn detect_names_the_best_fitting_releases_with_evidence() {
    let out = stackhop()
        .args(["detect", "--format", "json"])
        .arg(fixture("juno-controller.conf"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["best"], serde_json::json!(["juno"]));
    assert_eq!(v["guess"], "juno");
    let rabbit = v["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == "rabbit_host")
        .unwrap();
    assert_eq!(
        rabbit["current_in"],
        serde_json::json!(["icehouse", "juno"])
    );
    stackhop()
        .arg("detect")
        .arg(fixture("stein-controller.conf"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "fits queens–stein equally; the oldest, queens, is the one to upgrade from",
        ))
        .stdout(predicate::str::contains(
            "[vnc] server_listen: current in queens–wallaby",
        ));
}

#[test]
fn detect_reads_a_file_nova_would_refuse_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nova.conf");
    fs::write(
        &file,
        "[DEFAULT]\nrabbit_host = controller\nnot an option\nnor this\n",
    )
    .unwrap();
    stackhop()
        .arg("detect")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("fits icehouse–juno equally"))
        .stderr(predicate::str::contains(
            "nova.conf:3: line is not a comment, a [section] or a 'key = value' assignment \
             (no '=' or ':') (and 1 more such line); nova would refuse this file",
        ));
}

#[test]
fn releases_lists_every_release_with_its_data_level() {
    let out = stackhop()
        .args(["releases", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let releases = v["releases"].as_array().unwrap();
    assert_eq!(releases.len(), 15);
    assert_eq!(
        releases[1],
        serde_json::json!({"name": "juno", "title": "Juno", "nova_version": "2014.2.0",
                           "released": "2014-10-16", "predecessor": "icehouse", "data": "full"})
    );
    let full: Vec<&str> = releases
        .iter()
        .filter(|r| r["data"] == "full")
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(full, ["juno", "newton", "stein", "wallaby"]);
    stackhop()
        .arg("releases")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "RELEASE   NOVA      RELEASED    DATA\nicehouse  2014.1.0  2014-04-17  upgrade-only\n",
        ));
}

#[test]
fn releases_show_has_services_databases_steps_and_options() {
    stackhop()
        .args(["releases", "show", "ocata"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Ocata (nova 15.0.0, released 2017-02-22, after newton)",
        ))
        .stdout(predicate::str::contains(
            "run: nova-manage cell_v2 discover_hosts",
        ))
        .stdout(predicate::str::contains("nova_cell0"));
    let out = stackhop()
        .args([
            "releases",
            "show",
            "wallaby",
            "--options",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], 1);
    assert_eq!(v["data"], "full");
    let options = v["options"].as_array().unwrap();
    assert_eq!(options.len(), v["option_count"].as_u64().unwrap() as usize);
    let listen = options
        .iter()
        .find(|o| o["group"] == "vnc" && o["name"] == "server_listen")
        .unwrap();
    assert_eq!(listen["type"], "host-address");
    assert_eq!(listen["default"], "127.0.0.1");
    assert_eq!(listen["secret"], false);
    assert_eq!(listen["deprecated_for_removal"], false);
    assert_eq!(
        listen["deprecated_aliases"],
        serde_json::json!([{"group": "DEFAULT", "name": "vncserver_listen"}, {"group": "vnc", "name": "vncserver_listen"}])
    );
    let password = options
        .iter()
        .find(|o| o["group"] == "placement" && o["name"] == "password")
        .unwrap();
    assert_eq!(password["secret"], true);
    assert_eq!(password["set"], "password-plugin");
    // A nova version works as a name.
    stackhop()
        .args(["releases", "show", "14.0.7"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Newton"));
}

/// A copy of the built-in data in a temporary folder, to break.
fn data_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("releases");
    for release in ["juno", "kilo"] {
        let to = dir.path().join(release);
        fs::create_dir(&to).unwrap();
        for f in ["release.toml", "options.toml"] {
            fs::copy(src.join(release).join(f), to.join(f)).unwrap();
        }
    }
    // Juno becomes the first release of this small catalog.
    let juno = dir.path().join("juno/release.toml");
    let text = fs::read_to_string(&juno)
        .unwrap()
        .replace("predecessor = \"icehouse\"\n", "");
    fs::write(&juno, text).unwrap();
    dir
}

#[test]
fn releases_dir_loads_another_tree() {
    let dir = data_copy();
    stackhop()
        .arg("releases")
        .arg("--releases-dir")
        .arg(dir.path())
        .assert()
        .success()
        .stdout("RELEASE  NOVA      RELEASED    DATA\njuno     2014.2.0  2014-10-16  upgrade-only\nkilo     2015.1.0  2015-04-30  upgrade-only\n");
    let (_, fs) = check(
        &fixture("check/removed.conf"),
        &[
            "--release",
            "kilo",
            "--releases-dir",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(
        fs.iter()
            .any(|f| f["code"] == "C103" && f["key"] == "rabbit_host"),
        "{fs:#?}"
    );
}

#[test]
fn releases_dir_errors_name_the_file() {
    let cases: [(&str, &str, &str, &str); 5] = [
        (
            "kilo/release.toml",
            "title = \"Kilo\"",
            "title = \"Kilo\"\ncolour = \"blue\"",
            "unknown field `colour`",
        ),
        (
            "kilo/release.toml",
            "predecessor = \"juno\"",
            "predecessor = \"havana\"",
            "predecessor \"havana\" is not a release",
        ),
        (
            "kilo/release.toml",
            "released = \"2015-04-30\"",
            "released = \"2014-01-01\"",
            "released 2014-01-01 is not after juno",
        ),
        (
            "kilo/options.toml",
            "[[group]]\nname = \"DEFAULT\"\noptions = [\n",
            "[[group]]\nname = \"DEFAULT\"\noptions = [\n  { name = \"debug\", type = \"boolean\" },\n",
            "group [DEFAULT]: debug is defined twice",
        ),
        (
            "kilo/options.toml",
            "[[group]]\nname = \"DEFAULT\"\noptions = [\n",
            "[[group]]\nname = \"DEFAULT\"\noptions = [\n  { name = \"x\", type = \"string\", aliases = [\"DEFAULT/debug\"] },\n",
            "alias DEFAULT/debug of [DEFAULT] x shadows a live option",
        ),
    ];
    for (file, from, to, message) in cases {
        let dir = data_copy();
        let path = dir.path().join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} lacks {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let out = stackhop()
            .args(["check", "--release", "kilo", "--releases-dir"])
            .arg(dir.path())
            .arg(fixture("check/removed.conf"))
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.starts_with(&format!("stackhop: {}", path.display())),
            "{stderr}"
        );
        assert!(stderr.contains(message), "{stderr} lacks {message}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

#[test]
fn a_catalog_holds_as_many_releases_as_the_history_and_no_more() {
    let dir = data_copy();
    let kilo = fs::read_to_string(dir.path().join("kilo/release.toml")).unwrap();
    let mut previous = "kilo".to_string();
    for i in 3..=33 {
        let name = format!("r{i:02}");
        let folder = dir.path().join(&name);
        fs::create_dir(&folder).unwrap();
        let text = kilo
            .replacen("name = \"kilo\"", &format!("name = \"{name}\""), 1)
            .replacen("title = \"Kilo\"", &format!("title = \"R{i}\""), 1)
            .replacen(
                "nova_version = \"2015.1.0\"",
                &format!("nova_version = \"{}.0.0\"", 100 + i),
                1,
            )
            .replacen(
                "released = \"2015-04-30\"",
                &format!("released = \"{}-01-01\"", 2030 + i),
                1,
            )
            .replacen(
                "predecessor = \"juno\"",
                &format!("predecessor = \"{previous}\""),
                1,
            );
        fs::write(folder.join("release.toml"), text).unwrap();
        let options = fs::read_to_string(dir.path().join("kilo/options.toml")).unwrap();
        let options = options.replacen("release = \"kilo\"", &format!("release = \"{name}\""), 1);
        fs::write(folder.join("options.toml"), options).unwrap();
        previous = name;
        if i == 32 {
            // As many as the history holds: every release is usable.
            stackhop()
                .args(["detect", "--releases-dir"])
                .arg(dir.path())
                .arg(fixture("juno-compute.conf"))
                .assert()
                .success()
                .stdout(predicate::str::contains("juno"));
        }
    }
    stackhop()
        .args(["check", "--release", "kilo", "--releases-dir"])
        .arg(dir.path())
        .arg(fixture("check/removed.conf"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "33 releases: at most 32 (the option history keeps one bit a release)",
        ));
}

/// The upgrade steps of a release, in order, as `releases show` gives them.
fn upgrade_steps(release: &str) -> Vec<Value> {
    let out = stackhop()
        .args(["releases", "show", release, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["release"]["upgrade"].as_array().unwrap().clone()
}

/// Issue 10, item 11: at Ocata the cells are mapped before the API database
/// sync, whose migration 030 is what refuses without them.
#[test]
fn ocata_sets_up_cells_before_the_api_database_sync() {
    let steps = upgrade_steps("ocata");
    let ids: Vec<&str> = steps.iter().map(|s| s["id"].as_str().unwrap()).collect();
    let at = |id: &str| ids.iter().position(|x| *x == id).unwrap();
    assert!(at("db.map-cell0") < at("db.api-sync"), "{ids:?}");
    assert!(at("db.create-cell1") < at("db.api-sync"), "{ids:?}");
    assert!(at("db.api-sync") < at("db.sync"), "{ids:?}");
    assert!(at("db.sync") < at("db.discover-hosts"), "{ids:?}");
    let cells = &steps[at("db.map-cell0")];
    assert!(text(cells, "why").contains("migration 030"), "{cells:#}");
    assert!(
        cells["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e.as_str().unwrap().contains("030_require_cell_setup.py")),
        "{cells:#}"
    );
    let explained = stackhop().args(["explain", "CELL001"]).output().unwrap();
    let explained = String::from_utf8(explained.stdout).unwrap();
    assert!(
        explained.contains("030_require_cell_setup.py:37-52"),
        "{explained}"
    );
    assert!(explained.contains("api_db sync"), "{explained}");
}

/// Issue 10, items 14d and 14e: Newton's cell0 name and --transport-url
/// depend on the point release; Kilo scans for NULL instance uuids before
/// its db sync.
#[test]
fn point_release_details_and_the_kilo_uuid_scan_are_upgrade_steps() {
    let steps = upgrade_steps("newton");
    let setup = steps
        .iter()
        .find(|s| s["id"] == "cells.simple-setup")
        .unwrap();
    let note = text(setup, "note");
    assert!(
        note.contains("14.0.0-14.0.3 require --transport-url"),
        "{note}"
    );
    assert!(
        note.contains("14.0.0-14.0.6 name cell0 after the API database (nova_api_cell0)"),
        "{note}"
    );
    let steps = upgrade_steps("kilo");
    let ids: Vec<&str> = steps.iter().map(|s| s["id"].as_str().unwrap()).collect();
    let at = |id: &str| ids.iter().position(|x| *x == id).unwrap();
    assert!(at("db.null-instance-uuid-scan") < at("db.sync"), "{ids:?}");
    assert!(
        at("db.null-instance-uuid-delete") < at("db.sync"),
        "{ids:?}"
    );
    assert_eq!(
        steps[at("db.null-instance-uuid-scan")]["run"],
        serde_json::json!(["nova-manage db null_instance_uuid_scan"])
    );
}

/// Issue 10, item 14h: the stable/wallaby guide's [service_user] section,
/// in no tagged release, is a note of the release data, not a requirement.
#[test]
fn the_late_wallaby_service_user_section_is_a_note() {
    let out = stackhop()
        .args(["releases", "show", "wallaby", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let note = text(&v["release"], "note");
    assert!(
        note.contains("[service_user] section (send_service_user_token = true"),
        "{note}"
    );
    assert!(
        note.contains("service-user-token-421d067c16257782.yaml@wallaby-eol"),
        "{note}"
    );
    let requires = v["release"]["require"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        !requires
            .iter()
            .any(|r| r.to_string().contains("service_user"))
    );
}

/// Issue 10: `explain` shows what the new value actions do, the evidence
/// at the tag, what check reports, and the finding C106 itself.
#[test]
fn explain_shows_the_value_rules_and_their_finding() {
    let explain = |id: &str| {
        let out = stackhop().args(["explain", id]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{id}");
        String::from_utf8(out.stdout).unwrap()
    };
    let sch = explain("SCH012");
    assert!(
        sch.contains("in the list [filter_scheduler] enabled_filters: CoreFilter → (dropped); DiskFilter → (dropped); RamFilter → (dropped)"),
        "{sch}"
    );
    assert!(sch.contains("remove-core-ram-disk-filters-9510cbe5b4e295b6.yaml@20.0.0"));
    let db = explain("DB003");
    assert!(
        db.contains("write a leading mysql:// of [database] connection as mysql+pymysql://"),
        "{db}"
    );
    assert!(
        db.contains("check reports it from ussuri on, as a warning"),
        "{db}"
    );
    let id = explain("ID002");
    assert!(
        id.contains("check reports it from queens on, as an error"),
        "{id}"
    );
    let c106 = explain("C106");
    assert!(c106.starts_with("C106 obsolete-value:"), "{c106}");
}
