//! Helpers the CLI test files share.
// Each test file uses only some of these.
#![allow(dead_code)]

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

/// The built binary.
pub fn stackhop() -> Command {
    Command::cargo_bin("stackhop").unwrap()
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
