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
    let got = got.as_ref();
    let path = root().join("tests/golden").join(dir).join(name);
    if std::env::var_os("STACKHOP_BLESS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, got).unwrap();
        return;
    }
    let want = fs::read(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with STACKHOP_BLESS=1", path.display()));
    pretty_assertions::assert_eq!(
        String::from_utf8_lossy(got),
        String::from_utf8_lossy(&want),
        "{name}"
    );
}

/// Compares `got` with the file at `path` under the project folder, or
/// writes it when STACKHOP_BLESS is set: for golden files that also serve
/// as documentation (docs/examples/).
pub fn golden_at(path: &str, got: impl AsRef<[u8]>) {
    let got = got.as_ref();
    let path = root().join(path);
    if std::env::var_os("STACKHOP_BLESS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, got).unwrap();
        return;
    }
    let want = fs::read(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with STACKHOP_BLESS=1", path.display()));
    pretty_assertions::assert_eq!(
        String::from_utf8_lossy(got),
        String::from_utf8_lossy(&want),
        "{}",
        path.display()
    );
}
