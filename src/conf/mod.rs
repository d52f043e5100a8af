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
mod parse;
mod text;

pub use document::{Document, Entry, LineProblem, ParseError, normalize_group};
pub use edit::{EditError, Previous, SetOutcome, ValueAt};
pub use parse::Problem;
pub use text::{SharedBytes, first_invalid_utf8, nth_line};

#[cfg(test)]
mod tests;
