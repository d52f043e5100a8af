//! What every format reader hands on: a flat, ordered list of events
//! (headings, prose, captions, `.. path` markers, code blocks), each with
//! its line in the guide. Everything after this point is the same for
//! Markdown, reStructuredText, MediaWiki, DocBook, HTML and plain text.

use std::collections::BTreeSet;

/// One line of a code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CodeLine {
    pub line: u32,
    pub text: String,
    /// Marked as command output by the markup (`<computeroutput>`).
    pub output: bool,
}

/// A block of code, or (for plain text and scripts) the whole text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Block {
    /// The language the markup names (`ini`, `console`, `bash`…), lower-cased.
    pub lang: Option<String>,
    pub lines: Vec<CodeLine>,
    /// No markup told code from prose: lines that are neither config nor
    /// commands are prose (plain text, shell scripts).
    pub plain: bool,
}

/// Lines of captions and markers are kept for debugging and tests.
#[allow(dead_code)]
#[derive(Debug, Clone)]
pub(crate) enum Event {
    Heading {
        line: u32,
        text: String,
    },
    Prose {
        line: u32,
        text: String,
    },
    /// A caption (`<figcaption>`, a DocBook example title): it names the
    /// block next to it, before or after.
    Caption {
        line: u32,
        text: String,
    },
    /// `.. path /etc/nova/nova.conf`: the next block's file.
    Path {
        line: u32,
        path: String,
    },
    Code(Block),
}

/// The distribution chosen where a guide has per-distribution parts
/// (`.. only:: rdo`, DocBook `os="ubuntu"`), and those it names.
#[derive(Debug, Clone)]
pub(crate) struct Distros {
    pub chosen: String,
    pub seen: BTreeSet<String>,
}

impl Distros {
    pub fn new(chosen: &str) -> Distros {
        Distros {
            chosen: canonical_distro(chosen).to_string(),
            seen: BTreeSet::new(),
        }
    }

    /// Does an `.. only::` expression (`ubuntu or debian`, `not obs`) or a
    /// DocBook `os` list (`ubuntu;debian`) include the chosen distribution?
    pub fn accepts(&mut self, expr: &str) -> bool {
        let expr = expr.trim();
        let (negate, expr) = match expr.strip_prefix("not ") {
            Some(rest) => (true, rest),
            None => (false, expr),
        };
        let mut any = false;
        let mut named = false;
        for word in expr.split(|c: char| c == ';' || c == ',' || c.is_whitespace()) {
            let word = word.trim().trim_matches(['(', ')']).to_ascii_lowercase();
            if word.is_empty() || word == "or" || word == "and" {
                continue;
            }
            named = true;
            let d = canonical_distro(&word);
            self.seen.insert(d.to_string());
            if d == self.chosen {
                any = true;
            }
        }
        if !named {
            return true;
        }
        any != negate
    }
}

/// `rhel`, `centos`, `fedora` are RDO; `opensuse`, `sles`, `suse` are OBS.
pub(crate) fn canonical_distro(name: &str) -> &str {
    match name {
        "rhel" | "centos" | "fedora" | "redhat" | "rdo" => "rdo",
        "opensuse" | "sles" | "suse" | "obs" => "obs",
        other => other,
    }
}

/// The formats a guide is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Markdown,
    Rst,
    MediaWiki,
    DocBook,
    Html,
    /// A shell script (`#!/bin/sh`, or lines that are mostly commands).
    Shell,
    /// Text copied from a page, without markup.
    Plain,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Rst => "rst",
            Format::MediaWiki => "mediawiki",
            Format::DocBook => "docbook",
            Format::Html => "html",
            Format::Shell => "shell",
            Format::Plain => "plain",
        }
    }

    pub fn by_name(name: &str) -> Option<Format> {
        Some(match name {
            "markdown" | "md" => Format::Markdown,
            "rst" | "restructuredtext" => Format::Rst,
            "mediawiki" | "wiki" => Format::MediaWiki,
            "docbook" | "xml" => Format::DocBook,
            "html" => Format::Html,
            "shell" | "sh" => Format::Shell,
            "plain" | "text" | "txt" => Format::Plain,
            _ => return None,
        })
    }
}

/// Tells the format from the content; the file name only breaks ties.
pub(crate) fn detect_format(text: &str, name: &str) -> Format {
    // Score on the first 256 KiB: enough to see the markup, and bounded.
    let mut end = text.len().min(256 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let lower_name = name.to_ascii_lowercase();
    let ext = lower_name.rsplit('.').next().unwrap_or("");
    let start = head.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with("<?xml") || head.contains("http://docbook.org/ns/docbook") {
        return Format::DocBook;
    }
    let count = |needle: &str| super::scan::count(head, needle);
    let docbook =
        count("<programlisting") + count("<screen") + count("<para>") + count("<userinput>");
    let html = count("<pre")
        + count("<p>")
        + count("<div")
        + count("<li>")
        + count("<h2")
        + count("<h3")
        + 5 * count("<html")
        + 5 * count("<!DOCTYPE html")
        + 5 * count("<!doctype html");
    let wiki = 3 * (count("<syntaxhighlight") + count("<source lang"))
        + count("\n== ")
        + count("\n=== ")
        + count("{{");
    let mut rst = 3
        * (count(".. code-block::") + count(".. path ") + count(".. only::") + count(".. code::"))
        + count("::\n\n")
        + count(".. note::");
    let mut md = 2 * (count("\n```") + count("\n~~~") + count("{% highlight"))
        + usize::from(head.starts_with("---\n") || head.starts_with("```"));
    let mut underlines = 0;
    let mut previous = "";
    let mut command_lines = 0;
    let mut content_lines = 0;
    for (_, line) in lines(head) {
        let t = line.trim();
        if t.len() >= 3
            && b"=-~^\"'`#*+".contains(&t.as_bytes()[0])
            && t.bytes().all(|b| b == t.as_bytes()[0])
            && indent(line) == 0
            && !previous.trim().is_empty()
            && t.len() >= previous.trim().chars().count()
        {
            underlines += 1;
        }
        if let Some(title) = t
            .strip_prefix("# ")
            .or_else(|| t.strip_prefix("## "))
            .or_else(|| t.strip_prefix("### "))
        {
            // A Markdown heading, unless it is a root prompt.
            let first = title.split_whitespace().next().unwrap_or("");
            if indent(line) == 0 && !super::shell::is_command_word(first) {
                md += 1;
            }
        }
        if !t.is_empty() && !t.starts_with('#') {
            content_lines += 1;
            if super::shell::is_command_word(t.split_whitespace().next().unwrap_or("")) {
                command_lines += 1;
            }
        }
        previous = line;
    }
    rst += underlines;
    match ext {
        "md" | "markdown" => md += 8,
        "rst" => rst += 4,
        "xml" => return Format::DocBook,
        "html" | "htm" => return Format::Html,
        "wiki" | "mediawiki" => return Format::MediaWiki,
        _ => {}
    }
    let shebang = start.starts_with("#!");
    if shebang || (matches!(ext, "sh" | "bash") && md + rst < 4) {
        return Format::Shell;
    }
    let best = [
        (docbook, Format::DocBook),
        (html, Format::Html),
        (wiki, Format::MediaWiki),
        (rst, Format::Rst),
        (md, Format::Markdown),
    ]
    .into_iter()
    .max_by_key(|(score, _)| *score)
    .filter(|(score, _)| *score >= 2);
    match best {
        Some((_, f)) => f,
        None if content_lines > 0 && command_lines * 2 > content_lines => Format::Shell,
        None => Format::Plain,
    }
}

use super::text::{indent, lines};

/// Reads `text` in `format` into events.
pub(crate) fn read(text: &str, format: Format, distros: &mut Distros) -> Vec<Event> {
    match format {
        Format::Markdown => super::markdown::read(text),
        Format::Rst => super::rst::read(text, distros),
        Format::MediaWiki => super::wiki::read(text),
        Format::DocBook => super::markup::read(text, super::markup::Dialect::DocBook, distros),
        Format::Html => super::markup::read(text, super::markup::Dialect::Html, distros),
        Format::Shell | Format::Plain => {
            let lines = lines(text)
                .map(|(line, t)| CodeLine {
                    line,
                    text: t.to_string(),
                    output: false,
                })
                .collect();
            vec![Event::Code(Block {
                lang: (format == Format::Shell).then(|| "sh".to_string()),
                lines,
                plain: true,
            })]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_content() {
        assert_eq!(
            detect_format("# T\n\n```ini\n[DEFAULT]\n```\n", "-"),
            Format::Markdown
        );
        assert_eq!(
            detect_format("Title\n=====\n\n.. code-block:: ini\n\n   [DEFAULT]\n", "-"),
            Format::Rst
        );
        assert_eq!(
            detect_format("<?xml version=\"1.0\"?><section/>", "x"),
            Format::DocBook
        );
        assert_eq!(
            detect_format(
                "== Nova ==\n<syntaxhighlight lang=ini>\n[DEFAULT]\n</syntaxhighlight>\n",
                "-"
            ),
            Format::MediaWiki
        );
        assert_eq!(
            detect_format(
                "<html><body><h2>x</h2><pre>[DEFAULT]</pre><p>a</p></body></html>",
                "-"
            ),
            Format::Html
        );
        assert_eq!(
            detect_format("#!/bin/bash\ncrudini --set a b c d\n", "-"),
            Format::Shell
        );
        assert_eq!(
            detect_format("Edit the file\n[DEFAULT]\nmy_ip = 1\n", "-"),
            Format::Plain
        );
    }

    #[test]
    fn distro_expressions() {
        let mut d = Distros::new("ubuntu");
        assert!(d.accepts("ubuntu or debian"));
        assert!(!d.accepts("rdo or obs"));
        assert!(d.accepts("not obs"));
        assert!(!d.accepts("rhel;centos;fedora"));
        assert!(d.accepts("ubuntu;debian"));
        assert_eq!(
            d.seen.iter().cloned().collect::<Vec<_>>(),
            ["debian", "obs", "rdo", "ubuntu"]
        );
    }
}
