//! libFuzzer entry point of target `messages`: see `rtnl_fuzz::messages`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rtnl_fuzz::messages::fuzz(data));
