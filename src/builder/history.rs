//! The `created_by` strings of each builder personality, byte for byte.
//!
//! `docker history` shows these strings and people copy them into bug reports, so
//! they follow the real builders exactly: BuildKit's from moby/buildkit's
//! `dockerfile2llb/convert.go`, the classic builder's as buildah 1.28 writes them
//! (`../shared/docs/SEMANTICS.md` §3 and §10.1).

use crate::dockerfile::gotext::quote;

/// BuildKit's suffix on the entries of steps that ran a build operation.
pub const BUILDKIT_SUFFIX: &str = " # buildkit";

/// BuildKit's history comment.
pub const BUILDKIT_COMMENT: &str = "buildkit.dockerfile.v0";

/// The classic builder's prefix for metadata-only entries.
pub const NOP_PREFIX: &str = "/bin/sh -c #(nop) ";

/// BuildKit's `RUN` entry: `RUN [|N k=v ...] argv... # buildkit`, with every ARG
/// declared in the stage so far (a missing value prints as `k=`).
pub fn buildkit_run(argv: &[String], args: &[(String, Option<String>)]) -> String {
    let mut out = String::from("RUN ");
    if !args.is_empty() {
        out.push_str(&format!("|{} ", args.len()));
        for (name, value) in args {
            out.push_str(&format!("{}={} ", name, value.as_deref().unwrap_or("")));
        }
    }
    out.push_str(&argv.join(" "));
    out.push_str(BUILDKIT_SUFFIX);
    out
}

/// The classic builder's `RUN` entry: `[|N k=v ...] /bin/sh -c <text as written>`,
/// listing only ARGs with a value, sorted by name.
pub fn legacy_run(text: &str, args: &[(String, Option<String>)]) -> String {
    let mut valued: Vec<(&str, &str)> = args
        .iter()
        .filter_map(|(name, value)| value.as_deref().map(|v| (name.as_str(), v)))
        .collect();
    crate::sort::sort(&mut valued);
    let mut out = String::new();
    if !valued.is_empty() {
        out.push_str(&format!("|{} ", valued.len()));
        for (name, value) in valued {
            out.push_str(&format!("{name}={value} "));
        }
    }
    out.push_str("/bin/sh -c ");
    out.push_str(text);
    out
}

/// BuildKit's COPY/ADD entry: `COPY [--parents] [--chown=U] [--chmod=M] SRC... DEST # buildkit`.
pub fn buildkit_copy(keyword: &str, flags: &CopyFlags, sources: &[String], dest: &str) -> String {
    let mut out = format!("{keyword} ");
    if flags.parents {
        out.push_str("--parents ");
    }
    if let Some(chown) = &flags.chown {
        out.push_str(&format!("--chown={chown} "));
    }
    if let Some(chmod) = &flags.chmod {
        out.push_str(&format!("--chmod={chmod} "));
    }
    out.push_str(&sources.join(" "));
    out.push(' ');
    out.push_str(dest);
    out.push_str(BUILDKIT_SUFFIX);
    out
}

/// The flags a COPY/ADD history entry shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CopyFlags {
    /// `--parents`.
    pub parents: bool,
    /// `--chown` as written.
    pub chown: Option<String>,
    /// `--chmod` as written.
    pub chmod: Option<String>,
}

/// The classic builder's COPY/ADD entry: `/bin/sh -c #(nop) COPY file:<hash> in DEST `.
/// The hash is the digest of what was copied (buildah's own tarsum is not
/// reproducible outside buildah; tests compare the entry up to the hash).
pub fn legacy_copy(keyword: &str, what: &str, hash_hex: &str, dest: &str) -> String {
    format!("{NOP_PREFIX}{keyword} {what}:{hash_hex} in {dest} ")
}

/// A Go `%q` of a string list (`["/bin/sh" "-c" "echo hi"]`), as BuildKit prints
/// CMD and ENTRYPOINT.
pub fn go_quoted_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", quoted.join(" "))
}

/// A Go `%v` of a string list (`[/v /w]`), as BuildKit prints VOLUME, SHELL, EXPOSE.
pub fn go_plain_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}
