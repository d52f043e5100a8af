//! `migrate`: a config carried to a later release, hop by hop.

use super::check::RoleArg;
use super::edit::{load, load_to_edit, write_output};
use super::error::{Error, Outcome};
use super::print;
use super::project::{self, MigrateSettings, Project};
use super::settings::{Format, ReportArgs};
use clap::Args;
use stackhop::files::STDIO;
use stackhop::migrate::{self, RuleBook, Start};
use stackhop::release::{Catalog, Release, Role, detect};
use stackhop::report;
use stackhop::report::view::MigrationView;
use std::path::PathBuf;
use std::process::ExitCode;

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
    1 with --check: something would change, 2 bad input.\n\n\
    Output: the migrated file on standard output (or -o/--in-place), the summary on standard \
    error. --diff prints the masked unified diff instead of the file; --format prints the \
    report instead (with --diff, JSON holds the diff as \"diff\" and text prints it after the \
    summary; markdown always folds it in; github takes no diff).\n\nExamples:\n  \
    stackhop migrate nova.conf --to wallaby --diff\n  \
    stackhop migrate /etc/nova/nova.conf --from juno --to stein --role controller --in-place\n  \
    stackhop migrate nova.conf --to wallaby --format json | jq '.manual'\n  \
    stackhop migrate --check   # the files of ./stackhop.toml, each from its release to [migrate] to\n\n\
    Without FILE, --from or --to, the project config (stackhop.toml, from this folder \
    upwards) says which files, each one's release and role, and the release to migrate to; \
    its [migrate] format applies with --check. Flags win over it (see `stackhop config --help`)."
)]
pub struct MigrateArgs {
    /// The config file (`-` for standard input); none: those stackhop.toml lists (with --check, --diff or --format)
    file: Option<String>,
    /// The release to migrate to (a name, or a nova version; default: stackhop.toml's [migrate] to)
    #[arg(long)]
    to: Option<String>,
    /// The release the file is for (default: the file's in stackhop.toml; else detected, as `detect` does)
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
    /// Print the report in this format instead of the file
    #[arg(long, value_parser = Format::only(project::MIGRATE_FORMATS))]
    format: Option<Format>,
    /// Comment removed options out, under a marker naming the rule, instead of deleting them
    #[arg(long)]
    keep_removed: bool,
    #[command(flatten)]
    report: ReportArgs,
}

/// Combinations with nowhere to go, refused before any work.
fn refuse_combinations(args: &MigrateArgs) -> Result<(), Error> {
    if args.diff && matches!(args.format, Some(Format::Github | Format::Sarif)) {
        return Err(Error::user(
            "--diff has no place in GitHub annotations or SARIF: drop --diff, or use --format markdown or json",
        ));
    }
    let to_stdout = args.output.as_ref().is_some_and(|o| o.as_os_str() == STDIO);
    if to_stdout && (args.diff || args.format.is_some()) {
        return Err(Error::user(
            "-o - writes the file to standard output, where the diff or report goes: write the file elsewhere",
        ));
    }
    Ok(())
}

pub fn migrate(mut args: MigrateArgs) -> Outcome {
    // Defaults from the project config (stackhop.toml): which files, each
    // one's release and role, the release to migrate to, the format (with
    // --check) and keep_removed. Flags win. The one place migrate reads
    // it; the rules live in project.rs.
    let project = Project::discover()?;
    let settings = MigrateSettings::resolve(
        project.as_ref(),
        args.to.as_deref(),
        args.format,
        args.keep_removed,
    );
    if args.format.is_none() && args.check {
        args.format = settings.format.as_ref().map(|f| f.value);
    }
    args.keep_removed = settings.keep_removed.value;
    refuse_combinations(&args)?;
    let Some(to) = &settings.to else {
        return Err(Error::user(
            "no release to migrate to: give --to RELEASE, or set `to` under [migrate] in stackhop.toml",
        ));
    };
    let files: Vec<String> = args.file.iter().cloned().collect();
    let groups = project::groups(
        project.as_ref(),
        &files,
        args.from.as_deref(),
        "--from",
        false,
        args.role.map(Role::from),
    )?;
    let many = groups.iter().map(|g| g.files.len()).sum::<usize>() > 1;
    if many && !args.check && !args.diff && args.format.is_none() && !args.in_place {
        return Err(Error::user(
            "several files to migrate (from stackhop.toml) and one standard output: \
             add --check, --diff, --format or --in-place, or name one FILE",
        ));
    }
    if many && args.output.is_some() {
        return Err(Error::user(
            "-o takes one migrated file: name one FILE, or use --in-place",
        ));
    }

    let catalog = args.report.data.catalog()?;
    let to = catalog
        .resolve(&to.value)
        .map_err(|e| to.error("--to", e))?;
    let book = RuleBook::embedded()?;
    let mut changed = false;
    let mut views = Vec::new();
    for group in &groups {
        let from = match &group.release {
            Some(r) => Some(
                catalog
                    .resolve(&r.value)
                    .map_err(|e| r.error("--from", e))?,
            ),
            None => None,
        };
        let role = group.role.as_ref().map(|r| r.value);
        for file in &group.files {
            let (c, view) = one(&args, &catalog, &book, file, from, role, to)?;
            changed |= c;
            views.extend(view);
        }
    }
    if args.format == Some(Format::Sarif) {
        let root = project::sarif_root(project.as_ref());
        let uri = |f: &str| project::sarif_uri(root.as_deref(), f);
        print(report::sarif::migration(
            &views.iter().collect::<Vec<_>>(),
            &book,
            &uri,
        ))?;
    }
    if args.check {
        return Ok(super::found(changed));
    }
    Ok(ExitCode::SUCCESS)
}

/// Migrates one file; says whether it changes, and gives its view when
/// it is for SARIF (printed once, for every file, by the caller).
fn one(
    args: &MigrateArgs,
    catalog: &Catalog,
    book: &RuleBook,
    file: &str,
    from: Option<&Release>,
    role: Option<Role>,
    to: &Release,
) -> Result<(bool, Option<MigrationView>), Error> {
    let (source, doc) = if args.in_place && !args.check {
        load_to_edit(file)?
    } else {
        load(file)?
    };
    if args.in_place && source.is_stdin() {
        return Err(Error::user("--in-place needs a file, not standard input"));
    }
    let start = match from {
        Some(release) => Start::Given(release),
        None => {
            let start =
                Start::detect(&doc, catalog).map_err(|e| Error::from(e).context(&source.name))?;
            if let Start::Detected(best) = &start
                && !super::quiet()
            {
                let names: Vec<String> = best.iter().map(|r| r.name().to_string()).collect();
                eprintln!(
                    "stackhop: {}: --from not given; detected {} (the file fits {}); give --from to be exact",
                    source.name,
                    start.release().name(),
                    detect::ranges(catalog, &names)
                );
            }
            start
        }
    };
    let options = migrate::Options {
        role,
        keep_removed: args.keep_removed,
    };
    let want_diff = args.diff || args.format == Some(Format::Markdown);
    let before = want_diff.then(|| doc.clone());
    let m = migrate::migrate(doc, catalog, book, start, to, options)
        .map_err(|e| Error::from(e).context(&source.name))?;
    let redactor = args.report.secrets.redactor();
    let bytes = m.document.to_bytes();
    let mut view = MigrationView::new(&source.name, &m, catalog, redactor);
    if let Some(before) = &before {
        let diff = report::diff::masked(
            &source.name,
            before,
            &m.document,
            catalog.history()?,
            redactor,
        );
        view = view.with_diff(diff);
    }

    // Write first: a failure is then reported with no success summary
    // before it.
    if !args.check {
        if let Some(out) = &args.output {
            if out.as_os_str() != STDIO {
                write_output(&source, out, &bytes)?;
            }
        } else if args.in_place && bytes != source.bytes {
            source.replace(&bytes, !args.no_backup)?;
        }
    }

    let diff = view.diff.clone().unwrap_or_default();
    match args.format {
        Some(Format::Json) => {
            if !args.diff {
                view.diff = None;
            }
            print(report::migration::json(&view))?;
        }
        Some(Format::Markdown) => print(report::markdown::migration(&view))?,
        Some(Format::Github) => print(report::migration::github(&view))?,
        Some(Format::Sarif) => {}
        Some(Format::Text) => {
            let mut out = report::migration::text(&view, args.report.color.stdout());
            if args.diff && !diff.is_empty() {
                out.push('\n');
                out.push_str(&report::diff::colored(&diff, args.report.color.stdout()));
            }
            print(out)?;
        }
        None if args.diff => print(report::diff::colored(&diff, args.report.color.stdout()))?,
        None => {}
    }
    describe(&view, book);
    if args.format != Some(Format::Text) && !super::quiet() {
        eprint!(
            "{}",
            report::migration::text(&view, args.report.color.stderr())
        );
    }
    let sarif = (args.format == Some(Format::Sarif)).then(|| view.clone());
    if args.check {
        return Ok((m.changed(), sarif));
    }
    let to_stdout = match &args.output {
        Some(out) => out.as_os_str() == STDIO,
        None => !args.in_place && !args.diff && args.format.is_none(),
    };
    if to_stdout {
        print(&bytes)?;
    }
    Ok((m.changed(), sarif))
}

/// `-v`'s lines for a migration: the hops, the rules in force at each
/// (migrations/, built in) and the rules that changed something.
fn describe(view: &MigrationView, book: &RuleBook) {
    if !super::verbose() {
        return;
    }
    super::note(&format!("migrate: {}: {}", view.file, view.route()));
    for hop in &view.hops {
        let ids: Vec<&str> = book.rules_of(hop).iter().map(|r| r.id.as_str()).collect();
        if !ids.is_empty() {
            super::note(&format!("  rules into {hop}: {}", ids.join(", ")));
        }
    }
    let mut used: Vec<&str> = view
        .changes
        .iter()
        .map(|c| c.rule.as_str())
        .chain(view.manual.iter().map(|m| m.rule.as_str()))
        .collect();
    used.sort_unstable();
    used.dedup();
    super::note(&format!(
        "  rules that changed or asked for something: {}",
        used.join(", ")
    ));
}
