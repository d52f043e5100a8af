//! `completions` and `man`: shell completion scripts (clap_complete) and
//! manual pages (clap_mangen), both generated from the same clap
//! definitions as the commands themselves, so they cannot drift.

use super::error::{Error, Outcome};
use super::print;
use clap::{Args, Command, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// A shell clap_complete writes for.
#[derive(Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

/// Print a shell completion script
///
/// Completes commands, options and their values (releases are free text).
#[derive(Args)]
#[command(after_help = "Install (one of):\n  \
    stackhop completions bash > ~/.local/share/bash-completion/completions/stackhop\n  \
    stackhop completions zsh > \"${fpath[1]}/_stackhop\"\n  \
    stackhop completions fish > ~/.config/fish/completions/stackhop.fish\n  \
    stackhop completions elvish >> ~/.config/elvish/rc.elv\n  \
    stackhop completions powershell >> $PROFILE")]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    shell: Shell,
}

/// Write the manual pages (roff)
///
/// Without --dir, prints stackhop(1) to standard output
/// (`stackhop man | man -l -`). With --dir, writes stackhop.1 and one page
/// per command (stackhop-check.1, …) into DIR.
#[derive(Args)]
#[command(after_help = "Example:\n  \
    stackhop man --dir ~/.local/share/man/man1 && man stackhop-migrate")]
pub struct ManArgs {
    /// Write every page into this folder (created if missing)
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub fn completions(args: CompletionsArgs, mut cmd: Command) -> Outcome {
    use clap_complete::Shell as S;
    let shell = match args.shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Elvish => S::Elvish,
        Shell::Powershell => S::PowerShell,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "stackhop", &mut out);
    print(out)?;
    Ok(ExitCode::SUCCESS)
}

pub fn man(args: ManArgs, cmd: Command) -> Outcome {
    let cmd = cmd.name("stackhop");
    let Some(dir) = args.dir else {
        print(render(cmd)?)?;
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::from(e).context(dir.display().to_string()))?;
    let mut pages = vec![("stackhop".to_string(), cmd.clone())];
    for sub in cmd.get_subcommands() {
        // A page per command, named as git's are (stackhop-check.1).
        let name = format!("stackhop-{}", sub.get_name());
        let sub = sub
            .clone()
            .name(name.clone())
            .bin_name(format!("stackhop {}", sub.get_name()));
        pages.push((name, sub));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, render(page)?)
            .map_err(|e| Error::from(e).context(path.display().to_string()))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn render(cmd: Command) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(|e| Error::from(e).context("the manual page"))?;
    Ok(out)
}
