//! Command-line arguments, dispatch and exit codes.
//!
//! Exit codes: 0 success; 1 "not found" (`get`) or findings (`check`); 2 bad
//! input, usage or I/O error, reported as one line `stackhop: FILE:LINE: reason`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use stackhop::check::{self, Severity};
use stackhop::conf::{Document, LineProblem, ParseError, nth_line};
use stackhop::files::{STDIO, Source, write_file};
use stackhop::release::{Catalog, Release, Role};
use stackhop::report;
use stackhop::report::findings::FileFindings;
use stackhop::report::redact::Redactor;
use stackhop::report::style::Style;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "stackhop",
    version,
    about = "Carry a nova.conf from one OpenStack release to another",
    long_about = "Carry a nova.conf from one OpenStack release to another.\n\n\
        stackhop reads nova.conf exactly as nova does (oslo.config's rules), edits it \
        without disturbing a byte it does not have to change, and explains what it reads.",
    after_help = "Exit status: 0 success, 1 not found (get) or findings (check), 2 bad input or usage.\n\
        Run 'stackhop COMMAND --help' for the details of a command."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: Global,
}

#[derive(Args)]
struct Global {
    /// Read release data from DIR (shaped like the project's releases/) instead of the built-in data
    #[arg(long, global = true, value_name = "DIR")]
    releases_dir: Option<PathBuf>,
    /// Show secret values (passwords, URLs with passwords…) instead of masking them
    #[arg(long, global = true)]
    show_secrets: bool,
}

impl Global {
    fn catalog(&self) -> Result<Catalog, Fail> {
        Ok(Catalog::load(self.releases_dir.as_deref())?)
    }

    fn redactor(&self) -> Redactor {
        Redactor::new(self.show_secrets)
    }
}

#[derive(Subcommand)]
enum Command {
    Inspect(InspectArgs),
    Get(GetArgs),
    Set(SetArgs),
    Del(DelArgs),
    Check(CheckArgs),
    Detect(DetectArgs),
    Migrate(MigrateArgs),
    Diff(DiffArgs),
    Explain(ExplainArgs),
    Releases(ReleasesArgs),
}

/// Upgrade a config file to a later release, hop by hop
///
/// Applies, for every release after --from up to --to, that release's rules
/// (renames, moves, removals, rabbit_* into transport_url, …) and the
/// renames and removals its option inventory implies. Only what must change
/// changes: comments, spacing and order stay. Every input option ends up in
/// the report, changed by a named rule or unchanged; what editing cannot do
/// (new databases, cells v2, placement, removed services) is listed as
/// manual steps. Without -o or --in-place the migrated file goes to standard
/// output and the summary to standard error.
#[derive(Args)]
#[command(
    after_help = "Exit status: 0 done (with --check: nothing would change), \
    1 with --check: something would change, 2 bad input.\n\nExamples:\n  \
    stackhop migrate nova.conf --to wallaby --diff\n  \
    stackhop migrate /etc/nova/nova.conf --from juno --to stein --role controller --in-place\n  \
    stackhop migrate nova.conf --to wallaby --format json | jq '.manual'"
)]
struct MigrateArgs {
    /// The config file (`-` for standard input)
    file: String,
    /// The release to migrate to (a name, or a nova version)
    #[arg(long)]
    to: String,
    /// The release the file is for (detected when omitted, as `detect` does)
    #[arg(long)]
    from: Option<String>,
    /// Only manual steps and required options of this role
    #[arg(long, value_enum)]
    role: Option<RoleArg>,
    /// Write the migrated file to OUT (`-` for standard output)
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
    /// Print the report in this format instead of the file (json: see the
    /// README; markdown: a pull-request comment; github: workflow annotations)
    #[arg(long, value_enum)]
    format: Option<ReportFormat>,
    /// Comment removed options out, under a marker naming the rule, instead of deleting them
    #[arg(long)]
    keep_removed: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Text,
    Json,
    /// A pull-request comment
    Markdown,
    /// GitHub Actions workflow annotations
    Github,
}

/// Compare two versions of a config by what nova reads from them
///
/// Lists the options added, removed, changed and moved between sections, by
/// section, as nova reads them (a change of spacing or a comment is not a
/// change of meaning), then the unified diff of the text. With --release,
/// an old name and its current name are one option. Exit 0 when nothing
/// changes in meaning, 1 when something does, 2 on bad input.
#[derive(Args)]
#[command(after_help = "Examples:\n  stackhop diff nova.conf.orig nova.conf\n  \
    stackhop diff --release wallaby --format markdown old.conf new.conf > comment.md")]
struct DiffArgs {
    old: String,
    new: String,
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// Judge options by this release's inventory (old names, types, secrets)
    #[arg(long)]
    release: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Text,
    /// A pull-request comment
    Markdown,
    Json,
}

/// Explain a migration rule or a check finding: what it does, why, evidence, an example
#[derive(Args)]
struct ExplainArgs {
    /// A rule id (MSG002, VNC003, INV-RENAME…) or a finding code (C104, removed-option…)
    id: String,
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
    stackhop check nova.conf --release stein --format github"
)]
struct CheckArgs {
    /// Config files (`-` for standard input)
    #[arg(required = true)]
    files: Vec<String>,
    /// The release to check against (a name, or a nova version such as 23.0.0)
    #[arg(long)]
    release: String,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
    /// Also check what this role must set
    #[arg(long, value_enum)]
    role: Option<RoleArg>,
    /// Exit 1 on warnings too
    #[arg(long)]
    strict: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
    /// GitHub Actions workflow annotations
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
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

/// Tell which releases a config file fits, best first, with the evidence
///
/// Each release scores the file by the option names it uses: names the
/// release has count for it, old names it still reads count less, names it
/// does not know count against it. The evidence lists options only some
/// releases know.
#[derive(Args)]
struct DetectArgs {
    /// The config file (`-` for standard input)
    file: String,
    #[arg(long, value_enum, default_value_t = InspectFormat::Text)]
    format: InspectFormat,
}

/// List the releases stackhop knows, or show one
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
struct ReleasesArgs {
    #[command(subcommand)]
    show: Option<ReleasesCommand>,
    #[arg(long, value_enum, default_value_t = InspectFormat::Text)]
    format: InspectFormat,
}

#[derive(Subcommand)]
enum ReleasesCommand {
    /// Show a release: services, databases, upgrade steps, required options
    Show {
        /// A release name, or a nova version such as 14.0.7
        release: String,
        /// List the whole nova.conf option inventory too
        #[arg(long)]
        options: bool,
        /// Print a sample nova.conf instead: every option with its default, commented out
        #[arg(long, conflicts_with_all = ["options", "format"])]
        sample: bool,
        #[arg(long, value_enum, default_value_t = InspectFormat::Text)]
        format: InspectFormat,
    },
}

/// Show what nova reads from a config file: every assignment, in file order
///
/// Values are shown exactly as nova reads them: continuation lines joined
/// with a newline, one pair of surrounding quotes removed, and no inline
/// comment stripped (nova has none: in `debug = True  # note` the value is
/// `True  # note`). A file nova would refuse is an error naming the line.
#[derive(Args)]
#[command(after_help = "Examples:\n  stackhop inspect /etc/nova/nova.conf\n  \
    stackhop inspect --format json nova.conf | jq '.options[] | select(.section == \"vnc\")'\n  \
    stackhop inspect --lenient broken.conf")]
struct InspectArgs {
    /// The config file (`-` for standard input)
    file: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = InspectFormat::Text)]
    format: InspectFormat,
    /// Show what can be read from a file nova would refuse, and list the bad lines
    #[arg(long)]
    lenient: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum InspectFormat {
    Text,
    Json,
}

/// Print the value nova uses for an option
///
/// For an option set more than once, nova uses the last value (multi-valued
/// options use all of them: see --all). Exits 1 when the option is not set.
#[derive(Args)]
#[command(
    after_help = "Examples:\n  stackhop get /etc/nova/nova.conf DEFAULT transport_url\n  \
    stackhop get --all nova.conf filter_scheduler enabled_filters"
)]
struct GetArgs {
    /// The config file (`-` for standard input)
    file: String,
    /// Section, e.g. DEFAULT or vnc (other than DEFAULT, case does not matter)
    section: String,
    key: String,
    /// Print every value, one a line, in file order
    #[arg(long)]
    all: bool,
}

/// Set an option, editing the file in place
///
/// Like crudini --set, but nothing else in the file changes: comments,
/// spacing and line endings stay. An existing option gets its new value on
/// its own line (if it is set more than once, the last one, which nova uses,
/// is replaced). A new option goes after the last option of its section, or
/// right under a commented template line such as `#server_listen = ...`; a
/// new section goes at the end. The file is replaced atomically and keeps its
/// mode and owner; the previous version is kept as FILE.bak.
#[derive(Args)]
#[command(
    after_help = "Examples:\n  stackhop set /etc/nova/nova.conf vnc server_listen 10.0.0.11\n  \
    stackhop set --dry-run nova.conf DEFAULT debug True"
)]
struct SetArgs {
    /// The config file (`-` for standard input, written to standard output)
    file: String,
    section: String,
    key: String,
    /// The value nova should read (quoted in the file when nova would otherwise strip it)
    value: String,
    #[command(flatten)]
    write: WriteArgs,
}

/// Delete an option (every occurrence) or a whole section
///
/// A section left with nothing but blank lines loses its header too. Deleting
/// what is not there is not an error (it says so on standard error).
#[derive(Args)]
#[command(
    after_help = "Examples:\n  stackhop del /etc/nova/nova.conf DEFAULT rpc_backend\n  \
    stackhop del --dry-run nova.conf xenserver"
)]
struct DelArgs {
    /// The config file (`-` for standard input, written to standard output)
    file: String,
    section: String,
    /// The option to delete; without it, the whole section goes
    key: Option<String>,
    #[command(flatten)]
    write: WriteArgs,
}

#[derive(Args)]
struct WriteArgs {
    /// Print the unified diff of the change instead of writing it
    #[arg(long, conflicts_with = "output")]
    dry_run: bool,
    /// Write the result to OUT (`-` for standard output) and leave FILE as it is
    #[arg(short = 'o', long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Do not keep the previous version as FILE.bak
    #[arg(long)]
    no_backup: bool,
}

impl WriteArgs {
    /// Reads FILE, to edit it in place unless the result goes elsewhere.
    fn load(&self, name: &str) -> Result<(Source, Document), Fail> {
        if self.dry_run || self.output.is_some() {
            load(name)
        } else {
            load_to_edit(name)
        }
    }
}

/// A failure reported as `stackhop: MESSAGE`, exit 2.
struct Fail(String);

impl<E: std::fmt::Display> From<E> for Fail {
    fn from(e: E) -> Fail {
        Fail(e.to_string())
    }
}

type Outcome = Result<ExitCode, Fail>;

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let global = cli.global;
    let result = match cli.command {
        Command::Inspect(args) => inspect(args),
        Command::Get(args) => get(args),
        Command::Set(args) => set(args, &global),
        Command::Del(args) => del(args, &global),
        Command::Check(args) => check(args, &global),
        Command::Detect(args) => detect(args, &global),
        Command::Migrate(args) => migrate(args, &global),
        Command::Diff(args) => diff(args, &global),
        Command::Explain(args) => explain(args),
        Command::Releases(args) => releases(args, &global),
    };
    match result {
        Ok(code) => code,
        Err(Fail(message)) => {
            eprintln!("stackhop: {message}");
            ExitCode::from(2)
        }
    }
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
fn print(bytes: &[u8]) -> Result<(), Fail> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Fail(e.to_string())),
        _ => Ok(()),
    }
}

fn warn(message: &str) {
    eprintln!("stackhop: warning: {message}");
}

/// `FILE:LINE: reason; hint` for a parse error.
fn parse_failure(name: &str, bytes: &[u8], err: ParseError) -> Fail {
    match err {
        ParseError::Line(p) => Fail(describe(name, nth_line(bytes, p.line), p)),
        ParseError::TooLarge => Fail(format!("{name}: {err}")),
    }
}

/// `FILE:LINE: reason`, with a hint when the line's text suggests one.
fn describe(name: &str, text: Option<&[u8]>, p: LineProblem) -> String {
    match p.problem.hint(text.unwrap_or_default()) {
        Some(hint) => format!("{name}:{}: {}; {hint}", p.line, p.problem),
        None => format!("{name}:{}: {}", p.line, p.problem),
    }
}

/// Why nova refuses a file its lines cannot show: a BOM, or bytes that are
/// not UTF-8. `(line, reason)`.
fn encoding_problem(doc: &Document) -> Option<(usize, &'static str)> {
    if doc.has_bom() {
        return Some((
            1,
            "file starts with a UTF-8 byte order mark (BOM); nova reads it as text \
             on line 1 and refuses the file",
        ));
    }
    doc.first_invalid_utf8_line().map(|line| {
        (
            line,
            "line is not valid UTF-8; nova decodes config files as UTF-8 and refuses this one",
        )
    })
}

/// Reads and parses a file by oslo.config's rules. Encoding problems are
/// warnings here: the file can still be read and edited.
fn load(name: &str) -> Result<(Source, Document), Fail> {
    load_from(Source::read(name)?)
}

/// As [`load`], for an edit in place: only a regular file, locked until
/// the edit is written (see `Source::read_to_edit`).
fn load_to_edit(name: &str) -> Result<(Source, Document), Fail> {
    load_from(Source::read_to_edit(name)?)
}

fn load_from(source: Source) -> Result<(Source, Document), Fail> {
    let doc = Document::parse(source.bytes.clone())
        .map_err(|e| parse_failure(&source.name, &source.bytes, e))?;
    if let Some((line, reason)) = encoding_problem(&doc) {
        warn(&format!("{}:{line}: {reason}", source.name));
    }
    Ok((source, doc))
}

fn inspect(args: InspectArgs) -> Outcome {
    let source = Source::read(&args.file)?;
    let name = &source.name;
    let doc = if args.lenient {
        Document::parse_lenient(source.bytes.clone())
    } else {
        Document::parse(source.bytes.clone())
    }
    .map_err(|e| parse_failure(name, &source.bytes, e))?;
    let problems = doc.problems();
    if let Some((line, reason)) = encoding_problem(&doc) {
        if !args.lenient {
            return Err(Fail(format!("{name}:{line}: {reason}")));
        }
        warn(&format!("{name}:{line}: {reason}"));
    }
    for &p in &problems {
        warn(&describe(name, doc.line_text(p.line), p));
    }
    let out = match args.format {
        InspectFormat::Text => report::inspect::text(&doc),
        InspectFormat::Json => report::inspect::json(name, &doc, &problems),
    };
    print(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn get(args: GetArgs) -> Outcome {
    let (source, doc) = load(&args.file)?;
    let values: Vec<_> = doc.get_all(&args.section, &args.key).collect();
    let Some(last) = values.last() else {
        eprintln!(
            "stackhop: {}: [{}] {} is not set",
            source.name, args.section, args.key
        );
        return Ok(ExitCode::from(1));
    };
    let mut out = Vec::new();
    let shown = if args.all {
        &values[..]
    } else {
        std::slice::from_ref(last)
    };
    for e in shown {
        out.extend_from_slice(&e.value_bytes());
        out.push(b'\n');
    }
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn set(args: SetArgs, global: &Global) -> Outcome {
    let (source, mut doc) = args.write.load(&args.file)?;
    let before = args.write.dry_run.then(|| doc.clone());
    let outcome = doc
        .set(&args.section, &args.key, &args.value)
        .map_err(|e| Fail(format!("{}: {e}", source.name)))?;
    if let Some(previous) = &outcome.previous {
        if previous.occurrences > 1 {
            eprintln!(
                "stackhop: note: {}:{}: [{}] {} is set {} times; replaced the last one, \
                 the one nova uses",
                source.name, outcome.line, args.section, args.key, previous.occurrences
            );
        }
    }
    finish(&source, before.as_ref(), &doc, &args.write, global)
}

fn del(args: DelArgs, global: &Global) -> Outcome {
    let (source, mut doc) = args.write.load(&args.file)?;
    let before = args.write.dry_run.then(|| doc.clone());
    let removed = match &args.key {
        Some(key) => doc.delete(&args.section, key),
        None => doc.remove_section(&args.section),
    };
    if removed == 0 {
        let what = match &args.key {
            Some(key) => format!("[{}] {key}", args.section),
            None => format!("section [{}]", args.section),
        };
        eprintln!("stackhop: {}: no {what}; nothing to delete", source.name);
    }
    finish(&source, before.as_ref(), &doc, &args.write, global)
}

/// Writes an edited document where the arguments say, or, given the
/// document as it was before the edit (`--dry-run`), prints the diff.
fn finish(
    source: &Source,
    before: Option<&Document>,
    doc: &Document,
    write: &WriteArgs,
    global: &Global,
) -> Outcome {
    let bytes = doc.to_bytes();
    if let Some(before) = before {
        let catalog = global.catalog()?;
        let diff = masked_diff(&source.name, before, doc, &catalog, global.redactor())?;
        print(diff.as_bytes())?;
    } else if let Some(out) = &write.output {
        if out.as_os_str() == STDIO {
            print(&bytes)?;
        } else {
            let like = (!source.is_stdin()).then(|| std::path::Path::new(&source.name));
            write_file(out, &bytes, like)?;
        }
    } else if source.is_stdin() {
        print(&bytes)?;
    } else if bytes != source.bytes {
        source.replace(&bytes, !write.no_backup)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The unified diff of an edit. It is an output like any other: its
/// secrets are masked, judged by what any release says of each option.
fn masked_diff(
    name: &str,
    before: &Document,
    after: &Document,
    catalog: &Catalog,
    redactor: Redactor,
) -> Result<String, Fail> {
    let index = catalog.history()?;
    let secret = |g: &str, k: &str| index.is_secret(g, k);
    let old = report::redact::document(before, secret, redactor);
    let new = report::redact::document(after, secret, redactor);
    Ok(report::diff::unified(name, &old, &new))
}

fn resolve<'c>(catalog: &'c Catalog, name: &str) -> Result<&'c Release, Fail> {
    catalog.resolve(name).map_err(Fail)
}

fn check(args: CheckArgs, global: &Global) -> Outcome {
    let catalog = global.catalog()?;
    let release = resolve(&catalog, &args.release)?;
    let options = check::Options {
        role: args.role.map(Role::from),
    };
    let mut results = Vec::new();
    for file in &args.files {
        let source = Source::read(file)?;
        let doc = Document::parse_lenient(source.bytes)
            .map_err(|e| Fail(format!("{}: {e}", source.name)))?;
        let findings = check::check(&doc, &catalog, release, &options)?;
        results.push((source.name, findings));
    }
    let files: Vec<FileFindings> = results
        .iter()
        .map(|(file, findings)| FileFindings { file, findings })
        .collect();
    let redactor = global.redactor();
    let out = match args.format {
        CheckFormat::Text => report::findings::text(
            &files,
            &release.info.title,
            redactor,
            Style::detect(std::io::stdout().is_terminal()),
        ),
        CheckFormat::Json => report::findings::json(&files, release.name(), redactor),
        CheckFormat::Github => report::findings::github(&files, redactor),
    };
    print(out.as_bytes())?;
    let fails = |f: &&check::Finding| {
        f.severity == Severity::Error || (args.strict && f.severity == Severity::Warning)
    };
    let failed = results.iter().any(|(_, fs)| fs.iter().any(|f| fails(&f)));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn detect(args: DetectArgs, global: &Global) -> Outcome {
    let catalog = global.catalog()?;
    let source = Source::read(&args.file)?;
    let doc = Document::parse_lenient(source.bytes.clone())
        .map_err(|e| parse_failure(&source.name, &source.bytes, e))?;
    // The lines nova refuses are left out of the evidence; say so.
    let problems = doc.problems();
    if let Some(&first) = problems.first() {
        let more = match problems.len() - 1 {
            0 => String::new(),
            1 => " (and 1 more such line)".to_string(),
            n => format!(" (and {n} more such lines)"),
        };
        warn(&format!(
            "{}{more}; nova would refuse this file: such lines are left out of the evidence",
            describe(&source.name, doc.line_text(first.line), first)
        ));
    }
    let detection = check::detect::detect(&doc, &catalog)?;
    let out = match args.format {
        InspectFormat::Text => report::detect::text(&source.name, &catalog, &detection),
        InspectFormat::Json => report::detect::json(&source.name, &detection),
    };
    print(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn releases(args: ReleasesArgs, global: &Global) -> Outcome {
    let catalog = global.catalog()?;
    let out = match args.show {
        None => match args.format {
            InspectFormat::Text => report::releases::list_text(&catalog),
            InspectFormat::Json => report::releases::list_json(&catalog),
        },
        Some(ReleasesCommand::Show {
            release,
            options,
            sample,
            format,
        }) => {
            let release = resolve(&catalog, &release)?;
            if sample {
                let inventory = release.inventory()?;
                let text = stackhop::release::sample::render(
                    inventory,
                    &release.info.title,
                    stackhop::release::sample::Mode::Commented,
                );
                print(text.as_bytes())?;
                return Ok(ExitCode::SUCCESS);
            }
            match format {
                InspectFormat::Text => report::releases::show_text(release, options)?,
                InspectFormat::Json => report::releases::show_json(release, options)?,
            }
        }
    };
    print(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn migrate(args: MigrateArgs, global: &Global) -> Outcome {
    use stackhop::migrate;
    let catalog = global.catalog()?;
    let to = resolve(&catalog, &args.to)?;
    let (source, doc) = if args.in_place && !args.check {
        load_to_edit(&args.file)?
    } else {
        load(&args.file)?
    };
    if args.in_place && source.is_stdin() {
        return Err(Fail("--in-place needs a file, not standard input".into()));
    }
    let from = match &args.from {
        Some(name) => resolve(&catalog, name)?,
        None => {
            let detection = check::detect::detect(&doc, &catalog)?;
            let guess = detection.guess().ok_or_else(|| {
                Fail(format!(
                    "{}: no option to tell the release by; give --from",
                    source.name
                ))
            })?;
            let best: Vec<String> = detection
                .best()
                .iter()
                .map(|r| r.info.name.clone())
                .collect();
            let range = check::detect::ranges(&catalog, &best);
            eprintln!(
                "stackhop: {}: --from not given; detected {} (the file fits {range}); give --from to be exact",
                source.name,
                guess.name()
            );
            guess
        }
    };
    let book = migrate::RuleBook::embedded().map_err(|e| Fail(e.to_string()))?;
    let options = migrate::Options {
        role: args.role.map(Role::from),
        keep_removed: args.keep_removed,
    };
    let before = (args.diff || args.format == Some(ReportFormat::Markdown)).then(|| doc.clone());
    let m = migrate::migrate(doc, &catalog, &book, from, to, options)
        .map_err(|e| Fail(format!("{}: {e}", source.name)))?;
    let redactor = global.redactor();
    let bytes = m.document.to_bytes();
    let summary = report::migration::text(
        &source.name,
        &m,
        redactor,
        Style::detect(std::io::stderr().is_terminal()),
    );
    let diff = match &before {
        Some(before) => masked_diff(&source.name, before, &m.document, &catalog, redactor)?,
        None => String::new(),
    };
    if args.diff {
        let style = Style::detect(std::io::stdout().is_terminal());
        print(report::diff::colored(&diff, style).as_bytes())?;
    }
    match args.format {
        Some(ReportFormat::Json) => {
            print(report::migration::json(&source.name, &m, redactor).as_bytes())?
        }
        Some(ReportFormat::Text) => print(summary.as_bytes())?,
        Some(ReportFormat::Markdown) => print(
            report::markdown::migration(
                &source.name,
                &m,
                &from.info.title,
                &to.info.title,
                &diff,
                redactor,
            )
            .as_bytes(),
        )?,
        Some(ReportFormat::Github) => {
            print(report::migration::github(&source.name, &m, redactor).as_bytes())?
        }
        None => {}
    }
    let report_on_stdout = args.diff || args.format.is_some();
    if args.format != Some(ReportFormat::Text) {
        eprint!("{summary}");
    }
    if args.check {
        return Ok(if m.changed() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    if let Some(out) = &args.output {
        if out.as_os_str() == STDIO {
            print(&bytes)?;
        } else {
            let like = (!source.is_stdin()).then(|| std::path::Path::new(&source.name));
            write_file(out, &bytes, like)?;
        }
    } else if args.in_place {
        if bytes != source.bytes {
            source.replace(&bytes, !args.no_backup)?;
        }
    } else if !report_on_stdout {
        print(&bytes)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn explain(args: ExplainArgs) -> Outcome {
    use stackhop::migrate::{RuleBook, builtin};
    let book = RuleBook::embedded().map_err(|e| Fail(e.to_string()))?;
    let out = if let Some((release, rule)) = book.find(&args.id) {
        report::explain::rule(release, rule)
    } else if let Some((id, summary, why)) = builtin::ALL
        .iter()
        .find(|(id, ..)| id.eq_ignore_ascii_case(&args.id))
    {
        report::explain::builtin(id, summary, why)
    } else if let Some(kind) = check::Kind::by_code(&args.id) {
        report::explain::finding(kind)
    } else {
        let ids: Vec<&str> = book.all().map(|(_, r)| r.id.as_str()).collect();
        return Err(Fail(format!(
            "no rule or finding {:?}; rules: {}; findings: C100-C402 (see stackhop check --help)",
            args.id,
            ids.join(", ")
        )));
    };
    print(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn diff(args: DiffArgs, global: &Global) -> Outcome {
    use report::compare::{self, Options};
    let catalog = global.catalog()?;
    let release = args
        .release
        .as_deref()
        .map(|r| resolve(&catalog, r))
        .transpose()?;
    let inventory = release.map(|r| r.inventory()).transpose()?;
    let index = catalog.history()?;
    let (old_source, old) = load(&args.old)?;
    let (new_source, new) = load(&args.new)?;
    let identity = |g: &str, k: &str| {
        inventory
            .and_then(|inv| inv.canonical(g, k))
            .unwrap_or_else(|| (g.to_string(), k.to_string()))
    };
    let multi = |g: &str, k: &str| matches!(inventory.map(|inv| inv.lookup(g, k)), Some(stackhop::release::Lookup::Live(o)) if o.kind.is_multi());
    let secret = |g: &str, k: &str| index.is_secret(g, k);
    let deltas = compare::compare(
        &old,
        &new,
        &Options {
            identity: &identity,
            multi: &multi,
            secret: &secret,
        },
    );
    let redactor = global.redactor();
    let unified = report::diff::between(
        &old_source.name,
        &new_source.name,
        &report::redact::document(&old, secret, redactor),
        &report::redact::document(&new, secret, redactor),
    );
    let out = match args.format {
        DiffFormat::Text => {
            let style = Style::detect(std::io::stdout().is_terminal());
            let mut text =
                compare::render::text(&old_source.name, &new_source.name, &deltas, redactor, style);
            if !unified.is_empty() {
                text.push('\n');
                text.push_str(&report::diff::colored(&unified, style));
            }
            text
        }
        DiffFormat::Json => compare::render::json(
            &old_source.name,
            &new_source.name,
            release.map(|r| r.name()),
            &deltas,
            &unified,
            redactor,
        ),
        DiffFormat::Markdown => report::markdown::comparison(
            &old_source.name,
            &new_source.name,
            &deltas,
            &unified,
            redactor,
        ),
    };
    print(out.as_bytes())?;
    Ok(if deltas.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
