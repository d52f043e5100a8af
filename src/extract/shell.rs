//! Shell lines as install guides show them: prompts (`$`, `#`,
//! `root@controller:~#`, `[root@compute1 ~]#`, `(Controller)#`,
//! `MariaDB [(none)]>`), words with shell quoting, the commands that are
//! steps, and the ones that edit config files (`crudini`, `openstack-config`,
//! `iniset`, editors, heredocs).

use super::scan;
use std::collections::HashMap;

/// Commands a line may start with to be a command rather than prose
/// (sorted: looked up by binary search).
const COMMANDS: &[&str] = &[
    ".",
    "a2ensite",
    "add-apt-repository",
    "apt",
    "apt-get",
    "cat",
    "cd",
    "chgrp",
    "chkconfig",
    "chmod",
    "chown",
    "chronyc",
    "cinder",
    "cinder-manage",
    "cp",
    "crudini",
    "curl",
    "date",
    "diff",
    "dnf",
    "dpkg",
    "echo",
    "egrep",
    "emacs",
    "export",
    "firewall-cmd",
    "gedit",
    "glance",
    "glance-manage",
    "grep",
    "hostnamectl",
    "inicomment",
    "inicomment_sudo",
    "iniset",
    "iniset_sudo",
    "install",
    "ip",
    "iptables",
    "journalctl",
    "keystone",
    "keystone-manage",
    "ln",
    "ls",
    "lsmod",
    "mariadb",
    "mkdir",
    "modprobe",
    "mv",
    "mysql",
    "mysql_secure_installation",
    "mysqladmin",
    "nano",
    "neutron",
    "neutron-db-manage",
    "nova",
    "nova-manage",
    "nova-status",
    "openstack",
    "openstack-config",
    "ping",
    "pip",
    "pip3",
    "placement-manage",
    "python",
    "python3",
    "rabbitmqctl",
    "reboot",
    "rm",
    "rpm",
    "scp",
    "sed",
    "semanage",
    "service",
    "setenforce",
    "setsebool",
    "source",
    "ssh",
    "su",
    "sudo",
    "systemctl",
    "tail",
    "tee",
    "timedatectl",
    "touch",
    "ufw",
    "uname",
    "usermod",
    "vi",
    "vim",
    "virsh",
    "wget",
    "yum",
    "zypper",
];

/// Is `word` (the first word of a line) a command?
pub(crate) fn is_command_word(word: &str) -> bool {
    let w = word.rsplit('/').next().unwrap_or(word);
    COMMANDS.binary_search(&w).is_ok()
        || (word.starts_with("./") && word.len() > 2)
        || w.ends_with(".sh") && word.len() > 3
        || w.starts_with("iniset")
}

/// A shell prompt in front of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Prompt {
    /// The host the prompt names (`controller`, `compute1`), if any.
    pub host: Option<String>,
    /// A SQL client prompt (`MariaDB [(none)]>`, `mysql>`).
    pub sql: bool,
    /// `#` alone: could be a comment, unless a command follows.
    pub bare_hash: bool,
}

fn host_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '.' || c == '_'
}

/// Splits a prompt off `line` (already trimmed on the left).
pub(crate) fn strip_prompt(line: &str) -> Option<(Prompt, &str)> {
    let plain = |host: Option<String>, sql: bool, bare: bool| Prompt {
        host,
        sql,
        bare_hash: bare,
    };
    for p in ["MariaDB [", "mysql> ", "MySQL [", "mariadb> "] {
        if line.starts_with(p) {
            let end = line.find("> ")?;
            return Some((plain(None, true, false), line[end + 2..].trim_start()));
        }
    }
    if let Some(rest) = line
        .strip_prefix("$ ")
        .or_else(|| (line == "$").then_some(""))
    {
        return Some((plain(None, false, false), rest.trim_start()));
    }
    if let Some(rest) = line.strip_prefix("# ").or_else(|| line.strip_prefix("#\t")) {
        return Some((plain(None, false, true), rest.trim_start()));
    }
    // user@host:path#  /  user@host:path$
    if let Some(at) = line.find('@') {
        let user = &line[..at];
        if !user.is_empty() && user.chars().all(host_char) {
            let rest = &line[at + 1..];
            let host_end = rest.find(|c: char| !host_char(c)).unwrap_or(rest.len());
            let host = &rest[..host_end];
            let after = &rest[host_end..];
            if !host.is_empty() {
                if let Some(i) = after.find(['#', '$']) {
                    let between = &after[..i];
                    if (between.is_empty() || between.starts_with(':') || between.starts_with(' '))
                        && !between.contains(' ')
                        || between.trim_start_matches(':').trim().starts_with('~')
                        || between.starts_with(":/")
                    {
                        let cmd = &after[i + 1..];
                        if cmd.is_empty() || cmd.starts_with(' ') {
                            return Some((
                                plain(Some(host.to_string()), false, false),
                                cmd.trim_start(),
                            ));
                        }
                    }
                }
            }
        }
    }
    // [user@host dir]#
    if let Some(inner) = line.strip_prefix('[') {
        if let Some(close) = inner.find(']') {
            let inside = &inner[..close];
            let after = &inner[close + 1..];
            if let Some((_, hostpart)) = inside.split_once('@') {
                let host: String = hostpart.chars().take_while(|&c| host_char(c)).collect();
                if let Some(cmd) = after.strip_prefix('#').or_else(|| after.strip_prefix('$')) {
                    if !host.is_empty() && (cmd.is_empty() || cmd.starts_with(' ')) {
                        return Some((plain(Some(host), false, false), cmd.trim_start()));
                    }
                }
            }
        }
    }
    // (Controller)#
    if let Some(inner) = line.strip_prefix('(') {
        if let Some(close) = inner.find(')') {
            let host = &inner[..close];
            let after = &inner[close + 1..];
            if let Some(cmd) = after.strip_prefix('#').or_else(|| after.strip_prefix('$')) {
                if !host.is_empty()
                    && host.chars().all(|c| host_char(c) || c == ' ')
                    && (cmd.is_empty() || cmd.starts_with(' '))
                {
                    return Some((
                        plain(Some(host.trim().to_string()), false, false),
                        cmd.trim_start(),
                    ));
                }
            }
        }
    }
    // host ~#  /  host:~#
    let host_end = line.find(|c: char| !host_char(c)).unwrap_or(line.len());
    if host_end > 0 {
        let host = &line[..host_end];
        let after = &line[host_end..];
        let after = after
            .strip_prefix(':')
            .unwrap_or(after)
            .trim_start_matches(' ');
        if let Some(rest) = after.strip_prefix('~') {
            let rest =
                rest.trim_start_matches(|c: char| c != '#' && c != '$' && !c.is_whitespace());
            if let Some(cmd) = rest.strip_prefix('#').or_else(|| rest.strip_prefix('$')) {
                if cmd.is_empty() || cmd.starts_with(' ') {
                    return Some((
                        plain(Some(host.to_string()), false, false),
                        cmd.trim_start(),
                    ));
                }
            }
        }
    }
    None
}

/// One shell word: its text after quoting and known variables, and where
/// it was in the command (byte range), for masking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Splits a command into words as the shell would, expanding `$NAME` and
/// `${NAME}` when `vars` knows them (they stay as written otherwise).
/// Operators (`;`, `&&`, `|`, `>`, `<<`) are words of their own.
pub(crate) fn words(cmd: &str, vars: &HashMap<String, String>) -> Vec<Word> {
    let b = cmd.as_bytes();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start: Option<usize> = None;
    let push = |out: &mut Vec<Word>, cur: &mut String, start: &mut Option<usize>, end: usize| {
        if let Some(s) = start.take() {
            out.push(Word {
                text: std::mem::take(cur),
                start: s,
                end,
            });
        }
    };
    // Bytes that end a run of plain characters (ASCII white space too).
    let special = |c: u8| {
        matches!(
            c,
            b';' | b'|' | b'&' | b'>' | b'<' | b'\'' | b'"' | b'\\' | b'$' | b' ' | b'\t'..=b'\r'
        ) || c >= 0x80
    };
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c >= 0x80 {
            let ch = cmd[i..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            if ch.is_whitespace() {
                push(&mut out, &mut cur, &mut start, i);
            } else {
                start.get_or_insert(i);
                cur.push(ch);
            }
            i += ch.len_utf8();
            continue;
        }
        match c {
            b' ' | b'\t'..=b'\r' => {
                push(&mut out, &mut cur, &mut start, i);
                i += 1;
            }
            b';' | b'|' | b'&' | b'>' | b'<' => {
                push(&mut out, &mut cur, &mut start, i);
                let mut end = i + 1;
                while let Some(&d) = b.get(end) {
                    let len = end - i;
                    if matches!(d, b'|' | b'&' | b'>' | b'<' | b'-')
                        && len < 3
                        && (d != b'-' || &b[i..end] == b"<<")
                    {
                        end += 1;
                    } else {
                        break;
                    }
                }
                out.push(Word {
                    text: cmd[i..end].to_string(),
                    start: i,
                    end,
                });
                i = end;
            }
            b'\'' => {
                start.get_or_insert(i);
                let close = memchr::memchr(b'\'', &b[i + 1..]).map_or(b.len(), |j| i + 1 + j);
                cur.push_str(&cmd[i + 1..close]);
                i = (close + 1).min(b.len());
            }
            b'"' => {
                start.get_or_insert(i);
                i += 1;
                while i < b.len() {
                    let run = b[i..]
                        .iter()
                        .position(|&d| matches!(d, b'"' | b'\\' | b'$'))
                        .map_or(b.len(), |j| i + j);
                    cur.push_str(&cmd[i..run]);
                    i = run;
                    match b.get(i) {
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\\') => match b.get(i + 1) {
                            Some(&e) if matches!(e, b'$' | b'`' | b'"' | b'\\') => {
                                cur.push(e as char);
                                i += 2;
                            }
                            _ => {
                                cur.push('\\');
                                i += 1;
                            }
                        },
                        Some(b'$') => i = expand(cmd, i + 1, &mut cur, vars),
                        _ => {}
                    }
                }
            }
            b'\\' => {
                start.get_or_insert(i);
                i += 1;
                if let Some(d) = cmd[i..].chars().next() {
                    if d != '\n' {
                        cur.push(d);
                    }
                    i += d.len_utf8();
                }
            }
            b'$' => {
                start.get_or_insert(i);
                i = expand(cmd, i + 1, &mut cur, vars);
            }
            _ => {
                start.get_or_insert(i);
                let run = b[i..]
                    .iter()
                    .position(|&d| special(d))
                    .map_or(b.len(), |j| i + j);
                cur.push_str(&cmd[i..run]);
                i = run;
            }
        }
    }
    push(&mut out, &mut cur, &mut start, cmd.len());
    out
}

/// `$NAME` or `${NAME}` from `at` (just after the `$`): the value `vars`
/// gives it, or the text as written. Returns where the reference ends.
fn expand(cmd: &str, at: usize, cur: &mut String, vars: &HashMap<String, String>) -> usize {
    let b = cmd.as_bytes();
    let mut i = at;
    let braced = b.get(i) == Some(&b'{');
    if braced {
        i += 1;
    }
    let name_start = i;
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    {
        i += 1;
    }
    let name = &cmd[name_start..i];
    let mut closed = false;
    if braced && b.get(i) == Some(&b'}') {
        i += 1;
        closed = true;
    }
    match vars.get(name) {
        Some(v) if !name.is_empty() => cur.push_str(v),
        _ => {
            cur.push('$');
            if braced {
                cur.push('{');
            }
            cur.push_str(name);
            if closed {
                cur.push('}');
            }
        }
    }
    i
}

/// The words of the first simple command: `sudo`, `sudo -u nova`, `time`
/// and leading `VAR=value` assignments dropped.
pub(crate) fn command_words(words: &[Word]) -> &[Word] {
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let t = w.text.as_str();
        if t == "sudo" {
            i += 1;
            while let Some(opt) = words.get(i).filter(|w| w.text.starts_with('-')) {
                i += 1;
                if matches!(opt.text.as_str(), "-u" | "-g") {
                    i += 1;
                }
            }
        } else if t == "time"
            || t == "exec"
            || t == "env"
            || (is_assignment(t) && words.get(i + 1).is_some())
        {
            i += 1;
        } else {
            break;
        }
    }
    let rest = words.get(i..).unwrap_or(&[]);
    let end = rest
        .iter()
        .position(|w| matches!(w.text.as_str(), ";" | "&&" | "||" | "|" | "&"))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// `NAME=value`.
pub(crate) fn is_assignment(w: &str) -> bool {
    w.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// What a step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StepKind {
    Sql,
    Identity,
    Package,
    Service,
    Sync,
    Verify,
    Config,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Sql => "sql",
            StepKind::Identity => "identity",
            StepKind::Package => "package",
            StepKind::Service => "service",
            StepKind::Sync => "sync",
            StepKind::Verify => "verify",
            StepKind::Config => "config",
        }
    }
}

const SQL_WORDS: &[&str] = &[
    "create database",
    "create user",
    "grant ",
    "flush privileges",
    "drop database",
    "alter user",
    "set password",
    "drop user",
    "show databases",
    "use ",
];

/// A SQL statement typed at a client prompt, or in a block without one.
pub(crate) fn is_sql(line: &str) -> bool {
    let start = line.trim_start();
    SQL_WORDS.iter().any(|w| scan::starts_with_ci(start, w))
        && (line.trim_end().ends_with(';')
            || line.trim_end().ends_with('\\')
            || scan::contains_ci(start, "identified by")
            || line
                .split_whitespace()
                .take(2)
                .all(|w| w.chars().all(|c| !c.is_ascii_lowercase())))
}

const VERIFY_OBJECTS: &[&str] = &[
    "catalog",
    "hypervisor",
    "extension",
    "image",
    "server",
    "flavor",
    "network",
    "token",
    "host",
    "availability",
    "compute",
    "resource",
    "usage",
    "limits",
    "versions",
];

/// The kind of step a command is, if it is one.
pub(crate) fn classify(words: &[Word], raw: &str) -> Option<StepKind> {
    let cmd = command_words(words);
    let first = cmd.first()?.text.as_str();
    let base = first.rsplit('/').next().unwrap_or(first);
    let arg = |i: usize| cmd.get(i).map(|w| w.text.as_str()).unwrap_or("");
    let has = |s: &str| cmd.iter().any(|w| w.text == s);
    if is_sql(raw) {
        return Some(StepKind::Sql);
    }
    Some(match base {
        "mysql" | "mariadb" | "mysqladmin" => StepKind::Sql,
        "apt" | "apt-get" | "yum" | "dnf" | "zypper" | "pip" | "pip3"
            if cmd.iter().skip(1).any(|w| {
                matches!(
                    w.text.as_str(),
                    "install"
                        | "in"
                        | "update"
                        | "upgrade"
                        | "dist-upgrade"
                        | "full-upgrade"
                        | "remove"
                        | "purge"
                        | "refresh"
                )
            }) =>
        {
            StepKind::Package
        }
        "add-apt-repository" => StepKind::Package,
        "service" => {
            if arg(2) == "status" {
                StepKind::Verify
            } else {
                StepKind::Service
            }
        }
        "systemctl" => match cmd
            .iter()
            .skip(1)
            .find(|w| !w.text.starts_with('-'))
            .map(|w| w.text.as_str())
        {
            Some("status" | "is-active" | "is-enabled") => StepKind::Verify,
            Some(
                "enable" | "start" | "restart" | "stop" | "reload" | "disable" | "daemon-reload"
                | "mask",
            ) => StepKind::Service,
            _ => return None,
        },
        "chkconfig" => StepKind::Service,
        "su" => {
            let inner = cmd
                .iter()
                .position(|w| w.text == "-c")
                .and_then(|i| cmd.get(i + 1))
                .map(|w| w.text.as_str())
                .unwrap_or("");
            if inner.contains("-manage") {
                StepKind::Sync
            } else {
                return None;
            }
        }
        b if b.ends_with("-manage") => StepKind::Sync,
        "nova-status" => StepKind::Verify,
        "keystone" => {
            if arg(1).ends_with("-list") || arg(1).ends_with("-get") || arg(1) == "catalog" {
                StepKind::Verify
            } else {
                StepKind::Identity
            }
        }
        "openstack" => {
            let rest: Vec<&str> = cmd[1..]
                .iter()
                .map(|w| w.text.as_str())
                .filter(|w| !w.starts_with('-'))
                .collect();
            let object = rest.first().copied().unwrap_or("");
            let listing = rest.iter().any(|w| matches!(*w, "list" | "show" | "issue"));
            if matches!(
                object,
                "user"
                    | "role"
                    | "service"
                    | "endpoint"
                    | "project"
                    | "domain"
                    | "group"
                    | "region"
            ) && !listing
            {
                StepKind::Identity
            } else if listing || VERIFY_OBJECTS.contains(&object) {
                StepKind::Verify
            } else {
                return None;
            }
        }
        "nova" | "glance" | "neutron" | "cinder"
            if (arg(1).ends_with("-list") || arg(1).ends_with("-show") || arg(1) == "list") =>
        {
            StepKind::Verify
        }
        "source" | "."
            if (arg(1).contains("openrc") || arg(1).contains("-rc") || arg(1).ends_with("rc")) =>
        {
            StepKind::Identity
        }
        "egrep" | "grep" if raw.contains("vmx") => StepKind::Verify,
        "vi" | "vim" | "nano" | "emacs" | "gedit" | "crudini" | "openstack-config" => {
            StepKind::Config
        }
        b if b.starts_with("iniset") || b.starts_with("inicomment") || b.ends_with("conf.sh") => {
            StepKind::Config
        }
        "cat" | "tee"
            if (has("<<") || has("<<-") || has(">") || has(">>"))
                && config_path(&file_target(cmd).unwrap_or_default()).is_some() =>
        {
            StepKind::Config
        }
        _ => return None,
    })
}

/// Where `cat > FILE`, `cat >> FILE` or `tee [-a] FILE` writes.
fn file_target(cmd: &[Word]) -> Option<String> {
    let mut it = cmd.iter().peekable();
    while let Some(w) = it.next() {
        if w.text == ">" || w.text == ">>" {
            return it.next().map(|w| w.text.clone());
        }
        if w.text == "tee" {
            return it
                .find(|w| !w.text.starts_with('-'))
                .map(|w| w.text.clone());
        }
    }
    None
}

/// A heredoc that writes a file: `cat > FILE <<EOF`, `cat <<'EOF' >> FILE`,
/// `cat <<EOF | sudo tee FILE`. Returns (file, delimiter, append).
pub(crate) fn heredoc(words: &[Word]) -> Option<(String, String, bool)> {
    let op = words
        .iter()
        .position(|w| w.text == "<<" || w.text == "<<-")?;
    let delimiter = words.get(op + 1)?.text.clone();
    if delimiter.is_empty() {
        return None;
    }
    let mut append = false;
    let mut file = None;
    let mut it = words.iter().enumerate();
    while let Some((i, w)) = it.next() {
        if i == op || i == op + 1 {
            continue;
        }
        if w.text == ">" || w.text == ">>" {
            append = w.text == ">>";
            file = words.get(i + 1).map(|w| w.text.clone());
            it.next();
        } else if w.text == "tee" {
            let mut j = i + 1;
            while let Some(arg) = words.get(j) {
                if arg.text == "-a" || arg.text == "--append" {
                    append = true;
                } else if !arg.text.starts_with('-') {
                    file = Some(arg.text.clone());
                    break;
                }
                j += 1;
            }
        }
    }
    Some((file?, delimiter, append))
}

/// A command that sets or deletes an option in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ConfigEdit {
    /// `value` is the word index in the command, for masking.
    Set {
        file: String,
        section: String,
        key: String,
        value: String,
        value_word: Option<usize>,
    },
    Del {
        file: String,
        section: String,
        key: Option<String>,
    },
    /// An editor opened on a file.
    Edit { file: String },
}

/// `crudini --set F S K V`, `openstack-config --set F S K V`,
/// `iniset[_sudo] F S K V`, `./conf.sh F S K V`, `vi F`…
pub(crate) fn config_edit(all: &[Word]) -> Option<ConfigEdit> {
    let cmd = command_words(all);
    let first = cmd.first()?.text.as_str();
    let base = first.rsplit('/').next().unwrap_or(first);
    let start = index_of(all, cmd);
    let positional: Vec<(usize, &Word)> = cmd
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, w)| !w.text.starts_with("--") && !matches!(w.text.as_str(), ">" | ">>" | "<"))
        .map(|(i, w)| (start + i, w))
        .collect();
    let text = |i: usize| positional.get(i).map(|(_, w)| w.text.clone());
    match base {
        "crudini" | "openstack-config" => {
            let del = cmd.iter().any(|w| w.text == "--del");
            let set = cmd.iter().any(|w| w.text == "--set");
            if del {
                return Some(ConfigEdit::Del {
                    file: text(0)?,
                    section: text(1)?,
                    key: text(2),
                });
            }
            if !set {
                return None;
            }
            let value = positional.get(3..).unwrap_or(&[]);
            Some(ConfigEdit::Set {
                file: text(0)?,
                section: text(1)?,
                key: text(2)?,
                value: value
                    .iter()
                    .map(|(_, w)| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                value_word: value.first().map(|(i, _)| *i),
            })
        }
        b if b.starts_with("iniset") || b.ends_with("conf.sh") => {
            let value = positional.get(3..).unwrap_or(&[]);
            Some(ConfigEdit::Set {
                file: text(0)?,
                section: text(1)?,
                key: text(2)?,
                value: value
                    .iter()
                    .map(|(_, w)| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                value_word: value.first().map(|(i, _)| *i),
            })
        }
        b if b.starts_with("inicomment") => Some(ConfigEdit::Del {
            file: text(0)?,
            section: text(1)?,
            key: text(2),
        }),
        "vi" | "vim" | "nano" | "emacs" | "gedit" => Some(ConfigEdit::Edit {
            file: positional
                .iter()
                .map(|(_, w)| w.text.clone())
                .find(|f| config_path(f).is_some())?,
        }),
        _ => None,
    }
}

fn index_of(all: &[Word], sub: &[Word]) -> usize {
    if sub.is_empty() {
        return 0;
    }
    let base = all.as_ptr() as usize;
    let at = sub.as_ptr() as usize;
    (at.saturating_sub(base)) / std::mem::size_of::<Word>().max(1)
}

/// Config files a guide may name: `/etc/…/x.conf|.ini|.cfg|.cnf`, or a bare
/// well-known name (`nova.conf`, `nova-compute.conf`, `glance-api.conf`…),
/// placed where the packages put it. Returns the full path.
pub(crate) fn config_path(word: &str) -> Option<String> {
    const PUNCT: &[char] = &[
        '`', '*', '"', '\'', ',', '(', ')', '[', ']', '<', '>', '」', '「', '“', '”', '：', '、',
        '。', ':', ';', '.', '!', '?', '，',
    ];
    let w = word
        .trim_start_matches(|c| PUNCT.contains(&c) && c != '.')
        .trim_end_matches(PUNCT);
    let w = w.strip_suffix("에").unwrap_or(w);
    let name = w.rsplit('/').next().unwrap_or(w);
    let ext_ok = [".conf", ".ini", ".cfg", ".cnf", ".repo"]
        .iter()
        .any(|e| name.ends_with(e) && name.len() > e.len());
    if !ext_ok
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return None;
    }
    if w.starts_with("/etc/") {
        if w.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        {
            return Some(w.to_string());
        }
        return None;
    }
    if w.contains('/') {
        return None;
    }
    let dir = match name {
        "api-paste.ini" => "nova",
        "ml2_conf.ini" | "linuxbridge_agent.ini" | "openvswitch_agent.ini" => "neutron/plugins/ml2",
        n if n.ends_with("_agent.ini") => "neutron",
        n => {
            let stem = n.split(['-', '_', '.']).next().unwrap_or("");
            match stem {
                "nova" | "glance" | "keystone" | "placement" | "neutron" | "cinder" | "heat"
                | "swift" | "horizon" | "barbican" | "octavia" | "manila" | "ironic" => stem,
                _ => return None,
            }
        }
    };
    Some(format!("/etc/{dir}/{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        words(
            s,
            &HashMap::from([("conf".to_string(), "/etc/nova/nova.conf".to_string())]),
        )
        .into_iter()
        .map(|w| w.text)
        .collect()
    }

    /// `words` as first written, one character at a time: the reference
    /// the faster one is held to.
    fn words_reference(cmd: &str, vars: &HashMap<String, String>) -> Vec<Word> {
        let mut out = Vec::new();
        let mut cur = String::new();
        let mut start: Option<usize> = None;
        let mut chars = cmd.char_indices().peekable();
        let push =
            |out: &mut Vec<Word>, cur: &mut String, start: &mut Option<usize>, end: usize| {
                if let Some(s) = start.take() {
                    out.push(Word {
                        text: std::mem::take(cur),
                        start: s,
                        end,
                    });
                }
            };
        while let Some((i, c)) = chars.next() {
            match c {
                c if c.is_whitespace() => push(&mut out, &mut cur, &mut start, i),
                ';' | '|' | '&' | '>' | '<' => {
                    push(&mut out, &mut cur, &mut start, i);
                    let mut op = c.to_string();
                    let mut end = i + 1;
                    while let Some(&(j, d)) = chars.peek() {
                        if matches!(d, '|' | '&' | '>' | '<' | '-')
                            && op.len() < 3
                            && (d != '-' || op == "<<")
                        {
                            op.push(d);
                            end = j + 1;
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    out.push(Word {
                        text: op,
                        start: i,
                        end,
                    });
                }
                '\'' => {
                    start.get_or_insert(i);
                    for (_, d) in chars.by_ref() {
                        if d == '\'' {
                            break;
                        }
                        cur.push(d);
                    }
                }
                '"' => {
                    start.get_or_insert(i);
                    while let Some((_, d)) = chars.next() {
                        match d {
                            '"' => break,
                            '\\' => match chars.peek() {
                                Some(&(_, e)) if matches!(e, '$' | '`' | '"' | '\\') => {
                                    cur.push(e);
                                    chars.next();
                                }
                                _ => cur.push('\\'),
                            },
                            '$' => expand_reference(&mut chars, &mut cur, vars),
                            d => cur.push(d),
                        }
                    }
                }
                '\\' => {
                    start.get_or_insert(i);
                    if let Some((_, d)) = chars.next() {
                        if d != '\n' {
                            cur.push(d);
                        }
                    }
                }
                '$' => {
                    start.get_or_insert(i);
                    expand_reference(&mut chars, &mut cur, vars);
                }
                c => {
                    start.get_or_insert(i);
                    cur.push(c);
                }
            }
        }
        push(&mut out, &mut cur, &mut start, cmd.len());
        out
    }

    fn expand_reference(
        chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
        cur: &mut String,
        vars: &HashMap<String, String>,
    ) {
        let braced = chars.peek().is_some_and(|&(_, c)| c == '{');
        if braced {
            chars.next();
        }
        let mut name = String::new();
        while let Some(&(_, c)) = chars.peek() {
            if c.is_ascii_alphanumeric() || c == '_' {
                name.push(c);
                chars.next();
            } else {
                break;
            }
        }
        let mut closed = false;
        if braced && chars.peek().is_some_and(|&(_, c)| c == '}') {
            chars.next();
            closed = true;
        }
        match vars.get(&name) {
            Some(v) if !name.is_empty() => cur.push_str(v),
            _ => {
                cur.push('$');
                if braced {
                    cur.push('{');
                }
                cur.push_str(&name);
                if closed {
                    cur.push('}');
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn words_as_the_reference_reads_them(
            cmd in "[a-z $={}'\"\\\\;|&<>\\-\t\n\u{a0}\u{3000}é计_.]{0,40}"
        ) {
            let vars = HashMap::from([("conf".to_string(), "/etc/nova/nova.conf".to_string()), ("a".to_string(), "x y".to_string())]);
            proptest::prop_assert_eq!(words(&cmd, &vars), words_reference(&cmd, &vars));
        }
    }

    #[test]
    fn commands_are_sorted() {
        assert!(COMMANDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_command_word("openstack") && is_command_word("/usr/bin/crudini"));
        assert!(!is_command_word("Edit"));
    }

    #[test]
    fn prompts() {
        let host = |l: &str| strip_prompt(l).map(|(p, rest)| (p.host, rest.to_string()));
        assert_eq!(
            host("root@controller:~# ls"),
            Some((Some("controller".into()), "ls".into()))
        );
        assert_eq!(
            host("[root@compute1 ~]# yum install x"),
            Some((Some("compute1".into()), "yum install x".into()))
        );
        assert_eq!(
            host("openstack-controller-node01 ~# ls"),
            Some((Some("openstack-controller-node01".into()), "ls".into()))
        );
        assert_eq!(
            host("(Controller)# service x restart"),
            Some((Some("Controller".into()), "service x restart".into()))
        );
        assert_eq!(
            host("$ openstack user list"),
            Some((None, "openstack user list".into()))
        );
        assert_eq!(
            host("MariaDB [(none)]> CREATE DATABASE nova;"),
            Some((None, "CREATE DATABASE nova;".into()))
        );
        assert_eq!(host("my_ip = 10.0.0.1"), None);
        assert_eq!(host("rabbit://a:b@c/"), None);
    }

    #[test]
    fn words_and_edits() {
        assert_eq!(
            w("crudini --set $conf DEFAULT my_ip '$my_ip'"),
            [
                "crudini",
                "--set",
                "/etc/nova/nova.conf",
                "DEFAULT",
                "my_ip",
                "$my_ip"
            ]
        );
        assert_eq!(w("a \"\\$my_ip\" b\\ c"), ["a", "$my_ip", "b c"]);
        assert_eq!(
            w("cat <<EOF >/etc/x.conf"),
            ["cat", "<<", "EOF", ">", "/etc/x.conf"]
        );
        let words_of = |s: &str| words(s, &HashMap::new());
        assert_eq!(
            config_edit(&words_of(
                "sudo openstack-config --set /etc/nova/nova.conf database connection mysql://n:p@c/n"
            )),
            Some(ConfigEdit::Set {
                file: "/etc/nova/nova.conf".into(),
                section: "database".into(),
                key: "connection".into(),
                value: "mysql://n:p@c/n".into(),
                value_word: Some(6),
            })
        );
        assert_eq!(
            heredoc(&words_of("cat << 'EOF' | sudo tee -a /etc/nova/nova.conf")),
            Some(("/etc/nova/nova.conf".into(), "EOF".into(), true))
        );
        assert_eq!(
            heredoc(&words_of("cat > /etc/nova/nova.conf <<EOF")),
            Some(("/etc/nova/nova.conf".into(), "EOF".into(), false))
        );
        assert_eq!(
            config_path("``/etc/nova/nova.conf``"),
            Some("/etc/nova/nova.conf".into())
        );
        assert_eq!(
            config_path("nova-compute.conf"),
            Some("/etc/nova/nova-compute.conf".into())
        );
        assert_eq!(config_path("/var/log/nova/nova.log"), None);
        assert_eq!(
            config_path("glance-api.conf"),
            Some("/etc/glance/glance-api.conf".into())
        );
    }

    #[test]
    fn kinds() {
        let k = |s: &str| classify(&words(s, &HashMap::new()), s);
        assert_eq!(
            k("su -s /bin/sh -c \"nova-manage api_db sync\" nova"),
            Some(StepKind::Sync)
        );
        assert_eq!(
            k("openstack endpoint create --region RegionOne compute public http://c:8774/v2.1"),
            Some(StepKind::Identity)
        );
        assert_eq!(k("openstack compute service list"), Some(StepKind::Verify));
        assert_eq!(
            k("sudo apt install -y nova-compute"),
            Some(StepKind::Package)
        );
        assert_eq!(
            k("systemctl enable --now libvirtd"),
            Some(StepKind::Service)
        );
        assert_eq!(
            k("GRANT ALL PRIVILEGES ON nova.* TO 'nova'@'%' IDENTIFIED BY 'x';"),
            Some(StepKind::Sql)
        );
        assert_eq!(k("mysql -u root -p"), Some(StepKind::Sql));
        assert_eq!(k("vi /etc/nova/nova.conf"), Some(StepKind::Config));
        assert_eq!(k(". admin-openrc"), Some(StepKind::Identity));
        assert_eq!(k("rm -f /var/lib/nova/nova.sqlite"), None);
    }
}
