//! Test-only helpers shared by the webdyn-rs crates.
//!
//! * [`vectors`] finds the third-party test corpora. They live outside the
//!   repository (some are GPL or non-commercial and must never be copied in),
//!   in `../shared/vectors` beside the checkout, or wherever the
//!   `WEBDYN_VECTORS` environment variable points. When a corpus is missing the
//!   conformance test prints that it was skipped and passes, so a fresh clone
//!   tests green; with `WEBDYN_REQUIRE_VECTORS=1` (set by `.ci/run`) a missing
//!   corpus fails the test instead.
//! * [`CountingAllocator`] counts heap allocations, so a test can prove that a
//!   decode loop allocates nothing.
//!
//! ```
//! // A corpus that does not exist is skipped (None) unless vectors are required.
//! if std::env::var_os("WEBDYN_REQUIRE_VECTORS").is_none() {
//!     assert!(webdyn_testkit::vectors("no/such/corpus").is_none());
//! }
//! ```

// The only unsafe code of the workspace lives here: a `GlobalAlloc` impl is
// unsafe by definition. It forwards to the system allocator unchanged.
#![allow(unsafe_code)]
// A test helper: failing loudly (panicking) is its job when vectors are required.
#![allow(clippy::panic)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The environment variable that overrides the location of the vectors.
pub const VECTORS_ENV: &str = "WEBDYN_VECTORS";
/// The environment variable that turns a missing corpus into a failure.
pub const REQUIRE_ENV: &str = "WEBDYN_REQUIRE_VECTORS";

/// The root of the vector corpora: `$WEBDYN_VECTORS`, or `../shared/vectors`
/// relative to the workspace root.
pub fn vectors_root() -> PathBuf {
    match std::env::var_os(VECTORS_ENV) {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("..")
            .join("shared")
            .join("vectors"),
    }
}

/// True when `WEBDYN_REQUIRE_VECTORS` is set to anything but `0` or empty.
pub fn vectors_required() -> bool {
    std::env::var(REQUIRE_ENV).is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Locates a corpus below the vectors root, e.g. `vectors("tic")` or
/// `vectors("mbus/libmbus/test/test-frames")`.
///
/// Returns `None` (after printing a `skipped:` line) when it is absent.
///
/// # Panics
///
/// When the corpus is absent and `WEBDYN_REQUIRE_VECTORS=1`: in CI a missing
/// corpus is a failure, not a silent skip.
pub fn vectors(relative: &str) -> Option<PathBuf> {
    let path = vectors_root().join(relative);
    if path.exists() {
        return Some(path);
    }
    if vectors_required() {
        panic!(
            "test vectors required ({REQUIRE_ENV}=1) but {} is missing; set {VECTORS_ENV} or put shared/ beside the checkout",
            path.display()
        );
    }
    eprintln!(
        "skipped: test vectors not found at {} (set {VECTORS_ENV})",
        path.display()
    );
    None
}

/// Every regular file below `dir` (recursively) whose name ends in `suffix`,
/// sorted, so tests iterate a corpus in a stable order.
pub fn files_with_suffix(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in rd.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(suffix) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Parses a hex string, ignoring ASCII white space. `None` when it is not hex.
pub fn hex(s: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok())
        .collect()
}

/// A global allocator that counts allocations made while counting is on.
///
/// Install it in a test binary with
/// `#[global_allocator] static A: CountingAllocator = CountingAllocator::new();`
/// then wrap the code under test in [`CountingAllocator::count`].
pub struct CountingAllocator {
    on: AtomicBool,
    count: AtomicUsize,
}

impl CountingAllocator {
    /// A counter that is off and at zero.
    pub const fn new() -> Self {
        Self {
            on: AtomicBool::new(false),
            count: AtomicUsize::new(0),
        }
    }

    /// Runs `f` and returns its result with the number of allocations it made
    /// (reallocations count too). Tests using it should run single-threaded or
    /// keep other threads idle, because the counter is global.
    pub fn count<R>(&self, f: impl FnOnce() -> R) -> (R, usize) {
        self.count.store(0, Ordering::SeqCst);
        self.on.store(true, Ordering::SeqCst);
        let r = f();
        self.on.store(false, Ordering::SeqCst);
        (r, self.count.load(Ordering::SeqCst))
    }

    fn tally(&self) {
        if self.on.load(Ordering::Relaxed) {
            self.count.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Default for CountingAllocator {
    fn default() -> Self {
        Self::new()
    }
}

// SAFETY: every call forwards to `System` with the caller's own arguments.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.tally();
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.tally();
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        self.tally();
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_parses_spaced_mixed_case() {
        assert_eq!(hex("0a Ff 10"), Some(vec![0x0A, 0xFF, 0x10]));
        assert_eq!(hex("abc"), None);
        assert_eq!(hex("zz"), None);
    }

    #[test]
    fn root_follows_the_override_or_sits_beside_the_checkout() {
        // Only reads the environment (tests run in parallel: no mutation).
        let root = vectors_root();
        match std::env::var_os(VECTORS_ENV) {
            Some(p) => assert_eq!(root, PathBuf::from(p)),
            None => assert!(root.ends_with("shared/vectors"), "{}", root.display()),
        }
    }

    #[test]
    fn files_are_found_recursively_and_sorted() {
        let dir = std::env::temp_dir().join(format!("webdyn-testkit-{}", std::process::id()));
        let sub = dir.join("b");
        std::fs::create_dir_all(&sub).unwrap();
        for (path, body) in [
            (sub.join("z.hex"), "00"),
            (dir.join("a.hex"), "01"),
            (dir.join("c.txt"), ""),
        ] {
            std::fs::write(path, body).unwrap();
        }
        let found = files_with_suffix(&dir, ".hex");
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(found, vec![dir.join("a.hex"), sub.join("z.hex")]);
    }
}
