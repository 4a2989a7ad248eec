#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| webdyn_fuzz::sunspec::patch_and_decode(data));
