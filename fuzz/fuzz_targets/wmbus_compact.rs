#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| webdyn_fuzz::wmbus_compact::compact(data));
