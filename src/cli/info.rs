//! `explain` and `releases`: what stackhop knows.

use super::error::{Error, Outcome};
use super::print;
use super::settings::{DataArgs, Format};
use clap::{Args, Subcommand};
use stackhop::migrate::RuleBook;
use stackhop::release::sample;
use stackhop::report;
use std::process::ExitCode;

/// Explain a migration rule or a check finding: what it does, why, evidence, an example
#[derive(Args)]
pub struct ExplainArgs {
    /// A rule id (MSG002, VNC003, INV-RENAME…) or a finding code (C104, removed-option…)
    id: String,
}

/// List the releases stackhop knows, or show one
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ReleasesArgs {
    #[command(subcommand)]
    show: Option<ReleasesCommand>,
    #[arg(long, value_parser = Format::only(&[Format::Text, Format::Json]), default_value = "text")]
    format: Format,
    #[command(flatten)]
    data: DataArgs,
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
        #[arg(long, value_parser = Format::only(&[Format::Text, Format::Json]), default_value = "text")]
        format: Format,
        #[command(flatten)]
        data: DataArgs,
    },
}

pub fn explain(args: ExplainArgs) -> Outcome {
    let book = RuleBook::embedded()?;
    let out = report::explain::lookup(&args.id, &book).ok_or_else(|| {
        Error::user(format!(
            "no rule or finding {:?}; {}",
            args.id,
            report::explain::known_ids(&book)
        ))
    })?;
    print(out)?;
    Ok(ExitCode::SUCCESS)
}

pub fn releases(args: ReleasesArgs) -> Outcome {
    let out = match args.show {
        None => {
            let catalog = args.data.catalog()?;
            match args.format {
                Format::Json => report::releases::list_json(&catalog),
                _ => report::releases::list_text(&catalog),
            }
        }
        Some(ReleasesCommand::Show {
            release,
            options,
            sample,
            format,
            data,
        }) => {
            let catalog = data.catalog()?;
            let release = catalog.resolve(&release).map_err(Error::user)?;
            if sample {
                let inventory = release.inventory()?;
                sample::render(
                    inventory,
                    &release.info.core().title,
                    sample::Mode::Commented,
                )
            } else {
                match format {
                    Format::Json => report::releases::show_json(release, options)?,
                    _ => report::releases::show_text(release, options)?,
                }
            }
        }
    };
    print(out)?;
    Ok(ExitCode::SUCCESS)
}
