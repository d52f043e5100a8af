//! Colour for terminals: only when writing to one, and never when the
//! `NO_COLOR` environment variable is set (<https://no-color.org>).

use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    Red,
    Yellow,
    Green,
    Cyan,
    Bold,
    Dim,
}

impl Paint {
    fn code(self) -> &'static str {
        match self {
            Paint::Red => "31",
            Paint::Yellow => "33",
            Paint::Green => "32",
            Paint::Cyan => "36",
            Paint::Bold => "1",
            Paint::Dim => "2",
        }
    }
}

/// Whether output is coloured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    /// Colour if `terminal` and `NO_COLOR` is unset or empty.
    pub fn detect(terminal: bool) -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            color: terminal && !no_color,
        }
    }

    pub fn paint<'a>(&self, text: &'a str, paint: Paint) -> Cow<'a, str> {
        if self.color {
            Cow::Owned(format!("\x1b[{}m{text}\x1b[0m", paint.code()))
        } else {
            Cow::Borrowed(text)
        }
    }
}
