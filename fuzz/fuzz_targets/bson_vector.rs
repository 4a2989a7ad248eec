#![no_main]
libfuzzer_sys::fuzz_target!(|d: &[u8]| webdyn_fuzz::bson_vector::vector(d));
