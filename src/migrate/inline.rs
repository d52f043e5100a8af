//! Comments nova reads as part of a value (`key = value  # note`, or an
//! indented `# note` line under it) move to lines of their own above the
//! option (rule `TRAP001`), at the first hop.

use super::rules::{Safety, StepKind};
use super::session::{Ctx, Record, Session, edited};
use super::{ChangeKind, ManualStep, MigrateError, builtin};
use crate::conf::value::inline_comment;
use crate::conf::{OptionRef, ValueAt};

/// What the fix does to one option: the comments it lifts out of the
/// value, and the value left.
struct Lifted {
    line: usize,
    at: OptionRef,
    comments: Vec<String>,
    value: String,
}

/// Finds `value  # note` and indented `# note` lines under a value: nova
/// reads both as part of the value.
fn lift(value: &str) -> Option<(Vec<String>, String)> {
    // Most values are one line with no comment: nothing to allocate.
    if !value.contains('\n') && inline_comment(value).is_none() {
        return None;
    }
    let mut pieces = value.split('\n');
    let first = pieces.next().unwrap_or_default();
    let mut comments = Vec::new();
    let mut kept = Vec::new();
    match inline_comment(first) {
        Some(at) => {
            comments.push(first[at..].to_string());
            kept.push(first[..at].trim_end().to_string());
        }
        None => kept.push(first.to_string()),
    }
    for piece in pieces {
        if piece.starts_with(['#', ';']) {
            comments.push(piece.to_string());
        } else {
            kept.push(piece.to_string());
        }
    }
    (!comments.is_empty()).then(|| (comments, kept.join("\n")))
}

/// Moves comments nova reads as part of a value to lines of their own.
pub(super) fn apply(s: &mut Session) -> Result<(), MigrateError> {
    let found: Vec<Lifted> = s
        .doc
        .entries()
        .filter_map(|e| {
            // A value of one line with no '#' or ';' has nothing to lift:
            // it is not decoded.
            let bytes = e.value_bytes();
            if !bytes.contains(&b'\n') && memchr::memchr2(b'#', b';', &bytes).is_none() {
                return None;
            }
            let (comments, value) = lift(&e.value())?;
            Some(Lifted {
                line: e.line(),
                at: e.option(),
                comments,
                value,
            })
        })
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    let ctx = Ctx {
        rule: builtin::INLINE_COMMENT.to_string(),
        safety: Safety::Review,
        release: s.hop.name().to_string(),
    };
    // Nothing has moved yet at the first hop: an item's original line is
    // its line.
    let mut edits = Vec::new();
    for f in &found {
        if s.is_secret(&f.at) {
            s.manual(ManualStep {
                id: ctx.rule.clone(),
                release: ctx.release.clone(),
                roles: Vec::new(),
                kind: StepKind::Config,
                options: vec![f.at.clone()],
                commands: Vec::new(),
                text: format!(
                    "The value of {} (line {}) holds a '#' or ';' comment that nova reads as part of this secret. \
                     Check it, and move any comment to a line of its own.",
                    f.at, f.line
                ),
                if_not_yet_on: None,
            });
            continue;
        }
        edits.push(ValueAt {
            line: f.line,
            value: &f.value,
            comments_above: f
                .comments
                .iter()
                .map(|c| c.trim_start_matches(['#', ';']).trim().to_string())
                .collect(),
        });
        let shown: Vec<String> = f.comments.iter().map(|c| format!("{c:?}")).collect();
        let note = format!(
            "moved the comment {} to a line of its own above; nova had read it as part of the value",
            shown.join(" and ")
        );
        if let Some(i) = s.item_of_line(f.line) {
            s.step(
                i,
                &ctx,
                &Record::new(ChangeKind::Transform, Safety::Review, Some(note)),
            );
        }
    }
    edited(s.doc.set_values_at(&edits))
}
