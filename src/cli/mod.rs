//! The command line: arguments (clap), dispatch, exit codes. Each command
//! lives in its own file with its arguments; what they share (release
//! data, secrets, colour, formats) is resolved once in `settings`.
//!
//! Exit codes: 0 success; 1 "not found" (`get`), findings (`check`),
//! something to change (`migrate --check`) or a change of meaning (`diff`);
//! 2 bad input, usage or I/O error, reported as one line
//! `stackhop: FILE:LINE: reason`; 3 a bug in stackhop.

mod check;
mod diff;
mod edit;
mod error;
mod extract;
mod fleet;
mod info;
mod migrate;
mod project;
mod runbook;
mod settings;
mod shell;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use error::Error;
use std::io::Write;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "stackhop",
    version,
    about = "Carry a nova.conf from one OpenStack release to another",
    long_about = "Carry a nova.conf from one OpenStack release to another.\n\n\
        stackhop reads nova.conf exactly as nova does (oslo.config's rules), edits it \
        without disturbing a byte it does not have to change, and explains what it reads.",
    after_help = "Exit status: 0 success, 1 not found (get), findings (check), something to \
        change (migrate --check) or a change of meaning (diff), 2 bad input or usage, \
        3 a bug in stackhop.\n\
        Run 'stackhop COMMAND --help' for the details of a command."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print only what was asked for and errors: no summary, note or warning on standard error
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also say on standard error which release data, releases and rules were used
    #[arg(short, long, global = true)]
    verbose: bool,
}

/// How much stackhop says on standard error besides errors: -1 quiet, 0
/// normal, 1 verbose. Set once, from the global flags, before any command.
static VERBOSITY: std::sync::atomic::AtomicI8 = std::sync::atomic::AtomicI8::new(0);

/// `--quiet`: no summary, note or warning on standard error.
fn quiet() -> bool {
    VERBOSITY.load(std::sync::atomic::Ordering::Relaxed) < 0
}

/// `-v`: say which release data, releases and rules were used.
fn verbose() -> bool {
    VERBOSITY.load(std::sync::atomic::Ordering::Relaxed) > 0
}

/// A line of `-v` on standard error: `stackhop: MESSAGE`.
fn note(message: &str) {
    if verbose() {
        eprintln!("stackhop: {message}");
    }
}

#[derive(Subcommand)]
enum Command {
    Inspect(edit::InspectArgs),
    Get(edit::GetArgs),
    Set(edit::SetArgs),
    Del(edit::DelArgs),
    Check(check::CheckArgs),
    Detect(check::DetectArgs),
    Migrate(migrate::MigrateArgs),
    Diff(diff::DiffArgs),
    Explain(info::ExplainArgs),
    Releases(info::ReleasesArgs),
    Extract(extract::ExtractArgs),
    Runbook(runbook::RunbookArgs),
    Fleet(fleet::FleetArgs),
    Config(project::ConfigArgs),
    Completions(shell::CompletionsArgs),
    Man(shell::ManArgs),
}

/// The clap definition of every command, with `--version` saying which
/// release data the binary carries (read only when it is asked for).
fn command() -> clap::Command {
    let cmd = Cli::command();
    if std::env::args_os().skip(1).any(|a| a == "--version") {
        cmd.long_version(long_version())
    } else {
        cmd
    }
}

/// `0.1.0` and the release data built in: how many releases, the first
/// and the last, and how many migration rules.
fn long_version() -> String {
    let mut out = env!("CARGO_PKG_VERSION").to_string();
    if let Ok(catalog) = stackhop::release::Catalog::embedded() {
        let releases = catalog.releases();
        if let (Some(first), Some(last)) = (releases.first(), releases.last()) {
            out.push_str(&format!(
                "\nrelease data: built in, {} releases, {} (nova {}) to {} (nova {})",
                releases.len(),
                first.info.core().title,
                first.info.core().nova_version,
                last.info.core().title,
                last.info.core().nova_version
            ));
        }
    }
    if let Ok(book) = stackhop::migrate::RuleBook::embedded() {
        out.push_str(&format!("\nmigration rules: {}", book.all().count()));
    }
    out
}

pub fn run() -> ExitCode {
    let cli = match command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => return usage(e),
    };
    VERBOSITY.store(
        if cli.quiet { -1 } else { i8::from(cli.verbose) },
        std::sync::atomic::Ordering::Relaxed,
    );
    let result = match cli.command {
        Command::Inspect(args) => edit::inspect(args),
        Command::Get(args) => edit::get(args),
        Command::Set(args) => edit::set(args),
        Command::Del(args) => edit::del(args),
        Command::Check(args) => check::check(args),
        Command::Detect(args) => check::detect(args),
        Command::Migrate(args) => migrate::migrate(args),
        Command::Diff(args) => diff::diff(args),
        Command::Explain(args) => info::explain(args),
        Command::Releases(args) => info::releases(args),
        Command::Extract(args) => extract::extract(args),
        Command::Runbook(args) => runbook::runbook(args),
        Command::Fleet(args) => fleet::fleet(args),
        Command::Config(args) => project::config(args),
        Command::Completions(args) => shell::completions(args, command()),
        Command::Man(args) => shell::man(args, command()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("stackhop: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Help and version go to standard output; a usage error keeps clap's
/// explanation, but starts like every other error: `stackhop: …`.
fn usage(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let code = u8::try_from(e.exit_code()).unwrap_or(2);
    if !e.use_stderr() || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let _ = e.print();
        return ExitCode::from(code);
    }
    let rendered = e.render().to_string();
    let text = rendered.strip_prefix("error: ").unwrap_or(&rendered);
    eprint!("stackhop: {text}");
    ExitCode::from(2)
}

/// Writes to standard output through a buffer as `write` makes the output
/// (no copy of a large one in memory); a closed pipe is not an error.
fn print_with(
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::from(e).context("standard output"))
        }
        _ => Ok(()),
    }
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
fn print(bytes: impl AsRef<[u8]>) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes.as_ref()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::from(e).context("standard output"))
        }
        _ => Ok(()),
    }
}

/// A warning on standard error, unless `--quiet`.
fn warn(message: &str) {
    if !quiet() {
        eprintln!("stackhop: warning: {message}");
    }
}

/// Exit 0, or 1 when `found` (findings, changes).
fn found(found: bool) -> ExitCode {
    if found {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        // Duplicate short flags (a global -q or -v against a command's own)
        // and other clap mistakes fail here rather than at run time.
        super::Cli::command().debug_assert();
    }
}
