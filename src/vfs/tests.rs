use super::blob::Blob;
use super::{ErrorKind, Kind, Meta, Vfs};

fn dir() -> Meta {
    Meta::new(0o755)
}

fn file() -> Meta {
    Meta::new(0o644)
}

fn sample() -> Vfs {
    let mut fs = Vfs::new();
    fs.mkdir("/etc", dir()).unwrap();
    fs.mkdir_all("/usr/bin", dir()).unwrap();
    fs.write_file("/etc/passwd", Blob::from_bytes("root:x:0:0\n"), file())
        .unwrap();
    fs.symlink("/usr/bin", "/bin", Meta::new(0o777)).unwrap();
    fs.write_file("/bin/sh", Blob::from_bytes("ELF"), Meta::new(0o755))
        .unwrap();
    fs
}

#[test]
fn display_prints_an_ascii_tree() {
    let fs = sample();
    assert_eq!(
        fs.to_string(),
        "/ 0755 0:0
├── bin l 0777 0:0 -> /usr/bin
├── etc/ d 0755 0:0
│   └── passwd f 0644 0:0 11 7cf1f940025c
└── usr/ d 0755 0:0
    └── bin/ d 0755 0:0
        └── sh f 0755 0:0 3 706abe3c9015
"
    );
}

#[test]
fn symlinks_resolve_inside_the_root() {
    let mut fs = sample();
    assert_eq!(fs.canonicalize("/bin/sh").unwrap(), "/usr/bin/sh");
    assert_eq!(
        fs.canonicalize("/../../etc/../etc/passwd").unwrap(),
        "/etc/passwd"
    );
    fs.symlink("../../../../etc", "/usr/bin/up", Meta::new(0o777))
        .unwrap();
    assert_eq!(
        fs.canonicalize("/usr/bin/up/passwd").unwrap(),
        "/etc/passwd"
    );
    fs.symlink("/", "/usr/root", Meta::new(0o777)).unwrap();
    assert_eq!(fs.canonicalize("/usr/root/usr/root/etc").unwrap(), "/etc");
    assert_eq!(fs.read_link("/bin").unwrap(), "/usr/bin");
    assert_eq!(
        fs.lstat("/bin").unwrap().kind,
        Kind::Symlink("/usr/bin".into())
    );
    assert!(fs.stat("/bin").unwrap().is_dir());
}

#[test]
fn symlink_loops_are_an_error() {
    let mut fs = Vfs::new();
    fs.symlink("b", "/a", Meta::new(0o777)).unwrap();
    fs.symlink("a", "/b", Meta::new(0o777)).unwrap();
    let err = fs.stat("/a").unwrap_err();
    assert_eq!(err.kind, ErrorKind::Loop);
    assert_eq!(err.to_string(), "/a: Too many levels of symbolic links");
    // lstat does not follow, so the link itself is fine.
    assert!(fs.lstat("/a").is_ok());
}

#[test]
fn errors_name_the_path_and_a_posix_kind() {
    let mut fs = sample();
    let e = fs.remove_file("x").unwrap_err();
    assert_eq!((e.path.as_str(), e.kind), ("x", ErrorKind::NotFound));
    assert_eq!(
        format!("rm: cannot remove '{}': {}", e.path, e.kind),
        "rm: cannot remove 'x': No such file or directory"
    );
    assert_eq!(fs.remove_dir("/etc").unwrap_err().kind, ErrorKind::NotEmpty);
    assert_eq!(
        fs.remove_file("/etc").unwrap_err().kind,
        ErrorKind::IsADirectory
    );
    assert_eq!(
        fs.mkdir("/etc", dir()).unwrap_err().kind,
        ErrorKind::AlreadyExists
    );
    assert_eq!(
        fs.stat("/etc/passwd/x").unwrap_err().kind,
        ErrorKind::NotADirectory
    );
    assert_eq!(
        fs.stat("/etc/passwd/").unwrap_err().kind,
        ErrorKind::NotADirectory
    );
    assert_eq!(
        fs.mkdir("/nope/x", dir()).unwrap_err().kind,
        ErrorKind::NotFound
    );
    assert_eq!(
        fs.read_file("/etc").unwrap_err().kind,
        ErrorKind::IsADirectory
    );
    assert_eq!(
        fs.hard_link("/etc", "/e2").unwrap_err().kind,
        ErrorKind::NotPermitted
    );
    assert_eq!(
        fs.rename("/usr", "/usr/bin/x").unwrap_err().kind,
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        fs.rename("/etc/passwd", "/usr").unwrap_err().kind,
        ErrorKind::IsADirectory
    );
    assert_eq!(
        fs.mkdir_all("/etc/passwd/x", dir()).unwrap_err().kind,
        ErrorKind::NotADirectory
    );
    assert_eq!(fs.stat("").unwrap_err().kind, ErrorKind::NotFound);
    assert_eq!(
        fs.mkdir(&"/a".repeat(3000), dir()).unwrap_err().kind,
        ErrorKind::NameTooLong
    );
    assert_eq!(
        fs.mkdir(&format!("/{}", "n".repeat(256)), dir())
            .unwrap_err()
            .kind,
        ErrorKind::NameTooLong
    );
}

#[test]
fn hard_links_share_one_inode() {
    let mut fs = sample();
    fs.hard_link("/etc/passwd", "/etc/passwd-").unwrap();
    fs.chmod("/etc/passwd-", 0o600).unwrap();
    let a = fs.stat("/etc/passwd").unwrap();
    assert_eq!(a.meta.mode, 0o600);
    assert_eq!(a.nlink, 2);
    fs.write_file("/etc/passwd", Blob::from_bytes("new"), file().at(5))
        .unwrap();
    assert_eq!(&*fs.read_file("/etc/passwd-").unwrap().bytes(), b"new");
    assert_eq!(
        fs.stat("/etc/passwd-").unwrap().meta,
        Meta::new(0o600).at(5)
    );
    fs.remove_file("/etc/passwd").unwrap();
    assert_eq!(fs.stat("/etc/passwd-").unwrap().nlink, 1);
    let walk = fs.walk("/").unwrap();
    assert!(walk.iter().all(|e| e.link_to.is_none()));
}

#[test]
fn walk_marks_later_names_of_a_hard_link() {
    let mut fs = sample();
    fs.hard_link("/etc/passwd", "/usr/pw").unwrap();
    let walk = fs.walk("/").unwrap();
    let pw = walk.iter().find(|e| e.path == "usr/pw").unwrap();
    assert_eq!(pw.link_to.as_deref(), Some("etc/passwd"));
    let paths: Vec<_> = walk.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "bin",
            "etc",
            "etc/passwd",
            "usr",
            "usr/bin",
            "usr/bin/sh",
            "usr/pw"
        ]
    );
}

#[test]
fn clones_are_independent_and_share_untouched_nodes() {
    let base = sample();
    let mut next = base.clone();
    next.remove_all("/usr").unwrap();
    next.write_file("/etc/passwd", Blob::from_bytes("changed"), file())
        .unwrap();
    assert!(base.exists("/usr/bin/sh"));
    assert_eq!(
        &*base.read_file("/etc/passwd").unwrap().bytes(),
        b"root:x:0:0\n"
    );
    assert!(!next.exists("/usr"));
    assert!(next.exists("/bin"), "the dangling symlink stays");
}

#[test]
fn write_file_keeps_mode_and_owner_of_an_existing_file() {
    let mut fs = sample();
    fs.update_meta("/etc/passwd", true, |m| *m = Meta::new(0o4755).owned(1, 2))
        .unwrap();
    fs.write_file("/etc/passwd", Blob::from_bytes("x"), file().at(9))
        .unwrap();
    assert_eq!(
        fs.stat("/etc/passwd").unwrap().meta,
        Meta::new(0o4755).owned(1, 2).at(9)
    );
    // Writing through a symlink writes the target.
    fs.symlink("/etc/passwd", "/pw", Meta::new(0o777)).unwrap();
    fs.write_file("/pw", Blob::from_bytes("y"), file()).unwrap();
    assert_eq!(&*fs.read_file("/etc/passwd").unwrap().bytes(), b"y");
}

#[test]
fn rename_follows_posix_rules() {
    let mut fs = sample();
    fs.mkdir("/empty", dir()).unwrap();
    fs.rename("/etc", "/empty").unwrap();
    assert!(fs.exists("/empty/passwd"));
    assert!(!fs.exists("/etc"));
    fs.mkdir("/full", dir()).unwrap();
    fs.write_file("/full/x", Blob::empty(), file()).unwrap();
    assert_eq!(
        fs.rename("/empty", "/full").unwrap_err().kind,
        ErrorKind::NotEmpty
    );
    fs.rename("/empty/passwd", "/full/x").unwrap();
    assert_eq!(fs.read_file("/full/x").unwrap().len(), 11);
}

#[test]
fn remove_all_of_root_empties_it() {
    let mut fs = sample();
    fs.remove_all("/").unwrap();
    assert_eq!(fs.read_dir("/").unwrap(), vec![]);
}

#[test]
fn devices_and_fifos_are_representable() {
    let mut fs = Vfs::new();
    fs.mkdir("/dev", dir()).unwrap();
    fs.create(
        "/dev/null",
        Kind::CharDevice { major: 1, minor: 3 },
        Meta::new(0o666),
    )
    .unwrap();
    fs.create("/dev/p", Kind::Fifo, Meta::new(0o644)).unwrap();
    assert_eq!(
        fs.lstat("/dev/null").unwrap().kind,
        Kind::CharDevice { major: 1, minor: 3 }
    );
    assert_eq!(
        fs.read_file("/dev/null").unwrap_err().kind,
        ErrorKind::InvalidArgument
    );
}

#[test]
fn identical_contents_are_stored_once() {
    let a = Blob::from_bytes(b"same bytes".to_vec());
    let b = Blob::from_bytes(b"same bytes".to_vec());
    assert!(Blob::same(&a, &b));
}

#[test]
fn generated_contents_are_deterministic_and_lazy() {
    let g = Blob::generated(100_000, 7);
    assert!(g.is_generated());
    assert_eq!(g.len(), 100_000);
    assert_eq!(g.bytes().len(), 100_000);
    assert_eq!(g.digest(), Blob::generated(100_000, 7).digest());
    assert_ne!(g.digest(), Blob::generated(100_000, 8).digest());
    assert_ne!(
        Blob::generated(1 << 40, 1),
        Blob::generated(1 << 40, 2),
        "compared without generating a terabyte"
    );
    assert_eq!(Blob::generated(0, 1), Blob::generated(0, 2));
    assert_eq!(
        Blob::generated(3, 9) == Blob::generated(3, 10),
        Blob::generated(3, 9).digest() == Blob::generated(3, 10).digest()
    );
    assert_eq!(g.digest(), crate::digest::Digest::of(&g.bytes()));
    assert_eq!(
        Blob::generated(5, 1).digest().hex(),
        crate::digest::Digest::of(&Blob::generated(5, 1).bytes()).hex()
    );
}

#[test]
fn generated_text_fills_its_size_with_numbered_lines() {
    let t = Blob::generated_text("# head\n", "# line ", 40);
    assert!(t.is_generated());
    assert_eq!(t.len(), 40);
    assert_eq!(
        String::from_utf8(t.bytes().into_owned()).unwrap(),
        "# head\n# line 2\n# line 3\n# line 4\n# lin\n"
    );
    assert_eq!(t.head(), Some(&b"# head\n"[..]));
    assert_eq!(t, Blob::generated_text("# head\n", "# line ", 40));
    assert_ne!(t, Blob::generated_text("# head\n", "# line ", 41));
    assert_ne!(t, Blob::generated_text("# other\n", "# line ", 40));
    assert_eq!(t.digest(), crate::digest::Digest::of(&t.bytes()));
    for size in [300_001, 300_002, 300_003] {
        let big = Blob::generated_text("# h\n", "# é ", size);
        let bytes = big.bytes();
        assert_eq!(bytes.len() as u64, size);
        assert!(std::str::from_utf8(&bytes).unwrap().ends_with('\n'));
    }
    // A head longer than the file is cut, still one line of valid text.
    let short = Blob::generated_text("# é long head\n", "# x", 4);
    assert_eq!(short.bytes().as_ref(), b"#  \n");
    assert_eq!(Blob::generated_text("# h\n", "# x", 0).bytes().len(), 0);
    assert_eq!(
        Blob::generated_text("# h\n", "# x", 1).bytes().as_ref(),
        b"\n"
    );
}

#[test]
fn listing_uses_the_oracle_format() {
    let mut fs = sample();
    fs.hard_link("/etc/passwd", "/etc/pw").unwrap();
    assert_eq!(
        fs.listing(),
        [
            "bin l 0777 0:0 0 ->/usr/bin",
            "etc d 0755 0:0 0 -",
            "etc/passwd f 0644 0:0 11 7cf1f940025c27c78e5e4a707519f0e06178702e6dc16722f3d48e13f5e60d9e",
            "etc/pw f 0644 0:0 11 7cf1f940025c27c78e5e4a707519f0e06178702e6dc16722f3d48e13f5e60d9e",
            "usr d 0755 0:0 0 -",
            "usr/bin d 0755 0:0 0 -",
            "usr/bin/sh f 0755 0:0 3 706abe3c90152075e656b661079730facf323f3ebccda7547ee1935c90845a09",
        ]
    );
}

#[test]
fn type_bits_in_a_mode_are_dropped() {
    let mut fs = Vfs::new();
    fs.mkdir(
        "/d",
        Meta {
            mode: 0o40755,
            uid: 0,
            gid: 0,
            mtime: 0,
        },
    )
    .unwrap();
    fs.write_file(
        "/d/f",
        Blob::empty(),
        Meta {
            mode: 0o100644,
            uid: 0,
            gid: 0,
            mtime: 0,
        },
    )
    .unwrap();
    fs.update_meta("/d/f", true, |m| m.mode = 0o104755).unwrap();
    assert_eq!(fs.stat("/d").unwrap().meta.mode, 0o755);
    assert_eq!(fs.stat("/d/f").unwrap().meta.mode, 0o4755);
}

/// `put_back` returns the very nodes of the snapshot, so a diff against it is empty
/// even after the directory was removed and made again (what a RUN mount does).
#[test]
fn put_back_restores_nodes_not_copies() {
    use crate::layer::{DiffStyle, Layer};
    let mut fs = Vfs::new();
    fs.mkdir_all("/etc/app", Meta::new(0o755)).unwrap();
    fs.write_file(
        "/etc/app/a.conf",
        Blob::from_bytes(b"a".to_vec()),
        Meta::new(0o644),
    )
    .unwrap();
    fs.write_file("/etc/b", Blob::from_bytes(b"b".to_vec()), Meta::new(0o644))
        .unwrap();
    let before = fs.clone();
    fs.remove_all("/etc/app").unwrap();
    fs.mkdir("/etc/app", Meta::new(0o700)).unwrap();
    fs.write_file(
        "/etc/app/mounted",
        Blob::from_bytes(b"m".to_vec()),
        Meta::new(0o644),
    )
    .unwrap();
    fs.write_file(
        "/etc/new",
        Blob::from_bytes(b"n".to_vec()),
        Meta::new(0o644),
    )
    .unwrap();
    fs.put_back(&before, "/etc/app").unwrap();
    fs.put_back(&before, "/etc/new").unwrap();
    // A path whose parent the snapshot lacks has nothing to come back.
    fs.put_back(&before, "/nope/deeper").unwrap();
    assert_eq!(
        fs.read_file("/etc/app/a.conf").unwrap().bytes().as_ref(),
        b"a"
    );
    assert!(fs.lstat("/etc/app/mounted").is_err() && fs.lstat("/etc/new").is_err());
    let diff = Layer::diff(&before, &fs, DiffStyle::BuildKit);
    assert_eq!(diff.layer.entries().len(), 0);
}
