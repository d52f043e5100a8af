//! From events to config files, steps and facts: the part that is the same
//! for every format. It walks the guide once, in order, keeping what the
//! text said last: the node, the file, the section, the shell variables.

use super::blocks::{Block, CodeLine, Event};
use super::ini::FileBuilder;
use super::lint::{self, Finding, Grant};
use super::node;
use super::oslo;
use super::scan;
use super::shell::{self, ConfigEdit, StepKind};
use crate::release::HistoryIndex;
use std::collections::{HashMap, HashSet};

/// A step as found: raw command (secrets and all), its line and node.
#[derive(Debug, Clone)]
pub(crate) struct RawStep {
    pub kind: StepKind,
    pub command: String,
    pub line: u32,
    pub node: Option<String>,
}

/// What lint and release detection need beyond files and steps.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    pub grants: Vec<Grant>,
    /// Placeholders the guide explains or creates something with.
    pub introduced: HashSet<String>,
    /// Placeholders in config values, with their line.
    pub used: Vec<(String, u32)>,
    /// Every placeholder: how often, and first line.
    pub seen: HashMap<String, (usize, u32)>,
    /// Headings, prose and commands that may name a release.
    pub cues: Vec<(u32, String)>,
    /// Package and service names from install and service steps.
    pub packages: Vec<(u32, String)>,
}

/// One line of a config fragment.
#[derive(Debug, Clone)]
enum Item {
    Section(String, usize),
    Assign {
        key: String,
        value: String,
        line: u32,
        indent: usize,
    },
    Comment(String),
}

#[derive(Debug, Default)]
struct Fragment {
    items: Vec<Item>,
    first_line: u32,
    sections: usize,
    assigns: usize,
    /// It follows a line that named its file (an editor, a path).
    after_cue: bool,
}

impl Fragment {
    fn push(&mut self, item: Item, line: u32) {
        if self.items.is_empty() {
            self.first_line = line;
        }
        match &item {
            Item::Section(..) => self.sections += 1,
            Item::Assign { .. } => self.assigns += 1,
            _ => {}
        }
        self.items.push(item);
    }
}

/// How one line of a code block reads.
#[derive(Debug)]
enum Line<'a> {
    Blank,
    Ellipsis,
    Section(&'a str, usize),
    /// `[api_database]   # note`: nova refuses such a header.
    SectionNote(&'a str, usize, &'a str),
    Assign {
        key: &'a str,
        value: &'a str,
        indent: usize,
    },
    Comment(&'a str),
    Command {
        host: Option<String>,
        text: &'a str,
        sql: bool,
    },
    ShellAssign(&'a str),
    Output,
    Other(&'a str),
}

fn is_key(k: &str) -> bool {
    !k.is_empty()
        && k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn section_name(t: &str) -> Option<&str> {
    let name = t.strip_prefix('[')?.strip_suffix(']')?.trim();
    (!name.is_empty()
        && name.len() <= 80
        && name.chars().any(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-')))
    .then_some(name)
}

const ELLIPSES: &[&str] = &[
    "...",
    "…",
    "# ...",
    "#...",
    "# …",
    "; ...",
    "(...)",
    "[...]",
    ". . .",
    "<snip>",
    "...snip...",
    "# ... (snip)",
    "......",
];

fn classify(cl: &CodeLine, shellish: bool) -> Line<'_> {
    if cl.output {
        return Line::Output;
    }
    let raw = cl.text.as_str();
    let t = raw.trim();
    if t.is_empty() {
        return Line::Blank;
    }
    if ELLIPSES.contains(&t)
        || (t.starts_with("# ...") && t.len() < 40)
        || t.chars().all(|c| c == '.' || c == '…')
    {
        return Line::Ellipsis;
    }
    if t.starts_with("+-") || t.starts_with("+=") || (t.starts_with('|') && t.ends_with('|')) {
        return Line::Output;
    }
    if let Some(name) = section_name(t) {
        return Line::Section(name, super::text::indent(raw));
    }
    if let Some(close) = t.starts_with('[').then(|| t.find(']')).flatten() {
        let rest = t[close + 1..].trim_start();
        if rest.starts_with('#') || rest.starts_with(';') || rest.starts_with("//") {
            if let Some(name) = section_name(&t[..close + 1]) {
                return Line::SectionNote(name, super::text::indent(raw), rest);
            }
        }
    }
    if let Some((prompt, rest)) = shell::strip_prompt(t) {
        if !prompt.bare_hash {
            return Line::Command {
                host: prompt.host,
                text: rest,
                sql: prompt.sql,
            };
        }
        let first = rest.split_whitespace().next().unwrap_or("");
        if shell::is_command_word(first) || shell::is_sql(rest) {
            return Line::Command {
                host: None,
                text: rest,
                sql: false,
            };
        }
        return Line::Comment(t.trim_start_matches(['#', ';']).trim());
    }
    if t.starts_with('#') || t.starts_with(';') {
        return Line::Comment(t.trim_start_matches(['#', ';']).trim());
    }
    if let Some(eq) = t.find('=') {
        let key = t[..eq].trim();
        let value = t[eq + 1..].trim();
        if is_key(key) && !t[..eq].trim_end().contains(' ') {
            let tight = !t[..eq].ends_with([' ', '\t']) && !t[eq + 1..].starts_with([' ', '\t']);
            if shellish && tight && !value.contains(' ') {
                return Line::ShellAssign(t);
            }
            return Line::Assign {
                key,
                value,
                indent: super::text::indent(raw),
            };
        }
    }
    let first = t.split_whitespace().next().unwrap_or("");
    let sql = shell::is_sql(t);
    if shell::is_command_word(first) || sql {
        return Line::Command {
            host: None,
            text: t,
            sql,
        };
    }
    if t.ends_with(':') && (t.contains("Password") || t.contains("password")) {
        return Line::Output;
    }
    Line::Other(t)
}

/// Where a `cat <<EOF` writes, while its lines are read.
struct Heredoc {
    file: String,
    delimiter: String,
    append: bool,
    fragment: Fragment,
    line: u32,
}

pub(crate) struct Analyzer<'c> {
    history: Option<&'c HistoryIndex>,
    pub node: Option<String>,
    file_cue: Option<String>,
    section_cue: Option<String>,
    path_marker: Option<String>,
    vars: HashMap<String, String>,
    pub files: Vec<FileBuilder>,
    file_index: HashMap<(Option<String>, String), usize>,
    pub steps: Vec<RawStep>,
    last_command: Option<String>,
    /// The block being read belongs to a file that is not a config file.
    skip_block: bool,
    pub facts: Facts,
    pub findings: Vec<Finding>,
    flags: lint::FlagGuesses,
    /// Config file paths named (prose, captions, markers, commands): the
    /// line first named on, and how often.
    pub path_mentions: HashMap<String, (u32, usize)>,
}

impl<'c> Analyzer<'c> {
    pub fn new(history: Option<&'c HistoryIndex>) -> Analyzer<'c> {
        Analyzer {
            history,
            node: None,
            file_cue: None,
            section_cue: None,
            path_marker: None,
            vars: HashMap::new(),
            files: Vec::new(),
            file_index: HashMap::new(),
            steps: Vec::new(),
            last_command: None,
            skip_block: false,
            facts: Facts::default(),
            findings: Vec::new(),
            flags: lint::FlagGuesses::new(),
            path_mentions: HashMap::new(),
        }
    }

    pub fn run(&mut self, events: &[Event]) {
        for (i, ev) in events.iter().enumerate() {
            match ev {
                Event::Heading { line, text } => {
                    if let Some(n) = node::in_heading(text) {
                        self.node = Some(n);
                    }
                    self.prose_cues(text, *line);
                    self.facts.cues.push((*line, text.clone()));
                }
                Event::Prose { line, text } => {
                    if let Some(n) = node::in_prose(text) {
                        self.node = Some(n);
                    }
                    self.prose_cues(text, *line);
                    if is_release_cue(text) {
                        self.facts.cues.push((*line, text.clone()));
                    }
                }
                Event::Caption { .. } => {}
                Event::Path { path, line } => {
                    self.mention(path, *line);
                    self.path_marker = Some(path.clone());
                }
                Event::Code(block) => {
                    let caption = match (
                        i.checked_sub(1).and_then(|j| events.get(j)),
                        events.get(i + 1),
                    ) {
                        (Some(Event::Caption { text, line }), _)
                        | (_, Some(Event::Caption { text, line })) => Some((*line, text.as_str())),
                        _ => None,
                    };
                    self.block(block, caption);
                    self.path_marker = None;
                }
            }
        }
    }

    /// Files, sections and placeholders named in prose.
    fn prose_cues(&mut self, text: &str, line: u32) {
        let mut path = None;
        if scan::may_name_config(text) {
            for p in text.split_whitespace().filter_map(shell::config_path) {
                self.mention(&p, line);
                path = Some(p);
            }
        }
        if let Some(path) = path {
            self.file_cue = Some(path);
        } else if text.contains('/') && names_other_file(text) {
            // A file that is not a config file (`local_settings.py`,
            // `/etc/hosts`): what follows does not go to the last config.
            self.file_cue = None;
        }
        if text.contains('[') {
            if let Some(s) = text
                .split(|c: char| c.is_whitespace() || c == '`' || c == '*' || c == ',')
                .filter_map(section_name)
                .next_back()
            {
                self.section_cue = Some(s.to_string());
            }
        }
        for word in placeholder_words(text) {
            self.facts.introduced.insert(word.to_string());
            self.see(word, line);
        }
    }

    /// A config file path the guide names: where first, and how often.
    fn mention(&mut self, path: &str, line: u32) {
        match self.path_mentions.get_mut(path) {
            Some(m) => m.1 += 1,
            None => {
                self.path_mentions.insert(path.to_string(), (line, 1));
            }
        }
    }

    fn see(&mut self, word: &str, line: u32) {
        let e = self.facts.seen.entry(word.to_string()).or_insert((0, line));
        e.0 += 1;
    }

    fn block(&mut self, block: &Block, caption: Option<(u32, &str)>) {
        let caption_line = caption.map_or(0, |c| c.0);
        let caption = caption.map(|c| c.1);
        let lang = block.lang.as_deref().unwrap_or("");
        let shellish = block.plain
            || matches!(
                lang,
                "console"
                    | "bash"
                    | "sh"
                    | "shell"
                    | "shell-session"
                    | "zsh"
                    | "sh-session"
                    | "powershell"
            );
        let target = self.path_marker.clone().or_else(|| {
            let named = caption.and_then(|c| {
                c.split_whitespace()
                    .filter_map(shell::config_path)
                    .next_back()
            });
            if let Some(path) = &named {
                self.mention(path, caption_line);
            }
            named
        });
        self.skip_block = target.is_none() && caption.is_some_and(names_other_file);
        let saved_node = self.node.clone();
        let caption_node = caption.and_then(node::in_heading);
        if caption_node.is_some() {
            self.node = caption_node.clone();
        }
        let iniish = matches!(
            lang,
            "ini"
                | "conf"
                | "cfg"
                | "config"
                | "properties"
                | "dosini"
                | "cnf"
                | "toml"
                | "text"
                | "txt"
                | "none"
                | ""
                | "nginx"
                | "apache"
        );
        let lines = &block.lines;
        let mut frag = Fragment::default();
        let mut heredoc: Option<Heredoc> = None;
        let mut after_cue = false;
        let mut i = 0;
        while i < lines.len() {
            let cl = &lines[i];
            if let Some(h) = heredoc.as_mut() {
                let t = cl.text.trim();
                if t == h.delimiter {
                    if let Some(h) = heredoc.take() {
                        self.apply_heredoc(h);
                    }
                } else {
                    let mut one = CodeLine {
                        line: cl.line,
                        text: cl.text.clone(),
                        output: false,
                    };
                    if let Some(stripped) = one.text.strip_prefix('\t') {
                        one.text = stripped.to_string();
                    }
                    match classify(&one, false) {
                        Line::Section(name, ind) => h
                            .fragment
                            .push(Item::Section(name.to_string(), ind), cl.line),
                        Line::SectionNote(name, ind, note) => {
                            self.findings.push(section_note(name, note, cl.line));
                            h.fragment
                                .push(Item::Section(name.to_string(), ind), cl.line)
                        }
                        Line::Assign { key, value, indent } => h.fragment.push(
                            Item::Assign {
                                key: key.to_string(),
                                value: value.to_string(),
                                line: cl.line,
                                indent,
                            },
                            cl.line,
                        ),
                        Line::Comment(c) => h.fragment.push(Item::Comment(c.to_string()), cl.line),
                        _ => {}
                    }
                }
                i += 1;
                continue;
            }
            match classify(cl, shellish && !iniish) {
                Line::Blank | Line::Ellipsis => {}
                Line::Section(name, ind) => {
                    frag.after_cue |= after_cue && frag.items.is_empty();
                    frag.push(Item::Section(name.to_string(), ind), cl.line);
                }
                Line::SectionNote(name, ind, note) => {
                    frag.after_cue |= after_cue && frag.items.is_empty();
                    self.findings.push(section_note(name, note, cl.line));
                    frag.push(Item::Section(name.to_string(), ind), cl.line);
                }
                Line::Assign { key, value, indent } => {
                    frag.after_cue |= after_cue && frag.items.is_empty();
                    frag.push(
                        Item::Assign {
                            key: key.to_string(),
                            value: value.to_string(),
                            line: cl.line,
                            indent,
                        },
                        cl.line,
                    )
                }
                Line::Comment(c) => {
                    if !frag.items.is_empty() {
                        frag.push(Item::Comment(c.to_string()), cl.line);
                    } else if block.plain {
                        self.plain_prose(c, cl.line);
                        after_cue = self.cue_in(c);
                    }
                }
                Line::ShellAssign(t) => {
                    self.flush(&mut frag, target.as_ref(), block, iniish);
                    self.assignment(t, cl.line);
                }
                Line::Command { host, text, sql } => {
                    self.flush(&mut frag, target.as_ref(), block, iniish);
                    let (joined, used) = join_continuations(text, &lines[i + 1..], sql);
                    if let Some(h) = host {
                        self.node = Some(node::of_host(&h));
                    }
                    let (opened, edits) = self.command(&joined, cl.line);
                    if let Some((file, delimiter, append)) = opened {
                        heredoc = Some(Heredoc {
                            file,
                            delimiter,
                            append,
                            fragment: Fragment::default(),
                            line: cl.line,
                        });
                    }
                    after_cue = edits;
                    i += 1 + used;
                    continue;
                }
                Line::Output => self.flush(&mut frag, target.as_ref(), block, iniish),
                Line::Other(t) => {
                    if let Some(Item::Assign { value, .. }) = frag.items.last_mut() {
                        if !block.plain && super::text::indent(&cl.text) > 0 {
                            value.push('\n');
                            value.push_str(t);
                            i += 1;
                            continue;
                        }
                    }
                    self.flush(&mut frag, target.as_ref(), block, iniish);
                    if block.plain {
                        self.plain_prose(t, cl.line);
                        after_cue = self.cue_in(t);
                    }
                }
            }
            i += 1;
        }
        if let Some(h) = heredoc.take() {
            self.apply_heredoc(h);
        }
        self.flush(&mut frag, target.as_ref(), block, iniish);
        if caption_node.is_some() {
            self.node = saved_node;
        }
    }

    fn cue_in(&self, text: &str) -> bool {
        scan::may_name_config(text)
            && text
                .split_whitespace()
                .any(|w| shell::config_path(w).is_some())
    }

    /// A prose line of plain text.
    fn plain_prose(&mut self, text: &str, line: u32) {
        if text.chars().nth(60).is_none() {
            if let Some(n) = node::in_heading(text) {
                self.node = Some(n);
            }
        }
        self.prose_cues(text, line);
        if is_release_cue(text) {
            self.facts.cues.push((line, text.to_string()));
        }
    }

    fn assignment(&mut self, t: &str, _line: u32) {
        let words = shell::words(t, &self.vars);
        for w in words {
            if let Some((name, value)) = w.text.split_once('=') {
                if shell::is_assignment(&w.text) {
                    self.vars.insert(name.to_string(), value.to_string());
                    if let Some(p) = oslo::placeholder(name) {
                        self.facts.introduced.insert(p.to_string());
                    }
                }
            }
        }
    }

    fn flush(&mut self, frag: &mut Fragment, target: Option<&String>, block: &Block, iniish: bool) {
        if frag.items.is_empty() {
            return;
        }
        let frag = std::mem::take(frag);
        if frag.assigns == 0 || self.skip_block {
            return;
        }
        let cue_ok = frag.sections > 0
            || target.is_some()
            || (block.plain && frag.after_cue)
            || (!block.plain && (iniish || self.file_cue.is_some()));
        if !cue_ok {
            return;
        }
        let path = match target.cloned().or_else(|| self.file_cue.clone()) {
            Some(p) => p,
            None if self.looks_like_nova(&frag) => "/etc/nova/nova.conf".to_string(),
            None => {
                self.findings.push(lint::Finding::new(
                    &lint::NO_FILE,
                    frag.first_line,
                    "config block with no file named before it (no path, editor command or `.. path` marker); left out",
                ));
                return;
            }
        };
        self.apply(frag, &path, false, false);
    }

    fn looks_like_nova(&self, frag: &Fragment) -> bool {
        let Some(h) = self.history else {
            return false;
        };
        let mut section = self.section_cue.clone().unwrap_or_else(|| "DEFAULT".into());
        let mut known = 0;
        for item in &frag.items {
            match item {
                Item::Section(s, _) => section = s.clone(),
                Item::Assign { key, .. } if h.get(&section, key).is_some() => {
                    known += 1;
                }
                _ => {}
            }
        }
        known * 2 >= frag.assigns
    }

    fn apply_heredoc(&mut self, h: Heredoc) {
        let path = h.file.clone();
        if shell::config_path(&path).is_none() && h.fragment.sections == 0 {
            return;
        }
        let mut frag = h.fragment;
        if frag.first_line == 0 {
            frag.first_line = h.line;
        }
        self.apply(frag, &path, !h.append, true);
    }

    fn file(&mut self, path: &str, line: u32) -> &mut FileBuilder {
        let key = (self.node.clone(), path.to_string());
        let idx = match self.file_index.get(&key) {
            Some(&i) => i,
            None => {
                self.files
                    .push(FileBuilder::new(path.to_string(), self.node.clone(), line));
                self.file_index.insert(key, self.files.len() - 1);
                self.files.len() - 1
            }
        };
        &mut self.files[idx]
    }

    fn is_secret(history: Option<&HistoryIndex>, section: &str, key: &str) -> bool {
        history.is_some_and(|h| h.is_secret(section, key)) || crate::release::secret_name(key)
    }

    fn apply(&mut self, frag: Fragment, path: &str, truncate: bool, heredoc: bool) {
        let _ = heredoc;
        let default_section = self
            .section_cue
            .clone()
            .unwrap_or_else(|| "DEFAULT".to_string());
        let mut section = default_section;
        let mut comments: Vec<String> = Vec::new();
        let mut adds: Vec<(String, String, String, u32, Vec<String>)> = Vec::new();
        let mut sections_in_order: Vec<String> = Vec::new();
        // What "indented" means: deeper than the section headers (or, with
        // none, than the least indented key): a whole block may be indented.
        let base = frag
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Section(_, ind) => Some(*ind),
                _ => None,
            })
            .min()
            .or_else(|| {
                frag.items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Assign { indent, .. } => Some(*indent),
                        _ => None,
                    })
                    .min()
            })
            .unwrap_or(0);
        let mut run: Option<(u32, String, usize)> = None;
        for item in frag.items {
            if !matches!(&item, Item::Assign { indent, .. } if *indent > base) {
                if let Some((line, first, n)) = run.take() {
                    self.indented(line, &first, n);
                }
            }
            match item {
                Item::Section(s, _) => {
                    comments.clear();
                    sections_in_order.push(s.clone());
                    section = s;
                }
                Item::Comment(c) => comments.push(c),
                Item::Assign {
                    key,
                    value,
                    line,
                    indent,
                } => {
                    if indent > base {
                        let r = run.get_or_insert_with(|| (line, format!("[{section}] {key}"), 0));
                        r.2 += 1;
                    }
                    let (value, mut notes) = self.value_traps(&section, &key, &value, line);
                    let mut c = std::mem::take(&mut comments);
                    c.append(&mut notes);
                    for w in placeholder_words(&value) {
                        self.facts.used.push((w.to_string(), line));
                        self.see(w, line);
                    }
                    adds.push((section.clone(), key, value, line, c));
                }
            }
        }
        if let Some((line, first, n)) = run.take() {
            self.indented(line, &first, n);
        }
        let first = frag.first_line;
        let fb = self.file(path, first);
        if truncate {
            fb.truncate();
        }
        fb.begin_fragment();
        for s in &sections_in_order {
            fb.section(s);
        }
        for (section, key, value, line, comments) in adds {
            fb.add(&section, &key, &value, line, comments);
        }
    }

    /// A run of `n` indented assignments from `line`, the first being `first`.
    fn indented(&mut self, line: u32, first: &str, n: usize) {
        let what = if n == 1 {
            format!("{first} is indented")
        } else {
            format!("{n} assignments from {first} on are indented")
        };
        self.findings.push(lint::Finding::new(
            &lint::INDENTED,
            line,
            format!("{what}: copied as shown, each line continues the value above it (or is refused), and the option is not set; the extracted config un-indents them"),
        ));
    }

    /// The value the guide meant, and notes moved off the value line; the
    /// traps become findings.
    fn value_traps(
        &mut self,
        section: &str,
        key: &str,
        value: &str,
        line: u32,
    ) -> (String, Vec<String>) {
        // Whether the value is secret matters only to a finding's message.
        let history = self.history;
        let secret = || Self::is_secret(history, section, key);
        let mut notes = Vec::new();
        let mut meant = value.to_string();
        if let Some(at) = note_start(&meant) {
            let note = meant[at..]
                .trim_start_matches(['#', ';', '/', '←', '<', '-', ' ', '\t'])
                .trim()
                .to_string();
            let kept = meant[..at].trim_end().to_string();
            self.findings.push(
                lint::Finding::new(
                    &lint::INLINE_NOTE,
                    line,
                    format!("a note follows the value of [{section}] {key}: nova (oslo.config) reads {{0}} as the value; the extracted config keeps {{1}} and the note as a comment above"),
                )
                .value(&meant, secret())
                .value(&kept, secret()),
            );
            if !note.is_empty() {
                notes.push(note);
            }
            meant = kept;
        }
        if let Some((first, rest)) = alternatives(&meant) {
            self.findings.push(
                lint::Finding::new(
                    &lint::ALTERNATIVES,
                    line,
                    format!("[{section}] {key} gives alternatives as one value ({{0}}); nova would read all of it. The extracted config keeps {{1}}"),
                )
                .value(&meant, secret())
                .value(&first, secret()),
            );
            notes.push(format!("or {rest}"));
            meant = first;
        }
        let credentials = if scan::contains(&meant, "://") {
            oslo::url_credentials(&meant, key == "transport_url")
        } else {
            None
        };
        if let Some(problem) = credentials {
            let what = match problem {
                oslo::UrlProblem::At => "an unencoded '@'".to_string(),
                oslo::UrlProblem::Delimiter(c) => format!("an unencoded '{c}'"),
            };
            self.findings.push(
                lint::Finding::new(
                    &lint::URL_PASSWORD,
                    line,
                    format!("the URL of [{section}] {key} has {what} in its user or password ({{0}}): percent-encode it ('@' is %40)"),
                )
                .value(&meant, true),
            );
        }
        (meant, notes)
    }

    /// Does `joined`, as written, open an editor on a config file?
    fn opens_editor(&self, joined: &str) -> bool {
        matches!(
            shell::config_edit(&shell::words(joined, &self.vars)),
            Some(ConfigEdit::Edit { .. })
        )
    }

    /// Handles one command (`joined`, continuations joined); returns a
    /// heredoc it opens, and whether it opens an editor on a config file.
    fn command(&mut self, joined: &str, line: u32) -> (Option<(String, String, bool)>, bool) {
        // `a \ b`: an escaped blank. Without one, the words read here are
        // the words of `joined`, and tell whether it opens an editor.
        let escaped_blank = joined.contains(" \\ ");
        let text = if escaped_blank {
            std::borrow::Cow::Owned(joined.replace(" \\ ", " "))
        } else {
            std::borrow::Cow::Borrowed(joined)
        };
        let text = text.trim();
        if text.is_empty() {
            return (None, self.opens_editor(joined));
        }
        // Text copied from a page often shows a command twice, with and
        // without its prompt: the second is the same step.
        let normal = scan::squeeze_blanks(text);
        if self.last_command.as_deref() == Some(normal.as_str()) {
            return (None, self.opens_editor(joined));
        }
        let words = shell::words(text, &self.vars);
        let edit = shell::config_edit(&words);
        let edits = if escaped_blank {
            self.opens_editor(joined)
        } else {
            matches!(edit, Some(ConfigEdit::Edit { .. }))
        };
        let cmd = shell::command_words(&words);
        let texts: Vec<&str> = cmd.iter().map(|w| w.text.as_str()).collect();
        // Variable assignments: `conf=/etc/nova/nova.conf`, `export X=y`.
        if texts.is_empty()
            || (matches!(texts[0], "export" | "local" | "readonly" | "declare") && texts.len() > 1)
        {
            let start = usize::from(!texts.is_empty());
            for w in words.iter().skip(start) {
                if shell::is_assignment(&w.text) {
                    if let Some((n, v)) = w.text.split_once('=') {
                        self.vars.insert(n.to_string(), v.to_string());
                    }
                }
            }
            // Assignments and `export` open no editor, whatever the variables.
            return (None, edits);
        }
        for p in placeholder_words(text) {
            self.see(p, line);
            if !texts.first().is_some_and(|f| {
                shell::is_command_word(f) && matches!(*f, "crudini" | "openstack-config")
                    || f.starts_with("iniset")
            }) {
                self.facts.introduced.insert(p.to_string());
            }
        }
        match edit {
            Some(ConfigEdit::Set {
                file,
                section,
                key,
                value,
                ..
            }) => {
                if let Some(path) = shell::config_path(&file)
                    .or_else(|| file.starts_with('/').then(|| file.clone()))
                {
                    for w in placeholder_words(&value) {
                        self.facts.used.push((w.to_string(), line));
                    }
                    let (value, _) = self.value_traps(&section, &key, &value, line);
                    self.mention(&path, line);
                    self.file(&path, line).set(&section, &key, &value, line);
                }
            }
            Some(ConfigEdit::Del { file, section, key }) => {
                if let Some(path) = shell::config_path(&file) {
                    self.mention(&path, line);
                    self.file(&path, line).delete(&section, key.as_deref());
                }
            }
            Some(ConfigEdit::Edit { file }) => {
                if let Some(path) = shell::config_path(&file) {
                    self.mention(&path, line);
                    self.file_cue = Some(path);
                }
            }
            None => {}
        }
        let heredoc = shell::heredoc(&words);
        if let Some((file, ..)) = &heredoc {
            self.mention(file, line);
            if let Some(path) = shell::config_path(file) {
                self.file_cue = Some(path);
            }
        }
        // Facts: SQL grants, client lint, packages.
        if shell::is_sql(text) {
            for stmt in text.split(';') {
                if let Some(g) = lint::parse_grant(stmt, line) {
                    self.facts.grants.push(g);
                }
            }
        }
        if matches!(texts[0], "mysql" | "mariadb") {
            if let Some(i) = texts.iter().position(|w| *w == "-e" || *w == "--execute") {
                if let Some(sql) = texts.get(i + 1) {
                    for stmt in sql.split(';') {
                        if let Some(g) = lint::parse_grant(stmt, line) {
                            self.facts.grants.push(g);
                        }
                    }
                }
            }
        }
        self.findings
            .extend(lint::client_command(&texts, line, &mut self.flags));
        let kind = shell::classify(&words, text);
        if matches!(kind, Some(StepKind::Package | StepKind::Service)) {
            for w in &texts[1..] {
                if w.contains("nova") || w.contains("placement") {
                    self.facts
                        .packages
                        .push((line, w.trim_end_matches(".service").to_string()));
                }
            }
        }
        if is_release_cue(text) {
            self.facts.cues.push((line, text.to_string()));
        }
        if let Some(kind) = kind {
            self.steps.push(RawStep {
                kind,
                command: normal.clone(),
                line,
                node: self.node.clone(),
            });
        }
        self.last_command = Some(normal);
        (heredoc, edits)
    }
}

/// Does the text name a file under /etc or /root that is not a config file?
fn names_other_file(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| {
            !(c.is_alphanumeric() || c == '/' || c == '.' || c == '_' || c == '-')
        });
        (w.starts_with("/etc/") || w.starts_with("/root/") || w.starts_with("~/"))
            && w.len() > 6
            && shell::config_path(w).is_none()
    })
}

fn section_note(name: &str, note: &str, line: u32) -> Finding {
    let _ = note;
    lint::Finding::new(
        &lint::SECTION_NOTE,
        line,
        format!(
            "a note follows the section header [{name}]: nova refuses a header with text after its ']' and does not start; the extracted config keeps [{name}] alone"
        ),
    )
}

/// A line of text that may tell the release: a URL, or a product name.
fn is_release_cue(text: &str) -> bool {
    scan::contains(text, "://")
        || scan::contains_ci(text, "openstack")
        || scan::contains_ci(text, "cloud-archive")
        || scan::contains_ci(text, "rdo")
}

/// Joins lines continued with a trailing `\` (and SQL statements not yet
/// ended by `;`). Returns the command and how many following lines it took.
fn join_continuations(first: &str, rest: &[CodeLine], sql: bool) -> (String, usize) {
    let mut out = first.trim_end().to_string();
    let mut used = 0;
    let is_sql = sql || shell::is_sql(first);
    loop {
        let continued = out.ends_with('\\');
        let sql_open = is_sql && !out.trim_end().ends_with(';') && used < 8;
        if !continued && !sql_open {
            break;
        }
        let Some(next) = rest.get(used) else { break };
        let t = next.text.trim();
        if t.is_empty() || next.output {
            break;
        }
        let indented = super::text::indent(&next.text) > 0;
        if !(continued || indented || t.to_ascii_lowercase().starts_with("identified")) {
            break;
        }
        if continued {
            out.pop();
        }
        let t = t.strip_prefix("> ").unwrap_or(t);
        if !out.ends_with(' ') {
            out.push(' ');
        }
        out.push_str(t);
        used += 1;
    }
    (out, used)
}

/// Where a note starts in a value: ` # x`, ` ; x`, ` // x`, ` ← x`, ` <- x`.
fn note_start(value: &str) -> Option<usize> {
    let mut best = oslo::inline_comment(value);
    let b = value.as_bytes();
    for pat in ["//", "←", "<--", "<-"] {
        for i in scan::find_iter(value, pat) {
            if i == 0 || !matches!(b.get(i - 1), Some(b' ' | b'\t')) {
                continue;
            }
            if best.is_none_or(|bst| i < bst) {
                best = Some(i);
            }
            break;
        }
    }
    best
}

/// `kvm, or qemu without hardware acceleration` → (`kvm`, `qemu without …`).
fn alternatives(value: &str) -> Option<(String, String)> {
    // Every separator is between spaces.
    if !value.contains(' ') {
        return None;
    }
    let lower = value.to_lowercase();
    for sep in [" or ", " または ", " 또는 ", " 或 ", " atau ", " hoặc "] {
        if lower.len() != value.len() {
            // Case folding changed byte offsets: look in the value itself.
            if let Some(i) = value.find(sep) {
                return split_alt(value, i, sep.len());
            }
            continue;
        }
        if let Some(i) = lower.find(sep) {
            return split_alt(value, i, sep.len());
        }
    }
    None
}

fn split_alt(value: &str, i: usize, len: usize) -> Option<(String, String)> {
    let first = value[..i].trim().trim_end_matches([',', ';']).trim();
    let rest = value[i + len..].trim();
    (!first.is_empty() && !first.contains(' ') && !rest.is_empty())
        .then(|| (first.to_string(), rest.to_string()))
}

/// Placeholder words in a text (`NOVA_DBPASS`, `RABBIT_PASS`…).
fn placeholder_words(text: &str) -> impl Iterator<Item = &str> {
    // Most text has none: skip the split then.
    let text = if scan::may_hold_placeholder(text) {
        text
    } else {
        ""
    };
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.len() > 5 && oslo::placeholder(w) == Some(*w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_and_alternatives() {
        assert_eq!(note_start("10.0.0.11  # management IP"), Some(11));
        assert_eq!(note_start("10.0.0.11 // mgmt"), Some(10));
        assert_eq!(note_start("http://x:5000/v3"), None);
        assert_eq!(note_start("value ←追記"), Some(6));
        assert_eq!(
            alternatives("kvm, or qemu without hardware acceleration"),
            Some(("kvm".into(), "qemu without hardware acceleration".into()))
        );
        assert_eq!(
            alternatives("this or that thing"),
            Some(("this".into(), "that thing".into()))
        );
        assert_eq!(alternatives("two words or more"), None);
    }

    #[test]
    fn continuations() {
        let rest = [
            CodeLine {
                line: 2,
                text: "  IDENTIFIED BY 'x';".into(),
                output: false,
            },
            CodeLine {
                line: 3,
                text: "next".into(),
                output: false,
            },
        ];
        assert_eq!(
            join_continuations("GRANT ALL ON nova.* TO 'nova'@'%' \\", &rest, true),
            (
                "GRANT ALL ON nova.* TO 'nova'@'%' IDENTIFIED BY 'x';".to_string(),
                1
            )
        );
    }
}
