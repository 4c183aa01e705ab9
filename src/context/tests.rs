use super::glob::Glob;
use super::ignore::IgnoreRules;
use super::path::clean;
use super::*;

fn context(paths: &[&str]) -> BuildContext {
    let mut ctx = BuildContext::new();
    for path in paths {
        ctx.add_file(path, Blob::from_bytes(path.as_bytes().to_vec()), 0o644, 0)
            .unwrap();
    }
    ctx
}

fn kept(ctx: &BuildContext, ignore: &str) -> Vec<String> {
    let rules = IgnoreRules::parse(ignore).unwrap();
    ctx.filtered(&rules)
        .entries()
        .map(|(p, _)| p.to_string())
        .collect()
}

#[test]
fn paths_clean_like_go() {
    assert_eq!(clean("a//b/./c/.."), "a/b");
    assert_eq!(clean("/../x"), "/x");
    assert_eq!(clean("../x"), "../x");
    assert_eq!(clean(""), ".");
    assert_eq!(clean("./"), ".");
    assert_eq!(clean("/"), "/");
}

#[test]
fn file_path_globs_follow_go_filepath_match() {
    let g = Glob::file_path("*.py").unwrap();
    assert!(g.matches("main.py"));
    assert!(!g.matches("src/main.py"), "* does not cross a slash");
    assert!(Glob::file_path("src/?.txt").unwrap().matches("src/a.txt"));
    assert!(Glob::file_path("[a-c]x").unwrap().matches("bx"));
    assert!(!Glob::file_path("[^a-c]x").unwrap().matches("bx"));
    assert!(Glob::file_path("\\*").unwrap().matches("*"));
    assert!(Glob::file_path("[").is_err());
    assert!(Glob::file_path("a\\").is_err());
    assert!(Glob::has_wildcards("*.txt") && !Glob::has_wildcards("plain.txt"));
}

#[test]
fn ignore_file_lines_are_read_as_docker_reads_them() {
    // The same lines moby/patternmatcher's ReadAll test uses, minus the lone "!".
    let rules = IgnoreRules::parse(
        "test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n",
    )
    .unwrap();
    assert_eq!(
        rules.patterns(),
        [
            "test1",
            "test2",
            "a/file/here",
            "lastfile",
            "!inverted/abs/path"
        ]
    );
    let err = IgnoreRules::parse("ok\n!\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        ".dockerignore line 2: illegal exclusion pattern: \"!\""
    );
    assert!(IgnoreRules::parse("[").is_err());
}

#[test]
fn the_oracle_example_keeps_what_buildah_kept() {
    // ../shared/oracle/examples/dockerignore: sub/* with !sub/keep.txt keeps only
    // sub/keep.txt, **/*.tmp also matches top.tmp at the root, and listing the
    // Dockerfile and .dockerignore keeps them out.
    let ctx = context(&[
        ".dockerignore",
        "Dockerfile",
        "keepdir/k",
        "sub/keep.txt",
        "sub/drop.txt",
        "sub/deep/x",
        "top.tmp",
        "x",
        "keepdir/a.tmp",
    ]);
    let ignore = "sub/*\n!sub/keep.txt\n**/*.tmp\nDockerfile\n.dockerignore\n";
    assert_eq!(
        kept(&ctx, ignore),
        ["keepdir", "keepdir/k", "sub", "sub/keep.txt", "x"]
    );
}

#[test]
fn patterns_match_parents_and_double_stars() {
    let ctx = context(&[
        "node_modules/a/index.js",
        "src/node_modules/b.js",
        "src/app.js",
        "docs/a.md",
        "README.md",
    ]);
    assert_eq!(
        kept(&ctx, "node_modules"),
        [
            "README.md",
            "docs",
            "docs/a.md",
            "src",
            "src/app.js",
            "src/node_modules",
            "src/node_modules/b.js"
        ]
    );
    assert_eq!(
        kept(&ctx, "**/node_modules"),
        ["README.md", "docs", "docs/a.md", "src", "src/app.js"]
    );
    assert_eq!(
        kept(&ctx, "*.md"),
        [
            "docs",
            "docs/a.md",
            "node_modules",
            "node_modules/a",
            "node_modules/a/index.js",
            "src",
            "src/app.js",
            "src/node_modules",
            "src/node_modules/b.js"
        ]
    );
    assert_eq!(
        kept(&ctx, "**/*.md\n!docs/a.md"),
        [
            "docs",
            "docs/a.md",
            "node_modules",
            "node_modules/a",
            "node_modules/a/index.js",
            "src",
            "src/app.js",
            "src/node_modules",
            "src/node_modules/b.js"
        ]
    );
    assert_eq!(kept(&ctx, "*\n!src/app.js"), ["src", "src/app.js"]);
    assert_eq!(
        kept(&ctx, "src/**"),
        [
            "README.md",
            "docs",
            "docs/a.md",
            "node_modules",
            "node_modules/a",
            "node_modules/a/index.js",
            "src"
        ]
    );
}

#[test]
fn the_last_matching_pattern_wins() {
    let ctx = context(&["a.log", "b.log"]);
    assert_eq!(kept(&ctx, "*.log\n!a.log"), ["a.log"]);
    assert_eq!(kept(&ctx, "!a.log\n*.log"), Vec::<String>::new());
}

#[test]
fn dockerfile_specific_ignore_files_win() {
    let mut ctx = context(&["a", "b"]);
    ctx.add_file(".dockerignore", Blob::from_bytes(b"a\n".to_vec()), 0o644, 0)
        .unwrap();
    ctx.add_file(
        "build/app.Dockerfile.dockerignore",
        Blob::from_bytes(b"b\n".to_vec()),
        0o644,
        0,
    )
    .unwrap();
    assert_eq!(ctx.ignore_rules("Dockerfile").unwrap().patterns(), ["a"]);
    assert_eq!(
        ctx.ignore_rules("build/app.Dockerfile").unwrap().patterns(),
        ["b"]
    );
}

#[test]
fn bad_context_paths_are_refused_with_the_path() {
    let mut ctx = BuildContext::new();
    let err = ctx
        .add_file("../secret", Blob::empty(), 0o644, 0)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "../secret: the path leaves the build context; use a path inside it"
    );
    assert!(ctx.add_file("a\0b", Blob::empty(), 0o644, 0).is_err());
    assert!(ctx.add_file("./", Blob::empty(), 0o644, 0).is_err());
    ctx.add_file("f", Blob::empty(), 0o644, 0).unwrap();
    let err = ctx.add_file("f/g", Blob::empty(), 0o644, 0).unwrap_err();
    assert_eq!(
        err.to_string(),
        "f/g: 'f' is a file, so it cannot hold other files; rename one of them"
    );
    ctx.add_file("/abs/x", Blob::empty(), 0o600, 7).unwrap();
    let entry = ctx.get("abs/x").unwrap();
    assert_eq!((entry.mode, entry.mtime), (0o600, 7));
    assert_eq!(ctx.get("abs").unwrap().kind, ContextKind::Dir);
}
