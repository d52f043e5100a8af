//! The cost of a runbook: Juno to Wallaby with a controller's and a
//! compute's nova.conf (thirteen hops, each file migrated hop by hop, with
//! a masked diff per hop), built and rendered; from a fresh catalog (what
//! one `stackhop runbook upgrade` process pays) and from a warm one.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use stackhop::conf::Document;
use stackhop::migrate::RuleBook;
use stackhop::release::{Catalog, Distro};
use stackhop::report::redact::Redactor;
use stackhop::runbook::{self, ConfigFile, Templates, UpgradeRequest};

const CONTROLLER: &str = include_str!("../tests/fixtures/juno-controller.conf");
const COMPUTE: &str = include_str!("../tests/fixtures/juno-compute.conf");

fn configs() -> Vec<ConfigFile> {
    [
        ("juno-controller.conf", CONTROLLER),
        ("juno-compute.conf", COMPUTE),
    ]
    .into_iter()
    .map(|(name, text)| ConfigFile {
        name: name.to_string(),
        document: Document::parse(text).unwrap(),
    })
    .collect()
}

fn build_and_render(catalog: &Catalog, book: &RuleBook, configs: &[ConfigFile]) -> String {
    let ctx = runbook::upgrade(
        catalog,
        book,
        &UpgradeRequest {
            from: Some("juno"),
            to: "wallaby",
            configs,
            role: None,
            distro: Distro::Ubuntu,
            endpoints: None,
            redactor: Redactor::default(),
        },
    )
    .unwrap();
    runbook::render(&ctx, &Templates::embedded()).unwrap()
}

fn bench(c: &mut Criterion) {
    let configs = configs();
    let mut group = c.benchmark_group("runbook");
    group.sample_size(20);
    group.bench_function("juno-to-wallaby/two-configs/cold-catalog", |b| {
        b.iter(|| {
            let catalog = Catalog::embedded().unwrap();
            let book = RuleBook::embedded().unwrap();
            black_box(build_and_render(&catalog, &book, &configs))
        })
    });
    let catalog = Catalog::embedded().unwrap();
    let book = RuleBook::embedded().unwrap();
    group.bench_function("juno-to-wallaby/two-configs/warm-catalog", |b| {
        b.iter(|| black_box(build_and_render(&catalog, &book, &configs)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
