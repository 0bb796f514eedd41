//! libFuzzer entry point of target `keywords`: see `rtnl_fuzz::keywords`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rtnl_fuzz::keywords::fuzz(data));
