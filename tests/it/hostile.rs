//! Property: reading and applying damaged or hostile layer tars never panics; it
//! either works or returns an error naming the entry.

use crate::support::{config, op, run};
use layerlab::layer::{DiffStyle, EntryKind, Layer, LayerEntry};
use layerlab::union::Union;
use layerlab::vfs::blob::Blob;
use layerlab::vfs::{Kind, Meta, Vfs};
use proptest::prelude::*;

/// Entries a hostile archive could hold, written with layerlab's own tar writer
/// (which writes whatever names it is given).
fn hostile_entry() -> impl Strategy<Value = LayerEntry> {
    let names = prop_oneof![
        Just("a".to_string()),
        Just("a/b".to_string()),
        Just("../escape".to_string()),
        Just("/abs/path".to_string()),
        Just("a/../../x".to_string()),
        Just(".wh.a".to_string()),
        Just("a/.wh..wh..opq".to_string()),
        Just(".wh..wh..opq".to_string()),
        Just("a/.wh.b".to_string()),
        Just("link/inside".to_string()),
        Just("link".to_string()),
        Just("deep/".repeat(30)),
    ];
    let kinds = prop_oneof![
        Just(EntryKind::Node {
            kind: Kind::Dir,
            meta: Meta::new(0o755)
        }),
        Just(EntryKind::Node {
            kind: Kind::File(Blob::from_bytes("x")),
            meta: Meta::new(0o644)
        }),
        Just(EntryKind::Node {
            kind: Kind::Symlink("/".into()),
            meta: Meta::new(0o777)
        }),
        Just(EntryKind::Node {
            kind: Kind::Symlink("../../..".into()),
            meta: Meta::new(0o777)
        }),
        Just(EntryKind::Hardlink {
            target: "a".into(),
            meta: Meta::new(0o644)
        }),
        Just(EntryKind::Hardlink {
            target: "missing".into(),
            meta: Meta::new(0o644)
        }),
        Just(EntryKind::Node {
            kind: Kind::Fifo,
            meta: Meta::new(0o644)
        }),
    ];
    (names, kinds).prop_map(|(path, change)| LayerEntry { path, change })
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn damaged_tars_are_errors_not_panics(
        ops in proptest::collection::vec(op(), 0..15),
        cut in 0usize..4000,
        flips in proptest::collection::vec((0usize..4000, any::<u8>()), 0..8),
    ) {
        let mut fs = Vfs::new();
        run(&mut fs, &ops);
        let mut tar = Layer::diff(&Vfs::new(), &fs, DiffStyle::Overlay).layer.tar();
        for (at, byte) in flips {
            if let Some(b) = tar.get_mut(at) {
                *b = byte;
            }
        }
        tar.truncate(cut.max(1).min(tar.len()));
        if let Ok(layer) = Layer::from_tar(&tar) {
            let mut target = fs.clone();
            let _ = layer.apply_to(&mut target);
            let _ = Union::new([&layer, &layer]);
        }
    }

    #[test]
    fn hostile_entries_never_escape_or_panic(
        entries in proptest::collection::vec(hostile_entry(), 0..12),
    ) {
        let tar = Layer::from_entries(entries).tar();
        if let Ok(layer) = Layer::from_tar(&tar) {
            let mut fs = Vfs::new();
            let _ = layer.apply_to(&mut fs);
            for entry in fs.walk("/").unwrap() {
                prop_assert!(!entry.path.split('/').any(|c| c == ".." || c.is_empty()), "{}", entry.path);
            }
            let _ = Union::new([&layer]).map(|u| u.waste());
        }
    }
}
