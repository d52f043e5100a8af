#![no_main]
//! See `stackhop_fuzz::bodies::commands`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| stackhop_fuzz::bodies::commands(data));
