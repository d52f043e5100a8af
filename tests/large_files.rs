//! `get` and `inspect` read a file a piece at a time (see `src/conf/scan.rs`):
//! what they print is what the document reads, whichever way the file
//! comes (a file, standard input) and however much it sets.

use assert_cmd::Command;
use stackhop::conf::Document;
use stackhop::report::inspect;

fn stackhop() -> Command {
    Command::cargo_bin("stackhop").unwrap()
}

/// `copies` copies of a block with CRLF and LF lines, continuation lines,
/// comments, repeated sections and keys; `comments` lines of comment each.
fn config(copies: usize, comments: usize) -> String {
    let mut out = String::new();
    for i in 0..copies {
        out.push_str("[DEFAULT]\r\n");
        for c in 0..comments {
            out.push_str(&format!("# comment {c} of copy {i}\n"));
        }
        out.push_str(&format!("debug = {}\n", i % 2 == 0));
        out.push_str(&format!(
            "[VNC]\nserver_listen = \"10.0.0.{i}\"\n  more\n\tand more\n\n"
        ));
        out.push_str(&format!("[filter_scheduler]\nenabled_filters = f{i}\n"));
    }
    out
}

#[test]
fn inspect_and_get_print_what_the_document_reads() {
    let dir = tempfile::tempdir().unwrap();
    // Few assignments (kept while checking), and only assignments (read
    // twice), both larger than one piece of the scan (256 KiB).
    for (copies, comments) in [(5_000, 40), (40_000, 0)] {
        let text = config(copies, comments);
        let path = dir.path().join("nova.conf");
        std::fs::write(&path, &text).unwrap();
        let file = path.to_str().unwrap();
        let doc = Document::parse(text.as_str()).unwrap();
        let shown = stackhop().args(["inspect", file]).output().unwrap();
        assert!(shown.status.success());
        assert!(
            shown.stdout == inspect::text(&doc).into_bytes(),
            "text of {copies}"
        );
        let json = stackhop()
            .args(["inspect", "--format", "json", file])
            .output()
            .unwrap();
        assert!(
            json.stdout == inspect::json(file, &doc, &[]).into_bytes(),
            "json of {copies}"
        );
        let piped = stackhop()
            .args(["inspect", "-"])
            .write_stdin(text.clone())
            .output()
            .unwrap();
        assert!(piped.stdout == shown.stdout, "standard input");
        let last = format!("10.0.0.{}\nmore\nand more\n", copies - 1);
        stackhop()
            .args(["get", file, "vnc", "server_listen"])
            .assert()
            .success()
            .stdout(last);
        let all = stackhop()
            .args(["get", "--all", file, "filter_scheduler", "enabled_filters"])
            .output()
            .unwrap();
        let want: String = (0..copies).map(|i| format!("f{i}\n")).collect();
        assert!(all.stdout == want.into_bytes(), "--all of {copies}");
    }
}

#[test]
fn a_refused_file_prints_nothing_even_when_the_fault_is_at_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = config(30_000, 2);
    text.push_str("  indented = 1\n\nno separator here\n");
    let path = dir.path().join("nova.conf");
    std::fs::write(&path, &text).unwrap();
    let file = path.to_str().unwrap();
    let lines = text.lines().count();
    stackhop()
        .args(["inspect", file])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(format!(
            ":{lines}: line is not a comment"
        )));
    stackhop()
        .args(["get", file, "DEFAULT", "debug"])
        .assert()
        .code(2)
        .stdout("");
    let lenient = stackhop()
        .args(["inspect", "--lenient", "--format", "json", file])
        .output()
        .unwrap();
    let doc = Document::parse_lenient(text.as_str()).unwrap();
    assert!(lenient.stdout == inspect::json(file, &doc, &doc.problems()).into_bytes());
}
