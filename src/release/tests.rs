//! The catalog built into the binary: order, lookups, and the per-release
//! guarantees of every inventory.

use super::*;
use std::collections::HashSet;

fn catalog() -> Catalog {
    Catalog::embedded().expect("the built-in catalog loads")
}

#[test]
fn releases_run_from_icehouse_to_wallaby_in_order() {
    let names: Vec<_> = catalog()
        .releases()
        .iter()
        .map(|r| r.info.name.clone())
        .collect();
    assert_eq!(
        names,
        [
            "icehouse", "juno", "kilo", "liberty", "mitaka", "newton", "ocata", "pike", "queens",
            "rocky", "stein", "train", "ussuri", "victoria", "wallaby"
        ]
    );
}

#[test]
fn built_in_inventories_equal_those_read_from_their_files() {
    let built_in = catalog();
    let read = Catalog::from_dir(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/releases")))
        .expect("releases/ loads");
    assert_eq!(built_in.releases().len(), read.releases().len());
    for (b, r) in built_in.releases().iter().zip(read.releases()) {
        let (b, r) = (b.inventory().unwrap(), r.inventory().unwrap());
        assert!(b.file().is_none() && r.file().is_some());
        assert!(
            b.contents() == r.contents(),
            "the built-in inventory of {} differs from its options.toml",
            b.release()
        );
    }
}

#[test]
fn versions_map_to_their_release() {
    let c = catalog();
    let name = |v: &str| c.by_version(v).map(|r| r.info.name.clone());
    assert_eq!(name("14.0.7").as_deref(), Some("newton"));
    assert_eq!(name("2014.2.4").as_deref(), Some("juno"));
    assert_eq!(name("2014.2").as_deref(), Some("juno"));
    assert_eq!(name("2015.1.1").as_deref(), Some("kilo"));
    assert_eq!(name("23.2.0").as_deref(), Some("wallaby"));
    assert_eq!(name("24.0.0"), None);
    assert_eq!(name("not a version"), None);
    assert_eq!(c.resolve("Stein").unwrap().info.name, "stein");
    assert!(
        c.resolve("zed")
            .err()
            .unwrap()
            .contains("releases: icehouse, juno")
    );
}

#[test]
fn between_lists_every_release_an_upgrade_passes_through() {
    let c = catalog();
    let (juno, stein) = (c.get("juno").unwrap(), c.get("stein").unwrap());
    let hops: Vec<_> = c.between(juno, stein).iter().map(|r| r.name()).collect();
    assert_eq!(
        hops,
        [
            "kilo", "liberty", "mitaka", "newton", "ocata", "pike", "queens", "rocky", "stein"
        ]
    );
    assert!(c.between(stein, juno).is_empty());
    assert!(c.between(stein, stein).is_empty());
}

#[test]
fn every_inventory_has_unique_options_and_no_alias_shadows_a_live_one() {
    for release in catalog().releases() {
        let inv = release.inventory().unwrap();
        let mut seen = HashSet::new();
        for o in inv.options() {
            assert!(
                seen.insert(o.id()),
                "{}: {} twice",
                release.name(),
                o.display()
            );
        }
        for o in inv.options() {
            for a in o.aliases() {
                assert!(
                    !seen.contains(&a),
                    "{}: alias {a} of {} is a live option",
                    release.name(),
                    o.display()
                );
            }
        }
        assert!(inv.options().len() > 700, "{}", release.name());
    }
}

#[test]
fn a_catalog_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Catalog>();
    shared::<Inventory>();
    shared::<HistoryIndex>();
}

#[test]
fn the_built_in_history_equals_the_one_built_from_the_files() {
    let built_in = catalog();
    let read = Catalog::from_dir(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/releases")))
        .expect("releases/ loads");
    let (b, r) = (built_in.history().unwrap(), read.history().unwrap());
    // Asked one by one (each entry made on demand), then all at once.
    for e in r.entries() {
        let (group, name) = (e.option.group(), e.option.name());
        assert_eq!(b.get(group, name), Some(e));
        assert_eq!(b.is_secret(group, name), r.is_secret(group, name));
        assert_eq!(b.group_known(group), r.group_known(group));
        assert_eq!(b.gap_mask(group, name), r.gap_mask(group, name));
    }
    assert_eq!(b.get("DEFAULT", "no_such_option"), None);
    assert_eq!(b.group_known("no_such_group"), 0);
    assert_eq!(b.entries(), r.entries());
    assert_eq!(b.gaps(), r.gaps());
}

#[test]
fn every_option_and_old_name_is_found_where_it_is() {
    for release in catalog().releases() {
        let inv = release.inventory().unwrap();
        for o in inv.options() {
            let id = o.id();
            match inv.find(&id) {
                Lookup::Live(found) => assert_eq!(found.id(), id, "{}", release.name()),
                other => panic!("{}: {id} is {other:?}", release.name()),
            }
            for a in o.aliases() {
                match inv.find(&a) {
                    Lookup::Alias(targets) => assert!(
                        targets.iter().any(|t| t.id() == id),
                        "{}: {a} does not lead to {id}",
                        release.name()
                    ),
                    other => panic!("{}: old name {a} is {other:?}", release.name()),
                }
            }
            let missing = OptionRef::new(o.group.as_ref(), &format!("{}_not", o.name()));
            assert!(matches!(inv.find(&missing), Lookup::Unknown));
        }
    }
}

#[test]
fn lookups_follow_aliases_groups_and_patterns() {
    let c = catalog();
    let wallaby = c.get("wallaby").unwrap().inventory().unwrap();
    match wallaby.lookup("DEFAULT", "vncserver_listen") {
        Lookup::Alias(targets) => assert_eq!(targets[0].display(), "[vnc] server_listen"),
        other => panic!("{other:?}"),
    }
    match wallaby.lookup("database", "connection") {
        Lookup::Live(o) => assert!(o.entry.secret),
        other => panic!("{other:?}"),
    }
    match wallaby.lookup("placement", "password") {
        Lookup::Live(o) => {
            assert_eq!(o.set.as_deref(), Some("password-plugin"));
            assert!(o.entry.secret);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        wallaby.lookup("vgpu_nvidia-35", "device_addresses"),
        Lookup::Live(_)
    ));
    assert!(matches!(
        wallaby.lookup("DEFAULT", "rabbit_host"),
        Lookup::Unknown
    ));
    let juno = c.get("juno").unwrap().inventory().unwrap();
    assert!(matches!(
        juno.lookup("DEFAULT", "rabbit_host"),
        Lookup::Live(_)
    ));
    assert!(matches!(
        juno.lookup("DEFAULT", "sql_connection"),
        Lookup::Alias(_)
    ));
}

#[test]
fn every_release_has_what_a_runbook_needs() {
    let c = catalog();
    let p = c.procedure().expect("procedure.toml loads");
    for r in c.releases() {
        let name = r.name();
        for d in Distro::ALL {
            assert!(
                r.info.repositories.iter().any(|x| x.distro == d),
                "{name}: no {} repository",
                d.as_str()
            );
        }
        assert!(r.info.endpoints.is_some(), "{name}: no endpoints");
        assert!(!r.info.verify.is_empty(), "{name}: no verify commands");
        assert!(!r.info.config_paths.is_empty(), "{name}: no config paths");
        for s in r.info.services.iter().filter(|s| s.start.is_some()) {
            for d in Distro::ALL {
                assert!(
                    s.web.is_some() || !s.units(d).is_empty() || s.optional,
                    "{name}: {} has no {} unit",
                    s.name,
                    d.as_str()
                );
            }
        }
        assert!(
            r.info.upgrade.iter().any(|s| s.id == "db.sync"),
            "{name}: no db.sync step"
        );
        let _ = p;
    }
}

#[test]
fn every_hop_has_a_repository_on_an_os_the_node_can_be_on() {
    // From every OS a release runs on, the next release is reachable: on the
    // same OS, or through the release's OS change.
    let c = catalog();
    for pair in c.releases().windows(2) {
        let (a, b) = (&pair[0].info, &pair[1].info);
        for repo in &a.repositories {
            let here = |os: &str| {
                b.repositories
                    .iter()
                    .any(|x| x.distro == repo.distro && x.os == os)
            };
            let moved = a
                .os_transitions
                .iter()
                .any(|t| t.distro == repo.distro && t.from == repo.os && here(&t.to));
            assert!(
                here(&repo.os) || moved,
                "{} on {} {}: {} has no repository there and no OS change leads to one",
                a.name,
                repo.distro.as_str(),
                repo.os,
                b.name
            );
        }
    }
}

#[test]
fn what_the_evidence_calls_uncertain_the_runbook_says_in_a_note() {
    // A runbook shows notes, not evidence, to the operator: an UNCERTAIN or
    // DERIVED mark in the evidence must be in the note too.
    let marked = |ev: &[String]| {
        ev.iter()
            .any(|e| e.contains("UNCERTAIN") || e.contains("DERIVED"))
    };
    let says = |note: &Option<String>| {
        note.as_deref()
            .is_some_and(|n| n.contains("UNCERTAIN") || n.contains("DERIVED"))
    };
    for r in catalog().releases() {
        for s in &r.info.upgrade {
            assert!(
                !marked(&s.evidence) || says(&s.note),
                "{} {}",
                r.name(),
                s.id
            );
        }
        for x in &r.info.repositories {
            assert!(
                !marked(&x.evidence) || says(&x.note),
                "{} repository {}",
                r.name(),
                x.os
            );
        }
        for t in &r.info.os_transitions {
            assert!(
                !marked(&t.evidence) || says(&t.note),
                "{} os change {}",
                r.name(),
                t.from
            );
        }
    }
}

#[test]
fn the_options_a_requirement_looks_for_are_found_as_in_the_set_of_every_option() {
    let catalog = catalog();
    let files = [
        include_str!("../../tests/fixtures/juno-controller.conf"),
        include_str!("../../tests/fixtures/newton-compute.conf"),
        include_str!("../../tests/fixtures/stein-controller.conf"),
        include_str!("../../tests/fixtures/wallaby-sample.conf"),
    ];
    for text in files {
        let doc = crate::conf::Document::parse(text).unwrap();
        for release in catalog.releases() {
            let inv = release.inventory().unwrap();
            let all = requirements::options_set(&doc, inv);
            // Every name the file sets, and a few it does not.
            let mut wanted: Vec<OptionRef> = all.iter().cloned().collect();
            wanted.push(OptionRef::new("DEFAULT", "no_such_option"));
            wanted.push(OptionRef::new("placement", "os_region_name"));
            for (_, req) in catalog.requirements_at(release) {
                for any in &req.options {
                    wanted.extend(any.options().iter().cloned());
                }
            }
            let found = requirements::wanted_set(&doc, inv, &wanted);
            let expected: HashSet<OptionRef> =
                all.into_iter().filter(|o| wanted.contains(o)).collect();
            assert_eq!(found, expected, "{}", release.name());
        }
    }
}
