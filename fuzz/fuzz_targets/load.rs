//! `cargo fuzz run load`: arbitrary bytes through the loader, as `check` reads
//! them; asserts no panic and that every span is a valid byte range
//! (`fuzz/checks/load.rs`, which the test suite runs too).
#![no_main]

#[path = "../checks/load.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| checks::check(data));
