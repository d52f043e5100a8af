//! `migrate`: a config carried to a later release, hop by hop.

use super::check::RoleArg;
use super::edit::{load, load_to_edit, write_output};
use super::error::{Error, Outcome};
use super::fleet::{self, Inputs, Write};
use super::print;
use super::settings::{Format, ReportArgs};
use clap::Args;
use stackhop::conf::Document;
use stackhop::files::{STDIO, Source, write_file};
use stackhop::fleet::Work;
use stackhop::fleet::inputs::{self as fleet_inputs, Expanded, Input};
use stackhop::migrate::{self, RuleBook, Start};
use stackhop::release::{Role, detect};
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
    stackhop migrate 'hosts/*/nova.conf' --to wallaby --check --format json"
)]
pub struct MigrateArgs {
    /// Config files (`-` for standard input), folders (every *.conf under them) or patterns
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// Report as a fleet (a table, or JSON with an entry a file) even for one file
    #[arg(long)]
    fleet: bool,
    /// The release to migrate to (a name, or a nova version)
    #[arg(long)]
    to: String,
    /// The release the file is for (detected when omitted, as `detect` does)
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
    #[arg(long, value_parser = Format::only(&[Format::Text, Format::Json, Format::Markdown, Format::Github]))]
    format: Option<Format>,
    /// Comment removed options out, under a marker naming the rule, instead of deleting them
    #[arg(long)]
    keep_removed: bool,
    #[command(flatten)]
    report: ReportArgs,
}

/// Combinations with nowhere to go, refused before any work.
fn refuse_combinations(args: &MigrateArgs) -> Result<(), Error> {
    if args.diff && args.format == Some(Format::Github) {
        return Err(Error::user(
            "--diff has no place in GitHub annotations: drop --diff, or use --format markdown or json",
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

pub fn migrate(args: MigrateArgs) -> Outcome {
    refuse_combinations(&args)?;
    match fleet::inputs(&args.files, args.fleet, false)? {
        Inputs::Listed(files) => migrate_one(&args, &files[0]),
        Inputs::Many(expanded) => migrate_many(&args, &expanded),
    }
}

/// One file: the migrated file, its summary and report.
fn migrate_one(args: &MigrateArgs, file: &str) -> Outcome {
    let catalog = args.report.data.catalog()?;
    let to = catalog.resolve(&args.to).map_err(Error::user)?;
    let (source, doc) = if args.in_place && !args.check {
        load_to_edit(file)?
    } else {
        load(file)?
    };
    if args.in_place && source.is_stdin() {
        return Err(Error::user("--in-place needs a file, not standard input"));
    }
    let start = match &args.from {
        Some(name) => Start::Given(catalog.resolve(name).map_err(Error::user)?),
        None => {
            let start =
                Start::detect(&doc, &catalog).map_err(|e| Error::from(e).context(&source.name))?;
            if let Start::Detected(best) = &start {
                let names: Vec<String> = best.iter().map(|r| r.name().to_string()).collect();
                eprintln!(
                    "stackhop: {}: --from not given; detected {} (the file fits {}); give --from to be exact",
                    source.name,
                    start.release().name(),
                    detect::ranges(&catalog, &names)
                );
            }
            start
        }
    };
    let book = RuleBook::embedded()?;
    let options = migrate::Options {
        role: args.role.map(Role::from),
        keep_removed: args.keep_removed,
    };
    let want_diff = args.diff || args.format == Some(Format::Markdown);
    let before = want_diff.then(|| doc.clone());
    let m = migrate::migrate(doc, &catalog, &book, start, to, options)
        .map_err(|e| Error::from(e).context(&source.name))?;
    let redactor = args.report.secrets.redactor();
    let bytes = m.document.to_bytes();
    let mut view = MigrationView::new(&source.name, &m, &catalog, redactor);
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
    // before it.
    if !args.check {
        if let Some(out) = &args.output {
            if out.as_os_str() != STDIO {
                write_output(&source, out, &bytes)?;
            }
        } else if args.in_place && bytes != source.bytes {
            source.replace(&bytes, !args.no_backup)?;
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
    if args.format != Some(Format::Text) {
        eprint!(
            "{}",
            report::migration::text(&view, args.report.color.stderr())
        );
    }
    if args.check {
        return Ok(super::found(m.changed()));
    }
    let to_stdout = match &args.output {
        Some(out) => out.as_os_str() == STDIO,
        None => !args.in_place && !args.diff && args.format.is_none(),
    };
    if to_stdout {
        print(&bytes)?;
    }
    Ok(ExitCode::SUCCESS)
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
fn migrate_many(args: &MigrateArgs, expanded: &Expanded) -> Outcome {
    let target = fleet_target(args)?;
    let outputs = outputs(&target, expanded)?;
    let format = args.format.unwrap_or(Format::Text);
    if args.diff && format == Format::Markdown {
        return Err(Error::user(
            "--diff with many files goes with --format text or json: a pull-request comment holds the fleet's table",
        ));
    }
    let catalog = args.report.data.catalog()?;
    let to = catalog.resolve(&args.to).map_err(Error::user)?;
    let from = match &args.from {
        Some(name) => Some(catalog.resolve(name).map_err(Error::user)?),
        None => None,
    };
    let book = RuleBook::embedded()?;
    let history = catalog.history()?;
    let options = migrate::Options {
        role: args.role.map(Role::from),
        keep_removed: args.keep_removed,
    };
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
