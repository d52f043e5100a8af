//! The pre-commit hooks (`.pre-commit-hooks.yaml`) tried with pre-commit
//! itself: installed from PyPI into a virtual environment (once, cached
//! under target/), on a temporary git repository of configs with a
//! stackhop.toml, the hooks taken from a git repository holding this
//! project's `.pre-commit-hooks.yaml` and run with `language: system`
//! (the stackhop just built, on PATH; `language: rust` would build it
//! again). A bad config fails the hooks and blocks the commit; a good one
//! passes. Skipped, saying why, without python3, git or PyPI.

mod common;

use common::{root, skip};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

const PRE_COMMIT: &str = "pre-commit==4.7.0";

/// pre-commit, installed once into target/tmp.
fn pre_commit() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-4.7.0");
    let exe = venv.join("bin/pre-commit");
    if exe.exists() {
        return Some(exe);
    }
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .output();
    if !made.as_ref().is_ok_and(|o| o.status.success()) {
        skip(&format!("python3 -m venv failed: {made:?}"));
        return None;
    }
    let pip = Command::new(venv.join("bin/pip"))
        .args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            PRE_COMMIT,
        ])
        .output()
        .unwrap();
    if !pip.status.success() {
        skip(&format!(
            "pip install {PRE_COMMIT} failed (PyPI unreachable?): {}",
            String::from_utf8_lossy(&pip.stderr)
        ));
        let _ = fs::remove_dir_all(&venv);
        return None;
    }
    Some(exe)
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=stackhop tests",
            "-c",
            "user.email=tests@stackhop.invalid",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_config_repository_adds_stackhop_to_pre_commit_in_three_lines() {
    let started = Instant::now();
    if Command::new("git").arg("--version").output().is_err() {
        skip("no git");
        return;
    }
    let Some(pre_commit) = pre_commit() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("pre-commit-home");
    let bin = Path::new(env!("CARGO_BIN_EXE_stackhop")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |dir: &Path, args: &[&str]| -> Output {
        Command::new(&pre_commit)
            .current_dir(dir)
            .args(args)
            .env("PRE_COMMIT_HOME", &home)
            .env("PATH", &path)
            .env("HOME", dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@stackhop.invalid")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@stackhop.invalid")
            .env_remove("STACKHOP_CONFIG")
            .output()
            .unwrap()
    };

    // pre-commit accepts the manifest as it is.
    let manifest = root().join(".pre-commit-hooks.yaml");
    let valid = run(root(), &["validate-manifest", manifest.to_str().unwrap()]);
    assert!(valid.status.success(), "{}", text(&valid));

    // The hooks' repository: this project's manifest at a commit.
    let hooks = tmp.path().join("hooks");
    fs::create_dir(&hooks).unwrap();
    fs::copy(&manifest, hooks.join(".pre-commit-hooks.yaml")).unwrap();
    git(&hooks, &["init", "-q"]);
    git(&hooks, &["add", "."]);
    git(&hooks, &["commit", "-q", "-m", "hooks"]);
    let rev = String::from_utf8(git(&hooks, &["rev-parse", "HEAD"]).stdout).unwrap();

    // A repository of configs: a Wallaby compute node, fully migrated.
    let repo = tmp.path().join("configs");
    fs::create_dir_all(repo.join("etc/compute")).unwrap();
    let good = "[DEFAULT]\ntransport_url = rabbit://openstack:RABBIT-canary@controller\nmy_ip = 10.0.0.31\n\n\
                [vnc]\nenabled = true\nserver_listen = 0.0.0.0\n";
    fs::write(repo.join("etc/compute/nova.conf"), good).unwrap();
    fs::write(
        repo.join("stackhop.toml"),
        "[[files]]\npath = \"etc/compute/*.conf\"\nrelease = \"wallaby\"\n\n[migrate]\nto = \"wallaby\"\n",
    )
    .unwrap();
    fs::write(
        repo.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      \
             - {{id: stackhop-check, language: system}}\n      \
             - {{id: stackhop-migrate-check, language: system}}\n",
            hooks.display(),
            rev.trim()
        ),
    )
    .unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);

    let passed = run(&repo, &["run", "--all-files"]);
    let out = text(&passed);
    assert!(passed.status.success(), "{out}");
    assert!(
        out.contains("stackhop check") && out.contains("Passed"),
        "{out}"
    );

    // The hook installed in git: a bad config is refused at commit.
    let installed = run(&repo, &["install"]);
    assert!(installed.status.success(), "{}", text(&installed));
    fs::write(
        repo.join("etc/compute/nova.conf"),
        format!("{good}\n[DEFAULT]\nrabbit_host = controller\ndebug = maybe\n"),
    )
    .unwrap();
    git(&repo, &["add", "."]);
    let refused = Command::new("git")
        .current_dir(&repo)
        .args(["commit", "-q", "-m", "a bad config"])
        .env("PRE_COMMIT_HOME", &home)
        .env("PATH", &path)
        .env("HOME", &repo)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@stackhop.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@stackhop.invalid")
        .env_remove("STACKHOP_CONFIG")
        .output()
        .unwrap();
    let out = text(&refused);
    assert!(
        !refused.status.success(),
        "the bad config was committed: {out}"
    );
    assert!(out.contains("Failed"), "{out}");
    assert!(
        out.contains("C104") && out.contains("etc/compute/nova.conf:10"),
        "{out}"
    );
    assert!(out.contains("C105"), "{out}");
    assert!(
        !out.contains("RABBIT-canary"),
        "a secret reached the hook's output: {out}"
    );
    assert!(git(&repo, &["log", "--oneline"]).stdout.is_empty());

    eprintln!(
        "pre-commit test took {:.1}s (pre-commit installed once under target/tmp)",
        started.elapsed().as_secs_f64()
    );
}
