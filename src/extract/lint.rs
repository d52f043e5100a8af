//! The guide's own mistakes: each a finding with a stable `G` code, a
//! name, a severity, a summary and why (the same four parts as `check`'s
//! findings, so `stackhop explain G101` works), and the guide line.

use crate::check::{Kind, Severity};
use std::collections::{HashMap, HashSet};

macro_rules! kinds {
    ($($id:ident = $code:literal $name:literal $sev:ident: $summary:literal, $why:literal;)*) => {
        $(pub const $id: Kind = Kind {
            code: $code, name: $name, severity: Severity::$sev, summary: $summary, why: $why,
        };)*
        /// Every kind of guide finding, by code.
        pub const KINDS: &[Kind] = &[$($id),*];
    };
}

kinds! {
    SQL_PASSWORD = "G101" "grant-password-mismatch" Error:
        "A database password granted in SQL differs from the one in the connection string for the same user and database.",
        "Whoever follows the guide creates the account with one password and configures the service with another: the service cannot reach its database.";
    HOST_PASSWORD = "G102" "grant-host-mismatch" Warning:
        "The `localhost` and `%` grants of one user and database give different passwords.",
        "The user then has two passwords depending on where it connects from; one of them is almost certainly a typo.";
    PLACEHOLDER_TYPO = "G201" "placeholder-typo" Warning:
        "Two placeholders that differ by a typo (`GLACE_DBPASS` and `GLANCE_DBPASS`).",
        "Someone replacing the placeholders replaces one spelling and leaves the other, or uses two passwords where one was meant.";
    PLACEHOLDER_UNDEFINED = "G202" "placeholder-undefined" Warning:
        "A placeholder used in a config value that the guide never introduces.",
        "Nothing tells the reader what to replace it with (no 'Replace X with…', no account created with it).";
    MISSING_VERB = "G301" "command-missing-verb" Error:
        "An `openstack` command with no verb (`openstack endpoint --region RegionOne …` without `create`).",
        "The client refuses the command, and the step it stands for is not done.";
    MISSPELLED_FLAG = "G302" "misspelled-flag" Error:
        "A command-line flag that is a misspelling of a known one (`--os-auth-rul`).",
        "The client refuses the unknown flag, or worse, ignores it.";
    UNKNOWN_OPTION = "G303" "unknown-option" Error:
        "A config option the guide's release does not have (from `check`, with what was probably meant).",
        "nova ignores options it does not know: the setting silently has no effect.";
    INVALID_VALUE = "G304" "invalid-value" Error:
        "A config value nova cannot read for the guide's release (from `check`).",
        "nova fails when it reads the option, usually at service start.";
    INLINE_NOTE = "G401" "inline-note" Warning:
        "A note written after a value on the same line (`my_ip = 10.0.0.11  # management IP`, `// note`, `← note`).",
        "oslo.config has no inline comments: nova reads the note as part of the value. The extracted config keeps the value meant and the note as a comment above it.";
    ALTERNATIVES = "G402" "alternatives-in-value" Warning:
        "Two alternatives given as one value (`kvm, or qemu without hardware acceleration`).",
        "nova reads the whole sentence as the value. The extracted config keeps the first alternative and the rest as a comment.";
    URL_PASSWORD = "G403" "url-password-encoding" Error:
        "An unencoded `@`, `/`, `?` or `#` in the user or password of a URL.",
        "The URL is split in the wrong place: the host, user or password nova uses are wrong. Percent-encode them (`@` is %40).";
    INDENTED = "G404" "indented-assignment" Error:
        "An indented `key = value` in a config block.",
        "A line starting with white space continues the value above it: copied as shown, the option is not set and the value above changes. The extracted config un-indents it.";
    SECTION_NOTE = "G405" "section-header-note" Error:
        "A note after a section header on the same line (`[database]   # the database`).",
        "oslo.config requires a header line to end with `]`: nova refuses the file and the service does not start. The extracted config keeps the header alone.";
    NO_FILE = "G501" "config-without-file" Info:
        "A config block whose file the guide does not name.",
        "The reader has to guess where it goes; stackhop leaves it out.";
    PATH_TYPO = "G502" "config-path-typo" Warning:
        "A config file path that looks like a typo of a known one (`/etc/nova.nova.conf` for `/etc/nova/nova.conf`).",
        "The settings go to a file no service reads, and the file meant keeps its old values. stackhop extracts them under the path as written and names the path probably meant.";
}

/// A finding about a guide. The message never holds a secret: values go in
/// `values`, and the view puts them in place of `{0}`, `{1}`… masked as
/// every output masks them.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub kind: &'static Kind,
    /// 1-based line in the guide.
    pub line: usize,
    pub message: String,
    /// `(value, secret)` for each `{n}` in the message.
    pub values: Vec<(String, bool)>,
    /// The guide it is about.
    pub guide: String,
}

impl Finding {
    pub(crate) fn new(kind: &'static Kind, line: u32, message: impl Into<String>) -> Finding {
        Finding {
            kind,
            line: line as usize,
            message: message.into(),
            values: Vec::new(),
            guide: String::new(),
        }
    }

    pub(crate) fn value(mut self, value: &str, secret: bool) -> Finding {
        self.values.push((value.to_string(), secret));
        self
    }

    /// The message with its values put in, each through `show`.
    pub fn render(&self, show: impl Fn(&str, bool) -> String) -> String {
        // One pass, so that a value holding `{1}` is not itself replaced.
        let mut out = String::with_capacity(self.message.len());
        let mut rest = self.message.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let value = after.find('}').and_then(|close| {
                let n: usize = after[..close].parse().ok()?;
                self.values
                    .get(n)
                    .map(|(v, secret)| (show(v, *secret), close))
            });
            match value {
                Some((shown, close)) => {
                    out.push_str(&shown);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The kind of guide finding with this code or name.
pub fn kind_by_code(code: &str) -> Option<&'static Kind> {
    KINDS
        .iter()
        .find(|k| k.code.eq_ignore_ascii_case(code) || k.name == code)
}

/// A grant or user creation with a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Grant {
    /// `None` for `CREATE USER`.
    pub database: Option<String>,
    pub user: String,
    pub host: String,
    pub password: String,
    pub line: u32,
}

fn unquote(s: &str) -> &str {
    s.trim().trim_matches(|c| c == '\'' || c == '"' || c == '`')
}

/// `GRANT … ON db.* TO 'u'@'h' IDENTIFIED BY 'p'` and
/// `CREATE USER 'u'@'h' IDENTIFIED BY 'p'`, in one SQL statement.
pub(crate) fn parse_grant(sql: &str, line: u32) -> Option<Grant> {
    let ident = super::scan::find_ci(sql.as_bytes(), b"identified by")?;
    let lower = sql.to_ascii_lowercase();
    let password = sql.get(ident + "identified by".len()..)?.trim_start();
    let password = match password.chars().next()? {
        q @ ('\'' | '"') => password[1..].split(q).next()?.to_string(),
        _ => password
            .split(|c: char| c.is_whitespace() || c == ';')
            .next()?
            .to_string(),
    };
    let (database, account) = if let Some(on) = lower.find(" on ") {
        let to = lower.find(" to ")?;
        let db = sql.get(on + 4..to)?.trim();
        let db = unquote(db.split('.').next()?).to_string();
        (Some(db), sql.get(to + 4..ident)?)
    } else {
        let user = lower.find("create user")?;
        (None, sql.get(user + "create user".len()..ident)?)
    };
    let account = account.trim().trim_start_matches("if not exists").trim();
    let (user, host) = match account.split_once('@') {
        Some((u, h)) => (unquote(u), unquote(h)),
        None => (unquote(account), "%"),
    };
    Some(Grant {
        database,
        user: user.to_string(),
        host: host.to_string(),
        password,
        line,
    })
}

/// `mysql+pymysql://user:password@host/db?…` → (user, password, db, host).
pub(crate) fn parse_connection(url: &str) -> Option<(String, String, String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    if !(scheme.contains("mysql") || scheme.contains("maria") || scheme.contains("postgres")) {
        return None;
    }
    let at = rest.rfind('@')?;
    let (cred, hostpart) = (&rest[..at], &rest[at + 1..]);
    let (user, password) = cred.split_once(':')?;
    let db = hostpart.split_once('/')?.1;
    let db = db.split(['?', '#']).next()?;
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let host = hostpart.split(['/', ':']).next().unwrap_or("");
    Some((
        decode(user),
        decode(password),
        db.to_string(),
        host.to_string(),
    ))
}

/// The kinds found by comparing what several places of an installation
/// say (grants and connections, placeholders, the nova configs against the
/// release): run over all its guides at once.
pub fn compares_guides(kind: &Kind) -> bool {
    matches!(
        kind.code,
        "G101" | "G102" | "G201" | "G202" | "G303" | "G304"
    )
}

/// A place in an installation's guides: the guide (its index in the
/// installation) and the line.
pub(crate) type At = (usize, u32);

/// `line N`, and `of GUIDE` when that is not the guide of the finding.
fn place(at: At, here: usize, guides: &[String]) -> String {
    if at.0 == here {
        format!("line {}", at.1)
    } else {
        format!(
            "line {} of {}",
            at.1,
            guides.get(at.0).map_or("another guide", String::as_str)
        )
    }
}

/// A finding at `at`, about guide `guides[at.0]`.
fn found(kind: &'static Kind, at: At, message: String, guides: &[String]) -> Finding {
    Finding {
        guide: guides.get(at.0).cloned().unwrap_or_default(),
        ..Finding::new(kind, at.1, message)
    }
}

/// A connection string of a config: who connects to which database.
#[derive(Debug, Clone)]
pub(crate) struct Connection {
    pub user: String,
    pub password: String,
    pub db: String,
    pub host: String,
    pub at: At,
    /// `[database] connection`.
    pub option: String,
}

/// Findings for passwords that do not agree between grants and connection
/// strings, in any of the installation's `guides`.
pub(crate) fn passwords(
    grants: &[(usize, &Grant)],
    connections: &[Connection],
    guides: &[String],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let at = |(guide, g): &(usize, &Grant)| (*guide, g.line);
    // (database, user) → its grants, each with its guide.
    type Account<'g> = (Option<&'g str>, &'g str);
    let mut by_account: HashMap<Account, Vec<(usize, &Grant)>> = HashMap::new();
    for &(guide, g) in grants {
        by_account
            .entry((g.database.as_deref(), &g.user))
            .or_default()
            .push((guide, g));
    }
    let mut accounts: Vec<_> = by_account.iter().collect();
    accounts.sort_by_key(|(_, gs)| at(&gs[0]));
    for ((db, user), gs) in accounts {
        let first = &gs[0];
        if let Some(other) = gs.iter().find(|g| g.1.password != first.1.password) {
            let on = db.map_or(String::new(), |d| format!(" on {d}"));
            out.push(
                found(
                    &HOST_PASSWORD,
                    at(other),
                    format!(
                        "'{user}'@'{}'{on} is given password {{0}} here but {{1}} for '{user}'@'{}' on {}",
                        other.1.host,
                        first.1.host,
                        place(at(first), other.0, guides)
                    ),
                    guides,
                )
                .value(&other.1.password, true)
                .value(&first.1.password, true),
            );
        }
    }
    for c in connections {
        let matching: Vec<&(usize, &Grant)> = grants
            .iter()
            .filter(|(_, g)| g.user == c.user && g.database.as_deref().is_none_or(|d| d == c.db))
            .collect();
        // The grant MySQL would match: one for the host itself, `localhost`
        // for a local connection, `%` otherwise.
        let local = matches!(c.host.as_str(), "localhost" | "127.0.0.1" | "::1");
        let grant = matching
            .iter()
            .find(|(_, g)| g.host == c.host)
            .or_else(|| {
                matching.iter().find(|(_, g)| {
                    if local {
                        g.host == "localhost"
                    } else {
                        g.host == "%"
                    }
                })
            })
            .or_else(|| matching.first());
        let Some(&&(guide, g)) = grant else {
            continue;
        };
        if g.password == c.password {
            continue;
        }
        out.push(
            found(
                &SQL_PASSWORD,
                c.at,
                format!(
                    "{} connects to {} as {} with password {{0}}, but the grant on {} gives '{}'@'{}' the password {{1}}",
                    c.option,
                    c.db,
                    c.user,
                    place((guide, g.line), c.at.0, guides),
                    c.user,
                    g.host
                ),
                guides,
            )
            .value(&c.password, true)
            .value(&g.password, true),
        );
    }
    out
}

/// Placeholders that differ by a typo, and placeholders used in config but
/// never introduced, across the installation's `guides`. `seen` holds every
/// placeholder with its count and first place; `used` those in config
/// values; `introduced` those a guide explains or creates something with.
pub(crate) fn placeholders(
    seen: &HashMap<String, (usize, At)>,
    used: &[(String, At)],
    introduced: &HashSet<String>,
    guides: &[String],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut names: Vec<(&String, &(usize, At))> = seen.iter().collect();
    names.sort_by(|a, b| a.1.1.cmp(&b.1.1).then(a.0.cmp(b.0)));
    let mut typos: HashSet<&str> = HashSet::new();
    if names.len() <= 2000 {
        for (i, (a, (ca, la))) in names.iter().enumerate() {
            for (b, (cb, lb)) in names.iter().skip(i + 1) {
                if a.len().abs_diff(b.len()) > 2 || a.len() < 6 {
                    continue;
                }
                let d = strsim::damerau_levenshtein(a, b);
                if d != 1 {
                    continue;
                }
                // The rarer spelling is the typo; on a tie, the later one.
                let (typo, right, at) = if ca > cb || (ca == cb && la <= lb) {
                    (b, a, *lb)
                } else {
                    (a, b, *la)
                };
                if typos.insert(typo.as_str()) {
                    let elsewhere = if guides.len() > 1 {
                        "elsewhere in the guides"
                    } else {
                        "elsewhere in the guide"
                    };
                    out.push(found(
                        &PLACEHOLDER_TYPO,
                        at,
                        format!(
                            "placeholder {typo} looks like a typo of {right}, used {elsewhere}"
                        ),
                        guides,
                    ));
                }
            }
        }
    }
    let mut reported = HashSet::new();
    for (name, at) in used {
        if introduced.contains(name) || typos.contains(name.as_str()) || !reported.insert(name) {
            continue;
        }
        let never = if guides.len() > 1 {
            "none of the guides says"
        } else {
            "the guide never says"
        };
        out.push(found(
            &PLACEHOLDER_UNDEFINED,
            *at,
            format!("placeholder {name} is used here but {never} what to replace it with"),
            guides,
        ));
    }
    out
}

/// Config files the services and the install guides' other steps read.
const KNOWN_PATHS: &[&str] = &[
    "/etc/nova/nova.conf",
    "/etc/nova/nova-compute.conf",
    "/etc/nova/api-paste.ini",
    "/etc/nova/rootwrap.conf",
    "/etc/placement/placement.conf",
    "/etc/glance/glance-api.conf",
    "/etc/glance/glance-registry.conf",
    "/etc/keystone/keystone.conf",
    "/etc/neutron/neutron.conf",
    "/etc/neutron/plugins/ml2/ml2_conf.ini",
    "/etc/neutron/plugins/ml2/linuxbridge_agent.ini",
    "/etc/neutron/plugins/ml2/openvswitch_agent.ini",
    "/etc/neutron/l3_agent.ini",
    "/etc/neutron/dhcp_agent.ini",
    "/etc/neutron/metadata_agent.ini",
    "/etc/cinder/cinder.conf",
    "/etc/heat/heat.conf",
    "/etc/swift/proxy-server.conf",
    "/etc/mysql/mariadb.conf.d/99-openstack.cnf",
    "/etc/mysql/my.cnf",
    "/etc/my.cnf.d/openstack.cnf",
    "/etc/my.cnf",
    "/etc/chrony/chrony.conf",
    "/etc/chrony.conf",
    "/etc/memcached.conf",
    "/etc/libvirt/libvirtd.conf",
    "/etc/libvirt/qemu.conf",
    "/etc/sysctl.conf",
];

/// The path `path` was probably meant to be, when it looks like a typo:
/// one or two characters away from a well-known config path, or from a
/// path the guide uses more often (`more_used`).
pub(crate) fn path_typo<'a>(path: &str, more_used: &[&'a str]) -> Option<&'a str> {
    if path.len() < 10 || KNOWN_PATHS.contains(&path) {
        return None;
    }
    KNOWN_PATHS
        .iter()
        .map(|k| -> &'a str { k })
        .chain(more_used.iter().copied())
        .filter(|k| *k != path && k.len().abs_diff(path.len()) <= 2)
        .map(|k| (strsim::damerau_levenshtein(path, k), k))
        .filter(|(d, _)| (1..=2).contains(d))
        .min()
        .map(|(_, k)| k)
}

/// Objects of the `openstack` client that take a verb.
const OBJECTS: &[&str] = &[
    "user",
    "role",
    "service",
    "endpoint",
    "project",
    "domain",
    "group",
    "region",
    "image",
    "network",
    "subnet",
    "server",
    "flavor",
    "catalog",
    "hypervisor",
    "token",
    "extension",
    "port",
    "router",
    "volume",
    "keypair",
    "security",
    "quota",
    "host",
    "aggregate",
    "availability",
    "resource",
    "compute",
    "credential",
    "policy",
    "floating",
    "address",
    "limit",
    "registered",
];
const SECOND: &[&str] = &[
    "service",
    "agent",
    "group",
    "rule",
    "zone",
    "provider",
    "assignment",
    "class",
    "ip",
    "limit",
    "scope",
    "trait",
    "inventory",
    "usage",
    "allocation",
];
const VERBS: &[&str] = &[
    "create", "delete", "list", "show", "set", "unset", "add", "remove", "issue", "revoke",
    "check", "save", "migrate", "start", "stop", "reboot", "evacuate", "resize", "rebuild",
];

/// Flags the `openstack`, `keystone` and `nova` clients know.
const FLAGS: &[&str] = &[
    "--os-auth-url",
    "--os-auth-type",
    "--os-username",
    "--os-password",
    "--os-project-name",
    "--os-project-id",
    "--os-user-domain-name",
    "--os-user-domain-id",
    "--os-project-domain-name",
    "--os-project-domain-id",
    "--os-domain-name",
    "--os-identity-api-version",
    "--os-image-api-version",
    "--os-compute-api-version",
    "--os-region-name",
    "--os-interface",
    "--os-token",
    "--os-url",
    "--os-endpoint",
    "--os-cloud",
    "--os-cacert",
    "--os-tenant-name",
    "--os-tenant-id",
    "--os-default-domain",
    "--os-auth-plugin",
    "--os-service-type",
    "--os-insecure",
    "--os-service-token",
    "--os-endpoint-type",
    "--insecure",
    "--debug",
    "--verbose",
    "--format",
    "--column",
    "--fit-width",
    "--max-width",
    "--noindent",
    "--quote",
    "--sort-column",
    "--long",
    "--all-projects",
    "--domain",
    "--password",
    "--password-prompt",
    "--project",
    "--project-domain",
    "--user",
    "--user-domain",
    "--name",
    "--description",
    "--region",
    "--enable",
    "--disable",
    "--type",
    "--email",
    "--publicurl",
    "--internalurl",
    "--adminurl",
    "--public-url",
    "--internal-url",
    "--admin-url",
    "--service",
    "--interface",
    "--url",
    "--or-show",
    "--parent",
    "--service-id",
    "--pass",
    "--tenant",
    "--tenant-id",
    "--role",
    "--user-id",
    "--role-id",
    "--id",
    "--property",
    "--public",
    "--private",
    "--container-format",
    "--disk-format",
    "--file",
    "--image",
    "--flavor",
    "--nic",
    "--security-group",
    "--key-name",
    "--ram",
    "--disk",
    "--vcpus",
    "--host",
    "--binary",
    "--zone",
    "--availability-zone",
    "--network",
    "--subnet",
    "--fixed-ip",
    "--external",
    "--share",
    "--provider-network-type",
    "--provider-physical-network",
    "--provider-segment",
    "--gateway",
    "--dns-nameserver",
    "--allocation-pool",
    "--subnet-range",
    "--router",
    "--remote-ip",
    "--protocol",
    "--dst-port",
    "--ingress",
    "--egress",
    "--ethertype",
    "--public-key",
    "--no-dhcp",
    "--dhcp",
    "--ip-version",
    "--config-drive",
    "--min-disk",
    "--min-ram",
    "--shared",
    "--yes",
    "--wait",
    "--fixed",
    "--floating",
    "--names",
    "--tags",
    "--all",
    "--inherited",
    "--system",
    "--internal",
    "--admin",
    "--class",
    "--rule",
];

/// What each unknown flag seen so far was probably meant to be: a guide
/// repeats its commands, and each flag is looked up once.
pub(crate) type FlagGuesses = HashMap<String, Option<&'static str>>;

/// The known flag `flag` is a misspelling of, if any.
fn misspelled(flag: &str) -> Option<&'static str> {
    let best = FLAGS
        .iter()
        .filter(|f| f.len().abs_diff(flag.len()) <= 2)
        .map(|f| (strsim::damerau_levenshtein(flag, f), *f))
        .min();
    best.and_then(|(d, known)| (d > 0 && d <= 2 && flag.len() >= 7).then_some(known))
}

/// Lint of a client command's words (after `sudo`/prompt).
pub(crate) fn client_command(words: &[&str], line: u32, guesses: &mut FlagGuesses) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(&client) = words.first() else {
        return out;
    };
    if !matches!(
        client,
        "openstack" | "keystone" | "nova" | "glance" | "neutron" | "cinder"
    ) {
        return out;
    }
    for w in &words[1..] {
        let flag = w.split('=').next().unwrap_or(w);
        if !flag.starts_with("--") || flag.len() < 5 || FLAGS.contains(&flag) {
            continue;
        }
        let known = match guesses.get(flag) {
            Some(known) => *known,
            None => {
                let known = misspelled(flag);
                guesses.insert(flag.to_string(), known);
                known
            }
        };
        if let Some(known) = known {
            out.push(Finding::new(
                &MISSPELLED_FLAG,
                line,
                format!("{client}: unknown flag {flag}; did you mean {known}?"),
            ));
        }
    }
    if client == "openstack" {
        let mut i = 1;
        // Global options and their values.
        while let Some(w) = words.get(i) {
            if w.starts_with("--os-") || *w == "--insecure" || *w == "--debug" {
                i += if w.contains('=') || matches!(*w, "--insecure" | "--debug") {
                    1
                } else {
                    2
                };
            } else {
                break;
            }
        }
        if let Some(&object) = words.get(i) {
            if OBJECTS.contains(&object) {
                let mut j = i + 1;
                while j < i + 3 && words.get(j).is_some_and(|w| SECOND.contains(w)) {
                    j += 1;
                }
                let verb = words.get(j).copied();
                if verb.is_none_or(|v| v.starts_with('-') || !VERBS.contains(&v)) {
                    let what = words[i..j].join(" ");
                    let suggestion = if words
                        .iter()
                        .any(|w| *w == "--region" || w.starts_with("http"))
                    {
                        " (create?)"
                    } else {
                        ""
                    };
                    out.push(Finding::new(
                        &MISSING_VERB,
                        line,
                        format!("`openstack {what}` has no verb{suggestion}: the client refuses the command"),
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_and_connections() {
        let g = parse_grant(
            "GRANT ALL PRIVILEGES ON nova.* TO 'nova'@'localhost' IDENTIFIED BY 'p@ssword';",
            3,
        )
        .unwrap();
        assert_eq!(
            (
                g.database.as_deref(),
                g.user.as_str(),
                g.host.as_str(),
                g.password.as_str()
            ),
            (Some("nova"), "nova", "localhost", "p@ssword")
        );
        let c =
            parse_connection("mysql+pymysql://nova:p@ssw0rd@controller/nova?charset=utf8").unwrap();
        assert_eq!(
            c,
            (
                "nova".into(),
                "p@ssw0rd".into(),
                "nova".into(),
                "controller".into()
            )
        );
        let guides = ["guide.md".to_string()];
        let f = passwords(
            &[(0, &g)],
            &[Connection {
                user: c.0,
                password: c.1,
                db: c.2,
                host: c.3,
                at: (0, 9),
                option: "[database] connection".into(),
            }],
            &guides,
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind.code, "G101");
        assert_eq!(f[0].guide, "guide.md");
        assert!(!f[0].message.contains("p@ss"));
    }

    #[test]
    fn path_typos() {
        assert_eq!(
            path_typo("/etc/nova.nova.conf", &[]),
            Some("/etc/nova/nova.conf")
        );
        assert_eq!(
            path_typo("/etc/nova/nova.cnf", &[]),
            Some("/etc/nova/nova.conf")
        );
        assert_eq!(
            path_typo("/etc/foo/barz.conf", &["/etc/foo/bar.conf"]),
            Some("/etc/foo/bar.conf")
        );
        assert_eq!(path_typo("/etc/nova/nova.conf", &[]), None);
        assert_eq!(path_typo("/etc/chrony.conf", &[]), None);
        assert_eq!(path_typo("/etc/neutron/l3_agent.ini", &[]), None);
        assert_eq!(path_typo("/etc/apache2/ports.conf", &[]), None);
    }

    #[test]
    fn placeholder_typos_and_commands() {
        let seen = HashMap::from([
            ("GLANCE_DBPASS".to_string(), (3, (0, 1))),
            ("GLACE_DBPASS".to_string(), (1, (0, 9))),
            ("NOVA_PASS".to_string(), (2, (0, 2))),
        ]);
        let f = placeholders(
            &seen,
            &[("NOVA_PASS".into(), (0, 4))],
            &HashSet::new(),
            &["guide.md".to_string()],
        );
        let codes: Vec<_> = f.iter().map(|f| (f.kind.code, f.line)).collect();
        assert_eq!(codes, [("G201", 9), ("G202", 4)]);
        let c = client_command(
            &[
                "openstack",
                "endpoint",
                "--region",
                "RegionOne",
                "compute",
                "public",
            ],
            5,
            &mut FlagGuesses::new(),
        );
        assert_eq!(c[0].kind.code, "G301");
        let c = client_command(
            &["openstack", "--os-auth-rul", "http://x", "token", "issue"],
            5,
            &mut FlagGuesses::new(),
        );
        assert_eq!(c[0].kind.code, "G302");
        assert!(
            client_command(
                &["openstack", "compute", "service", "list"],
                1,
                &mut FlagGuesses::new()
            )
            .is_empty()
        );
        assert!(
            client_command(
                &["openstack", "endpoint", "create", "--region", "R"],
                1,
                &mut FlagGuesses::new()
            )
            .is_empty()
        );
    }
}
