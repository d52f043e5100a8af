//! `inspect`, `get`, `set` and `del`: reading and editing one file.

use super::error::{Error, Outcome};
use super::settings::{Format, ReportArgs};
use super::{print, warn};
use clap::Args;
use stackhop::conf::scan::{self, Event, Summary};
use stackhop::conf::{Document, LineProblem, normalize_group};
use stackhop::files::{FileError, STDIO, Source, write_file};
use stackhop::report;
use stackhop::report::inspect::JsonOption;
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::ops::ControlFlow;
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

pub fn load_from(source: Source) -> Result<(Source, Document), Error> {
    let doc = Document::parse(source.bytes.clone())
        .map_err(|e| Error::user(e.describe(&source.name, &source.bytes)))?;
    if let Some((line, reason)) = doc.encoding_problem() {
        warn(&format!("{}:{line}: {reason}", source.name));
    }
    Ok((source, doc))
}

// `inspect` and `get` read the file with a scan (`conf::scan`), which reads
// what a `Document` reads without building one. A regular file is read a
// piece at a time: memory stays a small part of the file, and a 50 MB file
// is read at well over 1 GB/s. `inspect` keeps what the file sets while it
// checks it, and reads it again only when that would cost more than half
// the file. Anything else (standard input, a pipe) is read into memory once.

/// A file to scan.
enum Input {
    /// A regular file, read a piece at a time, as often as needed.
    File(String, File),
    /// Standard input, a pipe or a device: read once.
    Read(Source),
}

impl Input {
    fn open(name: &str) -> Result<Input, Error> {
        if name != STDIO {
            if let Ok(file) = File::open(name) {
                if file.metadata().is_ok_and(|m| m.is_file()) {
                    return Ok(Input::File(name.to_string(), file));
                }
            }
        }
        // Errors as every command words them.
        Ok(Input::Read(Source::read(name)?))
    }

    fn name(&self) -> &str {
        match self {
            Input::File(name, _) => name,
            Input::Read(source) => &source.name,
        }
    }

    /// Scans the file from its start.
    fn scan(&self, visit: impl FnMut(Event<'_, '_>) -> ControlFlow<()>) -> Result<Summary, Error> {
        match self {
            Input::File(name, file) => {
                let mut file: &File = file;
                file.seek(SeekFrom::Start(0))
                    .and_then(|_| scan::scan_read(file, visit))
                    .map_err(|e| {
                        Error::from(FileError {
                            path: name.clone(),
                            message: e.to_string(),
                        })
                    })
            }
            Input::Read(source) => Ok(scan::scan(&source.bytes, visit)),
        }
    }
}

/// How `FILE:LINE: reason` reads for a line nova refuses, given its text.
fn refused(name: &str, p: LineProblem, text: &[u8], bom: bool) -> Error {
    // The text of line 1 with its byte order mark, as parsing reports it.
    let text = match (p.line, bom) {
        (1, true) => Cow::Owned([&b"\xef\xbb\xbf"[..], text].concat()),
        _ => Cow::Borrowed(text),
    };
    Error::user(p.describe(name, Some(&text)))
}

/// Takes one assignment to show: section as written, key, value, line;
/// false to stop.
type Show<'a> = &'a mut dyn FnMut(&str, &[u8], &[u8], usize) -> bool;

/// The assignments of a file, kept from its first reading so that showing
/// them needs no second one.
#[derive(Default)]
struct Kept {
    sections: Vec<String>,
    /// Keys and values, one after another.
    text: Vec<u8>,
    /// (line, section, end of key, end of value): the key starts where the
    /// previous value ends.
    items: Vec<(usize, usize, usize, usize)>,
}

impl Kept {
    fn push(&mut self, section: &str, key: &[u8], value: &[u8], line: usize) {
        if self.sections.last().map(String::as_str) != Some(section) {
            self.sections.push(section.to_string());
        }
        self.text.extend_from_slice(key);
        let key_end = self.text.len();
        self.text.extend_from_slice(value);
        let at = self.sections.len() - 1;
        self.items.push((line, at, key_end, self.text.len()));
    }

    fn size(&self) -> usize {
        self.text.len() + self.items.len() * std::mem::size_of::<(usize, usize, usize, usize)>()
    }

    fn show(&self, show: Show<'_>) {
        let mut start = 0;
        for &(line, section, key_end, end) in &self.items {
            let (key, value) = (&self.text[start..key_end], &self.text[key_end..end]);
            start = end;
            if !show(&self.sections[section], key, value, line) {
                break;
            }
        }
    }
}

/// Shows every assignment: from what was kept, or by reading the file again.
fn show_all(input: &Input, kept: Option<&Kept>, show: Show<'_>) -> Result<(), Error> {
    if let Some(kept) = kept {
        kept.show(show);
        return Ok(());
    }
    input.scan(|e| match e {
        Event::Assignment(section, a) if !show(&section.name, &a.key, &a.value, a.line) => {
            ControlFlow::Break(())
        }
        _ => ControlFlow::Continue(()),
    })?;
    Ok(())
}

pub fn inspect(args: InspectArgs) -> Outcome {
    let input = Input::open(&args.file)?;
    let name = input.name();
    // First the lines nova refuses, and how many lines there are, so that
    // nothing is printed for a file refused. What it sets is kept meanwhile,
    // up to half the file's size (beyond, the file is read a second time).
    let limit = match &input {
        Input::File(_, file) => file.metadata().map_or(0, |m| m.len() as usize / 2),
        Input::Read(_) => 0,
    };
    let mut kept = (limit > 0).then(Kept::default);
    let mut problems = Vec::new();
    let mut first_refused = None;
    let summary = input.scan(|e| match e {
        Event::Problem(p, text) if args.lenient => {
            problems.push((p, text.to_vec()));
            ControlFlow::Continue(())
        }
        Event::Problem(p, text) => {
            first_refused = Some((p, text.to_vec()));
            ControlFlow::Break(())
        }
        Event::Assignment(section, a) => {
            if let Some(k) = &mut kept {
                k.push(&section.name, &a.key, &a.value, a.line);
                if k.size() > limit {
                    kept = None;
                }
            }
            ControlFlow::Continue(())
        }
    })?;
    if let Some((p, text)) = first_refused {
        return Err(refused(name, p, &text, summary.bom));
    }
    if let Some((line, reason)) = summary.encoding {
        if !args.lenient {
            return Err(Error::user(format!("{name}:{line}: {reason}")));
        }
        warn(&format!("{name}:{line}: {reason}"));
    }
    for (p, text) in &problems {
        warn(&p.describe(name, Some(text)));
    }
    let problems: Vec<LineProblem> = problems.into_iter().map(|(p, _)| p).collect();
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut written = Ok(());
    match args.format {
        Format::Json => {
            let shown = std::cell::RefCell::new(Ok(()));
            written = report::inspect::write_json(
                &mut out,
                name,
                |sink| {
                    *shown.borrow_mut() =
                        show_all(&input, kept.as_ref(), &mut |section, key, value, line| {
                            sink(JsonOption {
                                section,
                                key: String::from_utf8_lossy(key),
                                value: String::from_utf8_lossy(value),
                                line,
                            })
                        });
                },
                &problems,
            );
            shown.into_inner()?;
        }
        _ => {
            let mut text = report::inspect::Text::new(&mut out, summary.lines);
            show_all(&input, kept.as_ref(), &mut |section, key, value, line| {
                written = text.option(
                    section,
                    &String::from_utf8_lossy(key),
                    &String::from_utf8_lossy(value),
                    line,
                );
                written.is_ok()
            })?;
        }
    }
    written.and_then(|()| out.flush()).or_else(stdout_closed)?;
    Ok(ExitCode::SUCCESS)
}

/// A reader that went away (`| head`) is no error.
fn stdout_closed(e: std::io::Error) -> Result<(), Error> {
    match e.kind() {
        std::io::ErrorKind::BrokenPipe => Ok(()),
        _ => Err(Error::from(e).context("standard output")),
    }
}

pub fn get(args: GetArgs) -> Outcome {
    let input = Input::open(&args.file)?;
    let group = normalize_group(&args.section);
    let key = args.key.as_bytes();
    let mut values: Vec<Vec<u8>> = Vec::new();
    let mut first_refused = None;
    let summary = input.scan(|e| {
        match e {
            Event::Problem(p, text) => {
                first_refused = Some((p, text.to_vec()));
                return ControlFlow::Break(());
            }
            Event::Assignment(section, a) if section.group == group && *a.key == *key => {
                if !args.all {
                    values.clear();
                }
                values.push(a.value.into_owned());
            }
            Event::Assignment(..) => {}
        }
        ControlFlow::Continue(())
    })?;
    let name = input.name();
    if let Some((p, text)) = first_refused {
        return Err(refused(name, p, &text, summary.bom));
    }
    if let Some((line, reason)) = summary.encoding {
        warn(&format!("{name}:{line}: {reason}"));
    }
    if values.is_empty() {
        eprintln!(
            "stackhop: {name}: [{}] {} is not set",
            args.section, args.key
        );
        return Ok(ExitCode::from(1));
    }
    let mut out = Vec::new();
    for v in &values {
        out.extend_from_slice(v);
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
