//! What the migration rules know, said by `check`: the rule that carries a
//! removed or renamed option where (or removes it, and why), values a rule
//! rewrites because the release no longer accepts or acts on them (C106),
//! and options nova still reads that no longer work. The facts come from
//! the release room (`release::successors`, derived from the rule files at
//! build time), so that check and migrate say the same thing.

use super::{DEPRECATED, Finding, OBSOLETE_VALUE, Severity};
use crate::conf::value as values;
use crate::conf::{Document, Entry, OptionRef};
use crate::release::successors::{Carried, Level, ValueTest};
use crate::release::{Catalog, Inventory, OptionDef, Release, rule_facts};

fn severity(l: Level) -> Severity {
    match l {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Info => Severity::Info,
    }
}

/// Is release `name` at or before `release`?
fn in_force(catalog: &Catalog, name: &str, release: &Release) -> bool {
    catalog.get(name).is_some_and(|r| r.index <= release.index)
}

/// `…; stackhop migrate fixes this: RULE (stackhop explain RULE)`.
pub(super) fn fixed_by(what: &str, rule: &str) -> String {
    format!("{what}; stackhop migrate fixes this: {rule} (stackhop explain {rule})")
}

/// `merged into [DEFAULT] transport_url by MSG002: stackhop migrate does
/// it (stackhop explain MSG002)`.
pub(super) fn done_by(said: &str, rule: &str) -> String {
    format!("{said}: stackhop migrate does it (stackhop explain {rule})")
}

/// What the rules in force at `release` do with `option`, followed until
/// the setting reaches an option `inv` has (or is removed): `merged into
/// [DEFAULT] transport_url by MSG002`, and the first rule. `None` when no
/// rule concerns it.
pub(super) fn carried(
    catalog: &Catalog,
    release: &Release,
    inv: &Inventory,
    option: &OptionRef,
) -> Option<(String, String)> {
    let facts = rule_facts();
    let index = |c: &Carried| catalog.get(&c.release).map_or(usize::MAX, |r| r.index);
    let live = |c: &Carried| c.to.as_ref().is_some_and(|t| inv.current(t).is_some());
    let mut chain: Vec<&Carried> = Vec::new();
    let mut current = option.clone();
    for _ in 0..6 {
        let candidates: Vec<&Carried> = facts
            .carried
            .iter()
            .filter(|c| c.concerns(&current) && index(c) <= release.index)
            .filter(|c| !chain.iter().any(|d| std::ptr::eq(*d, *c)))
            .collect();
        let pick = candidates
            .iter()
            .find(|c| live(c))
            .or_else(|| candidates.iter().max_by_key(|c| index(c)))
            .copied();
        let Some(c) = pick else { break };
        chain.push(c);
        match &c.to {
            Some(t) if !live(c) => current = t.clone(),
            _ => break,
        }
    }
    let first = chain.first()?;
    let said = chain
        .iter()
        .map(|c| c.describe())
        .collect::<Vec<_>>()
        .join(", then ");
    Some((said, first.rule.clone()))
}

/// Findings C106 for a value the rules in force at `release` rewrite.
/// Returns whether any was found.
pub(super) fn values_of(
    out: &mut Vec<Finding>,
    catalog: &Catalog,
    release: &Release,
    e: &Entry,
    o: &OptionDef,
    value: &str,
    secret: bool,
) -> bool {
    let own = e.option();
    let id = o.id();
    let name = format!("[{}] {}", e.section(), e.key());
    let mut found = false;
    // A prefix a later rule rewrites too is said once, by the latest rule.
    let mut prefixes_said: Vec<&str> = Vec::new();
    for fix in rule_facts().values.iter().rev() {
        let concerns =
            fix.option == own || fix.option == id || o.aliases().any(|a| a == fix.option);
        if !concerns || !in_force(catalog, &fix.release, release) {
            continue;
        }
        let rule = fix.rule.as_str();
        let mut push = |message: String, suggestion: String, level: Level| {
            out.push(
                Finding::new(OBSOLETE_VALUE, Some(e.line()), message)
                    .about(e)
                    .with_value(value, secret)
                    .severity(severity(level))
                    .suggest(suggestion),
            );
        };
        match &fix.test {
            ValueTest::Items { map } => {
                let hits: Vec<(&str, &str)> = values::list_items(value)
                    .filter_map(|i| map.get(i).map(|r| (i, r.as_str())))
                    .collect();
                if hits.is_empty() {
                    continue;
                }
                let listed: Vec<&str> = hits.iter().map(|(i, _)| *i).collect();
                let what: Vec<String> = hits
                    .iter()
                    .map(|(i, r)| {
                        if r.is_empty() {
                            format!("drop {i}")
                        } else {
                            format!("write {r} for {i}")
                        }
                    })
                    .collect();
                push(
                    format!("{name} lists {}: {}", listed.join(", "), fix.note),
                    fixed_by(&what.join(", "), rule),
                    fix.severity,
                );
            }
            ValueTest::Prefix { from, to } => {
                let Some(rest) = value.trim().strip_prefix(from.as_str()) else {
                    continue;
                };
                if prefixes_said.contains(&from.as_str()) {
                    continue;
                }
                prefixes_said.push(from);
                let what = if secret {
                    format!("write {to}… for {from}…")
                } else {
                    format!("use {to}{rest}")
                };
                push(
                    format!("{name} = {from}…: {}", fix.note),
                    fixed_by(&what, rule),
                    fix.severity,
                );
            }
            ValueTest::OneOf { map } => {
                let Some((_, m)) = map
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(value.trim()))
                else {
                    continue;
                };
                let shown = if secret { "this value" } else { value.trim() };
                push(
                    format!("{name} = {shown}: {}", fix.note),
                    fixed_by(&format!("use {m}"), rule),
                    fix.severity,
                );
            }
            ValueTest::Scheme {
                scheme,
                unless_contains,
            } => {
                for item in
                    values::list_items(value).filter(|i| !i.contains(unless_contains.as_str()))
                {
                    if values::template_token(item) {
                        push(
                            format!("{name} holds the template placeholder {item}: {}", fix.note),
                            format!(
                                "make sure it expands to a URL with a scheme ({scheme}…); stackhop migrate leaves it and names it in a manual step ({rule}; stackhop explain {rule})"
                            ),
                            Level::Warning,
                        );
                    } else {
                        push(
                            format!("{name} lists {item}, which has no scheme: {}", fix.note),
                            fixed_by(&format!("use {scheme}{item}"), rule),
                            fix.severity,
                        );
                    }
                }
            }
        }
        found = true;
    }
    found
}

/// Options nova still reads in `release` that the rules carry away because
/// they no longer work (or, with a setting that overrides them, are only
/// leftovers); and, before they stop working, a warning that they will.
pub(super) fn stale(
    out: &mut Vec<Finding>,
    doc: &Document,
    catalog: &Catalog,
    release: &Release,
    inv: &Inventory,
    e: &Entry,
    o: &OptionDef,
) {
    let own = e.option();
    let id = o.id();
    let name = format!("[{}] {}", e.section(), e.key());
    for st in &rule_facts().stale {
        if !st.options.iter().any(|x| *x == own || *x == id) {
            continue;
        }
        let (Some(since), Some(from)) = (catalog.get(&st.since), catalog.get(&st.release)) else {
            continue;
        };
        if release.index < since.index {
            continue;
        }
        let rule = st.rule.as_str();
        let what = carried(catalog, release, inv, &own)
            .map(|(said, _)| said)
            .unwrap_or_else(|| format!("replaced by {rule}"));
        let overridden: Vec<String> = st
            .unless_set
            .iter()
            .filter(|u| doc.is_set(u))
            .map(OptionRef::to_string)
            .collect();
        let f = if !overridden.is_empty() {
            Finding::new(
                DEPRECATED,
                Some(e.line()),
                format!(
                    "{name} is a leftover: with {} set it is not used",
                    overridden.join(" and ")
                ),
            )
            .suggest(fixed_by(&format!("remove it ({what})"), rule))
        } else if release.index < from.index {
            Finding::new(
                DEPRECATED,
                Some(e.line()),
                format!(
                    "{name} still works in {}, but stops working in {}: {}",
                    release.info.core().title,
                    from.info.core().title,
                    st.why.trim()
                ),
            )
            .suggest(fixed_by(&what, rule))
        } else {
            Finding::new(
                OBSOLETE_VALUE,
                Some(e.line()),
                format!("{name} no longer works: {}", st.why.trim()),
            )
            .severity(severity(st.severity))
            .suggest(fixed_by(&what, rule))
        };
        out.push(f.about(e));
    }
}
