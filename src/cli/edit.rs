//! `inspect`, `get`, `set` and `del`: reading and editing one file.

use super::error::{Error, Outcome};
use super::settings::{Format, ReportArgs};
use super::{print, warn};
use clap::Args;
use stackhop::conf::Document;
use stackhop::files::{STDIO, Source, write_file};
use stackhop::report;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
pub struct InspectArgs {
    /// The config file (`-` for standard input)
    file: String,
    /// Output format
    #[arg(long, value_parser = Format::only(&[Format::Text, Format::Json]), default_value = "text")]
    format: Format,
    /// Show what can be read from a file nova would refuse, and list the bad lines
    #[arg(long)]
    lenient: bool,
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
pub struct GetArgs {
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
pub struct SetArgs {
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
pub struct DelArgs {
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
    /// Print the unified diff of the change (secrets masked) instead of writing it
    #[arg(long, conflicts_with = "output")]
    dry_run: bool,
    /// Write the result to OUT (`-` for standard output) and leave FILE as it is
    #[arg(short = 'o', long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Do not keep the previous version as FILE.bak
    #[arg(long)]
    no_backup: bool,
    #[command(flatten)]
    report: ReportArgs,
}

impl WriteArgs {
    /// Reads FILE, to edit it in place unless the result goes elsewhere.
    fn load(&self, name: &str) -> Result<(Source, Document), Error> {
        if self.dry_run || self.output.is_some() {
            load(name)
        } else {
            load_to_edit(name)
        }
    }
}

/// Reads and parses a file by oslo.config's rules. Encoding problems are
/// warnings here: the file can still be read and edited.
pub fn load(name: &str) -> Result<(Source, Document), Error> {
    load_from(Source::read(name)?)
}

/// As [`load`], for an edit in place: only a regular file, locked until the
/// edit is written (see `Source::read_to_edit`).
pub fn load_to_edit(name: &str) -> Result<(Source, Document), Error> {
    load_from(Source::read_to_edit(name)?)
}

fn load_from(source: Source) -> Result<(Source, Document), Error> {
    let doc = Document::parse(source.bytes.clone())
        .map_err(|e| Error::user(e.describe(&source.name, &source.bytes)))?;
    if let Some((line, reason)) = doc.encoding_problem() {
        warn(&format!("{}:{line}: {reason}", source.name));
    }
    Ok((source, doc))
}

pub fn inspect(args: InspectArgs) -> Outcome {
    let source = Source::read(&args.file)?;
    let name = &source.name;
    let doc = if args.lenient {
        Document::parse_lenient(source.bytes.clone())
    } else {
        Document::parse(source.bytes.clone())
    }
    .map_err(|e| Error::user(e.describe(name, &source.bytes)))?;
    let problems = doc.problems();
    if let Some((line, reason)) = doc.encoding_problem() {
        if !args.lenient {
            return Err(Error::user(format!("{name}:{line}: {reason}")));
        }
        warn(&format!("{name}:{line}: {reason}"));
    }
    for p in &problems {
        warn(&p.describe(name, doc.line_text(p.line)));
    }
    let out = match args.format {
        Format::Json => report::inspect::json(name, &doc, &problems),
        _ => report::inspect::text(&doc),
    };
    print(out)?;
    Ok(ExitCode::SUCCESS)
}

pub fn get(args: GetArgs) -> Outcome {
    let (source, doc) = load(&args.file)?;
    let values: Vec<_> = doc.get_all(&args.section, &args.key).collect();
    let Some(last) = values.last() else {
        eprintln!(
            "stackhop: {}: [{}] {} is not set",
            source.name, args.section, args.key
        );
        return Ok(ExitCode::from(1));
    };
    let shown = if args.all {
        &values[..]
    } else {
        std::slice::from_ref(last)
    };
    let mut out = Vec::new();
    for e in shown {
        out.extend_from_slice(&e.value_bytes());
        out.push(b'\n');
    }
    print(out)?;
    Ok(ExitCode::SUCCESS)
}

pub fn set(args: SetArgs) -> Outcome {
    let (source, mut doc) = args.write.load(&args.file)?;
    let before = args.write.dry_run.then(|| doc.clone());
    let outcome = doc
        .set(&args.section, &args.key, &args.value)
        .map_err(|e| Error::user(e.to_string()).context(&source.name))?;
    if let Some(previous) = &outcome.previous {
        if previous.occurrences > 1 {
            eprintln!(
                "stackhop: note: {}:{}: [{}] {} is set {} times; replaced the last one, \
                 the one nova uses",
                source.name, outcome.line, args.section, args.key, previous.occurrences
            );
        }
    }
    finish(&source, before.as_ref(), &doc, &args.write)
}

pub fn del(args: DelArgs) -> Outcome {
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
    finish(&source, before.as_ref(), &doc, &args.write)
}

/// Writes an edited document where the arguments say, or, given the
/// document as it was before the edit (`--dry-run`), prints the diff.
fn finish(
    source: &Source,
    before: Option<&Document>,
    doc: &Document,
    write: &WriteArgs,
) -> Outcome {
    let bytes = doc.to_bytes();
    if let Some(before) = before {
        let catalog = write.report.data.catalog()?;
        let diff = report::diff::masked(
            &source.name,
            before,
            doc,
            catalog.history()?,
            write.report.secrets.redactor(),
        );
        print(report::diff::colored(&diff, write.report.color.stdout()))?;
    } else if let Some(out) = &write.output {
        write_output(source, out, &bytes)?;
    } else if source.is_stdin() {
        print(&bytes)?;
    } else if bytes != source.bytes {
        source.replace(&bytes, !write.no_backup)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `bytes` to `out` (`-`: standard output); a new file takes the
/// mode of the file it comes from.
pub fn write_output(source: &Source, out: &Path, bytes: &[u8]) -> Result<(), Error> {
    if out.as_os_str() == STDIO {
        return print(bytes);
    }
    let like = (!source.is_stdin()).then(|| Path::new(&source.name));
    write_file(out, bytes, like)?;
    Ok(())
}
