//! stackhop carries an OpenStack Compute (nova) deployment from one release
//! to another.
//!
//! The library is organised in rooms; each module's doc comment says what
//! it owns.

pub mod check;
pub mod conf;
pub mod extract;
pub mod files;
pub mod fleet;
pub mod migrate;
pub mod release;
pub mod report;
pub mod runbook;
pub mod schema;
