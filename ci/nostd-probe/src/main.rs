//! Links the `no_std` core of every webdyn library into a freestanding binary.
//! Each crate's core entry points are called on a small input so that their
//! code is really linked, not just their metadata.
#![no_std]
#![no_main]

use core::hint::black_box;
use core::panic::PanicInfo;

#[cfg(feature = "leak-alloc")]
extern crate alloc;
#[cfg(feature = "leak-alloc")]
#[unsafe(no_mangle)]
pub extern "C" fn leak_alloc() -> usize {
    // A core that allocates needs a global allocator this binary lacks.
    alloc::vec::Vec::<u8>::with_capacity(black_box(8)).capacity()
}

#[panic_handler]
fn panic(_: &PanicInfo) -> ! {
    loop {}
}

#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let mut acc = 0usize;
    acc += usize::from(webdyn_tic::checksum(black_box(b"ADCO 030422000048")));
    acc += usize::from(webdyn_wmbus::manufacturer_code(black_box(0x2C2D))[0]);
    acc += usize::from(webdyn_sunspec::is_sunspec_marker(black_box([0x5375, 0x6E53])));
    acc += webdyn_defs::FileKind::from_file_name(black_box("X_daq.csv")) as usize;
    acc += webdyn_files::crc32(black_box(b"123456789")) as usize;
    black_box(acc);
    loop {}
}
