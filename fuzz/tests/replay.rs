//! Replays every seed corpus through its fuzz target body on stable, so CI
//! exercises the fuzz targets without libFuzzer or nightly.

use std::path::Path;

#[test]
fn every_corpus_replays_without_panicking() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("corpus");
    let mut total = 0usize;
    for (name, run) in webdyn_fuzz::targets() {
        let bin = root.join("fuzz_targets").join(format!("{name}.rs"));
        assert!(bin.exists(), "target {name} has no fuzz_targets/{name}.rs");
        let dir = corpus.join(name);
        let entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("target {name}: no seed corpus at {}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        assert!(!entries.is_empty(), "target {name}: empty seed corpus");
        for path in &entries {
            let data = std::fs::read(path).unwrap();
            run(&data);
            // Every prefix too: truncation is the commonest real-world damage.
            for cut in 0..data.len().min(512) {
                run(&data[..cut]);
            }
        }
        println!("replayed {name}: {} seeds", entries.len());
        total += entries.len();
    }
    assert!(total > 0, "no seeds replayed");
}

#[test]
fn every_target_file_is_registered() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let names: Vec<&str> = webdyn_fuzz::targets().map(|(n, _)| *n).collect();
    for entry in std::fs::read_dir(root.join("fuzz_targets")).unwrap().flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let stem = file.trim_end_matches(".rs");
        assert!(names.contains(&stem), "fuzz_targets/{file} is not in any TARGETS list");
    }
}
