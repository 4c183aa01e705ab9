use super::{Store, StoreError};
use crate::image::{History, Image};
use crate::layer::{DiffStyle, Layer};
use crate::vfs::blob::Blob;
use crate::vfs::{Meta, Vfs};

fn layer(files: &[(&str, usize)]) -> Layer {
    let mut fs = Vfs::new();
    for (path, size) in files {
        fs.write_file(path, Blob::from_bytes(vec![b'x'; *size]), Meta::new(0o644))
            .unwrap();
    }
    Layer::diff(&Vfs::new(), &fs, DiffStyle::BuildKit).layer
}

fn image(store: &mut Store, layers: &[Layer], step: &str) -> crate::digest::Digest {
    let mut image = Image::scratch();
    for l in layers {
        image.diff_ids.push(store.add_layer(l.clone()));
        image.history.push(History {
            created_by: step.to_string(),
            ..History::default()
        });
    }
    store.add_image(image).unwrap()
}

#[test]
fn images_sharing_a_base_share_its_layers() {
    let mut store = Store::new();
    let base = layer(&[("/base", 1000)]);
    let app1 = layer(&[("/app1", 100)]);
    let app2 = layer(&[("/app2", 10)]);
    let a = image(&mut store, &[base.clone(), app1], "a");
    let b = image(&mut store, &[base.clone(), app2], "b");
    store.tag("a", &a).unwrap();
    store.tag("b:v2", &b).unwrap();
    let usage = store.disk_usage();
    assert_eq!(usage.layers_size, 1110);
    assert_eq!(usage.naive_size, 2110);
    let rows: Vec<_> = usage
        .images
        .iter()
        .map(|i| (i.tags.clone(), i.size, i.shared_size, i.unique_size))
        .collect();
    let mut expected = vec![
        (vec!["a:latest".to_string()], 1100, 1000, 100),
        (vec!["b:v2".to_string()], 1010, 1000, 10),
    ];
    if usage.images[0].id != a {
        expected.reverse();
    }
    assert_eq!(rows, expected);
    assert_eq!(store.freed_by_removing(&a), 100);
    let removal = store.remove_image(&a).unwrap();
    assert_eq!(
        (removal.freed_bytes, removal.untagged),
        (100, vec!["a:latest".to_string()])
    );
    assert_eq!(store.freed_by_removing(&b), 1010);
    assert!(store.layer(&base.diff_id()).is_some());
    store.remove_image(&b).unwrap();
    assert!(store.layer(&base.diff_id()).is_none());
    assert_eq!(store.disk_usage().layers_size, 0);
}

#[test]
fn the_same_diff_on_another_base_is_another_layer() {
    let mut store = Store::new();
    let (x, y, top) = (
        layer(&[("/x", 1)]),
        layer(&[("/y", 2)]),
        layer(&[("/t", 5)]),
    );
    let a = image(&mut store, &[x, top.clone()], "a");
    let b = image(&mut store, &[y, top], "b");
    let usage = store.disk_usage();
    // Contents are stored once, but Docker counts the chain layers: 1 + 5 + 2 + 5.
    assert_eq!(usage.layers_size, 13);
    assert!(usage.images.iter().all(|i| i.shared_size == 0));
    assert_ne!(a, b);
}

#[test]
fn references_resolve_like_docker() {
    let mut store = Store::new();
    let id = image(&mut store, &[layer(&[("/f", 3)])], "x");
    store.tag("localhost/app", &id).unwrap();
    assert_eq!(store.resolve("localhost/app").unwrap(), id);
    assert_eq!(store.resolve("localhost/app:latest").unwrap(), id);
    assert_eq!(store.resolve(&id.to_string()).unwrap(), id);
    assert_eq!(store.resolve(&id.short()).unwrap(), id);
    assert_eq!(
        store.resolve("nope"),
        Err(StoreError::UnknownImage("nope".into()))
    );
    assert_eq!(
        store.resolve("").unwrap_err(),
        StoreError::UnknownImage(String::new())
    );
    let union = store.union(&id).unwrap();
    assert_eq!(union.read_file("/f").unwrap().len(), 3);
}

#[test]
fn images_need_their_layers_and_keep_their_config_bytes() {
    let mut store = Store::new();
    let mut image = Image::scratch();
    let missing = crate::digest::Digest::of(b"missing");
    image.diff_ids.push(missing);
    assert_eq!(
        store.add_image(image),
        Err(StoreError::MissingLayer(missing))
    );
    let json =
        r#"{"os":"linux",  "architecture":"arm64","rootfs":{"type":"layers","diff_ids":[]}}"#;
    let id = store.add_image_json(json).unwrap();
    assert_eq!(id, crate::digest::Digest::of(json.as_bytes()));
    assert_eq!(store.image(&id).unwrap().image.architecture, "arm64");
    assert!(matches!(
        store.add_image_json("{"),
        Err(StoreError::BadConfig(_))
    ));
}
