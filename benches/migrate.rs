//! The cost of a migration: a Juno controller's nova.conf carried to
//! Wallaby (eleven hops), and the same over a file a hundred times longer,
//! to show the cost grows with the file and not faster; and the semantic
//! comparison `stackhop diff` makes of each file with its migrated form.

use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use stackhop::conf::{Document, OptionRef};
use stackhop::migrate::{Options, RuleBook, Start, migrate};
use stackhop::release::Catalog;
use stackhop::report::compare::{self, compare};

const CONTROLLER: &str = include_str!("../tests/fixtures/juno-controller.conf");

fn bench(c: &mut Criterion) {
    let catalog = Catalog::embedded().unwrap();
    let book = RuleBook::embedded().unwrap();
    let (juno, wallaby) = (
        catalog.get("juno").unwrap(),
        catalog.get("wallaby").unwrap(),
    );
    // Load the inventories once, as a long-running caller would.
    for r in catalog.releases() {
        r.inventory().unwrap();
    }
    // The controller, then a hundred numbered copies of its [DEFAULT] options
    // (unknown names, which every hop looks up and leaves alone).
    let mut long = CONTROLLER.to_string();
    long.push_str("\n[DEFAULT]\n");
    for i in 0..100 {
        for line in CONTROLLER.lines().filter(|l| l.contains(" = ")) {
            long.push_str(&format!("copy{i}_{line}\n"));
        }
    }
    let mut group = c.benchmark_group("migrate");
    for (name, text) in [
        ("juno-controller", CONTROLLER),
        ("juno-controller-x100", &long),
    ] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("{name}/to-wallaby"), |b| {
            b.iter(|| {
                let doc = Document::parse(text).unwrap();
                let m = migrate(
                    doc,
                    &catalog,
                    &book,
                    Start::Given(juno),
                    wallaby,
                    Options::default(),
                )
                .unwrap();
                black_box(m.changes.len())
            })
        });
    }
    group.finish();

    let same = |o: &OptionRef| o.clone();
    let single = |_: &OptionRef| false;
    let options = compare::Options {
        identity: &same,
        multi: &single,
        secret: &single,
    };
    let mut group = c.benchmark_group("compare");
    for (name, text) in [
        ("juno-controller", CONTROLLER),
        ("juno-controller-x100", &long),
    ] {
        let old = Document::parse(text).unwrap();
        let new = migrate(
            old.clone(),
            &catalog,
            &book,
            Start::Given(juno),
            wallaby,
            Options::default(),
        )
        .unwrap()
        .document;
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("{name}/with-wallaby"), |b| {
            b.iter(|| black_box(compare(&old, &new, &options).len()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
