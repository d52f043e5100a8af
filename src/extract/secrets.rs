//! Masking the secrets of a command before it is shown: SQL passwords
//! (`IDENTIFIED BY '…'`), password flags, `VAR=…` of secret-looking
//! variables, the value of a secret option in `crudini`/`openstack-config`/
//! `iniset`, RabbitMQ passwords, and passwords inside URLs.

use super::scan;
use super::shell::{self, ConfigEdit};
use crate::report::redact::{MASK, mask_url_passwords};
use std::collections::HashMap;

fn secret_variable(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["PASS", "SECRET", "TOKEN", "PASSWD", "PWD", "PW"]
        .iter()
        .any(|w| {
            upper.ends_with(w)
                || upper.contains(&format!("{w}_"))
                || upper.contains(&format!("_{w}"))
        })
}

/// `cmd` with its secrets replaced by `****`. `secret(section, key)` tells
/// which options are secret.
pub fn mask_command(cmd: &str, secret: impl Fn(&str, &str) -> bool) -> String {
    let mut spans: Vec<(usize, usize, String)> = Vec::new();
    // SQL: IDENTIFIED BY 'x', PASSWORD('x').
    for pat in ["identified by", "password("] {
        for i in scan::find_ci_iter(cmd, pat) {
            let start = i + pat.len();
            let rest = &cmd[start..];
            let skip = rest.len() - rest.trim_start().len();
            let rest = rest.trim_start();
            if let Some(q) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') {
                if let Some(end) = rest[1..].find(q) {
                    let s = start + skip + 1;
                    spans.push((s, s + end, MASK.to_string()));
                }
            } else {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == ';')
                    .unwrap_or(rest.len());
                if end > 0 {
                    spans.push((start + skip, start + skip + end, MASK.to_string()));
                }
            }
        }
    }
    let words = shell::words(cmd, &HashMap::new());
    let raw = |w: &shell::Word| &cmd[w.start..w.end];
    let mask_word = |w: &shell::Word| -> (usize, usize, String) {
        let r = raw(w);
        let quoted =
            r.len() >= 2 && (r.starts_with('\'') || r.starts_with('"')) && r.ends_with(&r[..1]);
        if quoted {
            (w.start + 1, w.end - 1, MASK.to_string())
        } else {
            (w.start, w.end, MASK.to_string())
        }
    };
    let first = shell::command_words(&words)
        .first()
        .map(|w| w.text.clone())
        .unwrap_or_default();
    for (i, w) in words.iter().enumerate() {
        let t = w.text.as_str();
        if matches!(
            t,
            "--password" | "--pass" | "--os-password" | "--db-password" | "--admin-password"
        ) {
            if let Some(next) = words.get(i + 1).filter(|n| !n.text.starts_with('-')) {
                spans.push(mask_word(next));
            }
        } else if let Some((flag, _)) = t
            .split_once('=')
            .filter(|(f, _)| f.starts_with("--") && f.contains("pass"))
        {
            let r = raw(w);
            if let Some(eq) = r.find('=') {
                let _ = flag;
                spans.push((w.start + eq + 1, w.end, MASK.to_string()));
            }
        } else if (first == "mysql" || first == "mysqladmin")
            && t.starts_with("-p")
            && t.len() > 2
            && !t.starts_with("--")
        {
            spans.push((w.start + 2, w.end, MASK.to_string()));
        } else if shell::is_assignment(t) {
            let (name, value) = t.split_once('=').unwrap_or((t, ""));
            if secret_variable(name) && !value.is_empty() {
                let r = raw(w);
                if let Some(eq) = r.find('=') {
                    spans.push((w.start + eq + 1, w.end, MASK.to_string()));
                }
            }
        } else if t.contains("://") {
            let masked = mask_url_passwords(raw(w));
            if masked != raw(w) {
                spans.push((w.start, w.end, masked.into_owned()));
            }
        }
    }
    if first == "rabbitmqctl" {
        let args: Vec<&shell::Word> = shell::command_words(&words).iter().skip(1).collect();
        if let Some(sub) = args.first() {
            if matches!(sub.text.as_str(), "add_user" | "change_password") {
                if let Some(p) = args.get(2) {
                    spans.push(mask_word(p));
                }
            }
        }
    }
    if let Some(ConfigEdit::Set {
        section,
        key,
        value_word: Some(v),
        ..
    }) = shell::config_edit(&words)
    {
        if secret(&section, &key) || crate::release::secret_name(&key) {
            for w in words
                .iter()
                .skip(v)
                .take_while(|w| !matches!(w.text.as_str(), ";" | "&&" | "||" | "|"))
            {
                if w.text.contains("://") {
                    let masked = mask_url_passwords(raw(w)).into_owned();
                    spans.push((w.start, w.end, masked));
                } else {
                    spans.push(mask_word(w));
                }
            }
        }
    }
    if spans.is_empty() {
        return cmd.to_string();
    }
    // Widest first at each start; drop spans inside an earlier one.
    spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out = String::with_capacity(cmd.len());
    let mut at = 0;
    for (s, e, with) in spans {
        if s < at || e < s || e > cmd.len() || !cmd.is_char_boundary(s) || !cmd.is_char_boundary(e)
        {
            continue;
        }
        out.push_str(&cmd[at..s]);
        out.push_str(&with);
        at = e;
    }
    out.push_str(&cmd[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_masked() {
        let m = |c: &str| mask_command(c, |s, k| s == "database" && k == "connection");
        assert_eq!(
            m("GRANT ALL PRIVILEGES ON nova.* TO 'nova'@'%' IDENTIFIED BY 'p@ss';"),
            "GRANT ALL PRIVILEGES ON nova.* TO 'nova'@'%' IDENTIFIED BY '****';"
        );
        assert_eq!(
            m("keystone user-create --name nova --pass s3cret"),
            "keystone user-create --name nova --pass ****"
        );
        assert_eq!(
            m("openstack --os-password=abc token issue"),
            "openstack --os-password=**** token issue"
        );
        assert_eq!(
            m("mysql -uroot -ps3cret -e \"x\""),
            "mysql -uroot -p**** -e \"x\""
        );
        assert_eq!(
            m("export OS_PASSWORD=ADMIN_PASS"),
            "export OS_PASSWORD=****"
        );
        assert_eq!(
            m(
                "crudini --set /etc/nova/nova.conf database connection mysql+pymysql://nova:pw@c/nova"
            ),
            "crudini --set /etc/nova/nova.conf database connection mysql+pymysql://nova:****@c/nova"
        );
        assert_eq!(
            m("crudini --set /etc/nova/nova.conf keystone_authtoken password 'NOVA_PASS'"),
            "crudini --set /etc/nova/nova.conf keystone_authtoken password '****'"
        );
        assert_eq!(
            m("rabbitmqctl add_user openstack RABBIT_PASS"),
            "rabbitmqctl add_user openstack ****"
        );
        assert_eq!(m("apt install nova-api"), "apt install nova-api");
        assert_eq!(m("mysql -u root -p"), "mysql -u root -p");
    }
}
