#![no_main]
libfuzzer_sys::fuzz_target!(|d: &[u8]| webdyn_fuzz::easy::envelope_target(d));
