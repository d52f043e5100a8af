//! `check` and `detect`: judging files by a release, or telling theirs.

use super::error::{Error, Outcome};
use super::fleet::{self, Done, Inputs};
use super::project::{self, CheckSettings, Project};
use super::settings::{ColorArgs, ColorChoice, DataArgs, Format, ReportArgs};
use super::{found, print, print_with, warn};
use clap::{Args, ValueEnum};
use stackhop::check;
use stackhop::conf::Document;
use stackhop::files::Source;
use stackhop::fleet::Work;
use stackhop::fleet::inputs::{Expanded, Input};
use stackhop::release::{Catalog, Role, detect};
use stackhop::report;
use stackhop::report::view::{CheckView, Command, FindingView, FleetEntry, Shared, Status};
use std::path::Path;
use std::process::ExitCode;

/// A node's role.
#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Controller,
    Compute,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Controller => Role::Controller,
            RoleArg::Compute => Role::Compute,
        }
    }
}

/// Check config files against a release, and explain each finding
///
/// Finds options the release does not have (with what was probably meant),
/// deprecated and removed options (with what replaced them), values nova
/// cannot read, oslo.config's traps (inline comments, indented keys, `$`
/// references to nothing, a byte order mark), install-guide placeholders,
/// URL passwords that need percent-encoding, options set twice, and what a
/// controller or compute node must set. Lines nova refuses are findings too.
///
/// Many files (several, a folder: every *.conf under it, or a pattern) are
/// checked in parallel into a table a file (the release it fits, its
/// findings by severity), the findings by code and the totals; a file that
/// cannot be read is reported with its error, and the others are still
/// checked.
#[derive(Args)]
#[command(
    after_help = "Exit status: 0 no error findings (no warnings either, with --strict), \
    1 findings, 2 bad input (with many files: any file).\n\nExamples:\n  stackhop check /etc/nova/nova.conf --release wallaby --role compute\n  \
    stackhop check nova.conf --release stein --format github\n  \
    stackhop check computes/ --release juno --format json\n  \
    stackhop check            # the files, releases and roles of ./stackhop.toml\n\n\
    Without FILE or --release, the project config (stackhop.toml, from this folder \
    upwards) says which files to check and each one's release and role; flags win \
    over it (see `stackhop config --help`)."
)]
pub struct CheckArgs {
    /// Config files (`-` for standard input), folders (every *.conf under them) or patterns; none: those stackhop.toml lists
    #[arg(value_name = "FILE")]
    files: Vec<String>,
    /// Report as a fleet (a table, or JSON with an entry a file) even for one file
    #[arg(long)]
    fleet: bool,
    /// The release to check against (a name, or a nova version such as 23.0.0; default: the file's in stackhop.toml)
    #[arg(long)]
    release: Option<String>,
    /// Output format [default: text, or stackhop.toml's]
    #[arg(long, value_parser = Format::only(project::CHECK_FORMATS))]
    format: Option<Format>,
    /// Also check what this role must set
    #[arg(long, value_enum)]
    role: Option<RoleArg>,
    /// Exit 1 on warnings too
    #[arg(long)]
    strict: bool,
    /// Do not report findings of this code (or name); repeatable
    #[arg(long, value_name = "CODE")]
    skip: Vec<String>,
    #[command(flatten)]
    report: ReportArgs,
}

/// Tell which releases a config file fits, best first, with the evidence
///
/// Each release scores the file by the option names it uses: names the
/// release has count for it, old names it still reads count less, names it
/// does not know count against it. The evidence lists options only some
/// releases know.
///
/// Many files (several, a folder, a pattern) give a table a file: the
/// release it fits best, or their range.
#[derive(Args)]
pub struct DetectArgs {
    /// Config files (`-` for standard input), folders (every *.conf under them) or patterns
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// Report as a fleet (a table, or JSON with an entry a file) even for one file
    #[arg(long)]
    fleet: bool,
    #[arg(long, value_parser = Format::only(&[Format::Text, Format::Json]), default_value = "text")]
    format: Format,
    #[command(flatten)]
    data: DataArgs,
}

pub fn check(args: CheckArgs) -> Outcome {
    // Defaults from the project config (stackhop.toml): which files, each
    // one's release and role, format, strict, skip. Flags win. The one
    // place check reads it; the rules live in project.rs.
    let project = Project::discover()?;
    let settings = CheckSettings::resolve(project.as_ref(), args.format, args.strict, &args.skip)?;
    // Files named on the command line: several, a folder, a pattern or
    // --fleet are a fleet, each file with its release and role (flags, or
    // stackhop.toml). SARIF is one run of every file, made below.
    if !args.files.is_empty() && settings.format.value != Format::Sarif {
        if let Inputs::Many(expanded) = fleet::inputs(&args.files, args.fleet, true)? {
            return check_many(&args, &expanded, project.as_ref(), &settings);
        }
    } else if args.fleet {
        return Err(Error::user(
            "--fleet needs the files named on the command line, and no --format sarif",
        ));
    }
    let groups = project::groups(
        project.as_ref(),
        &args.files,
        args.release.as_deref(),
        "--release",
        true,
        args.role.map(Role::from),
    )?;

    let catalog = args.report.data.catalog()?;
    // Every file is read (and every release resolved) before anything is
    // checked or printed: a file that cannot be read prints nothing.
    let mut runs = Vec::new();
    for group in &groups {
        let Some(wanted) = &group.release else {
            return Err(Error::internal("a group to check without a release"));
        };
        let release = catalog
            .resolve(&wanted.value)
            .map_err(|e| wanted.error("--release", e))?;
        let options = check::Options {
            role: group.role.as_ref().map(|r| r.value),
        };
        super::note(&project::describe_group(group, release.name(), &settings));
        let mut docs = Vec::new();
        for file in &group.files {
            let source = Source::read(file)?;
            let doc = Document::parse_lenient(source.bytes)
                .map_err(|e| Error::user(e.to_string()).context(&source.name))?;
            docs.push((source.name, doc));
        }
        runs.push((release, options, docs));
    }
    let skip = &settings.skip.value;
    let skipped = |f: &check::Finding| skip.iter().any(|c| c == f.code);
    let strict = settings.strict.value;
    let fails = |s: check::Severity| {
        s == check::Severity::Error || (strict && s == check::Severity::Warning)
    };
    let redactor = args.report.secrets.redactor();
    let color = args.report.color.stdout();
    // Every format is written a finding at a time as the check makes them
    // (each through its masked view): a file with millions of findings never
    // has them all at once. One JSON report per release and role (a JSON
    // stream when the project's files run several); SARIF holds every
    // report in one run.
    let format = settings.format.value;
    let mut failed = false;
    // Why a check stopped (a release's data), told after the output.
    let mut stopped: Option<stackhop::release::CatalogError> = None;
    let mut check_file = |doc: &Document,
                          release,
                          options: &check::Options,
                          sink: &mut dyn FnMut(check::Finding) -> std::io::Result<()>|
     -> std::io::Result<()> {
        let run = check::check_each(doc, &catalog, release, options, |f| {
            if skipped(&f) {
                return Ok(());
            }
            failed |= fails(f.severity);
            sink(f).map_err(Stop::Io)
        });
        match run {
            Ok(()) => Ok(()),
            Err(Stop::Io(e)) => Err(e),
            Err(Stop::Catalog(e)) => {
                stopped = Some(e);
                Err(std::io::Error::other("the check stopped"))
            }
        }
    };
    let root = project::sarif_root(project.as_ref());
    let uri = |f: &str| project::sarif_uri(root.as_deref(), f);
    let printed = print_with(|out| {
        let mut sarif = (format == Format::Sarif).then(report::sarif::check_stream);
        for (release, options, docs) in &runs {
            match format {
                Format::Json => {
                    report::findings::write_json(
                        release.name(),
                        docs.len(),
                        redactor,
                        |sink| {
                            for (file, doc) in docs {
                                check_file(doc, release, options, &mut |f| sink(file, f))?;
                            }
                            Ok(())
                        },
                        out,
                    )?;
                }
                Format::Sarif | Format::Github => {
                    for (file, doc) in docs {
                        check_file(doc, release, options, &mut |f| {
                            let view = FindingView::from_owned(file, f, redactor);
                            match &mut sarif {
                                Some(sarif) => sarif.result(
                                    &report::sarif::check_result(&view, release.name(), &uri),
                                    out,
                                ),
                                None => report::findings::write_github(&view, out),
                            }
                        })?;
                    }
                }
                _ => {
                    for (file, doc) in docs {
                        let mut text = report::findings::TextOf::new(file, redactor, color);
                        check_file(doc, release, options, &mut |f| text.write(f, out))?;
                        text.summary(&release.info.core().title, out)?;
                    }
                }
            }
        }
        match sarif {
            Some(sarif) => sarif.finish(out),
            None => Ok(()),
        }
    });
    if let Some(e) = stopped {
        return Err(e.into());
    }
    printed?;
    Ok(found(failed))
}

/// Why a check streamed to the output stopped.
enum Stop {
    Catalog(stackhop::release::CatalogError),
    Io(std::io::Error),
}

impl From<stackhop::release::CatalogError> for Stop {
    fn from(e: stackhop::release::CatalogError) -> Stop {
        Stop::Catalog(e)
    }
}

pub fn detect(args: DetectArgs) -> Outcome {
    let file = match fleet::inputs(&args.files, args.fleet, false)? {
        Inputs::Listed(mut files) => files.remove(0),
        Inputs::Many(expanded) => return detect_many(&args, &expanded),
    };
    let catalog = args.data.catalog()?;
    let source = Source::read(&file)?;
    let doc = Document::parse_lenient(source.bytes.clone())
        .map_err(|e| Error::user(e.describe(&source.name, &source.bytes)))?;
    // The lines nova refuses are left out of the evidence; say so.
    let problems = doc.problems();
    if let Some(first) = problems.first() {
        let more = match problems.len() - 1 {
            0 => String::new(),
            1 => " (and 1 more such line)".to_string(),
            n => format!(" (and {n} more such lines)"),
        };
        warn(&format!(
            "{}{more}; nova would refuse this file: such lines are left out of the evidence",
            first.describe(&source.name, doc.line_text(first.line))
        ));
    }
    let detection = detect::detect(&doc, &catalog)?;
    let out = match args.format {
        Format::Json => report::detect::json(&source.name, &detection),
        _ => report::detect::text(&source.name, &catalog, &detection),
    };
    print(out)?;
    Ok(ExitCode::SUCCESS)
}

/// Many files, in parallel: a fleet of checks, each file with the release
/// it fits and its findings.
fn check_many(
    args: &CheckArgs,
    expanded: &Expanded,
    project: Option<&Project>,
    settings: &CheckSettings,
) -> Outcome {
    let catalog = args.report.data.catalog()?;
    let format = settings.format.value;
    // A release given by the flag is resolved once, before any file.
    let flagged = match &args.release {
        Some(r) => Some(
            catalog
                .resolve(r)
                .map_err(|e| Error::user(e).context("--release"))?,
        ),
        None => None,
    };
    let redactor = args.report.secrets.redactor();
    let one = |input: &Input| -> Done {
        let name = input.name();
        // Flags win; else what stackhop.toml says of this file.
        let listed = project.and_then(|p| p.settings_for(Path::new(&name)));
        let release = match (flagged, &listed) {
            (Some(r), _) => r,
            (None, Some(s)) => catalog
                .resolve(&s.release.value)
                .map_err(|e| s.release.error("--release", e))?,
            (None, None) => {
                return Err(Error::user(format!(
                    "no release for this file: give --release RELEASE, or list the file under [[files]] in {}",
                    project.map_or("a stackhop.toml", |p| p.shown.as_str())
                ))
                .context(&name));
            }
        };
        let options = check::Options {
            role: args.role.map(Role::from).or_else(|| {
                listed
                    .as_ref()
                    .and_then(|s| s.role.as_ref().map(|r| r.value))
            }),
        };
        let source = Source::read(&name)?;
        let doc = Document::parse_lenient(source.bytes)
            .map_err(|e| Error::user(e.to_string()).context(&name))?;
        let mut findings = check::check(&doc, &catalog, release, &options)?;
        findings.retain(|f| !settings.skip.value.iter().any(|c| c == f.code));
        let (fits, fits_range) = fits(&doc, &catalog)?;
        let view = CheckView::from_owned(
            release.name(),
            &release.info.core().title,
            [(name.as_str(), findings)],
            redactor,
        );
        let extra = match format {
            Format::Github => report::findings::github(&view),
            _ => String::new(),
        };
        let status = if view.fails(settings.strict.value) {
            Status::Findings
        } else {
            Status::Ok
        };
        let entry = FleetEntry {
            release: fits,
            fits: fits_range,
            target: Some(release.name().to_string()),
            errors: Some(view.summary.errors),
            warnings: Some(view.summary.warnings),
            infos: Some(view.summary.infos),
            shared: Shared::of_check(&view),
            report: fleet::report_for(format, &view)?,
            ..FleetEntry::new(&name, Command::Check, status)
        };
        Ok((entry, extra))
    };
    let ran = fleet::run(
        expanded,
        &catalog,
        Command::Check,
        Work::Compute,
        format,
        |input| (one(input), None),
    );
    fleet::print_fleet(&ran, format, args.report.color)?;
    let code = fleet::exit(&ran, |s| s == Status::Findings);
    fleet::leave(catalog, ran);
    Ok(code)
}

/// The release a document fits best (the oldest of equal fits), and the
/// range when several fit equally; none when no option tells.
fn fits(doc: &Document, catalog: &Catalog) -> Result<(Option<String>, Option<String>), Error> {
    let detection = detect::detect(doc, catalog)?;
    let known = detection
        .candidates
        .iter()
        .any(|c| c.current + c.old_names > 0);
    let best: Vec<String> = detection
        .best()
        .iter()
        .map(|r| r.name().to_string())
        .collect();
    if !known || best.is_empty() {
        return Ok((None, None));
    }
    let range = (best.len() > 1).then(|| detect::ranges(catalog, &best));
    Ok((best.first().cloned(), range))
}

/// Many files, in parallel: the release each fits.
fn detect_many(args: &DetectArgs, expanded: &Expanded) -> Outcome {
    let catalog = args.data.catalog()?;
    let one = |input: &Input| -> Done {
        let name = input.name();
        let source = Source::read(&name)?;
        let doc = Document::parse_lenient(source.bytes.clone())
            .map_err(|e| Error::user(e.describe(&name, &source.bytes)))?;
        let notes = match doc.problems().len() {
            0 => Vec::new(),
            n => vec![format!(
                "{name}: {} nova refuses; nova would refuse this file: such lines are left out of the evidence",
                report::plural(n, "line")
            )],
        };
        let detection = detect::detect(&doc, &catalog)?;
        let (release, range) = fits(&doc, &catalog)?;
        let report = match args.format {
            Format::Json => Some(
                serde_json::from_str(&report::detect::json(&name, &detection))
                    .map_err(|e| Error::user(format!("{name}: {e}")))?,
            ),
            _ => None,
        };
        let entry = FleetEntry {
            release,
            fits: range,
            notes,
            report,
            ..FleetEntry::new(&name, Command::Detect, Status::Ok)
        };
        Ok((entry, String::new()))
    };
    let ran = fleet::run(
        expanded,
        &catalog,
        Command::Detect,
        Work::Compute,
        args.format,
        |input| (one(input), None),
    );
    for e in &ran.view.files {
        for note in &e.notes {
            warn(note);
        }
    }
    // detect's output is never coloured (it takes no --color).
    let color = ColorArgs {
        color: ColorChoice::Never,
    };
    fleet::print_fleet(&ran, args.format, color)?;
    Ok(fleet::exit(&ran, |_| false))
}
