//! A fleet for people (a table, then what the files share, then totals),
//! for pull requests (Markdown) and for programs (JSON), rendered from its
//! view.
//!
//! What the files share (each entry's `shared`): the manual steps of the
//! migrations (each once, with how many files need it) and the findings of
//! the checks (by code).

use super::markdown::{code, escape};
use super::plural;
use super::style::{Paint, Style};
use super::view::{Command, FleetEntry, FleetView, Status};
use std::fmt::Write;

/// A manual step as many files share it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedStep {
    pub release: String,
    pub rule: String,
    /// `controller`, `controller and compute`, or empty for any node.
    pub who: String,
    pub text: String,
    pub files: usize,
    /// Of those files, how many need it only if the node is not on the
    /// step's release yet (their release was a guess).
    pub conditional: usize,
}

impl SharedStep {
    /// ` only if not on rocky yet`, ` (2 only if not on rocky yet)`, or
    /// nothing: what the step depends on, where a file's release was a guess.
    pub fn condition(&self) -> String {
        match self.conditional {
            0 => String::new(),
            n if n == self.files => format!(", only if not on {} yet", self.release),
            n => format!(" ({n} only if not on {} yet)", self.release),
        }
    }
}

/// Findings of one code across the fleet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedFinding {
    pub code: String,
    pub name: String,
    pub severity: String,
    pub count: usize,
    pub files: usize,
}

/// The manual steps of the fleet's migrations, each once (by hop and
/// rule), hop by hop (in the order they first appear within a hop).
pub fn shared_steps(v: &FleetView) -> Vec<SharedStep> {
    let mut steps: Vec<SharedStep> = Vec::new();
    for e in &v.files {
        let mut seen_here: Vec<(&str, &str)> = Vec::new();
        for m in &e.shared.steps {
            let key = (m.release.as_str(), m.rule.as_str());
            if seen_here.contains(&key) {
                continue;
            }
            seen_here.push(key);
            let conditional = usize::from(m.if_not_yet_on.is_some());
            match steps
                .iter_mut()
                .find(|s| s.release == m.release && s.rule == m.rule)
            {
                Some(s) => {
                    s.files += 1;
                    s.conditional += conditional;
                }
                None => steps.push(SharedStep {
                    release: m.release.clone(),
                    rule: m.rule.clone(),
                    who: m.who.clone(),
                    text: m.text.clone(),
                    files: 1,
                    conditional,
                }),
            }
        }
    }
    let hop = |s: &SharedStep| {
        v.releases
            .iter()
            .position(|r| *r == s.release)
            .unwrap_or(usize::MAX)
    };
    steps.sort_by_key(hop);
    steps
}

/// The findings of the fleet's checks by code: errors first, then the most
/// frequent.
pub fn shared_findings(v: &FleetView) -> Vec<SharedFinding> {
    let mut codes: Vec<SharedFinding> = Vec::new();
    for e in &v.files {
        let mut seen_here: Vec<&str> = Vec::new();
        for f in &e.shared.findings {
            let first_here = !seen_here.contains(&f.code.as_str());
            match codes.iter_mut().find(|s| s.code == f.code) {
                Some(s) => {
                    s.count += 1;
                    s.files += usize::from(first_here);
                }
                None => codes.push(SharedFinding {
                    code: f.code.clone(),
                    name: f.name.clone(),
                    severity: f.severity.clone(),
                    count: 1,
                    files: 1,
                }),
            }
            if first_here {
                seen_here.push(&f.code);
            }
        }
    }
    let rank = |s: &str| match s {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    };
    codes.sort_by(|a, b| {
        (rank(&a.severity), std::cmp::Reverse(a.files), &a.code).cmp(&(
            rank(&b.severity),
            std::cmp::Reverse(b.files),
            &b.code,
        ))
    });
    codes
}

/// Which columns the table has: those of the commands present.
struct Columns {
    migrate: bool,
    check: bool,
    /// Several targets: each row says its own.
    target: bool,
}

impl Columns {
    fn of(v: &FleetView) -> Columns {
        let commands = v.commands();
        Columns {
            migrate: commands.contains(&Command::Migrate),
            check: commands.contains(&Command::Check),
            target: v.targets().len() > 1,
        }
    }

    fn heads(&self) -> Vec<&'static str> {
        let mut h = vec!["FILE", "RELEASE"];
        if self.target {
            h.push("TARGET");
        }
        if self.migrate {
            h.extend(["CHANGES", "REVIEW", "MANUAL"]);
        }
        if self.check {
            h.extend(["ERRORS", "WARNINGS", "NOTES"]);
        }
        h.push("RESULT");
        h
    }

    fn cells(&self, e: &FleetEntry) -> Vec<String> {
        let n = |c: Option<usize>| c.map_or_else(|| "-".to_string(), |c| c.to_string());
        let mut c = vec![e.place(), e.release_shown().unwrap_or("-").to_string()];
        if self.target {
            c.push(e.target.clone().unwrap_or_else(|| "-".to_string()));
        }
        if self.migrate {
            c.extend([n(e.changes), n(e.reviews), n(e.manual)]);
        }
        if self.check {
            c.extend([n(e.errors), n(e.warnings), n(e.infos)]);
        }
        c.push(e.status.as_str().to_string());
        c
    }
}

fn paint(status: Status) -> Paint {
    match status {
        Status::Ok => Paint::Green,
        Status::Changes => Paint::Yellow,
        Status::Findings | Status::Error => Paint::Red,
    }
}

/// A table a file, what the files share, the errors, and one line of totals.
pub fn text(v: &FleetView, style: Style) -> String {
    let mut out = String::new();
    let columns = Columns::of(v);
    let heads = columns.heads();
    let rows: Vec<Vec<String>> = v.files.iter().map(|e| columns.cells(e)).collect();
    let mut widths: Vec<usize> = heads.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let last = heads.len() - 1;
    let line = |out: &mut String, cells: &[String], status: Option<Status>| {
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            if i == last {
                let shown = match status {
                    Some(s) => style.paint(cell, paint(s)).into_owned(),
                    None => cell.clone(),
                };
                out.push_str(&shown);
            } else if i < 2 || (columns.target && i == 2) {
                let _ = write!(out, "{cell}{}  ", " ".repeat(pad));
            } else {
                let _ = write!(out, "{}{cell}  ", " ".repeat(pad));
            }
        }
        out.push('\n');
    };
    let heads: Vec<String> = heads.iter().map(|h| h.to_string()).collect();
    line(&mut out, &heads, None);
    for (row, e) in rows.iter().zip(&v.files) {
        line(&mut out, row, Some(e.status));
    }

    let steps = shared_steps(v);
    if !steps.is_empty() {
        out.push_str("\nmanual steps (files that need them):\n");
        for s in &steps {
            let who = if s.who.is_empty() {
                String::new()
            } else {
                format!(" ({})", s.who)
            };
            let _ = writeln!(
                out,
                "  - [{}] {}{who}: {}{}: {}",
                s.release,
                s.rule,
                plural(s.files, "file"),
                s.condition(),
                super::migration::one_line(&s.text)
            );
        }
    }
    let findings = shared_findings(v);
    if !findings.is_empty() {
        out.push_str("\nfindings by code:\n");
        for f in &findings {
            let _ = writeln!(
                out,
                "  {} {} ({}): {} in {}",
                f.code,
                f.name,
                f.severity,
                f.count,
                plural(f.files, "file")
            );
        }
    }
    let failed: Vec<&FleetEntry> = v.files.iter().filter(|e| e.error.is_some()).collect();
    if !failed.is_empty() {
        out.push_str("\nerrors:\n");
        for e in failed {
            let host = e
                .host
                .as_ref()
                .map(|h| format!("{h}: "))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {host}{}",
                style.paint(e.error.as_deref().unwrap_or_default(), Paint::Red)
            );
        }
    }
    out.push('\n');
    out.push_str(&summary(v));
    out.push('\n');
    out
}

/// One line: `3 files (juno → wallaby): 2 with changes, 1 failed; 62 changes,
/// 16 to review, 20 manual steps`.
pub fn summary(v: &FleetView) -> String {
    let t = &v.totals;
    let mut s = plural(t.files, "file");
    let columns = Columns::of(v);
    let releases: Vec<&str> = {
        let mut r: Vec<&str> = v.files.iter().filter_map(|e| e.release_shown()).collect();
        r.sort_unstable();
        r.dedup();
        r
    };
    match (releases.as_slice(), v.targets().as_slice()) {
        ([from], [to]) if columns.migrate && !columns.check => {
            let _ = write!(s, " ({from} → {to})");
        }
        (_, [to]) if columns.migrate && !columns.check => {
            let _ = write!(s, " (to {to})");
        }
        (_, [to]) if columns.check && !columns.migrate => {
            let _ = write!(s, " (against {to})");
        }
        _ => {}
    }
    if t.files == 0 {
        s.push_str(": none");
        return s;
    }
    let mut states = Vec::new();
    if t.with_changes > 0 {
        states.push(format!("{} with changes", t.with_changes));
    }
    if t.with_findings > 0 {
        states.push(format!("{} with failing findings", t.with_findings));
    }
    if t.ok > 0 {
        states.push(format!("{} ok", t.ok));
    }
    if t.failed > 0 {
        states.push(format!("{} failed", t.failed));
    }
    let _ = write!(s, ": {}", states.join(", "));
    let mut counts = Vec::new();
    if columns.migrate {
        counts.push(format!(
            "{}, {} to review, {}",
            plural(t.changes, "change"),
            t.reviews,
            plural(t.manual, "manual step")
        ));
    }
    if columns.check {
        counts.push(format!(
            "{}, {}, {}",
            plural(t.errors, "error"),
            plural(t.warnings, "warning"),
            plural(t.infos, "note")
        ));
    }
    if !counts.is_empty() {
        let _ = write!(s, "; {}", counts.join("; "));
    }
    if t.with_changes == 0 && t.with_findings == 0 && t.failed == 0 && columns.migrate {
        s.push_str("; nothing to change");
    }
    s
}

/// A pull-request comment: the verdict, the table, what the files share,
/// the errors.
pub fn markdown(v: &FleetView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "**stackhop fleet: {}**\n", escape(&summary(v)));
    let columns = Columns::of(v);
    let heads = columns.heads();
    let _ = writeln!(out, "| {} |", heads.join(" | ").to_lowercase());
    let align: Vec<&str> = heads
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let text_col = i < 2 || i + 1 == heads.len() || (columns.target && i == 2);
            if text_col { "---" } else { "---:" }
        })
        .collect();
    let _ = writeln!(out, "|{}|", align.join("|"));
    for e in &v.files {
        let mut cells = columns.cells(e);
        cells[0] = code(&cells[0]);
        let _ = writeln!(
            out,
            "| {} |",
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| if i == 0 { c.clone() } else { escape(c) })
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    let steps = shared_steps(v);
    if !steps.is_empty() {
        out.push_str("\n### Manual steps\n\n");
        for s in &steps {
            let who = if s.who.is_empty() {
                String::new()
            } else {
                format!(", {}", escape(&s.who))
            };
            let _ = writeln!(
                out,
                "- [ ] **{}** ({}{who}, {}{}): {}",
                escape(&s.rule),
                escape(&s.release),
                plural(s.files, "file"),
                escape(&s.condition()),
                escape(&s.text)
            );
        }
    }
    let findings = shared_findings(v);
    if !findings.is_empty() {
        out.push_str("\n### Findings by code\n\n| code | severity | findings | files |\n|---|---|---:|---:|\n");
        for f in &findings {
            let _ = writeln!(
                out,
                "| {} {} | {} | {} | {} |",
                escape(&f.code),
                escape(&f.name),
                escape(&f.severity),
                f.count,
                f.files
            );
        }
    }
    let failed: Vec<&FleetEntry> = v.files.iter().filter(|e| e.error.is_some()).collect();
    if !failed.is_empty() {
        out.push_str("\n### Errors\n\n");
        for e in failed {
            let _ = writeln!(
                out,
                "- {}: {}",
                code(&e.place()),
                escape(e.error.as_deref().unwrap_or_default())
            );
        }
    }
    out
}

/// `{"schema":1,"files":[…],"totals":{…}}`.
pub fn json(v: &FleetView) -> String {
    super::json_text(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::view::Shared;
    use serde_json::{Value, json};

    fn migrated(file: &str, changes: usize, manual: Value) -> FleetEntry {
        FleetEntry {
            release: Some("juno".into()),
            target: Some("wallaby".into()),
            changes: Some(changes),
            reviews: Some(changes.min(1)),
            manual: Some(manual.as_array().map_or(0, Vec::len)),
            shared: Shared::of_report(&json!({ "manual": manual })),
            ..FleetEntry::new(
                file,
                Command::Migrate,
                if changes > 0 {
                    Status::Changes
                } else {
                    Status::Ok
                },
            )
        }
    }

    #[test]
    fn the_table_is_in_path_order_with_shared_steps_errors_and_totals() {
        let cells = json!([
            {"rule": "CELL001", "release": "ocata", "roles": ["controller"], "text": "Set up cells v2"},
            {"rule": "CELL001", "release": "ocata", "roles": ["controller"], "text": "Set up cells v2"}
        ]);
        let v = FleetView::new(vec![
            migrated("b.conf", 2, cells.clone()),
            FleetEntry::failed("bad.conf", Command::Migrate, "bad.conf:3: no '='"),
            migrated("a.conf", 3, cells),
        ]);
        assert_eq!(v.worst(), Status::Error);
        let out = text(&v, Style::default());
        assert_eq!(
            out,
            "FILE      RELEASE  CHANGES  REVIEW  MANUAL  RESULT\n\
             a.conf    juno           3       1       2  changes\n\
             b.conf    juno           2       1       2  changes\n\
             bad.conf  -              -       -       -  error\n\
             \n\
             manual steps (files that need them):\n  \
             - [ocata] CELL001 (controller): 2 files: Set up cells v2\n\
             \n\
             errors:\n  \
             bad.conf:3: no '='\n\
             \n\
             3 files (juno → wallaby): 2 with changes, 1 failed; 5 changes, 2 to review, 4 manual steps\n"
        );
        let md = markdown(&v);
        assert!(
            md.contains("| `a.conf` | juno | 3 | 1 | 2 | changes |"),
            "{md}"
        );
        assert!(md.contains("- [ ] **CELL001** (ocata, controller, 2 files): Set up cells v2"));
    }

    #[test]
    fn a_fleet_with_nothing_to_change_says_so_and_conditional_steps_are_told() {
        let v = FleetView::new(vec![migrated("a.conf", 0, json!([]))]);
        assert_eq!(
            summary(&v),
            "1 file (juno → wallaby): 1 ok; 0 changes, 0 to review, 0 manual steps; nothing to change"
        );
        let step = |cond: Option<&str>| json!([{"rule": "R", "release": "rocky", "text": "t", "if_not_yet_on": cond}]);
        let v = FleetView::new(vec![
            migrated("a", 0, step(Some("Rocky"))),
            migrated("b", 0, step(Some("Rocky"))),
        ]);
        assert_eq!(
            shared_steps(&v)[0].condition(),
            ", only if not on rocky yet"
        );
        let v = FleetView::new(vec![
            migrated("a", 0, step(None)),
            migrated("b", 0, step(Some("Rocky"))),
        ]);
        assert_eq!(
            shared_steps(&v)[0].condition(),
            " (1 only if not on rocky yet)"
        );
    }

    #[test]
    fn findings_are_counted_by_code_errors_first() {
        let entry = |file: &str, findings: Value| FleetEntry {
            target: Some("juno".into()),
            errors: Some(1),
            warnings: Some(0),
            infos: Some(0),
            shared: Shared::of_report(&json!({ "findings": findings })),
            ..FleetEntry::new(file, Command::Check, Status::Findings)
        };
        let w = json!({"code": "C201", "name": "inline-comment", "severity": "warning"});
        let e = json!({"code": "C104", "name": "removed-option", "severity": "error"});
        let v = FleetView::new(vec![
            entry("a", json!([w.clone(), w.clone(), e.clone()])),
            entry("b", json!([w, e])),
        ]);
        let f = shared_findings(&v);
        assert_eq!((f[0].code.as_str(), f[0].count, f[0].files), ("C104", 2, 2));
        assert_eq!((f[1].code.as_str(), f[1].count, f[1].files), ("C201", 3, 2));
    }
}
