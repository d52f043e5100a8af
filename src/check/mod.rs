//! Findings for a config document against one release.
//!
//! This room owns judging a [`Document`] by what one release of nova reads:
//! unknown, deprecated and removed options (with what replaced them and
//! what was probably meant), values of the wrong type, the traps of
//! oslo.config's syntax (inline comments, indented keys, `$` references,
//! a byte order mark), install-guide placeholders, URL passwords that need
//! encoding, repeated options, and what a role must set. It knows nothing of
//! output formats: a finding carries the raw value it is about, and the
//! report room decides how (and whether) to show it.

mod history;
mod obsolete;
mod refs;
mod types;

use crate::conf::value as values;
use crate::conf::{Document, Entry, OptionRef};
use crate::release::{
    Catalog, CatalogError, Found, Inventory, Lookup, OptionDef, Release, Role, is_secret,
};
use history::History;
use serde::Serialize;
use std::collections::HashMap;
use std::hash::BuildHasher;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A kind of finding: a stable code and name, and why it matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub why: &'static str,
}

macro_rules! kinds {
    ($($id:ident = $code:literal $name:literal $sev:ident: $summary:literal, $why:literal;)*) => {
        $(pub const $id: Kind = Kind {
            code: $code, name: $name, severity: Severity::$sev, summary: $summary, why: $why,
        };)*
        /// Every kind of finding, by code.
        pub const KINDS: &[Kind] = &[$($id),*];
    };
}

kinds! {
    SYNTAX = "C100" "syntax" Error:
        "A line nova's config parser refuses.",
        "oslo.config stops at the first such line and the service does not start.";
    UNKNOWN_OPTION = "C101" "unknown-option" Error:
        "An option this release does not have.",
        "nova ignores options it does not know, so the setting silently has no effect (often a typo or a wrong section).";
    UNKNOWN_SECTION = "C102" "unknown-section" Warning:
        "A section no release of nova reads.",
        "Nothing in it is read by nova; it may belong to another service's config or be misspelled.";
    DEPRECATED = "C103" "deprecated-option" Warning:
        "An option, or a spelling of one, that still works but is going away.",
        "It will stop working in a later release; the replacement works now.";
    REMOVED = "C104" "removed-option" Error:
        "An option removed before this release.",
        "nova no longer reads it, so whatever it set is lost unless its replacement is set.";
    INVALID_VALUE = "C105" "invalid-value" Error:
        "A value nova cannot convert to the option's type, or outside its choices or range.",
        "nova fails when it reads the option, usually at service start.";
    OBSOLETE_VALUE = "C106" "obsolete-value" Error:
        "A value, or an option, this release still reads but no longer acts on as it used to.",
        "The value names something the release removed (a scheduler filter, a driver, an API version) or a form it no longer accepts (a class path, a URL without a scheme), or the option only works through something that is gone: nova fails to start or to serve requests, or silently stops doing what the setting asked. A migration rule rewrites it: the finding names it.";
    INLINE_COMMENT = "C201" "inline-comment" Warning:
        "A comment after a value, or an indented comment under it.",
        "oslo.config has no inline comments: the text is part of the value.";
    INDENTED_KEY = "C202" "indented-assignment" Error:
        "An indented `key = value` line.",
        "A line starting with a space or tab continues the value above it: the option is not set, and the value above is changed.";
    UNDEFINED_REFERENCE = "C203" "undefined-reference" Error:
        "A `$name` in a value that names no option.",
        "oslo.config substitutes `$name` with the option's value and fails when there is none; a literal `$` is written `$$`.";
    REFERENCE_CYCLE = "C207" "reference-cycle" Error:
        "`$name` references that lead back to the option they started from.",
        "oslo.config substitutes a reference with the value of the option it names, references in that value too (a default's as well), with no guard against going round: nova recurses until Python gives up and the service does not start.";
    DUPLICATE = "C204" "duplicate-option" Warning:
        "A single-valued option set more than once.",
        "Only one value is used, which is easy to misread.";
    BOM = "C205" "byte-order-mark" Error:
        "The file starts with a UTF-8 byte order mark.",
        "nova reads the mark as text on line 1 and refuses the file.";
    NOT_UTF8 = "C206" "not-utf8" Error:
        "Bytes that are not UTF-8.",
        "nova decodes config files as UTF-8 and refuses the file.";
    PLACEHOLDER = "C301" "placeholder" Warning:
        "A placeholder from an install guide left in a value.",
        "`NOVA_DBPASS`, `RABBIT_PASS` and the like are meant to be replaced.";
    URL_PASSWORD = "C302" "url-password-encoding" Error:
        "A URL whose user or password holds `@`, `/`, `?` or `#` unencoded.",
        "The URL is split in the wrong place, so the host, user or password nova uses are wrong; percent-encode them (`@` is %40, `/` is %2F).";
    MISSING_REQUIRED = "C401" "missing-required" Error:
        "An option a role must set in this release is missing (a warning when the data only recommends it).",
        "The service fails or misbehaves without it; a recommended option (such as the placement region, which only a multi-region cloud needs) is worth setting.";
    ROLE_NOT_CHECKED = "C402" "role-not-checked" Info:
        "What a controller or compute node must set was not checked.",
        "Pass --role controller or --role compute to check it.";
}

impl Kind {
    pub fn by_code(code: &str) -> Option<&'static Kind> {
        KINDS
            .iter()
            .find(|k| k.code.eq_ignore_ascii_case(code) || k.name == code)
    }
}

/// One finding. It holds the raw value it is about, so it is not
/// serialisable: outputs go through the masked view (`report::view`).
///
/// ```compile_fail
/// fn serialisable<T: serde::Serialize>() {}
/// serialisable::<stackhop::check::Finding>();
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// 1-based; absent for findings about the file as a whole.
    pub line: Option<usize>,
    pub section: Option<String>,
    pub key: Option<String>,
    /// What is wrong. Never holds the value of a secret option.
    pub message: String,
    pub suggestion: Option<String>,
    /// The value concerned, as nova reads it; outputs mask it when secret.
    pub value: Option<String>,
    /// The value belongs to a secret option (or looks like one).
    pub secret: bool,
}

impl Finding {
    fn new(kind: Kind, line: Option<usize>, message: impl Into<String>) -> Finding {
        Finding {
            code: kind.code,
            name: kind.name,
            severity: kind.severity,
            line,
            section: None,
            key: None,
            message: message.into(),
            suggestion: None,
            value: None,
            secret: false,
        }
    }

    fn about(mut self, e: &Entry) -> Finding {
        self.section = Some(e.section().to_string());
        self.key = Some(e.key().into_owned());
        self
    }

    fn suggest(mut self, s: impl Into<String>) -> Finding {
        self.suggestion = Some(s.into());
        self
    }

    fn with_value(mut self, value: &str, secret: bool) -> Finding {
        self.value = Some(value.to_string());
        self.secret = secret;
        self
    }

    fn severity(mut self, s: Severity) -> Finding {
        self.severity = s;
        self
    }
}

/// What to check beyond the file itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Check what this role must set.
    pub role: Option<Role>,
}

/// Checks `doc` against `release`. `doc` may come from a lenient parse:
/// the lines nova refuses become findings too.
pub fn check(
    doc: &Document,
    catalog: &Catalog,
    release: &Release,
    options: &Options,
) -> Result<Vec<Finding>, CatalogError> {
    let mut out = Vec::new();
    check_each(doc, catalog, release, options, |f| {
        out.push(f);
        Ok::<(), CatalogError>(())
    })?;
    Ok(out)
}

/// The order of findings: by line (findings about the whole file last),
/// then code, then message.
fn order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    (a.line.is_none(), a.line, a.code, &a.message).cmp(&(
        b.line.is_none(),
        b.line,
        b.code,
        &b.message,
    ))
}

/// [`check`], handing each finding to `sink` in the same order as it is
/// made: the findings of an option are made as its line is reached, so a
/// file with millions of findings never has them all at once. A finding
/// `sink` refuses (an error) stops the check.
pub fn check_each<E: From<CatalogError>>(
    doc: &Document,
    catalog: &Catalog,
    release: &Release,
    options: &Options,
    mut sink: impl FnMut(Finding) -> Result<(), E>,
) -> Result<(), E> {
    let inv = release.inventory()?;
    // Findings not made line by line below, each list in order: before the
    // options' (`early`, `sections`) and after them (`late`) on equal keys.
    let mut early = Vec::new();
    if doc.has_bom() {
        early.push(
            Finding::new(BOM, Some(1), crate::conf::BOM_REASON)
                .suggest("save the file as UTF-8 without a BOM"),
        );
    }
    if let Some(line) = doc.first_invalid_utf8_line() {
        early.push(
            Finding::new(NOT_UTF8, Some(line), crate::conf::NOT_UTF8_REASON)
                .suggest("convert the file to UTF-8"),
        );
    }
    for p in doc.problems() {
        let text = doc.line_text(p.line).unwrap_or_default();
        let mut f = Finding::new(SYNTAX, Some(p.line), p.problem.to_string());
        if let Some(hint) = p.problem.hint(text) {
            f = f.suggest(hint);
        }
        early.push(f);
    }

    // Unknown sections are kept as (line, section id) until their turn: a
    // file can have millions. Whether each section's group is one no
    // release reads is asked once a group and kept by section id, so the
    // options below are skipped with a look at one byte.
    let unknown_group = |group: &str| -> Result<bool, CatalogError> {
        Ok(!(inv.knows_group(group) || gap_group(inv, group))
            && matches!(history::group(catalog, release, group)?, History::Never))
    };
    let mut unknown_ids = vec![false; doc.section_count()];
    let mut sections: Vec<(Option<usize>, u32)> = Vec::new();
    // Read as is, every section has its header line, in id order; but one
    // recovered from a line without its `]` or added by an edit has none.
    let headed = doc.revision() == 0
        && !doc
            .problems()
            .iter()
            .any(|p| p.problem == crate::conf::Problem::NoSectionEnd);
    if headed {
        // The first section of each group, by group: four bytes a group.
        let hasher = hashbrown::DefaultHashBuilder::default();
        let mut firsts: hashbrown::HashTable<u32> =
            hashbrown::HashTable::with_capacity(doc.section_count());
        for (idx, id) in doc.header_ids() {
            let group = doc.group(id);
            let h = hasher.hash_one(group);
            match firsts.find(h, |&f| doc.group(f) == group) {
                Some(&first) => unknown_ids[id as usize] = unknown_ids[first as usize],
                None => {
                    firsts.insert_unique(h, id, |&f| hasher.hash_one(doc.group(f)));
                    let unknown = unknown_group(group)?;
                    unknown_ids[id as usize] = unknown;
                    if unknown {
                        sections.push((Some(idx + 1), id));
                    }
                }
            }
        }
    } else {
        let headers = doc.header_lines();
        let mut seen: HashMap<&str, bool> = HashMap::new();
        for id in 0..doc.section_count() as u32 {
            let group = doc.group(id);
            let unknown = match seen.get(group) {
                Some(&unknown) => unknown,
                None => {
                    let unknown = unknown_group(group)?;
                    seen.insert(group, unknown);
                    if unknown {
                        sections.push((headers.get(group).copied(), id));
                    }
                    unknown
                }
            };
            unknown_ids[id as usize] = unknown;
        }
        sections.sort_unstable_by(|a, b| {
            (a.0.is_none(), a.0)
                .cmp(&(b.0.is_none(), b.0))
                .then_with(|| {
                    order(
                        &unknown_section(a.0, doc.group(a.1)),
                        &unknown_section(b.0, doc.group(b.1)),
                    )
                })
        });
    }
    let skipped = |e: &crate::conf::Entry| unknown_ids[e.section_id() as usize];

    // Each option is searched for once; what was found is kept, four bytes
    // an option, for the passes below.
    let found: Vec<Found> = doc
        .entries()
        .map(|e| {
            if skipped(&e) {
                Found::UNKNOWN
            } else {
                inv.locate(e.group(), &e.key())
            }
        })
        .collect();

    let refs = refs::Values::new(doc, inv, &found);
    cycles(&mut early, &refs);

    // Options set twice are known only once every line is read: a first
    // pass finds them, so they can be said in their place. An occurrence is
    // kept as its line (a file may set an option thousands of times), by
    // option (the inventory's own, so its address names it).
    let duplicated = {
        let mut occurrences: HashMap<usize, (&OptionDef, Vec<Occurrence>)> = HashMap::new();
        for (e, &f) in doc.entries().zip(&found) {
            let (o, canonical) = match inv.found(f) {
                Lookup::Live(o) => (o, true),
                Lookup::Alias(targets) => (targets[0], false),
                Lookup::Unknown => continue,
            };
            occurrences
                .entry(std::ptr::from_ref(o) as usize)
                .or_insert_with(|| (o, Vec::new()))
                .1
                .push(Occurrence {
                    line: e.line() as u32,
                    canonical,
                    multi: o.kind.is_multi(),
                });
        }
        duplicates(occurrences)
    };
    let mut required = Vec::new();
    requirements(&mut required, doc, catalog, release, options)?;
    early.sort_by(order);
    required.sort_by(order);
    let mut rest = Rest {
        early: early.into_iter().peekable(),
        sections: sections
            .into_iter()
            .map(|(line, id)| unknown_section(line, doc.group(id)))
            .peekable(),
        late: Merged {
            a: duplicated
                .into_iter()
                .map(|d| duplicate_finding(doc, &d))
                .peekable(),
            b: required.into_iter().peekable(),
        }
        .peekable(),
    };

    let mut out = Vec::new();
    let mut suggestions = SUGGESTIONS_PER_FILE;
    for (e, &f) in doc.entries().zip(&found) {
        if skipped(&e) {
            continue;
        }
        let key = e.key();
        let value = e.value();
        let target = match inv.found(f) {
            Lookup::Live(o) => {
                deprecated_live(&mut out, catalog, &e, o, release, inv);
                obsolete::stale(&mut out, doc, catalog, release, inv, &e, o);
                Some(o)
            }
            Lookup::Alias(targets) => {
                let t = targets[0];
                let also = if targets.len() > 1 {
                    format!(
                        " (and by {})",
                        targets[1..]
                            .iter()
                            .map(|o| o.display())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                } else {
                    String::new()
                };
                out.push(
                    Finding::new(
                        DEPRECATED,
                        Some(e.line()),
                        format!(
                            "[{}] {key} is an old name of {}, which {} still reads from it{also}",
                            e.section(),
                            t.display(),
                            release.info.core().title
                        ),
                    )
                    .about(&e)
                    .suggest(rename_to(catalog, release, inv, &e.option(), t)),
                );
                Some(t)
            }
            Lookup::Unknown => {
                unknown(&mut out, catalog, release, inv, &e, &mut suggestions)?;
                None
            }
        };
        let secret = is_secret(target, &key);
        traps(&mut out, &e, &value, secret);
        if let Some(o) = target {
            // A value a rule rewrites is said once, with the rule: not
            // again as a value of the wrong type.
            let obsolete = obsolete::values_of(&mut out, catalog, release, &e, o, &value, secret);
            values_of(&mut out, &refs, &e, o, &value, secret, !obsolete);
        } else if let Some(p) = values::placeholder(&value) {
            out.push(placeholder_finding(&e, p, &value, secret));
        }
        // An option's findings are on its lines, after any before them.
        out.sort_by(order);
        for f in out.drain(..) {
            rest.before(&f, &mut sink)?;
            sink(f)?;
        }
    }
    rest.all(&mut sink)
}

/// The findings not made line by line, each list in order, merged into the
/// options' as they come.
struct Rest<A: Iterator<Item = Finding>, B: Iterator<Item = Finding>, C: Iterator<Item = Finding>> {
    early: std::iter::Peekable<A>,
    sections: std::iter::Peekable<B>,
    late: std::iter::Peekable<C>,
}

impl<A, B, C> Rest<A, B, C>
where
    A: Iterator<Item = Finding>,
    B: Iterator<Item = Finding>,
    C: Iterator<Item = Finding>,
{
    /// The next finding of the three lists, the first of equals in the
    /// order they were made (early, sections, late).
    fn next_before(&mut self, bound: Option<&Finding>) -> Option<Finding> {
        use std::cmp::Ordering::*;
        let mut best: Option<(u8, &Finding)> = None;
        let heads = [
            (0, self.early.peek()),
            (1, self.sections.peek()),
            (2, self.late.peek()),
        ];
        for (i, head) in heads {
            let Some(h) = head else { continue };
            if let Some(b) = bound {
                // Made before the options' findings: first on equal keys.
                let ok = match order(h, b) {
                    Less => true,
                    Equal => i < 2,
                    Greater => false,
                };
                if !ok {
                    continue;
                }
            }
            if best.is_none_or(|(_, f)| order(h, f) == Less) {
                best = Some((i, h));
            }
        }
        match best?.0 {
            0 => self.early.next(),
            1 => self.sections.next(),
            _ => self.late.next(),
        }
    }

    /// Hands `sink` every finding that comes before `f`.
    fn before<E>(
        &mut self,
        f: &Finding,
        sink: &mut impl FnMut(Finding) -> Result<(), E>,
    ) -> Result<(), E> {
        while let Some(g) = self.next_before(Some(f)) {
            sink(g)?;
        }
        Ok(())
    }

    /// Hands `sink` the rest.
    fn all<E>(&mut self, sink: &mut impl FnMut(Finding) -> Result<(), E>) -> Result<(), E> {
        while let Some(g) = self.next_before(None) {
            sink(g)?;
        }
        Ok(())
    }
}

fn unknown_section(line: Option<usize>, group: &str) -> Finding {
    Finding::new(
        UNKNOWN_SECTION,
        line,
        format!("no release of nova reads a [{group}] section"),
    )
    .suggest("check the section name; options for other services belong in their own config files")
}

struct Occurrence {
    line: u32,
    /// Written with the option's current name, not an alias.
    canonical: bool,
    multi: bool,
}

/// An occurrence of an option set more than once that nova does not use:
/// its line, and the line of the one nova uses.
struct Duplicate<'i> {
    line: u32,
    winner: u32,
    option: &'i OptionDef,
}

/// Two lists of findings, each in order, merged in order.
struct Merged<A: Iterator<Item = Finding>, B: Iterator<Item = Finding>> {
    a: std::iter::Peekable<A>,
    b: std::iter::Peekable<B>,
}

impl<A: Iterator<Item = Finding>, B: Iterator<Item = Finding>> Iterator for Merged<A, B> {
    type Item = Finding;

    fn next(&mut self) -> Option<Finding> {
        match (self.a.peek(), self.b.peek()) {
            (Some(a), Some(b)) if order(b, a) == std::cmp::Ordering::Less => self.b.next(),
            (Some(_), _) => self.a.next(),
            (None, _) => self.b.next(),
        }
    }
}

fn gap_group(inv: &Inventory, group: &str) -> bool {
    inv.gaps()
        .iter()
        .any(|g| g.groups.iter().any(|x| x == group))
}

/// `rename it to [vnc] server_listen`, naming the rule that does it.
fn rename_to(
    catalog: &Catalog,
    release: &Release,
    inv: &Inventory,
    option: &OptionRef,
    t: &OptionDef,
) -> String {
    let plain = format!("rename it to {}", t.display());
    match obsolete::carried(catalog, release, inv, option) {
        Some((_, rule)) => obsolete::done_by(&plain, &rule),
        None => plain,
    }
}

fn deprecated_live(
    out: &mut Vec<Finding>,
    catalog: &Catalog,
    e: &Entry,
    o: &OptionDef,
    release: &Release,
    inv: &Inventory,
) {
    let by = o.entry.superseded_by.as_ref().map(OptionRef::to_string);
    if !o.entry.deprecated_for_removal && by.is_none() {
        return;
    }
    let since = o
        .entry
        .deprecated_since
        .as_deref()
        .map(|s| format!(" since {s}"))
        .unwrap_or_default();
    let message = match &by {
        Some(by) => format!(
            "{} is deprecated{since}; {by} replaces it and reads this key as its old name",
            o.display()
        ),
        None => format!(
            "{} is deprecated for removal{since} in {}",
            o.display(),
            release.info.core().title
        ),
    };
    let mut f = Finding::new(DEPRECATED, Some(e.line()), message).about(e);
    let rule = obsolete::carried(catalog, release, inv, &e.option());
    match (by, rule) {
        (Some(by), Some((_, rule))) => {
            f = f.suggest(obsolete::done_by(&format!("use {by}"), &rule))
        }
        (Some(by), None) => f = f.suggest(format!("use {by}")),
        (None, Some((said, rule))) => f = f.suggest(obsolete::done_by(&said, &rule)),
        (None, None) => {}
    }
    out.push(f);
}

/// How many unknown options of a file get a did-you-mean: past that many, a
/// file is not one with a few typos, and the search would only cost time.
pub const SUGGESTIONS_PER_FILE: usize = 200;

fn unknown(
    out: &mut Vec<Finding>,
    catalog: &Catalog,
    release: &Release,
    inv: &Inventory,
    e: &Entry,
    suggestions: &mut usize,
) -> Result<(), CatalogError> {
    let (group, key) = (e.group(), e.key());
    let name = e.written_name();
    if let Some(gap) = inv.gap_for(group, &key) {
        out.push(
            Finding::new(
                UNKNOWN_OPTION,
                Some(e.line()),
                format!(
                    "{name} is not verified: it belongs to {}, whose options this release's data does not list",
                    gap.library
                ),
            )
            .about(e)
            .severity(Severity::Info),
        );
        return Ok(());
    }
    let title = &release.info.core().title;
    let f = match history::option(catalog, release, inv, group, &key)? {
        History::Removed {
            last,
            removed_in,
            replacement,
        } => {
            let mut f = Finding::new(
                REMOVED,
                Some(e.line()),
                format!(
                    "{name} was removed in {} (last read by {}); {title} ignores it",
                    removed_in.info.core().title,
                    last.info.core().title
                ),
            );
            // A name that merely looks alike is no replacement: only what the
            // data records as taking its place is suggested.
            let option = OptionRef::new(group, &key);
            match (
                replacement,
                obsolete::carried(catalog, release, inv, &option),
            ) {
                (Some(r), Some((_, rule))) => {
                    f = f.suggest(obsolete::done_by(&format!("use {r}"), &rule))
                }
                (Some(r), None) => f = f.suggest(format!("use {r}")),
                (None, Some((said, rule))) => f = f.suggest(obsolete::done_by(&said, &rule)),
                (None, None) => {
                    f = f.suggest("remove it, after checking whether anything replaces it")
                }
            }
            f
        }
        History::Future { introduced_in } => Finding::new(
            UNKNOWN_OPTION,
            Some(e.line()),
            format!(
                "{name} does not exist in {title}; it first appears in {}",
                introduced_in.info.core().title
            ),
        )
        .suggest(format!(
            "remove it, or upgrade to {} first",
            introduced_in.info.core().title
        )),
        History::Never => {
            let f = Finding::new(
                UNKNOWN_OPTION,
                Some(e.line()),
                format!("{name} is not an option of {title} (nor of any release stackhop knows)"),
            );
            let guess = (*suggestions > 0).then(|| {
                *suggestions -= 1;
                history::did_you_mean(inv, group, &key)
            });
            match guess.flatten() {
                Some(m) => f.suggest(format!("did you mean {m}?")),
                None => f,
            }
        }
    };
    out.push(f.about(e));
    Ok(())
}

fn placeholder_finding(e: &Entry, word: &str, value: &str, secret: bool) -> Finding {
    // A secret may really be `RABBIT_PASS`: then the word is the secret.
    let (what, fix) = if secret {
        (
            "an install guide's placeholder".to_string(),
            "replace the placeholder with the real value".to_string(),
        )
    } else {
        (
            format!("the install guide's placeholder {word}"),
            format!("replace {word} with the real value"),
        )
    };
    Finding::new(
        PLACEHOLDER,
        Some(e.line()),
        format!("{} still holds {what}", e.written_name()),
    )
    .about(e)
    .with_value(value, secret)
    .suggest(fix)
}

/// Syntax traps that hold for any option: inline comments, indented keys.
fn traps(out: &mut Vec<Finding>, e: &Entry, value: &str, secret: bool) {
    let mut pieces = value.split('\n');
    let first = pieces.next().unwrap_or_default();
    if values::inline_comment(first).is_some() {
        out.push(
            Finding::new(
                INLINE_COMMENT,
                Some(e.line()),
                format!(
                    "nova reads the comment after the value of [{}] {} as part of the value",
                    e.section(),
                    e.key()
                ),
            )
            .about(e)
            .with_value(value, secret)
            .suggest("move the comment to a line of its own above the option"),
        );
    }
    for (i, piece) in pieces.enumerate() {
        let line = e.line() + 1 + i;
        if piece.starts_with(['#', ';']) {
            out.push(
                Finding::new(
                    INLINE_COMMENT,
                    Some(line),
                    format!(
                        "this indented comment continues the value of [{}] {} (line {}): nova reads it as part of the value",
                        e.section(),
                        e.key(),
                        e.line()
                    ),
                )
                .about(e)
                .with_value(value, secret)
                .suggest("remove the indentation of the comment"),
            );
        } else if let Some(key) = looks_like_assignment(piece) {
            out.push(
                Finding::new(
                    INDENTED_KEY,
                    Some(line),
                    format!(
                        "{key} is indented, so nova reads this line as part of the value of [{}] {} (line {}) and does not set {key}",
                        e.section(),
                        e.key(),
                        e.line()
                    ),
                )
                .about(e)
                .suggest("remove the indentation"),
            );
        }
    }
}

/// `integer` → `an integer`, `boolean` → `a boolean`.
fn with_article(word: &str) -> String {
    let article = if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {word}")
}

/// `key = value` → `key`.
fn looks_like_assignment(piece: &str) -> Option<&str> {
    let end = piece.find(['=', ':'])?;
    let key = piece[..end].trim_end();
    let mut chars = key.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    ok.then_some(key)
}

/// Value checks of a known option: references, type, placeholders, URLs.
fn values_of(
    out: &mut Vec<Finding>,
    refs: &refs::Values,
    e: &Entry,
    o: &OptionDef,
    value: &str,
    secret: bool,
    judge_type: bool,
) {
    let name = e.written_name();
    for r in values::references(value) {
        if let refs::Reference::Unknown = refs.resolve(&o.group, r) {
            let message = if secret {
                format!(
                    "the value of {name} holds a `$` reference to an option that does not exist"
                )
            } else {
                format!("${r} in the value of {name} names no option")
            };
            out.push(
                Finding::new(UNDEFINED_REFERENCE, Some(e.line()), message)
                    .about(e)
                    .with_value(value, secret)
                    .suggest("write a literal $ as $$ (in passwords too)"),
            );
        }
    }
    // Judged after one substitution, when that leaves no reference behind.
    // A value that takes in a secret one is as secret as it.
    let mut pulled_secret = false;
    let resolved = values::substitute(value, |r| match refs.resolve(&o.group, r) {
        refs::Reference::Value(d, v) if !v.contains('$') => {
            pulled_secret |= d.entry.holds_secret();
            Some(v.to_string())
        }
        _ => None,
    });
    if let Some(v) = resolved.filter(|_| judge_type) {
        if let Some(why) = types::invalid(o, &v) {
            let message = if secret || pulled_secret {
                format!("the value of {name} {why}")
            } else {
                format!("{v:?} {why}, so nova cannot read {name}")
            };
            out.push(
                Finding::new(INVALID_VALUE, Some(e.line()), message)
                    .about(e)
                    .with_value(value, secret)
                    .suggest(format!(
                        "give {} value",
                        with_article(o.entry.kind.as_str())
                    )),
            );
        }
    }
    if let Some(p) = values::placeholder(value) {
        out.push(placeholder_finding(e, p, value, secret));
    }
    if values::scheme_end(value).is_some() {
        let multi = o.name() == "transport_url";
        if let Some(problem) = values::url_credentials(value, multi) {
            let what = match problem {
                values::UrlProblem::At => "an unencoded '@' in its user or password".to_string(),
                values::UrlProblem::Delimiter(c) => format!(
                    "an unencoded '{c}' in its password, which ends the host part of the URL early"
                ),
            };
            out.push(
                Finding::new(URL_PASSWORD, Some(e.line()), format!("the URL of {name} has {what}"))
                    .about(e)
                    .with_value(value, true)
                    .suggest("percent-encode the user and password ('@' is %40, '/' is %2F, ':' is %3A, '?' is %3F, '#' is %23)"),
            );
        }
    }
}

/// Circles of `$` references.
fn cycles(out: &mut Vec<Finding>, refs: &refs::Values) {
    for circle in refs.cycles() {
        let name = |o: &OptionDef| match refs.line(o) {
            Some(_) => o.display(),
            None => format!("{} (its default)", o.display()),
        };
        let first = circle[0];
        let mut chain: Vec<String> = circle.iter().map(|o| name(o)).collect();
        chain.push(first.display());
        let mut f = Finding::new(
            REFERENCE_CYCLE,
            refs.line(first),
            format!(
                "the $ references in {} lead back to it: {}; nova cannot read these options",
                first.display(),
                chain.join(" → ")
            ),
        )
        .suggest("give one of these options a value without a $ reference");
        let (section, key) = (first.group.to_string(), first.name().to_string());
        f.section = Some(section);
        f.key = Some(key);
        out.push(f);
    }
}

/// Options set more than once where only one value counts.
/// The occurrences nova does not use of each option set more than once, in
/// line order.
fn duplicates(occurrences: HashMap<usize, (&OptionDef, Vec<Occurrence>)>) -> Vec<Duplicate<'_>> {
    let mut out = Vec::new();
    for (option, occ) in occurrences.into_values() {
        if occ.len() < 2 || occ[0].multi {
            continue;
        }
        let winner = occ
            .iter()
            .rev()
            .find(|o| o.canonical)
            .unwrap_or(occ.last().expect("two or more"));
        for o in occ.iter().filter(|o| o.line != winner.line) {
            out.push(Duplicate {
                line: o.line,
                winner: winner.line,
                option,
            });
        }
    }
    out.sort_unstable_by_key(|d| d.line);
    out
}

/// The finding of a duplicate, its names read from the document.
fn duplicate_finding(doc: &Document, d: &Duplicate) -> Finding {
    let entry = |line: u32| doc.entry_at(line as usize);
    let (here, winner) = (entry(d.line), entry(d.winner));
    let (section, key) = winner
        .map(|w| (w.section().to_string(), w.key().into_owned()))
        .unwrap_or_default();
    let mut f = Finding::new(
        DUPLICATE,
        Some(d.line as usize),
        format!(
            "{} is set more than once; nova uses [{section}] {key} on line {}, not this one",
            d.option.id(),
            d.winner
        ),
    )
    .suggest("keep one of them");
    f.section = here.map(|e| e.section().to_string());
    f.key = here.map(|e| e.key().into_owned());
    f
}

/// What a role must set in this release and the file lacks.
fn requirements(
    out: &mut Vec<Finding>,
    doc: &Document,
    catalog: &Catalog,
    release: &Release,
    options: &Options,
) -> Result<(), CatalogError> {
    let Some(role) = options.role else {
        if catalog.requirements_at(release).next().is_some() {
            out.push(
                Finding::new(
                    ROLE_NOT_CHECKED,
                    None,
                    format!(
                        "options a controller or compute node must set in {} were not checked",
                        release.info.core().title
                    ),
                )
                .suggest("pass --role controller or --role compute"),
            );
        }
        return Ok(());
    };
    let headers = doc.header_lines();
    for m in catalog.missing_requirements(doc, release, Some(role))? {
        let list = m.list();
        let group = m.requirement.options[0].options()[0].group().to_string();
        // Advice, not a requirement: nova works without it.
        let (needs, severity) = if m.requirement.recommended {
            ("should set", Severity::Warning)
        } else {
            ("needs", Severity::Error)
        };
        let mut f = Finding::new(
            MISSING_REQUIRED,
            headers.get(group.as_str()).copied(),
            format!(
                "a {} node {needs} {list} in {}: {}",
                role.as_str(),
                release.info.core().title,
                m.requirement.why
            ),
        )
        .severity(severity)
        .suggest(format!("set {list}"));
        f.section = Some(group);
        out.push(f);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
