//! Turning documents (and later changes and findings) into what people and
//! programs read: text tables, JSON, unified diffs.

pub mod compare;
pub mod detect;
pub mod diff;
pub mod explain;
pub mod findings;
pub mod inspect;
pub mod markdown;
pub mod migration;
pub mod redact;
pub mod releases;
pub mod style;

/// Version of every JSON output's shape; bumped on incompatible changes.
pub const JSON_SCHEMA: u32 = 1;
