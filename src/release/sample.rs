//! A sample nova.conf for a release, from its inventory: every option under
//! its group with its type, limits, choices, old names and default, commented
//! out, in the shape oslo-config-generator gives nova.conf.sample.

use super::{Inventory, OptionDef};
use std::fmt::Write;

/// How options appear in the sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `#name = default`, as in nova.conf.sample.
    Commented,
    /// `name = default` for every option whose default is a literal value
    /// (not `<None>`, not a placeholder such as `<host_ipv4>`).
    Defaults,
}

/// A group with a `<…>` placeholder (`vgpu_<vgpu_type>`) becomes a concrete
/// name (`vgpu_example`), as a real file would have.
fn concrete(group: &str) -> String {
    match (group.find('<'), group.find('>')) {
        (Some(a), Some(b)) if b > a => format!("{}example{}", &group[..a], &group[b + 1..]),
        _ => group.to_string(),
    }
}

pub fn render(inv: &Inventory, title: &str, mode: Mode) -> String {
    let mut out = format!(
        "# nova.conf options of {title}, each with its default, from stackhop's release data.\n"
    );
    let mut group = None;
    for o in inv.options().iter().filter(|o| !o.entry.hidden) {
        if group != Some(&*o.group) {
            group = Some(&o.group);
            let _ = write!(out, "\n[{}]\n", concrete(&o.group));
        }
        option(&mut out, o, mode);
    }
    out
}

fn option(out: &mut String, o: &OptionDef, mode: Mode) {
    let e = &o.entry;
    out.push('\n');
    let _ = writeln!(out, "# ({} value)", e.kind);
    if let Some(min) = e.min {
        let _ = writeln!(out, "# Minimum value: {min}");
    }
    if let Some(max) = e.max {
        let _ = writeln!(out, "# Maximum value: {max}");
    }
    if !e.choices.is_empty() {
        let _ = writeln!(out, "# Possible values: {}", e.choices.join(", "));
    }
    for a in o.aliases() {
        let _ = writeln!(
            out,
            "# Deprecated group/name - [{}]/{}",
            a.group(),
            a.name()
        );
    }
    if e.deprecated_for_removal {
        let _ = writeln!(out, "# This option is deprecated for removal.");
    }
    let literal = e
        .default
        .as_deref()
        .filter(|d| !(d.starts_with('<') && d.ends_with('>')));
    match (mode, literal) {
        (Mode::Defaults, Some(d)) => {
            let _ = writeln!(out, "{} = {}", e.name, quote(d));
        }
        _ => {
            let shown = e.default.as_deref().unwrap_or("<None>");
            let _ = writeln!(out, "#{} = {}", e.name, quote(shown));
        }
    }
}

/// Quotes a value nova would otherwise strip, as oslo-config-generator does.
fn quote(v: &str) -> String {
    if v.trim() != v {
        format!("\"{v}\"")
    } else {
        v.to_string()
    }
}
