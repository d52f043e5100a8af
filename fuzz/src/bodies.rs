//! The bodies of the fuzz targets: what must hold for any input.
//!
//! Shared by the libFuzzer targets (`fuzz/fuzz_targets/`, run with
//! `cargo fuzz run TARGET`) and by the project's own `cargo test`
//! (`tests/fuzz_bodies.rs`, which runs every body over the seeds and a
//! bounded number of inputs made from them), so the bodies cannot rot. Each
//! body panics when a property fails; a panic is what the fuzzer reports.
//!
//! - [`roundtrip`]: parsing and printing give back the bytes; a strict parse
//!   and a lenient one agree; nothing panics.
//! - [`edits`]: a program of edits read from the input: after each, lookups
//!   (the index) agree with a scan and the printed bytes read back as the
//!   document says; `set` then `remove` of a new key gives back the bytes;
//!   `set` of an existing key changes only its lines.
//! - [`commands`]: check, detect, migrate, diff and every report format on
//!   the input never panic; migrating the result again changes nothing; a
//!   secret canary put into the file never shows in a report.

use stackhop::check;
use stackhop::conf::{Document, OptionRef, normalize_group};
use stackhop::migrate::{self, RuleBook, Start};
use stackhop::release::{Catalog, Release, Role, detect};
use stackhop::report;
use stackhop::report::redact::Redactor;
use stackhop::report::style::Style;
use stackhop::report::view::{CheckView, ComparisonView, MigrationView};
use std::sync::OnceLock;

/// What the bodies test an input against, loaded once.
struct World {
    catalog: Catalog,
    book: RuleBook,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| World {
        catalog: Catalog::load(None).expect("built-in release data"),
        book: RuleBook::embedded().expect("built-in rules"),
    })
}

/// Takes one byte of `data` from the front as a choice among `n`.
fn pick(data: &mut &[u8], n: usize) -> usize {
    match data.split_first() {
        Some((&b, rest)) => {
            *data = rest;
            b as usize % n.max(1)
        }
        None => 0,
    }
}

// ------------------------------------------------------------ roundtrip

pub fn roundtrip(data: &[u8]) {
    let Ok(doc) = Document::parse_lenient(data) else {
        return;
    };
    assert_eq!(doc.to_bytes(), data, "emit(parse(b)) != b");
    assert_eq!(
        doc.to_bytes_replacing(|_, _, _| None, "****"),
        data,
        "a rendering that replaces nothing changes the bytes"
    );
    assert_eq!(
        doc.first_invalid_utf8_line().is_none(),
        std::str::from_utf8(data).is_ok(),
        "UTF-8 check"
    );
    let entries: Vec<_> = doc
        .entries()
        .map(|e| {
            (
                e.group().to_string(),
                e.key_bytes().to_vec(),
                e.value_bytes().into_owned(),
            )
        })
        .collect();
    match Document::parse(data) {
        Ok(strict) => {
            assert!(doc.problems().is_empty());
            let strict: Vec<_> = strict
                .entries()
                .map(|e| {
                    (
                        e.group().to_string(),
                        e.key_bytes().to_vec(),
                        e.value_bytes().into_owned(),
                    )
                })
                .collect();
            assert_eq!(strict, entries);
        }
        Err(e) => assert!(!doc.problems().is_empty() || e.line().is_none()),
    }
    // Every entry is found by a lookup, and the last one is what `get` gives.
    for (group, key, _) in entries.iter().take(64) {
        let Ok(key) = std::str::from_utf8(key) else {
            continue;
        };
        let found = doc.get(group, key).expect("an entry is found");
        let last = entries.iter().rposition(|(g, k, _)| {
            normalize_group(g) == normalize_group(group) && k == key.as_bytes()
        });
        assert_eq!(found.value_bytes().as_ref(), &entries[last.unwrap()].2[..]);
    }
}

// ---------------------------------------------------------------- edits

const SECTIONS: &[&str] = &["DEFAULT", "vnc", "VNC", "database", "x", "fuzz_new"];
const KEYS: &[&str] = &["a", "enabled", "server_listen", "connection", "debug", "k"];
const VALUES: &[&str] = &[
    "1", "", " padded ", "a\nb", "\"q\"", "x # y", "$my_ip", "p@ss://w",
];

/// One lookup of every probe against a scan of every entry.
fn lookups_agree(doc: &Document) {
    for section in SECTIONS {
        for key in KEYS {
            let group = normalize_group(section);
            let scanned: Vec<usize> = doc
                .entries()
                .filter(|e| e.group() == group && e.key_bytes() == key.as_bytes())
                .map(|e| e.line())
                .collect();
            let indexed: Vec<usize> = doc.get_all(section, key).map(|e| e.line()).collect();
            assert_eq!(indexed, scanned, "[{section}] {key}");
        }
    }
}

fn options(doc: &Document) -> Vec<(String, Vec<u8>, Vec<u8>)> {
    doc.entries()
        .map(|e| {
            (
                e.group().to_string(),
                e.key_bytes().to_vec(),
                e.value_bytes().into_owned(),
            )
        })
        .collect()
}

/// Bytes of an `edits` input that hold the program: the config follows.
pub const EDITS_HEADER: usize = 1 + 8 * 4;

pub fn edits(data: &[u8]) {
    let (mut header, program) = data.split_at(data.len().min(EDITS_HEADER));
    let steps = pick(&mut header, 9);
    let mut ops = Vec::new();
    for _ in 0..steps {
        ops.push((
            pick(&mut header, 9),
            pick(&mut header, SECTIONS.len()),
            pick(&mut header, KEYS.len()),
            pick(&mut header, VALUES.len()),
        ));
    }
    let Ok(original) = Document::parse(program) else {
        return;
    };
    // set then remove of a new key: the bytes come back.
    for section in SECTIONS {
        let mut d = original.clone();
        if d.get(section, "fuzz_probe").is_some() {
            continue;
        }
        d.set(section, "fuzz_probe", "1")
            .expect("a plain value is written");
        assert_eq!(
            d.get(section, "fuzz_probe")
                .map(|e| e.value().into_owned())
                .as_deref(),
            Some("1")
        );
        d.remove(section, "fuzz_probe");
        assert_eq!(d.to_bytes(), program, "set then remove in [{section}]");
    }
    // set of the last key changes its lines only.
    if let Some(last) = original.entries().last() {
        let (section, key) = (last.section().to_string(), last.key().into_owned());
        let (first, end) = (last.line(), last.last_line());
        if key.is_ascii() && !key.is_empty() {
            let mut d = original.clone();
            if d.set(&section, &key, "fuzz").is_ok() {
                let line = |doc: &Document, n: usize| doc.line_text(n).map(<[u8]>::to_vec);
                for n in 1..first {
                    assert_eq!(line(&d, n), line(&original, n));
                }
                for n in end + 1..=original.line_count() {
                    assert_eq!(line(&d, n - (end - first)), line(&original, n));
                }
            }
        }
    }
    // A program of edits: the document stays what its bytes say.
    let mut d = original;
    for _ in 0..3 {
        let _ = d.get("DEFAULT", "a");
    }
    for (op, s, k, v) in ops {
        let (section, key, value) = (SECTIONS[s], KEYS[k], VALUES[v]);
        match op {
            0 => drop(d.set(section, key, value)),
            1 => drop(d.append(section, key, value)),
            2 => drop(d.remove(section, key)),
            3 => drop(d.delete(section, key)),
            4 => drop(d.rename(section, key, KEYS[v % KEYS.len()])),
            5 => drop(d.comment_out(section, key, "fuzz")),
            6 => drop(d.remove_section(section)),
            7 => drop(d.remove_all_in(section)),
            _ => drop(d.comment_out_all_in(section, "fuzz")),
        }
        lookups_agree(&d);
        let reread = Document::parse_lenient(d.to_bytes()).expect("printed bytes parse");
        assert_eq!(
            options(&reread),
            options(&d),
            "after op {op} [{section}] {key}"
        );
    }
}

// ------------------------------------------------------------- commands

/// Secret values put into the file: no report may show them.
const CANARY: &str = "Fz9CanaryQ";

pub fn commands(data: &[u8]) {
    let w = world();
    let mut rest = data;
    let releases = w.catalog.releases();
    let from = pick(&mut rest, releases.len());
    let to = from + pick(&mut rest, releases.len() - from);
    let flags = pick(&mut rest, 256);
    let (from, to): (&Release, &Release) = (&releases[from], &releases[to]);
    let Ok(mut doc) = Document::parse_lenient(rest) else {
        return;
    };
    // Canaries, where the input does not already hold the string.
    let canaries = !rest.windows(CANARY.len()).any(|w| w == CANARY.as_bytes());
    if canaries {
        let section = SECTIONS[flags % SECTIONS.len()];
        let _ = doc.set(section, "admin_password", CANARY);
        let _ = doc.set(
            "database",
            "connection",
            &format!("mysql://nova:{CANARY}@db/nova"),
        );
        if flags & 8 != 0 {
            let _ = doc.set(
                "DEFAULT",
                "rabbit_password",
                &format!("{CANARY}\nmore{CANARY}"),
            );
        }
        if flags & 16 != 0 {
            let _ = doc.set("keystone_authtoken", "password", &format!("Xy://{CANARY}"));
        }
        doc = match Document::parse_lenient(doc.to_bytes()) {
            Ok(d) => d,
            Err(_) => return,
        };
    }
    let redactor = Redactor::default();
    let style = Style {
        color: flags & 1 != 0,
    };
    let role = match flags % 3 {
        0 => None,
        1 => Some(Role::Controller),
        _ => Some(Role::Compute),
    };
    let mut shown = Vec::new();

    // check, every format
    let findings = check::check(&doc, &w.catalog, to, &check::Options { role })
        .expect("check against built-in data");
    let view = CheckView::new(
        to.name(),
        &to.info.title,
        [("nova.conf", findings.as_slice())],
        redactor,
    );
    shown.push(report::findings::text(&view, style));
    shown.push(report::findings::json(&view));
    shown.push(report::findings::github(&view));

    // detect
    let detection = detect::detect(&doc, &w.catalog).expect("detect");
    shown.push(report::detect::text("nova.conf", &w.catalog, &detection));
    shown.push(report::detect::json("nova.conf", &detection));
    let _ = detection.guess();

    // migrate, every format, and again
    let index = w.catalog.history().expect("history index");
    let secret = |g: &str, k: &str| index.is_secret(g, k);
    let options = migrate::Options {
        role,
        keep_removed: flags & 2 != 0,
    };
    let start = || Start::Given(from);
    if let Ok(m) = migrate::migrate(doc.clone(), &w.catalog, &w.book, start(), to, options) {
        let old = report::redact::document(&doc, secret, redactor);
        let new = report::redact::document(&m.document, secret, redactor);
        let diff = report::diff::unified("nova.conf", &old, &new);
        let view =
            MigrationView::new("nova.conf", &m, &w.catalog, redactor).with_diff(diff.clone());
        shown.push(report::migration::text(&view, style));
        shown.push(report::migration::json(&view));
        shown.push(report::migration::github(&view));
        shown.push(report::markdown::migration(&view));
        shown.push(diff);
        let out = m.document.to_bytes();
        if let Ok(again) = Document::parse_lenient(out.clone()) {
            let options = migrate::Options {
                role,
                keep_removed: flags & 2 != 0,
            };
            if let Ok(m2) = migrate::migrate(again, &w.catalog, &w.book, start(), to, options) {
                assert_eq!(
                    String::from_utf8_lossy(&m2.document.to_bytes()),
                    String::from_utf8_lossy(&out),
                    "migrating {} -> {} twice changes the file",
                    from.name(),
                    to.name()
                );
            }
        }

        // diff of the input and the migrated file, every format
        let inventory = to.inventory().expect("inventory");
        let identity = |o: &OptionRef| inventory.canonical(o).unwrap_or_else(|| o.clone());
        let multi = |_: &OptionRef| flags & 4 != 0;
        let secret = |o: &OptionRef| index.is_secret(o.group(), o.name());
        let deltas = report::compare::compare(
            &doc,
            &m.document,
            &report::compare::Options {
                identity: &identity,
                multi: &multi,
                secret: &secret,
            },
        );
        let unified = report::diff::between("old", "new", &old, &new);
        let view = ComparisonView::new("old", "new", Some(to.name()), &deltas, unified, redactor);
        shown.push(report::compare::render::text(&view, style));
        shown.push(report::compare::render::json(&view));
        shown.push(report::markdown::comparison(&view));
    }
    if canaries {
        for (i, text) in shown.iter().enumerate() {
            assert!(
                !text.contains(CANARY),
                "output {i} shows the secret canary:\n{text}"
            );
        }
    }
}
