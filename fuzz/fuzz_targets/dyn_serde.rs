//! libFuzzer entry point of target `dyn_serde`: see `rtnl_fuzz::dyn_serde`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rtnl_fuzz::dyn_serde::fuzz(data));
