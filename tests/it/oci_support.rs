//! A small layerlab-built image for the import/export tests: files, a hard
//! link, symlinks, a long (PAX) name, a fifo, a rewritten file (waste), a
//! deleted file and a recreated directory, over three layers.

use layerlab::image::{History, Image};
use layerlab::layer::{DiffStyle, Layer};
use layerlab::store::Store;
use layerlab::vfs::blob::Blob;
use layerlab::vfs::{Kind, Meta, Vfs};

fn m(mode: u32) -> Meta {
    Meta::new(mode).at(1_700_000_000)
}

/// The three snapshots, bottom first (after the empty root).
pub fn snapshots() -> Vec<Vfs> {
    let mut s0 = Vfs::new();
    for d in ["/bin", "/etc", "/opt", "/opt/app", "/opt/app/cache"] {
        s0.mkdir(d, m(0o755)).unwrap();
    }
    s0.write_file("/bin/tool", Blob::generated(20_000, 3), m(0o755))
        .unwrap();
    s0.symlink("tool", "/bin/sh", m(0o777)).unwrap();
    s0.write_file(
        "/etc/passwd",
        Blob::from_bytes("root:x:0:0::/root:/bin/sh\n"),
        m(0o644),
    )
    .unwrap();
    s0.write_file("/etc/somefile", Blob::from_bytes("some\n"), m(0o644))
        .unwrap();
    s0.write_file("/opt/app/cache/a", Blob::from_bytes("one\n"), m(0o644))
        .unwrap();
    s0.hard_link("/opt/app/cache/a", "/opt/app/hard").unwrap();
    s0.symlink("../../etc/passwd", "/opt/app/passwd", m(0o777))
        .unwrap();
    s0.create("/opt/pipe", Kind::Fifo, m(0o644)).unwrap();
    let long = format!("/opt/{}", "long-directory-name-".repeat(6));
    s0.mkdir(&long, m(0o755)).unwrap();
    s0.write_file(
        &format!("{long}/{}", "long-file-name-".repeat(5)),
        Blob::from_bytes("long\n"),
        m(0o644),
    )
    .unwrap();

    let mut s1 = s0.clone();
    s1.write_file("/opt/big", Blob::generated(30_000, 1), m(0o644))
        .unwrap();
    s1.remove_file("/etc/somefile").unwrap();

    let mut s2 = s1.clone();
    s2.write_file("/opt/big", Blob::generated(30_000, 2), m(0o644))
        .unwrap();
    s2.remove_all("/opt/app/cache").unwrap();
    s2.mkdir("/opt/app/cache", m(0o700)).unwrap();
    s2.write_file("/opt/app/cache/b", Blob::from_bytes("two\n"), m(0o600))
        .unwrap();
    vec![Vfs::new(), s0, s1, s2]
}

/// A store holding the image, tagged `built:1`.
pub fn built_store() -> Store {
    let snaps = snapshots();
    let mut store = Store::new();
    let mut image = Image::scratch();
    for (i, w) in snaps.windows(2).enumerate() {
        let layer: Layer = Layer::diff(&w[0], &w[1], DiffStyle::BuildKit).layer;
        image.diff_ids.push(store.add_layer(layer));
        image.history.push(History {
            created_by: format!("RUN step {i}"),
            ..History::default()
        });
    }
    let id = store.add_image(image).unwrap();
    store.tag("built:1", &id).unwrap();
    store
}
