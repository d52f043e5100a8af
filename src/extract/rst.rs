//! reStructuredText, as the OpenStack install guides write it: section
//! titles (underlined, or over- and underlined), `.. code-block::` and
//! `::` literal blocks, `.. path FILE` / `.. end` markers, `.. only::`
//! distribution blocks (by indentation; `.. endonly` is a no-op marker),
//! admonitions read as prose, comments and other directives skipped.

use super::blocks::{Block, CodeLine, Distros, Event};
use super::text::{dedent, indent, lines};

const ADORNMENT: &[u8] = b"=-~^\"'`#*+_:.";

fn is_adornment(t: &str) -> bool {
    t.len() >= 3
        && t.as_bytes()
            .iter()
            .all(|&b| b == t.as_bytes()[0] && ADORNMENT.contains(&b))
}

/// Directives whose body is read like the text around it.
const TRANSPARENT: &[&str] = &[
    "note",
    "important",
    "warning",
    "tip",
    "caution",
    "attention",
    "hint",
    "danger",
    "error",
    "seealso",
    "admonition",
    "topic",
    "sidebar",
    "rubric",
    "container",
    "list-table",
    "table",
    "versionadded",
    "versionchanged",
    "deprecated",
    "tabs",
    "tab",
    "group-tab",
    "code-tab",
];

enum Mode {
    Normal,
    /// Skip lines indented deeper than this (a comment, an unselected
    /// `.. only::`, a directive whose body is not text).
    Skip(usize),
    /// Directive options (`:caption: x`) before a code block's body.
    Options {
        base: usize,
        lang: Option<String>,
    },
    Literal {
        base: usize,
        block: Block,
    },
}

pub(crate) fn read(text: &str, distros: &mut Distros) -> Vec<Event> {
    let all: Vec<(u32, &str)> = lines(text).collect();
    let mut events = Vec::new();
    let mut mode = Mode::Normal;
    let mut para: Option<(u32, String)> = None;
    // A paragraph ending in `::` introduces a literal block.
    let mut literal_next: Option<usize> = None;
    let mut i = 0;
    let flush = |para: &mut Option<(u32, String)>, events: &mut Vec<Event>| {
        if let Some((line, text)) = para.take() {
            if !text.trim().is_empty() {
                events.push(Event::Prose { line, text });
            }
        }
    };
    while i < all.len() {
        let (n, raw) = all[i];
        let t = raw.trim();
        let ind = indent(raw);
        match &mut mode {
            Mode::Skip(base) => {
                if t.is_empty() || ind > *base {
                    i += 1;
                    continue;
                }
                mode = Mode::Normal;
            }
            Mode::Options { base, lang } => {
                if t.starts_with(':') && ind > *base {
                    if let Some(cap) = t.strip_prefix(":caption:") {
                        events.push(Event::Caption {
                            line: n,
                            text: cap.trim().to_string(),
                        });
                    }
                    i += 1;
                    continue;
                }
                let base = *base;
                let lang = lang.take();
                mode = Mode::Literal {
                    base,
                    block: Block {
                        lang,
                        lines: Vec::new(),
                        plain: false,
                    },
                };
                continue;
            }
            Mode::Literal { base, block } => {
                if t.is_empty() || ind > *base {
                    block.lines.push(CodeLine {
                        line: n,
                        text: raw.to_string(),
                        output: false,
                    });
                    i += 1;
                    continue;
                }
                let mut block = std::mem::take(block);
                while block.lines.last().is_some_and(|l| l.text.trim().is_empty()) {
                    block.lines.pop();
                }
                let lead = block
                    .lines
                    .iter()
                    .take_while(|l| l.text.trim().is_empty())
                    .count();
                block.lines.drain(..lead);
                dedent(&mut block.lines);
                events.push(Event::Code(block));
                mode = Mode::Normal;
            }
            Mode::Normal => {}
        }
        if t.is_empty() {
            flush(&mut para, &mut events);
            i += 1;
            continue;
        }
        if let Some(base) = literal_next.take() {
            if ind > base {
                mode = Mode::Literal {
                    base,
                    block: Block::default(),
                };
                continue;
            }
        }
        // Section titles.
        let next = all.get(i + 1).map(|(_, l)| *l).unwrap_or("");
        if ind == 0 && is_adornment(t) {
            if let (Some((_, title)), Some((_, under))) = (all.get(i + 1), all.get(i + 2)) {
                if !title.trim().is_empty() && is_adornment(under.trim()) {
                    flush(&mut para, &mut events);
                    events.push(Event::Heading {
                        line: all[i + 1].0,
                        text: title.trim().to_string(),
                    });
                    i += 3;
                    continue;
                }
            }
            i += 1;
            continue;
        }
        if para.is_none()
            && is_adornment(next.trim())
            && indent(next) == 0
            && next.trim().len() >= t.chars().count().min(3)
            && !t.starts_with("..")
        {
            flush(&mut para, &mut events);
            events.push(Event::Heading {
                line: n,
                text: t.to_string(),
            });
            i += 2;
            continue;
        }
        if let Some(rest) = t.strip_prefix("..") {
            flush(&mut para, &mut events);
            let rest = rest.trim_start();
            if rest.is_empty() || t == ".." {
                mode = Mode::Skip(ind);
                i += 1;
                continue;
            }
            if let Some(path) = rest.strip_prefix("path ") {
                events.push(Event::Path {
                    line: n,
                    path: path.trim().to_string(),
                });
                i += 1;
                continue;
            }
            if rest == "end" || rest == "endonly" {
                i += 1;
                continue;
            }
            if let Some((name, arg)) = rest.split_once("::") {
                let name = name.trim();
                let arg = arg.trim();
                match name {
                    "code-block" | "code" | "sourcecode" | "highlight" | "prompt" => {
                        if name == "highlight" {
                            i += 1;
                            continue;
                        }
                        let lang = arg
                            .split_whitespace()
                            .next()
                            .map(|s| s.to_ascii_lowercase());
                        mode = Mode::Options { base: ind, lang };
                    }
                    "only" => {
                        if !distros.accepts(arg) {
                            mode = Mode::Skip(ind);
                        }
                    }
                    n if TRANSPARENT.contains(&n) => {
                        if !arg.is_empty() {
                            events.push(Event::Prose {
                                line: all[i].0,
                                text: arg.to_string(),
                            });
                        }
                    }
                    _ => mode = Mode::Skip(ind),
                }
                i += 1;
                continue;
            }
            // A comment (`.. todo:`, `.. _label:`, `.. |x| replace`…).
            mode = Mode::Skip(ind);
            i += 1;
            continue;
        }
        let (line, text) = para.get_or_insert_with(|| (n, String::new()));
        let _ = line;
        if !text.is_empty() {
            text.push('\n');
        }
        // Drop list markers so that "#. Edit ..." reads as prose.
        let body = t
            .strip_prefix("#. ")
            .or_else(|| t.strip_prefix("* "))
            .or_else(|| t.strip_prefix("- "))
            .unwrap_or(t);
        let ends_literal = body.ends_with("::");
        text.push_str(if ends_literal {
            body.trim_end_matches(':')
        } else {
            body
        });
        if ends_literal {
            flush(&mut para, &mut events);
            literal_next = Some(ind);
        }
        i += 1;
    }
    if let Mode::Literal { mut block, .. } = mode {
        while block.lines.last().is_some_and(|l| l.text.trim().is_empty()) {
            block.lines.pop();
        }
        dedent(&mut block.lines);
        events.push(Event::Code(block));
    }
    flush(&mut para, &mut events);
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_paths_and_only() {
        let text = "Install on the controller\n=========================\n\n#. Edit the file::\n\n     [x]\n     a = 1\n\n.. only:: rdo\n\n   .. path /etc/nova/nova.conf\n   .. code-block:: ini\n\n      [DEFAULT]\n      rdo = 1\n\n.. endonly\n\n.. only:: ubuntu\n\n   .. path /etc/nova/nova.conf\n   .. code-block:: ini\n      :caption: nova.conf\n\n      [DEFAULT]\n      # ...\n      ubuntu = 1\n\n   .. end\n\nAfter.\n";
        let mut d = Distros::new("ubuntu");
        let events = read(text, &mut d);
        let kinds: Vec<String> = events
            .iter()
            .map(|e| match e {
                Event::Heading { text, .. } => format!("H {text}"),
                Event::Prose { text, .. } => format!("P {text}"),
                Event::Caption { text, .. } => format!("C {text}"),
                Event::Path { path, line } => format!("F {path} {line}"),
                Event::Code(b) => format!(
                    "B {}",
                    b.lines
                        .iter()
                        .map(|l| format!("{}:{}", l.line, l.text))
                        .collect::<Vec<_>>()
                        .join("|")
                ),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "H Install on the controller",
                "P Edit the file",
                "B 6:[x]|7:a = 1",
                "F /etc/nova/nova.conf 21",
                "C nova.conf",
                "B 25:[DEFAULT]|26:# ...|27:ubuntu = 1",
                "P After.",
            ]
        );
    }
}
