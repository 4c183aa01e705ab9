//! The importer never panics: real archives mutated (bytes flipped, ranges
//! overwritten, cut short, bytes inserted) and random bytes go through
//! `import` and `inspect_archive`; when a mutant still imports, its union view
//! builds and it exports and imports again to the same image ID. A fixed seed
//! and a modest case count keep this to a few seconds; the long run is the
//! cargo-fuzz target in `fuzz/` (see BENCHMARKS.md). Inputs that once crashed
//! are kept below as regression cases.

use crate::oci_hostile::{docker_archive, raw_tar, Raw};
use layerlab::oci::export::{self, ExportOptions, Format};
use layerlab::oci::import::import;
use layerlab::oci::inspect::inspect_archive;
use layerlab::oci::ImportLimits;
use layerlab::store::Store;
use proptest::prelude::*;
use std::sync::OnceLock;

fn limits() -> ImportLimits {
    ImportLimits {
        max_archive_bytes: 1 << 20,
        max_unpacked_bytes: 8 << 20,
        max_entries: 10_000,
        max_entry_bytes: 4 << 20,
        max_json_bytes: 64 << 10,
    }
}

/// Small real archives of every kind the importer reads.
fn seeds() -> &'static Vec<Vec<u8>> {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let layer = raw_tar(&[
            Raw("etc/", b'5', b"", ""),
            Raw("etc/hosts", b'0', b"127.0.0.1 localhost\n", ""),
            Raw("etc/link", b'2', b"", "hosts"),
            Raw("etc/hard", b'1', b"", "etc/hosts"),
            Raw("etc/.wh.gone", b'0', b"", ""),
            Raw("var/.wh..wh..opq", b'0', b"", ""),
        ]);
        let top = raw_tar(&[Raw("etc/.wh.hosts", b'0', b"", "")]);
        let docker = docker_archive(&[layer, top]);
        let mut store = Store::new();
        import(&mut store, &docker, None, &limits()).expect("seed imports");
        let mut out = vec![docker];
        for format in [Format::Oci, Format::Docker] {
            for gzip in [false, true] {
                out.push(
                    export::to_bytes(&store, "hostile:1", ExportOptions { format, gzip }).unwrap(),
                );
            }
        }
        out
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    Flip(usize, u8),
    Overwrite(usize, Vec<u8>),
    Truncate(usize),
    Insert(usize, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), 1u8..=255).prop_map(|(i, x)| Mutation::Flip(i, x)),
        2 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16)).prop_map(|(i, b)| Mutation::Overwrite(i, b)),
        1 => any::<usize>().prop_map(Mutation::Truncate),
        1 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..600)).prop_map(|(i, b)| Mutation::Insert(i, b)),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    let n = bytes.len();
    match m {
        Mutation::Flip(i, x) => bytes[i % n] ^= x,
        Mutation::Overwrite(i, b) => {
            let at = i % n;
            for (k, v) in b.iter().enumerate() {
                if let Some(slot) = bytes.get_mut(at + k) {
                    *slot = *v;
                }
            }
        }
        Mutation::Truncate(i) => bytes.truncate(i % n),
        Mutation::Insert(i, b) => {
            let at = i % n;
            bytes.splice(at..at, b.iter().copied());
        }
    }
}

/// Imports `bytes`; when they import, the image must be usable and stable.
fn check(bytes: &[u8]) -> Result<(), String> {
    let _ = inspect_archive(bytes, &limits());
    let mut store = Store::new();
    let Ok(imported) = import(&mut store, bytes, None, &limits()) else {
        return Ok(());
    };
    for image in &imported.images {
        let _ = store.union(&image.id);
        let again = export::to_bytes(
            &store,
            &image.id.to_string(),
            ExportOptions {
                format: Format::Oci,
                gzip: false,
            },
        )
        .map_err(|e| e.to_string())?;
        let mut fresh = Store::new();
        let back = import(&mut fresh, &again, None, &limits()).map_err(|e| e.to_string())?;
        if back.images.first().map(|i| i.id) != Some(image.id) {
            return Err(format!("re-import changed the image ID of {}", image.id));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(crate::support::config(300))]

    #[test]
    fn mutated_real_archives_never_panic(
        seed in 0usize..5,
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let mut bytes = seeds()[seed].clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        prop_assert_eq!(check(&bytes), Ok(()));
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        prop_assert_eq!(check(&bytes), Ok(()));
    }
}

#[test]
fn unmutated_seeds_import() {
    for (i, seed) in seeds().iter().enumerate() {
        let mut store = Store::new();
        assert!(
            import(&mut store, seed, None, &limits()).is_ok(),
            "seed {i}"
        );
        assert_eq!(check(seed), Ok(()));
    }
}
