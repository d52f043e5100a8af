//! `extract`: install guides read into configs, steps and findings, and,
//! with `--to`, carried to a later release.

use super::error::{Error, Outcome};
use super::settings::{DataArgs, Format, SecretArgs};
use super::{print, warn};
use clap::{Args, ValueEnum};
use stackhop::extract::{self, Extraction, Format as GuideFormat};
use stackhop::files::{Source, write_file};
use stackhop::migrate::{self, RuleBook, Start};
use stackhop::release::{Catalog, Distro, secret_name};
use stackhop::report;
use stackhop::report::redact::Redactor;
use stackhop::report::style::Style;
use stackhop::report::view::{ExtractView, MigrationView};
use stackhop::runbook::{self, ConfigFile, Templates, UpgradeRequest};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How to read a guide, when telling it from the content goes wrong.
#[derive(Clone, Copy, ValueEnum)]
pub enum InputFormat {
    #[value(alias = "md")]
    Markdown,
    #[value(alias = "restructuredtext")]
    Rst,
    #[value(alias = "wiki")]
    Mediawiki,
    #[value(alias = "xml")]
    Docbook,
    Html,
    #[value(alias = "sh")]
    Shell,
    #[value(alias = "text", alias = "txt")]
    Plain,
}

impl From<InputFormat> for GuideFormat {
    fn from(f: InputFormat) -> GuideFormat {
        match f {
            InputFormat::Markdown => GuideFormat::Markdown,
            InputFormat::Rst => GuideFormat::Rst,
            InputFormat::Mediawiki => GuideFormat::MediaWiki,
            InputFormat::Docbook => GuideFormat::DocBook,
            InputFormat::Html => GuideFormat::Html,
            InputFormat::Shell => GuideFormat::Shell,
            InputFormat::Plain => GuideFormat::Plain,
        }
    }
}

/// Read install guides: the configs and steps they describe, and their mistakes
///
/// Reads guides in Markdown, reStructuredText, MediaWiki, DocBook, HTML,
/// shell scripts or plain text copied from a page (told from the content),
/// in any human language, and finds the config files they write (per node
/// and path, fragments merged in order; crudini, openstack-config and
/// iniset commands applied), the steps they give (SQL, identity, packages,
/// services, sync, verification, config), the release they are written for
/// (with the evidence) and their own mistakes (G codes; `stackhop explain
/// G101`). Several guides are read as one installation. Secrets are masked
/// in every output except the files written with -o.
#[derive(Args)]
#[command(
    after_help = "Exit status: 0 config found (with --lint: no findings), \
    1 no config found (with --lint: findings), 2 bad input.\n\nExamples:\n  \
    stackhop extract controller-install-ubuntu.rst compute-install-ubuntu.rst\n  \
    stackhop extract guide.md -o out/\n  \
    stackhop extract --input-format plain notes.md\n  \
    stackhop extract juno-guide.xml --to wallaby -o out/\n  \
    stackhop extract --lint docs/*.rst"
)]
pub struct ExtractArgs {
    /// Guides (`-` for standard input), read as one installation
    #[arg(required = true)]
    guides: Vec<String>,
    /// Write DIR/<node>/<path> for every config file, and DIR/steps.json, DIR/steps.md
    #[arg(short = 'o', long, value_name = "DIR")]
    output: Option<PathBuf>,
    #[arg(long, value_parser = Format::only(&[Format::Text, Format::Json, Format::Markdown]), default_value = "text")]
    format: Format,
    /// Read every guide in this format instead of telling it from the
    /// content (plain: text copied from a page; shell: a script)
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputFormat>,
    /// The release the guide is for (detected when omitted)
    #[arg(long)]
    release: Option<String>,
    /// Print only the guide's mistakes; exit 1 when there are any
    #[arg(long, conflicts_with_all = ["output", "to"])]
    lint: bool,
    /// Also migrate every nova config to this release, into DIR/to-RELEASE/
    #[arg(long, value_name = "RELEASE", requires = "output")]
    to: Option<String>,
    /// Where the guide has per-distribution parts: ubuntu, rdo, obs or debian
    #[arg(long, default_value = "ubuntu")]
    distro: String,
    #[command(flatten)]
    secrets: SecretArgs,
    #[command(flatten)]
    data: DataArgs,
}

pub fn extract(args: ExtractArgs) -> Outcome {
    let catalog = args.data.catalog()?;
    let options = extract::Options {
        format: args.input_format.map(GuideFormat::from),
        distro: Some(args.distro.clone()),
        release: args.release.clone(),
    };
    let mut parts = Vec::new();
    for guide in &args.guides {
        let source = Source::read(guide)?;
        let x = extract::extract(&source.bytes, &source.name, &catalog, &options).map_err(|e| {
            Error::user(match e.line {
                Some(line) => format!("{}:{line}: {}", source.name, e.reason),
                None => format!("{}: {}", source.name, e.reason),
            })
        })?;
        parts.push(x);
    }
    let x = extract::combine(parts, &catalog).ok_or_else(|| Error::user("no guide given"))?;
    let redactor = args.secrets.redactor();
    let v = ExtractView::build(&x, catalog.history().ok(), redactor);
    if args.lint {
        let out = match args.format {
            Format::Json => report::extract::json(&v),
            _ => report::extract::lint(&v),
        };
        print(out)?;
        return Ok(super::found(!v.findings.is_empty()));
    }
    let out = match args.format {
        Format::Json => report::extract::json(&v),
        Format::Markdown => report::extract::markdown(&v),
        _ => report::extract::text(&v),
    };
    print(out)?;
    if let Some(dir) = &args.output {
        write_extraction(dir, &x, &v)?;
        if let Some(to) = &args.to {
            carry(dir, &x, &catalog, to, &args.distro, redactor)?;
        }
    }
    if !x.found_config() {
        eprintln!(
            "stackhop: {}: no config found: no block that looks like a config file, and no crudini, openstack-config or iniset command",
            x.guide
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes a file that may hold secrets: mode 0600 when it does, 0640 otherwise.
fn write_private(path: &Path, bytes: &[u8], secret: bool) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::from(e).context(parent.display().to_string()))?;
    }
    write_file(path, bytes, None)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if secret { 0o600 } else { 0o640 };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .map_err(|e| Error::from(e).context(path.display().to_string()))?;
    }
    #[cfg(not(unix))]
    let _ = secret;
    Ok(())
}

/// `-o DIR`: every config file with its real values, and the steps, masked.
fn write_extraction(dir: &Path, x: &Extraction, v: &ExtractView) -> Result<(), Error> {
    for f in &x.files {
        let Some(path) = extract::output_path(dir, &f.node, &f.path) else {
            warn(&format!(
                "{}: {} for {}: not a path stackhop can write under {}",
                x.guide,
                f.path,
                f.node,
                dir.display()
            ));
            continue;
        };
        let secret = f
            .settings
            .iter()
            .any(|s| secret_name(&s.key) || s.value.contains("://") && s.value.contains('@'));
        write_private(&path, &f.document.to_bytes(), secret || f.is_nova())?;
        eprintln!("stackhop: wrote {}", path.display());
    }
    let (json, md) = (dir.join("steps.json"), dir.join("steps.md"));
    write_private(&json, report::extract::steps_json(v).as_bytes(), false)?;
    write_private(&md, report::extract::steps_markdown(v).as_bytes(), false)?;
    eprintln!("stackhop: wrote {} and {}", json.display(), md.display());
    Ok(())
}

/// `--to`: every nova config of the guide, migrated from the release the
/// guide is for, into DIR/to-RELEASE/<node>/<path>, with its report beside
/// it, and the upgrade runbook from that release, DIR/runbook-FROM-to-TO.md.
fn carry(
    dir: &Path,
    x: &Extraction,
    catalog: &Catalog,
    to: &str,
    distro: &str,
    redactor: Redactor,
) -> Result<(), Error> {
    let to = catalog.resolve(to).map_err(Error::user)?;
    let from = x
        .release
        .from
        .as_deref()
        .and_then(|r| catalog.get(r))
        .ok_or_else(|| {
            Error::user(format!(
                "{}: cannot tell which release the guide is for; give --release",
                x.guide
            ))
        })?;
    let book = RuleBook::embedded()?;
    let base = dir.join(format!("to-{}", to.name()));
    for f in x.nova_files() {
        let options = migrate::Options {
            role: f.role(),
            keep_removed: false,
        };
        let name = format!("{}:{}", f.node, f.path);
        let m = migrate::migrate(
            f.document.clone(),
            catalog,
            &book,
            Start::Given(from),
            to,
            options,
        )
        .map_err(|e| Error::from(e).context(&name))?;
        let Some(path) = extract::output_path(&base, &f.node, &f.path) else {
            continue;
        };
        write_private(&path, &m.document.to_bytes(), true)?;
        let view = MigrationView::new(&name, &m, catalog, redactor);
        let beside = |ext: &str| {
            let mut p = path.clone().into_os_string();
            p.push(ext);
            PathBuf::from(p)
        };
        write_private(
            &beside(".migration.json"),
            report::migration::json(&view).as_bytes(),
            false,
        )?;
        write_private(
            &beside(".migration.txt"),
            report::migration::text(&view, Style::default()).as_bytes(),
            false,
        )?;
        eprintln!(
            "stackhop: {name}: migrated {} → {} into {}",
            from.name(),
            to.name(),
            path.display()
        );
    }
    // The way there: the upgrade runbook over the same configs, for the
    // distribution the guide was read for.
    let distro = match distro {
        "ubuntu" => Distro::Ubuntu,
        "rdo" => Distro::Rdo,
        other => {
            warn(&format!(
                "no upgrade runbook written: runbooks are for ubuntu and rdo, and the guide was read for {other}"
            ));
            return Ok(());
        }
    };
    let configs: Vec<ConfigFile> = x
        .nova_files()
        .map(|f| ConfigFile {
            name: format!("{}:{}", f.node, f.path),
            document: f.document.clone(),
        })
        .collect();
    let ctx = runbook::upgrade(
        catalog,
        &book,
        &UpgradeRequest {
            from: Some(from.name()),
            to: to.name(),
            configs: &configs,
            role: None,
            distro,
            endpoints: None,
            redactor: Redactor::default(),
        },
    )?;
    let text = runbook::render(&ctx, &Templates::embedded())?;
    let path = dir.join(format!("runbook-{}-to-{}.md", from.name(), to.name()));
    write_private(&path, text.as_bytes(), false)?;
    eprintln!("stackhop: wrote the upgrade runbook {}", path.display());
    Ok(())
}
