//! Checks across data files: every option that release data or a migration
//! rule names must exist in the releases it concerns. One place for the
//! build script (which checks the built-in data) and for
//! [`Catalog::validate`](super::Catalog::validate) (data read with
//! `--releases-dir`). Uses nothing but `std` and the other `#[path]`-shared
//! files.

use super::OptionRef;
use super::history::HistoryIndex;
use super::model::ReleaseFile;

/// What a piece of data needs of the options it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// One of them is known (live or an old name) in every release from
    /// index `from` up to, not including, `until`.
    KnownThroughout { from: usize, until: usize },
    /// One of them is a live option of release `at`: what a rule writes.
    LiveAt(usize),
    /// One of them is known in some release up to and including `at`: what
    /// a rule reads. A wildcard (`group/*`) needs its group known.
    KnownBy(usize),
}

/// Data naming options: where it is (the file, and what in it, for the
/// message), the options (any of which will do), and what it needs of them.
#[derive(Debug, Clone)]
pub struct Claim {
    pub file: String,
    pub what: String,
    pub options: Vec<OptionRef>,
    pub need: Need,
}

/// What the `release.toml` files claim: each requirement's options exist
/// from its release until its `until`, each database's option in its own
/// release. `releases` are in catalog order; `files[i]` names the file of
/// `releases[i]`.
pub fn release_claims(releases: &[&ReleaseFile], files: &[String]) -> Result<Vec<Claim>, Broken> {
    let mut out = Vec::new();
    for (i, r) in releases.iter().enumerate() {
        for req in &r.requirements {
            let until = match &req.until {
                Some(u) => releases
                    .iter()
                    .position(|x| &x.name == u)
                    .ok_or_else(|| Broken {
                        file: files[i].clone(),
                        message: format!("requirement {:?}: until {u:?} is not a release", req.id),
                    })?,
                None => releases.len(),
            };
            for any in &req.options {
                out.push(Claim {
                    file: files[i].clone(),
                    what: format!("requirement {:?}", req.id),
                    options: any.options().to_vec(),
                    need: Need::KnownThroughout { from: i, until },
                });
            }
        }
        for db in &r.databases {
            let Some(option) = &db.option else { continue };
            out.push(Claim {
                file: files[i].clone(),
                what: format!("database {:?}", db.name),
                options: vec![option.clone()],
                need: Need::KnownThroughout {
                    from: i,
                    until: i + 1,
                },
            });
        }
    }
    Ok(out)
}

/// A claim that does not hold: the file, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// Checks every claim against the history index; `names[i]` is the name of
/// release `i`, for messages.
pub fn check_claims(index: &HistoryIndex, claims: &[Claim], names: &[&str]) -> Result<(), Broken> {
    let mask = |o: &OptionRef, live_only: bool| -> u32 {
        if o.is_wildcard() {
            return index.group_known(o.group());
        }
        index
            .history(o)
            .map_or(0, |h| if live_only { h.live } else { h.known() })
    };
    let any = |c: &Claim, live_only: bool, bits: u32| {
        c.options.iter().any(|o| mask(o, live_only) & bits != 0)
    };
    let shown = |c: &Claim| {
        c.options
            .iter()
            .map(OptionRef::spec)
            .collect::<Vec<_>>()
            .join("|")
    };
    for c in claims {
        match c.need {
            Need::KnownThroughout { from, until } => {
                let span = names.iter().enumerate().take(until).skip(from);
                for (at, name) in span {
                    if !any(c, false, 1 << at) {
                        return Err(broken(
                            c,
                            format!("names {}, which {name} does not have", shown(c)),
                        ));
                    }
                }
            }
            Need::LiveAt(at) => {
                if !any(c, true, 1 << at) {
                    let release = names.get(at).unwrap_or(&"?");
                    return Err(broken(
                        c,
                        format!("writes {}, which {release} does not have", shown(c)),
                    ));
                }
            }
            Need::KnownBy(at) => {
                let up_to = if at >= 31 {
                    u32::MAX
                } else {
                    (1u32 << (at + 1)) - 1
                };
                if !any(c, false, up_to) {
                    let release = names.get(at).unwrap_or(&"?");
                    return Err(broken(
                        c,
                        format!("reads {}, which no release up to {release} has", shown(c)),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn broken(c: &Claim, message: String) -> Broken {
    Broken {
        file: c.file.clone(),
        message: format!("{} {message}", c.what),
    }
}
