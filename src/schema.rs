//! JSON Schemas of every JSON output, generated from the Rust types that
//! are serialised (schemars), so they cannot drift from what is printed.
//! `docs/schema/*.json` holds them; a test fails when those are stale
//! (regenerate with `STACKHOP_BLESS=1 cargo test --test schemas`) and
//! validates real outputs against them.
//!
//! Also here: the schemas of the types the views borrow from rooms whose
//! files `build.rs` compiles too (`Role`, `Distro`, a migration rule's
//! `Safety` and manual-step kind), which therefore derive no `JsonSchema`.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;

/// The name of each JSON output's schema (`docs/schema/NAME.json`), the
/// command that prints it, and the schema.
pub fn all() -> Vec<(&'static str, &'static str, Schema)> {
    vec![
        (
            "inspect",
            "stackhop inspect FILE --format json",
            of::<
                crate::report::inspect::Json<
                    'static,
                    Vec<crate::report::inspect::JsonOption<'static>>,
                >,
            >(),
        ),
        (
            "check",
            "stackhop check FILE... --format json",
            of::<crate::report::view::CheckView>(),
        ),
        (
            "fleet",
            "stackhop check|migrate|detect FILE... --format json (many files), stackhop fleet report --format json",
            of::<crate::report::view::FleetView>(),
        ),
        (
            "detect",
            "stackhop detect FILE --format json",
            of::<crate::report::detect::Json<'static>>(),
        ),
        (
            "migrate",
            "stackhop migrate FILE --format json (and extract --to's *.migration.json)",
            of::<crate::report::view::MigrationView>(),
        ),
        (
            "diff",
            "stackhop diff OLD NEW --format json",
            of::<crate::report::view::ComparisonView>(),
        ),
        (
            "runbook",
            "stackhop runbook upgrade|install --format json",
            of::<crate::runbook::RunbookContext>(),
        ),
        (
            "extract",
            "stackhop extract GUIDE --format json",
            of::<crate::report::view::ExtractView>(),
        ),
        (
            "extract-steps",
            "stackhop extract GUIDE -o DIR: DIR/steps.json",
            of::<crate::report::extract::StepsFile<'static>>(),
        ),
    ]
}

/// The schema of `T` as serialised (every field that is always written is
/// required), draft 2020-12, titled by the command that prints it.
fn of<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>()
}

/// `all()` with each schema's title and `$id` set from its output.
pub fn documented() -> Vec<(&'static str, &'static str, Schema)> {
    all()
        .into_iter()
        .map(|(name, command, mut schema)| {
            let rust = schema
                .get("title")
                .and_then(|t| t.as_str())
                .unwrap_or_default()
                .to_string();
            schema.insert("title".into(), command.into());
            schema.insert(
                "$comment".into(),
                format!("Generated from stackhop's {rust} (src/schema.rs); do not edit.").into(),
            );
            (name, command, schema)
        })
        .collect()
}

/// A string that is one of the serialised forms of `values`.
fn one_of<T: Serialize>(values: &[T], description: &str) -> Schema {
    let names: Vec<serde_json::Value> = values
        .iter()
        .filter_map(|v| serde_json::to_value(v).ok())
        .collect();
    json_schema!({"type": "string", "enum": names, "description": description})
}

pub(crate) fn role(_: &mut SchemaGenerator) -> Schema {
    one_of(&crate::release::Role::ALL, "A node's role.")
}

pub(crate) fn role_or_none(g: &mut SchemaGenerator) -> Schema {
    json_schema!({"anyOf": [role(g), {"type": "null"}]})
}

pub(crate) fn roles(g: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": "array", "items": role(g)})
}

pub(crate) fn distro(_: &mut SchemaGenerator) -> Schema {
    one_of(
        &crate::release::Distro::ALL,
        "The distribution whose commands are written.",
    )
}

pub(crate) fn safety(_: &mut SchemaGenerator) -> Schema {
    use crate::migrate::rules::Safety;
    one_of(
        &[Safety::Safe, Safety::Review],
        "safe: nova reads the same; review: a reviewer must look.",
    )
}

pub(crate) fn manual_kind(_: &mut SchemaGenerator) -> Schema {
    use crate::migrate::rules::StepKind as K;
    // A new kind fails to compile here until it is listed below.
    let _ = |k: K| match k {
        K::Config
        | K::ServiceRemoved
        | K::ServiceAdded
        | K::Database
        | K::Cells
        | K::Placement
        | K::Requirement
        | K::Endpoint => (),
    };
    one_of(
        &[
            K::Config,
            K::ServiceRemoved,
            K::ServiceAdded,
            K::Database,
            K::Cells,
            K::Placement,
            K::Requirement,
            K::Endpoint,
        ],
        "What a manual step is about.",
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_output_has_a_schema_with_a_title() {
        for (name, _, schema) in super::all() {
            let v = schema.as_value();
            assert!(v.get("title").is_some(), "{name}");
            assert_eq!(v["type"], "object", "{name}");
        }
    }
}
