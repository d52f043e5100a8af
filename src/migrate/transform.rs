//! Rules whose logic data cannot express.

use super::rules::{Safety, StepKind};
use super::session::{Ctx, Record, Session};
use super::{ChangeKind, MigrateError};
use crate::conf::OptionRef;
use crate::conf::value as values;
use crate::release::Release;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

pub(super) fn apply(s: &mut Session, ctx: &Ctx, name: &str) -> Result<(), MigrateError> {
    match name {
        "rabbit-transport-url" => rabbit(s, ctx),
        other => Err(MigrateError::Internal(format!(
            "unknown transform {other:?}"
        ))),
    }
}

/// What RFC 3986 leaves unencoded in a URL's user and password.
const USERINFO: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a user name, password or virtual host for a URL.
pub(super) fn encode(s: &str) -> String {
    utf8_percent_encode(s, USERINFO).to_string()
}

const PARTS: [&str; 6] = [
    "rabbit_host",
    "rabbit_port",
    "rabbit_hosts",
    "rabbit_userid",
    "rabbit_password",
    "rabbit_virtual_host",
];

/// Where nova read a rabbit option from: [oslo_messaging_rabbit] first (from
/// Kilo the new group wins over the [DEFAULT] alias), then [DEFAULT].
fn rabbit_loc(s: &Session, name: &str) -> Option<OptionRef> {
    ["oslo_messaging_rabbit", "DEFAULT"]
        .into_iter()
        .map(|g| OptionRef::new(g, name))
        .find(|o| s.present(o))
}

/// `rabbit` and the names old configs give the RabbitMQ driver.
/// When the target release has no `[oslo_messaging_DRIVER]` group while an
/// earlier release had one, the driver is gone: the last release that read
/// its options.
fn gone_driver(s: &Session, driver: &str) -> Option<String> {
    let group = format!("oslo_messaging_{}", driver.trim().to_ascii_lowercase());
    let knows = |r: &Release| r.inventory().is_ok_and(|inv| inv.knows_group(&group));
    if knows(s.to) {
        return None;
    }
    let releases = &s.catalog.releases()[..s.to.index];
    releases
        .iter()
        .rev()
        .find(|r| knows(r))
        .map(|r| r.info.core().title.clone())
}

fn is_rabbit(backend: &str) -> bool {
    matches!(
        backend.trim().to_ascii_lowercase().as_str(),
        "rabbit" | "kombu" | "nova.openstack.common.rpc.impl_kombu" | "nova.rpc.impl_kombu"
    )
}

/// `$name` references resolved against the file (own group, then DEFAULT),
/// `$$` as `$`: the text nova reads. `None` when a reference is not set.
fn resolved(s: &Session, group: &str, value: &str) -> Option<String> {
    values::substitute(value, |name| {
        let (g, n) = name.split_once('.').unwrap_or((group, name));
        s.value(&OptionRef::new(g, n))
            .or_else(|| s.value(&OptionRef::new("DEFAULT", n)))
    })
}

/// A transport URL as oslo.messaging splits it: `scheme://netloc/path?query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct UrlParts<'a> {
    scheme: &'a str,
    netloc: &'a str,
    /// After the `/` that ends the netloc; `None` when there is no `/`.
    path: Option<&'a str>,
    /// From the `?` or `#` on, or empty.
    rest: &'a str,
}

impl UrlParts<'_> {
    /// The hosts of the netloc, empty entries left out (`rabbit://` has none).
    fn has_hosts(&self) -> bool {
        self.netloc.split(',').any(|h| !h.is_empty())
    }

    /// Where the netloc ends in the URL.
    fn netloc_end(&self) -> usize {
        self.scheme.len() + 3 + self.netloc.len()
    }
}

fn split_url(url: &str) -> Option<UrlParts<'_>> {
    let (scheme, after) = url.split_once("://")?;
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let netloc = &after[..end];
    let tail = &after[end..];
    let (path, rest) = match tail.strip_prefix('/') {
        Some(p) => {
            let q = p.find(['?', '#']).unwrap_or(p.len());
            (Some(&p[..q]), &p[q..])
        }
        None => (None, tail),
    };
    Some(UrlParts {
        scheme,
        netloc,
        path,
        rest,
    })
}

/// Is a transport URL one of the RabbitMQ driver, which read the rabbit_*
/// options where the URL left something out?
fn rabbit_scheme(scheme: &str) -> bool {
    matches!(scheme.to_ascii_lowercase().as_str(), "rabbit" | "kombu")
}

/// A URL built from the rabbit_* options: its value and the note that
/// says where each part came from.
struct Merged {
    value: String,
    note: String,
}

/// Builds `scheme://user:password@host:port,…/vhost rest` from the rabbit_*
/// options (each not set taking the default nova used). `path`: the URL's
/// own virtual host, which wins over rabbit_virtual_host. `None` (after a
/// manual step) when a part cannot be known.
fn merge(
    s: &mut Session,
    ctx: &Ctx,
    parts: &[OptionRef],
    scheme: &str,
    path: Option<&str>,
    rest: &str,
) -> Option<Merged> {
    let mut assumed = Vec::new();
    let mut get = |s: &Session, name: &str| -> Option<(String, String)> {
        match rabbit_loc(s, name) {
            Some(o) => Some((s.value(&o)?, o.group().to_string())),
            None => {
                let here = OptionRef::new("oslo_messaging_rabbit", name);
                let (d, release) =
                    s.default_of(&[here.clone(), OptionRef::new("DEFAULT", name)])?;
                assumed.push(s.assumed(&here, &d, &release));
                Some((d, "DEFAULT".into()))
            }
        }
    };
    let (Some(user), Some(password), Some(vhost), Some(host), Some(port)) = (
        get(s, "rabbit_userid"),
        get(s, "rabbit_password"),
        match path {
            Some(p) => Some((p.to_string(), String::new())),
            None => get(s, "rabbit_virtual_host"),
        },
        get(s, "rabbit_host"),
        get(s, "rabbit_port"),
    ) else {
        s.manual_text(
            ctx,
            StepKind::Config,
            "the rabbit_* options could not be merged (a part has no value and no known default): \
             write [DEFAULT] transport_url by hand"
                .into(),
        );
        return None;
    };
    let hosts_set = rabbit_loc(s, "rabbit_hosts").and_then(|o| s.value(&o));
    let (Some(user_text), Some(password_text)) = (
        resolved(s, &user.1, &user.0),
        resolved(s, &password.1, &password.0),
    ) else {
        s.manual_text(
            ctx,
            StepKind::Config,
            "the RabbitMQ user or password holds a $ reference to an option the file does not set: \
             write [DEFAULT] transport_url by hand"
                .into(),
        );
        return None;
    };
    let hosts: Vec<String> = match &hosts_set {
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(|h| with_port(h, &port.0))
            .collect(),
        None => vec![with_port(&host.0, &port.0)],
    };
    let credentials = format!("{}:{}", encode(&user_text), encode(&password_text));
    let vhost_path = match (path, vhost.0.trim()) {
        (Some(p), _) => p.to_string(),
        (None, "" | "/") => String::new(),
        (None, v) => encode(v),
    };
    let value = format!(
        "{scheme}://{}/{vhost_path}{rest}",
        hosts
            .iter()
            .map(|h| format!("{credentials}@{h}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut note = format!(
        "merged into [DEFAULT] transport_url from {}",
        parts
            .iter()
            .map(OptionRef::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    if hosts_set.is_some() {
        note.push_str("; rabbit_hosts gives the hosts");
    }
    if !assumed.is_empty() {
        note.push_str(&format!(
            "; not set, so taken as before: {}",
            assumed.join(", ")
        ));
    }
    Some(Merged { value, note })
}

/// What a transport URL needs from the rabbit_* options: until Stein a URL
/// without a host took every part from them, and one without a path took
/// rabbit_virtual_host. Returns the completed URL, or `None` when it needs
/// nothing (or cannot be completed, after a manual step).
fn complete(
    s: &mut Session,
    ctx: &Ctx,
    parts: &[OptionRef],
    url: &str,
) -> Option<(String, ChangeKind, String)> {
    let p = split_url(url)?;
    if !rabbit_scheme(p.scheme) {
        return None;
    }
    if !p.has_hosts() {
        let m = merge(s, ctx, parts, p.scheme, p.path, p.rest)?;
        let note = format!(
            "it names no host, so until Stein oslo.messaging took the broker from the rabbit_* options, which Stein removes: {}",
            m.note
                .replacen("merged into [DEFAULT] transport_url from", "built from", 1)
        );
        return Some((m.value, ChangeKind::MergeUrl, note));
    }
    if p.path.is_some() {
        return None;
    }
    let vhost = rabbit_loc(s, "rabbit_virtual_host").and_then(|o| s.value(&o))?;
    let vhost = vhost.trim();
    if vhost.is_empty() || vhost == "/" {
        return None;
    }
    let at = p.netloc_end();
    let value = format!("{}/{}{}", &url[..at], encode(vhost), &url[at..]);
    let note = format!(
        "it has no path, so until Stein oslo.messaging took the virtual host from rabbit_virtual_host, which Stein removes: /{} added",
        encode(vhost)
    );
    Some((value, ChangeKind::UrlPart, note))
}

/// Merges the rabbit_* connection options and rpc_backend into
/// `[DEFAULT] transport_url`, or completes the transport URLs that still
/// depend on them.
fn rabbit(s: &mut Session, ctx: &Ctx) -> Result<(), MigrateError> {
    let url = OptionRef::new("DEFAULT", "transport_url");
    let backend = OptionRef::new("DEFAULT", "rpc_backend");
    let parts: Vec<OptionRef> = PARTS
        .iter()
        .flat_map(|n| {
            ["oslo_messaging_rabbit", "DEFAULT"]
                .into_iter()
                .map(move |g| OptionRef::new(g, n))
        })
        .filter(|o| s.present(o))
        .collect();
    let backend_value = s.value(&backend);
    if let Some(b) = &backend_value {
        if !is_rabbit(b) {
            if !s.present(&url) {
                let text = match gone_driver(s, b) {
                    // The driver itself is gone before the target: its URL
                    // would not load either.
                    Some(last) => format!(
                        "rpc_backend = {b} names oslo.messaging's {b} driver, gone by {} (its \
                         [oslo_messaging_{b}] options were last read by {last}), so no {b} \
                         transport_url works there; move the message queue to RabbitMQ (or \
                         another driver {} has) before that release, and write [DEFAULT] \
                         transport_url for it (rabbit://user:password@host:5672/)",
                        s.to.info.core().title,
                        s.to.info.core().title
                    ),
                    None => format!(
                        "rpc_backend = {b} is not RabbitMQ: write [DEFAULT] transport_url for that driver by hand \
                         ({b}://user:password@host:port/); rpc_backend is gone in Stein"
                    ),
                };
                s.manual_text(ctx, StepKind::Config, text);
                return Ok(());
            }
            s.remove(
                ctx,
                &backend,
                "transport_url is set and names the driver in its scheme",
            );
            return Ok(());
        }
    }
    if parts.is_empty() && !s.present(&url) {
        if backend_value.is_some() {
            s.remove(
                ctx,
                &backend,
                "rabbit is the default driver, and no rabbit_* option names a broker: the default one stays in use",
            );
        }
        return Ok(());
    }
    let mut completed = false;
    // The notification transport reads the same rabbit_* options.
    if !parts.is_empty() {
        for other in [
            OptionRef::new("oslo_messaging_notifications", "transport_url"),
            OptionRef::new("DEFAULT", "notification_transport_url"),
        ] {
            let Some(v) = s.value(&other) else { continue };
            if let Some((value, kind, note)) = complete(s, ctx, &parts, &v) {
                s.set(
                    ctx,
                    &other,
                    &value,
                    Record::new(kind, Safety::Review, Some(note)),
                )?;
                completed = true;
            }
        }
    }
    if let Some(current) = s.value(&url) {
        let mut folded = Vec::new();
        if !parts.is_empty() {
            if let Some((value, kind, note)) = complete(s, ctx, &parts, &current) {
                let r = Record::new(kind, Safety::Review, Some(note.clone()));
                s.set(ctx, &url, &value, r)?;
                completed = true;
                folded = match kind {
                    ChangeKind::MergeUrl => parts.clone(),
                    _ => parts
                        .iter()
                        .filter(|o| o.name() == "rabbit_virtual_host")
                        .cloned()
                        .collect(),
                };
                let why = match kind {
                    ChangeKind::MergeUrl => {
                        "merged into [DEFAULT] transport_url, which named no host"
                    }
                    _ => "its virtual host goes into [DEFAULT] transport_url, which had no path",
                };
                s.fold_into(ctx, &folded, &url, kind, why);
            }
        }
        let reason = "transport_url is set and names the broker's hosts, user, password and virtual host, so oslo.messaging ignores the rabbit_* options and rpc_backend";
        for o in parts
            .iter()
            .filter(|o| !folded.contains(o))
            .chain(backend_value.as_ref().map(|_| &backend))
        {
            s.remove(ctx, o, reason);
        }
        if completed {
            s.manual_text(
                ctx,
                StepKind::Cells,
                "A transport URL here still took part of the broker from the rabbit_* options, which Stein removes; stackhop completed it. \
                 The cell mappings in the API database store the transport URL they were created with: list them and update each one \
                 that lacks the host or the virtual host (nova-manage cell_v2 list_cells --verbose; nova-manage cell_v2 update_cell \
                 --cell_uuid CELL_UUID --transport-url URL)."
                    .into(),
            );
        }
        return Ok(());
    }
    let Some(m) = merge(s, ctx, &parts, "rabbit", None, "") else {
        return Ok(());
    };
    s.add_value(&url, &m.value)?;
    let mut folded = parts;
    if backend_value.is_some() {
        folded.push(backend);
    }
    s.fold_into(ctx, &folded, &url, ChangeKind::MergeUrl, &m.note);
    if completed {
        s.manual_text(
            ctx,
            StepKind::Cells,
            "The notification transport URL here still took part of the broker from the rabbit_* options, which Stein removes; stackhop completed it. \
             Check it against [DEFAULT] transport_url."
                .into(),
        );
    }
    Ok(())
}

/// `host` → `host:port`, unless it carries a port (`host:5672`,
/// `[::1]:5672`). A bare IPv6 address is bracketed, as URLs need
/// (`::1` → `[::1]:5672`).
fn with_port(host: &str, port: &str) -> String {
    let has_port = match host.rsplit_once(':') {
        Some((h, p)) => {
            !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && (!h.contains(':') || h.ends_with(']'))
        }
        None => false,
    };
    if has_port {
        host.to_string()
    } else if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{}", port.trim())
    } else {
        format!("{host}:{}", port.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_and_password_are_percent_encoded() {
        assert_eq!(encode("p@ss/w:rd"), "p%40ss%2Fw%3Ard");
        assert_eq!(encode("open-stack_1.0~"), "open-stack_1.0~");
        assert_eq!(encode("p ss#?%"), "p%20ss%23%3F%25");
    }

    #[test]
    fn the_data_declares_what_the_rabbit_transform_reads_and_writes() {
        let book = crate::migrate::RuleBook::embedded().unwrap();
        let (_, rule) = book.find("MSG002").unwrap();
        let Some(crate::migrate::rules::Action::Transform { reads, writes, .. }) = rule
            .actions
            .iter()
            .find(|a| matches!(a, crate::migrate::rules::Action::Transform { .. }))
        else {
            panic!("MSG002 has no transform");
        };
        let mut declared: Vec<String> = reads.iter().map(OptionRef::spec).collect();
        declared.sort();
        let mut read: Vec<String> = PARTS
            .iter()
            .flat_map(|n| [format!("DEFAULT/{n}"), format!("oslo_messaging_rabbit/{n}")])
            .chain(["DEFAULT/rpc_backend".to_string()])
            .collect();
        read.sort();
        assert_eq!(declared, read);
        assert_eq!(
            writes.as_ref().map(OptionRef::spec).as_deref(),
            Some("DEFAULT/transport_url")
        );
    }

    #[test]
    fn hosts_get_the_port_they_lack() {
        assert_eq!(with_port("controller", "5672"), "controller:5672");
        assert_eq!(with_port("rabbit1:5673", "5672"), "rabbit1:5673");
        assert_eq!(with_port("[::1]:5673", "5672"), "[::1]:5673");
        assert_eq!(with_port("::1", "5672"), "[::1]:5672");
        assert_eq!(with_port("fd00::5", "5672"), "[fd00::5]:5672");
    }
}
