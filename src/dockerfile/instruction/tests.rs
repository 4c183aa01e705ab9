use super::*;
use crate::dockerfile::syntax;

fn one(line: &str) -> Result<Command, String> {
    let file = syntax::parse(line).map_err(|d| d.message)?;
    parse_instruction(file.children[0].clone()).map(|i| i.command)
}

fn error(line: &str) -> String {
    one(line).expect_err(line)
}

#[test]
fn from_with_stage_name_and_platform() {
    assert_eq!(
        one("FROM --platform=$BUILDPLATFORM golang:1.22 AS Build").unwrap(),
        Command::From(From {
            base: "golang:1.22".into(),
            name: Some("build".into()),
            platform: Some("$BUILDPLATFORM".into()),
        })
    );
    assert_eq!(
        error("FROM a b"),
        "FROM requires either one or three arguments"
    );
    assert_eq!(error("FROM"), "FROM requires either one or three arguments");
    assert_eq!(
        error("FROM a AS 1x"),
        "invalid name for build stage: \"1x\", name can't start with a number or contain symbols"
    );
    assert_eq!(error("FROM --foo=bar a"), "Unknown flag: foo");
}

#[test]
fn run_flags_and_mounts() {
    let Command::Run(run) =
        one("RUN --mount=type=cache,target=/root/.cache,sharing=locked --network=none go build")
            .unwrap()
    else {
        panic!("not RUN");
    };
    assert_eq!(run.command.args, ["go build"]);
    assert!(run.command.prepend_shell);
    assert_eq!(run.network.as_deref(), Some("none"));
    assert_eq!(run.mounts.len(), 1);
    let mount = &run.mounts[0];
    assert_eq!(mount.kind, MountType::Cache);
    assert_eq!(mount.target.as_deref(), Some("/root/.cache"));
    assert_eq!(mount.sharing.as_deref(), Some("locked"));
    assert!(!mount.read_only);

    let bind = parse_mount("target=/src,from=builder").unwrap();
    assert_eq!((bind.kind, bind.read_only), (MountType::Bind, true));
    assert_eq!(
        parse_mount("type=foo").unwrap_err(),
        "unsupported mount type \"foo\""
    );
    assert_eq!(
        parse_mount("type=bind,mode=0700").unwrap_err(),
        "mode not allowed for \"bind\" type mounts"
    );
    assert_eq!(
        parse_mount("type=secret").unwrap_err(),
        "invalid secret mount. one of source, target required"
    );
    assert_eq!(
        parse_mount("from=$X").unwrap_err(),
        "'from' doesn't support variable expansion, define alias stage instead"
    );
    assert_eq!(
        parse_mount("target").unwrap_err(),
        "invalid field 'target' must be a key=value pair"
    );
    assert_eq!(
        parse_mount("type=$T,target=/x").unwrap().kind,
        MountType::Bind
    );
    // At build time every value is expanded first, `from` and `type` included.
    let expand = |v: &str| Ok(v.replace("$T", "cache").replace("$D", "/root/.cache"));
    let built = parse_mount_with("type=$T,target=$D,id=x$D", Some(&expand)).unwrap();
    assert_eq!(built.kind, MountType::Cache);
    assert_eq!(built.target.as_deref(), Some("/root/.cache"));
    assert_eq!(built.id.as_deref(), Some("x/root/.cache"));
    let failing = |_: &str| Err("bad substitution".to_string());
    assert_eq!(
        parse_mount_with("target=$X", Some(&failing)).unwrap_err(),
        "bad substitution"
    );
    assert_eq!(
        error("RUN --network=bridge x"),
        "unsupported network mode \"bridge\""
    );
    assert_eq!(error("RUN --mount x"), "Missing a value on flag: mount");

    let Command::Run(exec) = one("RUN [\"echo\", \"hi\"]").unwrap() else {
        panic!()
    };
    assert_eq!(
        (exec.command.args.clone(), exec.command.prepend_shell),
        (vec!["echo".into(), "hi".into()], false)
    );
}

#[test]
fn run_heredoc_becomes_a_file() {
    let file = syntax::parse("FROM a\nRUN <<-EOT bash\n\techo hi\n\tEOT\n").unwrap();
    let Command::Run(run) = parse_instruction(file.children[1].clone()).unwrap().command else {
        panic!()
    };
    assert_eq!(
        run.command.files,
        [InlineFile {
            name: "EOT".into(),
            data: "\techo hi\n".into(),
            chomp: true
        }]
    );
}

#[test]
fn cmd_entrypoint_shell() {
    let Command::Cmd(cmd) = one("CMD echo  hi").unwrap() else {
        panic!()
    };
    assert_eq!(cmd.args, ["echo  hi"]);
    let Command::Entrypoint(ep) = one("ENTRYPOINT []").unwrap() else {
        panic!()
    };
    assert!(ep.args.is_empty() && !ep.prepend_shell);
    assert_eq!(
        one("SHELL [\"powershell\", \"-c\"]").unwrap(),
        Command::Shell(vec!["powershell".into(), "-c".into()])
    );
    assert_eq!(
        error("SHELL powershell"),
        "SHELL requires the arguments to be in JSON form"
    );
    assert_eq!(error("SHELL []"), "SHELL requires at least one argument");
    assert_eq!(error("CMD --x=1 a"), "Unknown flag: x");
}

#[test]
fn env_label_maintainer() {
    assert_eq!(
        one("ENV A=1 B=\"two words\"").unwrap(),
        Command::Env(vec![
            KeyValue {
                key: "A".into(),
                value: "1".into(),
                legacy: false
            },
            KeyValue {
                key: "B".into(),
                value: "\"two words\"".into(),
                legacy: false
            },
        ])
    );
    assert_eq!(
        one("ENV PATH /usr/bin:$PATH").unwrap(),
        Command::Env(vec![KeyValue {
            key: "PATH".into(),
            value: "/usr/bin:$PATH".into(),
            legacy: true
        }])
    );
    assert_eq!(error("ENV"), "ENV requires at least one argument");
    assert_eq!(error("ENV =x"), "ENV names can not be blank");
    assert_eq!(error("LABEL"), "LABEL requires at least one argument");
    assert_eq!(
        one("MAINTAINER Jane <j@x>").unwrap(),
        Command::Maintainer("Jane <j@x>".into())
    );
    assert_eq!(
        error("MAINTAINER"),
        "MAINTAINER requires exactly one argument"
    );
}

#[test]
fn expose_volume_user_workdir_stopsignal() {
    assert_eq!(
        one("EXPOSE 8080/udp 80 443-445").unwrap(),
        Command::Expose(vec!["443-445".into(), "80".into(), "8080/udp".into()])
    );
    assert_eq!(error("EXPOSE"), "EXPOSE requires at least one argument");
    assert_eq!(
        one("VOLUME [\"/a\", \"/b\"]").unwrap(),
        Command::Volume(vec!["/a".into(), "/b".into()])
    );
    assert_eq!(
        error("VOLUME [\" \"]"),
        "VOLUME specified can not be an empty string"
    );
    assert_eq!(error("VOLUME"), "VOLUME requires at least one argument");
    assert_eq!(
        one("USER app:app").unwrap(),
        Command::User("app:app".into())
    );
    assert_eq!(error("USER"), "USER requires exactly one argument");
    assert_eq!(
        one("WORKDIR /a b").unwrap(),
        Command::Workdir("/a b".into())
    );
    assert_eq!(error("WORKDIR"), "WORKDIR requires exactly one argument");
    assert_eq!(
        one("STOPSIGNAL SIGQUIT").unwrap(),
        Command::StopSignal("SIGQUIT".into())
    );
    assert_eq!(
        error("STOPSIGNAL"),
        "STOPSIGNAL requires exactly one argument"
    );
}

#[test]
fn arg_definitions() {
    assert_eq!(
        one("ARG A B=2 C=").unwrap(),
        Command::Arg(vec![
            ArgDefinition {
                name: "A".into(),
                default: None
            },
            ArgDefinition {
                name: "B".into(),
                default: Some("2".into())
            },
            ArgDefinition {
                name: "C".into(),
                default: Some(String::new())
            },
        ])
    );
    assert_eq!(error("ARG"), "ARG requires at least one argument");
    assert_eq!(error("ARG =1"), "ARG names can not be blank");
}

#[test]
fn copy_and_add_flags() {
    let Command::Copy(copy) =
        one("COPY --from=build --chown=1:1 --chmod=644 --link --parents --exclude=*.md --exclude=x a b /dst/").unwrap()
    else {
        panic!()
    };
    assert_eq!(copy.sources, ["a", "b"]);
    assert_eq!(copy.dest, "/dst/");
    assert_eq!(copy.from.as_deref(), Some("build"));
    assert_eq!(copy.chown.as_deref(), Some("1:1"));
    assert_eq!(copy.chmod.as_deref(), Some("644"));
    assert!(copy.link && copy.parents);
    assert_eq!(copy.excludes, ["*.md", "x"]);
    let Command::Add(add) =
        one("ADD --keep-git-dir=true --checksum=sha256:abc https://x/y.tar /y").unwrap()
    else {
        panic!()
    };
    assert!(add.keep_git_dir);
    assert_eq!(add.checksum.as_deref(), Some("sha256:abc"));
    assert_eq!(
        error("COPY a"),
        "COPY requires at least two arguments, but only one was provided. Destination could not be determined"
    );
    assert_eq!(error("ADD --from=x a b"), "Unknown flag: from");
    assert_eq!(
        error("COPY --link=maybe a b"),
        "Expecting boolean value for flag link, not: maybe"
    );
    assert_eq!(error("COPY --link= a b"), "Missing a value on flag: link");
    assert_eq!(
        error("COPY --from=a --from=b a b"),
        "Duplicate flag specified: from"
    );
}

#[test]
fn copy_heredoc_sources() {
    let file = syntax::parse("FROM a\nCOPY <<-EOF <<'RAW' /dst\n\thello\nEOF\n$X\nRAW\n").unwrap();
    let Command::Copy(copy) = parse_instruction(file.children[1].clone()).unwrap().command else {
        panic!()
    };
    assert!(copy.sources.is_empty());
    assert_eq!(
        copy.contents,
        [
            SourceContent {
                path: "EOF".into(),
                data: "hello\n".into(),
                expand: true
            },
            SourceContent {
                path: "RAW".into(),
                data: "$X\n".into(),
                expand: false
            },
        ]
    );
    let file = syntax::parse("FROM a\nCOPY a <<EOF\nx\nEOF\n").unwrap();
    assert_eq!(
        parse_instruction(file.children[1].clone()).unwrap_err(),
        "COPY cannot accept a heredoc as a destination"
    );
}

#[test]
fn onbuild_rules() {
    assert_eq!(
        one("ONBUILD RUN echo hi").unwrap(),
        Command::Onbuild(Onbuild {
            expression: "RUN echo hi".into(),
            trigger: "RUN".into()
        })
    );
    assert_eq!(
        error("ONBUILD ONBUILD RUN x"),
        "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"
    );
    assert_eq!(
        error("ONBUILD FROM x"),
        "FROM isn't allowed as an ONBUILD trigger"
    );
    assert_eq!(
        error("ONBUILD MAINTAINER x"),
        "MAINTAINER isn't allowed as an ONBUILD trigger"
    );
    assert_eq!(error("ONBUILD"), "ONBUILD requires at least one argument");
}

#[test]
fn healthcheck_forms() {
    assert_eq!(
        one("HEALTHCHECK --interval=30s --timeout=1m30s --start-period=5s --start-interval=500ms --retries=3 CMD curl -f http://x/").unwrap(),
        Command::Healthcheck(Healthcheck {
            test: vec!["CMD-SHELL".into(), "curl -f http://x/".into()],
            interval_ns: 30_000_000_000,
            timeout_ns: 90_000_000_000,
            start_period_ns: 5_000_000_000,
            start_interval_ns: 500_000_000,
            retries: 3,
        })
    );
    let Command::Healthcheck(none) = one("HEALTHCHECK NONE").unwrap() else {
        panic!()
    };
    assert_eq!(none.test, ["NONE"]);
    let Command::Healthcheck(exec) = one("HEALTHCHECK CMD [\"true\"]").unwrap() else {
        panic!()
    };
    assert_eq!(exec.test, ["CMD", "true"]);
    assert_eq!(
        error("HEALTHCHECK NONE x"),
        "HEALTHCHECK NONE takes no arguments"
    );
    assert_eq!(
        error("HEALTHCHECK"),
        "HEALTHCHECK requires at least one argument"
    );
    assert_eq!(
        error("HEALTHCHECK CMD"),
        "Missing command after HEALTHCHECK CMD"
    );
    assert_eq!(
        error("HEALTHCHECK FOO x"),
        "Unknown type \"FOO\" in HEALTHCHECK (try CMD)"
    );
    assert_eq!(
        error("HEALTHCHECK --retries=0 CMD x"),
        "--retries must be at least 1 (not 0)"
    );
    assert_eq!(
        error("HEALTHCHECK --interval=1us CMD x"),
        "Interval \"interval\" cannot be less than 1ms"
    );
    assert_eq!(
        error("HEALTHCHECK --timeout=5 CMD x"),
        "time: missing unit in duration \"5\""
    );
    assert_eq!(
        error("HEALTHCHECK --timeout=5y CMD x"),
        "time: unknown unit \"y\" in duration \"5y\""
    );
}

#[test]
fn unknown_instruction_and_stage_context() {
    assert_eq!(error("FOO bar"), "unknown instruction: FOO");
    let text = "ARG V=1\nRUN x\nFROM a AS one\nFROM b\nCOPY --from=one / /\n";
    let file = syntax::parse(text).unwrap();
    let (dockerfile, diagnostics) = from_file(file, text);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        (diagnostics[0].line, diagnostics[0].message.as_str()),
        (2, "no build stage in current context")
    );
    assert_eq!(dockerfile.meta_args.len(), 1);
    assert_eq!(dockerfile.stages.len(), 2);
    assert_eq!(dockerfile.stages[0].name.as_deref(), Some("one"));
    assert_eq!(dockerfile.stages[1].instructions.len(), 1);
    let order: Vec<(Option<usize>, usize)> = dockerfile
        .instructions()
        .iter()
        .map(|(s, i)| (*s, i.start_line))
        .collect();
    assert_eq!(order, [(None, 1), (Some(0), 3), (Some(1), 4), (Some(1), 5)]);
}

fn linux(arch: &str) -> Platform {
    Platform {
        os: "linux".into(),
        architecture: arch.into(),
        variant: String::new(),
    }
}

fn meta(text: &str) -> Vec<Instruction> {
    let file = syntax::parse(text).unwrap();
    from_file(file, text).0.meta_args
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn meta_args_expand_in_order_and_build_args_override() {
    let metas = meta("ARG BASE=alpine VERSION=3.$MINOR\nARG MINOR=20 UNSET\nARG TAG=${VERSION:-x}\nFROM $BASE:$TAG\n");
    let scope = ArgScope::new(
        &metas,
        &pairs(&[("BASE", "debian")]),
        platform_args(&linux("arm64"), &linux("amd64")),
        '\\',
    )
    .unwrap();
    let env = scope.from_env();
    // MINOR was not yet defined when VERSION's default was expanded.
    assert_eq!(env.lookup("VERSION"), Some("3."));
    assert_eq!(env.lookup("TAG"), Some("3."));
    assert_eq!(env.lookup("BASE"), Some("debian"));
    assert_eq!(env.lookup("UNSET"), None);
    assert_eq!(env.lookup("TARGETPLATFORM"), Some("linux/arm64"));
    assert_eq!(env.lookup("BUILDARCH"), Some("amd64"));
    let from = Lexer::new('\\').process_word("$BASE:$TAG", env).unwrap();
    assert_eq!(from, "debian:3.");
}

#[test]
fn stage_sees_globals_only_when_redeclared() {
    let metas = meta("ARG VERSION=1.0\nFROM a\n");
    let scope = ArgScope::new(
        &metas,
        &pairs(&[("HTTP_PROXY", "http://p"), ("OVER", "given")]),
        platform_args(&linux("amd64"), &linux("amd64")),
        '\\',
    )
    .unwrap();
    let declare = |name: &str, default: Option<&str>, env: &[(String, String)]| {
        scope
            .stage_arg(
                &ArgDefinition {
                    name: name.into(),
                    default: default.map(str::to_string),
                },
                env,
                '\\',
            )
            .unwrap()
    };
    // Undeclared, a global is invisible to the stage's own expansion.
    assert_eq!(
        Lexer::new('\\')
            .process_word("v$VERSION", &Vec::<(String, String)>::new())
            .unwrap(),
        "v"
    );
    assert_eq!(declare("VERSION", None, &[]), Some("1.0".into()));
    assert_eq!(declare("TARGETARCH", None, &[]), Some("amd64".into()));
    assert_eq!(declare("NEW", None, &[]), None);
    assert_eq!(
        declare("NEW", Some("${X}-y"), &pairs(&[("X", "x")])),
        Some("x-y".into())
    );
    assert_eq!(declare("OVER", Some("default"), &[]), Some("given".into()));
    assert_eq!(scope.run_proxy_env(), pairs(&[("HTTP_PROXY", "http://p")]));
}

#[test]
fn durations_follow_go() {
    assert_eq!(parse_duration("1h2m3.5s").unwrap(), 3_723_500_000_000);
    assert_eq!(parse_duration("0").unwrap(), 0);
    assert_eq!(parse_duration("1.5µs").unwrap(), 1_500);
    assert!(parse_duration("").is_err());
    assert!(parse_duration("1..2s").is_err());
}

#[test]
fn which_instructions_expand() {
    assert!(one("WORKDIR $HOME").unwrap().expands_variables());
    assert!(one("RUN --mount=target=$T x").unwrap().expands_variables());
    assert!(!one("CMD echo $HOME").unwrap().expands_variables());
    assert!(!one("ONBUILD RUN x").unwrap().expands_variables());
}
