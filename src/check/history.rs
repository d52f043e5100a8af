//! Where an option or group stands across releases: removed before the
//! release checked, not there yet, renamed; and what the user may have meant.
//! Answers come from the catalog's history index, without loading other
//! releases' inventories.

use crate::release::{Catalog, CatalogError, Inventory, Release};

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
            replacement: h
                .target_in(last.index)
                .and_then(|t| inv.current(t))
                .map(|o| o.display()),
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

/// How many characters one name has that the other lacks (the larger of
/// the two counts): a lower bound of the edit distance, cheap to compute.
fn bag_distance(a: &str, b: &str) -> usize {
    let mut counts = [0i32; 128];
    let (mut extra_a, mut extra_b) = (0usize, 0usize);
    for c in a.bytes() {
        match counts.get_mut(usize::from(c)) {
            Some(n) => *n += 1,
            None => return 0, // not ASCII: no bound, compare in full
        }
    }
    for c in b.bytes() {
        match counts.get_mut(usize::from(c)) {
            Some(n) => *n -= 1,
            None => return 0,
        }
    }
    for n in counts {
        if n > 0 {
            extra_a += n as usize;
        } else {
            extra_b += (-n) as usize;
        }
    }
    extra_a.max(extra_b)
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
        .find(|o| o.aliases().any(|a| a.name() == key));
    if let Some(o) = renamed {
        return Some(o.display());
    }
    // A close spelling: at most one edit for short names, two otherwise
    // (optimal string alignment: a swap of two letters is one edit). Names
    // whose length differs by more cannot be that close; skip them first.
    let limit = if key.len() <= 4 { 1 } else { 2 };
    let close = |o: &crate::release::OptionDef| {
        let name = o.name();
        if name.len().abs_diff(key.len()) > limit || bag_distance(name, key) > limit {
            return None;
        }
        let d = strsim::osa_distance(name, key);
        let other_group = crate::conf::normalize_group(&o.group) != group;
        (d <= limit).then_some((d, other_group))
    };
    inv.options()
        .iter()
        .filter_map(|o| close(o).map(|score| (score, o)))
        .min_by_key(|(score, _)| *score)
        .map(|(_, o)| o)
        .map(|o| o.display())
}

#[cfg(test)]
mod tests {
    use super::bag_distance;

    #[test]
    fn bag_distance_never_exceeds_the_edit_distance() {
        let words = [
            "transport_url",
            "transport_ur1",
            "tarnsport_url",
            "virt_type",
            "my_ip",
            "",
            "é_x",
            "server_listen",
            "server_listn",
        ];
        for a in words {
            for b in words {
                assert!(bag_distance(a, b) <= strsim::osa_distance(a, b), "{a} {b}");
            }
        }
        assert_eq!(bag_distance("abcd", "abxd"), 1);
    }
}
