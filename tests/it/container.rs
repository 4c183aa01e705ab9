//! Containers over built images: copy-up, whiteouts, `docker diff`, commit then
//! history, Docker's ENTRYPOINT/CMD table cell by cell, and `layerlab run`.

use layerlab::builder::{build, BuildInput, BuildOptions};
use layerlab::cache::BuildCache;
use layerlab::container::{Container, ContainerOptions, RunArgs, WritableKind, NO_COMMAND};
use layerlab::context::BuildContext;
use layerlab::digest::Digest;
use layerlab::layer::Layer;
use layerlab::store::Store;
use std::io::Write;
use std::process::{Command, Stdio};

/// Builds `dockerfile` (empty context) into `store` and returns the final image.
fn built(store: &mut Store, dockerfile: &str) -> Digest {
    let context = BuildContext::new();
    let input = BuildInput {
        dockerfile,
        dockerfile_path: "Dockerfile",
        context: &context,
    };
    let out = build(
        store,
        &mut BuildCache::new(),
        &input,
        &BuildOptions::default(),
    );
    assert!(out.error.is_none(), "{dockerfile}: {:?}", out.error);
    out.image_id.unwrap()
}

fn started(dockerfile: &str, args: RunArgs) -> (Store, Container) {
    let mut store = Store::new();
    let image = built(&mut store, dockerfile);
    let c = Container::create(&store, &image, &args, 0, ContainerOptions::default()).unwrap();
    (store, c)
}

fn diff(c: &Container) -> Vec<String> {
    c.diff().iter().map(|r| r.to_string()).collect()
}

fn words(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Reads a layer back from its own tar, so the assertions are about the tar bytes.
fn reread(layer: &Layer) -> Layer {
    let mut tar = Vec::new();
    layer.write_tar(&mut tar).unwrap();
    Layer::from_tar(&tar).unwrap()
}

#[test]
fn modifying_a_base_file_copies_it_up_whole() {
    let (_, mut c) = started("FROM debian:bookworm-slim\n", RunArgs::default());
    let before = c.fs().read_file("/etc/debian_version").unwrap();
    let out = c.exec("echo x >> /etc/debian_version");
    assert_eq!(out.exit_code, 0, "{out:?}");
    assert_eq!(diff(&c), ["C /etc/debian_version"]);
    let layer = reread(&c.layer());
    let entry = layer
        .entries()
        .iter()
        .find(|e| e.path == "etc/debian_version")
        .expect("the modified file is in the container layer");
    let mut expected = before.bytes().into_owned();
    expected.extend_from_slice(b"x\n");
    match &entry.change {
        layerlab::layer::EntryKind::Node {
            kind: layerlab::vfs::Kind::File(blob),
            ..
        } => assert_eq!(blob.bytes().as_ref(), expected.as_slice()),
        other => panic!("not a file: {other:?}"),
    }
    let copied = c
        .entries()
        .into_iter()
        .find(|e| e.path == "/etc/debian_version")
        .unwrap();
    assert!(matches!(
        copied.kind,
        WritableKind::CopiedUp {
            from_layer: Some(_)
        }
    ));
}

#[test]
fn deleting_a_base_file_is_a_whiteout_in_the_container_layer() {
    let (_, mut c) = started("FROM debian:bookworm-slim\n", RunArgs::default());
    assert_eq!(c.exec("rm /etc/debian_version").exit_code, 0);
    assert_eq!(diff(&c), ["C /etc", "D /etc/debian_version"]);
    let mut tar = Vec::new();
    c.layer().write_tar(&mut tar).unwrap();
    let names = layerlab_tar_names(&tar);
    assert!(
        names.contains(&"etc/.wh.debian_version".to_string()),
        "{names:?}"
    );
    assert!(!c.fs().exists("/etc/debian_version"));
}

/// The entry names of a tar, read with the `tar` crate (not our own reader).
fn layerlab_tar_names(tar: &[u8]) -> Vec<String> {
    let mut archive = tar::Archive::new(tar);
    archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn new_files_are_added() {
    let (_, mut c) = started(
        "FROM alpine\nWORKDIR /app\nRUN echo v1 > version\n",
        RunArgs::default(),
    );
    assert_eq!(
        c.exec("echo hi > notes.txt && mkdir -p /srv/data")
            .exit_code,
        0
    );
    assert_eq!(
        diff(&c),
        ["C /app", "A /app/notes.txt", "C /srv", "A /srv/data"]
    );
}

#[test]
fn commit_then_history_adds_one_row_and_one_layer() {
    let (mut store, mut c) = started(
        "FROM alpine\nRUN echo v1 > /version\nCMD [\"/bin/sh\"]\n",
        RunArgs::default(),
    );
    let parent = store.image(c.image_id()).unwrap().image.clone();
    c.exec("echo v2 > /version && rm /etc/motd");
    let id = c.commit(&mut store, Some("mine:v2"), Some("bump")).unwrap();
    assert_eq!(store.resolve("mine:v2").unwrap(), id);
    let image = &store.image(&id).unwrap().image;
    assert_eq!(image.diff_ids.len(), parent.diff_ids.len() + 1);
    assert_eq!(image.diff_ids[..parent.diff_ids.len()], parent.diff_ids[..]);
    assert_eq!(image.history.len(), parent.history.len() + 1);
    let row = image.history.last().unwrap();
    assert_eq!(row.created_by, "/bin/sh");
    assert_eq!(row.comment, "bump");
    assert!(!row.empty_layer);
    let union = store.union(&id).unwrap();
    assert_eq!(
        union.read_file("/version").unwrap().bytes().as_ref(),
        b"v2\n"
    );
    assert!(!union.fs().exists("/etc/motd"));
    // The committed image is an ordinary image: FROM can use it.
    let child = built(&mut store, "FROM mine:v2\nRUN cat /version > /copy\n");
    let copy = store.union(&child).unwrap();
    assert_eq!(copy.read_file("/copy").unwrap().bytes().as_ref(), b"v2\n");
}

#[test]
fn no_entrypoint_and_no_cmd_is_no_command_specified() {
    let (_, mut c) = started("FROM scratch\n", RunArgs::default());
    assert_eq!(c.process(), Err(NO_COMMAND.to_string()));
    assert_eq!(c.start(), Err(NO_COMMAND.to_string()));
}

/// One cell of Docker's table: the argv the daemon starts (`None`: no command
/// specified) and what the process prints.
type Cell = (Option<&'static [&'static str]>, &'static str);

/// Docker's table ("Understand how CMD and ENTRYPOINT interact"), with echo as the
/// program so the output shows what really ran. Rows: no CMD, CMD exec form, CMD
/// shell form; columns: no ENTRYPOINT, ENTRYPOINT shell form, exec form.
#[test]
fn entrypoint_and_cmd_compose_as_dockers_table() {
    let entrypoints = [
        "",
        "ENTRYPOINT echo entry p1_entry\n",
        "ENTRYPOINT [\"echo\", \"entry\", \"p1_entry\"]\n",
    ];
    let cmds = [
        "",
        "CMD [\"echo\", \"cmd\", \"p1_cmd\"]\n",
        "CMD echo cmd p1_cmd\n",
    ];
    // (row, column) -> (argv the daemon starts, what the process prints).
    let table: [[Cell; 3]; 3] = [
        [
            (None, ""),
            (
                Some(&["/bin/sh", "-c", "echo entry p1_entry"]),
                "entry p1_entry\n",
            ),
            (Some(&["echo", "entry", "p1_entry"]), "entry p1_entry\n"),
        ],
        [
            (Some(&["echo", "cmd", "p1_cmd"]), "cmd p1_cmd\n"),
            (
                Some(&[
                    "/bin/sh",
                    "-c",
                    "echo entry p1_entry",
                    "echo",
                    "cmd",
                    "p1_cmd",
                ]),
                "entry p1_entry\n",
            ),
            (
                Some(&["echo", "entry", "p1_entry", "echo", "cmd", "p1_cmd"]),
                "entry p1_entry echo cmd p1_cmd\n",
            ),
        ],
        [
            (Some(&["/bin/sh", "-c", "echo cmd p1_cmd"]), "cmd p1_cmd\n"),
            (
                Some(&[
                    "/bin/sh",
                    "-c",
                    "echo entry p1_entry",
                    "/bin/sh",
                    "-c",
                    "echo cmd p1_cmd",
                ]),
                "entry p1_entry\n",
            ),
            (
                Some(&[
                    "echo",
                    "entry",
                    "p1_entry",
                    "/bin/sh",
                    "-c",
                    "echo cmd p1_cmd",
                ]),
                "entry p1_entry /bin/sh -c echo cmd p1_cmd\n",
            ),
        ],
    ];
    let mut checked = 0;
    for (row, cmd) in cmds.iter().enumerate() {
        for (column, entrypoint) in entrypoints.iter().enumerate() {
            let (argv, printed) = table[row][column];
            // The base must have neither, so "no CMD" means none at all.
            let from = if argv.is_none() {
                "FROM scratch\n"
            } else {
                "FROM alpine\n"
            };
            let dockerfile = format!("{from}{entrypoint}{cmd}");
            let (_, mut c) = started(&dockerfile, RunArgs::default());
            match argv {
                None => assert_eq!(c.start(), Err(NO_COMMAND.to_string()), "{dockerfile}"),
                Some(argv) => {
                    assert_eq!(c.process(), Ok(words(argv)), "{dockerfile}");
                    let out = c.start().unwrap();
                    assert_eq!(out.stdout, printed, "{dockerfile}");
                    assert_eq!(out.exit_code, 0, "{dockerfile}");
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 9);
}

#[test]
fn run_arguments_replace_cmd_and_entrypoint_override_drops_it() {
    let dockerfile = "FROM alpine\nENTRYPOINT [\"echo\", \"entry\"]\nCMD [\"default\"]\n";
    let args = RunArgs {
        command: words(&["given"]),
        entrypoint: None,
    };
    let (_, mut c) = started(dockerfile, args);
    assert_eq!(c.start().unwrap().stdout, "entry given\n");
    let args = RunArgs {
        command: Vec::new(),
        entrypoint: Some("hostname".to_string()),
    };
    let (_, c) = started(dockerfile, args);
    assert_eq!(c.process(), Ok(words(&["hostname"])));
}

fn layerlab(args: &[&str], stdin: &str) -> (String, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_layerlab"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn cli_run_one_shot_prints_the_process_output_and_diff() {
    let (stdout, _, code) = layerlab(
        &["run", "alpine", "sh", "-c", "echo hi > /root/x; exit 3"],
        "",
    );
    assert_eq!(code, 3);
    assert_eq!(
        stdout,
        "process: sh -c 'echo hi > /root/x; exit 3'\ndocker diff:\nC /root\nA /root/x\n"
    );
    let (stdout, _, code) = layerlab(&["run", "alpine", "echo", "hello"], "");
    assert_eq!(
        (stdout.as_str(), code),
        ("process: echo hello\nhello\ndocker diff:\n", 0)
    );
}

/// `layerlab run httpd:2.4 httpd -v` prints Apache's banner, as the image's smoke
/// test does; the image's own command starts the server in the foreground.
#[test]
fn cli_run_httpd_prints_apache_s_version() {
    for image in ["httpd:2.4", "httpd:2.4-alpine"] {
        let (stdout, _, code) = layerlab(&["run", image, "httpd", "-v"], "");
        assert_eq!(
            (stdout.as_str(), code),
            (
                "process: httpd -v\nServer version: Apache/2.4.62 (Unix)\nServer built:   Jul 17 2024 23:31:14\ndocker diff:\n",
                0
            ),
            "{image}"
        );
    }
    let args = RunArgs {
        command: Vec::new(),
        entrypoint: None,
    };
    let (_, c) = started("FROM httpd:2.4\n", args);
    assert_eq!(c.process(), Ok(words(&["httpd-foreground"])));
}

#[test]
fn cli_run_without_a_command_fails_as_docker_does() {
    let (stdout, stderr, code) = layerlab(&["run", "scratch"], "");
    assert_eq!(code, 125);
    assert_eq!(stdout, "");
    assert_eq!(stderr.trim_end(), NO_COMMAND);
}

#[test]
fn cli_run_interactive_reads_commands_from_stdin() {
    let (stdout, stderr, code) = layerlab(
        &["run", "-i", "alpine"],
        "echo one > /tmp/a\ncat /tmp/a\nnosuch\ndiff\nexit\n",
    );
    assert_eq!(code, 127, "{stderr}");
    assert!(stderr.contains("nosuch: not found"), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("container "), "{stdout}");
    assert_eq!(lines[1], "process: /bin/sh");
    assert_eq!(lines[2..], ["one", "C /tmp", "A /tmp/a"]);
}

#[test]
fn cli_run_commit_stores_an_image_that_a_later_run_sees() {
    let dir = std::env::temp_dir().join(format!("layerlab-run-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = dir.to_string_lossy().into_owned();
    let (stdout, stderr, code) = layerlab(
        &[
            "run",
            "--store",
            &store,
            "--commit",
            "saved:1",
            "-m",
            "note",
            "alpine",
            "sh",
            "-c",
            "echo kept > /kept",
        ],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.lines().last().unwrap().starts_with("sha256:"),
        "{stdout}"
    );
    let (stdout, stderr, code) =
        layerlab(&["run", "--store", &store, "saved:1", "cat", "/kept"], "");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "process: cat /kept\nkept\ndocker diff:\n");
    let loaded = layerlab::oci::layout_dir::load(
        &read_dir_files(&dir),
        &layerlab::oci::ImportLimits::default(),
    )
    .unwrap();
    let id = loaded.resolve("saved:1").unwrap();
    let history = &loaded.image(&id).unwrap().image.history;
    let last = history.last().unwrap();
    assert_eq!(
        (last.created_by.as_str(), last.comment.as_str()),
        ("sh -c echo kept > /kept", "note")
    );
    // Interactive: `exit N` ends the session with N, and `--commit` commits then.
    let (stdout, stderr, code) = layerlab(
        &[
            "run", "-i", "--store", &store, "--commit", "saved:2", "saved:1",
        ],
        "echo more >> /kept\nexit 4\n",
    );
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stdout.lines().last().unwrap().starts_with("sha256:"),
        "{stdout}"
    );
    let (stdout, _, _) = layerlab(&["run", "--store", &store, "saved:2", "cat", "/kept"], "");
    assert_eq!(stdout, "process: cat /kept\nkept\nmore\ndocker diff:\n");
    let _ = std::fs::remove_dir_all(&dir);
}

fn read_dir_files(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}
