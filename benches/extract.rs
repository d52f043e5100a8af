//! `stackhop extract` from bytes to the JSON report, as the command does it
//! (read, release, lint, masked view, rendering), on guides of 1 MB and
//! 20 MB in every format, and on one block of 100,000 lines.
//!
//! Inputs are built from the test fixtures (the same small Juno guide in
//! each format), repeated with paragraphs of prose in several languages
//! between the copies, the way a long guide mixes config, commands and text.
//! The format is given, so that each input is read as what it is.

use criterion::{BenchmarkId, Criterion, Throughput, black_box, criterion_group, criterion_main};
use stackhop::extract::{self, Format, Options};
use stackhop::release::Catalog;
use stackhop::report;
use stackhop::report::redact::Redactor;
use stackhop::report::view::ExtractView;
use std::path::Path;

const PROSE: &[&str] = &[
    "The Compute service is the heart of an OpenStack cloud: it schedules instances onto hosts and talks to the hypervisor through a driver.",
    "Before you continue, make sure the management network is reachable from every node and that time is synchronised with chrony.",
    "コントローラノードでは、データベースとメッセージキューが既に動作している必要があります。設定ファイルを編集する前にバックアップを取ってください。",
    "컴퓨트 노드의 하이퍼바이저가 하드웨어 가속을 지원하는지 확인하십시오. 그렇지 않으면 qemu를 사용해야 합니다.",
    "在继续之前，请确认所有节点之间的网络连通性，并且已经在控制节点上配置好了身份认证服务。",
    "Pastikan layanan identitas sudah berjalan sebelum Anda mengonfigurasi layanan komputasi pada node kontroler.",
    "Hãy chắc chắn rằng dịch vụ xác thực đã được cấu hình trước khi bạn tiếp tục với nút tính toán.",
];

/// A shell script in the manner of the training-labs scripts.
const SCRIPT: &str = r#"#!/bin/bash
set -o errexit
conf=/etc/nova/nova.conf
# Install and configure the Compute service on the controller node
mysql -u root -pROOT_DB_PASS -e "CREATE DATABASE nova; GRANT ALL PRIVILEGES ON nova.* TO 'nova'@'%' IDENTIFIED BY 'NOVA_DBPASS';"
openstack user create --domain default --password NOVA_PASS nova
openstack endpoint create --region RegionOne compute public http://controller:8774/v2.1
sudo apt-get install -y nova-api nova-conductor nova-novncproxy nova-scheduler
iniset_sudo $conf database connection mysql+pymysql://nova:NOVA_DBPASS@controller/nova
iniset_sudo $conf DEFAULT transport_url rabbit://openstack:RABBIT_PASS@controller
iniset_sudo $conf api auth_strategy keystone
iniset_sudo $conf keystone_authtoken www_authenticate_uri http://controller:5000/
iniset_sudo $conf keystone_authtoken password NOVA_PASS
iniset_sudo $conf DEFAULT my_ip 10.0.0.11
cat << EOF | sudo tee -a /etc/nova/nova-compute.conf
[libvirt]
virt_type = qemu
EOF
sudo su -s /bin/sh -c "nova-manage api_db sync" nova
sudo service nova-api restart
"#;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/guides")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Paragraphs of prose as `format` writes them.
fn prose(format: Format, n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let text = format!(
            "{} {}",
            PROSE[i % PROSE.len()],
            PROSE[(i * 3 + 1) % PROSE.len()]
        );
        match format {
            Format::DocBook => out.push_str(&format!("<para>{text}</para>\n")),
            Format::Html => out.push_str(&format!("<p>{text}</p>\n")),
            Format::Shell => out.push_str(&format!("# {text}\n")),
            _ => out.push_str(&format!("{text}\n\n")),
        }
    }
    out
}

/// The guide of `format`, with prose between copies, to `bytes` or more.
fn guide(format: Format, bytes: usize) -> String {
    let unit = match format {
        Format::Markdown => fixture("juno-en.md"),
        Format::Rst => fixture("juno-en.rst"),
        Format::MediaWiki => fixture("juno-en.wiki"),
        Format::DocBook => fixture("juno-en.xml"),
        Format::Html => fixture("juno-en.html"),
        Format::Plain => fixture("juno-en.txt"),
        Format::Shell => SCRIPT.to_string(),
    };
    let unit = format!("{unit}\n{}", prose(format, 12));
    let mut out = String::with_capacity(bytes + unit.len());
    while out.len() < bytes {
        out.push_str(&unit);
    }
    out
}

/// One block of `lines` settings, as `stackhop extract` meets it.
fn long_block(lines: usize) -> String {
    let mut out = String::from("# Guide\n\nEdit /etc/nova/nova.conf:\n\n```ini\n[DEFAULT]\n");
    for i in 0..lines {
        out.push_str(&format!("key{i} = value{i}\n"));
    }
    out.push_str("```\n");
    out
}

/// What `stackhop extract --format json` does with a guide.
fn run(catalog: &Catalog, bytes: &[u8], format: Format) -> String {
    let options = Options {
        format: Some(format),
        ..Options::default()
    };
    let x = extract::extract(bytes, "guide", catalog, &options).expect("a text guide");
    let view = ExtractView::build(&x, catalog.history().ok(), Redactor::default());
    report::extract::json(&view)
}

const FORMATS: &[Format] = &[
    Format::Markdown,
    Format::Rst,
    Format::MediaWiki,
    Format::DocBook,
    Format::Html,
    Format::Plain,
    Format::Shell,
];

fn bench(c: &mut Criterion) {
    let catalog = Catalog::embedded().expect("embedded release data");
    let mut group = c.benchmark_group("extract-1mb");
    for &format in FORMATS {
        let input = guide(format, 1_000_000);
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(format.as_str()),
            &input,
            |b, input| b.iter(|| black_box(run(&catalog, input.as_bytes(), format))),
        );
    }
    group.finish();

    let mut group = c.benchmark_group("extract-20mb");
    group.sample_size(10);
    for &format in FORMATS {
        let input = guide(format, 20_000_000);
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(format.as_str()),
            &input,
            |b, input| b.iter(|| black_box(run(&catalog, input.as_bytes(), format))),
        );
    }
    group.finish();

    let mut group = c.benchmark_group("extract-block");
    group.sample_size(10);
    let input = long_block(100_000);
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.bench_function("100000-lines", |b| {
        b.iter(|| black_box(run(&catalog, input.as_bytes(), Format::Markdown)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
