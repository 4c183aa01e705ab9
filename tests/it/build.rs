//! Builds that must come out the same everywhere.

use layerlab::builder::BuildOutcome;
use layerlab::builder::{build, BuildInput, BuildOptions};
use layerlab::cache::BuildCache;
use layerlab::context::BuildContext;
use layerlab::store::Store;

/// Builds `dockerfile` with default options in a fresh store and cache.
fn build_in(store: &mut Store, dockerfile: &str, ctx: &BuildContext) -> BuildOutcome {
    let input = BuildInput {
        dockerfile,
        dockerfile_path: "Dockerfile",
        context: ctx,
    };
    build(
        store,
        &mut BuildCache::new(),
        &input,
        &BuildOptions::default(),
    )
}

/// `tests/web.rs` builds the same input in WebAssembly and pins the same ID.
#[test]
fn a_scratch_build_has_a_pinned_image_id() {
    let (dockerfile, ctx) = include!("../data/pinned_build.rs");
    for _ in 0..2 {
        let mut store = Store::new();
        let out = build_in(&mut store, dockerfile, &ctx);
        assert!(out.error.is_none(), "{:?}", out.error);
        assert_eq!(
            out.image_id.unwrap().to_string(),
            "sha256:046c4f7c985222a2a793b0959cd2eb70e211e719c43e751d8d39080e94795635"
        );
    }
}

const SEED: &str = "WORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"main.py\"]\n";

fn seed_context() -> layerlab::context::BuildContext {
    let mut ctx = layerlab::context::BuildContext::new();
    let file = |text: &str| layerlab::vfs::blob::Blob::from_bytes(text.as_bytes().to_vec());
    ctx.add_file("requirements.txt", file("flask\n"), 0o644, 1_704_067_200)
        .unwrap();
    ctx.add_file("main.py", file("print('hello')\n"), 0o644, 1_704_067_200)
        .unwrap();
    ctx
}

/// The seed document's example, verbatim: ubuntu has no pip, so the RUN fails as
/// sh does, and layerlab says what to do instead.
#[test]
fn the_seed_example_on_ubuntu_fails_like_docker() {
    let dockerfile = format!("FROM ubuntu:latest\n{SEED}");
    let ctx = seed_context();
    let out = build_in(&mut Store::new(), &dockerfile, &ctx);
    let error = out.error.expect("pip is not in ubuntu");
    assert_eq!(error.line, Some(4));
    assert!(error.message.starts_with(
        "process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 127\n/bin/sh: 1: pip: not found"
    ), "{}", error.message);
    assert!(
        error.message.contains("hint: this image has no `pip`"),
        "{}",
        error.message
    );
}

/// On python:3.12-slim the same steps build into the layers and history BuildKit makes.
#[test]
fn the_seed_example_on_python_builds_like_buildkit() {
    let dockerfile = format!("FROM python:3.12-slim\n{SEED}");
    let ctx = seed_context();
    let mut store = Store::new();
    let out = build_in(&mut store, &dockerfile, &ctx);
    assert!(out.error.is_none(), "{:?}", out.error);
    let image = &store.image(&out.image_id.unwrap()).unwrap().image;
    let ours: Vec<&str> = image
        .history
        .iter()
        .rev()
        .take(5)
        .map(|h| h.created_by.as_str())
        .collect();
    assert_eq!(
        ours,
        [
            "CMD [\"python\" \"main.py\"]",
            "COPY . . # buildkit",
            "RUN /bin/sh -c pip install -r requirements.txt # buildkit",
            "COPY requirements.txt . # buildkit",
            "WORKDIR /app",
        ]
    );
    assert!(image.history.last().unwrap().empty_layer);
    assert_eq!(image.config.cmd, ["python", "main.py"]);
    assert_eq!(image.config.working_dir, "/app");
    let fs = &out.steps.last().unwrap().fs;
    assert!(fs.stat("/app/main.py").is_ok() && fs.stat("/app/requirements.txt").is_ok());
    assert!(fs
        .read_dir("/usr/local/lib/python3.12/site-packages")
        .unwrap()
        .iter()
        .any(|(name, _)| name.starts_with("flask")));
}

/// The most common tutorial: Ubuntu's python3 and pip from apt, then pip install.
const UBUNTU_PIP_TUTORIAL: &str = "RUN apt-get update && apt-get install -y python3 python3-pip nginx\nRUN pip3 install flask==3.0.0 gunicorn\n";

/// On ubuntu:22.04 pip installs system-wide as root (Ubuntu 22.04 predates PEP 668).
#[test]
fn the_pip_tutorial_builds_on_ubuntu_jammy() {
    let dockerfile = format!("FROM ubuntu:22.04\n{UBUNTU_PIP_TUTORIAL}");
    let out = build_in(&mut Store::new(), &dockerfile, &BuildContext::new());
    assert!(out.error.is_none(), "{:?}", out.error);
    let log = out.log.join("\n");
    assert!(
        log.contains("Setting up python3.10 (3.10.12-1~22.04.4) ..."),
        "{log}"
    );
    assert!(
        log.contains("Setting up nginx (1.18.0-6ubuntu14.4) ..."),
        "{log}"
    );
    assert!(
        log.contains("WARNING: Running pip as the 'root' user"),
        "{log}"
    );
}

/// On ubuntu:24.04 the same pip step fails as PEP 668 says (Python 3.12).
#[test]
fn the_pip_tutorial_is_externally_managed_on_ubuntu_noble() {
    let dockerfile = format!("FROM ubuntu:24.04\n{UBUNTU_PIP_TUTORIAL}");
    let out = build_in(&mut Store::new(), &dockerfile, &BuildContext::new());
    let error = out.error.expect("PEP 668 stops pip on noble");
    assert_eq!(error.line, Some(3));
    assert!(
        error
            .message
            .contains("error: externally-managed-environment"),
        "{}",
        error.message
    );
    let log = out.log.join("\n");
    assert!(
        log.contains("Setting up python3.12 (3.12.3-1ubuntu0.5) ..."),
        "{log}"
    );
}
