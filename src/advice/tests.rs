use super::*;
use crate::builder::{build, BuildInput, BuildOptions};
use crate::cache::BuildCache;
use crate::store::Store;
use crate::vfs::blob::Blob;

fn context(files: &[&str]) -> BuildContext {
    let mut ctx = BuildContext::new();
    for f in files {
        ctx.add_file(f, Blob::from_bytes(b"x\n".to_vec()), 0o644, 0)
            .unwrap();
    }
    ctx
}

fn advice_for(dockerfile: &str, files: &[&str]) -> Vec<Advice> {
    let (parsed, _) = crate::dockerfile::parse(dockerfile);
    advise(&parsed.unwrap(), &context(files), &[])
}

#[test]
fn copy_dot_before_pip_install_is_worth_reordering() {
    let df = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"main.py\"]\n";
    let advice = advice_for(df, &["requirements.txt", "main.py"]);
    assert_eq!(
        advice,
        [Advice {
            message: "consider copying requirements.txt and running `pip install` before `COPY . .`: add `COPY requirements.txt ./` above line 3 and move line 4 (`RUN pip install -r requirements.txt`) right after it, so editing other files no longer reruns the install".to_string(),
            lines: vec![4, 3],
        }]
    );
}

#[test]
fn npm_and_go_installs_name_their_manifests() {
    let df = "FROM node:20\nCOPY . .\nRUN npm ci && npm run build\n";
    let advice = advice_for(df, &["package.json", "package-lock.json", "index.js"]);
    assert_eq!(advice.len(), 1);
    assert!(advice[0]
        .message
        .contains("add `COPY package.json package-lock.json ./` above line 2"));
    let df = "FROM golang\nCOPY ./ ./\nRUN go mod download\n";
    let advice = advice_for(df, &["go.mod", "main.go"]);
    assert!(advice[0].message.contains("`COPY go.mod ./`"), "{advice:?}");
}

#[test]
fn a_copy_of_other_files_before_the_install_should_move_below_it() {
    let df = "FROM python\nCOPY requirements.txt .\nCOPY src/ src/\nRUN pip install -r requirements.txt\n";
    let advice = advice_for(df, &["requirements.txt", "src/app.py"]);
    assert_eq!(advice.len(), 1);
    assert_eq!(advice[0].lines, [3, 4]);
    assert!(advice[0]
        .message
        .starts_with("consider moving line 3 (`COPY src/ src/`) below line 4"));
}

#[test]
fn a_good_order_or_an_unknown_command_gets_no_advice() {
    let good =
        "FROM python\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n";
    assert!(advice_for(good, &["requirements.txt", "main.py"]).is_empty());
    let other = "FROM python\nCOPY . .\nRUN python setup.py build\n";
    assert!(advice_for(other, &["setup.py"]).is_empty());
    let missing = "FROM python\nCOPY . .\nRUN pip install -r requirements.txt\n";
    assert!(advice_for(missing, &["main.py"]).is_empty());
    let elsewhere = "FROM node AS web\nCOPY . .\nFROM node\nRUN npm ci\n";
    assert!(advice_for(elsewhere, &["package.json"]).is_empty());
    let from_stage = "FROM node AS a\nFROM node\nCOPY --from=a / .\nRUN npm ci\n";
    assert!(advice_for(from_stage, &["package.json"]).is_empty());
}

/// After an edit misses `COPY . .` and reruns the install, the advice says so.
#[test]
fn the_advice_names_the_rerun_it_would_have_saved() {
    let df = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n";
    let mut store = Store::new();
    let mut cache = BuildCache::new();
    let mut ctx = BuildContext::new();
    let put = |ctx: &mut BuildContext, text: &str| {
        ctx.add_file(
            "requirements.txt",
            Blob::from_bytes(b"flask\n".to_vec()),
            0o644,
            0,
        )
        .unwrap();
        ctx.add_file(
            "main.py",
            Blob::from_bytes(text.as_bytes().to_vec()),
            0o644,
            0,
        )
        .unwrap();
    };
    put(&mut ctx, "print(1)\n");
    let mut run = |ctx: &BuildContext| {
        let input = BuildInput {
            dockerfile: df,
            dockerfile_path: "Dockerfile",
            context: ctx,
        };
        build(&mut store, &mut cache, &input, &BuildOptions::default())
    };
    let first = run(&ctx);
    assert!(first.error.is_none(), "{:?}", first.error);
    assert!(!first.advice[0].message.contains("in this build"));
    put(&mut ctx, "print(2)\n");
    let second = run(&ctx);
    assert_eq!(second.advice.len(), 1);
    let short = |text: &str| crate::digest::Digest::of(text.as_bytes()).hex()[..4].to_string();
    let expected = format!(
        ". In this build line 3 missed because main.py changed (sha256 {}.. -> {}..), so the install on line 4 ran again",
        short("print(1)\n"),
        short("print(2)\n")
    );
    assert!(
        second.advice[0].message.ends_with(&expected),
        "{}",
        second.advice[0].message
    );
}

#[test]
fn a_glob_that_brings_only_the_manifests_is_already_the_good_order() {
    let files = [
        "package.json",
        "package-lock.json",
        "index.js",
        "tsconfig.json",
    ];
    let good = "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n";
    assert_eq!(advice_for(good, &files), []);
    // `COPY . .` stays broad even when the context holds only the manifests:
    // every file added later would rerun the install.
    let whole = "FROM node:20\nCOPY . .\nRUN npm ci\n";
    assert_eq!(advice_for(whole, &["package.json"]).len(), 1);
    // `*.json` also brings tsconfig.json: editing it would rerun the install.
    let broad = "FROM node:20\nWORKDIR /app\nCOPY *.json ./\nRUN npm ci\nCOPY . .\n";
    let advice = advice_for(broad, &files);
    assert_eq!(advice.len(), 1);
    assert_eq!(advice[0].lines, vec![4, 3]);
}

/// Next.js's Dockerfile copies whichever lock file exists and picks the
/// installer by it: whatever the lock file, that is already the good order, and
/// copying the whole project first is named after the installer that runs.
#[test]
fn an_install_that_picks_its_tool_by_lock_file_reads_every_lock_file() {
    let script = "RUN \\\n  if [ -f yarn.lock ]; then yarn --frozen-lockfile; \\\n  elif [ -f package-lock.json ]; then npm ci; \\\n  elif [ -f pnpm-lock.yaml ]; then corepack enable pnpm && pnpm i --frozen-lockfile; \\\n  else echo \"Lockfile not found.\" && exit 1; \\\n  fi\n";
    let good = format!("FROM node:18-alpine\nWORKDIR /app\nCOPY package.json yarn.lock* package-lock.json* pnpm-lock.yaml* ./\n{script}COPY . .\n");
    for lock in ["yarn.lock", "package-lock.json", "pnpm-lock.yaml"] {
        assert_eq!(
            advice_for(&good, &["package.json", lock, "app/page.js"]),
            []
        );
    }
    let broad = format!("FROM node:18-alpine\nWORKDIR /app\nCOPY . .\n{script}");
    let advice = advice_for(&broad, &["package.json", "yarn.lock", "app/page.js"]);
    assert_eq!(advice.len(), 1, "{advice:?}");
    assert!(
        advice[0].message.starts_with(
            "consider copying package.json yarn.lock and running `yarn install` before `COPY . .`"
        ),
        "{advice:?}"
    );
}
