//! Fuzz target: see `archbook::fuzzing::front_matter`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| archbook::fuzzing::front_matter(data));
