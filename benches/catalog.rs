//! Start-up costs of the release catalog: reading the built-in release list,
//! and what a command asks of one release's option inventory (a lookup), of
//! every option of it (`releases show --options`), and of every release (a
//! migration from the first to the last).

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use stackhop::conf::OptionRef;
use stackhop::release::{Catalog, Lookup};

fn bench(c: &mut Criterion) {
    let option = OptionRef::new("vnc", "server_listen");
    let old = OptionRef::new("DEFAULT", "vncserver_listen");
    c.bench_function("catalog/embedded", |b| {
        b.iter(|| black_box(Catalog::embedded().unwrap().releases().len()))
    });
    c.bench_function("catalog/wallaby-inventory+lookup", |b| {
        b.iter(|| {
            let catalog = Catalog::embedded().unwrap();
            let inv = catalog.get("wallaby").unwrap().inventory().unwrap();
            black_box(matches!(inv.find(&option), Lookup::Live(_)))
        })
    });
    c.bench_function("catalog/wallaby-every-option", |b| {
        b.iter(|| {
            let catalog = Catalog::embedded().unwrap();
            let inv = catalog.get("wallaby").unwrap().inventory().unwrap();
            black_box(inv.options().len())
        })
    });
    c.bench_function("catalog/all-inventories+lookups", |b| {
        b.iter(|| {
            let catalog = Catalog::embedded().unwrap();
            for r in catalog.releases() {
                let inv = r.inventory().unwrap();
                black_box(inv.find(&option));
                black_box(inv.find(&old));
            }
        })
    });
    let catalog = Catalog::embedded().unwrap();
    let inv = catalog.get("wallaby").unwrap().inventory().unwrap();
    c.bench_function("inventory/lookup", |b| {
        b.iter(|| black_box(inv.lookup(black_box("vnc"), black_box("server_listen"))))
    });
    c.bench_function("inventory/lookup-old-name", |b| {
        b.iter(|| black_box(inv.lookup(black_box("DEFAULT"), black_box("vncserver_listen"))))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
