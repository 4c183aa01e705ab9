//! Shared test helpers: random filesystems for the property tests (a small pool of
//! paths so that random operations collide: replace, delete, recreate, link), and
//! the scratch directories the CLI tests write their contexts and stores into.

use layerlab::vfs::blob::Blob;
use layerlab::vfs::{Meta, Vfs};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use std::path::PathBuf;

/// A fresh, empty directory for one test's files, named per test and process so
/// parallel tests and earlier runs never share one.
pub fn work_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("layerlab-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Paths the random operations pick from.
pub const PATHS: [&str; 12] = [
    "/a", "/b", "/c", "/a/x", "/a/y", "/b/x", "/a/x/z", "/a/y/q", "/c/d", "/c/d/e", "/b/x/w",
    "/a/.wh",
];

/// One random filesystem operation; failures (missing parent...) are ignored.
#[derive(Clone, Debug)]
pub enum Op {
    Mkdir(usize, u32),
    Write(usize, u8),
    Symlink(usize, usize),
    Hardlink(usize, usize),
    Remove(usize),
    Chmod(usize, u32),
    Chown(usize, u32),
    Touch(usize, i64),
    Rename(usize, usize),
    Recreate(usize),
}

/// A strategy for one operation.
pub fn op() -> impl Strategy<Value = Op> {
    let p = 0..PATHS.len();
    prop_oneof![
        3 => (p.clone(), prop_oneof![Just(0o755u32), Just(0o700), Just(0o1777)]).prop_map(|(a, m)| Op::Mkdir(a, m)),
        4 => (p.clone(), 0u8..6).prop_map(|(a, c)| Op::Write(a, c)),
        1 => (p.clone(), p.clone()).prop_map(|(a, b)| Op::Symlink(a, b)),
        1 => (p.clone(), p.clone()).prop_map(|(a, b)| Op::Hardlink(a, b)),
        2 => p.clone().prop_map(Op::Remove),
        1 => (p.clone(), prop_oneof![Just(0o600u32), Just(0o4755), Just(0o644)]).prop_map(|(a, m)| Op::Chmod(a, m)),
        1 => (p.clone(), 0u32..3).prop_map(|(a, u)| Op::Chown(a, u)),
        1 => (p.clone(), 0i64..3).prop_map(|(a, t)| Op::Touch(a, t * 1000)),
        1 => (p.clone(), p.clone()).prop_map(|(a, b)| Op::Rename(a, b)),
        1 => p.prop_map(Op::Recreate),
    ]
}

/// Contents by number: small texts, an empty file and a generated one.
pub fn content(c: u8) -> Blob {
    match c {
        0 => Blob::empty(),
        1 => Blob::from_bytes("one\n"),
        2 => Blob::from_bytes("two\n"),
        3 => Blob::from_bytes(vec![b'x'; 700]),
        4 => Blob::generated(3000, 4),
        _ => Blob::from_bytes("five\n"),
    }
}

/// Applies the operations to `fs`, ignoring the ones that fail.
pub fn run(fs: &mut Vfs, ops: &[Op]) {
    for op in ops {
        let _ = match *op {
            Op::Mkdir(a, m) => fs.mkdir(PATHS[a], Meta::new(m)),
            Op::Write(a, c) => fs.write_file(PATHS[a], content(c), Meta::new(0o644)),
            Op::Symlink(a, b) => fs.symlink(PATHS[b], PATHS[a], Meta::new(0o777)),
            Op::Hardlink(a, b) => fs.hard_link(PATHS[b], PATHS[a]),
            Op::Remove(a) => fs.remove_all(PATHS[a]),
            Op::Chmod(a, m) => fs.update_meta(PATHS[a], false, |x| x.mode = m),
            Op::Chown(a, u) => fs.update_meta(PATHS[a], false, |x| x.uid = u),
            Op::Touch(a, t) => fs.update_meta(PATHS[a], false, |x| x.mtime = t),
            Op::Rename(a, b) => fs.rename(PATHS[a], PATHS[b]),
            Op::Recreate(a) => fs
                .remove_all(PATHS[a])
                .and_then(|()| fs.mkdir(PATHS[a], Meta::new(0o755))),
        };
    }
}

/// A fixed seed and a modest case count, so CI is fast and failures reproduce.
pub fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(0x1a7e_41ab),
        failure_persistence: None,
        ..Config::default()
    }
}

/// A container of `image` started as `docker run [ARGS] IMAGE` does, with what
/// its first process did.
pub fn started(
    store: &layerlab::store::Store,
    image: &layerlab::digest::Digest,
    args: &layerlab::container::RunArgs,
) -> (
    layerlab::container::Container,
    layerlab::container::ExecResult,
) {
    let mut c = layerlab::container::Container::create(
        store,
        image,
        args,
        0,
        layerlab::container::ContainerOptions::default(),
    )
    .expect("create the container");
    let run = c.start().expect("start the container");
    (c, run)
}
