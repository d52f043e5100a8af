//! `runbook upgrade` and `runbook install`: the procedures an operator
//! follows, in Markdown (or their context as JSON).

use super::check::RoleArg;
use super::edit::load;
use super::error::{Error, Outcome};
use super::print;
use super::settings::{DataArgs, Format};
use clap::{Args, Subcommand, ValueEnum};
use stackhop::migrate::RuleBook;
use stackhop::release::{Distro, Role};
use stackhop::report::redact::Redactor;
use stackhop::runbook::{
    self, ConfigFile, InstallRequest, RunbookContext, Templates, UpgradeRequest,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Write the runbook of an upgrade or an install, in Markdown
///
/// Every command comes from the release data, for the release, role and
/// distribution asked, in order; every step has a stable id and a box to
/// tick. No secret appears: commands name passwords as shell variables the
/// runbook lists first, and config diffs are masked.
#[derive(Args)]
pub struct RunbookArgs {
    #[command(subcommand)]
    command: RunbookCommand,
}

#[derive(Subcommand)]
enum RunbookCommand {
    Upgrade(UpgradeArgs),
    Install(InstallArgs),
}

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
enum DistroArg {
    /// Ubuntu, with the Ubuntu Cloud Archive
    #[default]
    Ubuntu,
    /// CentOS or RHEL, with RDO
    Rdo,
}

impl From<DistroArg> for Distro {
    fn from(d: DistroArg) -> Distro {
        match d {
            DistroArg::Ubuntu => Distro::Ubuntu,
            DistroArg::Rdo => Distro::Rdo,
        }
    }
}

/// What both runbooks take for their output.
#[derive(Args)]
struct OutputArgs {
    /// Templates to use instead of the built-in ones, file by file (NAME.hbs, runbook.md.hbs)
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// markdown: the runbook; json: its context (schema 1), for other renderers
    #[arg(long, default_value = "markdown", value_parser = Format::only(&[Format::Markdown, Format::Json]))]
    format: Format,
    /// Write the runbook to OUT instead of standard output
    #[arg(short = 'o', long, value_name = "OUT")]
    output: Option<PathBuf>,
    #[command(flatten)]
    data: DataArgs,
}

/// The upgrade runbook: fast-forward, hop by hop, from one release to a later one
#[derive(Args)]
#[command(
    after_help = "Exit status: 0 written, 2 bad input (unknown release, --from not before --to, \
    a config or endpoint list that cannot be read, a broken template).\n\nExamples:\n  \
    stackhop runbook upgrade --from juno --to wallaby --config nova.conf --role controller\n  \
    stackhop runbook upgrade --to wallaby --config ctl/nova.conf --config cmp/nova.conf --distro rdo -o runbook.md\n  \
    stackhop runbook upgrade --from newton --to stein --endpoints endpoints.json --format json"
)]
struct UpgradeArgs {
    /// The release the nodes run (a name or a nova version); detected from --config when omitted
    #[arg(long)]
    from: Option<String>,
    /// The release to upgrade to (a name or a nova version)
    #[arg(long)]
    to: String,
    /// A nova.conf to carry through the hops: its masked diff per hop goes in the runbook (repeatable)
    #[arg(long, value_name = "FILE")]
    config: Vec<String>,
    /// Only this role's steps (default: controller and compute)
    #[arg(long, value_enum)]
    role: Option<RoleArg>,
    /// The distribution whose commands to write
    #[arg(long, value_enum, default_value_t)]
    distro: DistroArg,
    /// The output of `openstack endpoint list -f json`: one `endpoint set` per Compute endpoint to move
    #[arg(long, value_name = "FILE")]
    endpoints: Option<PathBuf>,
    #[command(flatten)]
    out: OutputArgs,
}

/// The install runbook of a release's install guide, for one role
#[derive(Args)]
#[command(
    after_help = "Exit status: 0 written, 2 bad input (unknown release, a release without \
    install data, an unknown --set name, a broken template).\n\nExamples:\n  \
    stackhop runbook install --release wallaby --role controller --set controller=ctl01\n  \
    stackhop runbook install --release juno --role compute --distro rdo --set my_ip=10.0.0.31 \
    --set NOVA_PASS=secret --write-configs ./cmp01"
)]
struct InstallArgs {
    /// The release (a name or a nova version): juno, newton, stein or wallaby
    #[arg(long)]
    release: String,
    #[arg(long, value_enum)]
    role: RoleArg,
    /// The distribution whose commands to write
    #[arg(long, value_enum, default_value_t)]
    distro: DistroArg,
    /// Fill a placeholder of the guide (controller=ctl01, NOVA_DBPASS=…) or an option it writes (my_ip=10.0.0.11); passwords go only into --write-configs files
    #[arg(long, value_name = "NAME=VALUE", value_parser = parse_set)]
    set: Vec<(String, String)>,
    /// Also write the config files the guide writes (DIR/nova.conf, mode 0640), with every --set value in them
    #[arg(long, value_name = "DIR")]
    write_configs: Option<PathBuf>,
    #[command(flatten)]
    out: OutputArgs,
}

fn parse_set(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(format!("{s:?} is not NAME=VALUE")),
    }
}

pub fn runbook(args: RunbookArgs) -> Outcome {
    match args.command {
        RunbookCommand::Upgrade(a) => upgrade(a),
        RunbookCommand::Install(a) => install(a),
    }
}

fn upgrade(args: UpgradeArgs) -> Outcome {
    let catalog = args.out.data.catalog()?;
    let templates = templates(&args.out)?;
    let book = RuleBook::embedded()?;
    let configs = args
        .config
        .iter()
        .map(|name| {
            let (source, document) = load(name)?;
            Ok(ConfigFile {
                name: source.name,
                document,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let endpoints = match &args.endpoints {
        Some(path) => {
            let name = path.display().to_string();
            let bytes = std::fs::read(path).map_err(|e| Error::from(e).context(&name))?;
            Some(runbook::parse_endpoints(&name, &bytes)?)
        }
        None => None,
    };
    let ctx = runbook::upgrade(
        &catalog,
        &book,
        &UpgradeRequest {
            from: args.from.as_deref(),
            to: &args.to,
            configs: &configs,
            role: args.role.map(Role::from),
            distro: args.distro.into(),
            endpoints: endpoints.as_deref(),
            redactor: Redactor::default(),
        },
    )?;
    emit(&ctx, &templates, &args.out)
}

fn install(args: InstallArgs) -> Outcome {
    let catalog = args.out.data.catalog()?;
    let templates = templates(&args.out)?;
    let req = InstallRequest {
        release: &args.release,
        role: args.role.into(),
        distro: args.distro.into(),
        set: &args.set,
    };
    let ctx = runbook::install(&catalog, &req)?;
    if let Some(dir) = &args.write_configs {
        write_configs(dir, &runbook::install_configs(&catalog, &req)?)?;
    }
    emit(&ctx, &templates, &args.out)
}

fn templates(out: &OutputArgs) -> Result<Templates, Error> {
    Ok(match &out.templates {
        Some(dir) => Templates::with_dir(dir)?,
        None => Templates::embedded(),
    })
}

fn emit(ctx: &RunbookContext, templates: &Templates, out: &OutputArgs) -> Outcome {
    let text = match out.format {
        Format::Json => stackhop::report::json_text(ctx),
        _ => runbook::render(ctx, templates)?,
    };
    match &out.output {
        Some(path) if path.as_os_str() != "-" => {
            stackhop::files::write_file(path, text.as_bytes(), None)?;
        }
        _ => print(text)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The config files, with real values: mode 0640, whatever the umask.
fn write_configs(dir: &Path, files: &[runbook::ConfigOut]) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::from(e).context(dir.display().to_string()))?;
    for f in files {
        let path = dir.join(&f.name);
        stackhop::files::write_file(&path, &f.bytes, None)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640))
                .map_err(|e| Error::from(e).context(path.display().to_string()))?;
        }
        eprintln!(
            "stackhop: wrote {} ({} node; it holds the --set values, passwords included)",
            path.display(),
            f.role.as_str()
        );
    }
    Ok(())
}
