//! Which releases a config file fits, judged by the option names it uses.
//!
//! Each release scores the file: an option it has under that name counts
//! two, one it still reads under an old name counts one, one it does not
//! know costs two. The evidence is the options only some releases know.

use crate::conf::Document;
use crate::release::{Catalog, CatalogError, Release};

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
    /// best fits, so that no upgrade step on the way is skipped. `None` when
    /// no option of the file is known to any release (an empty file, only
    /// comments, only unknown names): nothing tells one release from another.
    pub fn guess(&self) -> Option<&'c Release> {
        if self
            .candidates
            .iter()
            .all(|c| c.current == 0 && c.old_names == 0)
        {
            return None;
        }
        self.best().first().copied()
    }
}

/// Scores every release of the catalog against the file, from the
/// catalog's history index (no inventory is loaded).
pub fn detect<'c>(doc: &Document, catalog: &'c Catalog) -> Result<Detection<'c>, CatalogError> {
    let index = catalog.history()?;
    let releases = catalog.releases();
    let mut candidates: Vec<Candidate> = releases
        .iter()
        .map(|release| Candidate {
            release,
            current: 0,
            old_names: 0,
            unknown: 0,
            score: 0,
        })
        .collect();
    let mut evidence = Vec::new();
    let all = ((1u64 << releases.len()) - 1) as u32;
    for e in doc.entries() {
        let key = e.key();
        let (live, alias) = index
            .get(e.group(), &key)
            .map_or((0, 0), |h| (h.live, h.alias));
        let gap = index.gap_mask(e.group(), &key);
        for c in candidates.iter_mut() {
            let bit = 1u32 << c.release.index;
            if live & bit != 0 {
                c.current += 1;
            } else if alias & bit != 0 {
                c.old_names += 1;
            } else if gap & bit == 0 {
                c.unknown += 1;
            }
        }
        if (live | alias) != 0 && live != all {
            let names = |mask: u32| {
                releases
                    .iter()
                    .filter(|r| mask & (1 << r.index) != 0)
                    .map(|r| r.info.core().name.clone())
                    .collect()
            };
            evidence.push(Evidence {
                section: e.section().to_string(),
                key: key.into_owned(),
                line: e.line(),
                current_in: names(live),
                old_name_in: names(alias),
            });
        }
    }
    for c in &mut candidates {
        c.score = 2 * c.current as i64 + c.old_names as i64 - 2 * c.unknown as i64;
    }
    candidates.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.release.index.cmp(&b.release.index))
    });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_with_no_known_option_gives_no_guess() {
        let catalog = Catalog::load(None).unwrap();
        for text in [
            "",
            "\n# only a comment\n",
            "[DEFAULT]\n",
            "[x]\nnot_an_option = 1\n",
        ] {
            let doc = Document::parse(text).unwrap();
            assert!(
                detect(&doc, &catalog).unwrap().guess().is_none(),
                "{text:?}"
            );
        }
        let doc = Document::parse("[DEFAULT]\nrpc_backend = rabbit\n").unwrap();
        assert!(detect(&doc, &catalog).unwrap().guess().is_some());
    }
}
