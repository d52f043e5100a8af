//! Errors of a command, with their kind and their cause kept to the top,
//! where the exit code is chosen and the one line is printed.

use std::fmt;

/// Whose fault a failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Bad input, usage, or an I/O failure: exit 2.
    User,
    /// A bug in stackhop: exit 3, and please report it.
    Internal,
}

/// A failed command: what it was doing, and why.
#[derive(Debug)]
pub struct Error {
    pub kind: Kind,
    /// What stackhop was doing, or the file concerned (`nova.conf`).
    context: Option<String>,
    cause: Box<dyn std::error::Error + Send + Sync>,
}

impl Error {
    /// A user error with this message.
    pub fn user(message: impl Into<String>) -> Error {
        Error {
            kind: Kind::User,
            context: None,
            cause: message.into().into(),
        }
    }

    /// A bug in stackhop, with this message.
    pub fn internal(message: impl Into<String>) -> Error {
        Error {
            kind: Kind::Internal,
            context: None,
            cause: message.into().into(),
        }
    }

    /// Adds what stackhop was doing (usually the file's name).
    pub fn context(mut self, context: impl Into<String>) -> Error {
        let outer = context.into();
        self.context = Some(match self.context.take() {
            Some(inner) => format!("{outer}: {inner}"),
            None => outer,
        });
        self
    }

    pub fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::User => 2,
            Kind::Internal => 3,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == Kind::Internal {
            f.write_str("internal error (please report it): ")?;
        }
        if let Some(c) = &self.context {
            write!(f, "{c}: ")?;
        }
        write!(f, "{}", self.cause)?;
        // The causes below the top one, if they say more.
        let mut source = self.cause.source();
        while let Some(s) = source {
            write!(f, ": {s}")?;
            source = s.source();
        }
        Ok(())
    }
}

macro_rules! user_errors {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Error {
                Error { kind: Kind::User, context: None, cause: Box::new(e) }
            }
        }
    )*};
}

user_errors!(
    stackhop::files::FileError,
    stackhop::release::CatalogError,
    std::io::Error
);

impl From<stackhop::migrate::MigrateError> for Error {
    fn from(e: stackhop::migrate::MigrateError) -> Error {
        let kind = match e {
            stackhop::migrate::MigrateError::Internal(_) => Kind::Internal,
            _ => Kind::User,
        };
        Error {
            kind,
            context: None,
            cause: Box::new(e),
        }
    }
}

impl From<stackhop::runbook::RunbookError> for Error {
    fn from(e: stackhop::runbook::RunbookError) -> Error {
        let kind = match e {
            stackhop::runbook::RunbookError::Data(_) => Kind::Internal,
            _ => Kind::User,
        };
        Error {
            kind,
            context: None,
            cause: Box::new(e),
        }
    }
}

impl From<stackhop::runbook::TemplateError> for Error {
    fn from(e: stackhop::runbook::TemplateError) -> Error {
        Error {
            kind: Kind::User,
            context: None,
            cause: Box::new(e),
        }
    }
}

/// What a command returns: its exit code, or a failure.
pub type Outcome = Result<std::process::ExitCode, Error>;
