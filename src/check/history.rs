//! Where an option or group stands across releases: removed before the
//! release checked, not there yet, renamed; and what the user may have meant.
//! Answers come from the catalog's history index, without loading other
//! releases' inventories.

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

/// Removed before `release` or introduced after it, given the releases that
/// know the name (bit mask).
fn placed<'c>(catalog: &'c Catalog, release: &Release, known: u32) -> History<'c> {
    let releases = catalog.releases();
    let before = known & ((1u32 << release.index) - 1);
    if before != 0 {
        let last = 31 - before.leading_zeros() as usize;
        return History::Removed {
            last: &releases[last],
            removed_in: &releases[last + 1],
            replacement: None,
        };
    }
    let after = known.checked_shr(release.index as u32 + 1).unwrap_or(0);
    if after != 0 {
        let first = release.index + 1 + after.trailing_zeros() as usize;
        return History::Future {
            introduced_in: &releases[first],
        };
    }
    History::Never
}

/// The history of `[group] key` relative to `release`, where it is unknown.
pub fn option<'c>(
    catalog: &'c Catalog,
    release: &'c Release,
    inv: &Inventory,
    group: &str,
    key: &str,
) -> Result<History<'c>, CatalogError> {
    let Some(h) = catalog.history()?.get(group, key) else {
        return Ok(History::Never);
    };
    Ok(match placed(catalog, release, h.known()) {
        History::Removed {
            last, removed_in, ..
        } => History::Removed {
            last,
            removed_in,
            replacement: h.target_in(last.index).and_then(|t| current_name(inv, t)),
        },
        other => other,
    })
}

/// The history of a whole group relative to `release`, where it is unknown.
pub fn group<'c>(
    catalog: &'c Catalog,
    release: &'c Release,
    group: &str,
) -> Result<History<'c>, CatalogError> {
    Ok(placed(
        catalog,
        release,
        catalog.history()?.group_known(group),
    ))
}

/// `group/name` as `[group] name` if the inventory reads it, following an
/// old name to the option it now is.
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
