//! Property: the union of a random layer stack equals its last filesystem, at every
//! prefix, and layer digests are the same every time they are computed.

use crate::support::{config, op, run, Op};
use layerlab::layer::{DiffStyle, Layer};
use layerlab::union::Union;
use layerlab::vfs::Vfs;
use proptest::prelude::*;

fn snapshots(steps: &[Vec<Op>]) -> Vec<Vfs> {
    let mut out = vec![Vfs::new()];
    for step in steps {
        let mut next = out.last().cloned().unwrap_or_default();
        run(&mut next, step);
        out.push(next);
    }
    out
}

proptest! {
    #![proptest_config(config(150))]

    #[test]
    fn the_union_of_a_stack_equals_applying_it_in_order(
        steps in proptest::collection::vec(proptest::collection::vec(op(), 0..10), 1..6),
        overlay in any::<bool>(),
    ) {
        let style = if overlay { DiffStyle::Overlay } else { DiffStyle::BuildKit };
        let snaps = snapshots(&steps);
        let layers: Vec<Layer> = snaps
            .windows(2)
            .map(|w| Layer::from_tar(&Layer::diff(&w[0], &w[1], style).layer.tar()).unwrap())
            .collect();
        let mut union = Union::default();
        for (i, layer) in layers.iter().enumerate() {
            union.push(layer).unwrap();
            prop_assert_eq!(union.fs().to_string(), snaps[i + 1].to_string());
            prop_assert_eq!(union.fs().listing(), snaps[i + 1].listing());
        }
        let again: Vec<_> = snaps.windows(2).map(|w| Layer::diff(&w[0], &w[1], style).layer.diff_id()).collect();
        let first: Vec<_> = layers.iter().map(Layer::diff_id).collect();
        prop_assert_eq!(first, again);
        let waste = union.waste();
        prop_assert!(waste.wasted_bytes <= waste.total_bytes);
    }
}

/// The diffID of `tests/data/known_pair.rs`, also asserted by the wasm test.
const KNOWN_DIFF_ID: &str =
    "sha256:d9a0a33e4a4c7d00487878311ecf006af2cea1483ffd235925eda6db2665f13d";

/// A fixed stack whose layer digests are pinned: a change in the tar writer that
/// alters a byte shows up here (and in the wasm test, which pins the same digest).
#[test]
fn layer_digests_are_pinned() {
    let (parent, child) = layerlab_known_pair();
    let layer = Layer::diff(&parent, &child, DiffStyle::BuildKit).layer;
    assert_eq!(layer.diff_id().to_string(), KNOWN_DIFF_ID);
    assert_eq!(
        layer.tar(),
        Layer::diff(&parent, &child, DiffStyle::BuildKit)
            .layer
            .tar()
    );
}

fn layerlab_known_pair() -> (Vfs, Vfs) {
    include!("../data/known_pair.rs")
}
