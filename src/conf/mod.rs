//! The lossless oslo.config INI document.
//!
//! This room owns reading nova.conf bytes exactly as nova's config parser
//! (oslo.config's `iniparser`) reads them, editing options while touching only
//! the lines that must change, and printing the bytes back. It knows nothing
//! of releases, rules or output formats.
//!
//! How nova reads a file, and so how this module does:
//! - lines break at `\n`, `\r\n` and a lone `\r`; each is right-stripped;
//! - a blank line ends a multi-line value; a line starting with a space or a
//!   tab continues the previous value (an error if there is none);
//! - `[name]` opens a section (the line must end with `]`); sections repeat
//!   and merge; names other than `DEFAULT` compare lower-cased;
//! - `#` or `;` starts a comment, only at the start of a line: there are no
//!   inline comments;
//! - `key = value` or `key: value` splits at the first `=` or `:`; key and
//!   value are stripped and one pair of surrounding quotes is removed.

mod document;
mod edit;
mod index;
mod option_ref;
mod parse;
pub mod scan;
mod text;
pub mod value;

pub use document::{Document, Entry, LineProblem, ParseError};
pub use edit::{EditError, Previous, SetOutcome, ValueAt};
pub use option_ref::{AnyOf, OptionRef, OptionRefError, normalize_group};
pub use parse::Problem;
pub use text::{SharedBytes, first_invalid_utf8, nth_line};

#[cfg(test)]
mod tests;

impl Entry<'_> {
    /// The option this assignment sets, under the name the file gives it.
    pub fn option(&self) -> OptionRef {
        OptionRef::new(self.group(), &self.key())
    }

    /// `[section] key` as the file writes them (`[VNC] server_listen`),
    /// for messages that point at the line.
    pub fn written_name(&self) -> String {
        format!("[{}] {}", self.section(), self.key())
    }
}

impl Document {
    /// The value nova uses for `option` (its last occurrence), if set.
    pub fn value_of(&self, option: &OptionRef) -> Option<String> {
        self.get(option.group(), option.name())
            .map(|e| e.value().into_owned())
    }

    /// Is `option` set (under this name)?
    pub fn is_set(&self, option: &OptionRef) -> bool {
        self.get(option.group(), option.name()).is_some()
    }
}

/// Why nova refuses a file that starts with a byte order mark.
pub const BOM_REASON: &str = "file starts with a UTF-8 byte order mark (BOM); nova reads it as \
     text on line 1 and refuses the file";

/// Why nova refuses a file with bytes that are not UTF-8.
pub const NOT_UTF8_REASON: &str =
    "line is not valid UTF-8; nova decodes config files as UTF-8 and refuses this one";

impl Document {
    /// Why nova refuses a file whose lines look fine: a byte order mark, or
    /// bytes that are not UTF-8, as `(line, reason)`.
    pub fn encoding_problem(&self) -> Option<(usize, &'static str)> {
        if self.has_bom() {
            return Some((1, BOM_REASON));
        }
        self.first_invalid_utf8_line()
            .map(|line| (line, NOT_UTF8_REASON))
    }
}

impl LineProblem {
    /// `FILE:LINE: reason`, with a hint when the line's text (`text`)
    /// suggests one.
    pub fn describe(&self, file: &str, text: Option<&[u8]>) -> String {
        match self.problem.hint(text.unwrap_or_default()) {
            Some(hint) => format!("{file}:{}: {}; {hint}", self.line, self.problem),
            None => format!("{file}:{}: {}", self.line, self.problem),
        }
    }
}

impl ParseError {
    /// `FILE:LINE: reason; hint`, given the bytes that were parsed.
    pub fn describe(&self, file: &str, bytes: &[u8]) -> String {
        match self {
            ParseError::Line(p) => p.describe(file, nth_line(bytes, p.line)),
            ParseError::TooLarge => format!("{file}: {self}"),
        }
    }
}
