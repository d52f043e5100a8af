//! `diff`: two versions of a config compared by what nova reads.

use super::edit::{load, load_from};
use super::error::{Error, Outcome};
use super::settings::{Format, ReportArgs};
use super::warn;
use super::{found, print};
use clap::Args;
use stackhop::files::Source;
use stackhop::report;
use stackhop::report::compare;
use stackhop::report::view::ComparisonView;

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
pub struct DiffArgs {
    old: String,
    new: String,
    #[arg(long, value_parser = Format::only(&[Format::Text, Format::Markdown, Format::Json]), default_value = "text")]
    format: Format,
    /// Judge options by this release's inventory (old names, types, secrets; default: NEW's release in stackhop.toml)
    #[arg(long)]
    release: Option<String>,
    #[command(flatten)]
    report: ReportArgs,
}

pub fn diff(args: DiffArgs) -> Outcome {
    let catalog = args.report.data.catalog()?;
    // Without --release, NEW's release in the project config, if it lists it.
    let from_project = match &args.release {
        Some(_) => None,
        None => super::project::Project::discover()?
            .and_then(|p| p.settings_for(std::path::Path::new(&args.new)))
            .map(|s| s.release),
    };
    let release = match (&args.release, &from_project) {
        (Some(r), _) => Some(
            catalog
                .resolve(r)
                .map_err(|e| Error::user(e).context("--release"))?,
        ),
        (None, Some(s)) => Some(
            catalog
                .resolve(&s.value)
                .map_err(|e| s.error("--release", e))?,
        ),
        (None, None) => None,
    };
    let inventory = release.map(|r| r.inventory()).transpose()?;
    let index = catalog.history()?;
    let (old_source, old) = load(&args.old)?;
    let new_source = Source::read(&args.new)?;
    let new_name = new_source.name.clone();
    let redactor = args.report.secrets.redactor();
    // The same bytes read the same: nothing to parse again, compare or diff
    // (a warning about the encoding is said of both).
    let (deltas, unified) = if old_source.bytes[..] == new_source.bytes[..] {
        if let Some((line, reason)) = old.encoding_problem() {
            warn(&format!("{new_name}:{line}: {reason}"));
        }
        (Vec::new(), String::new())
    } else {
        let (new_source, new) = load_from(new_source)?;
        let secret = |g: &str, k: &str| index.is_secret(g, k);
        let deltas = compare::compare_in(&old, &new, inventory, index);
        let unified = report::diff::documents(
            &old_source.name,
            &new_source.name,
            &old,
            &new,
            secret,
            redactor,
        );
        (deltas, unified)
    };
    let view = ComparisonView::new(
        &old_source.name,
        &new_name,
        release.map(|r| r.name()),
        &deltas,
        unified,
        redactor,
    );
    let out = match args.format {
        Format::Json => compare::render::json(&view),
        Format::Markdown => report::markdown::comparison(&view),
        _ => {
            let style = args.report.color.stdout();
            let mut text = compare::render::text(&view, style);
            if !view.diff.is_empty() {
                text.push('\n');
                text.push_str(&report::diff::colored(&view.diff, style));
            }
            text
        }
    };
    print(out)?;
    Ok(found(!view.is_empty()))
}
