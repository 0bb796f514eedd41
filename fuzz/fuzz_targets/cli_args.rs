//! libFuzzer entry point of target `cli_args`: see `rtnl_fuzz::cli`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rtnl_fuzz::cli::fuzz(data));
