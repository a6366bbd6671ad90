//! `cargo fuzz run fix`: arbitrary YAML and an arbitrary replacement through
//! the fix writer. Asserts no panic, and that every edit it returns loads
//! back to the original document with exactly the intended string changed
//! (`fuzz/checks/fix.rs`, which the test suite runs too).
#![no_main]

#[path = "../checks/fix.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    checks::check(data);
});
