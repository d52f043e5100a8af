//! Writing files as a hostile environment would test it (issue 13, items 4
//! to 9): an edit made by someone else while stackhop writes, two stackhop
//! runs at once, special files as output or input, setuid bits and another
//! owner, ACLs and extended attributes, the mode of a new file, a signal in
//! the middle of a write. Each test checks the bytes, modes and owners on
//! disk. The tests that need root (devices, another owner) or extended
//! attributes say so and skip where they cannot run.

mod common;
use common::stackhop;

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("stackhop")
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// A config big enough that reading, writing and flushing it take a while
/// (a second or so for the debug binary): windows a test can hit.
fn big_config() -> Vec<u8> {
    let mut out = b"[DEFAULT]\nmy_ip = 10.0.0.11\n".to_vec();
    for i in 0..1_200_000 {
        out.extend_from_slice(format!("option_{i} = value_{i}\n").as_bytes());
    }
    out
}

/// The temporary files stackhop has in `dir`.
fn temporaries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".stackhop-tmp"))
        .collect()
}

/// Waits for `child` at most `limit`; kills it and returns `None` if it
/// is still running then.
fn wait_for(child: &mut Child, limit: Duration) -> Option<i32> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status.code().unwrap_or(-1));
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn spawn_set(path: &Path, key: &str, extra: &[&str]) -> Child {
    Command::new(bin())
        .arg("set")
        .args(extra)
        .arg(path)
        .args(["DEFAULT", key, "1"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

// ------------------------------------------------- item 4: concurrent edits

#[test]
fn an_edit_made_while_stackhop_writes_is_never_overwritten() {
    let big = big_config();
    let theirs = b"[DEFAULT]\nmy_ip = 10.9.9.9\n# someone else's edit\n";
    let mut caught = 0;
    for _ in 0..6 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nova.conf");
        fs::write(&path, &big).unwrap();
        let mut child = spawn_set(&path, "stackhop_probe", &[]);
        // Once stackhop writes its temporary file it has read the file:
        // change the file then, as an editor or a config tool would.
        let mut wrote = false;
        while child.try_wait().unwrap().is_none() {
            if !temporaries(dir.path()).is_empty() {
                fs::write(&path, theirs).unwrap();
                wrote = true;
                break;
            }
        }
        let code = wait_for(&mut child, Duration::from_secs(60)).expect("stackhop hangs");
        if !wrote {
            continue;
        }
        assert_eq!(
            fs::read(&path).unwrap(),
            theirs,
            "the other writer's change was lost (stackhop exit {code})"
        );
        if code == 2 {
            caught += 1;
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            assert!(err.contains("changed on disk"), "{err}");
            assert!(temporaries(dir.path()).is_empty());
            assert!(
                !dir.path().join("nova.conf.bak").exists(),
                "nothing written"
            );
            if caught == 2 {
                break;
            }
        }
    }
    assert!(caught > 0, "no try hit the write window");
}

#[test]
fn two_stackhop_runs_on_one_file_take_turns() {
    let big = big_config();
    for _ in 0..2 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nova.conf");
        fs::write(&path, &big).unwrap();
        let mut a = spawn_set(&path, "first_probe", &["--no-backup"]);
        let mut b = spawn_set(&path, "second_probe", &["--no-backup"]);
        let limit = Duration::from_secs(120);
        let (ca, cb) = (wait_for(&mut a, limit), wait_for(&mut b, limit));
        assert_eq!((ca, cb), (Some(0), Some(0)), "both runs succeed");
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains("\nfirst_probe = 1\n"), "first edit lost");
        assert!(text.contains("\nsecond_probe = 1\n"), "second edit lost");
        assert!(temporaries(dir.path()).is_empty());
    }
}

// ---------------------------------------------------- item 5: special files

const CONF: &[u8] = b"[DEFAULT]\nmy_ip = 10.0.0.11\n";

fn conf_in(dir: &Path) -> PathBuf {
    let path = dir.join("nova.conf");
    fs::write(&path, CONF).unwrap();
    path
}

fn mknod_null(path: &Path) -> bool {
    Command::new("mknod")
        .arg(path)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn output_to_a_device_writes_to_it_and_leaves_it_a_device() {
    if !is_root() {
        eprintln!("skipped: making a device needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let conf = conf_in(dir.path());
    let null = dir.path().join("null");
    assert!(mknod_null(&null), "mknod failed as root");
    for args in [
        &["set", "DEFAULT", "debug", "true"][..],
        &["del", "DEFAULT", "my_ip"],
    ] {
        stackhop()
            .arg(args[0])
            .arg(&conf)
            .args(&args[1..])
            .arg("-o")
            .arg(&null)
            .assert()
            .success();
        assert!(fs::metadata(&null).unwrap().file_type().is_char_device());
    }
    stackhop()
        .args(["migrate"])
        .arg(&conf)
        .args(["--from", "juno", "--to", "wallaby", "-o"])
        .arg(&null)
        .assert()
        .success();
    assert!(fs::metadata(&null).unwrap().file_type().is_char_device());
    assert_eq!(fs::read(&conf).unwrap(), CONF);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn output_to_a_fifo_writes_to_its_reader() {
    let dir = tempfile::tempdir().unwrap();
    let conf = conf_in(dir.path());
    let fifo = dir.path().join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(fs::read(&reader));
    });
    stackhop()
        .arg("set")
        .arg(&conf)
        .args(["DEFAULT", "debug", "true", "-o"])
        .arg(&fifo)
        .timeout(Duration::from_secs(20))
        .assert()
        .success();
    let got = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the FIFO's reader got nothing")
        .unwrap();
    assert_eq!(got, b"[DEFAULT]\nmy_ip = 10.0.0.11\ndebug = true\n");
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn output_through_a_symlink_to_standard_output_goes_there() {
    let dir = tempfile::tempdir().unwrap();
    let conf = conf_in(dir.path());
    let link = dir.path().join("out");
    std::os::unix::fs::symlink("/proc/self/fd/1", &link).unwrap();
    let out = stackhop()
        .arg("set")
        .arg(&conf)
        .args(["DEFAULT", "debug", "true", "-o"])
        .arg(&link)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, b"[DEFAULT]\nmy_ip = 10.0.0.11\ndebug = true\n");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // Standard output redirected to a file: that file gets the bytes and
    // stays the file the shell opened.
    let file = dir.path().join("captured");
    let captured = fs::File::create(&file).unwrap();
    let ino = captured.metadata().unwrap().ino();
    let status = Command::new(bin())
        .arg("set")
        .arg(&conf)
        .args(["DEFAULT", "debug", "true", "-o", "/dev/stdout"])
        .stdout(captured)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(fs::metadata(&file).unwrap().ino(), ino);
    assert_eq!(
        fs::read(&file).unwrap(),
        b"[DEFAULT]\nmy_ip = 10.0.0.11\ndebug = true\n"
    );
}

#[test]
fn an_in_place_edit_of_a_fifo_is_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("nova.conf");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for args in [
        &["set", "DEFAULT", "debug", "true"][..],
        &["del", "DEFAULT", "debug"],
    ] {
        let mut child = Command::new(bin())
            .arg(args[0])
            .arg(&fifo)
            .args(&args[1..])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let code = wait_for(&mut child, Duration::from_secs(20)).expect("hangs on the FIFO");
        assert_eq!(code, 2);
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        assert!(
            err.starts_with("stackhop: ") && err.contains("is a FIFO"),
            "{err}"
        );
    }
    let mut child = Command::new(bin())
        .arg("migrate")
        .arg(&fifo)
        .args(["--from", "juno", "--to", "wallaby", "--in-place"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert_eq!(wait_for(&mut child, Duration::from_secs(20)), Some(2));
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no .bak");
}

#[test]
fn an_in_place_edit_of_a_device_is_refused() {
    if !is_root() {
        eprintln!("skipped: making a device needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let null = dir.path().join("nova.conf");
    assert!(mknod_null(&null));
    let out = stackhop()
        .arg("set")
        .arg(&null)
        .args(["DEFAULT", "debug", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a character device"));
    assert!(fs::metadata(&null).unwrap().file_type().is_char_device());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no .bak");
}

// ------------------------------------------- item 6: owner, setuid, setgid

#[test]
fn another_owners_file_keeps_its_owner_and_setuid_setgid_bits() {
    if !is_root() {
        eprintln!("skipped: giving a file to another user needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = conf_in(dir.path());
    std::os::unix::fs::chown(&path, Some(4321), Some(4322)).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o6755)).unwrap();
    stackhop()
        .arg("set")
        .arg(&path)
        .args(["DEFAULT", "debug", "true"])
        .assert()
        .success();
    for p in [path.clone(), dir.path().join("nova.conf.bak")] {
        let meta = fs::metadata(&p).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (4321, 4322), "{}", p.display());
        assert_eq!(meta.mode() & 0o7777, 0o6755, "{}", p.display());
    }
    assert!(fs::read_to_string(&path).unwrap().contains("debug = true"));
}

// ------------------------------------------ item 7: ACLs, extended attributes

/// `system.posix_acl_access` granting user `uid` read access.
fn acl_with_reader(uid: u32) -> Vec<u8> {
    let mut acl = 2u32.to_le_bytes().to_vec();
    for (tag, perm, id) in [
        (0x01u16, 6u16, u32::MAX),
        (0x02, 4, uid),
        (0x04, 4, u32::MAX),
        (0x10, 4, u32::MAX),
        (0x20, 0, u32::MAX),
    ] {
        acl.extend_from_slice(&tag.to_le_bytes());
        acl.extend_from_slice(&perm.to_le_bytes());
        acl.extend_from_slice(&id.to_le_bytes());
    }
    acl
}

fn xattr(path: &Path, name: &str) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; 4096];
    let n = rustix::fs::getxattr(path, name, &mut buf[..]).ok()?;
    buf.truncate(n);
    Some(buf)
}

#[test]
fn acls_and_extended_attributes_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = conf_in(dir.path());
    let set = |name: &str, value: &[u8]| {
        rustix::fs::setxattr(&path, name, value, rustix::fs::XattrFlags::empty())
    };
    if let Err(e) = set("user.stackhop.note", b"keep me") {
        eprintln!("skipped: this file system takes no extended attributes ({e})");
        return;
    }
    let acl = acl_with_reader(4321);
    let with_acl = set("system.posix_acl_access", &acl).is_ok();
    if !with_acl {
        eprintln!("note: this file system takes no POSIX ACL; checking the user attribute only");
    }
    let acl_before = xattr(&path, "system.posix_acl_access");
    let mode_before = fs::metadata(&path).unwrap().mode();
    stackhop()
        .arg("set")
        .arg(&path)
        .args(["DEFAULT", "debug", "true"])
        .assert()
        .success();
    let out = dir.path().join("out.conf");
    fs::write(&out, "old\n").unwrap();
    rustix::fs::setxattr(
        &out,
        "user.stackhop.note",
        b"out's own",
        rustix::fs::XattrFlags::empty(),
    )
    .unwrap();
    stackhop()
        .arg("set")
        .arg(&path)
        .args(["DEFAULT", "debug", "false", "-o"])
        .arg(&out)
        .assert()
        .success();
    for p in [&path, &dir.path().join("nova.conf.bak")] {
        assert_eq!(
            xattr(p, "user.stackhop.note").as_deref(),
            Some(&b"keep me"[..]),
            "{}",
            p.display()
        );
        assert_eq!(
            xattr(p, "system.posix_acl_access"),
            acl_before,
            "{}",
            p.display()
        );
        assert_eq!(fs::metadata(p).unwrap().mode(), mode_before);
    }
    // An existing output file keeps its own attributes.
    assert_eq!(
        xattr(&out, "user.stackhop.note").as_deref(),
        Some(&b"out's own"[..])
    );
    assert!(fs::read_to_string(&out).unwrap().contains("debug = false"));
}

// -------------------------------------------------- item 8: a new file's mode

#[test]
fn a_new_output_file_is_0600_or_takes_its_sources_mode() {
    let dir = tempfile::tempdir().unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().mode() & 0o7777;
    let from_stdin = dir.path().join("from-stdin.conf");
    stackhop()
        .args(["set", "-", "DEFAULT", "debug", "true", "-o"])
        .arg(&from_stdin)
        .write_stdin(CONF)
        .assert()
        .success();
    assert_eq!(mode(&from_stdin), 0o600);
    let migrated = dir.path().join("migrated.conf");
    stackhop()
        .args(["migrate", "-", "--from", "juno", "--to", "wallaby", "-o"])
        .arg(&migrated)
        .write_stdin(CONF)
        .assert()
        .success();
    assert_eq!(mode(&migrated), 0o600);
    let conf = conf_in(dir.path());
    fs::set_permissions(&conf, fs::Permissions::from_mode(0o640)).unwrap();
    let copy = dir.path().join("copy.conf");
    stackhop()
        .arg("set")
        .arg(&conf)
        .args(["DEFAULT", "debug", "true", "-o"])
        .arg(&copy)
        .assert()
        .success();
    assert_eq!(mode(&copy), 0o640);
}

// --------------------------------------------- item 9: a signal during a write

#[test]
fn a_signal_during_a_write_leaves_no_temporary_file() {
    let big = big_config();
    let mut hit = 0;
    for attempt in 0..8 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nova.conf");
        fs::write(&path, &big).unwrap();
        let mut child = spawn_set(&path, "stackhop_probe", &[]);
        let mut killed_mid_write = false;
        while child.try_wait().unwrap().is_none() {
            if !temporaries(dir.path()).is_empty() {
                let signal = if attempt % 2 == 0 {
                    rustix::process::Signal::TERM
                } else {
                    rustix::process::Signal::INT
                };
                let pid = rustix::process::Pid::from_child(&child);
                let _ = rustix::process::kill_process(pid, signal);
                killed_mid_write = true;
                break;
            }
        }
        wait_for(&mut child, Duration::from_secs(60)).expect("stackhop hangs");
        assert_eq!(temporaries(dir.path()), Vec::<String>::new());
        // The file is whole: the old bytes, or the new ones.
        let now = fs::read(&path).unwrap();
        assert!(
            now == big || now.ends_with(b"stackhop_probe = 1\n"),
            "half a file"
        );
        if killed_mid_write {
            hit += 1;
            if hit == 2 {
                break;
            }
        }
    }
    assert!(hit > 0, "no try hit the write window");
}

#[test]
fn a_failed_write_says_what_failed_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let conf = conf_in(dir.path());
    let out = stackhop()
        .arg("set")
        .arg(&conf)
        .args(["DEFAULT", "debug", "true", "-o"])
        .arg(dir.path().join("missing/out.conf"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot write a temporary file in"), "{err}");
    assert!(!err.contains("stackhop-tmp"), "{err}");
    assert_eq!(fs::read(&conf).unwrap(), CONF);
}
