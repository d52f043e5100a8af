#![no_main]
//! See `stackhop_fuzz::bodies::edits`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| stackhop_fuzz::bodies::edits(data));
