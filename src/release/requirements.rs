//! Which options a role must set in a release, and which a config lacks:
//! one answer for `check` (findings) and `migrate` (manual steps).

use super::model::Requirement;
use super::{Catalog, Inventory, Lookup, Release, Role};
use crate::conf::{AnyOf, Document, OptionRef};
use std::collections::HashSet;

/// A requirement a config does not meet.
#[derive(Debug, Clone)]
pub struct Missing<'c> {
    pub requirement: &'c Requirement,
    /// The release that declares it (it holds from there on).
    pub declared_in: &'c Release,
    /// The entries of `requirement.options` that nothing in the file sets.
    pub missing: Vec<&'c AnyOf>,
}

impl Missing<'_> {
    /// Every option named by the missing entries.
    pub fn options(&self) -> impl Iterator<Item = &OptionRef> {
        self.missing.iter().flat_map(|a| a.options())
    }

    /// `[g] a, [g] b or [g] c`.
    pub fn list(&self) -> String {
        self.missing
            .iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The options a document sets, under the names `inv` gives them (an old
/// name counts as the option it belongs to; an option the release does not
/// know, under its own name).
#[cfg(test)]
pub(super) fn options_set(doc: &Document, inv: &Inventory) -> HashSet<OptionRef> {
    doc.entries()
        .map(|e| {
            let o = e.option();
            inv.canonical(&o).unwrap_or(o)
        })
        .collect()
}

/// Which of `wanted` (each under the name `inv` gives it) a document sets,
/// as [`options_set`] would say: without a set of every option of the file
/// (a large one has millions), and without making a name for each key the
/// release does not know.
pub(super) fn wanted_set(
    doc: &Document,
    inv: &Inventory,
    wanted: &[OptionRef],
) -> HashSet<OptionRef> {
    let want: hashbrown::HashSet<(&str, &str)> =
        wanted.iter().map(|o| (o.group(), o.name())).collect();
    // Entries of a section come together: what the inventory says of its
    // group is asked once for them all.
    let mut here: Option<(u32, &str, Option<&str>)> = None;
    doc.entries()
        .filter_map(|e| {
            let section = doc.lines[e.index()].section;
            let (group, pattern) = match here {
                Some((s, group, pattern)) if s == section => (group, pattern),
                _ => {
                    let group = e.group();
                    let pattern = inv.pattern_of(group);
                    here = Some((section, group, pattern));
                    (group, pattern)
                }
            };
            let key = e.key();
            let o = match inv.lookup_as(group, pattern, &key) {
                Lookup::Live(d) => d.entry.superseded_by.clone().unwrap_or_else(|| d.id()),
                Lookup::Alias(targets) => targets[0].id(),
                // The group is normalised already: the name is made only
                // for a key that is wanted.
                Lookup::Unknown if !want.contains(&(group, &*key)) => return None,
                Lookup::Unknown => OptionRef::new(group, &key),
            };
            want.contains(&(o.group(), o.name())).then_some(o)
        })
        .collect()
}

impl Catalog {
    /// The requirements in force at `release`: declared by it or an earlier
    /// release, and not ended (`until`) by then.
    pub fn requirements_at<'c>(
        &'c self,
        release: &Release,
    ) -> impl Iterator<Item = (&'c Release, &'c Requirement)> + Clone + 'c {
        let at = release.index;
        self.releases[..=at].iter().flat_map(move |r| {
            r.info
                .core()
                .requirements
                .iter()
                .filter(move |req| {
                    req.until
                        .as_deref()
                        .and_then(|u| self.get(u))
                        .is_none_or(|until| until.index > at)
                })
                .map(move |req| (r, req))
        })
    }

    /// The requirements in force at `release` that `role` (with `None`:
    /// any role) must meet and `doc` does not, in release order. An option
    /// counts as set under any name `release` reads it by.
    pub fn missing_requirements<'c>(
        &'c self,
        doc: &Document,
        release: &'c Release,
        role: Option<Role>,
    ) -> Result<Vec<Missing<'c>>, super::CatalogError> {
        let inv = release.inventory()?;
        let canonical = |o: &OptionRef| inv.canonical(o).unwrap_or_else(|| o.clone());
        let wanted: Vec<OptionRef> = self
            .requirements_at(release)
            .filter(|(_, req)| role.is_none_or(|role| req.roles.contains(&role)))
            .flat_map(|(_, req)| req.options.iter())
            .flat_map(|any| any.options().iter().map(canonical))
            .collect();
        let set = wanted_set(doc, inv, &wanted);
        let is_set = |o: &OptionRef| set.contains(&canonical(o));
        Ok(self
            .requirements_at(release)
            .filter(|(_, req)| role.is_none_or(|role| req.roles.contains(&role)))
            .filter_map(|(declared_in, req)| {
                let missing: Vec<&AnyOf> = req
                    .options
                    .iter()
                    .filter(|any| !any.options().iter().any(is_set))
                    .collect();
                (!missing.is_empty()).then_some(Missing {
                    requirement: req,
                    declared_in,
                    missing,
                })
            })
            .collect())
    }
}
