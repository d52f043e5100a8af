//! Tests of the document as a whole: reading as oslo.config does, printing
//! back byte for byte, and edits that touch only what they must.

use super::*;
use pretty_assertions::assert_eq;
use proptest::prelude::*;

fn doc(text: &str) -> Document {
    Document::parse(text).unwrap_or_else(|e| panic!("{e:?} in {text:?}"))
}

fn options(d: &Document) -> Vec<(String, String, String)> {
    d.entries()
        .map(|e| {
            (
                e.section().to_string(),
                e.key().into_owned(),
                e.value().into_owned(),
            )
        })
        .collect()
}

fn text(d: &Document) -> String {
    String::from_utf8(d.to_bytes()).unwrap()
}

/// oslo.config's parse loop, written the way Python runs it: one line at a
/// time over decoded text. Returns (section, key, value) in file order, or
/// the line of the first error.
fn oslo_reference(input: &str) -> Result<Vec<(String, String, String)>, usize> {
    let is_space = |c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c);
    let mut lines = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        let cut = rest.find(['\n', '\r']).map_or(rest.len(), |i| {
            if rest[i..].starts_with("\r\n") {
                i + 2
            } else {
                i + 1
            }
        });
        lines.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    let mut out = Vec::new();
    let mut section: Option<String> = None;
    let mut pending: Option<(String, Vec<String>, usize)> = None;
    let flush = |pending: &mut Option<(String, Vec<String>, usize)>,
                 section: &Option<String>,
                 out: &mut Vec<(String, String, String)>|
     -> Result<(), usize> {
        if let Some((key, value, line)) = pending.take() {
            let Some(s) = section else { return Err(line) };
            out.push((s.clone(), key, value.join("\n")));
        }
        Ok(())
    };
    for (n, raw) in lines.iter().enumerate() {
        let lineno = n + 1;
        let line = raw.trim_end_matches(is_space);
        if line.is_empty() {
            flush(&mut pending, &section, &mut out)?;
            continue;
        }
        if line.starts_with([' ', '\t']) {
            match &mut pending {
                Some((_, value, _)) => value.push(line.trim_start_matches(is_space).to_string()),
                None => return Err(lineno),
            }
            continue;
        }
        flush(&mut pending, &section, &mut out)?;
        if line.starts_with('[') {
            if !line.ends_with(']') || line.chars().count() <= 2 {
                return Err(lineno);
            }
            section = Some(line[1..line.len() - 1].to_string());
        } else if line.starts_with(['#', ';']) {
        } else {
            let Some(sep) = line.find(['=', ':']) else {
                return Err(lineno);
            };
            let key = line[..sep].trim_matches(is_space);
            let mut value = line[sep + 1..].trim_matches(is_space);
            if !value.is_empty()
                && value.starts_with(['"', '\''])
                && value.chars().next() == value.chars().last()
            {
                value = value.get(1..value.len() - 1).unwrap_or("");
            }
            if key.is_empty() {
                return Err(lineno);
            }
            pending = Some((key.to_string(), vec![value.to_string()], lineno));
        }
    }
    flush(&mut pending, &section, &mut out)?;
    Ok(out)
}

const JUNO_STYLE: &str = "\
[DEFAULT]
# a Juno controller, set up much as the install guide does it
rpc_backend = rabbit
rabbit_host = controller
rabbit_password = RABBIT_PASS\t# from the guide
auth_strategy = keystone
my_ip = 10.0.0.11
vncserver_listen = 10.0.0.11
verbose = True

[database]
connection = mysql://nova:NOVA_DBPASS@controller/nova

[keystone_authtoken]
auth_uri = http://controller:5000/v2.0
identity_uri = http://controller:35357
admin_tenant_name = service
admin_user = nova
admin_password = NOVA_PASS

[glance]
host = controller
";

#[test]
fn reads_what_oslo_reads() {
    let d = doc(JUNO_STYLE);
    let opts = options(&d);
    assert_eq!(opts.len(), 14);
    assert_eq!(
        opts[2],
        (
            "DEFAULT".into(),
            "rabbit_password".into(),
            "RABBIT_PASS\t# from the guide".into()
        )
    );
    assert_eq!(
        d.get("database", "connection").unwrap().value(),
        "mysql://nova:NOVA_DBPASS@controller/nova"
    );
    assert_eq!(d.get("glance", "host").unwrap().line(), 22);
    assert_eq!(oslo_reference(JUNO_STYLE).unwrap(), opts);
}

#[test]
fn continuation_lines_join_with_newlines_and_swallow_indented_comments() {
    let d = doc("[DEFAULT]\nkey = a\n  b\n\t# c\n\n  \nother = 1\n");
    assert_eq!(d.get("DEFAULT", "key").unwrap().value(), "a\nb\n# c");
    assert_eq!(d.get("DEFAULT", "key").unwrap().last_line(), 4);
    assert!(d.get("DEFAULT", "key").unwrap().is_multiline());
    assert_eq!(d.get("DEFAULT", "other").unwrap().value(), "1");
}

#[test]
fn repeated_sections_merge_and_names_compare_lower_cased_except_default() {
    let d = doc("[VNC]\nenabled = 1\n[DEFAULT]\nx = 1\n[vnc]\nenabled = 2\n[default]\nx = 2\n");
    assert_eq!(d.get("vnc", "enabled").unwrap().value(), "2");
    assert_eq!(d.get("Vnc", "enabled").unwrap().section(), "vnc");
    assert_eq!(d.get_all("VNC", "enabled").count(), 2);
    assert_eq!(d.get("DEFAULT", "x").unwrap().value(), "1");
    assert_eq!(d.get("default", "x").unwrap().value(), "2");
    assert_eq!(d.groups(), vec!["vnc", "DEFAULT", "default"]);
}

#[test]
fn rejects_what_oslo_rejects_with_the_line() {
    let cases = [
        ("[DEFAULT] # main\n", 1, Problem::NoSectionEnd),
        ("[DEFAULT]\n[]\n", 2, Problem::EmptySectionName),
        ("debug = True\n[DEFAULT]\n", 1, Problem::BeforeSection),
        (
            "[DEFAULT]\n# c\n  cont\n",
            3,
            Problem::UnexpectedContinuation,
        ),
        ("  cont\n", 1, Problem::UnexpectedContinuation),
        ("[DEFAULT]\n= v\n", 2, Problem::EmptyKey),
        ("[DEFAULT]\njust words\n", 2, Problem::NoSeparator),
        ("\u{feff}[DEFAULT]\nx\n", 2, Problem::NoSeparator),
    ];
    for (input, line, problem) in cases {
        assert_eq!(
            Document::parse(input).unwrap_err(),
            ParseError::Line(LineProblem { line, problem }),
            "{input:?}"
        );
    }
}

#[test]
fn lenient_parse_keeps_bad_lines_and_reads_the_rest() {
    let input = "stray = 1\n[DEFAULT] # main\ndebug = True\n  \n  lost\n[vnc]\nenabled = 1\n";
    let d = Document::parse_lenient(input).unwrap();
    assert_eq!(
        d.problems(),
        vec![
            LineProblem {
                line: 1,
                problem: Problem::BeforeSection
            },
            LineProblem {
                line: 2,
                problem: Problem::NoSectionEnd
            },
            LineProblem {
                line: 5,
                problem: Problem::UnexpectedContinuation
            },
        ]
    );
    assert_eq!(
        options(&d),
        vec![
            ("DEFAULT".into(), "debug".into(), "True".into()),
            ("vnc".into(), "enabled".into(), "1".into())
        ]
    );
    assert_eq!(d.to_bytes(), input.as_bytes());
}

#[test]
fn prints_back_every_kind_of_input_byte_for_byte() {
    let inputs: [&[u8]; 9] = [
        b"",
        b"\n\n",
        b"[DEFAULT]\r\ndebug = True\r\n",
        b"[DEFAULT]\ndebug = True\r\n\rx=1",
        b"\xef\xbb\xbf[DEFAULT]\ndebug = True\n",
        b"[DEFAULT]\n\tkey\t=\tvalue\t\n",
        b"[DEFAULT]\n# caf\xe9 in latin-1\nname = \xff\xfe\n",
        b"[DEFAULT]\nk = v   ",
        b"[DEFAULT]\nk = \"quoted\"  \n  more \n",
    ];
    for input in inputs {
        let d = Document::parse_lenient(input).unwrap();
        assert_eq!(d.to_bytes(), input, "{:?}", String::from_utf8_lossy(input));
    }
}

#[test]
fn bom_and_encoding_are_reported_not_hidden() {
    let d = Document::parse(&b"\xef\xbb\xbf[DEFAULT]\nx = 1\n"[..]).unwrap();
    assert!(d.has_bom());
    assert_eq!(d.get("DEFAULT", "x").unwrap().line(), 2);
    let d = Document::parse(&b"[DEFAULT]\n# caf\xe9\nx = 1\n"[..]).unwrap();
    assert_eq!(d.first_invalid_utf8_line(), Some(2));
}

#[test]
fn set_replaces_the_last_occurrence_keeping_its_spacing() {
    let mut d = doc("[DEFAULT]\ndebug=False\n[DEFAULT]\ndebug\t =  False   \nx = 1\n");
    let outcome = d.set("DEFAULT", "debug", "True").unwrap();
    assert_eq!(outcome.line, 4);
    assert_eq!(
        outcome.previous,
        Some(Previous {
            value: "False".into(),
            occurrences: 2
        })
    );
    assert_eq!(
        text(&d),
        "[DEFAULT]\ndebug=False\n[DEFAULT]\ndebug\t =  True   \nx = 1\n"
    );
}

#[test]
fn set_replaces_multi_line_and_quoted_values_whole() {
    let mut d = doc("[DEFAULT]\nk = \"a\"\n  b\n  c\nz = 1\n");
    d.set("DEFAULT", "k", "new").unwrap();
    assert_eq!(text(&d), "[DEFAULT]\nk = new\nz = 1\n");
    d.set("DEFAULT", "k", "x\ny").unwrap();
    assert_eq!(text(&d), "[DEFAULT]\nk = x\n    y\nz = 1\n");
    assert_eq!(d.get("DEFAULT", "k").unwrap().value(), "x\ny");
}

#[test]
fn new_key_goes_after_the_last_key_of_its_section() {
    let mut d =
        doc("[DEFAULT]\na = 1\n# trailing note\n\n[vnc]\nenabled = true\n\n[DEFAULT]\nb=2\n\n");
    let outcome = d.set("DEFAULT", "c", "3").unwrap();
    assert_eq!(outcome.line, 10);
    assert_eq!(
        text(&d),
        "[DEFAULT]\na = 1\n# trailing note\n\n[vnc]\nenabled = true\n\n[DEFAULT]\nb=2\nc = 3\n\n"
    );
}

#[test]
fn new_key_goes_under_its_commented_template_line() {
    let sample = "[DEFAULT]\n#debug = false\n\n[vnc]\n#\n# Help text.\n#enabled = true\n\n#server_listen = 127.0.0.1\n\n[wsgi]\n";
    let mut d = doc(sample);
    d.set("vnc", "server_listen", "10.0.0.11").unwrap();
    assert_eq!(
        text(&d),
        sample.replace(
            "#server_listen = 127.0.0.1\n",
            "#server_listen = 127.0.0.1\nserver_listen = 10.0.0.11\n"
        )
    );
    // No template: right under the header.
    let mut d = doc(sample);
    d.set("vnc", "novncproxy_port", "6080").unwrap();
    assert!(text(&d).contains("[vnc]\nnovncproxy_port = 6080\n#\n"));
}

#[test]
fn new_section_goes_at_the_end_after_a_blank_line_in_the_files_style() {
    let mut d = doc("[DEFAULT]\r\ndebug=True\r\n");
    let outcome = d.set("placement", "region_name", "RegionOne").unwrap();
    assert!(outcome.created_section);
    assert_eq!(outcome.line, 5);
    assert_eq!(
        text(&d),
        "[DEFAULT]\r\ndebug=True\r\n\r\n[placement]\r\nregion_name=RegionOne\r\n"
    );
    let mut empty = doc("");
    empty.set("DEFAULT", "debug", "True").unwrap();
    assert_eq!(text(&empty), "[DEFAULT]\ndebug = True\n");
}

#[test]
fn a_file_without_final_newline_keeps_its_last_line() {
    let mut d = doc("[DEFAULT]\na = 1\nb = 2");
    d.set("DEFAULT", "c", "3").unwrap();
    assert_eq!(text(&d), "[DEFAULT]\na = 1\nb = 2\nc = 3");
    d.remove("DEFAULT", "c");
    assert_eq!(text(&d), "[DEFAULT]\na = 1\nb = 2");
    d.remove("DEFAULT", "b");
    assert_eq!(text(&d), "[DEFAULT]\na = 1");
    let mut d = doc("[DEFAULT]\na = 1\n[zvm]");
    d.set("zvm", "x", "1").unwrap();
    assert_eq!(text(&d), "[DEFAULT]\na = 1\n[zvm]\nx = 1");
    let mut d = doc("[DEFAULT]\na = 1");
    d.set("vnc", "enabled", "true").unwrap();
    assert_eq!(text(&d), "[DEFAULT]\na = 1\n\n[vnc]\nenabled = true");
    d.remove("vnc", "enabled");
    assert_eq!(text(&d), "[DEFAULT]\na = 1");
}

#[test]
fn values_are_quoted_when_nova_would_otherwise_change_them() {
    for value in [
        " padded ",
        "\"q\"",
        "'",
        "\"",
        "a # not a comment",
        "",
        "x\n# y",
    ] {
        let mut d = doc("[DEFAULT]\n");
        d.set("DEFAULT", "k", value).unwrap();
        let reread = doc(&text(&d));
        assert_eq!(
            reread.get("DEFAULT", "k").unwrap().value(),
            value,
            "{}",
            text(&d)
        );
    }
    let mut d = doc("[DEFAULT]\n");
    for bad in ["a\n\nb", "a\n  b", "a\rb"] {
        assert!(matches!(
            d.set("DEFAULT", "k", bad),
            Err(EditError::Value(_))
        ));
    }
    for bad in ["", "a=b", "a:b", " a", "#a", "[a", "a\nb"] {
        assert!(
            matches!(d.set("DEFAULT", bad, "v"), Err(EditError::Key(..))),
            "{bad:?}"
        );
    }
    for bad in ["", " vnc", "a\nb"] {
        assert!(
            matches!(d.set(bad, "k", "v"), Err(EditError::Section(..))),
            "{bad:?}"
        );
    }
    assert_eq!(text(&d), "[DEFAULT]\n");
}

#[test]
fn remove_takes_every_occurrence_and_an_emptied_section() {
    let mut d = doc("[DEFAULT]\nx = 1\n\n[a]\nk = 1\n  more\n\n[b]\ny = 2\n\n[A]\nk = 2\n");
    assert_eq!(d.remove("a", "k"), 2);
    assert_eq!(text(&d), "[DEFAULT]\nx = 1\n\n[b]\ny = 2\n");
    assert_eq!(d.remove("a", "k"), 0);
    // A section that keeps a comment keeps its header.
    let mut d = doc("[DEFAULT]\nx = 1\n\n[a]\n# note\nk = 1\n");
    d.remove("a", "k");
    assert_eq!(text(&d), "[DEFAULT]\nx = 1\n\n[a]\n# note\n");
}

#[test]
fn remove_section_takes_each_block_and_its_separator() {
    let mut d = doc("[DEFAULT]\nx = 1\n\n[a]\n# c\nk = 1\n\n[b]\ny = 2\n\n[a]\nz = 3\n");
    assert_eq!(d.remove_section("A"), 7);
    assert_eq!(text(&d), "[DEFAULT]\nx = 1\n\n[b]\ny = 2\n");
}

#[test]
fn rename_keeps_spacing_values_and_continuations() {
    let mut d = doc("[vnc]\nvncserver_listen\t=  0.0.0.0\n[VNC]\nvncserver_listen = a\n  b\n");
    assert_eq!(
        d.rename("vnc", "vncserver_listen", "server_listen")
            .unwrap(),
        2
    );
    assert_eq!(
        text(&d),
        "[vnc]\nserver_listen\t=  0.0.0.0\n[VNC]\nserver_listen = a\n  b\n"
    );
    assert!(d.rename("vnc", "server_listen", "a=b").is_err());
}

#[test]
fn comment_out_keeps_the_text_under_a_marker() {
    let mut d = doc("[DEFAULT]\nrpc_backend = rabbit\nx = a\n  b\ny = 1");
    assert_eq!(d.comment_out("DEFAULT", "x", "stackhop R1: removed"), 1);
    assert_eq!(d.comment_out("DEFAULT", "y", "stackhop R2: removed"), 1);
    assert_eq!(
        text(&d),
        "[DEFAULT]\nrpc_backend = rabbit\n# stackhop R1: removed\n#x = a\n#  b\n# stackhop R2: removed\n#y = 1"
    );
    assert_eq!(
        options(&d),
        [("DEFAULT".into(), "rpc_backend".into(), "rabbit".into())]
    );
}

#[test]
fn values_and_comments_can_be_placed_by_line_in_one_pass() {
    let mut d = doc(
        "[DEFAULT]\r\nmy_ip = 10.0.0.11  # mgmt\r\nhost = a\r\n  # about b\r\n  b\r\ndebug = x # y",
    );
    let edit = |line, value, comments: &[&str]| ValueAt {
        line,
        value,
        comments_above: comments.iter().map(|c| c.to_string()).collect(),
    };
    // Given in any order; lines are those before the edits.
    d.set_values_at(&[
        edit(6, "x", &["y"]),
        edit(3, "a\nb", &["about b"]),
        edit(2, "10.0.0.11", &["mgmt", "second"]),
    ])
    .unwrap();
    assert_eq!(
        text(&d),
        "[DEFAULT]\r\n# mgmt\r\n# second\r\nmy_ip = 10.0.0.11\r\n# about b\r\nhost = a\r\n  b\r\n# y\r\ndebug = x"
    );
    // A line holding no option, or one edited twice: nothing changes.
    let before = text(&d);
    assert_eq!(
        d.set_values_at(&[edit(4, "1", &[]), edit(1, "2", &[])]),
        Err(EditError::NotAnOption(1))
    );
    assert_eq!(
        d.set_values_at(&[edit(4, "1", &[]), edit(4, "2", &[])]),
        Err(EditError::NotAnOption(4))
    );
    assert_eq!(text(&d), before);
}

#[test]
fn every_edit_changes_the_revision() {
    let mut d = doc("[DEFAULT]\nmy_ip = 1\n[vnc]\nenabled = true\n");
    let mut seen = vec![d.revision()];
    let mut changed = |d: &Document| {
        assert!(!seen.contains(&d.revision()), "{}", text(d));
        seen.push(d.revision());
    };
    d.set("DEFAULT", "my_ip", "2").unwrap();
    changed(&d);
    d.set("DEFAULT", "debug", "true").unwrap();
    changed(&d);
    d.append("DEFAULT", "debug", "false").unwrap();
    changed(&d);
    d.rename("DEFAULT", "debug", "verbose").unwrap();
    changed(&d);
    d.comment_out("DEFAULT", "verbose", "gone");
    changed(&d);
    d.set_values_at(&[ValueAt {
        line: 2,
        value: "3",
        comments_above: vec!["top".into()],
    }])
    .unwrap();
    changed(&d);
    d.remove("DEFAULT", "my_ip");
    changed(&d);
    d.remove_section("vnc");
    changed(&d);
    let before = d.revision();
    assert_eq!(d.remove("DEFAULT", "absent"), 0);
    assert_eq!(d.revision(), before, "nothing changed");
}

fn soup_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("   ".to_string()),
        Just("# comment".to_string()),
        Just(";comment".to_string()),
        Just("[DEFAULT]".to_string()),
        Just("[vnc]".to_string()),
        Just("[VNC]  ".to_string()),
        Just("[x] # note".to_string()),
        Just("[]".to_string()),
        Just("\u{feff}[DEFAULT]".to_string()),
        Just("words".to_string()),
        Just(" = v".to_string()),
        Just("#server_listen = 0.0.0.0".to_string()),
        "[a-z_]{1,8}[ \t]{0,2}[=:][ \t]{0,2}[a-z0-9 #'\":=]{0,10}",
        "[ \t]{1,2}[a-z0-9 #=]{0,8}",
        "[a-z]{1,4} = [\u{a0}\u{3000}\u{1c} ]{0,2}v[\u{a0}\u{2028} ]{0,2}",
    ]
}

fn soup() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec((soup_line(), prop_oneof!["\n", "\r\n", "\r"]), 0..24),
        any::<bool>(),
    )
        .prop_map(|(lines, final_eol)| {
            let mut s: String = lines.iter().map(|(l, e)| format!("{l}{e}")).collect();
            if !final_eol {
                if let Some(stripped) = s.strip_suffix(['\n', '\r']) {
                    s = stripped.to_string();
                }
            }
            s
        })
}

proptest! {
    #[test]
    fn reads_exactly_what_the_reference_reads(input in soup()) {
        let ours = Document::parse(input.as_str());
        // The document takes a leading BOM as a byte order mark (and reports
        // it, see `has_bom`); oslo.config would read it as text.
        let unmarked = input.strip_prefix('\u{feff}').unwrap_or(&input);
        match oslo_reference(unmarked) {
            Ok(expected) => prop_assert_eq!(options(&ours.unwrap()), expected),
            Err(line) => {
                let err = ours.unwrap_err();
                // oslo reports an assignment before any section where the
                // value ends; the document names the assignment's own line.
                if !matches!(err, ParseError::Line(LineProblem { problem: Problem::BeforeSection, .. })) {
                    prop_assert_eq!(err.line(), Some(line));
                }
            }
        }
    }

    #[test]
    fn any_bytes_print_back_unchanged(input in proptest::collection::vec(any::<u8>(), 0..400)) {
        let d = Document::parse_lenient(input.clone()).unwrap();
        prop_assert_eq!(d.to_bytes(), input);
    }

    #[test]
    fn line_soups_print_back_unchanged(input in soup()) {
        let d = Document::parse_lenient(input.as_str()).unwrap();
        prop_assert_eq!(d.to_bytes(), input.as_bytes());
    }

    #[test]
    fn set_then_remove_of_a_new_key_restores_the_bytes(
        input in soup(),
        section in prop_oneof!["DEFAULT", "vnc", "newsection"],
        value in "[a-z0-9 :/@=#]{0,12}",
    ) {
        let Ok(mut d) = Document::parse(input.as_str()) else { return Ok(()) };
        d.set(&section, "stackhop_probe", &value).unwrap();
        prop_assert_eq!(d.get(&section, "stackhop_probe").unwrap().value(), value);
        let mut deleted = d.clone();
        d.remove(&section, "stackhop_probe");
        prop_assert_eq!(&String::from_utf8(d.to_bytes()).unwrap(), &input);
        deleted.delete(&section, "stackhop_probe");
        prop_assert_eq!(&String::from_utf8(deleted.to_bytes()).unwrap(), &input);
    }

    #[test]
    fn set_in_one_run_then_delete_in_the_next_restores_the_bytes(
        input in soup(),
        section in prop_oneof!["DEFAULT", "vnc", "newsection"],
        value in "[a-z0-9 :/@=#]{0,12}",
    ) {
        let Ok(mut d) = Document::parse(input.as_str()) else { return Ok(()) };
        // The one case no file can tell apart from a section `set` added: a
        // header with nothing under it, at the very end of the file.
        prop_assume!(!lands_in_empty_last_block(&d, &normalize_group(&section)));
        d.set(&section, "stackhop_probe", &value).unwrap();
        let mut next = Document::parse(d.to_bytes()).unwrap();
        prop_assert_eq!(next.delete(&section, "stackhop_probe"), 1);
        prop_assert_eq!(String::from_utf8(next.to_bytes()).unwrap(), input);
    }

    #[test]
    fn comment_out_reads_as_remove_and_keeps_every_line(input in soup(), pick in any::<prop::sample::Index>()) {
        let Ok(d) = Document::parse(input.as_str()) else { return Ok(()) };
        let entries: Vec<(String, String)> = d.entries().map(|e| (e.section().to_string(), e.key().into_owned())).collect();
        prop_assume!(!entries.is_empty());
        let (section, key) = pick.get(&entries).clone();
        let (mut commented, mut removed) = (d.clone(), d.clone());
        let n = commented.comment_out(&section, &key, "gone");
        prop_assert_eq!(n, d.get_all(&section, &key).count());
        removed.remove(&section, &key);
        let reread = Document::parse(commented.to_bytes()).unwrap();
        prop_assert_eq!(options(&reread), options(&removed));
        // Without the markers and the added '#', the lines are the input's.
        let lines = |doc: &Document| (1..=doc.line_count()).map(|i| doc.line_text(i).unwrap().to_vec()).collect::<Vec<_>>();
        let (orig, after) = (lines(&d), lines(&commented));
        let (mut i, mut j) = (0, 0);
        while j < after.len() {
            if after[j] == b"# gone" {
                j += 1;
                let mut span = 0;
                while j < after.len() && i < orig.len() && after[j] == [b"#".as_slice(), &orig[i]].concat() {
                    i += 1;
                    j += 1;
                    span += 1;
                }
                prop_assert!(span > 0, "a marker above nothing");
            } else {
                prop_assert_eq!(&after[j], &orig[i]);
                i += 1;
                j += 1;
            }
        }
        prop_assert_eq!(i, orig.len());
        prop_assert_eq!(commented.line_count(), d.line_count() + n);
    }

    #[test]
    fn set_changes_only_the_line_it_names(input in soup(), value in "[a-z0-9]{1,8}") {
        let Ok(mut d) = Document::parse(input.as_str()) else { return Ok(()) };
        let Some(target) = d.entries().last().map(|e| (e.section().to_string(), e.key().into_owned(), e.line(), e.last_line())) else {
            return Ok(())
        };
        let (section, key, first, last) = target;
        let before: Vec<Vec<u8>> = (1..=d.line_count()).map(|n| d.line_text(n).unwrap().to_vec()).collect();
        d.set(&section, &key, &value).unwrap();
        let after: Vec<Vec<u8>> = (1..=d.line_count()).map(|n| d.line_text(n).unwrap().to_vec()).collect();
        prop_assert_eq!(&before[..first - 1], &after[..first - 1]);
        prop_assert_eq!(&before[last..], &after[first..]);
        let reread = Document::parse(d.to_bytes()).unwrap();
        prop_assert_eq!(reread.get(&section, &key).unwrap().value(), value);
        // Every other option reads as before.
        let others = |doc: &Document| options(doc).into_iter().filter(|(s, k, _)| !(normalize_group(s) == normalize_group(&section) && *k == key)).collect::<Vec<_>>();
        prop_assert_eq!(others(&reread), others(&Document::parse(input.as_str()).unwrap()));
    }
}

/// A new key of `group` would go under a header whose block is blank, and
/// that is the file's last header.
fn lands_in_empty_last_block(d: &Document, group: &str) -> bool {
    use super::document::Tag;
    let in_group = |s: u32| s != super::document::NO_SECTION && d.group(s) == group;
    if d.lines
        .iter()
        .any(|l| in_group(l.section) && l.tag == Tag::Entry)
    {
        return false;
    }
    let Some(last_header) = d
        .lines
        .iter()
        .rposition(|l| in_group(l.section) && l.tag == Tag::Header)
    else {
        return false;
    };
    let id = d.lines[last_header].section;
    let is_last = !d.lines[last_header + 1..]
        .iter()
        .any(|l| l.tag == Tag::Header);
    is_last
        && d.lines[last_header + 1..]
            .iter()
            .take_while(|l| l.section == id)
            .all(|l| l.tag == Tag::Blank)
}

#[test]
fn header_lines_give_each_groups_first_header() {
    let d = doc("# top\n[DEFAULT]\na = 1\n[VNC]\nb = 2\n[default]\n[vnc]\nc = 3\n");
    let h = d.header_lines();
    assert_eq!(h.get("DEFAULT"), Some(&2));
    assert_eq!(h.get("vnc"), Some(&4), "[VNC] and [vnc] are one group");
    assert_eq!(h.get("default"), Some(&6), "only DEFAULT is case-sensitive");
    assert_eq!(h.len(), 3);
}

#[test]
fn every_option_of_a_group_goes_at_once_as_one_by_one() {
    let input = "[DEFAULT]\nx = 1\n\n[xenserver]\n# about a\na = 1\n  more\n\n[XENSERVER]\nb = 2\n\n[vnc]\nc = 3\n";
    let (mut all, mut each) = (doc(input), doc(input));
    assert_eq!(all.remove_all_in("xenserver"), 2);
    each.remove("xenserver", "a");
    each.remove("xenserver", "b");
    assert_eq!(text(&all), text(&each));
    assert_eq!(
        text(&all),
        "[DEFAULT]\nx = 1\n\n[xenserver]\n# about a\n\n[vnc]\nc = 3\n"
    );
    let (mut all, mut each) = (doc(input), doc(input));
    assert_eq!(all.comment_out_all_in("xenserver", "gone"), 2);
    each.comment_out("xenserver", "a", "gone");
    each.comment_out("xenserver", "b", "gone");
    assert_eq!(text(&all), text(&each));
    assert_eq!(all.remove_all_in("nothing"), 0);
}

/// An edit the index must follow.
#[derive(Debug, Clone)]
enum Edit {
    Set(usize, usize, String),
    Append(usize, usize, String),
    Remove(usize, usize),
    Delete(usize, usize),
    Rename(usize, usize, usize),
    CommentOut(usize, usize),
    CommentOutGroup(usize),
    RemoveGroup(usize),
    RemoveSection(usize),
    SetValueAt(usize, String),
}

const SECTIONS: &[&str] = &["DEFAULT", "vnc", "VNC", "x", "newsection"];
const KEYS: &[&str] = &["a", "b", "enabled", "server_listen", "k"];

fn edit() -> impl Strategy<Value = Edit> {
    let s = 0..SECTIONS.len();
    let k = 0..KEYS.len();
    let v = "[a-z0-9 ]{0,6}(\n[a-z0-9]{1,4})?";
    prop_oneof![
        (s.clone(), k.clone(), v).prop_map(|(s, k, v)| Edit::Set(s, k, v)),
        (s.clone(), k.clone(), "[a-z0-9]{0,4}").prop_map(|(s, k, v)| Edit::Append(s, k, v)),
        (s.clone(), k.clone()).prop_map(|(s, k)| Edit::Remove(s, k)),
        (s.clone(), k.clone()).prop_map(|(s, k)| Edit::Delete(s, k)),
        (s.clone(), k.clone(), k.clone()).prop_map(|(s, k, n)| Edit::Rename(s, k, n)),
        (s.clone(), k.clone()).prop_map(|(s, k)| Edit::CommentOut(s, k)),
        s.clone().prop_map(Edit::CommentOutGroup),
        s.clone().prop_map(Edit::RemoveGroup),
        s.prop_map(Edit::RemoveSection),
        (0usize..40, "[a-z]{0,4}").prop_map(|(l, v)| Edit::SetValueAt(l, v)),
    ]
}

fn apply(d: &mut Document, e: &Edit) {
    match e {
        Edit::Set(s, k, v) => {
            let _ = d.set(SECTIONS[*s], KEYS[*k], v);
        }
        Edit::Append(s, k, v) => {
            let _ = d.append(SECTIONS[*s], KEYS[*k], v);
        }
        Edit::Remove(s, k) => {
            d.remove(SECTIONS[*s], KEYS[*k]);
        }
        Edit::Delete(s, k) => {
            d.delete(SECTIONS[*s], KEYS[*k]);
        }
        Edit::Rename(s, k, n) => {
            let _ = d.rename(SECTIONS[*s], KEYS[*k], KEYS[*n]);
        }
        Edit::CommentOut(s, k) => {
            d.comment_out(SECTIONS[*s], KEYS[*k], "gone");
        }
        Edit::CommentOutGroup(s) => {
            d.comment_out_all_in(SECTIONS[*s], "gone");
        }
        Edit::RemoveGroup(s) => {
            d.remove_all_in(SECTIONS[*s]);
        }
        Edit::RemoveSection(s) => {
            d.remove_section(SECTIONS[*s]);
        }
        Edit::SetValueAt(line, v) => {
            let _ = d.set_values_at(&[ValueAt {
                line: *line,
                value: v,
                comments_above: vec!["c".into()],
            }]);
        }
    }
}

/// Every lookup the index answers, against a scan of every entry.
fn check_lookups(d: &Document) -> Result<(), TestCaseError> {
    for section in SECTIONS.iter().chain(&["default", "Vnc"]) {
        for key in KEYS {
            let indexed: Vec<usize> = d.get_all(section, key).map(|e| e.line()).collect();
            let group = normalize_group(section);
            let scanned: Vec<usize> = d
                .entries()
                .filter(|e| e.group() == group && e.key() == *key)
                .map(|e| e.line())
                .collect();
            prop_assert_eq!(&indexed, &scanned, "[{}] {}", section, key);
            prop_assert_eq!(
                d.get(section, key).map(|e| e.line()),
                scanned.last().copied()
            );
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn the_index_answers_as_a_scan_after_any_edits(
        input in soup(),
        edits in proptest::collection::vec(edit(), 0..12),
        index_first in any::<bool>(),
    ) {
        let Ok(mut d) = Document::parse(input.as_str()) else { return Ok(()) };
        if index_first {
            // A few lookups build the index: the edits must keep it right.
            for _ in 0..4 {
                let _ = d.get("DEFAULT", "a");
            }
        }
        for e in &edits {
            apply(&mut d, e);
            check_lookups(&d)?;
            // What the document says it holds is what its bytes say.
            let reread = Document::parse_lenient(d.to_bytes()).unwrap();
            prop_assert_eq!(options(&reread), options(&d), "after {:?}", e);
        }
    }
}

#[test]
fn a_few_lookups_build_the_index_and_edits_keep_it() {
    let mut d = doc("[DEFAULT]\na = 1\n[vnc]\nenabled = 1\n[VNC]\nenabled = 2\n");
    assert_eq!(d.index.heap_size(), 0, "one lookup is a scan");
    for _ in 0..3 {
        assert_eq!(d.get("vnc", "enabled").unwrap().value(), "2");
    }
    assert!(d.index.heap_size() > 0, "built");
    d.set("vnc", "new", "x").unwrap();
    d.remove("VNC", "enabled");
    assert!(d.index.heap_size() > 0, "kept");
    assert!(d.get("vnc", "enabled").is_none());
    assert_eq!(text(&d), "[DEFAULT]\na = 1\n[VNC]\nnew = x\n");
    assert_eq!(d.get("vnc", "new").unwrap().line(), 4);
    assert_eq!(d.get_all("DEFAULT", "a").count(), 1);
}

#[test]
fn write_to_writes_the_bytes_to_bytes_makes_and_a_clone_keeps_its_lines_when_the_other_is_edited() {
    let input = "\u{feff}[DEFAULT]\ndebug = True\n\n[vnc]\nenabled = true\nkeymap = en-us";
    let original = Document::parse_lenient(input).unwrap();
    let mut edited = original.clone();
    edited.set("vnc", "enabled", "false").unwrap();
    edited.remove("vnc", "keymap");
    edited
        .set("glance", "api_servers", "http://g:9292")
        .unwrap();
    for d in [&original, &edited] {
        let mut written = Vec::new();
        d.write_to(&mut written).unwrap();
        assert_eq!(written, d.to_bytes());
    }
    assert_eq!(original.to_bytes(), input.as_bytes());
    assert_ne!(edited.to_bytes(), input.as_bytes());
}

#[test]
fn a_new_key_takes_the_assignment_style_the_file_uses_most_after_other_edits_too() {
    let mut d = doc("[d]\na=1\nb = 2\nc = 3\n");
    d.set("d", "x", "7").unwrap();
    assert_eq!(text(&d), "[d]\na=1\nb = 2\nc = 3\nx = 7\n");
    // Three of four now use " = ": removing two of them leaves "=" and
    // " = " one each, and the first one used wins.
    d.remove("d", "b");
    d.remove("d", "x");
    d.set("d", "y", "8").unwrap();
    assert_eq!(text(&d), "[d]\na=1\nc = 3\ny=8\n");
}
