//! `check` and `detect`: judging files by a release, or telling theirs.

use super::error::{Error, Outcome};
use super::project::{self, CheckSettings, Project};
use super::settings::{DataArgs, Format, ReportArgs};
use super::{found, print, warn};
use clap::{Args, ValueEnum};
use stackhop::check;
use stackhop::conf::Document;
use stackhop::files::Source;
use stackhop::release::{Role, detect};
use stackhop::report;
use stackhop::report::view::CheckView;
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
#[derive(Args)]
#[command(
    after_help = "Exit status: 0 no error findings (no warnings either, with --strict), \
    1 findings, 2 bad input.\n\nExamples:\n  stackhop check /etc/nova/nova.conf --release wallaby --role compute\n  \
    stackhop check nova.conf --release stein --format github\n  \
    stackhop check            # the files, releases and roles of ./stackhop.toml\n\n\
    Without FILE or --release, the project config (stackhop.toml, from this folder \
    upwards) says which files to check and each one's release and role; flags win \
    over it (see `stackhop config --help`)."
)]
pub struct CheckArgs {
    /// Config files (`-` for standard input); none: those stackhop.toml lists
    files: Vec<String>,
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
#[derive(Args)]
pub struct DetectArgs {
    /// The config file (`-` for standard input)
    file: String,
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
    let groups = project::groups(
        project.as_ref(),
        &args.files,
        args.release.as_deref(),
        "--release",
        true,
        args.role.map(Role::from),
    )?;

    let catalog = args.report.data.catalog()?;
    let mut views = Vec::new();
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
        let mut results = Vec::new();
        for file in &group.files {
            let source = Source::read(file)?;
            let doc = Document::parse_lenient(source.bytes)
                .map_err(|e| Error::user(e.to_string()).context(&source.name))?;
            let mut findings = check::check(&doc, &catalog, release, &options)?;
            findings.retain(|f| !settings.skip.value.iter().any(|c| c == f.code));
            results.push((source.name, findings));
        }
        views.push(CheckView::new(
            release.name(),
            &release.info.title,
            results.iter().map(|(f, fs)| (f.as_str(), fs.as_slice())),
            args.report.secrets.redactor(),
        ));
    }
    // One report per release and role (a JSON stream when the project's
    // files run several); SARIF holds them all in one run.
    let color = args.report.color.stdout();
    let out = match settings.format.value {
        Format::Sarif => {
            let root = project::sarif_root(project.as_ref());
            let uri = |f: &str| project::sarif_uri(root.as_deref(), f);
            report::sarif::check(&views.iter().collect::<Vec<_>>(), &uri)
        }
        format => views
            .iter()
            .map(|view| match format {
                Format::Json => report::findings::json(view),
                Format::Github => report::findings::github(view),
                _ => report::findings::text(view, color),
            })
            .collect(),
    };
    print(out)?;
    Ok(found(views.iter().any(|v| v.fails(settings.strict.value))))
}

pub fn detect(args: DetectArgs) -> Outcome {
    let catalog = args.data.catalog()?;
    let source = Source::read(&args.file)?;
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
