//! Real-world Dockerfiles build: every official-image Dockerfile of
//! `../shared/conformance/corpus/` whose base images the catalog has must build
//! without error. The corpus has no build contexts, so each COPY/ADD source from
//! the context is given a small placeholder file. Counts are printed.

use layerlab::builder::{build, BuildInput, BuildOptions};
use layerlab::cache::BuildCache;
use layerlab::context::BuildContext;
use layerlab::dockerfile::instruction::Command;
use layerlab::store::Store;
use layerlab::vfs::blob::Blob;
use std::path::Path;

/// Placeholder context files for the Dockerfile's COPY/ADD sources.
fn context_for(text: &str) -> BuildContext {
    let mut ctx = BuildContext::new();
    let (parsed, _) = layerlab::dockerfile::parse(text);
    let Some(dockerfile) = parsed else { return ctx };
    for stage in &dockerfile.stages {
        for instruction in &stage.instructions {
            let sources = match &instruction.command {
                Command::Copy(c) if c.from.is_none() => c.sources.clone(),
                Command::Add(a) => a
                    .sources
                    .iter()
                    .filter(|s| !s.contains("://"))
                    .cloned()
                    .collect(),
                _ => continue,
            };
            for source in sources {
                let path = source.replace(['*', '?'], "x").replace(['[', ']'], "");
                let path = path.trim_start_matches("./").trim_start_matches('/');
                if path.is_empty() || path == "." || path.contains('$') {
                    continue;
                }
                let body = format!("#!/bin/sh\n# placeholder for {path}\nexec \"$@\"\n");
                let _ = ctx.add_file(
                    path,
                    Blob::from_bytes(body.into_bytes()),
                    0o755,
                    1_700_000_000,
                );
            }
        }
    }
    ctx
}

#[test]
fn corpus_dockerfiles_build_on_catalog_bases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/corpus");
    assert!(
        dir.is_dir(),
        "the shared conformance data is missing at {}",
        dir.display()
    );
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 131, "the corpus has 131 Dockerfiles");
    let (mut built, mut skipped) = (0, 0);
    let mut failed = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let ctx = context_for(&text);
        let mut store = Store::new();
        let mut cache = BuildCache::new();
        let input = BuildInput {
            dockerfile: &text,
            dockerfile_path: "Dockerfile",
            context: &ctx,
        };
        let outcome = build(&mut store, &mut cache, &input, &BuildOptions::default());
        match outcome.error {
            None => built += 1,
            Some(e)
                if e.message.contains("is not in layerlab's catalog")
                    || e.message.contains("invalid image reference") =>
            {
                skipped += 1
            }
            Some(e) => failed.push(format!(
                "{}: {e}",
                file.file_name().unwrap().to_string_lossy()
            )),
        }
    }
    println!(
        "corpus builds: built {built}, failed {}, skipped for a missing base {skipped}",
        failed.len()
    );
    assert!(
        failed.is_empty(),
        "{} corpus Dockerfiles failed:\n{}",
        failed.len(),
        failed.join("\n\n")
    );
}
