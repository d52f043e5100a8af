//! Where an option or group stands across releases: removed before the
//! release checked, not there yet, renamed; and what the user may have meant.

use crate::release::{Catalog, CatalogError, Inventory, Lookup, Release};

/// An option (or group) unknown in the release checked, seen elsewhere.
#[derive(Debug)]
pub enum History<'c> {
    /// Known up to `last`, gone from `removed_in` on.
    Removed {
        last: &'c Release,
        removed_in: &'c Release,
        /// What took its place, as the release checked names it.
        replacement: Option<String>,
    },
    /// Not known before `introduced_in`, a release after the one checked.
    Future { introduced_in: &'c Release },
    /// No release of the catalog knows it.
    Never,
}

/// The history of `[group] key` relative to `release`, where it is unknown.
pub fn option<'c>(
    catalog: &'c Catalog,
    release: &'c Release,
    group: &str,
    key: &str,
) -> Result<History<'c>, CatalogError> {
    let releases = catalog.releases();
    for i in (0..release.index).rev() {
        let inv = releases[i].inventory()?;
        let replacement = match inv.lookup(group, key) {
            Lookup::Unknown => continue,
            Lookup::Alias(targets) => Some(format!("{}/{}", targets[0].group, targets[0].name())),
            Lookup::Live(o) => o.entry.superseded_by.clone(),
        };
        let here = release.inventory()?;
        return Ok(History::Removed {
            last: &releases[i],
            removed_in: &releases[i + 1],
            replacement: replacement.and_then(|r| current_name(here, &r)),
        });
    }
    for r in &releases[release.index + 1..] {
        if !matches!(r.inventory()?.lookup(group, key), Lookup::Unknown) {
            return Ok(History::Future { introduced_in: r });
        }
    }
    Ok(History::Never)
}

/// The history of a whole group relative to `release`, where it is unknown.
pub fn group<'c>(
    catalog: &'c Catalog,
    release: &'c Release,
    group: &str,
) -> Result<History<'c>, CatalogError> {
    let releases = catalog.releases();
    for i in (0..release.index).rev() {
        if releases[i].inventory()?.knows_group(group) {
            return Ok(History::Removed {
                last: &releases[i],
                removed_in: &releases[i + 1],
                replacement: None,
            });
        }
    }
    for r in &releases[release.index + 1..] {
        if r.inventory()?.knows_group(group) {
            return Ok(History::Future { introduced_in: r });
        }
    }
    Ok(History::Never)
}

/// `group/name` as `[group] name` if the inventory reads it, following an
/// alias to the option it now is.
fn current_name(inv: &Inventory, option: &str) -> Option<String> {
    let (g, n) = option.split_once('/')?;
    match inv.lookup(&crate::conf::normalize_group(g), n) {
        Lookup::Live(o) => Some(o.display()),
        Lookup::Alias(t) => Some(t[0].display()),
        Lookup::Unknown => None,
    }
}

/// The option the user most likely meant by an unknown `[group] key`: the
/// same key in another group, an old spelling's new name, or a close spelling.
pub fn did_you_mean(inv: &Inventory, group: &str, key: &str) -> Option<String> {
    let elsewhere = inv
        .options()
        .iter()
        .filter(|o| o.name() == key && o.group != group)
        .map(|o| o.display())
        .next();
    if elsewhere.is_some() {
        return elsewhere;
    }
    let renamed = inv
        .options()
        .iter()
        .find(|o| o.aliases().any(|(_, n)| n == key));
    if let Some(o) = renamed {
        return Some(o.display());
    }
    let score = |o: &crate::release::OptionDef| {
        let d = strsim::damerau_levenshtein(o.name(), key);
        let same_group = crate::conf::normalize_group(&o.group) == group;
        (d, !same_group)
    };
    let limit = if key.len() <= 4 { 1 } else { 2 };
    inv.options()
        .iter()
        .filter(|o| score(o).0 <= limit)
        .min_by_key(|o| score(o))
        .map(|o| o.display())
}
