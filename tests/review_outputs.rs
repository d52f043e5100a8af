//! Review outputs: no command and no format shows a secret unless
//! --show-secrets; golden files of every format of a Juno → Wallaby
//! migration; the Markdown comments parse as the structure GitHub renders.

mod common;
use common::{golden, root};

use assert_cmd::Command;
use pretty_assertions::assert_eq;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::fs;
use std::path::Path;

/// Runs from the project folder; returns (exit code, stdout + stderr).
fn run(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("stackhop")
        .unwrap()
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("panicked"), "{args:?}: {text}");
    (out.status.code().unwrap(), text)
}

const JUNO: &str = "tests/fixtures/review/canary-juno.conf";
const WALLABY: &str = "tests/fixtures/review/canary-wallaby.conf";

/// Every canary string of the fixtures.
const CANARIES: &[&str] = &[
    "CANARY-RB-4411",
    "CANARY-UNK-3e8a",
    "CANARY-DB-77c2",
    "CANARY-ADM-2a2a",
    "CANARY-NEU-6c3d",
    "CANARY-META-5b61",
    "CANARY-MQ-9d0e",
    "CANARY-API-1b2c",
    "CANARY-KS-8f8f",
    "CANARY-PLC-0e0e",
];

/// Every command and format that prints something derived from a config,
/// with a temporary copy of the Wallaby fixture for the editing commands.
fn every_output(tmp: &Path) -> Vec<Vec<String>> {
    let copy = tmp.join("nova.conf");
    fs::copy(root().join(WALLABY), &copy).unwrap();
    let copy = copy.display().to_string();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut all = Vec::new();
    for file in [JUNO, WALLABY] {
        for format in ["text", "json", "github"] {
            all.push(s(&[
                "check",
                file,
                "--release",
                "wallaby",
                "--role",
                "controller",
                "--format",
                format,
            ]));
            all.push(s(&["check", file, "--release", "juno", "--format", format]));
        }
        for format in ["text", "json"] {
            all.push(s(&["detect", file, "--format", format]));
        }
    }
    for format in ["text", "json", "markdown", "github"] {
        all.push(s(&[
            "migrate", JUNO, "--from", "juno", "--to", "wallaby", "--format", format,
        ]));
        all.push(s(&[
            "migrate", JUNO, "--from", "juno", "--to", "wallaby", "--check", "--format", format,
        ]));
        all.push(s(&[
            "migrate",
            JUNO,
            "--from",
            "juno",
            "--to",
            "wallaby",
            "--keep-removed",
            "--format",
            format,
        ]));
    }
    all.push(s(&[
        "migrate", JUNO, "--from", "juno", "--to", "wallaby", "--diff",
    ]));
    all.push(s(&[
        "migrate",
        JUNO,
        "--from",
        "juno",
        "--to",
        "wallaby",
        "--diff",
        "--keep-removed",
    ]));
    all.push(s(&[
        "migrate", JUNO, "--from", "juno", "--to", "stein", "--check",
    ]));
    for format in ["text", "markdown", "json"] {
        all.push(s(&["diff", JUNO, WALLABY, "--format", format]));
        all.push(s(&[
            "diff",
            JUNO,
            WALLABY,
            "--release",
            "wallaby",
            "--format",
            format,
        ]));
    }
    all.push(s(&[
        "set",
        &copy,
        "database",
        "connection",
        "mysql+pymysql://nova:CANARY-DB-77c2@db2/nova",
        "--dry-run",
    ]));
    all.push(s(&[
        "set",
        &copy,
        "DEFAULT",
        "my_custom_password",
        "CANARY-UNK-3e8a2",
        "--dry-run",
    ]));
    all.push(s(&["del", &copy, "placement", "--dry-run"]));
    all.push(s(&["del", &copy, "neutron", "password", "--dry-run"]));
    all
}

/// The exit status each of `every_output`'s runs must have: a run that
/// failed would show no secret, and prove nothing.
fn expected_code(args: &[&str]) -> i32 {
    match args[0] {
        // Every canary file has findings; something changes in every
        // migration and comparison of them.
        "check" | "diff" => 1,
        "migrate" if args.contains(&"--check") => 1,
        _ => 0,
    }
}

#[test]
fn no_output_shows_a_secret_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    for args in every_output(tmp.path()) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, text) = run(&args);
        assert_eq!(code, expected_code(&args), "stackhop {args:?}:\n{text}");
        for canary in CANARIES {
            assert!(
                !text.contains(canary),
                "{canary} shown by stackhop {args:?}:\n{text}"
            );
        }
        // With --show-secrets the values are there again (where a value is
        // shown at all). detect shows no value, and has no such option.
        if args[0] == "detect" {
            continue;
        }
        let mut shown = args.clone();
        shown.push("--show-secrets");
        let (code, text) = run(&shown);
        assert_eq!(code, expected_code(&args), "stackhop {shown:?}:\n{text}");
        // Outputs that show the values they change; check and detect show
        // values only for some findings.
        let prints_values = matches!(args[0], "migrate" | "diff" | "set" | "del");
        if prints_values {
            assert!(
                CANARIES.iter().any(|c| text.contains(c)),
                "--show-secrets shows nothing: {args:?}\n{text}"
            );
        }
    }
}

#[test]
fn masked_urls_still_show_users_and_hosts() {
    let (_, text) = run(&[
        "migrate", JUNO, "--from", "juno", "--to", "wallaby", "--format", "json",
    ]);
    assert!(
        text.contains("rabbit://openstack:****@controller:5672/"),
        "{text}"
    );
    let (_, text) = run(&[
        "set",
        WALLABY,
        "database",
        "connection",
        "mysql+pymysql://nova:x@db2/nova",
        "--dry-run",
    ]);
    assert!(
        text.contains("-connection = mysql+pymysql://nova:****@controller/nova"),
        "{text}"
    );
    assert!(
        text.contains("+connection = mysql+pymysql://nova:****@db2/nova"),
        "{text}"
    );
    let (_, text) = run(&["diff", JUNO, WALLABY, "--format", "text"]);
    assert!(
        text.contains("mysql+pymysql://nova:****@controller/nova"),
        "{text}"
    );
    assert!(
        text.contains("transport_url = rabbit://openstack:****@controller:5672/"),
        "{text}"
    );
}

#[test]
fn files_and_direct_reads_keep_real_values() {
    let (_, text) = run(&["inspect", WALLABY]);
    assert!(text.contains("CANARY-KS-8f8f"));
    let (_, text) = run(&["get", WALLABY, "placement", "password"]);
    assert_eq!(text, "CANARY-PLC-0e0e\n");
    let out = Command::cargo_bin("stackhop")
        .unwrap()
        .current_dir(root())
        .args(["migrate", JUNO, "--from", "juno", "--to", "wallaby"])
        .output()
        .unwrap();
    let file = String::from_utf8(out.stdout).unwrap();
    assert!(
        file.contains("transport_url = rabbit://openstack:CANARY-RB-4411@controller:5672/"),
        "{file}"
    );
    assert!(!String::from_utf8(out.stderr).unwrap().contains("CANARY"));
}

fn stdout(args: &[&str]) -> String {
    let out = Command::cargo_bin("stackhop")
        .unwrap()
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_format_of_a_juno_to_wallaby_migration_matches_its_golden_file() {
    let base = [
        "migrate",
        "tests/fixtures/juno-controller.conf",
        "--from",
        "juno",
        "--to",
        "wallaby",
        "--role",
        "controller",
    ];
    let with =
        |extra: &[&'static str]| -> Vec<&str> { base.iter().chain(extra).copied().collect() };
    golden(
        "review",
        "juno-controller.to-wallaby.txt",
        stdout(&with(&["--format", "text"])),
    );
    golden(
        "review",
        "juno-controller.to-wallaby.json",
        stdout(&with(&["--format", "json"])),
    );
    golden(
        "review",
        "juno-controller.to-wallaby.md",
        stdout(&with(&["--format", "markdown"])),
    );
    golden(
        "review",
        "juno-controller.to-wallaby.github",
        stdout(&with(&["--check", "--format", "github"])),
    );
    golden(
        "review",
        "juno-controller.to-wallaby.diff",
        stdout(&with(&["--diff"])),
    );
    golden(
        "review",
        "juno-controller.to-wallaby.check.github",
        stdout(&[
            "check",
            "tests/fixtures/juno-controller.conf",
            "--release",
            "wallaby",
            "--role",
            "controller",
            "--format",
            "github",
        ]),
    );
    let migrated = stdout(&base);
    let tmp = tempfile::tempdir().unwrap();
    let new = tmp.path().join("wallaby.conf");
    fs::write(&new, migrated).unwrap();
    let new = new.display().to_string();
    for (format, ext) in [("text", "txt"), ("markdown", "md"), ("json", "json")] {
        let out = stdout(&[
            "diff",
            "tests/fixtures/juno-controller.conf",
            &new,
            "--release",
            "wallaby",
            "--format",
            format,
        ]);
        golden(
            "review",
            &format!("juno-controller.diff-wallaby.{ext}"),
            out.replace(&new, "wallaby.conf"),
        );
    }
}

/// Two files in a temporary folder (kept while the first value lives), by path.
fn two_files(old: &str, new: &str) -> (tempfile::TempDir, String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let path = |name: &str, text: &str| {
        let p = tmp.path().join(name);
        fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let (old, new) = (path("old.conf", old), path("new.conf", new));
    (tmp, old, new)
}

/// The block structure of a Markdown text, as GitHub's renderer sees it.
#[derive(Debug, Default)]
struct Structure {
    first_paragraph: String,
    table_head: Vec<String>,
    table_rows: Vec<Vec<String>>,
    task_items: usize,
    details_open: bool,
    details_closed: bool,
    diff_block_inside_details: bool,
    /// The text of the diff block, as rendered.
    diff_text: String,
    /// Raw HTML other than the details block's own tags.
    other_html: Vec<String>,
}

fn structure(md: &str) -> Structure {
    let mut s = Structure::default();
    let parser = Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS);
    let (mut in_head, mut in_cell, mut paragraphs, mut in_para) = (false, false, 0, false);
    let mut in_diff = false;
    let mut cell = String::new();
    for event in parser {
        match event {
            Event::Start(Tag::Paragraph) => {
                paragraphs += 1;
                in_para = paragraphs == 1;
            }
            Event::End(TagEnd::Paragraph) => in_para = false,
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => s.table_rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => {
                in_cell = true;
                cell.clear();
            }
            Event::End(TagEnd::TableCell) => {
                in_cell = false;
                if in_head {
                    s.table_head.push(cell.clone());
                } else if let Some(row) = s.table_rows.last_mut() {
                    row.push(cell.clone());
                }
            }
            Event::TaskListMarker(_) => s.task_items += 1,
            Event::Html(h) | Event::InlineHtml(h) => {
                if h.contains("<details>") {
                    s.details_open = true;
                } else if h.contains("</details>") {
                    s.details_closed = true;
                } else if !h.contains("summary>") {
                    s.other_html.push(h.to_string());
                }
            }
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(lang)))
                if lang.as_ref() == "diff" && s.details_open && !s.details_closed =>
            {
                s.diff_block_inside_details = true;
                in_diff = true;
            }
            Event::End(TagEnd::CodeBlock) => in_diff = false,
            Event::Text(t) | Event::Code(t) => {
                if in_diff {
                    s.diff_text.push_str(&t);
                } else if in_cell {
                    cell.push_str(&t);
                } else if in_para {
                    s.first_paragraph.push_str(&t);
                }
            }
            _ => {}
        }
    }
    s
}

#[test]
fn the_migration_comment_renders_as_a_verdict_a_table_checklists_and_a_folded_diff() {
    let md = stdout(&[
        "migrate",
        "tests/fixtures/juno-controller.conf",
        "--from",
        "juno",
        "--to",
        "wallaby",
        "--role",
        "controller",
        "--format",
        "markdown",
    ]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&[
        "migrate",
        "tests/fixtures/juno-controller.conf",
        "--from",
        "juno",
        "--to",
        "wallaby",
        "--role",
        "controller",
        "--format",
        "json",
    ]))
    .unwrap();
    let s = structure(&md);
    let changes = report["changes"].as_array().unwrap();
    assert!(
        s.first_paragraph.starts_with(&format!(
            "stackhop: tests/fixtures/juno-controller.conf from Juno to Wallaby: {} changes",
            changes.len()
        )),
        "{}",
        s.first_paragraph
    );
    assert_eq!(s.table_head, ["Rule", "Option", "Before → after", "Safety"]);
    assert_eq!(s.table_rows.len(), changes.len());
    for (row, change) in s.table_rows.iter().zip(changes) {
        assert_eq!(row.len(), 4, "{row:?}");
        assert_eq!(row[0], change["rule"].as_str().unwrap());
    }
    let reviews = changes.iter().filter(|c| c["safety"] == "review").count();
    assert_eq!(
        s.task_items,
        report["manual"].as_array().unwrap().len() + reviews
    );
    assert!(
        s.details_open && s.details_closed && s.diff_block_inside_details,
        "{s:?}"
    );
}

#[test]
fn table_cells_survive_pipes_backticks_and_line_breaks_in_values() {
    let (_tmp, old, new) = two_files(
        "[DEFAULT]\nhost = a|b\ninstance_name_template = `x`\n",
        "[DEFAULT]\nhost = c|d\ninstance_name_template = ``y`\nmy_ip = 10.0.0.1\n  second\n",
    );
    let md = stdout(&["diff", &old, &new, "--format", "markdown"]);
    let s = structure(&md);
    assert_eq!(s.table_head, ["Change", "Option", "Before → after"]);
    assert_eq!(
        s.table_rows,
        [
            vec!["changed", "[DEFAULT] host", "a|b → c|d"],
            vec!["changed", "[DEFAULT] instance_name_template", "`x` → ``y`"],
            vec!["added", "[DEFAULT] my_ip", "new → 10.0.0.1 ⏎ second"],
        ]
    );
    assert!(s.diff_block_inside_details);
}

#[test]
fn a_value_cannot_close_the_diff_block_or_inject_html() {
    // The unchanged continuation becomes the context line "   ```", which
    // would close a three-backtick fence (up to three spaces may come
    // before a closing fence).
    let (_tmp, old, new) = two_files(
        "[DEFAULT]\nmy_ip = 10.0.0.1\n  ```\nhost = <b>before</b>\n",
        "[DEFAULT]\nmy_ip = 10.0.0.1\n  ```\nhost = <b>after</b>\n",
    );
    let md = stdout(&["diff", &old, &new, "--format", "markdown"]);
    let s = structure(&md);
    assert!(s.diff_block_inside_details && s.details_closed, "{md}");
    assert!(s.diff_text.contains("+host = <b>after</b>"), "{md}");
    assert!(s.other_html.is_empty(), "{:?}\n{md}", s.other_html);
}

#[test]
fn a_secret_is_masked_when_any_release_says_so() {
    // [ironic] admin_auth_token is secret from Liberty on, and gone by
    // Wallaby: neither end of an Icehouse → Wallaby migration knows it.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("nova.conf");
    fs::write(
        &file,
        "[DEFAULT]\nrabbit_host = controller\n[ironic]\nadmin_auth_token = CANARY-TOK-5d5d\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let migrate = ["migrate", file, "--from", "icehouse", "--to", "wallaby"];
    for extra in [
        &["--diff"][..],
        &["--format", "text"],
        &["--format", "json"],
        &["--format", "markdown"],
        &["--format", "github"],
    ] {
        let args: Vec<&str> = migrate.iter().chain(extra).copied().collect();
        let (_, text) = run(&args);
        assert!(!text.contains("CANARY-TOK"), "{args:?}: {text}");
        let shown: Vec<&str> = args.iter().copied().chain(["--show-secrets"]).collect();
        if extra != ["--format", "github"] {
            assert!(run(&shown).1.contains("CANARY-TOK"), "{shown:?}");
        }
    }
}

#[test]
fn check_messages_mask_what_they_quote() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("nova.conf");
    fs::write(
        &file,
        "[vnc]\nnovncproxy_base_url = http://u:CANARY-URL-1a1a@host /x\n\
         [database]\nconnection = mysql+pymysql://nova:CANARY-DB-2b2b@db/nova\nmax_retries = $connection\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    for format in ["text", "json", "github"] {
        let (code, text) = run(&["check", file, "--release", "wallaby", "--format", format]);
        assert_eq!(code, 1, "{text}");
        assert!(text.contains("C105"), "{text}");
        assert!(!text.contains("CANARY"), "{format}: {text}");
        assert!(text.contains("http://u:****@host /x"), "{format}: {text}");
        let (_, shown) = run(&[
            "check",
            file,
            "--release",
            "wallaby",
            "--format",
            format,
            "--show-secrets",
        ]);
        assert!(shown.contains("CANARY-URL-1a1a"), "{format}: {shown}");
    }
}

#[test]
fn options_named_like_secrets_are_masked_unless_they_are_switches() {
    // Upstream marks neither secret: s3_secret_key holds a credential,
    // inject_password is only on or off.
    let (_tmp, old, new) = two_files(
        "[DEFAULT]\ns3_secret_key = CANARY-S3-9c9c\ndebug = False\n[libvirt]\ninject_password = true\n",
        "[DEFAULT]\ns3_secret_key = CANARY-S3-0d0d\ndebug = False\n[libvirt]\ninject_password = false\n",
    );
    let (old, new) = (old.as_str(), new.as_str());
    for args in [
        vec!["diff", old, new, "--format", "json"],
        vec!["diff", old, new, "--format", "markdown"],
        vec!["set", old, "DEFAULT", "debug", "True", "--dry-run"],
        vec![
            "migrate", old, "--from", "icehouse", "--to", "wallaby", "--format", "json",
        ],
    ] {
        let (_, text) = run(&args);
        assert!(!text.contains("CANARY"), "{args:?}: {text}");
    }
    let (_, text) = run(&["diff", old, new, "--format", "text"]);
    assert!(!text.contains("CANARY"), "{text}");
    assert!(text.contains("inject_password = false"), "{text}");
}
