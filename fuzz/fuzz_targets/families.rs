//! libFuzzer entry point of target `families`: see `rtnl_fuzz::families`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rtnl_fuzz::families::fuzz(data));
