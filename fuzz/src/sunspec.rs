//! Fuzz targets of webdyn-sunspec.

use crate::Target;
use webdyn_sunspec::scan::{Discovery, Models};
use webdyn_sunspec::{RegisterImage, model};

/// The SunSpec targets.
pub const TARGETS: &[Target] = &[("sunspec_image", image)];

/// Any bytes as a register image at each base address: walk the chain,
/// decode built-in models, and run the discovery machine against it.
pub fn image(data: &[u8]) {
    let even = data.get(..data.len() & !1).unwrap_or(&[]);
    for base in [0u32, 40000, 50000] {
        let Ok(img) = RegisterImage::new(base, even) else {
            continue;
        };
        if let Ok(models) = Models::new(&img) {
            for h in models.flatten() {
                if let Some(def) = model::builtin(h.id) {
                    for p in def.decode_model(&img, &h) {
                        if let Some(s) = p.scaled {
                            let _ = s.to_string();
                        }
                    }
                }
            }
        }
        let mut d = Discovery::new();
        let mut steps = 0;
        while let Some(req) = d.next_request() {
            steps += 1;
            if steps > 10_000 {
                break;
            }
            match img.regs(req.addr, usize::from(req.count)) {
                Some(r) => {
                    if d.on_response(r).is_err() {
                        break;
                    }
                }
                None => {
                    d.on_failure();
                }
            }
        }
    }
}
