//! Fuzz target: see `archbook::fuzzing::links`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| archbook::fuzzing::links(data));
