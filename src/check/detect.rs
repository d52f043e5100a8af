//! Which releases a config file fits, judged by the option names it uses.
//!
//! Each release scores the file: an option it has under that name counts
//! two, one it still reads under an old name counts one, one it does not
//! know costs two. The evidence is the options only some releases know.

use crate::conf::Document;
use crate::release::{Catalog, CatalogError, Lookup, Release};

/// How well one release fits the file.
#[derive(Debug)]
pub struct Candidate<'c> {
    pub release: &'c Release,
    /// Options the release has under the name the file uses.
    pub current: usize,
    /// Options the release reads under an old name.
    pub old_names: usize,
    /// Options the release does not know.
    pub unknown: usize,
    pub score: i64,
}

/// An option whose name only some releases know.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub section: String,
    pub key: String,
    pub line: usize,
    /// Releases that have the option under this name.
    pub current_in: Vec<String>,
    /// Releases that read it as an old name of another option.
    pub old_name_in: Vec<String>,
}

#[derive(Debug)]
pub struct Detection<'c> {
    /// Best first; ties in catalog order.
    pub candidates: Vec<Candidate<'c>>,
    pub evidence: Vec<Evidence>,
}

impl<'c> Detection<'c> {
    /// The releases sharing the best score, oldest first.
    pub fn best(&self) -> Vec<&'c Release> {
        let Some(top) = self.candidates.first().map(|c| c.score) else {
            return Vec::new();
        };
        let mut best: Vec<&Release> = self
            .candidates
            .iter()
            .filter(|c| c.score == top)
            .map(|c| c.release)
            .collect();
        best.sort_by_key(|r| r.index);
        best
    }

    /// The release to migrate from when none is given: the oldest of the
    /// best fits, so that no upgrade step on the way is skipped.
    pub fn guess(&self) -> Option<&'c Release> {
        self.best().first().copied()
    }
}

/// Scores every release of the catalog against the file.
pub fn detect<'c>(doc: &Document, catalog: &'c Catalog) -> Result<Detection<'c>, CatalogError> {
    let entries: Vec<_> = doc.entries().collect();
    let mut per_entry: Vec<(Vec<String>, Vec<String>)> =
        vec![(Vec::new(), Vec::new()); entries.len()];
    let mut candidates = Vec::new();
    for release in catalog.releases() {
        let inv = release.inventory()?;
        let (mut current, mut old_names, mut unknown) = (0, 0, 0);
        for (i, e) in entries.iter().enumerate() {
            match inv.lookup(e.group(), &e.key()) {
                Lookup::Live(_) => {
                    current += 1;
                    per_entry[i].0.push(release.info.name.clone());
                }
                Lookup::Alias(_) => {
                    old_names += 1;
                    per_entry[i].1.push(release.info.name.clone());
                }
                Lookup::Unknown if inv.gap_for(e.group(), &e.key()).is_some() => {}
                Lookup::Unknown => unknown += 1,
            }
        }
        let score = 2 * current as i64 + old_names as i64 - 2 * unknown as i64;
        candidates.push(Candidate {
            release,
            current,
            old_names,
            unknown,
            score,
        });
    }
    candidates.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.release.index.cmp(&b.release.index))
    });
    let all = catalog.releases().len();
    let evidence = entries
        .iter()
        .zip(per_entry)
        .filter(|(_, (current, old))| !current.is_empty() || !old.is_empty())
        .filter(|(_, (current, _))| current.len() < all)
        .map(|(e, (current_in, old_name_in))| Evidence {
            section: e.section().to_string(),
            key: e.key().into_owned(),
            line: e.line(),
            current_in,
            old_name_in,
        })
        .collect();
    Ok(Detection {
        candidates,
        evidence,
    })
}

/// `juno, kilo, liberty, newton` → `juno–liberty, newton` given the catalog
/// order (runs of consecutive releases collapse).
pub fn ranges(catalog: &Catalog, names: &[String]) -> String {
    let mut idx: Vec<usize> = names
        .iter()
        .filter_map(|n| catalog.get(n).map(|r| r.index))
        .collect();
    idx.sort_unstable();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && idx[j + 1] == idx[j] + 1 {
            j += 1;
        }
        let first = catalog.releases()[idx[i]].name();
        parts.push(if j > i {
            format!("{first}–{}", catalog.releases()[idx[j]].name())
        } else {
            first.to_string()
        });
        i = j + 1;
    }
    parts.join(", ")
}
