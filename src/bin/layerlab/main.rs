//! The native command line over the same core the web page uses: how tests,
//! benchmarks and comparisons with real tools drive the engine without a browser.

use std::process::ExitCode;

mod build;
mod cache_mounts;
mod context_dir;
mod export;
mod flags;
mod history;
mod import;
mod inspect;
mod parse;
mod run;
mod store_dir;

const USAGE: &str = "usage: layerlab <command> [options]

commands:
  build      build a context directory: layerlab build [-f DOCKERFILE] [-t TAG]
             [--build-arg K=V]... [--target STAGE] [--no-cache]
             [--no-cache-filter STAGE[,STAGE]] [--builder buildkit|legacy]
             [--progress plain|json] CONTEXT_DIR
  parse      parse a Dockerfile: `parse --dump FILE` prints BuildKit's dump,
             `parse FILE` the typed instructions; errors as `line N: message`
  inspect ARCHIVE [--json] [--lowest-efficiency R] [--highest-wasted-bytes B]
          [--highest-user-wasted-percent R]
             dive-like report of an image archive (exit 0 pass, 1 a threshold
             failed, 2 unreadable)
  import --store DIR ARCHIVE [--name NAME]
             load a docker-save tar, an oci-archive or an OCI layout directory
             into the store DIR (an OCI layout)
  export --store DIR IMAGE -o OUT.tar [--format oci|docker] [--gzip]
             write a stored image as an oci-archive or a docker-save tar
  run [--store DIR] [--load ARCHIVE[=NAME]]... [--entrypoint X] [-i]
      [--commit TAG [-m MESSAGE]] IMAGE [CMD...]
             start a container (a stored image, or a simulated base image): print
             the process, its output and `docker diff`; `-i` runs stdin's lines in
             it (built-ins: diff, commit TAG, exit)
  history [--store DIR] [--no-trunc] [--format json] IMAGE
             the image's history as `docker history` prints it
  images [--store DIR]
             the stored images as `docker images` lists them
  version    print the engine version
  help       print this help";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("version") | Some("--version") | Some("-V") => {
            println!("layerlab {}", layerlab::VERSION);
            ExitCode::SUCCESS
        }
        Some("build") => build::run(&args[1..]),
        Some("parse") => parse::run(&args[1..]),
        Some("inspect") => inspect::run(&args[1..]),
        Some("import") => import::run(&args[1..]),
        Some("export") => export::run(&args[1..]),
        Some("run") => run::run(&args[1..]),
        Some("history") => history::run_history(&args[1..]),
        Some("images") => history::run_images(&args[1..]),
        Some("help") | Some("--help") | Some("-h") | None => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("layerlab: unknown command '{other}'\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
