//! Start-up costs of the release catalog: reading the built-in release list,
//! and loading one release's option inventory.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use stackhop::release::Catalog;

fn bench(c: &mut Criterion) {
    c.bench_function("catalog/embedded", |b| {
        b.iter(|| black_box(Catalog::embedded().unwrap().releases().len()))
    });
    c.bench_function("catalog/wallaby-inventory", |b| {
        b.iter(|| {
            let catalog = Catalog::embedded().unwrap();
            black_box(
                catalog
                    .get("wallaby")
                    .unwrap()
                    .inventory()
                    .unwrap()
                    .options()
                    .len(),
            )
        })
    });
    c.bench_function("catalog/all-inventories", |b| {
        b.iter(|| {
            let catalog = Catalog::embedded().unwrap();
            for r in catalog.releases() {
                black_box(r.inventory().unwrap().options().len());
            }
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
