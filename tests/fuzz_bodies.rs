//! The fuzz targets' bodies (`fuzz/src/bodies.rs`) under plain `cargo test`:
//! every body over the seeds (the test fixtures and `fuzz/seeds/`) and a
//! bounded number of inputs made from them by a seeded generator (byte
//! flips, cuts, splices of lines, tokens of `fuzz/dict/oslo.dict`). This
//! keeps the bodies compiling and their properties true on every commit;
//! the long runs are `cargo fuzz run TARGET` (see `fuzz/README.md`).
//! `STACKHOP_FUZZ_CASES=N` runs N generated inputs per body instead.

#[path = "../fuzz/src/bodies.rs"]
#[allow(dead_code)]
mod bodies;

mod common;
use common::root;

use std::fs;
use std::path::Path;

/// Every seed: the fixtures, the fuzz seeds, the golden files' inputs.
fn seeds() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for dir in ["tests/fixtures", "fuzz/seeds"] {
        collect(&root().join(dir), &mut out);
    }
    out.sort();
    out
}

fn collect(dir: &Path, out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|x| x == "conf") {
            out.push(fs::read(&path).unwrap());
        }
    }
}

/// The tokens of the dictionary (`name="value"` lines, `\xHH` escapes).
fn dictionary() -> Vec<Vec<u8>> {
    let text = fs::read_to_string(root().join("fuzz/dict/oslo.dict")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let v = &l[l.find('"')? + 1..l.rfind('"')?];
            let (mut out, b) = (Vec::new(), v.as_bytes());
            let mut i = 0;
            while i < b.len() {
                if b[i] == b'\\' && b.get(i + 1) == Some(&b'x') && i + 3 < b.len() {
                    out.push(u8::from_str_radix(&v[i + 2..i + 4], 16).unwrap());
                    i += 4;
                } else if b[i] == b'\\' && i + 1 < b.len() {
                    out.push(b[i + 1]);
                    i += 2;
                } else {
                    out.push(b[i]);
                    i += 1;
                }
            }
            Some(out)
        })
        .collect()
}

/// xorshift64*: the same inputs on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// An input made from the seeds: a few mutations of one, maybe spliced
/// with lines of another.
fn generate(rng: &mut Rng, seeds: &[Vec<u8>], dict: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(data.len() + 1);
        match rng.below(7) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => {
                let token = &dict[rng.below(dict.len())];
                data.splice(at..at, token.iter().copied());
            }
            2 => {
                let end = (at + rng.below(64)).min(data.len());
                data.drain(at..end);
            }
            3 => {
                let other = &seeds[rng.below(seeds.len())];
                let (s, n) = (rng.below(other.len() + 1), rng.below(200));
                let piece = &other[s..(s + n).min(other.len())];
                data.splice(at..at, piece.iter().copied());
            }
            4 => data.truncate(at),
            5 => {
                let byte = [
                    b'\n', b'\r', b' ', b'\t', b'=', b':', b'[', b']', b'#', b'"',
                ][rng.below(10)];
                data.insert(at, byte);
            }
            _ => {
                // Duplicate a stretch: repeated sections and keys.
                let end = (at + rng.below(120)).min(data.len());
                let piece = data[at..end].to_vec();
                data.splice(end..end, piece);
            }
        }
    }
    data
}

fn run(body: fn(&[u8]), prefix: usize, default_cases: usize, seed: u64) {
    let seeds = seeds();
    assert!(seeds.len() > 10, "the seeds are missing");
    let dict = dictionary();
    let cases = std::env::var("STACKHOP_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default_cases);
    let mut rng = Rng(seed);
    let with_prefix = |rng: &mut Rng, data: Vec<u8>| {
        let mut input: Vec<u8> = (0..prefix).map(|_| rng.next() as u8).collect();
        input.extend(data);
        input
    };
    for s in &seeds {
        let input = with_prefix(&mut rng, s.clone());
        body(&input);
    }
    for _ in 0..cases {
        let data = generate(&mut rng, &seeds, &dict);
        let input = with_prefix(&mut rng, data);
        let result = std::panic::catch_unwind(|| body(&input));
        if result.is_err() {
            let path = std::env::temp_dir().join(format!("stackhop-fuzz-{seed}.input"));
            fs::write(&path, &input).unwrap();
            panic!("failing input written to {}", path.display());
        }
    }
}

#[test]
fn roundtrip_holds_on_seeds_and_generated_inputs() {
    run(bodies::roundtrip, 0, 3000, 0x5eed_0001);
}

#[test]
fn edits_hold_on_seeds_and_generated_inputs() {
    run(bodies::edits, bodies::EDITS_HEADER, 1500, 0x5eed_0002);
}

#[test]
fn commands_hold_on_seeds_and_generated_inputs() {
    run(bodies::commands, 3, 150, 0x5eed_0003);
}
