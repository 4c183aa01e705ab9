//! Builds that must come out the same everywhere.

use layerlab::builder::{build, BuildInput, BuildOptions};
use layerlab::cache::BuildCache;
use layerlab::store::Store;

/// `tests/web.rs` builds the same input in WebAssembly and pins the same ID.
#[test]
fn a_scratch_build_has_a_pinned_image_id() {
    let (dockerfile, ctx) = include!("../data/pinned_build.rs");
    for _ in 0..2 {
        let mut store = Store::new();
        let input = BuildInput {
            dockerfile,
            dockerfile_path: "Dockerfile",
            context: &ctx,
        };
        let out = build(
            &mut store,
            &mut BuildCache::new(),
            &input,
            &BuildOptions::default(),
        );
        assert!(out.error.is_none(), "{:?}", out.error);
        assert_eq!(
            out.image_id.unwrap().to_string(),
            "sha256:046c4f7c985222a2a793b0959cd2eb70e211e719c43e751d8d39080e94795635"
        );
    }
}
