//! Property: applying the diff layer (through its tar) to the parent gives the child.

use crate::support::{config, op, run};
use layerlab::layer::{DiffStyle, Layer};
use layerlab::vfs::Vfs;
use proptest::prelude::*;

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn applying_the_diff_to_the_parent_gives_the_child(
        base in proptest::collection::vec(op(), 0..25),
        step in proptest::collection::vec(op(), 0..12),
    ) {
        let mut parent = Vfs::new();
        run(&mut parent, &base);
        let mut child = parent.clone();
        run(&mut child, &step);
        // The parent as an unpacker would have it: no nodes shared with the child.
        let unpacked_parent = {
            let mut fs = Vfs::new();
            let tar = Layer::diff(&Vfs::new(), &parent, DiffStyle::BuildKit).layer.tar();
            Layer::from_tar(&tar).unwrap().apply_to(&mut fs).unwrap();
            fs
        };
        prop_assert_eq!(unpacked_parent.to_string(), parent.to_string());
        for style in [DiffStyle::BuildKit, DiffStyle::Overlay] {
            let layer = Layer::diff(&parent, &child, style).layer;
            let tar = layer.tar();
            let read = Layer::from_tar(&tar).unwrap();
            prop_assert_eq!(&read, &layer);
            prop_assert_eq!(tar, Layer::diff(&parent, &child, style).layer.tar());
            for start in [&parent, &unpacked_parent] {
                let mut applied = start.clone();
                read.apply_to(&mut applied).unwrap();
                prop_assert_eq!(applied.to_string(), child.to_string(), "style {:?}\n{:?}", style, layer);
            }
        }
    }
}
