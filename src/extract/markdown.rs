//! Markdown (CommonMark, with Jekyll/Hexo front matter and Liquid
//! `{% highlight %}` blocks), read with `pulldown-cmark`: fenced and indented
//! code blocks at any depth of lists and quotes, headings, paragraphs, list
//! items made of a single inline code span (config written as a bullet list),
//! and `<figcaption>` captions.

use super::blocks::{Block, CodeLine, Event};
use super::text::LineIndex;
use pulldown_cmark::{CodeBlockKind, Event as Md, Options, Parser, Tag, TagEnd};

/// Liquid's `{% highlight lang %}` / `{% endhighlight %}` become fences, line
/// for line, so that the Markdown parser sees code blocks.
fn liquid_to_fences(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("{%") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for piece in text.split_inclusive('\n') {
        let body = piece.trim_end_matches(['\n', '\r']);
        let eol = &piece[body.len()..];
        let t = body.trim();
        let inner = t
            .strip_prefix("{%")
            .and_then(|r| r.strip_suffix("%}"))
            .map(|s| s.trim_matches('-').trim());
        match inner {
            Some(i) if i.starts_with("highlight") => {
                let lang = i["highlight".len()..]
                    .split_whitespace()
                    .next()
                    .unwrap_or("");
                out.push_str("~~~~~~~~ ");
                out.push_str(lang);
            }
            Some("endhighlight") => out.push_str("~~~~~~~~"),
            _ => out.push_str(body),
        }
        out.push_str(eol);
    }
    std::borrow::Cow::Owned(out)
}

/// Inline content being gathered for a heading, paragraph or list item.
#[derive(Default)]
struct Inline {
    line: u32,
    heading: bool,
    text: String,
    codes: Vec<String>,
    other: bool,
    active: bool,
}

struct Reader {
    events: Vec<Event>,
    /// Consecutive list items that are each one inline code span.
    pending: Option<Block>,
    inline: Inline,
}

impl Reader {
    fn flush_pending(&mut self) {
        if let Some(block) = self.pending.take() {
            self.events.push(Event::Code(block));
        }
    }

    fn flush_inline(&mut self) {
        let inline = std::mem::take(&mut self.inline);
        if !inline.active {
            return;
        }
        let text = inline.text.trim();
        if inline.heading {
            self.flush_pending();
            self.events.push(Event::Heading {
                line: inline.line,
                text: text.to_string(),
            });
            return;
        }
        if !inline.other && inline.codes.len() == 1 {
            let code = inline.codes.into_iter().next().unwrap_or_default();
            let block = self.pending.get_or_insert_with(Block::default);
            block.lines.push(CodeLine {
                line: inline.line,
                text: code,
                output: false,
            });
            return;
        }
        if matches!(text, "..." | "…" | "# ...") && self.pending.is_some() {
            return;
        }
        if text.is_empty() {
            return;
        }
        self.flush_pending();
        self.events.push(Event::Prose {
            line: inline.line,
            text: text.to_string(),
        });
    }

    fn begin(&mut self, line: u32, heading: bool) {
        self.flush_inline();
        self.inline = Inline {
            line,
            heading,
            active: true,
            ..Inline::default()
        };
    }
}

pub(crate) fn read(text: &str) -> Vec<Event> {
    let text = liquid_to_fences(text);
    let index = LineIndex::new(&text);
    let mut options = Options::empty();
    options.insert(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    options.insert(Options::ENABLE_TABLES);
    let mut r = Reader {
        events: Vec::new(),
        pending: None,
        inline: Inline::default(),
    };
    let mut code: Option<Block> = None;
    let mut code_line: Option<u32> = None;
    let mut metadata = false;
    for (event, range) in Parser::new_ext(&text, options).into_offset_iter() {
        let line = index.line(range.start);
        match event {
            Md::Start(Tag::CodeBlock(kind)) => {
                r.flush_inline();
                r.flush_pending();
                let (lang, first) = match kind {
                    CodeBlockKind::Fenced(info) => {
                        let lang = info
                            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                            .next()
                            .unwrap_or("")
                            .trim_start_matches('.')
                            .to_ascii_lowercase();
                        ((!lang.is_empty()).then_some(lang), line + 1)
                    }
                    CodeBlockKind::Indented => (None, line),
                };
                code = Some(Block {
                    lang,
                    lines: Vec::new(),
                    plain: false,
                });
                code_line = Some(first);
            }
            Md::End(TagEnd::CodeBlock) => {
                if let Some(mut block) = code.take() {
                    super::text::dedent(&mut block.lines);
                    r.events.push(Event::Code(block));
                }
                code_line = None;
            }
            Md::Text(t) if code.is_some() => {
                let mut n = index.line(range.start).max(code_line.unwrap_or(0));
                if let Some(block) = code.as_mut() {
                    for piece in t.split_inclusive('\n') {
                        let body = piece.trim_end_matches(['\n', '\r']);
                        for (i, part) in body.split('\r').enumerate() {
                            let _ = i;
                            block.lines.push(CodeLine {
                                line: n,
                                text: part.to_string(),
                                output: false,
                            });
                        }
                        if piece.ends_with('\n') {
                            n += 1;
                        }
                    }
                }
                code_line = Some(n);
            }
            Md::Start(Tag::MetadataBlock(_)) => metadata = true,
            Md::End(TagEnd::MetadataBlock(_)) => metadata = false,
            Md::Text(t) if metadata => {
                for (i, l) in t.lines().enumerate() {
                    let l = l.trim();
                    if let Some(title) = l.strip_prefix("title:") {
                        r.events.push(Event::Heading {
                            line: line + i as u32,
                            text: title.trim().trim_matches(['"', '\'']).to_string(),
                        });
                    } else if !l.is_empty() {
                        r.events.push(Event::Prose {
                            line: line + i as u32,
                            text: l.to_string(),
                        });
                    }
                }
            }
            Md::Start(Tag::Heading { .. }) => r.begin(line, true),
            Md::Start(Tag::Paragraph) => {
                if !(r.inline.active
                    && !r.inline.heading
                    && r.inline.text.trim().is_empty()
                    && r.inline.codes.is_empty())
                {
                    r.begin(line, false);
                } else {
                    r.inline.line = line;
                }
            }
            Md::Start(Tag::Item) => r.begin(line, false),
            Md::Start(Tag::List(_)) | Md::Start(Tag::BlockQuote(_)) | Md::Start(Tag::Table(_)) => {
                r.flush_inline()
            }
            Md::Start(Tag::TableCell) => r.begin(line, false),
            Md::End(TagEnd::Heading(_))
            | Md::End(TagEnd::Paragraph)
            | Md::End(TagEnd::Item)
            | Md::End(TagEnd::TableCell) => r.flush_inline(),
            Md::Text(t) => {
                if !r.inline.active {
                    r.begin(line, false);
                }
                if !t.trim().is_empty() {
                    r.inline.other = true;
                }
                r.inline.text.push_str(&t);
            }
            Md::Code(t) => {
                if !r.inline.active {
                    r.begin(line, false);
                }
                r.inline.text.push_str(&t);
                r.inline.codes.push(t.to_string());
            }
            Md::SoftBreak | Md::HardBreak => r.inline.text.push('\n'),
            Md::Html(h) | Md::InlineHtml(h) => html(&mut r, &h, line),
            _ => {}
        }
    }
    if let Some(mut block) = code.take() {
        super::text::dedent(&mut block.lines);
        r.events.push(Event::Code(block));
    }
    r.flush_inline();
    r.flush_pending();
    r.events
}

/// HTML inside Markdown: captions name the block next to them; other text
/// is prose (it may name a file).
fn html(r: &mut Reader, h: &str, line: u32) {
    let lower = h.to_ascii_lowercase();
    let stripped = strip_tags(h);
    if lower.contains("<figcaption") || lower.contains("<caption") {
        r.flush_inline();
        r.events.push(Event::Caption {
            line,
            text: stripped.trim().to_string(),
        });
    } else if !stripped.trim().is_empty() && !lower.trim_start().starts_with("<!--") {
        if r.inline.active {
            r.inline.text.push_str(&stripped);
            r.inline.other = true;
        } else {
            r.events.push(Event::Prose {
                line,
                text: stripped.trim().to_string(),
            });
        }
    }
}

fn strip_tags(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut in_tag = false;
    for c in h.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    super::text::decode_entities(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(events: &[Event]) -> Vec<Vec<(u32, String)>> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Code(b) => Some(b.lines.iter().map(|l| (l.line, l.text.clone())).collect()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn fences_lists_liquid_and_bullets() {
        let text = "---\ntitle: OpenStack Newton\n---\n# Nova\n\n1. Edit\n   - deeper\n\n     ```ini\n     [DEFAULT]\n     my_ip = 1\n     ```\n\n{% highlight text %}\n[vnc]\nenabled = True\n{% endhighlight %}\n\n- `[api]`\n- `auth_strategy = keystone`\n\n    indented = code\n";
        let events = read(text);
        let c = codes(&events);
        assert_eq!(
            c[0],
            [(10, "[DEFAULT]".to_string()), (11, "my_ip = 1".to_string())]
        );
        assert_eq!(
            c[1],
            [
                (15, "[vnc]".to_string()),
                (16, "enabled = True".to_string())
            ]
        );
        assert_eq!(
            c[2],
            [
                (19, "[api]".to_string()),
                (20, "auth_strategy = keystone".to_string())
            ]
        );
        assert!(
            matches!(&events[0], Event::Heading { text, line: 2 } if text == "OpenStack Newton")
        );
    }

    #[test]
    fn unclosed_fence_runs_to_the_end() {
        let c = codes(&read("```\n[DEFAULT]\na = b\n"));
        assert_eq!(c[0].len(), 2);
    }
}
