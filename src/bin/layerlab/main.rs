//! The native command line over the same core the web page uses: how tests,
//! benchmarks and comparisons with real tools drive the engine without a browser.

use std::process::ExitCode;

mod parse;

const USAGE: &str = "usage: layerlab <command> [options]

commands:
  parse      parse a Dockerfile: `parse --dump FILE` prints BuildKit's dump,
             `parse FILE` the typed instructions; errors as `line N: message`
  version    print the engine version
  help       print this help";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("version") | Some("--version") | Some("-V") => {
            println!("layerlab {}", layerlab::VERSION);
            ExitCode::SUCCESS
        }
        Some("parse") => parse::run(&args[1..]),
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
