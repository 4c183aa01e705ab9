use super::export::{self, ExportOptions, Format};
use super::import::import;
use super::{gzip, ImportLimits};
use crate::image::{History, Image};
use crate::layer::{DiffStyle, Layer};
use crate::store::Store;
use crate::vfs::blob::Blob;
use crate::vfs::{Meta, Vfs};

fn store_with_image() -> Store {
    let mut fs = Vfs::new();
    fs.mkdir("/etc", Meta::new(0o755)).unwrap();
    fs.write_file("/etc/hello", Blob::from_bytes("hi\n"), Meta::new(0o644))
        .unwrap();
    let layer = Layer::diff(&Vfs::new(), &fs, DiffStyle::BuildKit).layer;
    let mut store = Store::new();
    let mut image = Image::scratch();
    image.diff_ids.push(store.add_layer(layer));
    image.history.push(History {
        created_by: "COPY hello /etc/".into(),
        ..History::default()
    });
    let id = store.add_image(image).unwrap();
    store.tag("app:1", &id).unwrap();
    store
}

#[test]
fn gzip_is_detected_by_magic_and_compressed_deterministically() {
    let a = gzip::compress(|w| w.write_all(b"layer bytes"));
    assert_eq!(a, gzip::compress(|w| w.write_all(b"layer bytes")));
    assert_eq!(gzip::detect(&a), gzip::Detected::Gzip);
    // Fixed header: magic, deflate, no flags, mtime 0, OS 255.
    assert_eq!(&a[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    assert_eq!(gzip::decompress("x", &a, 100).unwrap(), b"layer bytes");
    assert!(gzip::decompress("x", &a, 5).is_err());
}

#[test]
fn both_formats_round_trip_through_import_with_the_same_id_and_tag() {
    let store = store_with_image();
    let id = store.resolve("app:1").unwrap();
    for format in [Format::Oci, Format::Docker] {
        for gzip in [false, true] {
            let bytes = export::to_bytes(&store, "app:1", ExportOptions { format, gzip }).unwrap();
            let mut fresh = Store::new();
            let imported = import(&mut fresh, &bytes, None, &ImportLimits::default()).unwrap();
            assert_eq!(imported.images.len(), 1, "{format:?} gzip={gzip}");
            assert_eq!(imported.images[0].id, id);
            assert_eq!(
                fresh.resolve("app:1").unwrap(),
                id,
                "{format:?} gzip={gzip}"
            );
        }
    }
}
