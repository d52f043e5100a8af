//! Reading and editing under awkward input, through the real binary: an
//! edit undone gives back the original bytes, a file without a final
//! newline, standard input named twice, an empty file (issue 13, items 11
//! to 14).

mod common;
use common::stackhop;

use pretty_assertions::assert_eq;
use std::fs;
use std::path::Path;

fn set(path: &Path, section: &str, key: &str, value: &str) {
    stackhop()
        .args(["set", "--no-backup"])
        .arg(path)
        .args([section, key, value])
        .assert()
        .success();
}

fn del(path: &Path, section: &str, key: &str) {
    stackhop()
        .args(["del", "--no-backup"])
        .arg(path)
        .args([section, key])
        .assert()
        .success();
}

#[test]
fn set_then_del_under_a_header_with_nothing_below_gives_back_the_bytes() {
    let cases: &[&[u8]] = &[
        b"[DEFAULT]\na = 1\n\n[vnc]\n[glance]\nx = 1\n",
        b"[DEFAULT]\na = 1\n\n[vnc]\n\n[glance]\nx = 1\n",
        b"[vnc]\n[DEFAULT]\na = 1\n",
        b"[DEFAULT]\r\na = 1\r\n[vnc]\r\n\r\n[glance]\r\n",
    ];
    for &input in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nova.conf");
        fs::write(&path, input).unwrap();
        set(&path, "vnc", "enabled", "true");
        let edited = fs::read(&path).unwrap();
        assert!(
            String::from_utf8_lossy(&edited).contains("[vnc]"),
            "{edited:?}"
        );
        del(&path, "vnc", "enabled");
        assert_eq!(
            String::from_utf8_lossy(&fs::read(&path).unwrap()),
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn a_new_key_goes_after_the_last_key_of_a_file_without_final_newline() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nova.conf");
    let input = "[DEFAULT]\na = 1\nb = 2";
    fs::write(&path, input).unwrap();
    set(&path, "DEFAULT", "c", "3");
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "[DEFAULT]\na = 1\nb = 2\nc = 3"
    );
    let out = stackhop()
        .args(["get"])
        .arg(&path)
        .args(["DEFAULT", "b"])
        .output()
        .unwrap();
    assert_eq!(out.stdout, b"2\n");
    del(&path, "DEFAULT", "c");
    assert_eq!(fs::read_to_string(&path).unwrap(), input);
    // After a multi-line value and a template line too.
    for (input, want) in [
        ("[DEFAULT]\nk = a\n  b", "[DEFAULT]\nk = a\n  b\nc = 3"),
        ("[DEFAULT]\n#c = 1", "[DEFAULT]\n#c = 1\nc = 3"),
    ] {
        fs::write(&path, input).unwrap();
        set(&path, "DEFAULT", "c", "3");
        assert_eq!(fs::read_to_string(&path).unwrap(), want);
        del(&path, "DEFAULT", "c");
        assert_eq!(fs::read_to_string(&path).unwrap(), input);
    }
}

#[test]
fn standard_input_given_twice_is_refused() {
    for args in [
        &["diff", "-", "-"][..],
        &["check", "-", "-", "--release", "wallaby"],
    ] {
        let out = stackhop()
            .args(args)
            .write_stdin("[DEFAULT]\ndebug = True\n")
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            stderr.starts_with("stackhop: ") && stderr.contains("standard input"),
            "{stderr}"
        );
    }
    // Once is fine.
    stackhop()
        .args(["check", "-", "--release", "wallaby"])
        .write_stdin("[DEFAULT]\ndebug = True\n")
        .assert()
        .success();
}

#[test]
fn an_empty_file_gives_no_release_to_migrate_from() {
    let dir = tempfile::tempdir().unwrap();
    for content in ["", "\n\n", "# only a comment\n", "[DEFAULT]\n"] {
        let path = dir.path().join("nova.conf");
        fs::write(&path, content).unwrap();
        let out = stackhop()
            .args(["migrate"])
            .arg(&path)
            .args(["--to", "wallaby"])
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{content:?}: {stderr}");
        assert!(out.stdout.is_empty());
        assert!(stderr.contains("give --from"), "{stderr}");
        assert!(!stderr.to_lowercase().contains("icehouse"), "{stderr}");
        // With --from it works.
        stackhop()
            .args(["migrate"])
            .arg(&path)
            .args(["--from", "juno", "--to", "wallaby"])
            .assert()
            .success();
    }
}

#[test]
fn two_files_of_the_same_bytes_are_read_alike_and_each_is_warned_of() {
    // Read once and not compared: still each file's encoding warning, and
    // still exit 0 with "no change of meaning".
    let dir = tempfile::tempdir().unwrap();
    let bytes = b"[DEFAULT]\nmy_ip = caf\xe9\n";
    for name in ["a.conf", "b.conf"] {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    let out = stackhop()
        .current_dir(dir.path())
        .args(["diff", "a.conf", "b.conf"])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout, "a.conf → b.conf: no change of meaning\n");
    assert!(
        stderr.contains("a.conf:2: ") && stderr.contains("b.conf:2: "),
        "{stderr}"
    );
    // A bad file is refused once, as before.
    fs::write(dir.path().join("bad.conf"), "key = before any section\n").unwrap();
    let out = stackhop()
        .current_dir(dir.path())
        .args(["diff", "bad.conf", "bad.conf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .starts_with("stackhop: bad.conf:1: ")
    );
}
