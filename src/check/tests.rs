//! Findings of the check room on small documents, against the built-in catalog.

use super::*;
use crate::release::Catalog;

fn findings(release: &str, text: &str, role: Option<Role>) -> Vec<Finding> {
    let catalog = Catalog::embedded().unwrap();
    let doc = Document::parse_lenient(text).unwrap();
    check(
        &doc,
        &catalog,
        catalog.get(release).unwrap(),
        &Options { role },
    )
    .unwrap()
}

fn codes(fs: &[Finding]) -> Vec<(&'static str, Option<usize>)> {
    fs.iter().map(|f| (f.code, f.line)).collect()
}

#[test]
fn a_clean_file_has_no_findings() {
    let fs = findings(
        "wallaby",
        "[DEFAULT]\nmy_ip = 10.0.0.11\n\n[vnc]\nenabled = true\nserver_listen = $my_ip\n",
        None,
    );
    assert_eq!(codes(&fs), [("C402", None)]);
}

#[test]
fn old_names_are_deprecated_with_their_new_name() {
    let fs = findings("wallaby", "[DEFAULT]\nvncserver_listen = 0.0.0.0\n", None);
    let f = fs.iter().find(|f| f.code == "C103").unwrap();
    assert_eq!(f.line, Some(2));
    assert_eq!(
        f.suggestion.as_deref(),
        Some(
            "rename it to [vnc] server_listen: stackhop migrate does it (stackhop explain VNC001)"
        )
    );
}

#[test]
fn removed_options_name_the_release_that_removed_them() {
    let fs = findings(
        "wallaby",
        "[DEFAULT]\nrabbit_host = controller\n[glance]\nhost = controller\n",
        None,
    );
    let removed: Vec<_> = fs.iter().filter(|f| f.code == "C104").collect();
    assert_eq!(removed.len(), 2, "{fs:#?}");
    assert!(
        removed[0].message.contains("removed in Stein"),
        "{}",
        removed[0].message
    );
    assert!(
        removed[1].message.contains("removed in Newton"),
        "{}",
        removed[1].message
    );
}

#[test]
fn unknown_options_get_a_did_you_mean() {
    let fs = findings(
        "wallaby",
        "[DEFAULT]\nvirt_type = kvm\ntransport_ur1 = rabbit://x\n",
        None,
    );
    let unknown: Vec<_> = fs.iter().filter(|f| f.code == "C101").collect();
    assert_eq!(
        unknown[0].suggestion.as_deref(),
        Some("did you mean [libvirt] virt_type?")
    );
    assert_eq!(
        unknown[1].suggestion.as_deref(),
        Some("did you mean [DEFAULT] transport_url?")
    );
}

#[test]
fn did_you_mean_stops_after_the_per_file_budget() {
    let mut text = String::from("[DEFAULT]\n");
    for i in 0..SUGGESTIONS_PER_FILE {
        text.push_str(&format!("bogus_option_{i} = 1\n"));
    }
    text.push_str("transport_ur1 = rabbit://x\n");
    let fs = findings("wallaby", &text, None);
    let last = fs.iter().rfind(|f| f.code == "C101").unwrap();
    assert_eq!(last.line, Some(SUGGESTIONS_PER_FILE + 2));
    assert_eq!(last.suggestion, None, "no search past the budget");
    let mut first = String::from("[DEFAULT]\ntransport_ur1 = rabbit://x\n");
    first.push_str(&text[10..]);
    let fs = findings("wallaby", &first, None);
    let f = fs.iter().find(|f| f.code == "C101").unwrap();
    assert_eq!(
        f.suggestion.as_deref(),
        Some("did you mean [DEFAULT] transport_url?")
    );
}

#[test]
fn values_are_checked_after_substitution() {
    let fs = findings(
        "wallaby",
        "[DEFAULT]\nmy_ip = 10.0.0.11  # mgmt\ndebug = yes please\n[vnc]\nserver_listen = $my_ip\nnovncproxy_base_url = http://$my_ip:6080/\n",
        None,
    );
    let got: Vec<_> = fs.iter().map(|f| (f.code, f.line)).collect();
    assert!(got.contains(&("C201", Some(2))), "{got:?}");
    assert!(got.contains(&("C105", Some(3))), "{got:?}");
    assert!(got.contains(&("C105", Some(5))), "{fs:#?}");
}

#[test]
fn undefined_references_and_secret_messages() {
    let fs = findings(
        "wallaby",
        "[database]\nconnection = mysql+pymysql://nova:pa$word@controller/nova\n[DEFAULT]\nhost = $hostname\n",
        None,
    );
    let refs: Vec<_> = fs.iter().filter(|f| f.code == "C203").collect();
    assert_eq!(refs.len(), 2);
    assert!(
        !refs[0].message.contains("word"),
        "a secret's pieces stay out of messages"
    );
    assert!(refs[0].secret);
    assert!(refs[1].message.contains("$hostname"));
}

#[test]
fn references_that_lead_back_are_a_cycle_once_each() {
    let fs = findings(
        "wallaby",
        "[DEFAULT]\nmy_ip = $host\nhost = $my_ip\nstate_path = /srv/$instances_path\n\
         [vnc]\nserver_listen = $server_listen\nserver_proxyclient_address = $my_ip\n\
         novncproxy_base_url = http://$server_proxyclient_address:6080/\n",
        None,
    );
    let cycles: Vec<_> = fs.iter().filter(|f| f.code == "C207").collect();
    let got: Vec<_> = cycles
        .iter()
        .map(|f| (f.line, f.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                Some(2),
                "the $ references in [DEFAULT] my_ip lead back to it: \
                 [DEFAULT] my_ip → [DEFAULT] host → [DEFAULT] my_ip; nova cannot read these options"
            ),
            (
                Some(4),
                "the $ references in [DEFAULT] state_path lead back to it: \
                 [DEFAULT] state_path → [DEFAULT] instances_path (its default) → [DEFAULT] state_path; \
                 nova cannot read these options"
            ),
            (
                Some(6),
                "the $ references in [vnc] server_listen lead back to it: \
                 [vnc] server_listen → [vnc] server_listen; nova cannot read these options"
            ),
        ]
    );
    // A value that reaches a circle is not judged as if `$my_ip` were its text.
    assert!(!fs.iter().any(|f| f.code == "C105"), "{fs:#?}");
}

#[test]
fn references_read_an_option_set_under_its_old_name() {
    let fs = findings(
        "wallaby",
        "[DEFAULT]\nvncserver_listen = not an address\n[vnc]\nserver_proxyclient_address = $vnc.server_listen\n",
        None,
    );
    let got: Vec<_> = fs.iter().map(|f| (f.code, f.line)).collect();
    assert!(got.contains(&("C105", Some(4))), "{got:?}");
    assert!(!got.iter().any(|(c, _)| *c == "C203"), "{got:?}");
    let fs = findings("wallaby", "[DEFAULT]\nmy_ip = $state_path\n", None);
    assert!(
        !fs.iter().any(|f| f.code == "C207"),
        "a default that ends: {fs:#?}"
    );
}
#[test]
fn role_requirements_are_checked_when_the_role_is_given() {
    let text = "[DEFAULT]\ntransport_url = rabbit://openstack:x@controller\n";
    let fs = findings("wallaby", text, Some(Role::Compute));
    assert!(
        fs.iter()
            .any(|f| f.code == "C401" && f.message.contains("[placement]")),
        "{fs:#?}"
    );
    let fs = findings(
        "juno",
        "[DEFAULT]\nrabbit_host = controller\n",
        Some(Role::Compute),
    );
    assert!(!fs.iter().any(|f| f.code == "C401"), "{fs:#?}");
}

/// For every release: its sample config, commented as nova.conf.sample is,
/// checks clean; and so does the same file with every option that has a
/// literal default set to it, which tests the data (types, choices, ranges,
/// `$` references of defaults, aliases) against itself.
#[test]
fn every_release_accepts_its_own_sample_config() {
    use crate::release::sample::{Mode, render};
    let catalog = Catalog::embedded().unwrap();
    for release in catalog.releases() {
        let inv = release.inventory().unwrap();
        for mode in [Mode::Commented, Mode::Defaults] {
            let text = render(inv, &release.info.core().title, mode);
            let doc = Document::parse(text.as_str()).unwrap();
            if mode == Mode::Defaults {
                assert!(doc.entries().count() > 500, "{}", release.name());
            }
            let fs = check(&doc, &catalog, release, &Options::default()).unwrap();
            let errors: Vec<_> = fs
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .collect();
            assert!(
                errors.is_empty(),
                "{} {mode:?}: {errors:#?}",
                release.name()
            );
        }
    }
}

/// Issue 10, item 1: check names the rule that moves the notification
/// options, on Ocata (where 15.0.0 ignores the old names) and later.
#[test]
fn notification_options_in_default_name_their_rule() {
    let text = "[DEFAULT]\nnotify_on_state_change = vm_and_task_state\n";
    let fs = findings("ocata", text, None);
    let f = fs.iter().find(|f| f.line == Some(2)).unwrap();
    assert_eq!(f.code, "C104");
    assert_eq!(
        f.suggestion.as_deref(),
        Some(
            "moved to [notifications] notify_on_state_change by NOTIF001: stackhop migrate does it (stackhop explain NOTIF001)"
        )
    );
    let fs = findings("pike", text, None);
    let f = fs.iter().find(|f| f.line == Some(2)).unwrap();
    assert_eq!(f.code, "C103");
    assert!(
        f.suggestion
            .as_deref()
            .unwrap()
            .ends_with("(stackhop explain NOTIF001)"),
        "{f:?}"
    );
}

/// Issue 10, item 2: a filter the release removed is an error naming the
/// rule that drops it; before the removal it is not reported.
#[test]
fn removed_scheduler_filters_are_obsolete_values() {
    let text = "[filter_scheduler]\nenabled_filters = RetryFilter,RamFilter,ComputeFilter\n";
    let fs = findings("wallaby", text, None);
    let c106: Vec<&Finding> = fs.iter().filter(|f| f.code == "C106").collect();
    assert_eq!(c106.len(), 2, "{fs:#?}");
    assert_eq!(c106[0].severity, Severity::Error);
    assert!(
        c106[0]
            .message
            .starts_with("[filter_scheduler] enabled_filters lists RamFilter: removed in Train"),
        "{}",
        c106[0].message
    );
    assert_eq!(
        c106[0].suggestion.as_deref(),
        Some("drop RamFilter; stackhop migrate fixes this: SCH012 (stackhop explain SCH012)")
    );
    assert!(
        c106[1]
            .message
            .contains("lists RetryFilter: removed in Victoria")
    );
    // Stein still has both: nothing to say.
    let fs = findings("stein", text, None);
    assert!(!fs.iter().any(|f| f.code == "C106"), "{fs:#?}");
    // The old name is judged as the option it belongs to.
    let fs = findings(
        "queens",
        "[DEFAULT]\nscheduler_default_filters = TrustedFilter\n",
        None,
    );
    assert!(
        fs.iter()
            .any(|f| f.code == "C106" && f.suggestion.as_deref().unwrap().contains("SCH010")),
        "{fs:#?}"
    );
}

/// Issue 10, item 3: mysql:// on a Python 3 only release is a warning
/// naming DB003; the value's password stays out of the message.
#[test]
fn mysql_urls_without_a_driver_are_reported_from_ussuri() {
    let text = "[database]\nconnection = mysql://nova:s3cret@controller/nova\n";
    let fs = findings("wallaby", text, None);
    let f = fs.iter().find(|f| f.code == "C106").unwrap();
    assert_eq!(f.severity, Severity::Warning);
    assert!(!f.message.contains("s3cret") && !f.suggestion.as_deref().unwrap().contains("s3cret"));
    assert_eq!(
        f.suggestion.as_deref(),
        Some(
            "write mysql+pymysql://… for mysql://…; stackhop migrate fixes this: DB003 (stackhop explain DB003)"
        )
    );
    assert!(f.secret);
    let fs = findings("train", text, None);
    assert!(!fs.iter().any(|f| f.code == "C106"));
}

/// Issue 10, item 4: a notifier path Kilo no longer resolves is an error
/// naming NOTIF002 and the driver to use.
#[test]
fn dead_notifier_drivers_are_obsolete_values() {
    let fs = findings(
        "wallaby",
        "[oslo_messaging_notifications]\ndriver = nova.openstack.common.notifier.rpc_notifier\n",
        None,
    );
    let f = fs.iter().find(|f| f.code == "C106").unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(
        f.suggestion.as_deref(),
        Some("use messaging; stackhop migrate fixes this: NOTIF002 (stackhop explain NOTIF002)")
    );
    let fs = findings(
        "juno",
        "[DEFAULT]\nnotification_driver = nova.openstack.common.notifier.rpc_notifier\n",
        None,
    );
    assert!(
        !fs.iter().any(|f| f.code == "C106"),
        "Juno still resolves it"
    );
}

/// Issue 10, item 5: class paths nova no longer loads name their rule;
/// on Ocata, where the choices already refuse the class path, the finding
/// is the rule's C106, not a second C105.
#[test]
fn class_path_drivers_are_obsolete_values() {
    let fs = findings(
        "wallaby",
        "[DEFAULT]\ncompute_driver = nova.virt.ironic.IronicDriver\n",
        None,
    );
    let f = fs.iter().find(|f| f.code == "C106").unwrap();
    assert_eq!(
        f.suggestion.as_deref(),
        Some(
            "use ironic.IronicDriver; stackhop migrate fixes this: VIRT001 (stackhop explain VIRT001)"
        )
    );
    let fs = findings(
        "ocata",
        "[scheduler]\ndriver = nova.scheduler.filter_scheduler.FilterScheduler\n",
        None,
    );
    assert_eq!(
        codes(&fs)
            .iter()
            .filter(|(c, _)| c.starts_with("C10"))
            .collect::<Vec<_>>(),
        [&("C106", Some(2))]
    );
    assert!(fs[0].suggestion.as_deref().unwrap().contains("SCH002"));
    let fs = findings(
        "mitaka",
        "[DEFAULT]\ncompute_driver = nova.virt.libvirt.LibvirtDriver\n",
        None,
    );
    assert!(
        !fs.iter().any(|f| f.code == "C106"),
        "Mitaka still loads it"
    );
}

/// Issue 10, item 6: a scheme-less api_servers entry is an error from
/// Queens naming IMG002; a template placeholder is a warning.
#[test]
fn glance_api_servers_without_a_scheme_are_obsolete_values() {
    let text = "[glance]\napi_servers = 10.0.2.15:9292,{{ glance_url }}\n";
    let fs = findings("queens", text, None);
    let c106: Vec<&Finding> = fs.iter().filter(|f| f.code == "C106").collect();
    assert_eq!(c106.len(), 2, "{fs:#?}");
    let error = c106.iter().find(|f| f.severity == Severity::Error).unwrap();
    assert_eq!(
        error.suggestion.as_deref(),
        Some(
            "use http://10.0.2.15:9292; stackhop migrate fixes this: IMG002 (stackhop explain IMG002)"
        )
    );
    let warning = c106
        .iter()
        .find(|f| f.severity == Severity::Warning)
        .unwrap();
    assert!(warning.message.contains("{{ glance_url }}"));
    assert!(
        warning
            .suggestion
            .as_deref()
            .unwrap()
            .ends_with("names it in a manual step (IMG002; stackhop explain IMG002)"),
        "{warning:?}"
    );
    assert!(
        !findings("pike", text, None)
            .iter()
            .any(|f| f.code == "C106")
    );
}

/// Issue 10, item 7: a Cinder v1 or v2 catalog_info is an error naming the
/// rule of the latest API change, with the value it writes.
#[test]
fn cinder_catalog_info_of_a_removed_api_is_an_obsolete_value() {
    let fs = findings(
        "queens",
        "[cinder]\ncatalog_info = volume:cinder:internalURL\n",
        None,
    );
    let c106: Vec<&Finding> = fs.iter().filter(|f| f.code == "C106").collect();
    assert_eq!(c106.len(), 1, "{fs:#?}");
    assert_eq!(
        c106[0].suggestion.as_deref(),
        Some(
            "use volumev3:cinderv3:internalURL; stackhop migrate fixes this: CIN002 (stackhop explain CIN002)"
        )
    );
    let fs = findings(
        "ocata",
        "[cinder]\ncatalog_info = volume:cinder:publicURL\n",
        None,
    );
    assert!(fs.iter().any(|f| {
        f.code == "C106"
            && f.suggestion
                .as_deref()
                .unwrap()
                .contains("volumev2:cinderv2:publicURL")
    }));
    assert!(
        !findings(
            "pike",
            "[cinder]\ncatalog_info = volumev2:cinderv2:publicURL\n",
            None
        )
        .iter()
        .any(|f| f.code == "C106")
    );
}

/// Issue 10, items 8 and 13: a removed [ironic] admin_* option names where
/// IRO001 carries it.
#[test]
fn ironic_admin_options_name_their_successor() {
    let fs = findings("wallaby", "[ironic]\nadmin_username = ironic\n", None);
    let f = fs.iter().find(|f| f.code == "C104").unwrap();
    assert_eq!(
        f.suggestion.as_deref(),
        Some(
            "moved to [ironic] username by IRO001: stackhop migrate does it (stackhop explain IRO001)"
        )
    );
}

/// Issue 10, item 12: the legacy [keystone_authtoken] settings still load
/// in Wallaby, but only through keystone's v2.0 API, gone since Queens:
/// an error naming ID002 from Queens, a warning before, and a leftover
/// when auth_type decides.
#[test]
fn legacy_keystone_authtoken_settings_are_flagged_from_queens() {
    let text = "[keystone_authtoken]\nidentity_uri = http://controller:35357\nadmin_user = nova\nadmin_password = secret\nadmin_tenant_name = service\n";
    let fs = findings("queens", text, None);
    let c106: Vec<&Finding> = fs.iter().filter(|f| f.code == "C106").collect();
    assert_eq!(c106.len(), 4, "{fs:#?}");
    assert!(c106.iter().all(|f| f.severity == Severity::Error));
    assert!(c106[0].message.starts_with(
        "[keystone_authtoken] identity_uri no longer works: keystonemiddleware (still in Wallaby's 9.2.0) reads the legacy settings only through a plugin"
    ), "{}", c106[0].message);
    assert_eq!(
        c106[1].suggestion.as_deref(),
        Some(
            "moved to [keystone_authtoken] username by ID002; stackhop migrate fixes this: ID002 (stackhop explain ID002)"
        )
    );
    assert!(!c106.iter().any(|f| f.message.contains("secret")));
    let fs = findings("pike", text, None);
    assert!(
        fs.iter().filter(|f| f.code == "C103").count() == 4,
        "{fs:#?}"
    );
    assert!(!fs.iter().any(|f| f.code == "C106"));
    let fs = findings("wallaby", &format!("{text}auth_type = password\n"), None);
    let leftovers: Vec<&Finding> = fs.iter().filter(|f| f.code == "C103").collect();
    assert_eq!(leftovers.len(), 4, "{fs:#?}");
    assert!(leftovers[0].message.contains("is a leftover"));
    assert!(!fs.iter().any(|f| f.code == "C106"));
    assert!(
        !findings("juno", text, None)
            .iter()
            .any(|f| f.code == "C103" || f.code == "C106")
    );
}

/// Issue 10, item 13: a removed option's finding names the option a rule
/// carries it to, and the rule, from the same data migrate applies.
#[test]
fn removed_options_name_the_rule_that_carries_them() {
    let fs = findings(
        "wallaby",
        "[DEFAULT]\nrabbit_host = controller\nnetwork_api_class = nova.network.neutronv2.api.API\n[glance]\nhost = controller\n[placement_database]\nconnection = mysql+pymysql://p:pw@c/placement\n",
        None,
    );
    let suggestion = |line: usize| {
        fs.iter()
            .find(|f| f.code == "C104" && f.line == Some(line))
            .and_then(|f| f.suggestion.clone())
            .unwrap()
    };
    assert_eq!(
        suggestion(2),
        "merged into [DEFAULT] transport_url by MSG002: stackhop migrate does it (stackhop explain MSG002)"
    );
    assert_eq!(
        suggestion(3),
        "turned into [DEFAULT] use_neutron by NET001, then removed by NET003 (removed in Ussuri with nova-network: neutron is the only networking): stackhop migrate does it (stackhop explain NET001)"
    );
    assert_eq!(
        suggestion(5),
        "merged into [glance] api_servers by IMG001: stackhop migrate does it (stackhop explain IMG001)"
    );
    assert_eq!(
        suggestion(7),
        "removed by PLC004 (removed in Train with nova-placement-api: the setting belongs in placement.conf): stackhop migrate does it (stackhop explain PLC004)"
    );
}

/// Issue 10, item 14c: a missing placement region is advice (a warning),
/// while missing credentials stay an error.
#[test]
fn a_missing_placement_region_is_a_warning() {
    let text = "[placement]\nauth_type = password\nauth_url = http://controller:5000/v3\nusername = placement\npassword = pw\nproject_name = service\nuser_domain_name = Default\nproject_domain_name = Default\n";
    let fs = findings("wallaby", text, Some(Role::Compute));
    let region = fs
        .iter()
        .find(|f| f.code == "C401" && f.message.contains("region_name"))
        .unwrap();
    assert_eq!(region.severity, Severity::Warning);
    assert!(
        region
            .message
            .contains("should set [placement] region_name"),
        "{}",
        region.message
    );
    let fs = findings(
        "wallaby",
        "[placement]\nregion_name = RegionOne\n",
        Some(Role::Compute),
    );
    let creds = fs.iter().find(|f| f.code == "C401").unwrap();
    assert_eq!(creds.severity, Severity::Error);
}

#[test]
fn findings_made_line_by_line_come_in_order_with_the_others() {
    // File-wide, section, option, duplicate and role findings, merged.
    let text = "\u{feff}[DEFAULT]\nfoo = 1\n  bar = 2\n[nova_sec\nx = 1\n[api]\nauth_strategy = keystone # c\n[zzz]\na=1\n[DEFAULT]\ndebug = true\ndebug = false\n";
    let fs = findings("wallaby", text, None);
    assert_eq!(
        codes(&fs),
        [
            ("C205", Some(1)),
            ("C101", Some(2)),
            ("C202", Some(3)),
            ("C100", Some(4)),
            ("C103", Some(7)),
            ("C105", Some(7)),
            ("C201", Some(7)),
            ("C102", Some(8)),
            ("C204", Some(11)),
            ("C102", None),
            ("C402", None),
        ]
    );
    assert!(fs.is_sorted_by(|a, b| order(a, b).is_le()));
    // A sink that refuses stops the check at once.
    #[derive(Debug)]
    enum Stop {
        Enough,
        Catalog,
    }
    impl From<CatalogError> for Stop {
        fn from(_: CatalogError) -> Stop {
            Stop::Catalog
        }
    }
    let catalog = Catalog::embedded().unwrap();
    let doc = Document::parse_lenient(text).unwrap();
    let mut seen = 0;
    let stopped = check_each(
        &doc,
        &catalog,
        catalog.get("wallaby").unwrap(),
        &Options::default(),
        |_| {
            seen += 1;
            if seen == 3 { Err(Stop::Enough) } else { Ok(()) }
        },
    );
    assert!(matches!(stopped, Err(Stop::Enough)), "{stopped:?}");
    assert_eq!(seen, 3);
}
