//! Reports of many runs (hosts, batches) merged into one fleet: each JSON
//! report that `migrate`, `check`, `detect` print, for one file or for
//! many, becomes the entries of its files.
//!
//! Reports come masked, and merging keeps them so: nothing here can
//! unmask a value (the reports hold no raw secrets). It masks again what a
//! report made with `--show-secrets` would show, as far as the option
//! names tell: every `value` of an option secret by any release's data or
//! by its name, every URL password in any text, and the assignments of a
//! secret option in a diff.

use crate::conf::OptionRef;
use crate::release::{HistoryIndex, secret_name};
use crate::report::JSON_SCHEMA;
use crate::report::redact::{Redactor, mask_url_passwords};
use crate::report::view::{Command, FleetEntry, FleetView, Shared, Status};
use serde_json::{Map, Value};

/// The entries of one report. `name` is where it was read from; `host`,
/// when given, is set on every entry that has none. A report that cannot be
/// read is one entry, with its error.
pub fn entries(
    name: &str,
    text: &str,
    host: Option<&str>,
    history: &HistoryIndex,
) -> Vec<FleetEntry> {
    let mut entries = match read(name, text) {
        Ok(entries) => entries,
        Err(reason) => vec![FleetEntry::failed(name, None, format!("{name}: {reason}"))],
    };
    for e in &mut entries {
        if e.host.is_none() {
            e.host = host.map(str::to_string);
        }
        if let Some(report) = &mut e.report {
            mask(report, history);
            e.shared = Shared::of_report(report);
        }
        if let Some(error) = &mut e.error {
            *error = mask_url_passwords(error).into_owned();
        }
        for note in &mut e.notes {
            *note = mask_url_passwords(note).into_owned();
        }
    }
    entries
}

/// What kind of report `v` is, told by its fields.
fn read(name: &str, text: &str) -> Result<Vec<FleetEntry>, String> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| format!("not a JSON report ({e}); give the output of --format json"))?;
    let schema = v.get("schema").and_then(Value::as_u64);
    if schema != Some(u64::from(JSON_SCHEMA)) {
        return Err(match schema {
            Some(s) => format!("a report of schema {s}; this stackhop reads schema {JSON_SCHEMA}"),
            None => "not a stackhop report (no \"schema\")".to_string(),
        });
    }
    let has = |key: &str| v.get(key).is_some();
    if has("files") && has("totals") {
        let fleet: FleetView =
            serde_json::from_value(v).map_err(|e| format!("not a fleet report: {e}"))?;
        return Ok(fleet.files);
    }
    if has("hops") && has("changes") {
        return Ok(vec![migration(v)]);
    }
    if has("findings") && has("summary") && has("release") {
        return Ok(check(name, v));
    }
    if has("candidates") && has("best") {
        return Ok(vec![detection(v)]);
    }
    Err("not a report of migrate, check or detect (nor of many files)".to_string())
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn len_of(v: &Value, key: &str) -> usize {
    v.get(key).and_then(Value::as_array).map_or(0, Vec::len)
}

/// `a–b` for several releases, oldest first (as `detect` lists them).
fn range(names: &[&str]) -> Option<String> {
    match names {
        [] | [_] => None,
        [first, .., last] => Some(format!("{first}–{last}")),
    }
}

/// `migrate --format json` of one file.
fn migration(v: Value) -> FleetEntry {
    let changes = len_of(&v, "changes");
    let reviews = v["changes"].as_array().map_or(0, |c| {
        c.iter()
            .filter(|c| c["safety"].as_str() == Some("review"))
            .count()
    });
    let status = if changes > 0 {
        Status::Changes
    } else {
        Status::Ok
    };
    let fits = v["detected"]["range"]
        .as_str()
        .filter(|_| len_of(&v["detected"], "fits") > 1)
        .map(str::to_string);
    FleetEntry {
        release: str_of(&v, "from"),
        fits,
        target: str_of(&v, "to"),
        changes: Some(changes),
        reviews: Some(reviews),
        manual: Some(len_of(&v, "manual")),
        ..FleetEntry::new(
            str_of(&v, "file").unwrap_or_default(),
            Some(Command::Migrate),
            status,
        )
    }
    .with_report(v)
}

/// `check --format json`, of one file or several: an entry a file, with
/// that file's findings (a report with no finding names no file: it is
/// the entry of the report itself).
fn check(name: &str, v: Value) -> Vec<FleetEntry> {
    let release = str_of(&v, "release");
    let findings = v["findings"].as_array().cloned().unwrap_or_default();
    let mut files: Vec<(String, Vec<Value>)> = Vec::new();
    for f in findings {
        let file = str_of(&f, "file").unwrap_or_else(|| name.to_string());
        match files.iter_mut().find(|(n, _)| *n == file) {
            Some((_, fs)) => fs.push(f),
            None => files.push((file, vec![f])),
        }
    }
    if files.is_empty() {
        files.push((name.to_string(), Vec::new()));
    }
    files
        .into_iter()
        .map(|(file, findings)| {
            let count = |s: &str| {
                findings
                    .iter()
                    .filter(|f| f["severity"].as_str() == Some(s))
                    .count()
            };
            let (errors, warnings, infos) = (count("error"), count("warning"), count("info"));
            let status = if errors > 0 {
                Status::Findings
            } else {
                Status::Ok
            };
            let report = serde_json::json!({
                "schema": JSON_SCHEMA,
                "release": release,
                "findings": findings,
                "summary": {"files": 1, "errors": errors, "warnings": warnings, "infos": infos},
            });
            FleetEntry {
                target: release.clone(),
                errors: Some(errors),
                warnings: Some(warnings),
                infos: Some(infos),
                ..FleetEntry::new(file, Some(Command::Check), status)
            }
            .with_report(report)
        })
        .collect()
}

/// `detect --format json` of one file.
fn detection(v: Value) -> FleetEntry {
    let best: Vec<&str> = v["best"]
        .as_array()
        .map(|b| b.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    FleetEntry {
        release: str_of(&v, "guess"),
        fits: range(&best),
        ..FleetEntry::new(
            str_of(&v, "file").unwrap_or_default(),
            Some(Command::Detect),
            Status::Ok,
        )
    }
    .with_report(v.clone())
}

/// Masks, in place, whatever a report could show of a secret.
pub fn mask(v: &mut Value, history: &HistoryIndex) {
    let r = Redactor::default();
    match v {
        Value::Object(map) => {
            let secret = option_secret(map, history);
            for (key, field) in map.iter_mut() {
                match (key.as_str(), field) {
                    ("value", Value::String(s)) if secret.is_some() => {
                        *s = r.value(s, secret.unwrap_or(false)).into_owned();
                    }
                    ("diff", Value::String(s)) => *s = mask_diff(s, history),
                    (_, field) => mask(field, history),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| mask(i, history)),
        Value::String(s) => {
            if let std::borrow::Cow::Owned(masked) = mask_url_passwords(s) {
                *s = masked;
            }
        }
        _ => {}
    }
}

/// For an object naming an option (`section`, `key`, `value`): is it secret?
fn option_secret(map: &Map<String, Value>, history: &HistoryIndex) -> Option<bool> {
    let key = map.get("key")?.as_str()?;
    map.get("value")?;
    let section = map
        .get("section")
        .and_then(Value::as_str)
        .unwrap_or("DEFAULT");
    let option = OptionRef::new(section, key);
    Some(history.is_secret(option.group(), option.name()) || secret_name(key))
}

/// A unified diff with the value of every assignment of a secret option
/// (by name, in any section; commented out too) masked, and URL passwords.
fn mask_diff(diff: &str, history: &HistoryIndex) -> String {
    let r = Redactor::default();
    let secret_names: std::collections::HashSet<&str> = history
        .entries()
        .iter()
        .filter(|e| e.secret)
        .map(|e| e.option.name())
        .collect();
    let mut out = String::with_capacity(diff.len());
    for line in diff.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let end = &line[body.len()..];
        let is_header = body.starts_with("+++") || body.starts_with("---");
        let masked = match body.chars().next() {
            Some(mark @ ('+' | '-' | ' ')) if !is_header => {
                let text = &body[1..];
                mask_assignment(text, |k| secret_names.contains(k) || secret_name(k), r)
                    .map(|t| format!("{mark}{t}"))
            }
            _ => None,
        };
        match masked {
            Some(m) => {
                out.push_str(&m);
                out.push_str(end);
            }
            None => out.push_str(&mask_url_passwords(line)),
        }
    }
    out
}

/// `key = value` (or `#key = value`) with its value masked when `secret(key)`.
fn mask_assignment(text: &str, secret: impl Fn(&str) -> bool, r: Redactor) -> Option<String> {
    let split = text.find(['=', ':'])?;
    let (left, right) = text.split_at(split);
    let key = left.trim().trim_start_matches(['#', ';']).trim();
    if key.is_empty() || !secret(key) {
        return None;
    }
    let value = right[1..].trim();
    if value.is_empty() {
        return None;
    }
    let lead = &right[..right.len() - right[1..].trim_start().len()];
    Some(format!("{left}{lead}{}", r.value(value, true)))
}

impl FleetEntry {
    fn with_report(mut self, report: Value) -> FleetEntry {
        self.report = Some(report);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::Catalog;
    use serde_json::json;

    fn history() -> &'static HistoryIndex {
        static CATALOG: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        CATALOG
            .get_or_init(|| Catalog::embedded().unwrap())
            .history()
            .unwrap()
    }

    #[test]
    fn a_report_shown_with_secrets_is_masked_again() {
        let report = json!({
            "schema": 1, "file": "nova.conf", "from": "juno", "to": "wallaby",
            "hops": ["kilo"], "manual": [], "unchanged": 0,
            "changes": [{
                "rule": "X", "kind": "rename", "safety": "review", "release": "kilo",
                "before": {"section": "keystone_authtoken", "key": "admin_password", "value": "NOVA_PASS", "line": 3},
                "after": {"section": "DEFAULT", "key": "transport_url", "value": "rabbit://u:RABBIT_PASS@c:5672/", "line": 4},
                "note": "from mysql://nova:DBPASS@controller/nova", "via": []
            }],
            "diff": "--- a\n+++ b\n@@ -1 +1 @@\n-admin_password = NOVA_PASS\n+#password=NOVA_PASS\r\n verbose = True\n"
        });
        let entries = entries("r.json", &report.to_string(), Some("c1"), history());
        assert_eq!(entries.len(), 1);
        let e = &entries[0];
        assert_eq!(e.host.as_deref(), Some("c1"));
        assert_eq!(
            (e.changes, e.reviews, e.status),
            (Some(1), Some(1), Status::Changes)
        );
        let shown = e.report.as_ref().unwrap().to_string();
        for secret in ["NOVA_PASS", "RABBIT_PASS", "DBPASS"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        let diff = e.report.as_ref().unwrap()["diff"].as_str().unwrap();
        assert_eq!(
            diff,
            "--- a\n+++ b\n@@ -1 +1 @@\n-admin_password = ****\n+#password=****\r\n verbose = True\n"
        );
    }

    #[test]
    fn check_reports_split_by_file_and_bad_reports_are_entries() {
        let report = json!({
            "schema": 1, "release": "juno",
            "findings": [
                {"code": "C104", "name": "removed-option", "severity": "error", "file": "a.conf", "line": 1},
                {"code": "C201", "name": "inline-comment", "severity": "warning", "file": "b.conf", "line": 2}
            ],
            "summary": {"files": 2, "errors": 1, "warnings": 1, "infos": 0}
        });
        let h = history();
        let es = entries("r.json", &report.to_string(), None, h);
        let got: Vec<_> = es
            .iter()
            .map(|e| (e.file.as_str(), e.status, e.errors, e.warnings))
            .collect();
        assert_eq!(
            got,
            [
                ("a.conf", Status::Findings, Some(1), Some(0)),
                ("b.conf", Status::Ok, Some(0), Some(1))
            ]
        );
        let bad = entries("x.json", "{", None, h);
        assert_eq!(bad[0].status, Status::Error);
        assert!(
            bad[0]
                .error
                .as_deref()
                .unwrap()
                .starts_with("x.json: not a JSON report")
        );
        let other = entries("y.json", r#"{"schema": 7}"#, None, h);
        assert!(other[0].error.as_deref().unwrap().contains("schema 7"));
    }
}
