//! Which release a guide describes: from documentation URLs, product names,
//! package and service names, the endpoint and client forms of the time, and
//! the options only some releases know (the catalog's history). Each piece
//! of evidence names the releases it fits; the releases most evidence agrees
//! on win, and a tie is a range.

use super::analyze::Facts;
use super::ini::Placed;
use super::scan;
use crate::conf::Document;
use crate::release::Catalog;
use crate::release::detect;
use std::collections::HashSet;

/// The release a guide is for: `from`–`to` (equal when sure), and why.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReleaseGuess {
    pub from: Option<String>,
    pub to: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// One reason, with the guide line it comes from and the releases it fits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The guide it comes from.
    pub guide: String,
    pub line: Option<usize>,
    pub what: String,
    /// `juno`, `mitaka–newton`, or a release stackhop does not know.
    pub fits: String,
}

/// Releases after the last one stackhop knows, by name and number.
const LATER: &[(&str, &str)] = &[
    ("xena", "xena"),
    ("yoga", "yoga"),
    ("zed", "zed"),
    ("antelope", "2023.1 antelope"),
    ("2023.1", "2023.1 antelope"),
    ("bobcat", "2023.2 bobcat"),
    ("2023.2", "2023.2 bobcat"),
    ("caracal", "2024.1 caracal"),
    ("2024.1", "2024.1 caracal"),
    ("dalmatian", "2024.2 dalmatian"),
    ("2024.2", "2024.2 dalmatian"),
    ("epoxy", "2025.1 epoxy"),
    ("2025.1", "2025.1 epoxy"),
    ("flamingo", "2025.2 flamingo"),
    ("2025.2", "2025.2 flamingo"),
];

/// Forms of commands and endpoints that only some guides used. Each names
/// the oldest and newest release whose install guide shows it.
const FORMS: &[(&str, &str, &str, &str)] = &[
    (
        "keystone user-create",
        "the keystone v2 CLI (keystone user-create …)",
        "icehouse",
        "juno",
    ),
    (
        "keystone endpoint-create",
        "the keystone v2 CLI (keystone endpoint-create …)",
        "icehouse",
        "juno",
    ),
    (
        "--publicurl",
        "endpoints created with --publicurl/--internalurl/--adminurl in one call",
        "icehouse",
        "liberty",
    ),
    (
        "8774/v2/%(tenant_id)s",
        "the compute endpoint http://…:8774/v2/%(tenant_id)s",
        "icehouse",
        "liberty",
    ),
    (
        "8774/v2/%\\(tenant_id\\)s",
        "the compute endpoint http://…:8774/v2/%(tenant_id)s",
        "icehouse",
        "liberty",
    ),
    (
        "8774/v2.1/%(tenant_id)s",
        "the compute endpoint http://…:8774/v2.1/%(tenant_id)s",
        "mitaka",
        "newton",
    ),
    (
        "8774/v2.1/%\\(tenant_id\\)s",
        "the compute endpoint http://…:8774/v2.1/%(tenant_id)s",
        "mitaka",
        "newton",
    ),
    (
        ":8778",
        "a placement endpoint (port 8778)",
        "ocata",
        "wallaby",
    ),
];

struct Item {
    mask: u64,
    weight: u32,
    evidence: Evidence,
}

fn mask_of(catalog: &Catalog, names: &[&str]) -> u64 {
    names
        .iter()
        .filter_map(|n| catalog.get(n))
        .fold(0, |m, r| m | (1u64 << r.index))
}

fn range_mask(catalog: &Catalog, from: &str, to: &str) -> u64 {
    match (catalog.get(from), catalog.get(to)) {
        (Some(a), Some(b)) => (a.index..=b.index).fold(0, |m, i| m | (1u64 << i)),
        _ => 0,
    }
}

fn fits(catalog: &Catalog, mask: u64) -> String {
    let names: Vec<String> = catalog
        .releases()
        .iter()
        .filter(|r| mask & (1 << r.index) != 0)
        .map(|r| r.name().to_string())
        .collect();
    detect::ranges(catalog, &names)
}

/// Words of a text, split at anything that is not a letter, digit, `.` or `-`.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-' || c == '_'))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
}

/// Release names a text gives in a way that means the release: in a
/// documentation URL, `cloud-archive:R`, `centos-release-openstack-R`,
/// `stable/R`, `OpenStack R`, or (in a heading) `R` capitalized.
fn named(catalog: &Catalog, text: &str, heading: bool) -> Vec<(String, bool)> {
    const MARKS: &[&str] = &[
        "docs.openstack.org/",
        "cloud-archive:",
        "centos-release-openstack-",
        "stable/",
        "openstack-release-",
        "-eol",
    ];
    // Lower-casing makes ASCII only from ASCII and the Kelvin sign: without
    // a mark in any case, the lower-cased text has none either.
    let marked = MARKS.iter().any(|m| scan::contains_ci(text, m)) || text.contains('\u{212a}');
    let mut out = Vec::new();
    let mut consider = |word: &str| {
        if let Some(r) = catalog.get(word) {
            out.push((r.name().to_string(), true));
        } else if let Some((_, later)) = LATER.iter().find(|(k, _)| *k == word) {
            out.push((later.to_string(), false));
        }
    };
    let lower = if marked {
        text.to_lowercase()
    } else {
        String::new()
    };
    for i in scan::find_iter(&lower, "docs.openstack.org/") {
        let rest = &lower[i..];
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | '`' | ']'))
            .unwrap_or(rest.len());
        for seg in rest[..end].split('/') {
            consider(seg);
        }
    }
    for prefix in [
        "cloud-archive:",
        "centos-release-openstack-",
        "stable/",
        "openstack-release-",
        "-eol",
    ] {
        for i in scan::find_iter(&lower, prefix) {
            if prefix == "-eol" {
                let before = &lower[..i];
                let start = before
                    .rfind(|c: char| !c.is_ascii_alphanumeric())
                    .map_or(0, |s| s + 1);
                consider(&before[start..]);
                continue;
            }
            let rest = &lower[i + prefix.len()..];
            let end = rest
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '.')
                .unwrap_or(rest.len());
            consider(rest[..end].trim_end_matches('.'));
        }
    }
    // A release name counts after "OpenStack", or capitalized in a heading.
    let ws: Vec<&str> = if heading || scan::contains_ci(text, "openstack") {
        words(text).collect()
    } else {
        Vec::new()
    };
    for (i, w) in ws.iter().enumerate() {
        let after_openstack = i > 0 && ws[i - 1].eq_ignore_ascii_case("openstack");
        let capitalized = w.chars().next().is_some_and(char::is_uppercase);
        if after_openstack || (heading && capitalized) {
            consider(&w.to_lowercase());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The settings of every nova config, as one document whose line `2i + 2`
/// is setting `i` (for `check::detect`).
fn combined(settings: &[&Placed]) -> Option<Document> {
    let mut text = String::new();
    for s in settings {
        text.push('[');
        text.push_str(&s.section);
        text.push_str("]\n");
        text.push_str(&s.key);
        text.push_str(" = x\n");
    }
    Document::parse_lenient(text.into_bytes()).ok()
}

pub(crate) fn guess(
    catalog: &Catalog,
    facts: &Facts,
    headings: &HashSet<u32>,
    nova: &[&Placed],
) -> ReleaseGuess {
    let mut items: Vec<Item> = Vec::new();
    let mut seen_names: HashSet<String> = HashSet::new();
    let mut later: Vec<Evidence> = Vec::new();
    // A cue read before (the same text, a heading or not) gives nothing
    // new: everything it names is in `seen_names` already.
    let mut read: HashSet<(&str, bool)> = HashSet::new();
    for (line, text) in &facts.cues {
        let heading = headings.contains(line);
        if !read.insert((text.as_str(), heading)) {
            continue;
        }
        for (name, known) in named(catalog, text, heading) {
            if !seen_names.insert(name.clone()) {
                continue;
            }
            let shown: String = text.chars().take(100).collect();
            let evidence = Evidence {
                guide: String::new(),
                line: Some(*line as usize),
                what: format!("names {name}: {shown}"),
                fits: name.clone(),
            };
            if known {
                items.push(Item {
                    mask: mask_of(catalog, &[&name]),
                    weight: 3,
                    evidence,
                });
            } else {
                later.push(Evidence {
                    fits: format!("{name} (later than the releases stackhop knows)"),
                    ..evidence
                });
            }
        }
        for (needle, what, from, to) in FORMS {
            if scan::contains_ci(text, needle) && seen_names.insert(what.to_string()) {
                let mask = range_mask(catalog, from, to);
                items.push(Item {
                    mask,
                    weight: 1,
                    evidence: Evidence {
                        guide: String::new(),
                        line: Some(*line as usize),
                        what: what.to_string(),
                        fits: fits(catalog, mask),
                    },
                });
            }
        }
    }
    let all: u64 = catalog.releases().iter().fold(0, |m, r| m | (1 << r.index));
    for (line, name) in &facts.packages {
        if !seen_names.insert(format!("package {name}")) {
            continue;
        }
        let mask = catalog
            .releases()
            .iter()
            .filter(|r| {
                r.info
                    .services
                    .iter()
                    .any(|s| s.name == *name || s.ubuntu.iter().chain(&s.rdo).any(|p| p == name))
            })
            .fold(0, |m, r| m | (1u64 << r.index));
        if mask != 0 && mask != all {
            items.push(Item {
                mask,
                weight: 1,
                evidence: Evidence {
                    guide: String::new(),
                    line: Some(*line as usize),
                    what: format!("package or service {name}"),
                    fits: fits(catalog, mask),
                },
            });
        }
    }
    if let Some(doc) = combined(nova) {
        if let Ok(d) = detect::detect(&doc, catalog) {
            // The releases that know every option the guide sets (under
            // its name or an old one); the best scores when none does.
            let knowing: Vec<_> = d
                .candidates
                .iter()
                .filter(|c| c.unknown == 0)
                .map(|c| c.release)
                .collect();
            let best = if knowing.is_empty() {
                d.best()
            } else {
                knowing
            };
            if !best.is_empty()
                && d.candidates
                    .first()
                    .is_some_and(|c| c.current + c.old_names > 0)
            {
                let mask = best.iter().fold(0, |m, r| m | (1u64 << r.index));
                let mut ev = d.evidence.clone();
                ev.sort_by_key(|e| (e.current_in.len() + e.old_name_in.len(), e.line));
                let named_options: Vec<String> = ev
                    .iter()
                    .take(4)
                    .map(|e| {
                        let line = nova
                            .get((e.line / 2).saturating_sub(1))
                            .map_or(0, |p| p.line);
                        let known: Vec<String> =
                            e.current_in.iter().chain(&e.old_name_in).cloned().collect();
                        format!(
                            "[{}] {} (line {line}: {})",
                            e.section,
                            e.key,
                            detect::ranges(catalog, &known)
                        )
                    })
                    .collect();
                let what = if named_options.is_empty() {
                    format!("the {} nova options the guide sets", nova.len())
                } else {
                    format!(
                        "the {} nova options the guide sets, e.g. {}",
                        nova.len(),
                        named_options.join(", ")
                    )
                };
                items.push(Item {
                    mask,
                    weight: 2,
                    evidence: Evidence {
                        guide: String::new(),
                        line: None,
                        what,
                        fits: fits(catalog, mask),
                    },
                });
            }
        }
    }
    let mut score = vec![0u32; catalog.releases().len()];
    for item in &items {
        for (i, s) in score.iter_mut().enumerate() {
            if item.mask & (1 << i) != 0 {
                *s += item.weight;
            }
        }
    }
    let top = score.iter().copied().max().unwrap_or(0);
    let mut evidence: Vec<Evidence> = items.into_iter().map(|i| i.evidence).collect();
    evidence.extend(later);
    if top == 0 {
        return ReleaseGuess {
            from: None,
            to: None,
            evidence,
        };
    }
    let best: Vec<usize> = (0..score.len()).filter(|&i| score[i] == top).collect();
    let name = |i: usize| catalog.releases().get(i).map(|r| r.name().to_string());
    ReleaseGuess {
        from: best.first().and_then(|&i| name(i)),
        to: best.last().and_then(|&i| name(i)),
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_urls_and_titles() {
        let c = Catalog::embedded().unwrap();
        assert_eq!(
            named(
                &c,
                "see https://docs.openstack.org/nova/wallaby/install/",
                false
            ),
            [("wallaby".to_string(), true)]
        );
        assert_eq!(
            named(&c, "OpenStack Juno Installation Guide", false),
            [("juno".to_string(), true)]
        );
        assert_eq!(named(&c, "We train the model", false), []);
        assert_eq!(
            named(&c, "add-apt-repository cloud-archive:caracal", false),
            [("2024.1 caracal".to_string(), false)]
        );
        assert_eq!(
            named(&c, "Newton 설치", true),
            [("newton".to_string(), true)]
        );
    }
}
