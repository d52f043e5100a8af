//! Each rule, and the migration's guarantees, on small documents.

use super::*;
use crate::conf::Document;
use crate::release::Catalog;
use pretty_assertions::assert_eq;

fn run(text: &str, from: &str, to: &str, role: Option<Role>, keep_removed: bool) -> Migration {
    let catalog = Catalog::embedded().unwrap();
    let book = RuleBook::embedded().unwrap();
    let doc = Document::parse(text).unwrap();
    migrate(
        doc,
        &catalog,
        &book,
        Start::Given(catalog.get(from).unwrap()),
        catalog.get(to).unwrap(),
        Options { role, keep_removed },
    )
    .unwrap()
}

fn migrated(text: &str, from: &str, to: &str) -> (String, Migration) {
    let m = run(text, from, to, None, false);
    (String::from_utf8(m.document.to_bytes()).unwrap(), m)
}

/// The change of the input option with this key.
fn change<'m>(m: &'m Migration, key: &str) -> &'m Change {
    m.changes
        .iter()
        .find(|c| c.before.as_ref().is_some_and(|b| b.key == key))
        .unwrap_or_else(|| panic!("no change of {key}: {:#?}", m.changes))
}

fn manual_rules(m: &Migration) -> Vec<&str> {
    m.manual.iter().map(|s| s.id.as_str()).collect()
}

#[test]
fn rabbit_options_merge_into_one_encoded_transport_url() {
    let (out, m) = migrated(
        "[DEFAULT]\nrpc_backend = rabbit\nrabbit_host = rabbit1\nrabbit_port = 5673\nrabbit_userid = openstack\nrabbit_password = p@ss/w:rd\nrabbit_virtual_host = nova\ndebug = True\n",
        "juno",
        "newton",
    );
    assert_eq!(
        out,
        "[DEFAULT]\ndebug = True\ntransport_url = rabbit://openstack:p%40ss%2Fw%3Ard@rabbit1:5673/nova\n"
    );
    for key in ["rpc_backend", "rabbit_host", "rabbit_password"] {
        let c = change(&m, key);
        assert_eq!(c.rule, "MSG002");
        assert_eq!(c.kind.as_str(), "merge-url");
        assert_eq!(c.safety, rules::Safety::Review);
        assert_eq!(c.after.as_ref().unwrap().key, "transport_url");
    }
    let moved_first = change(&m, "rabbit_host");
    assert_eq!(
        moved_first.via,
        ["MSG001"],
        "moved to [oslo_messaging_rabbit] at Kilo on the way"
    );
    assert_eq!(m.unchanged, 1);
}

#[test]
fn rabbit_parts_not_set_take_the_source_release_defaults_and_say_so() {
    let (out, m) = migrated(
        "[DEFAULT]\nrabbit_host = controller\nrabbit_password = RABBIT_PASS\n",
        "juno",
        "wallaby",
    );
    assert!(
        out.contains("transport_url = rabbit://guest:RABBIT_PASS@controller:5672/\n"),
        "{out}"
    );
    let note = change(&m, "rabbit_host").note.clone().unwrap();
    assert!(
        note.contains("rabbit_userid guest (the Juno default)"),
        "{note}"
    );
    assert!(
        note.contains("rabbit_port 5672 (the Juno default)"),
        "{note}"
    );
}

#[test]
fn every_host_of_rabbit_hosts_gets_the_credentials() {
    let (out, _) = migrated(
        "[oslo_messaging_rabbit]\nrabbit_hosts = r1:5672, r2 ,r3:5673\nrabbit_userid = nova\nrabbit_password = s3cret\n",
        "mitaka",
        "newton",
    );
    assert!(
        out.contains("transport_url = rabbit://nova:s3cret@r1:5672,nova:s3cret@r2:5672,nova:s3cret@r3:5673/\n"),
        "{out}"
    );
}

#[test]
fn an_existing_transport_url_wins_over_rabbit_options() {
    let (out, m) = migrated(
        "[DEFAULT]\ntransport_url = rabbit://a:b@c:5672/\nrpc_backend = rabbit\n[oslo_messaging_rabbit]\nrabbit_host = other\n",
        "mitaka",
        "newton",
    );
    assert_eq!(out, "[DEFAULT]\ntransport_url = rabbit://a:b@c:5672/\n");
    let c = change(&m, "rabbit_host");
    assert_eq!(
        (c.kind, c.safety),
        (ChangeKind::Remove, rules::Safety::Review)
    );
    assert!(
        c.note
            .as_ref()
            .unwrap()
            .contains("ignores the rabbit_* options")
    );
}

#[test]
fn rules_of_earlier_releases_catch_up_with_a_config_that_still_needs_them() {
    // An Ocata config still on the deprecated rabbit options, migrated to
    // Stein (which removes them): Newton's MSG002 merges them at the first hop.
    let (out, m) = migrated(
        "[DEFAULT]\nmy_ip = 10.0.0.31\n[oslo_messaging_rabbit]\nrabbit_host = controller\nrabbit_userid = openstack\nrabbit_password = pw\n",
        "ocata",
        "stein",
    );
    assert_eq!(
        out,
        "[DEFAULT]\nmy_ip = 10.0.0.31\ntransport_url = rabbit://openstack:pw@controller:5672/\n"
    );
    assert_eq!(change(&m, "rabbit_host").release, "newton");
}

#[test]
fn vnc_options_move_at_liberty_and_are_renamed_at_queens() {
    let text = "[DEFAULT]\nvnc_enabled = True\nvncserver_listen = 0.0.0.0\nvncserver_proxyclient_address = 10.0.0.31\n";
    let (out, m) = migrated(text, "juno", "newton");
    assert_eq!(
        out,
        "\n[vnc]\nenabled = True\nvncserver_listen = 0.0.0.0\nvncserver_proxyclient_address = 10.0.0.31\n"
    );
    assert_eq!(change(&m, "vnc_enabled").rule, "VNC001");
    let (out, m) = migrated(text, "juno", "wallaby");
    assert!(out.ends_with("[vnc]\nenabled = True\nserver_listen = 0.0.0.0\nserver_proxyclient_address = 10.0.0.31\n"), "{out}");
    let c = change(&m, "vncserver_listen");
    assert_eq!(
        (c.rule.as_str(), c.via.as_slice()),
        ("VNC003", &["VNC001".to_string()][..])
    );
}

#[test]
fn database_and_lock_path_move_out_of_default() {
    let (out, m) = migrated(
        "[DEFAULT]\nsql_connection = mysql://nova:pw@db/nova\nlock_path = /var/lock/nova\n",
        "juno",
        "kilo",
    );
    assert_eq!(
        out,
        "\n[database]\nconnection = mysql://nova:pw@db/nova\n\n[oslo_concurrency]\nlock_path = /var/lock/nova\n"
    );
    assert_eq!(change(&m, "sql_connection").rule, "DB001");
    assert_eq!(change(&m, "lock_path").rule, "DB002");
    assert!(change(&m, "sql_connection").after_secret);
}

#[test]
fn legacy_keystone_settings_become_the_password_plugin() {
    let text = "[keystone_authtoken]\nauth_uri = http://controller:5000/v2.0\nauth_host = controller\nadmin_tenant_name = service\nadmin_user = nova\nadmin_password = NOVA_PASS\n";
    let (out, m) = migrated(text, "juno", "kilo");
    assert_eq!(
        out,
        "[keystone_authtoken]\nauth_uri = http://controller:5000/v2.0\nproject_name = service\nusername = nova\npassword = NOVA_PASS\nauth_url = https://controller:35357\nauth_plugin = password\nuser_domain_name = Default\nproject_domain_name = Default\n"
    );
    let note = change(&m, "auth_host").note.clone().unwrap();
    assert!(
        note.contains("port 35357 (the Juno default)")
            && note.contains("protocol https (the Juno default)"),
        "{note}"
    );
    let (out, _) = migrated(text, "juno", "wallaby");
    assert_eq!(
        out,
        "[keystone_authtoken]\nwww_authenticate_uri = http://controller:5000\nproject_name = service\nusername = nova\npassword = NOVA_PASS\nauth_url = https://controller:35357\nauth_type = password\nuser_domain_name = Default\nproject_domain_name = Default\n"
    );
}

#[test]
fn domain_ids_already_given_are_not_doubled_by_names() {
    let text = "[keystone_authtoken]\nauth_url = http://controller:35357\nauth_plugin = password\nproject_domain_id = default\nuser_domain_id = default\nproject_name = service\nusername = nova\npassword = pw\n";
    let (out, m) = migrated(text, "kilo", "wallaby");
    assert!(!out.contains("domain_name"), "{out}");
    assert_eq!(
        change(&m, "auth_plugin").after.as_ref().unwrap().key,
        "auth_type"
    );
}

#[test]
fn glance_host_port_and_protocol_become_api_servers() {
    let (out, m) = migrated(
        "[glance]\nhost = controller\nport = 9293\n",
        "mitaka",
        "newton",
    );
    assert_eq!(out, "[glance]\napi_servers = http://controller:9293\n");
    assert!(
        change(&m, "host")
            .note
            .as_ref()
            .unwrap()
            .contains("protocol http (the Mitaka default)")
    );
    let (out, _) = migrated(
        "[glance]\napi_servers = https://glance:9292\nhost = old\n",
        "mitaka",
        "newton",
    );
    assert_eq!(out, "[glance]\napi_servers = https://glance:9292\n");
}

#[test]
fn network_api_class_becomes_use_neutron_which_goes_with_nova_network() {
    let (out, m) = migrated(
        "[DEFAULT]\nnetwork_api_class = nova.network.neutronv2.api.API\nsecurity_group_api = neutron\n",
        "juno",
        "newton",
    );
    assert_eq!(out, "[DEFAULT]\nuse_neutron = True\n");
    assert_eq!(change(&m, "network_api_class").rule, "NET001");
    assert_eq!(change(&m, "security_group_api").rule, "NET002");
    // nova-network: False, kept until Ussuri, which asks to move to neutron.
    let m = run(
        "[DEFAULT]\nnetwork_api_class = nova.network.api.API\n",
        "juno",
        "ussuri",
        None,
        false,
    );
    assert!(
        m.manual
            .iter()
            .any(|s| s.id == "NET003" && s.text.contains("nova-network")),
        "{:#?}",
        m.manual
    );
    assert_eq!(change(&m, "network_api_class").kind, ChangeKind::Remove);
}

#[test]
fn neutron_admin_settings_become_the_password_plugin_and_url_endpoint_override() {
    let text = "[neutron]\nurl = http://controller:9696\nauth_strategy = keystone\nadmin_auth_url = http://controller:35357/v2.0\nadmin_tenant_name = service\nadmin_username = neutron\nadmin_password = NEUTRON_PASS\n";
    let (out, m) = migrated(text, "juno", "wallaby");
    assert_eq!(
        out,
        "[neutron]\nendpoint_override = http://controller:9696\nauth_url = http://controller:35357\nproject_name = service\nusername = neutron\npassword = NEUTRON_PASS\nauth_type = password\nuser_domain_name = Default\nproject_domain_name = Default\n"
    );
    let url = change(&m, "admin_auth_url");
    assert_eq!(
        (url.rule.as_str(), url.safety),
        ("NET004", rules::Safety::Review)
    );
    assert!(url.note.as_ref().unwrap().contains("/v2.0 dropped"));
    assert_eq!(change(&m, "url").rule, "NET005");
}

#[test]
fn removed_options_are_deleted_or_commented_out_under_a_marker() {
    let text = "[DEFAULT]\nverbose = True\nmy_ip = 10.0.0.1\n";
    let (out, m) = migrated(text, "juno", "pike");
    assert_eq!(out, "[DEFAULT]\nmy_ip = 10.0.0.1\n");
    assert_eq!(change(&m, "verbose").rule, "LOG001");
    let m = run(text, "juno", "pike", None, true);
    assert_eq!(
        String::from_utf8(m.document.to_bytes()).unwrap(),
        "[DEFAULT]\n# stackhop LOG001: removed in Pike: INFO logging is always on\n#verbose = True\nmy_ip = 10.0.0.1\n"
    );
}

#[test]
fn options_the_inventory_dropped_are_removed_with_the_release_that_dropped_them() {
    let (out, m) = migrated(
        "[DEFAULT]\ndefault_flavor = m1.small\nx = 1\n",
        "stein",
        "train",
    );
    assert_eq!(out, "[DEFAULT]\nx = 1\n");
    let c = change(&m, "default_flavor");
    assert_eq!(c.rule, builtin::REMOVE);
    assert_eq!(
        c.note.as_deref(),
        Some("Train no longer has this option (last read by Stein)")
    );
    assert_eq!(m.unchanged, 1, "an option no release knows is left alone");
}

#[test]
fn options_the_source_release_already_ignored_are_removed_first() {
    let (out, m) = migrated("[DEFAULT]\nlibvirt_type = kvm\n", "juno", "kilo");
    assert_eq!(out, "", "a section left empty goes too");
    let note = change(&m, "libvirt_type").note.clone().unwrap();
    assert!(note.starts_with("Juno already ignored it"), "{note}");
    assert!(note.contains("[libvirt] virt_type replaces it"), "{note}");
}

#[test]
fn an_inline_comment_moves_to_the_line_above() {
    let (out, m) = migrated(
        "[DEFAULT]\nmy_ip = 10.0.0.11  # management\n",
        "newton",
        "ocata",
    );
    assert_eq!(out, "[DEFAULT]\n# management\nmy_ip = 10.0.0.11\n");
    let c = change(&m, "my_ip");
    assert_eq!(
        (c.rule.as_str(), c.safety),
        (builtin::INLINE_COMMENT, rules::Safety::Review)
    );
    // Indented comment lines under a value are part of it too.
    let (out, _) = migrated(
        "[DEFAULT]\nfirewall_driver = nova.virt.firewall.NoopFirewallDriver\n\t# pasted from the wiki\n  ; and this\nx = 1 ; y\n",
        "stein",
        "train",
    );
    assert_eq!(
        out,
        "[DEFAULT]\n# pasted from the wiki\n# and this\nfirewall_driver = nova.virt.firewall.NoopFirewallDriver\n# y\nx = 1\n"
    );
    // A secret is not touched: a manual step asks to look.
    let (out, m) = migrated(
        "[keystone_authtoken]\npassword = abc #1\n",
        "newton",
        "ocata",
    );
    assert_eq!(out, "[keystone_authtoken]\npassword = abc #1\n");
    let step = m
        .manual
        .iter()
        .find(|s| s.id == builtin::INLINE_COMMENT)
        .unwrap();
    assert!(!step.text.contains("abc"), "{}", step.text);
}

#[test]
fn lists_and_values_that_changed_meaning() {
    let (out, _) = migrated(
        "[DEFAULT]\nenabled_apis = ec2,osapi_compute,metadata\nforce_config_drive = always\n",
        "liberty",
        "mitaka",
    );
    assert_eq!(
        out,
        "[DEFAULT]\nenabled_apis = osapi_compute,metadata\nforce_config_drive = True\n"
    );
}

#[test]
fn manual_steps_name_what_editing_cannot_do() {
    let compute = "[DEFAULT]\nrabbit_host = controller\n";
    let m = run(compute, "juno", "wallaby", Some(Role::Compute), false);
    let rules = manual_rules(&m);
    assert!(rules.contains(&"PLC001"), "placement at Ocata: {rules:?}");
    assert!(rules.contains(&"placement-credentials"), "{rules:?}");
    assert!(
        !rules.contains(&"CELL001"),
        "cells v2 is the controller's: {rules:?}"
    );
    assert!(!rules.contains(&"api-database-connection"), "{rules:?}");
    let m = run(compute, "juno", "wallaby", Some(Role::Controller), false);
    let rules = manual_rules(&m);
    for expected in [
        "CELL001",
        "PLC003",
        "api-database-connection",
        "service:nova-cert",
        "service:nova-consoleauth",
    ] {
        assert!(rules.contains(&expected), "{expected} in {rules:?}");
    }
    let ocata = m.manual.iter().find(|s| s.id == "CELL001").unwrap();
    assert_eq!(ocata.release, "ocata");
    // Role unknown: every role's requirement, saying whose it is.
    let m = run(compute, "juno", "wallaby", None, false);
    let api = m
        .manual
        .iter()
        .find(|s| s.id == "api-database-connection")
        .unwrap();
    assert_eq!(api.roles, [Role::Controller]);
    assert_eq!(api.kind, rules::StepKind::Requirement);
    assert_eq!(api.release, "mitaka", "where the requirement begins");
    assert!(
        api.text.starts_with("Set [api_database] connection"),
        "{}",
        api.text
    );
    assert!(
        api.options
            .iter()
            .any(|o| o.spec() == "api_database/connection")
    );
    let cert = m
        .manual
        .iter()
        .find(|s| s.id == "service:nova-cert")
        .unwrap();
    assert_eq!(cert.kind, rules::StepKind::ServiceRemoved);
    assert_eq!(cert.roles, [Role::Controller]);
}

#[test]
fn manual_steps_come_in_release_order() {
    let catalog = Catalog::embedded().unwrap();
    let m = run(
        "[DEFAULT]\nrabbit_host = controller\n",
        "juno",
        "wallaby",
        None,
        false,
    );
    let order: Vec<usize> = m
        .manual
        .iter()
        .map(|s| catalog.get(&s.release).unwrap().index)
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "{:#?}", m.manual);
    assert!(m.manual.len() > 5);
}

#[test]
fn migrating_to_the_same_release_changes_nothing() {
    let text = "[DEFAULT]\nrabbit_host = x  # note\nvncserver_listen = 0.0.0.0\n";
    let m = run(text, "juno", "juno", Some(Role::Controller), false);
    assert_eq!(m.document.to_bytes(), text.as_bytes());
    assert!(m.changes.is_empty() && m.manual.is_empty() && m.hops.is_empty());
    assert_eq!(m.unchanged, 2);
}

#[test]
fn migrating_backwards_is_refused() {
    let catalog = Catalog::embedded().unwrap();
    let book = RuleBook::embedded().unwrap();
    let err = migrate(
        Document::parse("").unwrap(),
        &catalog,
        &book,
        Start::Given(catalog.get("stein").unwrap()),
        catalog.get("juno").unwrap(),
        Options::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot migrate backwards, from Stein to Juno"
    );
}

#[test]
fn every_rule_file_loads_and_explains_itself() {
    let book = RuleBook::embedded().unwrap();
    let ids: Vec<&str> = book.all().map(|(_, r)| r.id.as_str()).collect();
    for expected in [
        "DB001", "MSG001", "MSG002", "VNC001", "VNC003", "ID001", "ID002", "IMG001", "NET001",
        "NET004", "NET005",
    ] {
        assert!(ids.contains(&expected), "{expected}");
    }
    for (_, rule) in book.all() {
        assert!(
            !rule.summary.is_empty() && !rule.why.trim().is_empty() && !rule.evidence.is_empty()
        );
    }
}

#[test]
fn a_removed_driver_takes_its_whole_section() {
    let input = "[DEFAULT]\ncompute_driver = libvirt.LibvirtDriver\n\n[xenserver]\n# the pool\nconnection_url = https://xen\nconnection_password = secret\nnot_an_option = x\n";
    let (out, m) = migrated(input, "ussuri", "victoria");
    assert_eq!(
        out,
        "[DEFAULT]\ncompute_driver = libvirt.LibvirtDriver\n\n[xenserver]\n# the pool\n"
    );
    for key in ["connection_url", "connection_password", "not_an_option"] {
        let c = change(&m, key);
        assert_eq!(
            (c.rule.as_str(), c.kind, c.after.is_none()),
            ("XEN001", ChangeKind::Remove, true)
        );
    }
    assert_eq!(m.unchanged, 1);
    let kept = run(input, "ussuri", "victoria", None, true);
    let out = String::from_utf8(kept.document.to_bytes()).unwrap();
    assert_eq!(out.matches("# stackhop XEN001: ").count(), 3, "{out}");
    assert!(out.contains("\n#connection_url = https://xen\n"), "{out}");
}

/// Issue 10, item 1: the notification options move at Ocata, not vanish.
#[test]
fn notification_options_move_to_their_group_at_ocata() {
    let text = "[DEFAULT]\nnotify_on_state_change = vm_and_task_state\nnotify_api_faults = True\ndefault_notification_level = INFO\nnotification_format = versioned\nconsole_allowed_origins = https://console.example.org\n";
    let (out, m) = migrated(text, "newton", "ocata");
    assert_eq!(
        out,
        "\n[notifications]\nnotify_on_state_change = vm_and_task_state\nnotify_on_api_faults = True\ndefault_level = INFO\nnotification_format = versioned\n\n[console]\nallowed_origins = https://console.example.org\n"
    );
    for key in [
        "notify_on_state_change",
        "notify_api_faults",
        "default_notification_level",
        "notification_format",
    ] {
        let c = change(&m, key);
        assert_eq!(
            (c.rule.as_str(), c.kind, c.safety),
            ("NOTIF001", ChangeKind::Rename, rules::Safety::Safe)
        );
    }
    assert_eq!(change(&m, "console_allowed_origins").rule, "CON001");
    // Queens drops notify_on_api_faults with the api.fault notification.
    let (out, m) = migrated(text, "newton", "wallaby");
    assert!(!out.contains("notify_on_api_faults"), "{out}");
    assert!(
        out.contains(
            "[notifications]\nnotify_on_state_change = vm_and_task_state\ndefault_level = INFO\n"
        ),
        "{out}"
    );
    let c = change(&m, "notify_api_faults");
    assert_eq!(
        (c.rule.as_str(), c.release.as_str()),
        ("NOTIF004", "queens")
    );
    // An Ocata file (written for 15.0.1, which reads the [DEFAULT] names)
    // keeps its settings too.
    let (out, m) = migrated(text, "ocata", "pike");
    assert!(
        out.contains("[notifications]\nnotify_on_state_change = vm_and_task_state\n"),
        "{out}"
    );
    assert_eq!(change(&m, "notify_on_state_change").rule, "NOTIF001");
}

/// Issue 10, item 2: filters nova removed leave the filter list at the hop
/// that removed them (nova-scheduler does not start otherwise).
#[test]
fn removed_scheduler_filters_leave_the_list_at_their_hop() {
    let text = "[filter_scheduler]\nenabled_filters = RetryFilter, AvailabilityZoneFilter, RamFilter, ComputeFilter, AggregateCoreFilter, ServerGroupAffinityFilter\n";
    let (out, m) = migrated(text, "stein", "wallaby");
    assert_eq!(
        out,
        "[filter_scheduler]\nenabled_filters = AvailabilityZoneFilter, ComputeFilter, ServerGroupAffinityFilter\n"
    );
    let c = change(&m, "enabled_filters");
    assert_eq!(
        (c.rule.as_str(), c.kind, c.safety, c.via.as_slice()),
        (
            "SCH013",
            ChangeKind::ValueMap,
            rules::Safety::Review,
            &["SCH012".to_string()][..]
        )
    );
    let note = c.note.as_deref().unwrap();
    assert!(
        note.starts_with("RamFilter dropped from the list: removed in Train"),
        "{note}"
    );
    assert!(
        note.contains(
            "RetryFilter, AggregateCoreFilter dropped from the list: removed in Victoria"
        ),
        "{note}"
    );
    let step = m.manual.iter().find(|s| s.id == "SCH013").unwrap();
    assert_eq!(step.release, "victoria");
    assert!(step.text.contains("allocation ratios"), "{}", step.text);
    // The old name, at a first hop where the rule runs before the rename.
    let (out, m) = migrated(
        "[DEFAULT]\nscheduler_default_filters = TrustedFilter,ComputeFilter\n",
        "pike",
        "queens",
    );
    assert_eq!(
        out,
        "\n[filter_scheduler]\nenabled_filters = ComputeFilter\n"
    );
    assert_eq!(
        change(&m, "scheduler_default_filters").via,
        ["SCH010".to_string()]
    );
    // Each at its own hop: Kilo (Group*Affinity), Rocky (Exact*).
    let (out, m) = migrated(
        "[DEFAULT]\nscheduler_default_filters = GroupAffinityFilter,ExactRamFilter,ComputeFilter\n",
        "juno",
        "rocky",
    );
    assert_eq!(
        out,
        "\n[filter_scheduler]\nenabled_filters = ComputeFilter\n"
    );
    let c = change(&m, "scheduler_default_filters");
    assert_eq!(c.rule, "SCH011");
    assert!(c.via.contains(&"SCH009".to_string()), "{:?}", c.via);
    // A list that would be left empty is not emptied (nova would take its
    // default list): a manual step says so.
    let (out, m) = migrated(
        "[filter_scheduler]\nenabled_filters = RamFilter\n",
        "stein",
        "train",
    );
    assert_eq!(out, "[filter_scheduler]\nenabled_filters = RamFilter\n");
    assert!(manual_rules(&m).contains(&"SCH012"), "{:#?}", m.manual);
}

/// Issue 10, item 3: mysql:// gets the PyMySQL driver at Ussuri (Python 3
/// only), every other byte of the URL kept; the cell mappings are named.
#[test]
fn mysql_urls_get_the_pymysql_driver_at_ussuri() {
    let text = "[database]\nconnection = mysql://nova:p%40ss@db.example.org:3306/nova?charset=utf8&plugin=dbcounter\n[api_database]\nconnection = mysql://nova:NOVA_DBPASS@controller/nova_api\nslave_connection = postgresql://nova:pw@replica/nova_api\n";
    let (out, m) = migrated(text, "train", "ussuri");
    assert_eq!(
        out,
        "[database]\nconnection = mysql+pymysql://nova:p%40ss@db.example.org:3306/nova?charset=utf8&plugin=dbcounter\n[api_database]\nconnection = mysql+pymysql://nova:NOVA_DBPASS@controller/nova_api\nslave_connection = postgresql://nova:pw@replica/nova_api\n"
    );
    let c = change(&m, "connection");
    assert_eq!(
        (c.rule.as_str(), c.kind, c.safety, c.release.as_str()),
        (
            "DB003",
            ChangeKind::UrlPart,
            rules::Safety::Review,
            "ussuri"
        )
    );
    assert!(c.after_secret && !c.note.as_deref().unwrap().contains("p%40ss"));
    let step = m.manual.iter().find(|s| s.id == "DB003").unwrap();
    assert_eq!(step.kind, rules::StepKind::Database);
    assert_eq!(step.commands[0], "nova-manage cell_v2 list_cells --verbose");
    // Not before Ussuri; and a driver already named stays.
    let (out, _) = migrated(text, "stein", "train");
    assert!(out.contains("connection = mysql://nova:p%40ss"), "{out}");
    let (out, m) = migrated(
        &out.replace("mysql://", "mysql+pymysql://"),
        "train",
        "wallaby",
    );
    assert!(!m.changes.iter().any(|c| c.rule == "DB003"), "{out}");
}

/// Issue 10, item 4: the Havana notifier paths, which Kilo no longer
/// resolves, become the oslo.messaging driver names, each occurrence of the
/// multi-valued option on its own.
#[test]
fn dead_notifier_drivers_get_their_oslo_messaging_names() {
    let text = "[DEFAULT]\nnotification_driver = nova.openstack.common.notifier.rpc_notifier\nnotification_driver = nova.openstack.common.notifier.log_notifier\nnotification_driver = custom.Driver\n";
    let (out, m) = migrated(text, "juno", "kilo");
    assert_eq!(
        out,
        "[DEFAULT]\nnotification_driver = messaging\nnotification_driver = log\nnotification_driver = custom.Driver\n"
    );
    let values: Vec<(String, String)> = m
        .changes
        .iter()
        .map(|c| {
            (
                c.before.as_ref().unwrap().value.clone(),
                c.after.as_ref().unwrap().value.clone(),
            )
        })
        .collect();
    assert_eq!(
        values,
        [
            (
                "nova.openstack.common.notifier.rpc_notifier".to_string(),
                "messaging".to_string()
            ),
            (
                "nova.openstack.common.notifier.log_notifier".to_string(),
                "log".to_string()
            ),
        ]
    );
    assert!(m.changes.iter().all(|c| c.rule == "NOTIF002"));
    assert_eq!(m.unchanged, 1, "custom.Driver is left as it is");
    // A Mitaka file that copied the old value into the new name.
    let (out, _) = migrated(
        "[oslo_messaging_notifications]\ndriver = nova.openstack.common.notifier.rpc_notifier2\n",
        "mitaka",
        "wallaby",
    );
    assert_eq!(
        out,
        "[oslo_messaging_notifications]\ndriver = messagingv2\n"
    );
}

/// Issue 10, item 5: class paths become what Newton and Ocata load, before
/// the hop moves the scheduler options to [scheduler].
#[test]
fn class_path_drivers_become_what_the_release_loads() {
    let text = "[DEFAULT]\ncompute_driver = nova.virt.libvirt.LibvirtDriver\nscheduler_driver = nova.scheduler.filter_scheduler.FilterScheduler\nscheduler_host_manager = nova.scheduler.host_manager.HostManager\n";
    let (out, m) = migrated(text, "juno", "ocata");
    assert_eq!(
        out,
        "[DEFAULT]\ncompute_driver = libvirt.LibvirtDriver\n\n[scheduler]\ndriver = filter_scheduler\nhost_manager = host_manager\n"
    );
    let c = change(&m, "compute_driver");
    assert_eq!(
        (c.rule.as_str(), c.kind, c.safety, c.release.as_str()),
        (
            "VIRT001",
            ChangeKind::ValueMap,
            rules::Safety::Safe,
            "newton"
        )
    );
    assert_eq!(
        change(&m, "scheduler_host_manager").via,
        ["SCH001".to_string()]
    );
    assert_eq!(change(&m, "scheduler_driver").via, ["SCH002".to_string()]);
    // The output passes check for Ocata: no invalid or obsolete value.
    let catalog = Catalog::embedded().unwrap();
    let fs = crate::check::check(
        &Document::parse(out.as_str()).unwrap(),
        &catalog,
        catalog.get("ocata").unwrap(),
        &crate::check::Options::default(),
    )
    .unwrap();
    assert!(
        !fs.iter().any(|f| f.code == "C105" || f.code == "C106"),
        "{fs:#?}"
    );
    // Wallaby: the [scheduler] options are gone, the driver stays short.
    let (out, _) = migrated(text, "juno", "wallaby");
    assert_eq!(out, "[DEFAULT]\ncompute_driver = libvirt.LibvirtDriver\n");
    // Stein drops the caching and chance schedulers.
    let (out, m) = migrated(
        "[scheduler]\ndriver = caching_scheduler\n",
        "rocky",
        "stein",
    );
    assert_eq!(out, "[scheduler]\ndriver = filter_scheduler\n");
    assert_eq!(change(&m, "driver").safety, rules::Safety::Review);
}

/// Issue 10, item 6: api_servers entries without a scheme get the http://
/// nova used to add; a template placeholder is left and named.
#[test]
fn glance_api_servers_without_a_scheme_get_http() {
    let (out, m) = migrated(
        "[glance]\napi_servers = 10.0.2.15:9292, https://img2.example.org:9292,{{ glance_url }}\n",
        "pike",
        "queens",
    );
    assert_eq!(
        out,
        "[glance]\napi_servers = http://10.0.2.15:9292, https://img2.example.org:9292,{{ glance_url }}\n"
    );
    let c = change(&m, "api_servers");
    assert_eq!(
        (c.rule.as_str(), c.kind, c.safety),
        ("IMG002", ChangeKind::UrlPart, rules::Safety::Safe)
    );
    let step = m.manual.iter().find(|s| s.id == "IMG002").unwrap();
    assert!(step.text.contains("{{ glance_url }}"), "{}", step.text);
    // Already URLs: nothing to do.
    let (out, m) = migrated(
        "[glance]\napi_servers = http://a:9292,https://b:9292\n",
        "pike",
        "queens",
    );
    assert_eq!(
        out,
        "[glance]\napi_servers = http://a:9292,https://b:9292\n"
    );
    assert!(m.changes.is_empty());
}

/// Issue 10, item 14g: one api_servers URL becomes endpoint_override at
/// Ussuri (which deprecates api_servers); several get a manual step.
#[test]
fn a_single_glance_api_server_becomes_endpoint_override() {
    let (out, m) = migrated(
        "[glance]\napi_servers = controller:9292\n",
        "kilo",
        "wallaby",
    );
    assert_eq!(
        out,
        "[glance]\nendpoint_override = http://controller:9292\n"
    );
    let c = change(&m, "api_servers");
    assert_eq!(
        (c.rule.as_str(), c.safety),
        ("IMG003", rules::Safety::Review)
    );
    assert_eq!(c.via, ["IMG002".to_string()]);
    let text = "[glance]\napi_servers = http://a:9292,http://b:9292\n";
    let (out, m) = migrated(text, "train", "ussuri");
    assert_eq!(out, text);
    assert!(manual_rules(&m).contains(&"IMG003"));
}

/// Issue 10, item 7: catalog_info leaves Cinder v1 at Ocata and v2 at
/// Queens, the interface kept; an unknown service name is a manual step.
#[test]
fn cinder_catalog_info_follows_the_api_versions_nova_keeps() {
    let (out, m) = migrated(
        "[cinder]\ncatalog_info = volume:cinder:internalURL\n",
        "juno",
        "ocata",
    );
    assert_eq!(
        out,
        "[cinder]\ncatalog_info = volumev2:cinderv2:internalURL\n"
    );
    assert_eq!(change(&m, "catalog_info").rule, "CIN001");
    let (out, m) = migrated(
        "[cinder]\ncatalog_info = volume:cinder:internalURL\n",
        "juno",
        "queens",
    );
    assert_eq!(
        out,
        "[cinder]\ncatalog_info = volumev3:cinderv3:internalURL\n"
    );
    let c = change(&m, "catalog_info");
    assert_eq!(
        (c.rule.as_str(), c.safety, c.via.as_slice()),
        ("CIN002", rules::Safety::Review, &["CIN001".to_string()][..])
    );
    let text = "[cinder]\ncatalog_info = volumev2:blockstore:publicURL\nendpoint_template = http://c:8776/v2/%(project_id)s\n";
    let (out, m) = migrated(text, "pike", "queens");
    assert_eq!(out, text);
    let steps: Vec<&str> = m
        .manual
        .iter()
        .filter(|s| s.id == "CIN002")
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(steps.len(), 2, "{steps:#?}");
}

/// Issue 10, item 8: the [ironic] admin_* credentials become the password
/// plugin at Ocata instead of being dropped.
#[test]
fn ironic_admin_credentials_become_the_password_plugin() {
    let text = "[ironic]\nadmin_url = http://controller:35357/v2.0\nadmin_tenant_name = service\nadmin_username = ironic\nadmin_password = IRONIC_PASS\napi_endpoint = http://controller:6385/v1\n";
    let (out, m) = migrated(text, "newton", "ocata");
    assert_eq!(
        out,
        "[ironic]\nauth_url = http://controller:35357\nproject_name = service\nusername = ironic\npassword = IRONIC_PASS\napi_endpoint = http://controller:6385/v1\nauth_type = password\nuser_domain_name = Default\nproject_domain_name = Default\n"
    );
    for key in [
        "admin_url",
        "admin_tenant_name",
        "admin_username",
        "admin_password",
    ] {
        let c = change(&m, key);
        assert_eq!(
            (c.rule.as_str(), c.safety),
            ("IRO001", rules::Safety::Review),
            "{key}"
        );
    }
    // From Juno: the same, and admin_auth_token (gone in Newton) is a
    // manual step.
    let m = run(
        &format!("{text}admin_auth_token = tok\n"),
        "juno",
        "wallaby",
        None,
        false,
    );
    let out = String::from_utf8(m.document.to_bytes()).unwrap();
    assert!(
        out.contains("username = ironic\npassword = IRONIC_PASS\n"),
        "{out}"
    );
    assert!(manual_rules(&m).contains(&"IRO002"));
    assert_eq!(change(&m, "admin_auth_token").rule, "IRO002");
}

/// Issue 10, item 9: [placement_database] leaves nova.conf at Train as a
/// review, for placement.conf; the Stein step says whether to copy tables.
#[test]
fn placement_database_goes_to_placement_conf_and_the_step_says_which_case() {
    let text = "[placement_database]\nconnection = mysql+pymysql://placement:PLACEMENT_DBPASS@controller/placement\n";
    let m = run(text, "rocky", "train", Some(Role::Controller), false);
    assert_eq!(m.document.to_bytes(), b"");
    let c = change(&m, "connection");
    assert_eq!(
        (c.rule.as_str(), c.safety, c.release.as_str()),
        ("PLC004", rules::Safety::Review, "train")
    );
    let stein: Vec<&ManualStep> = m.manual.iter().filter(|s| s.id == "PLC003").collect();
    assert_eq!(stein.len(), 1);
    assert!(
        stein[0].text.contains("do not copy tables"),
        "{}",
        stein[0].text
    );
    assert_eq!(stein[0].kind, rules::StepKind::Placement);
    assert_eq!(
        stein[0].commands,
        [
            "placement-manage db sync",
            "placement-manage db online_data_migrations"
        ]
    );
    assert!(manual_rules(&m).contains(&"PLC004"));
    // Without it: the data is in nova_api, to be copied.
    let m = run(
        "[DEFAULT]\nmy_ip = 10.0.0.11\n",
        "rocky",
        "train",
        Some(Role::Controller),
        false,
    );
    let stein: Vec<&ManualStep> = m.manual.iter().filter(|s| s.id == "PLC003").collect();
    assert_eq!(stein.len(), 1);
    assert!(
        stein[0].text.contains("copy them into the new database"),
        "{}",
        stein[0].text
    );
    assert!(!manual_rules(&m).contains(&"PLC004"));
}

/// Issue 10, item 10: before Stein a transport_url without a path took
/// rabbit_virtual_host, and one without a host took every rabbit_* part;
/// they are merged in, not dropped.
#[test]
fn transport_urls_that_still_depend_on_rabbit_options_are_completed() {
    let (out, m) = migrated(
        "[DEFAULT]\ntransport_url = rabbit://openstack:pw@controller:5672?ssl=1\n[oslo_messaging_rabbit]\nrabbit_virtual_host = open stack\nrabbit_host = ignored\n",
        "ocata",
        "stein",
    );
    assert_eq!(
        out,
        "[DEFAULT]\ntransport_url = rabbit://openstack:pw@controller:5672/open%20stack?ssl=1\n"
    );
    let c = change(&m, "transport_url");
    assert_eq!(
        (c.rule.as_str(), c.kind, c.safety),
        ("MSG002", ChangeKind::UrlPart, rules::Safety::Review)
    );
    assert_eq!(change(&m, "rabbit_virtual_host").kind, ChangeKind::UrlPart);
    assert_eq!(change(&m, "rabbit_host").kind, ChangeKind::Remove);
    let step = m.manual.iter().find(|s| s.id == "MSG002").unwrap();
    assert_eq!(step.kind, rules::StepKind::Cells);
    // No host: the whole broker comes from the rabbit_* options.
    let (out, m) = migrated(
        "[DEFAULT]\ntransport_url = rabbit://\n[oslo_messaging_rabbit]\nrabbit_host = controller\nrabbit_userid = openstack\nrabbit_password = p@ss\n",
        "ocata",
        "stein",
    );
    assert_eq!(
        out,
        "[DEFAULT]\ntransport_url = rabbit://openstack:p%40ss@controller:5672/\n"
    );
    assert_eq!(change(&m, "transport_url").kind, ChangeKind::MergeUrl);
    assert_eq!(change(&m, "rabbit_password").kind, ChangeKind::MergeUrl);
    // A path, even empty, gives the virtual host: the URL stays byte for byte.
    let (out, m) = migrated(
        "[DEFAULT]\ntransport_url = rabbit://openstack:pw@controller:5672/\n[oslo_messaging_rabbit]\nrabbit_virtual_host = openstack\n",
        "ocata",
        "stein",
    );
    assert_eq!(
        out,
        "[DEFAULT]\ntransport_url = rabbit://openstack:pw@controller:5672/\n"
    );
    assert_eq!(change(&m, "rabbit_virtual_host").kind, ChangeKind::Remove);
    assert!(!manual_rules(&m).contains(&"MSG002"));
    // The notification transport reads the same options.
    let (out, _) = migrated(
        "[DEFAULT]\nrabbit_host = controller\nrabbit_virtual_host = nova\n[oslo_messaging_notifications]\ntransport_url = rabbit://n:pw@notify:5672\n",
        "mitaka",
        "stein",
    );
    assert!(
        out.contains("transport_url = rabbit://n:pw@notify:5672/nova\n"),
        "{out}"
    );
    assert!(
        out.contains("transport_url = rabbit://guest:guest@controller:5672/nova\n"),
        "{out}"
    );
}

/// Issue 10, item 12: a Pike file still on the legacy settings is converted
/// at its first hop into Queens.
#[test]
fn legacy_keystone_authtoken_settings_are_converted_on_the_way_to_queens() {
    let (out, m) = migrated(
        "[keystone_authtoken]\nidentity_uri = http://controller:35357\nadmin_user = nova\nadmin_password = NOVA_PASS\nadmin_tenant_name = service\n",
        "pike",
        "queens",
    );
    assert_eq!(
        out,
        "[keystone_authtoken]\nauth_url = http://controller:35357\nusername = nova\npassword = NOVA_PASS\nproject_name = service\nauth_type = password\nuser_domain_name = Default\nproject_domain_name = Default\n"
    );
    assert_eq!(change(&m, "admin_user").rule, "ID002");
}

/// Issue 10, item 14b: a replacement is named only when the releases
/// migrated through still have it ([libvirt] vif_driver went with Juno too).
#[test]
fn an_already_ignored_option_names_no_replacement_that_is_gone_too() {
    let (_, m) = migrated(
        "[DEFAULT]\nlibvirt_vif_driver = nova.virt.libvirt.vif.LibvirtGenericVIFDriver\n",
        "juno",
        "kilo",
    );
    let note = change(&m, "libvirt_vif_driver").note.clone().unwrap();
    assert!(!note.contains("replaces it,"), "{note}");
    assert!(
        note.ends_with(
            "it was an old name of [libvirt] vif_driver, which is gone too, so nothing replaces it"
        ),
        "{note}"
    );
}

/// Issue 10, item 14a: the Kilo CPU monitor class name becomes Liberty's
/// entry point name.
#[test]
fn the_cpu_monitor_gets_its_entry_point_name() {
    let (out, m) = migrated(
        "[DEFAULT]\ncompute_monitors = ComputeDriverCPUMonitor\n",
        "kilo",
        "liberty",
    );
    assert_eq!(out, "[DEFAULT]\ncompute_monitors = cpu.virt_driver\n");
    assert_eq!(change(&m, "compute_monitors").rule, "MON001");
}

/// Issue 10, item 14f: a Wallaby compute on libvirt+Xen or UML needs a
/// manual step; xen_hvmloader_path goes.
#[test]
fn xen_and_uml_virt_types_need_a_manual_step_in_wallaby() {
    let m = run(
        "[libvirt]\nvirt_type = xen\nxen_hvmloader_path = /usr/lib/xen/boot/hvmloader\n",
        "victoria",
        "wallaby",
        Some(Role::Compute),
        false,
    );
    let step = m.manual.iter().find(|s| s.id == "VIRT002").unwrap();
    assert_eq!(step.kind, rules::StepKind::ServiceRemoved);
    assert_eq!(step.roles, [Role::Compute]);
    assert_eq!(change(&m, "xen_hvmloader_path").rule, "VIRT002");
    let m = run(
        "[libvirt]\nvirt_type = kvm\n",
        "victoria",
        "wallaby",
        None,
        false,
    );
    assert!(!manual_rules(&m).contains(&"VIRT002"));
}

/// Other: Havana's quantumv2 class name meant neutron too.
#[test]
fn the_quantum_network_api_class_means_neutron() {
    let (out, _) = migrated(
        "[DEFAULT]\nnetwork_api_class = nova.network.quantumv2.api.API\n",
        "juno",
        "newton",
    );
    assert_eq!(out, "[DEFAULT]\nuse_neutron = True\n");
}

/// Issue 10, item 14c: migrate names the placement region as something to
/// consider, not a setting to make.
#[test]
fn the_placement_region_is_a_step_to_consider() {
    let m = run(
        "[DEFAULT]\nmy_ip = 10.0.0.31\n",
        "stein",
        "wallaby",
        Some(Role::Compute),
        false,
    );
    let step = m
        .manual
        .iter()
        .find(|s| s.id == "placement-region-name")
        .unwrap();
    assert!(
        step.text
            .starts_with("Consider setting [placement] region_name: Recommended, not required"),
        "{}",
        step.text
    );
    let creds = m
        .manual
        .iter()
        .find(|s| s.id == "placement-credentials")
        .unwrap();
    assert!(creds.text.starts_with("Set "), "{}", creds.text);
}

/// A list item a rule drops goes from every occurrence of a repeated
/// option, and only the occurrences that change are reported.
#[test]
fn list_items_go_from_every_occurrence() {
    let (out, m) = migrated(
        "[DEFAULT]\nenabled_apis = ec2,osapi_compute,metadata\nenabled_apis = osapi_compute,metadata\n",
        "liberty",
        "mitaka",
    );
    assert_eq!(
        out,
        "[DEFAULT]\nenabled_apis = osapi_compute,metadata\nenabled_apis = osapi_compute,metadata\n"
    );
    assert_eq!(m.changes.len(), 1, "{:#?}", m.changes);
    assert_eq!(m.changes[0].before.as_ref().unwrap().line, 2);
    assert_eq!(m.unchanged, 1);
}

/// A manual step of a rule in force at several hops is said once, at the
/// hop where it first applies.
#[test]
fn a_rule_in_force_at_several_hops_says_its_manual_step_once() {
    let m = run(
        "[glance]\napi_servers = {{ glance_url }}\n",
        "pike",
        "train",
        None,
        false,
    );
    let steps: Vec<&ManualStep> = m.manual.iter().filter(|s| s.id == "IMG002").collect();
    assert_eq!(steps.len(), 1, "{steps:#?}");
    assert_eq!(steps[0].release, "queens");
}

#[test]
fn a_message_driver_gone_by_the_target_says_to_move_to_rabbitmq() {
    let zmq = "[DEFAULT]\nrpc_backend = zmq\nrpc_zmq_host = node1\n";
    let step = |to: &str| {
        let m = run(zmq, "newton", to, None, false);
        m.manual
            .iter()
            .find(|s| s.id == "MSG002")
            .map(|s| s.text.clone())
            .unwrap_or_else(|| panic!("no MSG002 step: {:#?}", m.manual))
    };
    // Rocky still has the zmq driver: its own URL is the way.
    let rocky = step("rocky");
    assert!(
        rocky.contains("(zmq://user:password@host:port/)"),
        "{rocky}"
    );
    // Wallaby has none: RabbitMQ, and which release last read zmq's options.
    let wallaby = step("wallaby");
    assert!(wallaby.contains("gone by Wallaby"), "{wallaby}");
    assert!(wallaby.contains("last read by Rocky"), "{wallaby}");
    assert!(
        wallaby.contains("move the message queue to RabbitMQ"),
        "{wallaby}"
    );
    assert!(!wallaby.contains("zmq://"), "{wallaby}");
}

#[test]
fn keys_that_are_not_utf8_and_whole_groups_removed_are_accounted_once_each() {
    // Two keys that read alike once their bad bytes are replaced, one of
    // them with a comment nova reads as part of its value; and a group a
    // rule removes whole, with a key no release knows.
    let text: &[u8] =
        b"[DEFAULT]\nk\xff = a  # note\nk\xfe = b\nk\xef\xbf\xbd = c\nlogdir = /var/log/nova\n\
        [xenserver]\nconnection_url = http://x\nunknown_thing = 1\n";
    let catalog = Catalog::embedded().unwrap();
    let book = RuleBook::embedded().unwrap();
    let doc = Document::parse_lenient(text.to_vec()).unwrap();
    let m = migrate(
        doc,
        &catalog,
        &book,
        Start::Given(catalog.get("juno").unwrap()),
        catalog.get("wallaby").unwrap(),
        Options::default(),
    )
    .unwrap();
    let lines: Vec<usize> = m
        .changes
        .iter()
        .filter_map(|c| c.before.as_ref().map(|b| b.line))
        .collect();
    // Every input option in exactly one change, or unchanged.
    assert_eq!(lines.len() + m.unchanged, 6, "{:#?}", m.changes);
    let mut once = lines.clone();
    once.dedup();
    assert_eq!(once, lines);
    assert!(lines.contains(&2), "the comment of line 2 moves: {lines:?}");
    assert!(lines.contains(&5), "logdir is renamed: {lines:?}");
    assert!(
        lines.contains(&7) && lines.contains(&8),
        "[xenserver] goes: {lines:?}"
    );
    let out = String::from_utf8_lossy(&m.document.to_bytes()).into_owned();
    assert!(!out.contains("unknown_thing"), "{out}");
}
