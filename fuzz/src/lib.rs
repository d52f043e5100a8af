//! The fuzz targets' bodies (see `bodies.rs`), for the libFuzzer targets in
//! `fuzz_targets/`.

#[path = "bodies.rs"]
pub mod bodies;
