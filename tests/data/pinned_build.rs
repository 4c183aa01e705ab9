// A small fixed build (FROM scratch, COPY, ENV, CMD) whose image ID both the
// native test (`tests/it/build.rs`) and the wasm test (`tests/web.rs`) pin:
// same input, same digests, on both targets. `include!`d as an expression.
{
    use layerlab::context::BuildContext;
    use layerlab::vfs::blob::Blob;
    let mut ctx = BuildContext::new();
    ctx.add_file("hello.txt", Blob::from_bytes(b"hello\n".to_vec()), 0o644, 1_704_067_200).unwrap();
    ctx.add_file("app/run.sh", Blob::from_bytes(b"echo run\n".to_vec()), 0o755, 1_704_067_200).unwrap();
    ("FROM scratch\nCOPY hello.txt /\nCOPY app /app/\nENV GREETING=hi\nCMD [\"/app/run.sh\"]\n", ctx)
}
