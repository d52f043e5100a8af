//! `stackhop extract`: the same small Juno guide in every format and in four
//! languages, with the traps of issue 12; golden configs, steps and findings;
//! secrets; exit codes; the chain to Wallaby; hostile input.

mod common;

use common::{golden, root, stackhop};
use stackhop::extract::{self, Format, Options};
use stackhop::release::Catalog;
use std::fs;
use std::path::Path;

const GUIDES: &[&str] = &[
    "juno-en.md",
    "juno-en.rst",
    "juno-en.wiki",
    "juno-en.xml",
    "juno-en.html",
    "juno-en.txt",
    "juno-ja.md",
    "juno-ja.rst",
    "juno-ko.md",
    "juno-ko.html",
    "juno-zh.md",
    "juno-zh.wiki",
];

fn guide(name: &str) -> std::path::PathBuf {
    root().join("tests/fixtures/guides").join(name)
}

/// Every file under `dir`, sorted, as `==> path <==` sections.
fn bundle(dir: &Path) -> String {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut out = String::new();
    for f in files {
        let rel = f.strip_prefix(dir).unwrap().display().to_string();
        out.push_str(&format!(
            "==> {rel} <==\n{}\n",
            fs::read_to_string(&f).unwrap()
        ));
    }
    out
}

/// Extracts a fixture, named relative to its folder (so that outputs do not
/// hold where the project is).
fn extract_to(name: &str, dir: &Path) {
    stackhop()
        .args(["extract", name, "-o", dir.to_str().unwrap()])
        .current_dir(root().join("tests/fixtures/guides"))
        .assert()
        .success();
}

#[test]
fn every_format_and_language_gives_the_same_configs() {
    let mut first: Option<(String, Vec<String>)> = None;
    for name in GUIDES {
        let tmp = tempfile::tempdir().unwrap();
        extract_to(name, tmp.path());
        let configs: Vec<String> = [
            "controller/etc/nova/nova.conf",
            "compute/etc/nova/nova.conf",
            "compute/etc/nova/nova-compute.conf",
        ]
        .iter()
        .map(|p| {
            fs::read_to_string(tmp.path().join(p))
                .unwrap_or_else(|_| panic!("{name}: {p} not written"))
        })
        .collect();
        match &first {
            None => first = Some((name.to_string(), configs)),
            Some((n, want)) => pretty_assertions::assert_eq!(&configs, want, "{name} vs {n}"),
        }
    }
}

#[test]
fn golden_configs_steps_and_findings() {
    for name in GUIDES {
        let tmp = tempfile::tempdir().unwrap();
        extract_to(name, tmp.path());
        let lint = stackhop()
            .args(["extract", "--lint", name])
            .current_dir(root().join("tests/fixtures/guides"))
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        let lint = String::from_utf8(lint).unwrap();
        golden(
            "extract",
            &format!("{name}.out"),
            format!("{}==> lint <==\n{lint}", bundle(tmp.path())),
        );
    }
}

#[test]
fn the_traps_of_the_issue_are_found() {
    let out = stackhop()
        .args(["extract", "--lint", guide("juno-en.md").to_str().unwrap()])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    for code in [
        "G101", "G102", "G201", "G202", "G301", "G302", "G401", "G402", "G403", "G404",
    ] {
        assert!(out.contains(code), "{code} missing:\n{out}");
    }
    // The config keeps what the guide meant: the note above the value,
    // the first alternative, the indented key un-indented, the shell line
    // out of the config.
    let tmp = tempfile::tempdir().unwrap();
    extract_to("juno-en.md", tmp.path());
    let ctl = fs::read_to_string(tmp.path().join("controller/etc/nova/nova.conf")).unwrap();
    assert!(
        ctl.contains("# management IP\nmy_ip = 10.0.0.11\n"),
        "{ctl}"
    );
    assert!(!ctl.contains("nova-manage"), "{ctl}");
    let cmp = fs::read_to_string(tmp.path().join("compute/etc/nova/nova.conf")).unwrap();
    assert!(cmp.contains("\nvncserver_listen = 0.0.0.0\n"), "{cmp}");
    assert!(!cmp.contains("echo"), "{cmp}");
    let nc = fs::read_to_string(tmp.path().join("compute/etc/nova/nova-compute.conf")).unwrap();
    assert!(nc.contains("virt_type = kvm\n"), "{nc}");
    let steps = fs::read_to_string(tmp.path().join("steps.json")).unwrap();
    assert!(
        steps.contains("\"su -s /bin/sh -c \\\"nova-manage db sync\\\" nova\""),
        "{steps}"
    );
}

#[test]
fn json_has_the_documented_shape_and_masks_secrets() {
    let out = stackhop()
        .args([
            "extract",
            "--format",
            "json",
            guide("juno-en.rst").to_str().unwrap(),
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema"], 1);
    assert_eq!(v["release"]["from"], "juno");
    assert_eq!(v["release"]["to"], "juno");
    assert!(v["release"]["evidence"].as_array().unwrap().len() >= 2);
    let files = v["files"].as_array().unwrap();
    let ctl = files
        .iter()
        .find(|f| f["node"] == "controller" && f["path"] == "/etc/nova/nova.conf")
        .unwrap();
    let my_ip = ctl["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["key"] == "my_ip")
        .unwrap();
    assert_eq!(my_ip["section"], "DEFAULT");
    assert_eq!(my_ip["value"], "10.0.0.11");
    assert!(my_ip["line"].as_u64().unwrap() > 1);
    let step = &v["steps"][0];
    for k in ["kind", "command", "line", "node"] {
        assert!(!step[k].is_null(), "{k}");
    }
    let f = &v["findings"][0];
    for k in ["code", "severity", "line", "message", "file"] {
        assert!(!f[k].is_null(), "{k}");
    }
    for secret in [
        "p@ssword",
        "p@ssw0rd",
        "\"RABBIT_PASS\"",
        "\"NOVA_PASS\"",
        "--pass NOVA_PASS",
        "GLANCE_DBPASS'",
    ] {
        assert!(!text.contains(secret), "{secret} leaked");
    }
}

#[test]
fn secrets_never_leak_but_written_configs_hold_them() {
    let g = guide("juno-en.md");
    let g = g.to_str().unwrap();
    for format in ["text", "json", "markdown"] {
        let out = stackhop()
            .args(["extract", "--format", format, g])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let out = String::from_utf8(out).unwrap();
        assert!(
            !out.contains("p@ssw") && !out.contains("RABBIT_PASS\n"),
            "{format}:\n{out}"
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    extract_to("juno-en.md", tmp.path());
    for f in ["steps.json", "steps.md"] {
        let s = fs::read_to_string(tmp.path().join(f)).unwrap();
        assert!(
            !s.contains("p@ssw") && !s.contains("NOVA_PASS"),
            "{f}:\n{s}"
        );
    }
    let conf = tmp.path().join("controller/etc/nova/nova.conf");
    assert!(
        fs::read_to_string(&conf)
            .unwrap()
            .contains("mysql://nova:p@ssw0rd@controller/nova")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&conf).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let shown = stackhop()
        .args(["extract", "--show-secrets", g])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8(shown)
            .unwrap()
            .contains("IDENTIFIED BY 'p@ssword'")
    );
}

#[test]
fn exit_codes_and_plain_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let prose = tmp.path().join("prose.md");
    fs::write(&prose, "# Nothing here\n\nJust words about clouds.\n").unwrap();
    stackhop()
        .args(["extract", prose.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no config found"));
    let bin = tmp.path().join("guide.docx");
    fs::write(&bin, b"PK\x03\x04\x14\x00\x06\x00binary").unwrap();
    stackhop()
        .args(["extract", bin.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("guide.docx:1: binary content"));
    stackhop()
        .args(["extract", tmp.path().join("missing.md").to_str().unwrap()])
        .assert()
        .code(2);
    stackhop()
        .args([
            "extract",
            "--lint",
            guide("juno-chain.md").to_str().unwrap(),
        ])
        .assert()
        .success()
        .stdout("");
    // Standard input.
    stackhop()
        .args(["extract", "-"])
        .write_stdin(fs::read(guide("juno-en.txt")).unwrap())
        .assert()
        .success()
        .stdout(predicates::str::contains("<stdin>: plain"));
    stackhop()
        .args(["explain", "G101"])
        .assert()
        .success()
        .stdout(predicates::str::contains("grant-password-mismatch"));
}

#[test]
fn a_juno_guide_carried_to_wallaby_passes_check() {
    let tmp = tempfile::tempdir().unwrap();
    stackhop()
        .args([
            "extract",
            guide("juno-chain.md").to_str().unwrap(),
            "--to",
            "wallaby",
            "-o",
            tmp.path().to_str().unwrap(),
        ])
        .assert()
        .success()
        .stderr(predicates::str::contains("wrote the upgrade runbook"));
    for (node, file) in [
        ("controller", "nova.conf"),
        ("compute", "nova.conf"),
        ("compute", "nova-compute.conf"),
    ] {
        let path = tmp
            .path()
            .join(format!("to-wallaby/{node}/etc/nova/{file}"));
        stackhop()
            .args(["check", path.to_str().unwrap(), "--release", "wallaby"])
            .assert()
            .success();
        let report = fs::read_to_string(format!("{}.migration.json", path.display())).unwrap();
        assert!(report.contains("\"to\": \"wallaby\""), "{report}");
    }
    let ctl =
        fs::read_to_string(tmp.path().join("to-wallaby/controller/etc/nova/nova.conf")).unwrap();
    assert!(
        ctl.contains("transport_url = rabbit://guest:RABBIT_PASS@controller:5672/"),
        "{ctl}"
    );
    // With the role, what remains is what the report names as manual steps.
    let out = stackhop()
        .args([
            "check",
            tmp.path()
                .join("to-wallaby/controller/etc/nova/nova.conf")
                .to_str()
                .unwrap(),
            "--release",
            "wallaby",
            "--role",
            "controller",
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    for f in v["findings"].as_array().unwrap() {
        if f["severity"] == "error" {
            assert_eq!(f["code"], "C401", "{f}");
        }
    }
    let report = fs::read_to_string(
        tmp.path()
            .join("to-wallaby/controller/etc/nova/nova.conf.migration.json"),
    )
    .unwrap();
    assert!(report.contains("\"manual\""), "{report}");
    // And the way there: the upgrade runbook over the extracted configs.
    let runbook = fs::read_to_string(tmp.path().join("runbook-juno-to-wallaby.md")).unwrap();
    assert!(
        runbook.starts_with("# Upgrade runbook: Juno to Wallaby"),
        "{}",
        &runbook[..runbook.len().min(200)]
    );
    assert!(
        runbook.contains("### ocata.db.map-cell0:"),
        "cells v2 at Ocata"
    );
    assert!(
        runbook.contains("Config changes for controller:/etc/nova/nova.conf"),
        "the extracted controller config is carried hop by hop"
    );
    assert!(!runbook.contains("RABBIT_PASS@"), "no secret in a runbook");
}

#[test]
fn hostile_input_ends_without_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let mut big = String::from("# Guide\n\nEdit /etc/nova/nova.conf:\n\n```ini\n[DEFAULT]\n");
    for i in 0..100_000 {
        big.push_str(&format!("key{i} = value{i}\n"));
    }
    // Unclosed fence.
    let path = tmp.path().join("big.md");
    fs::write(&path, &big).unwrap();
    stackhop()
        .args(["extract", path.to_str().unwrap(), "--format", "json"])
        .assert()
        .success();
}

#[test]
fn unclosed_fences_and_tags_in_every_format_end_without_panic() {
    let tmp = tempfile::tempdir().unwrap();
    // (file, text, exit code): 0 when the config inside is still read.
    let cases: &[(&str, &str, i32)] = &[
        (
            "fence.md",
            "# T\n\nEdit /etc/nova/nova.conf:\n\n```ini\n[DEFAULT]\nmy_ip = 1\n",
            0,
        ),
        ("tilde.md", "# T\n\n~~~ini\n[DEFAULT]\nmy_ip = 1\n", 0),
        (
            "liquid.md",
            "# T\n\n{% highlight ini %}\n[DEFAULT]\nmy_ip = 1\n",
            0,
        ),
        ("html.md", "# T\n\n<pre>\n[DEFAULT]\nmy_ip = 1\n", 1),
        (
            "code.rst",
            "T\n=\n\n.. code-block:: ini\n\n   [DEFAULT]\n   my_ip = 1",
            0,
        ),
        (
            "literal.rst",
            "T\n=\n\nEdit /etc/nova/nova.conf::\n\n   [DEFAULT]\n   my_ip = 1",
            0,
        ),
        (
            "only.rst",
            "T\n=\n\n.. only:: ubuntu\n\n   .. path /etc/nova/nova.conf\n   .. code-block:: ini\n\n      [DEFAULT]\n      my_ip = 1",
            0,
        ),
        (
            "highlight.wiki",
            "== x ==\n<syntaxhighlight lang=ini>\n[DEFAULT]\nmy_ip = 1\n",
            0,
        ),
        (
            "source.wiki",
            "== x ==\n<source lang=\"ini\">\n[DEFAULT]\nmy_ip = 1\n",
            0,
        ),
        ("pre.wiki", "== x ==\n<pre>\n[DEFAULT]\nmy_ip = 1\n", 0),
        (
            "tags.xml",
            "<?xml version=\"1.0\"?><section><programlisting>[DEFAULT]\nmy_ip = 1\n<screen><para",
            0,
        ),
        (
            "cdata.xml",
            "<?xml version=\"1.0\"?><section><programlisting><![CDATA[[DEFAULT]\nmy_ip = 1\n",
            0,
        ),
        (
            "comment.xml",
            "<?xml version=\"1.0\"?><section><!-- [DEFAULT]\nmy_ip = 1\n",
            1,
        ),
        (
            "pre.html",
            "<html><body><h2>Nova</h2><pre>[DEFAULT]\nmy_ip = 1\n",
            0,
        ),
        (
            "tags.html",
            "<html><pre><code>[DEFAULT]\nmy_ip = 1\n<p <a href=\"x",
            0,
        ),
        (
            "attribute.html",
            "<html><p title=\"a>[DEFAULT]\nmy_ip = 1\n",
            1,
        ),
        ("comment.html", "<html><!-- <pre>[DEFAULT]\nmy_ip = 1\n", 1),
        ("deep.html", &"<div>".repeat(50_000), 1),
        ("angles.html", &"<a \"".repeat(50_000), 1),
        (
            "heredoc.sh",
            "#!/bin/sh\ncat > /etc/nova/nova.conf <<EOF\n[DEFAULT]\nmy_ip = 1\n",
            0,
        ),
        (
            "quote.sh",
            "#!/bin/sh\ncrudini --set /etc/nova/nova.conf DEFAULT my_ip '10.0.0.1\n",
            0,
        ),
        (
            "section.txt",
            "Edit /etc/nova/nova.conf\n[DEFAULT\nmy_ip = 1\n",
            1,
        ),
        (
            "continued.txt",
            "Edit /etc/nova/nova.conf\n[DEFAULT]\nmy_ip = 1 \\\n",
            0,
        ),
    ];
    for (name, text, code) in cases {
        let p = tmp.path().join(name);
        fs::write(&p, text).unwrap();
        for format in ["text", "json"] {
            stackhop()
                .args(["extract", "--format", format, p.to_str().unwrap()])
                .assert()
                .code(*code);
        }
    }
}

#[test]
fn binary_and_undecodable_input_is_refused_with_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[u8], &str)] = &[
        ("nul.md", b"# T\n\nEdit\x00 x\n", "nul.md:3: binary content"),
        (
            "elf.conf",
            b"\x7fELF\x02\x01\x01\x00",
            "elf.conf:1: binary content (an executable)",
        ),
        (
            "guide.pdf",
            b"%PDF-1.4\n\x01\x02",
            "guide.pdf:2: binary content (a PDF)",
        ),
        (
            "bom.md",
            b"\xef\xbb\xbf# T\n\xff\xfe\n",
            "bom.md:2: starts with a UTF-8 byte order mark but is not valid UTF-8",
        ),
        (
            "odd.md",
            b"\xff\xfe#\x00 \x00T",
            "odd.md: not valid UTF-16LE text",
        ),
        (
            "surrogate.md",
            b"\xff\xfe\x00\xd8a\x00",
            "surrogate.md: not valid UTF-16LE text",
        ),
    ];
    for (name, bytes, message) in cases {
        let p = tmp.path().join(name);
        fs::write(&p, bytes).unwrap();
        stackhop()
            .args(["extract", p.to_str().unwrap()])
            .current_dir(tmp.path())
            .assert()
            .code(2)
            .stderr(predicates::str::contains(*message));
    }
    // A legacy encoding is read, not refused.
    let latin1 = tmp.path().join("latin1.md");
    fs::write(&latin1, b"# Caf\xe9\n\n```ini\n[DEFAULT]\nmy_ip = 1\n```\n").unwrap();
    stackhop()
        .args(["extract", latin1.to_str().unwrap()])
        .assert()
        .success();
}

/// A block of `n` distinct settings in `format`, unclosed.
fn long_block(format: Format, n: usize) -> String {
    let body: String = (0..n).map(|i| format!("key{i} = value{i}\n")).collect();
    match format {
        Format::Rst => {
            let indented: String = body.lines().map(|l| format!("   {l}\n")).collect();
            format!(
                "T\n=\n\nEdit /etc/nova/nova.conf:\n\n.. code-block:: ini\n\n   [DEFAULT]\n{indented}"
            )
        }
        Format::Html => format!("<html><p>Edit /etc/nova/nova.conf:</p><pre>[DEFAULT]\n{body}"),
        _ => format!("Edit /etc/nova/nova.conf:\n[DEFAULT]\n{body}"),
    }
}

#[test]
fn a_block_of_100000_lines_is_read_whole() {
    let catalog = Catalog::embedded().unwrap();
    for format in [Format::Rst, Format::Html, Format::Plain] {
        let text = long_block(format, 100_000);
        let options = Options {
            format: Some(format),
            ..Options::default()
        };
        let x = extract::extract(text.as_bytes(), "long", &catalog, &options).unwrap();
        let settings: usize = x.files.iter().map(|f| f.settings.len()).sum();
        assert_eq!(settings, 100_000, "{format:?}");
    }
}

#[test]
fn a_guide_of_several_megabytes_reads_as_its_parts() {
    let catalog = Catalog::embedded().unwrap();
    let one = fs::read(guide("juno-en.md")).unwrap();
    let copies = 2_000_000 / one.len() + 1;
    let many = one.repeat(copies);
    assert!(many.len() > 2_000_000);
    let read = |bytes: &[u8]| {
        extract::extract(bytes, "juno-en.md", &catalog, &Options::default()).unwrap()
    };
    let (x1, xn) = (read(&one), read(&many));
    // The same files: later copies set the same keys to the same values.
    let files = |x: &extract::Extraction| {
        x.files
            .iter()
            .map(|f| {
                let settings: Vec<_> = f
                    .settings
                    .iter()
                    .map(|s| (s.section.clone(), s.key.clone(), s.value.clone()))
                    .collect();
                (f.node.clone(), f.path.clone(), settings)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(files(&xn), files(&x1));
    assert_eq!(xn.steps.len(), x1.steps.len() * copies);
    assert_eq!(xn.release.from, x1.release.from);
    assert!(xn.findings.len() >= x1.findings.len());
}

#[test]
fn several_guides_are_linted_as_one_installation() {
    let dir = root().join("tests/fixtures/guides/two");
    let lint = |guides: &[&str]| {
        let out = stackhop()
            .args(["extract", "--lint"])
            .args(guides)
            .current_dir(&dir)
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    // Alone, the controller's guide uses placeholders it never explains,
    // and has no grant to compare its connection string with.
    let alone = lint(&["controller.md"]);
    assert!(alone.contains("controller.md:12: warning[G202"), "{alone}");
    assert!(alone.contains("controller.md:20: warning[G202"), "{alone}");
    assert!(!alone.contains("G101"), "{alone}");
    // With the database guide: its grant is compared with the connection
    // string (each finding at its own guide and line), RABBIT_PASS is
    // explained there, and NOAV_PASS is a typo of its NOVA_PASS.
    let both = lint(&["database.md", "controller.md"]);
    assert_eq!(
        both,
        "controller.md:7: error[G101 grant-password-mismatch]: [database] connection connects to nova as nova with password `****`, but the grant on line 10 of database.md gives 'nova'@'%' the password `****`\n\
         controller.md:20: warning[G201 placeholder-typo]: placeholder NOAV_PASS looks like a typo of NOVA_PASS, used elsewhere in the guides\n"
    );
    let json = stackhop()
        .args([
            "extract",
            "--format",
            "json",
            "controller.md",
            "database.md",
        ])
        .current_dir(&dir)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let f = &v["findings"][0];
    assert_eq!(
        (f["code"].as_str(), f["file"].as_str(), f["line"].as_u64()),
        (Some("G101"), Some("controller.md"), Some(7))
    );
    // Each setting still names the guide it comes from.
    for o in v["files"][0]["options"].as_array().unwrap() {
        assert_eq!(o["guide"], "controller.md", "{o}");
    }
}

#[test]
fn a_config_path_typo_is_flagged_with_the_path_meant() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("typo.md");
    fs::write(
        &p,
        "# Cinder on the compute node\n\n```ini\n[cinder]\nos_region_name = RegionOne\n```\n<figure>\n<figcaption>Compute Node - /etc/nova.nova.conf</figcaption>\n</figure>\n\n/etc/nova.nova.conf에 추가한다.\n",
    )
    .unwrap();
    stackhop()
        .args(["extract", "--lint", "typo.md"])
        .current_dir(tmp.path())
        .assert()
        .code(1)
        .stdout(
            "typo.md:8: warning[G502 config-path-typo]: /etc/nova.nova.conf is not a config file a service reads: probably a typo of /etc/nova/nova.conf; its setting is extracted under the path as written\n",
        );
    stackhop()
        .args(["explain", "G502"])
        .assert()
        .success()
        .stdout(predicates::str::contains("config-path-typo"));
}

#[test]
fn input_format_overrides_what_the_content_suggests() {
    let tmp = tempfile::tempdir().unwrap();
    // Text copied from a page into a .md file: as Markdown, the config is
    // a paragraph.
    let p = tmp.path().join("notes.md");
    fs::write(
        &p,
        "Edit /etc/nova/nova.conf\n[DEFAULT]\nmy_ip = 10.0.0.11\n",
    )
    .unwrap();
    stackhop()
        .args(["extract", p.to_str().unwrap()])
        .assert()
        .code(1);
    for value in ["plain", "text", "txt"] {
        stackhop()
            .args(["extract", "--input-format", value, p.to_str().unwrap()])
            .assert()
            .success()
            .stdout(predicates::str::contains("notes.md: plain, UTF-8"))
            .stdout(predicates::str::contains("my_ip = 10.0.0.11"));
    }
    stackhop()
        .args(["extract", "--input-format", "word", p.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "[possible values: markdown, rst, mediawiki, docbook, html, shell, plain]",
        ));
    stackhop()
        .args(["extract", "--help"])
        .assert()
        .success()
        .stdout(predicates::str::contains("--input-format <FORMAT>"));
}
