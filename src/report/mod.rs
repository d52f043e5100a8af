//! Turning documents, findings, migrations and comparisons into what people
//! and programs read: text, JSON, unified diffs, Markdown, CI annotations.

pub mod compare;
pub mod detect;
pub mod diff;
pub mod explain;
pub mod extract;
pub mod findings;
pub mod fleet;
pub mod inspect;
pub mod markdown;
pub mod migration;
pub mod redact;
pub mod releases;
pub mod sarif;
pub mod style;
pub mod view;

/// Version of every JSON output's shape; bumped on incompatible changes.
pub const JSON_SCHEMA: u32 = 1;

/// A JSON output: pretty, with a final newline.
pub fn json_text<T: serde::Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("plain data serializes");
    s.push('\n');
    s
}

/// `1 change`, `2 changes`.
pub fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}
