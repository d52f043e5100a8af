//! Many files in one run, as `check`, `migrate` and `detect` share it: the
//! arguments told apart (one file: the command's usual output; many, a
//! folder, a pattern, or `--fleet`: a fleet), a progress bar, each file's
//! job on every core with its errors kept as its entry, the fleet printed,
//! and the exit status. Also `stackhop fleet report`, which merges the JSON
//! reports of many runs or hosts.

use super::error::{Error, Kind, Outcome};
use super::print;
use super::settings::{ColorArgs, DataArgs, Format};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use stackhop::files::{STDIO, Source};
use stackhop::fleet::inputs::{self, Expanded, Input};
use stackhop::fleet::{self, Later, Work, merge};
use stackhop::release::Catalog;
use stackhop::report;
use stackhop::report::view::{Command, FleetEntry, FleetView, Status};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// What the file arguments of a command name.
pub enum Inputs {
    /// Files read one after the other into the command's usual output:
    /// one file (or `-`), or, for `check` only, several files among which
    /// standard input (one report of them all, as `check` always did).
    Listed(Vec<String>),
    /// A fleet.
    Many(Expanded),
}

/// Tells one file from a fleet: several files, a folder, a pattern or
/// `--fleet` make a fleet. Standard input (`-`) stands alone, except where
/// `listed` (`check`) lets it be read with other files into one report.
pub fn inputs(args: &[String], fleet: bool, listed: bool) -> Result<Inputs, Error> {
    if args.iter().any(|a| a == STDIO) {
        if fleet || (args.len() > 1 && !listed) {
            return Err(Error::user(
                "- (standard input) is one file: it cannot be read with other files or --fleet",
            ));
        }
        return Ok(Inputs::Listed(args.to_vec()));
    }
    let expanded = inputs::expand(args, inputs::CONF_SUFFIX);
    match args {
        [one] if !fleet && !expanded.wide => Ok(Inputs::Listed(vec![one.clone()])),
        _ => Ok(Inputs::Many(expanded)),
    }
}

/// A fleet's progress on standard error: only on a terminal, not in CI,
/// not with JSON, and only once the run has taken long enough to want one.
struct Progress {
    bar: Option<ProgressBar>,
    shown: AtomicBool,
    start: Instant,
}

/// How long a run goes before its progress shows.
const PROGRESS_AFTER: Duration = Duration::from_millis(300);
/// Fewer files than this never show a progress bar.
const PROGRESS_MIN_FILES: usize = 50;

impl Progress {
    fn new(files: usize, format: Format) -> Progress {
        let wanted = files >= PROGRESS_MIN_FILES
            && format != Format::Json
            && std::env::var_os("CI").is_none()
            && std::io::stderr().is_terminal();
        let bar = wanted.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::hidden());
            if let Ok(style) =
                ProgressStyle::with_template("{bar:40} {pos}/{len} files, {elapsed} {msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            shown: AtomicBool::new(false),
            start: Instant::now(),
        }
    }

    fn tick(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed() >= PROGRESS_AFTER
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The outcome of one file: its entry, and what the format prints of it
/// beside the fleet (GitHub annotations, a diff), in file order.
pub type Done = Result<(FleetEntry, String), Error>;

/// A file's write, left for the writing threads: the path written.
pub type Write = Later<Result<String, Error>>;

/// What a fleet run gives back.
pub struct Ran {
    pub view: FleetView,
    /// Each file's extra output, in the view's order.
    pub extras: String,
    /// A file failed through a bug in stackhop.
    pub internal: bool,
}

/// Runs `job` on every file of the fleet, in parallel, with the write it
/// leaves (if any) on threads of its own, and puts the results (and the
/// arguments that named no file) in path order.
pub fn run(
    expanded: &Expanded,
    catalog: &Catalog,
    command: Command,
    work: Work,
    format: Format,
    job: impl Fn(&Input) -> (Done, Option<Write>) + Sync,
) -> Ran {
    let progress = Progress::new(expanded.files.len(), format);
    let results = fleet::run(&expanded.files, work, job, || progress.tick());
    progress.finish();
    let mut internal = false;
    let mut failed = |e: Error, name: String| {
        internal |= e.kind == Kind::Internal;
        (
            FleetEntry::failed(name, command, e.to_string()),
            String::new(),
        )
    };
    let mut pairs: Vec<(FleetEntry, String)> = Vec::with_capacity(results.len());
    for ((done, written), input) in results.into_iter().zip(&expanded.files) {
        pairs.push(match (done, written) {
            (Err(e), _) | (Ok(_), Some(Err(e))) => failed(e, input.name()),
            (Ok((mut entry, extra)), Some(Ok(path))) => {
                entry.output = Some(path);
                (entry, extra)
            }
            (Ok(done), None) => done,
        });
    }
    for p in &expanded.problems {
        let error = format!("{}: {}", p.name, p.reason);
        pairs.push((FleetEntry::failed(&p.name, command, error), String::new()));
    }
    pairs.sort_by(|a, b| a.0.file.cmp(&b.0.file));
    let mut extras = String::new();
    let mut entries = Vec::with_capacity(pairs.len());
    for (entry, extra) in pairs {
        extras.push_str(&extra);
        entries.push(entry);
    }
    Ran {
        view: FleetView::new(entries).with_releases(release_order(catalog)),
        extras,
        internal,
    }
}

/// The catalog's release names, oldest first.
fn release_order(catalog: &Catalog) -> Vec<String> {
    catalog
        .releases()
        .iter()
        .map(|r| r.name().to_string())
        .collect()
}

/// The exit status of a fleet: 3 for a bug, 2 when a file was bad input,
/// 1 when `fails` says a status fails (findings, changes with --check), else 0.
pub fn exit(ran: &Ran, fails: impl Fn(Status) -> bool) -> ExitCode {
    if ran.internal {
        return ExitCode::from(3);
    }
    match ran.view.worst() {
        Status::Error => ExitCode::from(2),
        s if fails(s) => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

/// Errors, one line each, on standard error (after the report, so that a
/// terminal shows them last).
pub fn errors_to_stderr(view: &FleetView) {
    for e in &view.files {
        if let Some(error) = &e.error {
            eprintln!("stackhop: {error}");
        }
    }
}

/// The fleet in `format` on standard output; `extras` (each file's own
/// output) after the table in text, instead of it for GitHub annotations.
/// With a format for programs, the one-line summary goes to standard error.
pub fn print_fleet(ran: &Ran, format: Format, color: ColorArgs) -> Result<(), Error> {
    match format {
        Format::Json => print(report::fleet::json(&ran.view))?,
        Format::Markdown => print(report::fleet::markdown(&ran.view))?,
        Format::Github => print(&ran.extras)?,
        Format::Sarif => return Err(Error::internal("a fleet has no SARIF form")),
        Format::Text => {
            let mut out = report::fleet::text(&ran.view, color.stdout());
            if !ran.extras.is_empty() {
                out.push('\n');
                out.push_str(&ran.extras);
            }
            print(out)?;
        }
    }
    if format != Format::Text && !super::quiet() {
        eprintln!("stackhop: {}", report::fleet::summary(&ran.view));
    }
    errors_to_stderr(&ran.view);
    Ok(())
}

/// A file's own report, as JSON, for the formats that print it.
pub fn report_for(
    format: Format,
    view: &impl serde::Serialize,
) -> Result<Option<serde_json::Value>, Error> {
    if format != Format::Json {
        return Ok(None);
    }
    serde_json::to_value(view).map(Some).map_err(|e| {
        let mut error = Error::user(format!("a report did not serialise: {e}"));
        error.kind = Kind::Internal;
        error
    })
}

/// The end of a fleet run: the catalog and the results are left for the
/// process's exit to reclaim, rather than freed piece by piece (thousands
/// of small allocations, a measurable part of a short run).
pub fn leave<C>(catalog: C, ran: Ran) {
    std::mem::forget(catalog);
    std::mem::forget(ran);
}

/// Fleets of configs: merge the reports of many runs or hosts into one
///
/// `check`, `migrate` and `detect` themselves take many files, folders and
/// patterns; this command gathers their JSON reports from many places.
#[derive(Args)]
pub struct FleetArgs {
    #[command(subcommand)]
    command: FleetCommand,
}

#[derive(Subcommand)]
enum FleetCommand {
    Report(ReportArgs),
}

/// Merge JSON reports into one fleet report
///
/// Reads the JSON that `migrate --format json` (`--check` included),
/// `check --format json` and `detect --format json` print, for one file or
/// for many, and the fleet reports of this command, and prints one fleet:
/// a table a file, the manual steps and findings the files share, the
/// errors, the totals. Values stay masked: reports hold no raw secrets,
/// and what a report made with --show-secrets shows is masked again as far
/// as the option names tell. A report that cannot be read is an entry with
/// its error; the others are still merged.
#[derive(Args)]
#[command(
    after_help = "Exit status: 0 nothing to do, 1 a file has changes or failing findings, \
    2 a file or report could not be used.\n\nExamples:\n  \
    stackhop fleet report reports/*.json --host-from-name\n  \
    stackhop fleet report reports/ --format markdown > fleet.md"
)]
pub struct ReportArgs {
    /// JSON reports (`-` for standard input), folders (every *.json under them) or patterns
    #[arg(required = true, value_name = "REPORT")]
    reports: Vec<String>,
    #[arg(long, value_parser = Format::only(&[Format::Text, Format::Json, Format::Markdown]), default_value = "text")]
    format: Format,
    /// Name the host of each report's files after the report's file name
    /// (`reports/compute1.json` → compute1), as the Ansible role fetches them
    #[arg(long)]
    host_from_name: bool,
    #[command(flatten)]
    data: DataArgs,
    #[command(flatten)]
    color: ColorArgs,
}

pub fn fleet(args: FleetArgs) -> Outcome {
    match args.command {
        FleetCommand::Report(args) => merge_reports(args),
    }
}

fn merge_reports(args: ReportArgs) -> Outcome {
    let catalog = args.data.catalog()?;
    let history = catalog.history()?;
    let host = |name: &str| {
        args.host_from_name
            .then(|| Path::new(name).file_stem())
            .flatten()
            .map(|s| s.to_string_lossy().into_owned())
    };
    let mut entries = Vec::new();
    if args.reports.iter().any(|r| r == STDIO) {
        if args.reports.len() > 1 {
            return Err(Error::user(
                "- (standard input) is one report: it cannot be read with other reports",
            ));
        }
        let source = Source::read(STDIO)?;
        let text = String::from_utf8_lossy(&source.bytes);
        entries.extend(merge::entries(&source.name, &text, None, history));
    } else {
        let expanded = inputs::expand(&args.reports, ".json");
        for p in &expanded.problems {
            let error = format!("{}: {}", p.name, p.reason);
            entries.push(FleetEntry::failed(&p.name, None, error));
        }
        let read = fleet::run(
            &expanded.files,
            Work::Compute,
            |input| {
                let name = input.name();
                let entries = match Source::read(&name) {
                    Ok(source) => {
                        let text = String::from_utf8_lossy(&source.bytes);
                        merge::entries(&name, &text, host(&name).as_deref(), history)
                    }
                    Err(e) => vec![FleetEntry::failed(&name, None, e.to_string())],
                };
                (entries, None::<Later<()>>)
            },
            || {},
        );
        entries.extend(read.into_iter().flat_map(|(e, _)| e));
    }
    let ran = Ran {
        view: FleetView::new(entries).with_releases(release_order(&catalog)),
        extras: String::new(),
        internal: false,
    };
    print_fleet(&ran, args.format, args.color)?;
    Ok(exit(&ran, |s| s != Status::Ok))
}
