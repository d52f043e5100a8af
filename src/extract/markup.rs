//! DocBook XML and HTML, read by one tolerant scanner (unclosed tags and
//! stray `<` are text, not errors): `<programlisting>`, `<screen>`, `<pre>`
//! and multi-line `<code>` are code, with `<computeroutput>` marked as
//! output; `<title>` and `<h1>`–`<h6>` are headings; `<figcaption>` names a
//! block; DocBook `os="…"` attributes select a distribution; entities are
//! decoded.

use super::blocks::{Block, CodeLine, Distros, Event};
use super::text::{LineIndex, decode_entities};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    DocBook,
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Code,
    Heading,
    Caption,
    Block,
    Skip,
    Output,
    Break,
    Inline,
}

fn role(name: &str, dialect: Dialect) -> Role {
    match name {
        "programlisting" | "screen" | "literallayout" | "synopsis" | "pre" => Role::Code,
        "title" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Role::Heading,
        "figcaption" | "caption" => Role::Caption,
        "script" | "style" | "remark" | "noscript" | "svg" => Role::Skip,
        "computeroutput" | "samp" if dialect == Dialect::DocBook || name == "samp" => Role::Output,
        "br" => Role::Break,
        "para" | "simpara" | "p" | "li" | "listitem" | "step" | "td" | "th" | "dt" | "dd"
        | "div" | "section" | "chapter" | "note" | "important" | "warning" | "tip" | "caution"
        | "blockquote" | "tr" | "table" | "ul" | "ol" | "body" | "procedure" | "substeps"
        | "itemizedlist" | "orderedlist" | "entry" | "row" | "article" | "main" | "header"
        | "footer" | "nav" | "figure" | "example" | "informalexample" | "variablelist"
        | "varlistentry" | "term" | "sect1" | "sect2" | "sect3" | "html" | "head" => Role::Block,
        _ => Role::Inline,
    }
}

const VOID: &[&str] = &[
    "br", "img", "hr", "meta", "link", "input", "wbr", "source", "col",
];
const MAX_DEPTH: usize = 4096;
const CLOSE_SEARCH: usize = 64;
/// A tag longer than this is not a tag: keeps the scan linear on hostile input.
const MAX_TAG: usize = 8192;

struct Open {
    name: String,
    role: Role,
}

struct Code {
    block: Block,
    cur: String,
    cur_line: u32,
    input: bool,
    output: bool,
    /// Stack depth of the element that opened the block.
    depth: usize,
}

impl Code {
    fn push_text(&mut self, text: &str, mut line: u32, in_output: bool) {
        if self.cur.is_empty() && !self.input && !self.output {
            self.cur_line = line;
        }
        for (i, piece) in text.split('\n').enumerate() {
            if i > 0 {
                self.end_line();
                line += 1;
                self.cur_line = line;
            }
            if !piece.trim().is_empty() {
                if in_output {
                    self.output = true;
                } else {
                    self.input = true;
                }
            }
            self.cur.push_str(piece);
        }
    }

    fn end_line(&mut self) {
        let mut text = std::mem::take(&mut self.cur);
        text.truncate(text.trim_end_matches('\r').len());
        self.block.lines.push(CodeLine {
            line: self.cur_line,
            text,
            output: self.output && !self.input,
        });
        self.input = false;
        self.output = false;
    }

    fn finish(mut self) -> Block {
        if !self.cur.is_empty() {
            self.end_line();
        }
        let mut block = self.block;
        while block.lines.last().is_some_and(|l| l.text.trim().is_empty()) {
            block.lines.pop();
        }
        let lead = block
            .lines
            .iter()
            .take_while(|l| l.text.trim().is_empty())
            .count();
        block.lines.drain(..lead);
        super::text::dedent(&mut block.lines);
        block
    }
}

struct Scanner<'t> {
    index: LineIndex,
    text: &'t str,
    dialect: Dialect,
    events: Vec<Event>,
    stack: Vec<Open>,
    skip: usize,
    output: usize,
    code: Option<Code>,
    acc: Option<(u32, String, Role)>,
    code_closers: Vec<usize>,
}

impl Scanner<'_> {
    fn flush(&mut self) {
        if let Some((line, text, role)) = self.acc.take() {
            let text = super::scan::squeeze_blanks(&text);
            if text.is_empty() {
                return;
            }
            self.events.push(match role {
                Role::Heading => Event::Heading { line, text },
                Role::Caption => Event::Caption { line, text },
                _ => Event::Prose { line, text },
            });
        }
    }

    fn text(&mut self, raw: &str, at: usize) {
        if self.skip > 0 || raw.is_empty() {
            return;
        }
        let decoded = decode_entities(raw);
        let line = self.index.line(at);
        if let Some(code) = self.code.as_mut() {
            code.push_text(&decoded, line, self.output > 0);
            return;
        }
        if decoded.trim().is_empty() && self.acc.is_none() {
            return;
        }
        let (_, acc, _) = self
            .acc
            .get_or_insert_with(|| (line, String::new(), Role::Block));
        acc.push_str(&decoded);
        if let Some((l, acc, _)) = self.acc.as_mut() {
            if acc.trim().is_empty() {
                *l = line;
            }
        }
    }

    fn open(
        &mut self,
        name: String,
        attrs: &str,
        at: usize,
        self_closing: bool,
        distros: &mut Distros,
    ) {
        let mut role = role(&name, self.dialect);
        if name == "code" && self.code.is_none() && self.dialect == Dialect::Html {
            let end = self.tag_end_of_code(at);
            if end.is_some_and(|end| self.text.get(at..end).is_some_and(|s| s.contains('\n'))) {
                role = Role::Code;
            }
        }
        if role == Role::Break {
            if let Some(code) = self.code.as_mut() {
                code.end_line();
            } else if let Some((_, acc, _)) = self.acc.as_mut() {
                acc.push('\n');
            }
            return;
        }
        if self_closing || VOID.contains(&name.as_str()) {
            return;
        }
        if let Some(os) = attr(attrs, "os") {
            if !distros.accepts(&os) {
                role = Role::Skip;
            }
        }
        if self.stack.len() >= MAX_DEPTH {
            return;
        }
        match role {
            Role::Skip => self.skip += 1,
            Role::Output => self.output += 1,
            Role::Code if self.code.is_none() && self.skip == 0 => {
                self.flush();
                let lang = attr(attrs, "language")
                    .or_else(|| attr(attrs, "lang"))
                    .or_else(|| {
                        attr(attrs, "class").and_then(|c| {
                            c.split_whitespace()
                                .find_map(|w| {
                                    w.strip_prefix("language-")
                                        .or_else(|| w.strip_prefix("lang-"))
                                })
                                .map(str::to_string)
                        })
                    })
                    .map(|l| l.to_ascii_lowercase());
                self.code = Some(Code {
                    block: Block {
                        lang,
                        lines: Vec::new(),
                        plain: false,
                    },
                    cur: String::new(),
                    cur_line: self.index.line(at),
                    input: false,
                    output: false,
                    depth: self.stack.len(),
                });
            }
            Role::Heading | Role::Caption if self.code.is_none() && self.skip == 0 => {
                self.flush();
                self.acc = Some((self.index.line(at), String::new(), role));
            }
            Role::Block if self.code.is_none() => self.flush(),
            _ => {}
        }
        self.stack.push(Open { name, role });
    }

    fn tag_end_of_code(&self, at: usize) -> Option<usize> {
        let i = self.code_closers.partition_point(|&p| p < at);
        self.code_closers.get(i).copied()
    }

    fn close(&mut self, name: &str) {
        let lowest = self.stack.len().saturating_sub(CLOSE_SEARCH);
        let Some(pos) = (lowest..self.stack.len())
            .rev()
            .find(|&i| self.stack[i].name == name)
        else {
            return;
        };
        while self.stack.len() > pos {
            let Some(open) = self.stack.pop() else { break };
            match open.role {
                Role::Skip => self.skip = self.skip.saturating_sub(1),
                Role::Output => self.output = self.output.saturating_sub(1),
                _ => {}
            }
            if self
                .code
                .as_ref()
                .is_some_and(|c| c.depth == self.stack.len())
            {
                if let Some(code) = self.code.take() {
                    self.events.push(Event::Code(code.finish()));
                }
            } else if matches!(open.role, Role::Heading | Role::Caption | Role::Block)
                && self.code.is_none()
            {
                self.flush();
            }
        }
    }
}

/// The value of attribute `name` in a tag's attribute text.
fn attr(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let start = from + i;
        let before_ok = start == 0 || lower.as_bytes()[start - 1].is_ascii_whitespace();
        let rest = &attrs[start + name.len()..];
        let rest_trim = rest.trim_start();
        if before_ok {
            if let Some(v) = rest_trim.strip_prefix('=') {
                let v = v.trim_start();
                let value = match v.chars().next() {
                    Some(q @ ('"' | '\'')) => v[1..].split(q).next().unwrap_or(""),
                    _ => v
                        .split(|c: char| c.is_whitespace() || c == '>')
                        .next()
                        .unwrap_or(""),
                };
                return Some(decode_entities(value).into_owned());
            }
        }
        from = start + name.len();
    }
    None
}

pub(crate) fn read(text: &str, dialect: Dialect, distros: &mut Distros) -> Vec<Event> {
    let mut s = Scanner {
        index: LineIndex::new(text),
        text,
        dialect,
        events: Vec::new(),
        stack: Vec::new(),
        skip: 0,
        output: 0,
        code: None,
        acc: None,
        code_closers: text.match_indices("</code>").map(|(i, _)| i).collect(),
    };
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut text_start = 0;
    while let Some(off) = memchr::memchr(b'<', &bytes[pos..]) {
        let lt = pos + off;
        let next = bytes.get(lt + 1).copied().unwrap_or(0);
        if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?') {
            pos = lt + 1;
            continue;
        }
        s.text(&text[text_start..lt], text_start);
        let rest = &text[lt..];
        if let Some(body) = rest.strip_prefix("<!--") {
            let end = body.find("-->").map_or(text.len(), |e| lt + 4 + e + 3);
            pos = end;
            text_start = end;
            continue;
        }
        if let Some(body) = rest.strip_prefix("<![CDATA[") {
            let inner_end = body.find("]]>").unwrap_or(body.len());
            s.text(&body[..inner_end], lt + 9);
            let end = (lt + 9 + inner_end + 3).min(text.len());
            pos = end;
            text_start = end;
            continue;
        }
        // The end of the tag: the first '>' outside quotes.
        let mut quote = 0u8;
        let mut end = None;
        let window = &bytes[lt + 1..(lt + 1 + MAX_TAG).min(bytes.len())];
        for (i, &b) in window.iter().enumerate() {
            match b {
                b'"' | b'\'' if quote == 0 => quote = b,
                q if q == quote && quote != 0 => quote = 0,
                b'>' if quote == 0 => {
                    end = Some(lt + 1 + i);
                    break;
                }
                b'<' if quote == 0 => break,
                _ => {}
            }
        }
        let Some(gt) = end else {
            // Not a tag after all: keep it as text.
            pos = lt + 1;
            text_start = lt;
            continue;
        };
        let inner = &text[lt + 1..gt];
        pos = gt + 1;
        text_start = gt + 1;
        if inner.starts_with('!') || inner.starts_with('?') {
            continue;
        }
        if let Some(name) = inner.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            s.close(&name);
            continue;
        }
        let self_closing = inner.ends_with('/');
        let inner = inner.trim_end_matches('/');
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        let name = name.rsplit(':').next().unwrap_or("").to_string();
        s.open(name, &inner[name_end..], lt, self_closing, distros);
    }
    s.text(&text[text_start..], text_start);
    if let Some(code) = s.code.take() {
        s.events.push(Event::Code(code.finish()));
    }
    s.flush();
    s.events
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .map(|e| match e {
                Event::Heading { text, line } => format!("H{line} {text}"),
                Event::Prose { text, line } => format!("P{line} {text}"),
                Event::Caption { text, line } => format!("C{line} {text}"),
                Event::Path { path, .. } => format!("F {path}"),
                Event::Code(b) => format!(
                    "B {}",
                    b.lines
                        .iter()
                        .map(|l| format!(
                            "{}{}:{}",
                            l.line,
                            if l.output { "o" } else { "" },
                            l.text
                        ))
                        .collect::<Vec<_>>()
                        .join("|")
                ),
            })
            .collect()
    }

    #[test]
    fn docbook() {
        let xml = "<section><title>Install the controller</title>\n<para>Edit the <filename>/etc/nova/nova.conf</filename> file:</para>\n<programlisting language=\"ini\">[database]\n...\nconnection = mysql://nova:<replaceable>NOVA_DBPASS</replaceable>@controller/nova</programlisting>\n<screen os=\"rhel\"><prompt>#</prompt> <userinput>yum install x</userinput></screen>\n<screen><prompt>$</prompt> <userinput>keystone user-list</userinput>\n<computeroutput>+---+\n| a |</computeroutput></screen>\n<para>a &lt;b&gt;</para></section>";
        let mut d = Distros::new("ubuntu");
        assert_eq!(
            show(&read(xml, Dialect::DocBook, &mut d)),
            [
                "H1 Install the controller",
                "P2 Edit the /etc/nova/nova.conf file:",
                "B 3:[database]|4:...|5:connection = mysql://nova:NOVA_DBPASS@controller/nova",
                "B 7:$ keystone user-list|8o:+---+|9o:| a |",
                "P10 a <b>",
            ]
        );
    }

    #[test]
    fn html_and_broken_markup() {
        let html = "<html><head><title>Nova on Juno</title></head><body><h2>Compute node</h2><p>Edit <code>nova.conf</code>:</p><pre><code>[DEFAULT]\nmy_ip = 10.0.0.31\n</code></pre><p>1 < 2 <b unclosed";
        let mut d = Distros::new("ubuntu");
        assert_eq!(
            show(&read(html, Dialect::Html, &mut d)),
            [
                "H1 Nova on Juno",
                "H1 Compute node",
                "P1 Edit nova.conf:",
                "B 1:[DEFAULT]|2:my_ip = 10.0.0.31",
                "P3 1 < 2 <b unclosed",
            ]
        );
    }
}
