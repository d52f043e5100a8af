//! `get` and `inspect` of a 50 MB config (the Wallaby sample fixture
//! repeated), as whole processes, and the scan they read it with. The file
//! is generated into a temporary folder, not committed.

use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use stackhop::conf::scan::{Event, scan_read};
use std::ops::ControlFlow;
use std::path::Path;
use std::process::{Command, Stdio};

const SAMPLE: &str = include_str!("../tests/fixtures/wallaby-sample.conf");
const SIZE: usize = 50_000_000;

fn stackhop(args: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_stackhop"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("stackhop runs");
    assert!(status.success(), "{args:?}");
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.conf");
    std::fs::write(&path, SAMPLE.repeat(SIZE / SAMPLE.len())).unwrap();
    let len = std::fs::metadata(&path).unwrap().len();
    let file = path.to_str().unwrap();
    let mut group = c.benchmark_group("50MB");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(len));
    group.bench_function("get (process)", |b| {
        b.iter(|| stackhop(&["get", file, "DEFAULT", "my_ip"]))
    });
    group.bench_function("inspect (process)", |b| {
        b.iter(|| stackhop(&["inspect", file]))
    });
    group.bench_function("inspect --format json (process)", |b| {
        b.iter(|| stackhop(&["inspect", "--format", "json", file]))
    });
    group.bench_function("scan", |b| b.iter(|| black_box(scan_file(&path))));
    group.finish();
}

/// Assignments in the file.
fn scan_file(path: &Path) -> usize {
    let mut n = 0;
    let file = std::fs::File::open(path).unwrap();
    scan_read(file, |e| {
        if let Event::Assignment(..) = e {
            n += 1;
        }
        ControlFlow::Continue(())
    })
    .unwrap();
    n
}

criterion_group!(benches, bench);
criterion_main!(benches);
