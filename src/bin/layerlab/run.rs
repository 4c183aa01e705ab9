//! `layerlab run`: start a container of a stored (or simulated base) image, as
//! `docker run` does, and show its writable layer.
//!
//! `layerlab run [--store DIR] [--load ARCHIVE[=NAME]]... [--entrypoint X] [-i]
//! [--commit TAG [-m MESSAGE]] IMAGE [CMD...]`
//!
//! One-shot (default): prints `process: ARGV` (the composed ENTRYPOINT + CMD),
//! the process's stdout (its stderr and the simulator's warnings go to stderr),
//! then `docker diff:` and the container's A/C/D rows; the exit code is the
//! process's, or 125 with Docker's message when there is no command.
//! `--commit TAG` stores the container as a new image (saved to `--store`).
//!
//! `-i`: reads commands from stdin line by line and runs each in the container
//! (`docker exec CONTAINER sh -c LINE`); built-ins: `diff`, `commit TAG`, `exit
//! [N]`; `--commit TAG` commits when the input ends. The exit code is the last
//! command's (or N).

use super::{build, flags, store_dir};
use layerlab::container::{self, process, Container, ContainerOptions, RunArgs};
use layerlab::store::Store;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: layerlab run [--store DIR] [--load ARCHIVE[=NAME]]... [--entrypoint X] [-i] [--commit TAG [-m MESSAGE]] IMAGE [CMD...]";

/// The parsed command line.
struct Args {
    store: Option<PathBuf>,
    loads: Vec<(PathBuf, Option<String>)>,
    interactive: bool,
    commit: Option<String>,
    message: Option<String>,
    image: String,
    run: RunArgs,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut store = None;
    let mut loads = Vec::new();
    let mut interactive = false;
    let mut commit = None;
    let mut message = None;
    let mut entrypoint = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = flags::split(arg);
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or(format!("{name} needs a value"))
        };
        match flag {
            "--store" => store = Some(PathBuf::from(value(flag)?)),
            "--load" => {
                let spec = it.next().ok_or("--load needs an archive")?;
                loads.push(flags::load_spec(spec));
            }
            "--entrypoint" => entrypoint = Some(value(flag)?),
            "--commit" => commit = Some(value(flag)?),
            "-m" | "--message" => message = Some(value(flag)?),
            "-i" | "--interactive" => interactive = true,
            other if other.starts_with('-') => return Err(format!("unknown flag {other}")),
            image => {
                return Ok(Args {
                    store,
                    loads,
                    interactive,
                    commit,
                    message,
                    image: image.to_string(),
                    run: RunArgs {
                        command: it.cloned().collect(),
                        entrypoint,
                    },
                })
            }
        }
    }
    Err("the image is missing".to_string())
}

/// Runs the subcommand with the arguments after `run`.
pub fn run(args: &[String]) -> ExitCode {
    let args = match parse_args(args) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("layerlab run: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let (mut store, mut c) = match open(&args) {
        Ok(opened) => opened,
        Err(message) => {
            eprintln!("layerlab run: {message}");
            return ExitCode::from(2);
        }
    };
    let code = if args.interactive {
        interactive(&args, &mut store, &mut c)
    } else {
        one_shot(&args, &mut store, &mut c)
    };
    ExitCode::from(u8::try_from(code & 0xff).unwrap_or(1))
}

/// The store (with `--load`ed images) and a new container of the image.
fn open(args: &Args) -> Result<(Store, Container), String> {
    let mut store = match &args.store {
        Some(dir) => store_dir::load(dir)?,
        None => Store::new(),
    };
    build::load_archives(&mut store, &args.loads)?;
    let image = container::resolve_image(&mut store, &args.image)?;
    let c = Container::create(&store, &image, &args.run, 0, ContainerOptions::default())?;
    Ok((store, c))
}

fn one_shot(args: &Args, store: &mut Store, c: &mut Container) -> i32 {
    let result = match c.start() {
        Ok(result) => result,
        Err(message) => {
            eprintln!("{message}");
            return container::NO_COMMAND_EXIT;
        }
    };
    let argv = c.process().unwrap_or_default();
    println!("process: {}", process::display(&argv));
    print_result(&result);
    println!("docker diff:");
    for row in c.diff() {
        println!("{row}");
    }
    if let Some(tag) = &args.commit {
        if let Err(message) = commit(args, store, c, tag) {
            eprintln!("layerlab run: {message}");
            return 1;
        }
    }
    result.exit_code
}

fn interactive(args: &Args, store: &mut Store, c: &mut Container) -> i32 {
    println!("container {} of {}", &c.id()[..12], args.image);
    match c.process() {
        Ok(argv) => println!("process: {}", process::display(&argv)),
        Err(message) => println!("{message}"),
    }
    let mut last = 0;
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else {
            break;
        };
        let line = line.trim();
        let mut words = line.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (None, _, _) => continue,
            (Some("exit"), code, None) => {
                last = code.and_then(|c| c.parse().ok()).unwrap_or(last);
                break;
            }
            (Some("diff"), None, _) => {
                for row in c.diff() {
                    println!("{row}");
                }
            }
            (Some("commit"), Some(tag), None) => {
                if let Err(message) = commit(args, store, c, tag) {
                    eprintln!("commit: {message}");
                }
            }
            _ => {
                let result = c.exec(line);
                print_result(&result);
                last = result.exit_code;
            }
        }
    }
    if let Some(tag) = &args.commit {
        if let Err(message) = commit(args, store, c, tag) {
            eprintln!("layerlab run: {message}");
            return 1;
        }
    }
    last
}

fn print_result(result: &container::ExecResult) {
    print!("{}", result.stdout);
    eprint!("{}", result.stderr);
    for warning in &result.warnings {
        eprintln!("warning: {warning}");
    }
}

/// Commits the container as `tag`, prints the new image ID and saves `--store`.
fn commit(args: &Args, store: &mut Store, c: &Container, tag: &str) -> Result<(), String> {
    let id = c.commit(store, Some(tag), args.message.as_deref())?;
    println!("{id}");
    if let Some(dir) = &args.store {
        store_dir::save(store, dir)?;
    }
    Ok(())
}
