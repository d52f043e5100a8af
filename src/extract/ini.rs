//! One config file built from a guide's fragments and commands, in the
//! guide's order: a key set again by a later fragment or command takes the
//! place of the earlier one (as an operator editing the file would do); a
//! key repeated inside one fragment is kept twice (multi-valued options).
//! Linear in the number of settings: each key is found through a map.

use crate::conf::{Document, normalize_group};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub key: String,
    pub value: String,
    /// Guide line.
    pub line: u32,
    /// Comment lines written above it (notes moved off the value line,
    /// comments of the fragment).
    pub comments: Vec<String>,
    pub live: bool,
    fragment: u32,
    origin: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// As first written.
    pub name: String,
    pub entries: Vec<Entry>,
    keys: HashMap<String, Vec<usize>>,
}

#[derive(Debug, Clone)]
pub(crate) struct FileBuilder {
    pub path: String,
    pub node: Option<String>,
    pub sections: Vec<Section>,
    groups: HashMap<String, usize>,
    fragment: u32,
    /// First guide line that wrote to the file.
    pub first_line: u32,
    /// Where what is added now comes from (the guide, when several guides
    /// are merged); kept with each setting.
    pub origin: u32,
}

/// A setting of the built file: where it is in the rendered document and in the guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placed {
    pub section: String,
    pub key: String,
    pub value: String,
    pub line: u32,
    pub doc_line: usize,
    /// The [`FileBuilder::origin`] it was added under.
    pub origin: u32,
}

impl FileBuilder {
    pub fn new(path: String, node: Option<String>, line: u32) -> FileBuilder {
        FileBuilder {
            path,
            node,
            sections: Vec::new(),
            groups: HashMap::new(),
            fragment: 0,
            first_line: line,
            origin: 0,
        }
    }

    /// Starts a new fragment: keys repeated inside it are kept, keys set
    /// by earlier fragments are replaced.
    pub fn begin_fragment(&mut self) {
        self.fragment += 1;
    }

    /// `cat > FILE`: what was there is gone.
    pub fn truncate(&mut self) {
        self.sections.clear();
        self.groups.clear();
    }

    pub fn section(&mut self, name: &str) -> usize {
        let group = normalize_group(name);
        if let Some(&i) = self.groups.get(group.as_ref()) {
            return i;
        }
        let group = group.into_owned();
        self.sections.push(Section {
            name: name.to_string(),
            entries: Vec::new(),
            keys: HashMap::new(),
        });
        self.groups.insert(group, self.sections.len() - 1);
        self.sections.len() - 1
    }

    /// Sets `key` in `section` from a fragment (see the module doc).
    pub fn add(&mut self, section: &str, key: &str, value: &str, line: u32, comments: Vec<String>) {
        let fragment = self.fragment;
        let s = self.section(section);
        let sec = &mut self.sections[s];
        let entry = Entry {
            key: key.to_string(),
            value: value.to_string(),
            line,
            comments,
            live: true,
            fragment,
            origin: self.origin,
        };
        // The live entries of the key, in order (dead ones are dropped as
        // they die). Fragments only grow, so the last is the newest.
        let Some(slots) = sec.keys.get_mut(key) else {
            sec.entries.push(entry);
            sec.keys
                .insert(key.to_string(), vec![sec.entries.len() - 1]);
            return;
        };
        let entries = &mut sec.entries;
        let keep = match slots.last() {
            Some(&last) if entries[last].fragment != fragment => last,
            _ => {
                entries.push(entry);
                slots.push(entries.len() - 1);
                return;
            }
        };
        // Replace in place: the last live occurrence takes the new value.
        for &i in slots.iter() {
            if i != keep {
                entries[i].live = false;
            }
        }
        slots.clear();
        slots.push(keep);
        let mut entry = entry;
        let mut old = std::mem::take(&mut entries[keep].comments);
        old.extend(std::mem::take(&mut entry.comments));
        entry.comments = old;
        entries[keep] = entry;
        // A later fragment's own repeats append after this one.
    }

    /// `crudini --set`: replaces every earlier value.
    pub fn set(&mut self, section: &str, key: &str, value: &str, line: u32) {
        self.begin_fragment();
        self.add(section, key, value, line, Vec::new());
        self.begin_fragment();
    }

    pub fn delete(&mut self, section: &str, key: Option<&str>) {
        let group = normalize_group(section).into_owned();
        let Some(&s) = self.groups.get(&group) else {
            return;
        };
        let sec = &mut self.sections[s];
        match key {
            Some(key) => {
                if let Some(slots) = sec.keys.get_mut(key) {
                    for &i in slots.iter() {
                        sec.entries[i].live = false;
                    }
                    slots.clear();
                }
            }
            None => {
                sec.entries.iter_mut().for_each(|e| e.live = false);
                sec.keys.clear();
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        !self
            .sections
            .iter()
            .any(|s| s.entries.iter().any(|e| e.live))
    }

    /// The file's text, and where each live setting landed in it.
    pub fn render(&self) -> (Vec<u8>, Vec<Placed>) {
        let mut out = String::new();
        let mut placed = Vec::new();
        let mut line = 0usize;
        // Each line of the file, written in pieces; returns its number.
        let mut push = |out: &mut String, pieces: &[&str]| {
            for p in pieces {
                out.push_str(p);
            }
            out.push('\n');
            line += 1;
            line
        };
        for (n, sec) in self.sections.iter().enumerate() {
            if !sec.entries.iter().any(|e| e.live) && !sec.entries.is_empty() {
                continue;
            }
            if n > 0 && !out.is_empty() {
                push(&mut out, &[]);
            }
            push(&mut out, &["[", &sec.name, "]"]);
            for e in sec.entries.iter().filter(|e| e.live) {
                for c in &e.comments {
                    push(&mut out, &["# ", c]);
                }
                let mut pieces = e.value.split('\n');
                let first = pieces.next().unwrap_or("");
                let first = first.trim_end();
                let doc_line = if first.is_empty() {
                    // `key =` with no value: no blank after the `=`.
                    push(&mut out, &[&e.key, " ="])
                } else {
                    push(&mut out, &[&e.key, " = ", first])
                };
                for p in pieces {
                    push(&mut out, &["    ", p]);
                }
                placed.push(Placed {
                    section: sec.name.clone(),
                    key: e.key.clone(),
                    value: e.value.clone(),
                    line: e.line,
                    doc_line,
                    origin: e.origin,
                });
            }
        }
        (out.into_bytes(), placed)
    }

    /// The rendered document (`None` only past the document's size limit).
    pub fn document(&self) -> Option<(Document, Vec<Placed>)> {
        let (bytes, placed) = self.render();
        Document::parse_lenient(bytes).ok().map(|doc| (doc, placed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_merge_in_order() {
        let mut f = FileBuilder::new("/etc/nova/nova.conf".into(), None, 1);
        f.begin_fragment();
        f.add("DEFAULT", "my_ip", "1", 3, vec![]);
        f.add("database", "connection", "a", 5, vec![]);
        f.begin_fragment();
        f.add("DEFAULT", "my_ip", "2", 9, vec!["note".into()]);
        f.add("DEFAULT", "x", "a", 10, vec![]);
        f.add("DEFAULT", "x", "b", 11, vec![]);
        f.set("vnc", "enabled", "true", 20);
        f.delete("database", Some("connection"));
        let (bytes, placed) = f.render();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "[DEFAULT]\n# note\nmy_ip = 2\nx = a\nx = b\n\n[vnc]\nenabled = true\n"
        );
        assert_eq!(placed[0].line, 9);
        assert_eq!(placed[0].doc_line, 3);
    }
}
