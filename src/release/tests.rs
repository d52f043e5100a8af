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
