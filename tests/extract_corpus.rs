//! The official install guides in ../shared/corpus (when present): the nova
//! config each role ends up with must equal, option for option, the config
//! that release's `install.toml` records. A test of the extractor and of the
//! data. Skipped, saying so, when the corpus is not next to the project.

use stackhop::extract::{self, Options};
use stackhop::release::{Catalog, Role};
use std::collections::BTreeSet;
use std::path::PathBuf;

type Settings = BTreeSet<(String, String, String)>;

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/docs/official");
    dir.is_dir().then_some(dir)
}

/// What the guides give a role, over the distributions the data records
/// (Ubuntu, and RDO in step notes): nova.conf and nova-compute.conf.
fn extracted(catalog: &Catalog, files: &[(&str, &str)], role: &str) -> Settings {
    let dir = corpus().unwrap();
    let mut out = Settings::new();
    for (file, distro) in files {
        let path = dir.join(file);
        let bytes = std::fs::read(&path).unwrap();
        let x = extract::extract(
            &bytes,
            file,
            catalog,
            &Options {
                distro: Some(distro.to_string()),
                ..Options::default()
            },
        )
        .unwrap();
        for f in x.nova_files().filter(|f| f.node == role) {
            for s in &f.settings {
                out.insert((s.section.clone(), s.key.clone(), s.value.clone()));
            }
        }
    }
    out
}

fn recorded(catalog: &Catalog, release: &str, role: Role) -> Settings {
    let install = catalog.get(release).unwrap().install().unwrap().unwrap();
    install.config[&role]
        .iter()
        .map(|c| (c.section.clone(), c.key.clone(), c.value.clone()))
        .collect()
}

fn compare(release: &str, role: Role, files: &[(&str, &str)]) -> Vec<String> {
    let catalog = Catalog::embedded().unwrap();
    let got = extracted(&catalog, files, role.as_str());
    let want = recorded(&catalog, release, role);
    let mut diffs = Vec::new();
    for s in want.difference(&got) {
        diffs.push(format!(
            "{release} {}: install.toml has {s:?}, the guides do not",
            role.as_str()
        ));
    }
    for s in got.difference(&want) {
        diffs.push(format!(
            "{release} {}: the guides set {s:?}, install.toml does not",
            role.as_str()
        ));
    }
    diffs
}

#[test]
fn official_guides_match_install_toml_option_for_option() {
    if corpus().is_none() {
        eprintln!("skipped: ../shared/corpus is not next to the project");
        return;
    }
    let mut diffs = Vec::new();
    for release in ["stein", "wallaby"] {
        let f = |name: &str| format!("{release}/{name}");
        let (cu, cr, ku, kr) = (
            f("controller-install-ubuntu.rst"),
            f("controller-install-rdo.rst"),
            f("compute-install-ubuntu.rst"),
            f("compute-install-rdo.rst"),
        );
        let all = [
            (cu.as_str(), "ubuntu"),
            (cr.as_str(), "rdo"),
            (ku.as_str(), "ubuntu"),
            (kr.as_str(), "rdo"),
        ];
        diffs.extend(compare(release, Role::Controller, &all));
        diffs.extend(compare(release, Role::Compute, &all));
    }
    let newton = [
        ("newton/nova-compute-install.rst", "ubuntu"),
        ("newton/nova-compute-install.rst", "rdo"),
    ];
    diffs.extend(compare("newton", Role::Compute, &newton));
    let juno = [
        ("juno/section_nova-controller-install.xml", "ubuntu"),
        ("juno/section_nova-controller-install.xml", "rdo"),
        ("juno/section_nova-compute-install.xml", "ubuntu"),
        ("juno/section_nova-compute-install.xml", "rdo"),
    ];
    diffs.extend(compare("juno", Role::Controller, &juno));
    diffs.extend(compare("juno", Role::Compute, &juno));
    assert!(diffs.is_empty(), "\n{}", diffs.join("\n"));
}

#[test]
fn every_corpus_guide_reads_without_error() {
    let Some(dir) = corpus() else {
        eprintln!("skipped: ../shared/corpus is not next to the project");
        return;
    };
    let catalog = Catalog::embedded().unwrap();
    let mut stack = vec![dir.parent().unwrap().to_path_buf()];
    let mut n = 0;
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let bytes = std::fs::read(&p).unwrap();
            let x = extract::extract(
                &bytes,
                &p.display().to_string(),
                &catalog,
                &Options::default(),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            assert!(x.found_config(), "{}: no config", p.display());
            n += 1;
        }
    }
    assert!(n >= 60, "{n} guides");
}
