//! What differs between the two builder personalities, each with its source, as
//! data: `docs/personalities.md` prints the same list (a test keeps them in step)
//! and the page shows it side by side (`api::personality_differences`).

/// One difference between BuildKit and the classic builder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Difference {
    /// What the row is about.
    pub topic: &'static str,
    /// What BuildKit (`--builder buildkit`) does.
    pub buildkit: &'static str,
    /// What the classic builder as buildah 1.28 does (`--builder legacy`).
    pub legacy: &'static str,
    /// Where that is written down: a source file, a docs page, or the measured
    /// observation in `../shared/docs/SEMANTICS.md`.
    pub source: &'static str,
}

/// Every difference layerlab models, in the order a reader meets them.
pub const DIFFERENCES: &[Difference] = &[
    Difference {
        topic: "History prefix",
        buildkit: "no prefix; RUN, COPY and ADD entries end in ` # buildkit`",
        legacy: "`/bin/sh -c ` before RUN commands, `/bin/sh -c #(nop) ` before every other instruction",
        source: "moby/buildkit frontend/dockerfile/dockerfile2llb/convert.go `commitToHistory`; SEMANTICS.md §3, §10.1",
    },
    Difference {
        topic: "History comment",
        buildkit: "`buildkit.dockerfile.v0` on every entry",
        legacy: "`FROM <parent image ID>`",
        source: "convert.go `historyComment`; SEMANTICS.md §10.1 (buildah observed)",
    },
    Difference {
        topic: "COPY/ADD in created_by",
        buildkit: "`COPY [--chown=U] [--chmod=M] SRC... DEST # buildkit`, sources as written, no hash; `--from` is not recorded",
        legacy: "`COPY file:<sha256> in DEST ` (`dir:` or `multi:` for several sources): a hash of the copied content",
        source: "moby/buildkit frontend/dockerfile/dockerfile2llb/convert_copy.go `dispatchCopy`; SEMANTICS.md §3",
    },
    Difference {
        topic: "ENV and LABEL strings",
        buildkit: "`ENV K=V`, expanded, always in K=V form",
        legacy: "the instruction's raw text",
        source: "convert.go `dispatchEnv`, `dispatchLabel`; SEMANTICS.md §10.1",
    },
    Difference {
        topic: "ARG strings",
        buildkit: "this instruction's `K=V` (or `K` without a value)",
        legacy: "the names of every ARG with a value so far, sorted, no values",
        source: "convert.go `dispatchArg`; SEMANTICS.md §10.1",
    },
    Difference {
        topic: "RUN build-arg prefix",
        buildkit: "`|N K=V ...` with every ARG declared in the stage, in declaration order, `K=` when unset",
        legacy: "`|N K=V ...` with the ARGs that have a value, sorted by name",
        source: "convert.go `runCommandString`; frontend/dockerfile/dockerfile_history_test.go `testExportedHistoryFlattenArgs`",
    },
    Difference {
        topic: "Exec-form RUN string",
        buildkit: "the words joined by spaces (`RUN ls -l # buildkit`)",
        legacy: "`/bin/sh -c [\"ls\",\"-l\"]`",
        source: "convert.go `dispatchRun`; SEMANTICS.md §10.7",
    },
    Difference {
        topic: "Shell-form CMD and ENTRYPOINT",
        buildkit: "run through the SHELL in effect",
        legacy: "always `/bin/sh -c`",
        source: "convert.go `dispatchCmd`, `withShell`; SEMANTICS.md §10.1",
    },
    Difference {
        topic: "WORKDIR",
        buildkit: "a layer of its own: `mkdir -p` at the WORKDIR instruction, owned by the USER in effect there (`WORKDIR /` makes none)",
        legacy: "a metadata step; the directory is created lazily in the next RUN or COPY layer",
        source: "convert.go `dispatchWorkdir`; frontend/dockerfile/dockerfile_workdir_test.go; SEMANTICS.md §2, §10.2",
    },
    Difference {
        topic: "VOLUME",
        buildkit: "recorded in the config only",
        legacy: "also creates the directories in the next RUN layer",
        source: "convert.go `dispatchVolume` (no file operation); SEMANTICS.md §4",
    },
    Difference {
        topic: "ONBUILD history",
        buildkit: "no history entry",
        legacy: "a `#(nop) ONBUILD ...` entry",
        source: "convert.go `dispatchOnbuild`; SEMANTICS.md §10.1",
    },
    Difference {
        topic: "Which steps are cached",
        buildkit: "only operations (RUN, COPY, ADD, WORKDIR); metadata instructions are not cached steps, and their effect reaches later steps only through what those read (env, user, working directory, shell), so a changed LABEL or CMD invalidates nothing",
        legacy: "every instruction is a cached step, metadata included; a changed LABEL rebuilds every step after it",
        source: "moby/buildkit solver: an op's cache key chains its inputs' keys (docs.docker.com/build/cache/invalidation); SEMANTICS.md §8, §10.5; tests/it/cache_oracle.rs",
    },
    Difference {
        topic: "RUN cache key",
        buildkit: "parent key + argv + environment (every declared ARG is in it) + working directory + user + mounts + network",
        legacy: "parent image ID + the created_by text (its `|N` prefix carries the args)",
        source: "convert.go `dispatchRun` (`llb.AddEnv` per build arg); SEMANTICS.md §8",
    },
    Difference {
        topic: "`ENV A 1` versus `ENV A=1`",
        buildkit: "the same (the environment is the same)",
        legacy: "a miss (the text differs)",
        source: "SEMANTICS.md §8, §10.5",
    },
    Difference {
        topic: "COPY cache: owner of context files",
        buildkit: "ignored (the client sends every context file as 0:0)",
        legacy: "counts",
        source: "moby/buildkit client/solve.go `prepareSyncedFiles`; SEMANTICS.md §8, §10.5",
    },
    Difference {
        topic: "COPY cache: mode and mtime",
        buildkit: "mode counts, mtime does not (touching a file keeps the hit)",
        legacy: "the same: mode counts, mtime does not",
        source: "moby/buildkit cache/contenthash/tarsum.go `v1TarHeaderSelect` (mtime left out); SEMANTICS.md §8; tests/it/cache_oracle.rs",
    },
    Difference {
        topic: "After a miss",
        buildkit: "later keys differ because they chain the missed step's key",
        legacy: "the stage stops looking in the cache: every later step is rebuilt",
        source: "SEMANTICS.md §8 (buildah: \"a miss rebuilds every later step of the stage\")",
    },
    Difference {
        topic: "Progress log",
        buildkit: "CACHED or DONE only for steps that make a layer",
        legacy: "every instruction is a step (`--> Using cache` for each hit)",
        source: "buildah 1.28 output observed by ../shared/oracle/build.sh (steps.txt)",
    },
    Difference {
        topic: "Deleted directories in a layer",
        buildkit: "one `.wh.NAME` whiteout per removed child, never an opaque marker",
        legacy: "an opaque marker `.wh..wh..opq` for a directory replaced wholesale (overlay driver)",
        source: "moby/buildkit util/overlay/overlay_linux.go `Changes`; SEMANTICS.md §6, §10.6",
    },
    Difference {
        topic: "docker history IDs",
        buildkit: "Docker keeps no intermediate images, so rows below the top are `<missing>` (layerlab keeps them, so its tables name them)",
        legacy: "each step's image is the next one's parent, so every row down to the base shows an ID",
        source: "moby daemon/images/image_history.go `ImageHistory` (walks `Parent`)",
    },
];
