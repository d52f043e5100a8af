//! `stackhop runbook`: the golden runbooks of docs/examples/runbooks, their
//! shape (headings, step ids and boxes, fenced commands that bash can
//! parse), secrets, the JSON context, the order properties for every pair
//! of releases, --set, --write-configs, --endpoints, templates, errors.

mod common;

use common::{fixture, golden_at, root, stackhop};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use stackhop::migrate::RuleBook;
use stackhop::release::{Catalog, Distro, Role};
use stackhop::report::redact::Redactor;
use stackhop::runbook::context::{RunbookContext, StepKind};
use stackhop::runbook::{self, UpgradeRequest};
use std::path::Path;

/// Runs the binary in the project folder (so file names in runbooks are
/// relative) and returns standard output; asserts exit 0.
fn run(args: &[&str]) -> String {
    let out = stackhop().current_dir(root()).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs the binary expecting exit 2; returns standard error.
fn fails(args: &[&str]) -> String {
    let out = stackhop().current_dir(root()).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {:?}", out);
    assert!(out.stdout.is_empty(), "{args:?}: wrote to stdout");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("stackhop: "), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    err
}

/// (golden file, arguments) of every example runbook.
fn examples() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut v = Vec::new();
    for (from, file) in [
        ("juno", "juno-to-wallaby.controller.ubuntu.md"),
        ("newton", "newton-to-wallaby.controller.ubuntu.md"),
        ("stein", "stein-to-wallaby.controller.ubuntu.md"),
    ] {
        let config: &'static str = match from {
            "juno" => "tests/fixtures/juno-controller.conf",
            "newton" => "tests/fixtures/newton-controller.conf",
            _ => "tests/fixtures/stein-controller.conf",
        };
        v.push((
            file,
            vec![
                "runbook",
                "upgrade",
                "--from",
                from,
                "--to",
                "wallaby",
                "--role",
                "controller",
                "--config",
                config,
            ],
        ));
    }
    v.push((
        "juno-to-wallaby.controller.rdo.md",
        vec![
            "runbook",
            "upgrade",
            "--from",
            "juno",
            "--to",
            "wallaby",
            "--role",
            "controller",
            "--distro",
            "rdo",
            "--config",
            "tests/fixtures/juno-controller.conf",
        ],
    ));
    for (release, role, file) in [
        ("juno", "controller", "install-juno.controller.ubuntu.md"),
        ("juno", "compute", "install-juno.compute.ubuntu.md"),
        (
            "newton",
            "controller",
            "install-newton.controller.ubuntu.md",
        ),
        ("newton", "compute", "install-newton.compute.ubuntu.md"),
        ("stein", "controller", "install-stein.controller.ubuntu.md"),
        ("stein", "compute", "install-stein.compute.ubuntu.md"),
        (
            "wallaby",
            "controller",
            "install-wallaby.controller.ubuntu.md",
        ),
        ("wallaby", "compute", "install-wallaby.compute.ubuntu.md"),
    ] {
        v.push((
            file,
            vec!["runbook", "install", "--release", release, "--role", role],
        ));
    }
    v
}

#[test]
fn example_runbooks_match_their_golden_files() {
    for (file, args) in examples() {
        let got = run(&args);
        golden_at(&format!("docs/examples/runbooks/{file}"), got);
    }
}

/// What a runbook's Markdown must be: headings that nest, a box and an id
/// per step, every command in a fenced block with a language.
fn check_shape(name: &str, md: &str) -> Vec<String> {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_TASKLISTS);
    let events: Vec<Event> = Parser::new_ext(md, opts).collect();
    let mut last_level = 0;
    let mut h1 = 0;
    let mut sh_blocks = Vec::new();
    let mut i = 0;
    let mut steps = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading { level, .. }) => {
                let n = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                assert!(
                    n <= last_level + 1,
                    "{name}: heading level {n} after {last_level}"
                );
                last_level = n;
                if n == 1 {
                    h1 += 1;
                }
                let mut text = String::new();
                let mut j = i + 1;
                while !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j] {
                        text.push_str(t);
                    }
                    j += 1;
                }
                if n == 3 && text.contains(": ") {
                    // A step: `id: title`, then a list whose first item is
                    // an unticked box naming the id.
                    let id = text.split(": ").next().unwrap().to_string();
                    let parts: Vec<&str> = id.split('.').collect();
                    assert!(
                        parts.len() >= 2
                            && parts.iter().all(|p| !p.is_empty()
                                && p.bytes().all(|b| b.is_ascii_lowercase()
                                    || b.is_ascii_digit()
                                    || b == b'-')),
                        "{name}: step id {id:?}"
                    );
                    let mut k = j;
                    while !matches!(events[k], Event::Start(Tag::Item)) {
                        assert!(
                            !matches!(events[k], Event::Start(Tag::Heading { .. })),
                            "{name}: step {id} has no box"
                        );
                        k += 1;
                    }
                    assert!(
                        matches!(events[k + 1], Event::TaskListMarker(false)),
                        "{name}: step {id}'s first item is no box"
                    );
                    let mut item = String::new();
                    let mut m = k + 1;
                    while !matches!(events[m], Event::End(TagEnd::Item)) {
                        if let Event::Text(t) = &events[m] {
                            item.push_str(t);
                        }
                        m += 1;
                    }
                    assert!(
                        item.contains(&id),
                        "{name}: step {id}'s box does not name it"
                    );
                    steps += 1;
                }
                i = j;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let CodeBlockKind::Fenced(lang) = kind else {
                    panic!("{name}: an indented code block");
                };
                assert!(
                    matches!(lang.as_ref(), "sh" | "ini" | "diff" | "sql"),
                    "{name}: a code block in {lang:?}"
                );
                let mut code = String::new();
                let mut j = i + 1;
                while !matches!(events[j], Event::End(TagEnd::CodeBlock)) {
                    if let Event::Text(t) = &events[j] {
                        code.push_str(t);
                    }
                    j += 1;
                }
                if lang.as_ref() == "sh" {
                    let first = code.lines().next().unwrap_or("");
                    assert!(
                        first.starts_with("# on "),
                        "{name}: an sh block says not where it runs: {first:?}"
                    );
                    sh_blocks.push(code);
                }
                i = j;
            }
            Event::Text(t) => {
                // A command outside a fence?
                for prefix in [
                    "nova-manage ",
                    "su -s ",
                    "apt-get ",
                    "yum ",
                    "systemctl ",
                    "mysqldump ",
                ] {
                    assert!(
                        !t.starts_with(prefix),
                        "{name}: a command outside a fenced block: {t}"
                    );
                }
            }
            _ => {}
        }
        i += 1;
    }
    assert_eq!(h1, 1, "{name}: one title");
    assert!(steps > 0, "{name}: no step");
    sh_blocks
}

fn bash_n(name: &str, blocks: &[String]) {
    let dir = tempfile::tempdir().unwrap();
    for (n, b) in blocks.iter().enumerate() {
        let path = dir.path().join(format!("{n}.sh"));
        std::fs::write(&path, b).unwrap();
        let out = std::process::Command::new("bash")
            .arg("-n")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: bash -n fails on\n{b}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_example_runbook_has_its_shape_and_bash_parses_every_sh_block() {
    for (file, args) in examples() {
        let md = run(&args);
        let blocks = check_shape(file, &md);
        bash_n(file, &blocks);
    }
}

#[test]
fn no_secret_reaches_a_runbook() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("nova.conf");
    std::fs::write(
        &conf,
        "[DEFAULT]\nrpc_backend = rabbit\nrabbit_host = controller\nrabbit_password = CanaryRabbit1\n\
         my_ip = 10.0.0.11\n\n[database]\nconnection = mysql://nova:CanaryDb2@controller/nova\n\n\
         [keystone_authtoken]\nauth_uri = http://controller:5000/v2.0\nidentity_uri = http://controller:35357\n\
         admin_tenant_name = service\nadmin_user = nova\nadmin_password = CanaryKs3\n\n\
         [neutron]\nurl = http://controller:9696\nadmin_password = CanaryNeutron4\n\
         metadata_proxy_shared_secret = CanaryMeta5\n",
    )
    .unwrap();
    let conf = conf.to_str().unwrap();
    for format in ["markdown", "json"] {
        let out = run(&[
            "runbook", "upgrade", "--from", "juno", "--to", "wallaby", "--config", conf,
            "--format", format,
        ]);
        assert!(
            !out.contains("Canary"),
            "a secret in the {format} upgrade runbook"
        );
    }
    let wc = dir.path().join("configs");
    let out = run(&[
        "runbook",
        "install",
        "--release",
        "wallaby",
        "--role",
        "controller",
        "--set",
        "NOVA_DBPASS=CanaryDb6",
        "--set",
        "NOVA_PASS=CanaryKs7",
        "--set",
        "RABBIT_PASS=CanaryRabbit8",
        "--set",
        "PLACEMENT_PASS=CanaryPl9",
        "--write-configs",
        wc.to_str().unwrap(),
    ]);
    assert!(!out.contains("Canary"), "a secret in the install runbook");
    let written = std::fs::read_to_string(wc.join("nova.conf")).unwrap();
    for canary in ["CanaryDb6", "CanaryKs7", "CanaryRabbit8", "CanaryPl9"] {
        assert!(
            written.contains(canary),
            "{canary} is not in the written file"
        );
    }
}

#[test]
fn the_json_context_round_trips_through_serde() {
    let json = run(&[
        "runbook",
        "upgrade",
        "--from",
        "newton",
        "--to",
        "wallaby",
        "--config",
        "tests/fixtures/newton-controller.conf",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["schema"], 1);
    let ctx: RunbookContext = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::to_value(&ctx).unwrap(), value);
    let json = run(&[
        "runbook",
        "install",
        "--release",
        "stein",
        "--role",
        "compute",
        "--format",
        "json",
    ]);
    let ctx: RunbookContext = serde_json::from_str(&json).unwrap();
    assert_eq!(
        serde_json::to_value(&ctx).unwrap(),
        serde_json::from_str::<serde_json::Value>(&json).unwrap()
    );
}

/// The position of the first step of `steps` whose commands hold `needle`.
fn position(steps: &[&stackhop::runbook::context::Step], needle: &str) -> Option<usize> {
    steps
        .iter()
        .position(|s| s.blocks.iter().any(|b| b.code.contains(needle)))
}

#[test]
fn every_upgrade_keeps_nova_s_order() {
    let catalog = Catalog::embedded().unwrap();
    let book = RuleBook::embedded().unwrap();
    let names: Vec<String> = catalog
        .releases()
        .iter()
        .map(|r| r.name().to_string())
        .collect();
    for (i, from) in names.iter().enumerate() {
        for to in &names[i + 1..] {
            for distro in [Distro::Ubuntu, Distro::Rdo] {
                for role in [None, Some(Role::Controller)] {
                    let ctx = runbook::upgrade(
                        &catalog,
                        &book,
                        &UpgradeRequest {
                            from: Some(from),
                            to,
                            configs: &[],
                            role,
                            distro,
                            endpoints: None,
                            redactor: Redactor::default(),
                        },
                    )
                    .unwrap_or_else(|e| panic!("{from} to {to}: {e}"));
                    check_order(&format!("{from} to {to} ({distro:?}, {role:?})"), &ctx);
                }
            }
        }
    }
}

fn check_order(what: &str, ctx: &RunbookContext) {
    let all: Vec<&stackhop::runbook::context::Step> = ctx.steps().collect();
    let hops: Vec<&stackhop::runbook::context::Section> = ctx
        .sections
        .iter()
        .filter(|s| !matches!(s.id.as_str(), "before" | "finish" | "verify" | "rollback"))
        .collect();
    assert!(!hops.is_empty(), "{what}: no hop");
    // In each hop, api_db sync before db sync.
    for hop in &hops {
        let steps: Vec<_> = hop.steps.iter().collect();
        if let (Some(api), Some(main)) = (
            position(&steps, "nova-manage api_db sync"),
            position(&steps, "nova-manage db sync"),
        ) {
            assert!(
                api < main,
                "{what}: {} runs db sync before api_db sync",
                hop.id
            );
        }
    }
    // Online migrations of hop N before the db sync of hop N+1.
    for pair in hops.windows(2) {
        let odm = position(&all, &format!("{}.db.online-migrations", pair[0].id));
        let odm = odm.or_else(|| {
            all.iter()
                .position(|s| s.id == format!("{}.db.online-migrations", pair[0].id))
        });
        let next_sync = all
            .iter()
            .position(|s| s.id == format!("{}.db.sync", pair[1].id));
        if let (Some(o), Some(n)) = (odm, next_sync) {
            assert!(
                o < n,
                "{what}: {}'s online migrations after {}'s db sync",
                pair[0].id,
                pair[1].id
            );
        }
    }
    // Backups before the first change.
    let backup = all
        .iter()
        .position(|s| s.id.starts_with("before.backup"))
        .unwrap_or_else(|| panic!("{what}: no backup"));
    let first_change = all
        .iter()
        .position(|s| {
            matches!(
                s.kind,
                StepKind::Repo
                    | StepKind::Os
                    | StepKind::Db
                    | StepKind::Cells
                    | StepKind::Placement
            ) || (s.kind == StepKind::Package && !s.id.starts_with("before."))
        })
        .unwrap_or_else(|| panic!("{what}: no change"));
    assert!(backup < first_change, "{what}: a change before the backup");
    // The endpoint change after the last hop.
    if ctx.roles.contains(&Role::Controller) {
        let last_hop = hops.last().unwrap();
        let last_hop_step = all
            .iter()
            .rposition(|s| s.id.starts_with(&format!("{}.", last_hop.id)))
            .unwrap();
        let endpoint = all
            .iter()
            .position(|s| s.kind == StepKind::Endpoint)
            .unwrap_or_else(|| panic!("{what}: no endpoint step"));
        assert!(
            last_hop_step < endpoint,
            "{what}: endpoints move before the last hop ends"
        );
    }
    // Ids are unique.
    let mut ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "{what}: a step id twice");
}

#[test]
fn every_step_kind_has_a_partial() {
    let t = runbook::Templates::embedded();
    let names: Vec<&str> = t.names().collect();
    for kind in StepKind::ALL {
        assert!(names.contains(&kind.partial().as_str()), "{kind:?}");
    }
}

#[test]
fn from_is_detected_from_the_config_and_said_so() {
    let md = run(&[
        "runbook",
        "upgrade",
        "--to",
        "wallaby",
        "--config",
        "tests/fixtures/stein-controller.conf",
    ]);
    assert!(md.contains("**Detected:**"), "{}", &md[..400]);
    assert!(md.contains("--from was not given"));
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let err = fails(&["runbook", "upgrade", "--from", "essex", "--to", "wallaby"]);
    assert!(err.contains("unknown release \"essex\""), "{err}");
    let err = fails(&["runbook", "upgrade", "--from", "wallaby", "--to", "juno"]);
    assert!(err.contains("is not before"), "{err}");
    let err = fails(&["runbook", "upgrade", "--from", "stein", "--to", "stein"]);
    assert!(err.contains("is not before"), "{err}");
    let err = fails(&[
        "runbook",
        "upgrade",
        "--from",
        "juno",
        "--to",
        "wallaby",
        "--config",
        "no/such.conf",
    ]);
    assert!(err.contains("no/such.conf"), "{err}");
    let err = fails(&["runbook", "upgrade", "--to", "wallaby"]);
    assert!(err.contains("--from"), "{err}");
    let err = fails(&[
        "runbook",
        "install",
        "--release",
        "ocata",
        "--role",
        "controller",
    ]);
    assert!(err.contains("no install guide data"), "{err}");
    let err = fails(&[
        "runbook",
        "install",
        "--release",
        "juno",
        "--role",
        "controller",
        "--set",
        "NOPE=1",
    ]);
    assert!(err.contains("--set NOPE"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("endpoints.json");
    std::fs::write(&bad, "[{\"ID\": 1,\n").unwrap();
    let err = fails(&[
        "runbook",
        "upgrade",
        "--from",
        "juno",
        "--to",
        "wallaby",
        "--endpoints",
        bad.to_str().unwrap(),
    ]);
    assert!(err.contains("endpoints.json:"), "{err}");
}

#[test]
fn releases_are_named_or_given_by_nova_version() {
    let a = run(&[
        "runbook", "upgrade", "--from", "2014.2.4", "--to", "23.0.0", "--format", "json",
    ]);
    let ctx: RunbookContext = serde_json::from_str(&a).unwrap();
    assert_eq!(ctx.from.unwrap().name, "juno");
    assert_eq!(ctx.to.name, "wallaby");
}

#[test]
fn broken_and_missing_templates_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("step-db.hbs"),
        "{{> step-head}}\n\n{{#if why}\n",
    )
    .unwrap();
    let err = fails(&[
        "runbook",
        "upgrade",
        "--from",
        "juno",
        "--to",
        "kilo",
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert!(err.contains("step-db.hbs:3"), "{err}");
    std::fs::write(
        dir.path().join("step-db.hbs"),
        "{{> step-head}}\n{{> no-such-partial}}\n",
    )
    .unwrap();
    let err = fails(&[
        "runbook",
        "upgrade",
        "--from",
        "juno",
        "--to",
        "kilo",
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert!(err.contains("step-db.hbs:2"), "{err}");
    std::fs::write(
        dir.path().join("step-db.hbs"),
        "{{> step-head}}\n{{no_such_field}}\n",
    )
    .unwrap();
    let err = fails(&[
        "runbook",
        "upgrade",
        "--from",
        "juno",
        "--to",
        "kilo",
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert!(err.contains("step-db.hbs:2"), "{err}");
    let err = fails(&[
        "runbook",
        "upgrade",
        "--from",
        "juno",
        "--to",
        "kilo",
        "--templates",
        "no/such/dir",
    ]);
    assert!(err.contains("no/such/dir"), "{err}");
}

#[test]
fn a_template_of_the_same_name_replaces_the_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("step-db.hbs"), "#### DB STEP {{id}}\n").unwrap();
    let md = run(&[
        "runbook",
        "upgrade",
        "--from",
        "juno",
        "--to",
        "kilo",
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert!(md.contains("#### DB STEP kilo.db.sync"), "{md}");
}

#[test]
fn endpoints_file_gives_one_set_per_endpoint_to_move() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("endpoints.json");
    std::fs::write(
        &file,
        r#"[
 {"ID": "a1", "Region": "RegionOne", "Service Name": "nova", "Service Type": "compute", "Enabled": true, "Interface": "public", "URL": "https://cloud.example:8774/v2/%(tenant_id)s"},
 {"ID": "b2", "Region": "RegionOne", "Service Name": "nova", "Service Type": "compute", "Enabled": true, "Interface": "internal", "URL": "http://ctl01:8774/v2.1"},
 {"ID": "c3", "Region": "RegionOne", "Service Name": "glance", "Service Type": "image", "Enabled": true, "Interface": "public", "URL": "http://ctl01:9292"}
]"#,
    )
    .unwrap();
    let md = run(&[
        "runbook",
        "upgrade",
        "--from",
        "juno",
        "--to",
        "wallaby",
        "--role",
        "controller",
        "--endpoints",
        file.to_str().unwrap(),
    ]);
    assert!(
        md.contains("openstack endpoint set --url https://cloud.example:8774/v2.1 a1"),
        "{md}"
    );
    assert!(!md.contains("--url http://ctl01:8774/v2.1 b2"));
    assert!(!md.contains(" c3\n"));
}

#[test]
fn set_fills_placeholders_and_write_configs_pass_check() {
    for (release, role) in [
        ("juno", "controller"),
        ("juno", "compute"),
        ("newton", "controller"),
        ("newton", "compute"),
        ("stein", "controller"),
        ("stein", "compute"),
        ("wallaby", "controller"),
        ("wallaby", "compute"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut args = vec![
            "runbook",
            "install",
            "--release",
            release,
            "--role",
            role,
            "--set",
            "controller=ctl01",
            "--write-configs",
            out.to_str().unwrap(),
        ];
        let sets = [
            "NOVA_DBPASS=db-secret-1",
            "NOVA_PASS=ks-secret-2",
            "RABBIT_PASS=mq-secret-3",
            "PLACEMENT_PASS=pl-secret-4",
            "my_ip=10.0.0.31",
            "MANAGEMENT_INTERFACE_IP_ADDRESS=10.0.0.31",
        ];
        for s in sets {
            let name = s.split('=').next().unwrap();
            let placement_unknown =
                name == "PLACEMENT_PASS" && !matches!(release, "stein" | "wallaby");
            let ip_unknown = name == "MANAGEMENT_INTERFACE_IP_ADDRESS" && role == "controller";
            let known = !placement_unknown && !ip_unknown;
            if known {
                args.push("--set");
                args.push(s);
            }
        }
        let md = run(&args);
        assert!(
            md.contains("ctl01"),
            "{release} {role}: controller not filled"
        );
        assert!(
            !md.contains("secret-"),
            "{release} {role}: a password in the runbook"
        );
        let conf = out.join("nova.conf");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&conf).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640, "{release} {role}");
        }
        let check = stackhop()
            .args(["check", "--release", release, "--role", role])
            .arg(&conf)
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&check.stdout);
        assert_eq!(check.status.code(), Some(0), "{release} {role}:\n{report}");
        assert!(!report.contains("error["), "{release} {role}:\n{report}");
    }
}

#[test]
fn readme_links_every_example() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for (file, _) in examples() {
        assert!(
            readme.contains(&format!("docs/examples/runbooks/{file}")),
            "README does not link {file}"
        );
    }
    assert!(Path::new(&root().join("docs/examples/runbooks")).is_dir());
    let _ = fixture;
}

#[test]
fn a_rebuilt_database_server_gets_its_databases_and_grants_back() {
    let md = run(&[
        "runbook", "upgrade", "--from", "queens", "--to", "wallaby", "--distro", "rdo",
    ]);
    let at = |id: &str| {
        md.find(&format!("### {id}:"))
            .unwrap_or_else(|| panic!("no step {id}"))
    };
    // After the node is rebuilt and Train is back, before the next hop.
    assert!(at("train.os.el7-to-el8") < at("train.os.reinstall"));
    assert!(at("train.os.reinstall") < at("train.os.restore-databases"));
    assert!(at("train.os.restore-databases") < md.find("## Hop to Ussuri").unwrap());
    let step = &md[at("train.os.restore-databases")..md.find("## Hop to Ussuri").unwrap()];
    for (db, user, pass) in [
        ("nova", "nova", "NOVA_DBPASS"),
        ("nova_api", "nova", "NOVA_DBPASS"),
        ("nova_cell0", "nova", "NOVA_DBPASS"),
        ("placement", "placement", "PLACEMENT_DBPASS"),
    ] {
        assert!(
            step.contains(&format!("< \"$BK/{db}-train.sql\"")),
            "{db}: {step}"
        );
        assert!(
            step.contains(&format!(
                "ON {db}.* TO '{user}'@'%' IDENTIFIED BY '${{{pass}}}'"
            )),
            "{db}: {step}"
        );
    }
    // A compute node rebuilt ends its instances: the runbook says so.
    let rebuild = &md[at("train.os.el7-to-el8")..at("train.os.reinstall")];
    assert!(rebuild.contains("ends the instances on it"), "{rebuild}");
}

#[test]
fn install_runbooks_keep_the_guides_order_for_qemu_and_host_discovery() {
    for release in ["juno", "newton", "stein", "wallaby"] {
        let compute = run(&[
            "runbook",
            "install",
            "--release",
            release,
            "--role",
            "compute",
        ]);
        let at = |md: &str, id: &str| md.find(&format!("### {release}.{id}:"));
        let (check, qemu, restart) = (
            at(&compute, "compute.check-hw-accel").unwrap(),
            at(&compute, "compute.use-qemu").unwrap(),
            at(&compute, "compute.restart").unwrap(),
        );
        assert!(
            check < qemu && qemu < restart,
            "{release}: {check} {qemu} {restart}"
        );
        let controller = run(&[
            "runbook",
            "install",
            "--release",
            release,
            "--role",
            "controller",
        ]);
        if let Some(discover) = at(&controller, "cell.discover-hosts") {
            let restart = at(&controller, "controller.restart-services").unwrap();
            assert!(
                restart < discover,
                "{release}: hosts mapped before the services start"
            );
        }
    }
}
