use super::*;
use crate::image::Config;
use crate::layer::{DiffStyle, Layer};
use crate::union::ChangeLetter;
use crate::vfs::blob::Blob;
use crate::vfs::{Meta, Vfs};

const T: i64 = 1_700_000_000;

/// A two-layer image: a busybox-like base (layer 0), then /srv/app with two files
/// and /etc/motd (layer 1). Returns its ID.
fn image(store: &mut Store, config: Config) -> Digest {
    let mut base = Vfs::new();
    let dir = Meta::new(0o755).at(T);
    for d in ["/bin", "/etc", "/root", "/tmp"] {
        base.mkdir(d, dir).unwrap();
    }
    base.write_file(
        "/bin/busybox",
        Blob::generated(10_000, 7),
        Meta::new(0o755).at(T),
    )
    .unwrap();
    for applet in ["sh", "cat", "echo", "rm", "mkdir", "touch", "ls", "true"] {
        base.symlink("busybox", &format!("/bin/{applet}"), Meta::new(0o777).at(T))
            .unwrap();
    }
    base.write_file(
        "/etc/passwd",
        Blob::from_bytes("root:x:0:0:root:/root:/bin/sh\n"),
        Meta::new(0o644).at(T),
    )
    .unwrap();
    base.write_file(
        "/etc/os-release",
        Blob::from_bytes("ID=test\n"),
        Meta::new(0o644).at(T),
    )
    .unwrap();
    let mut top = base.clone();
    top.mkdir_all("/srv/app", dir).unwrap();
    top.write_file(
        "/srv/app/a.txt",
        Blob::from_bytes("a\n"),
        Meta::new(0o644).at(T),
    )
    .unwrap();
    top.write_file(
        "/srv/app/b.txt",
        Blob::from_bytes("b\n"),
        Meta::new(0o644).at(T),
    )
    .unwrap();
    top.write_file(
        "/etc/motd",
        Blob::from_bytes("hello\n"),
        Meta::new(0o644).at(T),
    )
    .unwrap();
    let mut image = Image::scratch();
    image.config = Config {
        env: Image::scratch().config.env,
        ..config
    };
    for (lower, upper) in [(Vfs::new(), base.clone()), (base, top)] {
        let layer = Layer::diff(&lower, &upper, DiffStyle::BuildKit).layer;
        image.diff_ids.push(store.add_layer(layer));
        image.history.push(History {
            created_by: "test".to_string(),
            ..History::default()
        });
    }
    store.add_image(image).unwrap()
}

fn container(config: Config, args: RunArgs) -> (Store, Container) {
    let mut store = Store::new();
    let id = image(&mut store, config);
    let c = Container::create(&store, &id, &args, 0, ContainerOptions::default()).unwrap();
    (store, c)
}

fn rows(c: &Container) -> Vec<String> {
    c.diff().iter().map(|r| r.to_string()).collect()
}

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_new_container_has_an_empty_writable_layer() {
    let (_, c) = container(Config::default(), RunArgs::default());
    assert!(c.layer().is_empty());
    assert!(c.diff().is_empty());
    assert_eq!(c.lower_layers(), 2);
    assert_eq!(c.id().len(), 64);
}

#[test]
fn modifying_a_lower_file_copies_it_up_whole() {
    let (_, mut c) = container(Config::default(), RunArgs::default());
    let out = c.exec("echo more >> /etc/motd");
    assert_eq!(out.exit_code, 0, "{out:?}");
    assert_eq!(rows(&c), ["C /etc/motd"]);
    let layer = c.layer();
    let file = layer
        .entries()
        .iter()
        .find(|e| e.path == "etc/motd")
        .expect("copied up");
    match &file.change {
        EntryKind::Node {
            kind: crate::vfs::Kind::File(blob),
            ..
        } => assert_eq!(blob.bytes().as_ref(), b"hello\nmore\n"),
        other => panic!("not a file: {other:?}"),
    }
    let entries = c.entries();
    let motd = entries.iter().find(|e| e.path == "/etc/motd").unwrap();
    assert_eq!(
        motd.kind,
        WritableKind::CopiedUp {
            from_layer: Some(1)
        }
    );
    assert_eq!(motd.size, 11);
}

#[test]
fn deleting_a_lower_file_writes_a_whiteout_and_its_parent_is_changed() {
    let (_, mut c) = container(Config::default(), RunArgs::default());
    assert_eq!(c.exec("rm /srv/app/a.txt").exit_code, 0);
    assert_eq!(rows(&c), ["C /srv/app", "D /srv/app/a.txt"]);
    assert!(c
        .layer()
        .entries()
        .iter()
        .any(|e| e.path == "srv/app/a.txt" && e.change == EntryKind::Whiteout));
    let mut tar = Vec::new();
    c.layer().write_tar(&mut tar).unwrap();
    assert!(tar.windows(13).any(|w| w == b"srv/app/.wh.a"));
    let entry = c
        .entries()
        .into_iter()
        .find(|e| e.path == "/srv/app/a.txt")
        .unwrap();
    assert_eq!(
        entry.kind,
        WritableKind::Whiteout {
            from_layer: Some(1)
        }
    );
}

#[test]
fn new_files_are_added_and_their_existing_parent_is_changed() {
    let (_, mut c) = container(Config::default(), RunArgs::default());
    c.exec("mkdir /data && echo x > /data/new && echo y > /tmp/t");
    assert_eq!(rows(&c), ["A /data", "A /data/new", "C /tmp", "A /tmp/t"]);
    assert!(c
        .entries()
        .iter()
        .all(|e| e.kind == WritableKind::Added || e.path == "/tmp"));
}

#[test]
fn a_directory_replaced_wholesale_gets_an_opaque_marker() {
    let (_, mut c) = container(Config::default(), RunArgs::default());
    c.exec("rm -r /srv/app && mkdir /srv/app && echo n > /srv/app/n");
    assert!(c
        .layer()
        .entries()
        .iter()
        .any(|e| e.path == "srv/app" && e.change == EntryKind::Opaque));
    assert_eq!(rows(&c), ["C /srv", "D /srv/app", "A /srv/app/n"]);
    assert!(c.entries().iter().any(|e| e.kind == WritableKind::Opaque));
}

#[test]
fn commands_that_are_not_found_exit_127_like_sh() {
    let (_, mut c) = container(Config::default(), RunArgs::default());
    let out = c.exec("nosuchprogram");
    assert_eq!(out.exit_code, 127);
    assert!(out.stderr.contains("nosuchprogram: not found"), "{out:?}");
}

#[test]
fn exec_sees_the_image_env_workdir_and_hostname() {
    let config = Config {
        working_dir: "/srv/app".to_string(),
        ..Config::default()
    };
    let (_, mut c) = container(config, RunArgs::default());
    let out = c.exec("cat a.txt; echo $HOSTNAME $HOME");
    assert_eq!(out.stdout, format!("a\n{} /root\n", &c.id()[..12]));
}

#[test]
fn a_missing_workdir_is_created_in_the_writable_layer() {
    let config = Config {
        working_dir: "/work".to_string(),
        ..Config::default()
    };
    let (_, c) = container(config, RunArgs::default());
    assert_eq!(rows(&c), ["A /work"]);
}

#[test]
fn commit_adds_the_layer_and_a_history_entry_like_docker_commit() {
    let config = Config {
        cmd: strings(&["/bin/sh"]),
        ..Config::default()
    };
    let (mut store, mut c) = container(config, RunArgs::default());
    c.exec("echo more >> /etc/motd");
    let id = c
        .commit(&mut store, Some("mine"), Some("tweak motd"))
        .unwrap();
    assert_eq!(store.resolve("mine").unwrap(), id);
    let image = &store.image(&id).unwrap().image;
    assert_eq!(image.diff_ids.len(), 3);
    let last = image.history.last().unwrap();
    assert_eq!(last.created_by, "/bin/sh");
    assert_eq!(last.comment, "tweak motd");
    assert!(!last.empty_layer);
    let union = store.union(&id).unwrap();
    assert_eq!(
        union.read_file("/etc/motd").unwrap().bytes().as_ref(),
        b"hello\nmore\n"
    );
    assert_eq!(union.origin("/etc/motd"), Some(2));
}

#[test]
fn committing_an_unchanged_container_adds_an_empty_history_entry_only() {
    let (mut store, c) = container(Config::default(), RunArgs::default());
    let id = c.commit(&mut store, None, None).unwrap();
    let image = &store.image(&id).unwrap().image;
    assert_eq!(image.diff_ids.len(), 2);
    assert!(image.history.last().unwrap().empty_layer);
}

#[test]
fn the_committed_image_keeps_the_run_overrides_as_its_cmd() {
    let config = Config {
        cmd: strings(&["/bin/sh"]),
        ..Config::default()
    };
    let args = RunArgs {
        command: strings(&["echo", "hi"]),
        entrypoint: None,
    };
    let (mut store, c) = container(config, args);
    let id = c.commit(&mut store, None, None).unwrap();
    let image = &store.image(&id).unwrap().image;
    assert_eq!(image.config.cmd, strings(&["echo", "hi"]));
    assert_eq!(image.history.last().unwrap().created_by, "echo hi");
}

#[test]
fn no_entrypoint_and_no_cmd_is_dockers_error_but_the_container_exists() {
    let (_, mut c) = container(Config::default(), RunArgs::default());
    assert_eq!(c.process(), Err(NO_COMMAND.to_string()));
    assert_eq!(
        NO_COMMAND,
        "docker: Error response from daemon: no command specified."
    );
    assert_eq!(c.start(), Err(NO_COMMAND.to_string()));
    assert_eq!(c.exec("echo ok").stdout, "ok\n");
}

#[test]
fn run_arguments_replace_cmd_and_entrypoint_drops_it() {
    let image = Config {
        entrypoint: strings(&["/bin/echo", "entry"]),
        cmd: strings(&["cmd"]),
        ..Config::default()
    };
    let with_args = RunArgs {
        command: strings(&["x"]),
        entrypoint: None,
    };
    assert_eq!(
        ProcessConfig::compose(&image, &with_args).process(),
        Ok(strings(&["/bin/echo", "entry", "x"]))
    );
    let new_entry = RunArgs {
        command: Vec::new(),
        entrypoint: Some("/bin/true".to_string()),
    };
    assert_eq!(
        ProcessConfig::compose(&image, &new_entry).process(),
        Ok(strings(&["/bin/true"]))
    );
    let cleared = RunArgs {
        command: Vec::new(),
        entrypoint: Some(String::new()),
    };
    assert_eq!(
        ProcessConfig::compose(&image, &cleared).process(),
        Err(NO_COMMAND.to_string())
    );
}

#[test]
fn a_one_shot_start_runs_exec_and_shell_forms() {
    let shell_form = Config {
        cmd: strings(&["/bin/sh", "-c", "echo $HOME > /tmp/home"]),
        ..Config::default()
    };
    let (_, mut c) = container(shell_form, RunArgs::default());
    let out = c.start().unwrap();
    assert_eq!(out.exit_code, 0, "{out:?}");
    assert_eq!(rows(&c), ["C /tmp", "A /tmp/home"]);
    let exec_form = Config {
        cmd: strings(&["echo", "a b"]),
        ..Config::default()
    };
    let (_, mut c) = container(exec_form, RunArgs::default());
    assert_eq!(c.start().unwrap().stdout, "a b\n");
}

#[test]
fn a_program_that_is_not_in_the_image_cannot_start() {
    let config = Config {
        cmd: strings(&["python3"]),
        ..Config::default()
    };
    let (_, mut c) = container(config, RunArgs::default());
    let out = c.start().unwrap();
    assert_eq!(out.exit_code, 127);
    assert!(out.stderr.contains("executable file not found in $PATH"));
}

#[test]
fn the_view_shows_copied_up_files_shadowing_the_image() {
    let (_, mut c) = container(Config::default(), RunArgs::default());
    c.exec("echo more >> /etc/motd");
    let view = c.view().unwrap();
    let motd = view
        .list_dir("/etc")
        .unwrap()
        .into_iter()
        .find(|e| e.name == "motd")
        .unwrap();
    assert_eq!(motd.origin, Some(2));
    assert_eq!(motd.shadowed, vec![1]);
}

#[test]
fn processes_display_as_a_reader_would_type_them() {
    assert_eq!(
        process::display(&strings(&["/bin/sh", "-c", "echo it's"])),
        r"/bin/sh -c 'echo it'\''s'"
    );
    assert_eq!(
        process::display(&strings(&["python", "app.py"])),
        "python app.py"
    );
}

#[test]
fn unknown_users_are_refused_with_the_name() {
    let mut store = Store::new();
    let config = Config {
        user: "nobody".to_string(),
        ..Config::default()
    };
    let id = image(&mut store, config);
    let err = Container::create(
        &store,
        &id,
        &RunArgs::default(),
        0,
        ContainerOptions::default(),
    )
    .err()
    .unwrap();
    assert!(err.contains("nobody"), "{err}");
}

#[test]
fn diff_rows_use_the_change_letters() {
    let row = DiffRow {
        kind: ChangeLetter::Deleted,
        path: "/x".to_string(),
    };
    assert_eq!(row.to_string(), "D /x");
}

#[test]
fn home_comes_from_passwd_and_is_the_root_directory_for_unknown_uids() {
    let config = Config {
        user: "1000".to_string(),
        ..Config::default()
    };
    let (_, mut c) = container(config, RunArgs::default());
    assert_eq!(c.exec("echo $HOME").stdout, "/\n");
}
