//! Commands as a runbook prints them: placeholders become shell variables
//! (quoted as their place in the command needs), commands run as a service
//! user, commands repeated while they exit with a code.

use std::collections::BTreeSet;

/// Replaces each placeholder of `cmd` that `is_var` knows by a reference to
/// the shell variable of that name, and records it in `used`: `"${X}"` as a
/// word of its own, `${X}` inside double quotes, `'"${X}"'` inside single
/// quotes (where the shell would not expand it).
pub fn substitute(cmd: &str, is_var: impl Fn(&str) -> bool, used: &mut BTreeSet<String>) -> String {
    #[derive(Clone, Copy, PartialEq)]
    enum Q {
        None,
        Single,
        Double,
    }
    let b = cmd.as_bytes();
    let word = |c: u8| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_';
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = String::with_capacity(cmd.len() + 16);
    let mut q = Q::None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        // A token starts where no identifier character precedes it (and not
        // right after a `$`: that is already a shell variable).
        if c.is_ascii_uppercase() && (i == 0 || (!ident(b[i - 1]) && b[i - 1] != b'$')) {
            let mut j = i;
            while j < b.len() && word(b[j]) {
                j += 1;
            }
            let end_ok = j == b.len() || !ident(b[j]);
            let token = &cmd[i..j];
            if end_ok && is_var(token) {
                used.insert(token.to_string());
                match q {
                    Q::None => out.push_str(&format!("\"${{{token}}}\"")),
                    Q::Double => out.push_str(&format!("${{{token}}}")),
                    Q::Single => out.push_str(&format!("'\"${{{token}}}\"'")),
                }
                i = j;
                continue;
            }
            out.push_str(token);
            i = j;
            continue;
        }
        match (q, c) {
            (Q::None, b'\'') => q = Q::Single,
            (Q::Single, b'\'') => q = Q::None,
            (Q::None, b'"') => q = Q::Double,
            (Q::Double, b'"') => q = Q::None,
            (Q::None | Q::Double, b'\\') if i + 1 < b.len() => {
                out.push('\\');
                i += 1;
                // Copy the escaped character whole (it may be multi-byte).
                let ch = cmd[i..].chars().next().expect("in bounds");
                out.push(ch);
                i += ch.len_utf8();
                continue;
            }
            _ => {}
        }
        let ch = cmd[i..].chars().next().expect("in bounds");
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// `cmd` run as `user`, as the install guides run nova-manage.
pub fn as_user(cmd: &str, user: &str) -> String {
    format!("su -s /bin/sh -c \"{cmd}\" {user}")
}

/// The commands run again while the last exits with `code`.
pub fn repeat(commands: &[String], code: u8) -> String {
    let mut out = format!("rc={code}\nwhile [ \"$rc\" -eq {code} ]; do\n");
    for c in commands {
        out.push_str("  ");
        out.push_str(c);
        out.push('\n');
    }
    out.push_str("  rc=$?\ndone\necho \"exit code: $rc\"");
    out
}

/// A word fit for a step id: `nova-placement-api`, `openstack-compute-service-list`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// `{name}` replaced by `value` in a command template of the release data.
pub fn fill(template: &str, name: &str, value: &str) -> String {
    template.replace(&format!("{{{name}}}"), value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(cmd: &str) -> (String, Vec<String>) {
        let mut used = BTreeSet::new();
        let out = substitute(
            cmd,
            |w| matches!(w, "NOVA_DBPASS" | "DB_ROOT_PASS"),
            &mut used,
        );
        (out, used.into_iter().collect())
    }

    #[test]
    fn placeholders_become_variables_quoted_for_their_place() {
        assert_eq!(
            sub("keystone user-create --pass NOVA_DBPASS").0,
            "keystone user-create --pass \"${NOVA_DBPASS}\""
        );
        assert_eq!(
            sub("mysql -e \"GRANT ALL ON nova.* TO 'nova'@'%' IDENTIFIED BY 'NOVA_DBPASS';\"").0,
            "mysql -e \"GRANT ALL ON nova.* TO 'nova'@'%' IDENTIFIED BY '${NOVA_DBPASS}';\""
        );
        assert_eq!(
            sub("echo 'x NOVA_DBPASS y'").0,
            "echo 'x '\"${NOVA_DBPASS}\"' y'"
        );
        assert_eq!(
            sub("MYSQL_PWD=DB_ROOT_PASS mysql").0,
            "MYSQL_PWD=\"${DB_ROOT_PASS}\" mysql"
        );
        let (out, used) = sub("a NOVA_DBPASSWORD $NOVA_DBPASS XNOVA_DBPASS");
        assert_eq!(out, "a NOVA_DBPASSWORD $NOVA_DBPASS XNOVA_DBPASS");
        assert!(used.is_empty());
        assert_eq!(
            sub("mysql://nova:NOVA_DBPASS@h/nova").0,
            "mysql://nova:\"${NOVA_DBPASS}\"@h/nova"
        );
    }

    #[test]
    fn repeat_runs_while_the_code_says_more() {
        let s = repeat(&["nova-manage db online_data_migrations".to_string()], 1);
        assert!(s.starts_with("rc=1\nwhile [ \"$rc\" -eq 1 ]; do\n  nova-manage"));
        assert!(s.ends_with("echo \"exit code: $rc\""));
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slug("openstack compute service list"),
            "openstack-compute-service-list"
        );
        assert_eq!(
            slug("nova-manage cell_v2 list_cells"),
            "nova-manage-cell-v2-list-cells"
        );
    }
}
