#![no_main]
//! See `stackhop_fuzz::bodies::roundtrip`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| stackhop_fuzz::bodies::roundtrip(data));
