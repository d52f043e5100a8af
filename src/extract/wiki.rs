//! MediaWiki: `== headings ==`, `<syntaxhighlight>`, `<source>` and `<pre>`
//! blocks, and preformatted lines that start with a space.

use super::blocks::{Block, CodeLine, Event};
use super::text::{decode_entities, lines};

/// The tag a line opens a code block with, and the language it names.
fn opening(t: &str) -> Option<(&'static str, Option<String>, usize)> {
    let lower = t.to_ascii_lowercase();
    for tag in ["syntaxhighlight", "source", "pre"] {
        let open = format!("<{tag}");
        if let Some(start) = lower.find(&open) {
            let after = &lower[start + open.len()..];
            if !(after.starts_with('>') || after.starts_with(' ')) {
                continue;
            }
            let end = after.find('>')?;
            let attrs = &after[..end];
            let lang = attrs.split_once("lang=").map(|(_, v)| {
                v.trim_start_matches(['"', '\''])
                    .split(['"', '\'', ' '])
                    .next()
                    .unwrap_or("")
                    .to_string()
            });
            return Some((tag, lang, start + open.len() + end + 1));
        }
    }
    None
}

pub(crate) fn read(text: &str) -> Vec<Event> {
    let mut events = Vec::new();
    let mut open: Option<(String, Block)> = None;
    let mut spaced: Option<Block> = None;
    let flush_spaced = |spaced: &mut Option<Block>, events: &mut Vec<Event>| {
        if let Some(mut b) = spaced.take() {
            super::text::dedent(&mut b.lines);
            events.push(Event::Code(b));
        }
    };
    for (n, raw) in lines(text) {
        if let Some((tag, block)) = open.as_mut() {
            let close = format!("</{tag}>");
            if let Some(at) = raw.to_ascii_lowercase().find(&close) {
                let before = raw.get(..at).unwrap_or("");
                if !before.trim().is_empty() {
                    block.lines.push(CodeLine {
                        line: n,
                        text: decode_entities(before).into_owned(),
                        output: false,
                    });
                }
                if let Some((_, mut b)) = open.take() {
                    super::text::dedent(&mut b.lines);
                    events.push(Event::Code(b));
                }
            } else {
                block.lines.push(CodeLine {
                    line: n,
                    text: decode_entities(raw).into_owned(),
                    output: false,
                });
            }
            continue;
        }
        if let Some((tag, lang, body)) = opening(raw) {
            flush_spaced(&mut spaced, &mut events);
            let mut block = Block {
                lang,
                lines: Vec::new(),
                plain: false,
            };
            let rest = raw.get(body..).unwrap_or("");
            let close = format!("</{tag}>");
            if let Some(at) = rest.to_ascii_lowercase().find(&close) {
                let inner = rest.get(..at).unwrap_or("");
                if !inner.trim().is_empty() {
                    block.lines.push(CodeLine {
                        line: n,
                        text: decode_entities(inner).into_owned(),
                        output: false,
                    });
                }
                events.push(Event::Code(block));
                continue;
            }
            if !rest.trim().is_empty() {
                block.lines.push(CodeLine {
                    line: n,
                    text: decode_entities(rest).into_owned(),
                    output: false,
                });
            }
            open = Some((tag.to_string(), block));
            continue;
        }
        if raw.starts_with(' ') && !raw.trim().is_empty() {
            spaced
                .get_or_insert_with(Block::default)
                .lines
                .push(CodeLine {
                    line: n,
                    text: decode_entities(&raw[1..]).into_owned(),
                    output: false,
                });
            continue;
        }
        flush_spaced(&mut spaced, &mut events);
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        if t.len() > 2 && t.starts_with('=') && t.ends_with('=') {
            events.push(Event::Heading {
                line: n,
                text: t.trim_matches('=').trim().to_string(),
            });
            continue;
        }
        let prose = t
            .trim_start_matches(['*', '#', ':', ';'])
            .replace("'''", "")
            .replace("''", "");
        events.push(Event::Prose {
            line: n,
            text: decode_entities(prose.trim()).into_owned(),
        });
    }
    if let Some((_, mut b)) = open.take() {
        super::text::dedent(&mut b.lines);
        events.push(Event::Code(b));
    }
    flush_spaced(&mut spaced, &mut events);
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wiki_blocks() {
        let events = read(
            "== Controller ==\nEdit /etc/nova/nova.conf:\n<syntaxhighlight lang=\"ini\">\n[DEFAULT]\nmy_ip = 10.0.0.11\n</syntaxhighlight>\n [vnc]\n enabled = true\n<pre>a &amp; b</pre>\n",
        );
        let blocks: Vec<_> = events
            .iter()
            .filter_map(|e| match e {
                Event::Code(b) => Some((
                    b.lang.clone(),
                    b.lines
                        .iter()
                        .map(|l| (l.line, l.text.clone()))
                        .collect::<Vec<_>>(),
                )),
                _ => None,
            })
            .collect();
        assert_eq!(blocks[0].0.as_deref(), Some("ini"));
        assert_eq!(
            blocks[0].1,
            [(4, "[DEFAULT]".into()), (5, "my_ip = 10.0.0.11".into())]
        );
        assert_eq!(
            blocks[1].1,
            [(7, "[vnc]".into()), (8, "enabled = true".into())]
        );
        assert_eq!(blocks[2].1, [(9, "a & b".into())]);
    }
}
