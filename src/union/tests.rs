use super::{ChangeLetter, Union};
use crate::layer::{DiffStyle, Layer};
use crate::vfs::blob::Blob;
use crate::vfs::{Meta, Vfs};

fn d() -> Meta {
    Meta::new(0o755)
}

fn f() -> Meta {
    Meta::new(0o644)
}

/// Three snapshots: a base, a step that rewrites and deletes, a step that replaces
/// a directory wholesale and turns a file into a directory.
fn snapshots() -> Vec<Vfs> {
    let mut s0 = Vfs::new();
    s0.mkdir("/etc", d()).unwrap();
    s0.mkdir("/d", d()).unwrap();
    s0.write_file("/etc/a", Blob::from_bytes(vec![1u8; 10]), f())
        .unwrap();
    s0.write_file("/d/x", Blob::from_bytes(vec![2u8; 100]), f())
        .unwrap();
    s0.write_file("/d/y", Blob::from_bytes(vec![3u8; 5]), f())
        .unwrap();
    s0.write_file("/f", Blob::from_bytes("file"), f()).unwrap();
    let mut s1 = s0.clone();
    s1.write_file("/etc/a", Blob::from_bytes(vec![4u8; 20]), f())
        .unwrap();
    s1.remove_file("/d/x").unwrap();
    let mut s2 = s1.clone();
    s2.remove_all("/d").unwrap();
    s2.mkdir("/d", d()).unwrap();
    s2.write_file("/d/z", Blob::from_bytes("z"), f()).unwrap();
    s2.remove_file("/f").unwrap();
    s2.mkdir("/f", d()).unwrap();
    vec![s0, s1, s2]
}

fn layers(style: DiffStyle) -> Vec<Layer> {
    let snaps = snapshots();
    let mut out = vec![Layer::diff(&Vfs::new(), &snaps[0], style).layer];
    for pair in snaps.windows(2) {
        out.push(Layer::diff(&pair[0], &pair[1], style).layer);
    }
    out
}

#[test]
fn the_union_of_the_stack_is_the_last_snapshot() {
    for style in [DiffStyle::BuildKit, DiffStyle::Overlay] {
        let layers = layers(style);
        let snaps = snapshots();
        for n in 0..layers.len() {
            let union = Union::new(&layers[..=n]).unwrap();
            assert_eq!(
                union.fs().to_string(),
                snaps[n].to_string(),
                "{style:?} prefix {n}"
            );
        }
    }
}

#[test]
fn origins_shadowed_versions_and_deletions() {
    let union = Union::new(&layers(DiffStyle::Overlay)).unwrap();
    assert_eq!(union.origin("/etc/a"), Some(1));
    assert_eq!(union.origin("d/z"), Some(2));
    assert_eq!(union.origin("/d/x"), None);
    let etc = union.list_dir("/etc").unwrap();
    assert_eq!(
        (etc[0].name.as_str(), etc[0].origin, etc[0].shadowed.clone()),
        ("a", Some(1), vec![0])
    );
    let deleted: Vec<_> = union
        .deletions()
        .iter()
        .map(|d| (d.path.as_str(), d.layer, d.origin, d.size))
        .collect();
    assert_eq!(deleted, [("d/x", 1, Some(0), 100), ("d/y", 2, Some(0), 5)]);
    // A file replaced by a directory is shadowed, not deleted.
    assert_eq!(union.history("/f").unwrap().count(), 2);
    assert_eq!(&*union.read_file("/d/z").unwrap().bytes(), b"z");
}

#[test]
fn per_layer_changes_read_like_docker_diff() {
    let union = Union::new(&layers(DiffStyle::BuildKit)).unwrap();
    let lines: Vec<String> = union
        .changes(2)
        .iter()
        .map(|c| format!("{} /{}", c.kind.letter(), c.path))
        .collect();
    assert_eq!(lines, ["D /d/y", "C /d", "A /d/z", "C /f"]);
    assert_eq!(
        union
            .changes(1)
            .iter()
            .filter(|c| c.kind == ChangeLetter::Deleted)
            .count(),
        1
    );
    assert!(union.changes(9).is_empty());
}

#[test]
fn waste_counts_the_copies_that_do_not_survive() {
    let union = Union::new(&layers(DiffStyle::BuildKit)).unwrap();
    let waste = union.waste();
    // Layer bytes: 10 + 100 + 5 + 4, then 20, then 1.
    assert_eq!(waste.total_bytes, 140);
    // Lost: the first /etc/a (10), /d/x (100), /d/y (5), /f (4).
    assert_eq!(waste.wasted_bytes, 119);
    assert!((waste.efficiency - 21.0 / 140.0).abs() < 1e-12);
    let top: Vec<_> = waste
        .files
        .iter()
        .map(|w| (w.path.as_str(), w.copies, w.wasted_bytes))
        .collect();
    assert_eq!(
        top,
        [
            ("d/x", 1, 100),
            ("etc/a", 2, 10),
            ("d/y", 1, 5),
            ("f", 2, 4)
        ]
    );
    assert_eq!(Union::default().waste().efficiency, 1.0);
}

#[test]
fn deleted_in_lists_whited_out_names_that_stay_deleted() {
    let union = Union::new(&layers(DiffStyle::BuildKit)).unwrap();
    let deleted: Vec<_> = union
        .deleted_in("/d")
        .iter()
        .map(|d| (d.path.as_str(), d.layer, d.origin, d.size))
        .collect();
    assert_eq!(deleted, [("d/x", 1, Some(0), 100), ("d/y", 2, Some(0), 5)]);
    // /f was replaced by a directory: shadowed, not deleted; the root has nothing.
    assert!(union.deleted_in("/").is_empty());
    assert!(union.deleted_in("/etc/").is_empty());
    // A name deleted and then written again is visible, so not listed.
    let mut s0 = Vfs::new();
    s0.write_file("/a", Blob::from_bytes("1"), f()).unwrap();
    let mut s1 = s0.clone();
    s1.remove_file("/a").unwrap();
    let mut s2 = s1.clone();
    s2.write_file("/a", Blob::from_bytes("2"), f()).unwrap();
    let stack = [
        Layer::diff(&Vfs::new(), &s0, DiffStyle::BuildKit).layer,
        Layer::diff(&s0, &s1, DiffStyle::BuildKit).layer,
        Layer::diff(&s1, &s2, DiffStyle::BuildKit).layer,
    ];
    assert_eq!(Union::new(&stack[..2]).unwrap().deleted_in("").len(), 1);
    assert!(Union::new(&stack).unwrap().deleted_in("").is_empty());
}

#[test]
fn find_matches_substrings_base_name_globs_and_path_globs() {
    let union = Union::new(&layers(DiffStyle::BuildKit)).unwrap();
    let paths = |pattern: &str, limit: usize| {
        let matches = union.find(pattern, limit).unwrap();
        let found: Vec<(String, Option<usize>)> = matches
            .found
            .into_iter()
            .map(|m| (m.path, m.origin))
            .collect();
        (found, matches.truncated)
    };
    let owned = |list: &[(&str, usize)]| -> Vec<(String, Option<usize>)> {
        list.iter()
            .map(|(p, l)| (p.to_string(), Some(*l)))
            .collect()
    };
    assert_eq!(paths("tc/a", 10), (owned(&[("/etc/a", 1)]), false));
    assert_eq!(paths("z", 10), (owned(&[("/d/z", 2)]), false));
    assert_eq!(
        paths("?", 10).0.len(),
        4,
        "every base name but etc has one letter"
    );
    assert_eq!(
        paths("/d/*", 10),
        (owned(&[("/d/z", 2)]), false),
        "a glob with a slash matches whole paths"
    );
    assert_eq!(paths("**/a", 10), (owned(&[("/etc/a", 1)]), false));
    assert_eq!(paths("?", 2), (owned(&[("/d", 2), ("/d/z", 2)]), true));
    assert_eq!(paths("", 10), (Vec::new(), false));
    assert!(paths("nothing-here", 10).0.is_empty());
    assert!(union.find("[", 10).is_err());
}
