// A small known filesystem pair (parent, child), included by the native test
// (`tests/it/union.rs`) and the wasm test (`tests/web.rs`) so both compute the
// same layer and must agree on its diffID.
{
    use layerlab::vfs::blob::Blob;
    use layerlab::vfs::{Meta, Vfs};
    let mut parent = Vfs::new();
    parent.mkdir("/etc", Meta::new(0o755).at(1_700_000_000)).unwrap();
    parent.mkdir("/tmp", Meta::new(0o1777)).unwrap();
    parent.write_file("/etc/passwd", Blob::from_bytes("root:x:0:0:root:/root:/bin/sh\n"), Meta::new(0o644)).unwrap();
    parent.write_file("/etc/old", Blob::from_bytes("old\n"), Meta::new(0o600)).unwrap();
    let mut child = parent.clone();
    child.remove_file("/etc/old").unwrap();
    child.mkdir("/app", Meta::new(0o755).owned(1000, 1000).at(1_700_000_100)).unwrap();
    child.write_file("/app/main.py", Blob::from_bytes("print('hi')\n"), Meta::new(0o755).at(1_700_000_100)).unwrap();
    child.hard_link("/app/main.py", "/app/hl").unwrap();
    child.symlink("main.py", "/app/link", Meta::new(0o777)).unwrap();
    child.write_file("/tmp/big", Blob::generated(70_000, 42), Meta::new(0o644)).unwrap();
    (parent, child)
}
