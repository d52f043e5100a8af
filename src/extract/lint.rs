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
    let lower = sql.to_ascii_lowercase();
    let ident = lower.find("identified by")?;
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

/// Findings for passwords that do not agree between grants and connection
/// strings. `connections` are (user, password, db, line, option).
pub(crate) fn passwords(
    grants: &[Grant],
    connections: &[(String, String, String, String, u32, String)],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut by_account: HashMap<(Option<&str>, &str), Vec<&Grant>> = HashMap::new();
    for g in grants {
        by_account
            .entry((g.database.as_deref(), &g.user))
            .or_default()
            .push(g);
    }
    let mut accounts: Vec<_> = by_account.iter().collect();
    accounts.sort_by_key(|(_, gs)| gs[0].line);
    for ((db, user), gs) in accounts {
        let first = gs[0];
        if let Some(other) = gs.iter().find(|g| g.password != first.password) {
            let on = db.map_or(String::new(), |d| format!(" on {d}"));
            out.push(
                Finding::new(
                    &HOST_PASSWORD,
                    other.line,
                    format!(
                        "'{user}'@'{}'{on} is given password {{0}} here but {{1}} for '{user}'@'{}' on line {}",
                        other.host, first.host, first.line
                    ),
                )
                .value(&other.password, true)
                .value(&first.password, true),
            );
        }
    }
    for (user, password, db, host, line, option) in connections {
        let matching: Vec<&Grant> = grants
            .iter()
            .filter(|g| &g.user == user && g.database.as_deref().is_none_or(|d| d == db))
            .collect();
        // The grant MySQL would match: one for the host itself, `localhost`
        // for a local connection, `%` otherwise.
        let local = matches!(host.as_str(), "localhost" | "127.0.0.1" | "::1");
        let grant = matching
            .iter()
            .find(|g| &g.host == host)
            .or_else(|| {
                matching.iter().find(|g| {
                    if local {
                        g.host == "localhost"
                    } else {
                        g.host == "%"
                    }
                })
            })
            .or_else(|| matching.first());
        let Some(g) = grant else {
            continue;
        };
        if &g.password == password {
            continue;
        }
        out.push(
            Finding::new(
                &SQL_PASSWORD,
                *line,
                format!(
                    "{option} connects to {db} as {user} with password {{0}}, but the grant on line {} gives '{user}'@'{}' the password {{1}}",
                    g.line, g.host
                ),
            )
            .value(password, true)
            .value(&g.password, true),
        );
    }
    out
}

/// Placeholders that differ by a typo, and placeholders used in config but
/// never introduced. `seen` holds every placeholder with its count and first
/// line; `used` those in config values; `introduced` those the guide explains
/// or creates something with.
pub(crate) fn placeholders(
    seen: &HashMap<String, (usize, u32)>,
    used: &[(String, u32)],
    introduced: &HashSet<String>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut names: Vec<(&String, &(usize, u32))> = seen.iter().collect();
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
                let (typo, right, line) = if ca > cb || (ca == cb && la <= lb) {
                    (b, a, *lb)
                } else {
                    (a, b, *la)
                };
                if typos.insert(typo.as_str()) {
                    out.push(Finding::new(
                        &PLACEHOLDER_TYPO,
                        line,
                        format!("placeholder {typo} looks like a typo of {right}, used elsewhere in the guide"),
                    ));
                }
            }
        }
    }
    let mut reported = HashSet::new();
    for (name, line) in used {
        if introduced.contains(name) || typos.contains(name.as_str()) || !reported.insert(name) {
            continue;
        }
        out.push(Finding::new(
            &PLACEHOLDER_UNDEFINED,
            *line,
            format!(
                "placeholder {name} is used here but the guide never says what to replace it with"
            ),
        ));
    }
    out
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
        let f = passwords(
            &[g],
            &[(c.0, c.1, c.2, c.3, 9, "[database] connection".into())],
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind.code, "G101");
        assert!(!f[0].message.contains("p@ss"));
    }

    #[test]
    fn placeholder_typos_and_commands() {
        let seen = HashMap::from([
            ("GLANCE_DBPASS".to_string(), (3, 1)),
            ("GLACE_DBPASS".to_string(), (1, 9)),
            ("NOVA_PASS".to_string(), (2, 2)),
        ]);
        let f = placeholders(&seen, &[("NOVA_PASS".into(), 4)], &HashSet::new());
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
