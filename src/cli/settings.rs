//! Arguments that several commands share, resolved once into what the
//! commands use: the catalog, the redactor, the output format, colour.

use super::error::Error;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};
use stackhop::migrate::RuleBook;
use stackhop::release::Catalog;
use stackhop::report::redact::Redactor;
use stackhop::report::style::Style;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Where release data comes from.
#[derive(Args, Debug, Clone, Default)]
pub struct DataArgs {
    /// Read release data from DIR (shaped like the project's releases/) instead of the built-in data
    #[arg(long, value_name = "DIR")]
    pub releases_dir: Option<PathBuf>,
}

impl DataArgs {
    /// The catalog. Data read from a folder is checked as the build checks
    /// the built-in data: every option its requirements and the migration
    /// rules name must exist where they need it.
    pub fn catalog(&self) -> Result<Catalog, Error> {
        let catalog = Catalog::load(self.releases_dir.as_deref())?;
        if self.releases_dir.is_some() {
            let book = RuleBook::embedded()?;
            catalog.validate(&book.claims(&catalog))?;
        }
        if super::verbose() {
            let releases = catalog.releases();
            let span = match (releases.first(), releases.last()) {
                (Some(a), Some(b)) => format!("{} to {}", a.name(), b.name()),
                _ => "none".to_string(),
            };
            let source = match &self.releases_dir {
                Some(dir) => format!(
                    "from {} (checked as the build checks the built-in data)",
                    dir.display()
                ),
                None => "built in".to_string(),
            };
            super::note(&format!(
                "release data: {source}: {} releases, {span}",
                releases.len()
            ));
        }
        Ok(catalog)
    }
}

/// How secret values are shown.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct SecretArgs {
    /// Show secret values (passwords, URLs with passwords…) instead of masking them
    #[arg(long)]
    pub show_secrets: bool,
}

impl SecretArgs {
    pub fn redactor(self) -> Redactor {
        Redactor::new(self.show_secrets)
    }
}

/// When to colour output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug, Clone, Copy, Default)]
pub struct ColorArgs {
    /// When to colour the output (auto: on a terminal, unless NO_COLOR is set)
    #[arg(long, value_enum, default_value_t, value_name = "WHEN")]
    pub color: ColorChoice,
}

impl ColorArgs {
    /// The style of standard output.
    pub fn stdout(self) -> Style {
        self.style(std::io::stdout().is_terminal())
    }

    /// The style of standard error.
    pub fn stderr(self) -> Style {
        self.style(std::io::stderr().is_terminal())
    }

    fn style(self, terminal: bool) -> Style {
        match self.color {
            ColorChoice::Auto => Style::detect(terminal),
            ColorChoice::Always => Style { color: true },
            ColorChoice::Never => Style { color: false },
        }
    }
}

/// What a command that reports on configs takes: where release data comes
/// from, whether secrets show, and colour.
#[derive(Args, Debug, Clone, Default)]
pub struct ReportArgs {
    #[command(flatten)]
    pub secrets: SecretArgs,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub color: ColorArgs,
}

/// Every output format; each command accepts some of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    /// A pull-request comment
    Markdown,
    /// GitHub Actions workflow annotations
    Github,
    /// SARIF 2.1.0, for code-scanning views
    Sarif,
}

impl Format {
    const ALL: [Format; 5] = [
        Format::Text,
        Format::Json,
        Format::Markdown,
        Format::Github,
        Format::Sarif,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Github => "github",
            Format::Sarif => "sarif",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Format::Text => "for people",
            Format::Json => "for programs (see the README)",
            Format::Markdown => "a pull-request comment",
            Format::Github => "GitHub Actions workflow annotations",
            Format::Sarif => "SARIF 2.1.0, for code scanning",
        }
    }

    /// The format of this name, when `allowed` has it.
    pub fn named(name: &str, allowed: &[Format]) -> Option<Format> {
        allowed.iter().copied().find(|f| f.name() == name)
    }

    /// A parser that takes the formats in `allowed` only.
    pub fn only(allowed: &'static [Format]) -> impl TypedValueParser<Value = Format> {
        PossibleValuesParser::new(
            allowed
                .iter()
                .map(|f| PossibleValue::new(f.name()).help(f.help())),
        )
        .map(|name| {
            Format::ALL
                .into_iter()
                .find(|f| f.name() == name)
                .unwrap_or(Format::Text)
        })
    }
}
