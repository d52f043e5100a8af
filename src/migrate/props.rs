//! The guarantees of a migration, over generated configs that mix options
//! of several releases: nothing is lost (every input option is in one
//! change or counted unchanged), migrating the output again changes
//! nothing, and the output names no option the target release does not
//! have (what is left to do by hand is a named manual step).

use super::*;
use crate::check;
use crate::release::{Catalog, OptionDef, OptionType};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::embedded().unwrap())
}

fn book() -> &'static RuleBook {
    static BOOK: OnceLock<RuleBook> = OnceLock::new();
    BOOK.get_or_init(|| RuleBook::embedded().unwrap())
}

/// A value nova reads without complaint for the option: its default when
/// that is a plain literal, else one of its type.
fn value_for(o: &OptionDef, n: usize) -> String {
    let e = &o.entry;
    if let Some(first) = e.choices.first() {
        return first.to_string();
    }
    let literal = e
        .default
        .as_deref()
        .filter(|d| !d.is_empty() && !d.contains(['<', '$', '%', '\n']) && d.trim() == *d);
    if let Some(d) = literal {
        return d.to_string();
    }
    match o.kind {
        OptionType::Boolean => "True".into(),
        OptionType::Integer => e.min.unwrap_or(1).max(1).to_string(),
        OptionType::Float => "1.5".into(),
        OptionType::Port => "5672".into(),
        OptionType::Uri => format!("http://host{n}:8080/"),
        OptionType::IpAddress | OptionType::HostAddress => format!("10.0.0.{}", n % 250 + 1),
        OptionType::Hostname => format!("host{n}"),
        OptionType::Dict | OptionType::MultiDict => "a:1".into(),
        _ => format!("value-{n}"),
    }
}

/// A config of options picked from the inventories of releases up to
/// `upto` (catalog indexes), as text.
fn config(picks: &[(usize, usize)], upto: usize) -> String {
    let releases = catalog().releases();
    let mut sections: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for (n, &(r, i)) in picks.iter().enumerate() {
        let inv = releases[r % (upto + 1)].inventory().unwrap();
        let o = &inv.options()[i % inv.options().len()];
        // Groups that stand for many (`vgpu_<type>`) are not config sections.
        if o.group.contains('<') || !seen.insert(o.id()) {
            continue;
        }
        sections
            .entry(o.group.to_string())
            .or_default()
            .push(format!("{} = {}", o.name(), value_for(o, n)));
    }
    let mut text = String::new();
    for (group, lines) in sections {
        text.push_str(&format!("[{group}]\n"));
        for l in lines {
            text.push_str(&l);
            text.push('\n');
        }
        text.push('\n');
    }
    text
}

fn run(text: &str, from: usize, to: usize) -> Migration {
    let releases = catalog().releases();
    let doc = Document::parse(text).unwrap();
    migrate(
        doc,
        catalog(),
        book(),
        Start::Given(&releases[from]),
        &releases[to],
        Options::default(),
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn migrations_lose_nothing_are_idempotent_and_leave_no_unknown_option(
        from in 0usize..14,
        span in 1usize..15,
        picks in proptest::collection::vec((0usize..15, 0usize..2000), 1..30),
    ) {
        // At least one hop: from a release to itself nothing changes at all.
        let to = (from + span).min(14);
        let text = config(&picks, to);
        let input = Document::parse(text.as_str()).unwrap();
        let m = run(&text, from, to);

        // Nothing lost: each input option once, in a change or unchanged.
        let accounted = m.changes.iter().filter(|c| c.before.is_some()).count() + m.unchanged;
        prop_assert_eq!(accounted, input.entries().count(), "{}", text);
        let mut lines: Vec<usize> = m.changes.iter().filter_map(|c| c.before.as_ref().map(|b| b.line)).collect();
        lines.sort_unstable();
        lines.dedup();
        prop_assert_eq!(lines.len(), m.changes.iter().filter(|c| c.before.is_some()).count());

        // Idempotent: migrating the output over the same hops changes nothing.
        let out = m.document.to_bytes();
        let again = run(std::str::from_utf8(&out).unwrap(), from, to);
        prop_assert!(again.changes.is_empty(), "{}\n→\n{}\nchanged again: {:#?}",
            text, String::from_utf8_lossy(&out), again.changes);
        prop_assert_eq!(&again.document.to_bytes(), &out);

        // The output names only options the target release reads.
        let releases = catalog().releases();
        let findings = check::check(&m.document, catalog(), &releases[to], &check::Options::default()).unwrap();
        // Errors left are the ones a manual step names: an option it
        // concerns, or one its text quotes.
        let named = |f: &check::Finding| {
            let (Some(section), Some(key)) = (&f.section, &f.key) else { return false };
            let o = OptionRef::new(section, key);
            m.manual.iter().any(|s| s.options.contains(&o) || s.text.contains(&o.to_string()))
        };
        let stray: Vec<_> = findings
            .iter()
            .filter(|f| f.severity == check::Severity::Error)
            // Generated values are plain; a type error is the generator's.
            .filter(|f| f.code != check::INVALID_VALUE.code)
            .filter(|f| !named(f))
            .collect();
        prop_assert!(stray.is_empty(), "{}\n→\n{}\n{:#?}", text, String::from_utf8_lossy(&out), stray);
    }
}
