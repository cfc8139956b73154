//! Fuzz target: see `archbook::fuzzing::summary`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| archbook::fuzzing::summary(data));
