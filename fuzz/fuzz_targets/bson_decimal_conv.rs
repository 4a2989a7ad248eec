#![no_main]
libfuzzer_sys::fuzz_target!(|d: &[u8]| webdyn_fuzz::bson_vector::decimal_conv(d));
