//! Parse + emit throughput of the lossless document, and single edits.
//!
//! Inputs are generated: a 10,000-line file shaped like a full
//! nova.conf.sample (help-text comment blocks, a commented template line per
//! option, a few live options) and a 60-line install-guide controller file.

use criterion::{BatchSize, Criterion, Throughput, black_box, criterion_group, criterion_main};
use stackhop::conf::Document;

/// A sample-config-like file of at least `lines` lines.
fn sample_config(lines: usize) -> String {
    let mut out = String::from("[DEFAULT]\n\n#\n# From nova.conf\n#\n\n");
    let mut n = 0;
    let mut group = 0;
    while out.lines().count() < lines {
        if n % 40 == 0 && n > 0 {
            group += 1;
            out.push_str(&format!("\n[group_{group}]\n\n"));
        }
        out.push_str(&format!(
            "#\n# Help text for option {n}: what it does, what values it takes and\n\
             # which services read it. For more information, refer to the\n\
             # documentation. (string value)\n#option_{n} = default_{n}\n"
        ));
        if n % 25 == 0 {
            out.push_str(&format!("option_{n} = value_{n}\n"));
        }
        out.push('\n');
        n += 1;
    }
    out
}

fn controller_config() -> String {
    let mut out = String::new();
    for (section, keys) in [
        ("DEFAULT", 8),
        ("api", 1),
        ("api_database", 1),
        ("database", 1),
        ("glance", 1),
        ("keystone_authtoken", 8),
        ("neutron", 10),
        ("oslo_concurrency", 1),
        ("placement", 8),
        ("vnc", 3),
    ] {
        out.push_str(&format!("[{section}]\n"));
        for k in 0..keys {
            out.push_str(&format!("option_{k} = value for {section} {k}\n"));
        }
        out.push('\n');
    }
    out
}

fn bench(c: &mut Criterion) {
    let inputs = [
        ("sample-10k-lines", sample_config(10_000)),
        ("controller-60-lines", controller_config()),
    ];
    let mut group = c.benchmark_group("parse+emit");
    for (name, text) in &inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(*name, |b| {
            b.iter_batched(
                || text.as_bytes().to_vec(),
                |bytes| black_box(Document::parse(bytes).unwrap().to_bytes()),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();

    let mut group = c.benchmark_group("edit");
    for (name, text) in &inputs {
        let doc = Document::parse(text.as_str()).unwrap();
        group.bench_function(format!("{name}/set-new-key"), |b| {
            b.iter_batched(
                || doc.clone(),
                |mut d| {
                    d.set("DEFAULT", "stackhop_probe", "1").unwrap();
                    black_box(d.to_bytes())
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
