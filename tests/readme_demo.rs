//! The README's demo is what stackhop prints: every block between
//! `<!-- demo: ARGS -->` and `<!-- end demo -->` is the output (standard
//! output, then standard error, as a terminal shows them) of `stackhop
//! ARGS` run in the project folder. `STACKHOP_BLESS=1` rewrites the blocks.

mod common;

use common::{root, stackhop};
use std::fs;

const BEGIN: &str = "<!-- demo: ";
const END: &str = "<!-- end demo -->";

fn block(args: &str) -> String {
    let out = stackhop()
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "stackhop {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    format!(
        "```console\n$ stackhop {args}\n{}{}```\n",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_readme_demo_is_what_stackhop_prints() {
    let path = root().join("README.md");
    let readme = fs::read_to_string(&path).unwrap();
    let mut out = String::new();
    let mut rest = readme.as_str();
    let mut demos = 0;
    while let Some(at) = rest.find(BEGIN) {
        let line_end = at + rest[at..].find('\n').unwrap() + 1;
        let args = rest[at + BEGIN.len()..line_end]
            .trim_end()
            .trim_end_matches("-->")
            .trim();
        let end = line_end + rest[line_end..].find(END).expect("a demo block ends");
        out.push_str(&rest[..line_end]);
        out.push_str(&block(args));
        rest = &rest[end..];
        demos += 1;
    }
    out.push_str(rest);
    assert!(demos > 0, "the README has no demo block");
    if std::env::var_os("STACKHOP_BLESS").is_some() {
        fs::write(&path, &out).unwrap();
        return;
    }
    if out != readme {
        let diff = similar::TextDiff::from_lines(&readme, &out)
            .unified_diff()
            .header("README.md", "what stackhop prints")
            .to_string();
        panic!("the README demo drifted (STACKHOP_BLESS=1 rewrites it):\n{diff}");
    }
}
