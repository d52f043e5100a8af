//! `migrate`: a config carried to a later release, hop by hop.

use super::check::RoleArg;
use super::edit::{load, load_to_edit};
use super::error::{Error, Outcome};
use super::fleet::{self, Inputs, Write};
use super::project::{self, MigrateSettings, Project, Setting};
use super::settings::{Format, ReportArgs};
use super::{print, print_with};
use clap::Args;
use stackhop::conf::Document;
use stackhop::files::{STDIO, Source, write_file, write_file_with};
use stackhop::fleet::Work;
use stackhop::fleet::inputs::{self as fleet_inputs, Expanded, Input};
use stackhop::migrate::{self, RuleBook, Start};
use stackhop::release::{Catalog, Release, Role, detect};
use stackhop::report;
use stackhop::report::view::{Command, FleetEntry, MigrationView, Shared, Status};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Upgrade config files to a later release, hop by hop
///
/// Applies, for every release after --from up to --to, that release's rules
/// (renames, moves, removals, rabbit_* into transport_url, …) and the
/// renames and removals its option inventory implies. Only what must change
/// changes: comments, spacing and order stay. Every input option ends up in
/// the report, changed by a named rule or unchanged; what editing cannot do
/// (new databases, cells v2, placement, removed services) is listed as
/// manual steps. Without -o or --in-place the migrated file goes to standard
/// output and the summary to standard error.
///
/// Many files (several, a folder: every *.conf under it, or a pattern) are
/// migrated in parallel, each on its own, into a table a file and the
/// totals; they are written with --in-place or -o DIR (the same relative
/// paths under DIR), never to standard output, or only checked (--check).
/// A file that cannot be migrated is reported with its error, and the
/// others are still done.
#[derive(Args)]
#[command(
    after_help = "Exit status: 0 done (with --check: nothing would change), \
    1 with --check: something would change, 2 bad input (with many files: any file).\n\n\
    Output: the migrated file on standard output (or -o/--in-place), the summary on standard \
    error. --diff prints the masked unified diff instead of the file; --format prints the \
    report instead (with --diff, JSON holds the diff as \"diff\" and text prints it after the \
    summary; markdown always folds it in; github takes no diff). With many files, the \
    fleet report (a table, or JSON with an entry a file) goes to standard output.\n\nExamples:\n  \
    stackhop migrate nova.conf --to wallaby --diff\n  \
    stackhop migrate /etc/nova/nova.conf --from juno --to stein --role controller --in-place\n  \
    stackhop migrate nova.conf --to wallaby --format json | jq '.manual'\n  \
    stackhop migrate fleet/ --from juno --to wallaby -o migrated/\n  \
    stackhop migrate 'hosts/*/nova.conf' --to wallaby --check --format json\n  \
    stackhop migrate --check   # the files of ./stackhop.toml, each from its release to [migrate] to\n\n\
    Without FILE, --from or --to, the project config (stackhop.toml, from this folder \
    upwards) says which files, each one's release and role, and the release to migrate to; \
    its [migrate] format applies with --check. Flags win over it (see `stackhop config --help`)."
)]
pub struct MigrateArgs {
    /// Config files (`-` for standard input), folders (every *.conf under them) or patterns; none: those stackhop.toml lists (with --check, --diff or --format)
    #[arg(value_name = "FILE")]
    files: Vec<String>,
    /// Report as a fleet (a table, or JSON with an entry a file) even for one file
    #[arg(long)]
    fleet: bool,
    /// The release to migrate to (a name, or a nova version; default: stackhop.toml's [migrate] to)
    #[arg(long)]
    to: Option<String>,
    /// The release the file is for (default: the file's in stackhop.toml; else detected, as `detect` does)
    #[arg(long)]
    from: Option<String>,
    /// Only manual steps and required options of this role
    #[arg(long, value_enum)]
    role: Option<RoleArg>,
    /// Write the migrated file to OUT (`-` for standard output); with many files, OUT is a folder
    #[arg(short = 'o', long, value_name = "OUT", conflicts_with = "in_place")]
    output: Option<PathBuf>,
    /// Replace FILE with the migrated file (keeping FILE.bak)
    #[arg(long)]
    in_place: bool,
    /// Do not keep FILE.bak with --in-place
    #[arg(long, requires = "in_place")]
    no_backup: bool,
    /// Print the unified diff (secrets masked) instead of the file
    #[arg(long)]
    diff: bool,
    /// Write nothing; exit 1 if anything would change
    #[arg(long, conflicts_with_all = ["output", "in_place"])]
    check: bool,
    /// Print the report in this format instead of the file
    #[arg(long, value_parser = Format::only(project::MIGRATE_FORMATS))]
    format: Option<Format>,
    /// Comment removed options out, under a marker naming the rule, instead of deleting them
    #[arg(long)]
    keep_removed: bool,
    #[command(flatten)]
    report: ReportArgs,
}

/// Combinations with nowhere to go, refused before any work.
fn refuse_combinations(args: &MigrateArgs) -> Result<(), Error> {
    if args.diff && matches!(args.format, Some(Format::Github | Format::Sarif)) {
        return Err(Error::user(
            "--diff has no place in GitHub annotations or SARIF: drop --diff, or use --format markdown or json",
        ));
    }
    let to_stdout = args.output.as_ref().is_some_and(|o| o.as_os_str() == STDIO);
    if to_stdout && (args.diff || args.format.is_some()) {
        return Err(Error::user(
            "-o - writes the file to standard output, where the diff or report goes: write the file elsewhere",
        ));
    }
    Ok(())
}

pub fn migrate(mut args: MigrateArgs) -> Outcome {
    // Defaults from the project config (stackhop.toml): which files, each
    // one's release and role, the release to migrate to, the format (with
    // --check) and keep_removed. Flags win. The one place migrate reads
    // it; the rules live in project.rs.
    let project = Project::discover()?;
    let settings = MigrateSettings::resolve(
        project.as_ref(),
        args.to.as_deref(),
        args.format,
        args.keep_removed,
    );
    if args.format.is_none() && args.check {
        args.format = settings.format.as_ref().map(|f| f.value);
    }
    args.keep_removed = settings.keep_removed.value;
    refuse_combinations(&args)?;
    let Some(to) = &settings.to else {
        return Err(Error::user(
            "no release to migrate to: give --to RELEASE, or set `to` under [migrate] in stackhop.toml",
        ));
    };
    // Files named on the command line: several, a folder, a pattern or
    // --fleet are a fleet, each file with its release and role (flags, or
    // stackhop.toml). SARIF is one run of every file, made below.
    let mut files = args.files.clone();
    if !files.is_empty() && args.format != Some(Format::Sarif) {
        match fleet::inputs(&files, args.fleet, false)? {
            Inputs::Many(expanded) => return migrate_many(&args, &expanded, to, project.as_ref()),
            Inputs::Listed(listed) => files = listed,
        }
    } else if args.fleet {
        return Err(Error::user(
            "--fleet needs the files named on the command line, and no --format sarif",
        ));
    }
    let groups = project::groups(
        project.as_ref(),
        &files,
        args.from.as_deref(),
        "--from",
        false,
        args.role.map(Role::from),
    )?;
    let many = groups.iter().map(|g| g.files.len()).sum::<usize>() > 1;
    if many && !args.check && !args.diff && args.format.is_none() && !args.in_place {
        return Err(Error::user(
            "several files to migrate (from stackhop.toml) and one standard output: \
             add --check, --diff, --format or --in-place, or name one FILE",
        ));
    }
    if many && args.output.is_some() {
        return Err(Error::user(
            "-o takes one migrated file: name one FILE, or use --in-place",
        ));
    }

    let catalog = args.report.data.catalog()?;
    let to = catalog
        .resolve(&to.value)
        .map_err(|e| to.error("--to", e))?;
    let book = RuleBook::embedded()?;
    let mut changed = false;
    let mut views = Vec::new();
    for group in &groups {
        let from = match &group.release {
            Some(r) => Some(
                catalog
                    .resolve(&r.value)
                    .map_err(|e| r.error("--from", e))?,
            ),
            None => None,
        };
        let role = group.role.as_ref().map(|r| r.value);
        for file in &group.files {
            let (c, view) = one(&args, &catalog, &book, file, from, role, to)?;
            changed |= c;
            views.extend(view);
        }
    }
    if args.format == Some(Format::Sarif) {
        let root = project::sarif_root(project.as_ref());
        let uri = |f: &str| project::sarif_uri(root.as_deref(), f);
        print(report::sarif::migration(
            &views.iter().collect::<Vec<_>>(),
            &book,
            &uri,
        ))?;
    }
    // The process ends here: the catalog and rules are left for its exit
    // to reclaim rather than freed piece by piece (a fifth of a small run).
    std::mem::forget((catalog, views));
    if args.check {
        return Ok(super::found(changed));
    }
    Ok(ExitCode::SUCCESS)
}

/// Migrates one file; says whether it changes, and gives its view when
/// it is for SARIF (printed once, for every file, by the caller).
fn one(
    args: &MigrateArgs,
    catalog: &Catalog,
    book: &RuleBook,
    file: &str,
    from: Option<&Release>,
    role: Option<Role>,
    to: &Release,
) -> Result<(bool, Option<MigrationView>), Error> {
    let (source, doc) = if args.in_place && !args.check {
        load_to_edit(file)?
    } else {
        load(file)?
    };
    if args.in_place && source.is_stdin() {
        return Err(Error::user("--in-place needs a file, not standard input"));
    }
    let start = match from {
        Some(release) => Start::Given(release),
        None => {
            let start =
                Start::detect(&doc, catalog).map_err(|e| Error::from(e).context(&source.name))?;
            if let Start::Detected(best) = &start
                && !super::quiet()
            {
                let names: Vec<String> = best.iter().map(|r| r.name().to_string()).collect();
                eprintln!(
                    "stackhop: {}: --from not given; detected {} (the file fits {}); give --from to be exact",
                    source.name,
                    start.release().name(),
                    detect::ranges(catalog, &names)
                );
            }
            start
        }
    };
    let options = migrate::Options {
        role,
        keep_removed: args.keep_removed,
    };
    let want_diff = args.diff || args.format == Some(Format::Markdown);
    let before = want_diff.then(|| doc.clone());
    let m = migrate::migrate(doc, catalog, book, start, to, options)
        .map_err(|e| Error::from(e).context(&source.name))?;
    let redactor = args.report.secrets.redactor();
    let mut view = MigrationView::new(&source.name, &m, catalog, redactor);
    if let Some(before) = &before {
        let diff = report::diff::masked(
            &source.name,
            before,
            &m.document,
            catalog.history()?,
            redactor,
        );
        view = view.with_diff(diff);
    }

    // Write first: a failure is then reported with no success summary
    // before it. The file is written as it is made, never held whole.
    if !args.check {
        if let Some(out) = &args.output {
            if out.as_os_str() != STDIO {
                let like = (!source.is_stdin()).then(|| Path::new(&source.name));
                write_file_with(out, like, |w| m.document.write_to(w))?;
            }
        } else if args.in_place {
            let bytes = m.document.to_bytes();
            if bytes != source.bytes {
                source.replace(&bytes, !args.no_backup)?;
            }
        }
    }

    let diff = view.diff.clone().unwrap_or_default();
    match args.format {
        Some(Format::Json) => {
            if !args.diff {
                view.diff = None;
            }
            print(report::migration::json(&view))?;
        }
        Some(Format::Markdown) => print(report::markdown::migration(&view))?,
        Some(Format::Github) => print(report::migration::github(&view))?,
        Some(Format::Sarif) => {}
        Some(Format::Text) => {
            let mut out = report::migration::text(&view, args.report.color.stdout());
            if args.diff && !diff.is_empty() {
                out.push('\n');
                out.push_str(&report::diff::colored(&diff, args.report.color.stdout()));
            }
            print(out)?;
        }
        None if args.diff => print(report::diff::colored(&diff, args.report.color.stdout()))?,
        None => {}
    }
    describe(&view, book);
    if args.format != Some(Format::Text) && !super::quiet() {
        eprint!(
            "{}",
            report::migration::text(&view, args.report.color.stderr())
        );
    }
    let sarif = (args.format == Some(Format::Sarif)).then(|| view.clone());
    if args.check {
        return Ok((m.changed(), sarif));
    }
    let to_stdout = match &args.output {
        Some(out) => out.as_os_str() == STDIO,
        None => !args.in_place && !args.diff && args.format.is_none(),
    };
    if to_stdout {
        print_with(|w| m.document.write_to(w))?;
    }
    Ok((m.changed(), sarif))
}

/// `-v`'s lines for a migration: the hops, the rules in force at each
/// (migrations/, built in) and the rules that changed something.
fn describe(view: &MigrationView, book: &RuleBook) {
    if !super::verbose() {
        return;
    }
    super::note(&format!("migrate: {}: {}", view.file, view.route()));
    for hop in &view.hops {
        let ids: Vec<&str> = book.rules_of(hop).iter().map(|r| r.id.as_str()).collect();
        if !ids.is_empty() {
            super::note(&format!("  rules into {hop}: {}", ids.join(", ")));
        }
    }
    let mut used: Vec<&str> = view
        .changes
        .iter()
        .map(|c| c.rule.as_str())
        .chain(view.manual.iter().map(|m| m.rule.as_str()))
        .collect();
    used.sort_unstable();
    used.dedup();
    super::note(&format!(
        "  rules that changed or asked for something: {}",
        used.join(", ")
    ));
}

/// Where each file of a fleet goes.
enum Target<'a> {
    /// `--check`: nowhere.
    Nowhere,
    InPlace {
        backup: bool,
    },
    /// `-o DIR`: the file's relative path under DIR.
    Under(&'a Path),
}

/// Many files, in parallel: each migrated and written on its own, the
/// fleet reported.
fn migrate_many(
    args: &MigrateArgs,
    expanded: &Expanded,
    to: &Setting<String>,
    project: Option<&Project>,
) -> Outcome {
    let target = fleet_target(args)?;
    let outputs = outputs(&target, expanded)?;
    let format = args.format.unwrap_or(Format::Text);
    if args.diff && format == Format::Markdown {
        return Err(Error::user(
            "--diff with many files goes with --format text or json: a pull-request comment holds the fleet's table",
        ));
    }
    let catalog = args.report.data.catalog()?;
    let to = catalog
        .resolve(&to.value)
        .map_err(|e| to.error("--to", e))?;
    // A release given by the flag is resolved once, before any file.
    let flagged = match &args.from {
        Some(name) => Some(
            catalog
                .resolve(name)
                .map_err(|e| Error::user(e).context("--from"))?,
        ),
        None => None,
    };
    let book = RuleBook::embedded()?;
    let history = catalog.history()?;
    let redactor = args.report.secrets.redactor();
    let color = args.report.color.stdout();
    let work = match target {
        Target::Nowhere => Work::Compute,
        _ => Work::Write,
    };
    // A file migrated: its entry, its extra output, and its write.
    let one = |input: &Input| -> Result<(FleetEntry, String, Option<Write>), Error> {
        let index = expanded
            .files
            .binary_search_by(|i| i.path.cmp(&input.path))
            .ok();
        let output = index
            .and_then(|i| outputs.get(i))
            .and_then(Option::as_deref);
        let name = input.name();
        let source = Source::read(&name)?;
        let doc = Document::parse(source.bytes.clone())
            .map_err(|e| Error::user(e.describe(&source.name, &source.bytes)))?;
        let notes: Vec<String> = doc
            .encoding_problem()
            .map(|(line, reason)| format!("{name}:{line}: {reason}"))
            .into_iter()
            .collect();
        // Flags win; else what stackhop.toml says of this file; else detected.
        let listed = project.and_then(|p| p.settings_for(Path::new(&name)));
        let from = match (flagged, &listed) {
            (Some(r), _) => Some(r),
            (None, Some(s)) => Some(
                catalog
                    .resolve(&s.release.value)
                    .map_err(|e| s.release.error("--from", e))?,
            ),
            (None, None) => None,
        };
        let options = migrate::Options {
            role: args.role.map(Role::from).or_else(|| {
                listed
                    .as_ref()
                    .and_then(|s| s.role.as_ref().map(|r| r.value))
            }),
            keep_removed: args.keep_removed,
        };
        let start = match from {
            Some(r) => Start::Given(r),
            None => Start::detect(&doc, &catalog).map_err(|e| Error::from(e).context(&name))?,
        };
        let before = args.diff.then(|| doc.clone());
        let m = migrate::migrate(doc, &catalog, &book, start, to, options)
            .map_err(|e| Error::from(e).context(&name))?;
        let bytes = m.document.to_bytes();
        let mut view = MigrationView::new(&name, &m, &catalog, redactor);
        if let Some(before) = &before {
            view = view.with_diff(report::diff::masked(
                &name,
                before,
                &m.document,
                history,
                redactor,
            ));
        }
        let write: Option<Write> = match (&target, output) {
            (Target::Under(_), Some(out)) => {
                let (out, like) = (out.to_path_buf(), PathBuf::from(&name));
                Some(Box::new(move || {
                    if let Some(parent) = out.parent() {
                        std::fs::create_dir_all(parent)
                            .map_err(|e| Error::from(e).context(parent.display().to_string()))?;
                    }
                    write_file(&out, &bytes, Some(&like))?;
                    Ok(out.display().to_string())
                }))
            }
            (Target::InPlace { backup }, _) if bytes != source.bytes => {
                let (backup, name) = (*backup, name.clone());
                Some(Box::new(move || {
                    source.replace(&bytes, backup)?;
                    Ok(name)
                }))
            }
            _ => None,
        };
        let extra = match format {
            Format::Github => report::migration::github(&view),
            Format::Text if args.diff => {
                report::diff::colored(view.diff.as_deref().unwrap_or_default(), color)
            }
            _ => String::new(),
        };
        let detected = view.detected.as_ref().filter(|d| d.fits.len() > 1);
        let entry = FleetEntry {
            release: Some(view.from.clone()),
            fits: detected.map(|d| d.range.clone()),
            target: Some(view.to.clone()),
            changes: Some(view.changes.len()),
            reviews: Some(view.reviews()),
            manual: Some(view.manual.len()),
            notes,
            shared: Shared::of_migration(&view),
            report: fleet::report_for(format, &view)?,
            ..FleetEntry::new(
                &name,
                Command::Migrate,
                if m.changed() {
                    Status::Changes
                } else {
                    Status::Ok
                },
            )
        };
        Ok((entry, extra, write))
    };
    let ran = fleet::run(
        expanded,
        &catalog,
        Command::Migrate,
        work,
        format,
        |input| match one(input) {
            Ok((entry, extra, write)) => (Ok((entry, extra)), write),
            Err(e) => (Err(e), None),
        },
    );
    for e in &ran.view.files {
        for note in &e.notes {
            super::warn(note);
        }
    }
    fleet::print_fleet(&ran, format, args.report.color)?;
    let code = fleet::exit(&ran, |s| args.check && s == Status::Changes);
    fleet::leave(catalog, ran);
    Ok(code)
}

/// Where a fleet's files go: exactly one of --check, --in-place, -o DIR.
fn fleet_target(args: &MigrateArgs) -> Result<Target<'_>, Error> {
    if args.check {
        return Ok(Target::Nowhere);
    }
    if args.in_place {
        return Ok(Target::InPlace {
            backup: !args.no_backup,
        });
    }
    match &args.output {
        Some(out) if out.as_os_str() == STDIO => Err(Error::user(
            "with many files, -o names a folder: the migrated files never go to standard output",
        )),
        Some(out) if out.exists() && !out.is_dir() => Err(Error::user(format!(
            "{}: not a folder; with many files, -o names the folder they are written under",
            out.display()
        ))),
        Some(out) => Ok(Target::Under(out)),
        None => Err(Error::user(
            "many files are written with --in-place or -o DIR, or only checked with --check; \
             they never go to standard output",
        )),
    }
}

/// Each file's output under `-o DIR`, in the order of the files; refused
/// before any work when one would leave DIR, two would be one, or one is
/// its own input.
fn outputs(target: &Target, expanded: &Expanded) -> Result<Vec<Option<PathBuf>>, Error> {
    let Target::Under(dir) = target else {
        return Ok(vec![None; expanded.files.len()]);
    };
    let mut seen: HashMap<PathBuf, &Path> = HashMap::new();
    let mut outputs = Vec::with_capacity(expanded.files.len());
    for input in &expanded.files {
        let out = fleet_inputs::under(dir, &input.relative).map_err(Error::user)?;
        if let Some(other) = seen.insert(out.clone(), &input.path) {
            return Err(Error::user(format!(
                "{} and {} would both be written to {}: name their folders apart",
                other.display(),
                input.path.display(),
                out.display()
            )));
        }
        if out.exists() && same_file(&out, &input.path) {
            return Err(Error::user(format!(
                "{}: -o would write over the file itself; use --in-place (which keeps a backup)",
                input.path.display()
            )));
        }
        outputs.push(Some(out));
    }
    Ok(outputs)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
