//! `java`, `javac`, `jshell` and `jar` of a Temurin JDK or JRE (the eclipse-temurin
//! and maven images). Their version comes from the `release` file beside the
//! program's `bin/`, so `java -version` prints the installed build's banner (on
//! stderr, as the JVM does) and `--version` the same on stdout. Running Java
//! bytecode is not simulated: `java -jar` finds the jar, reads its manifest (of a
//! jar layerlab's simulated Maven made, or a real one), fails as the JVM does
//! without a `Main-Class`, and otherwise says plainly that nothing ran. Spring Boot's jar modes
//! (`-Djarmode=layertools`/`tools` `extract`) write the jar's layers out, since
//! layered Dockerfiles copy them.

use super::super::exec::{base_name, Exec, Shell};
use super::php::not_simulated;
use super::zip;

/// What a Temurin install's `release` file says.
pub struct Release {
    /// `JAVA_VERSION`: `17.0.13`.
    pub version: String,
    /// `JAVA_RUNTIME_VERSION`: `17.0.13+11` (`21.0.5+11-LTS`).
    pub runtime: String,
    /// `IMPLEMENTOR_VERSION`: `Temurin-17.0.13+11`.
    pub implementor_version: String,
    /// `IMPLEMENTOR`: `Eclipse Adoptium`.
    pub implementor: String,
    /// `JAVA_VERSION_DATE`: `2024-10-15`.
    pub date: String,
}

/// The `release` of the install holding `program` (`HOME/bin/NAME`), if any.
pub fn release_of(sh: &Shell<'_>, program: &str) -> Option<Release> {
    let path = sh.fs.canonicalize(program).ok()?;
    let home = path.rsplit_once('/')?.0.rsplit_once('/')?.0;
    let text = sh.fs.read_file(&format!("{home}/release")).ok()?;
    let text = String::from_utf8_lossy(&text.bytes()).into_owned();
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .map(|v| v.trim_matches('"').to_string())
    };
    Some(Release {
        version: field("JAVA_VERSION")?,
        runtime: field("JAVA_RUNTIME_VERSION")?,
        implementor_version: field("IMPLEMENTOR_VERSION").unwrap_or_default(),
        implementor: field("IMPLEMENTOR").unwrap_or_default(),
        date: field("JAVA_VERSION_DATE").unwrap_or_default(),
    })
}

impl Release {
    /// The three lines of `java -version` (`-version` flavour when `old`, else
    /// `--version`'s `openjdk 17.0.13 2024-10-15`).
    pub fn banner(&self, old: bool) -> String {
        let lts = if self.runtime.ends_with("-LTS") {
            " LTS"
        } else {
            ""
        };
        let first = if old {
            format!("openjdk version \"{}\" {}{lts}", self.version, self.date)
        } else {
            format!("openjdk {} {}{lts}", self.version, self.date)
        };
        format!(
            "{first}\nOpenJDK Runtime Environment {iv} (build {rt})\nOpenJDK 64-Bit Server VM {iv} (build {rt}, mixed mode, sharing)\n",
            iv = self.implementor_version,
            rt = self.runtime
        )
    }
}

/// `java [OPTIONS] (-jar JAR | CLASS) [ARGS...]`, `-version`, `--version`.
pub fn java(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let program = sh.program_path.clone();
    let Some(release) = release_of(sh, &program) else {
        return not_simulated(
            sh,
            argv,
            "this java is not a Temurin install layerlab knows (no release file beside its bin/)",
        );
    };
    let mut i = 1;
    while let Some(arg) = argv.get(i) {
        match arg.as_str() {
            "-version" => {
                sh.err(release.banner(true))?;
                return Ok(0);
            }
            "--version" => {
                sh.out(release.banner(false))?;
                return Ok(0);
            }
            "-showversion" | "--show-version" => sh.err(release.banner(true))?,
            "-cp" | "-classpath" | "--class-path" | "-p" | "--module-path" | "--add-modules" => {
                i += 1
            }
            "-jar" => {
                let mode = argv[1..i].iter().find_map(|a| a.strip_prefix("-Djarmode="));
                return match mode {
                    Some(mode @ ("layertools" | "tools")) => {
                        let mode = mode.to_string();
                        jar_mode(sh, argv, &mode, i + 1)
                    }
                    _ => jar_file(sh, argv, argv.get(i + 1)),
                };
            }
            "-Xshare:dump" => {
                return not_simulated(
                    sh,
                    argv,
                    "the class data sharing archive is part of the image's simulated files",
                )
            }
            a if a.starts_with('-') => {}
            _ => break,
        }
        i += 1;
    }
    if i >= argv.len() {
        sh.err("Usage: java [options] <mainclass> [args...]\n           (to execute a class)\n   or  java [options] -jar <jarfile> [args...]\n           (to execute a jar file)\n")?;
        return Ok(1);
    }
    not_simulated(
        sh,
        argv,
        "running Java bytecode is not simulated by layerlab",
    )
}

/// `java -jar JAR`: the jar must exist and name its `Main-Class`.
fn jar_file(sh: &mut Shell<'_>, argv: &[String], jar: Option<&String>) -> Exec {
    let Some(jar) = jar else {
        sh.err("Error: -jar requires jar file specification\n")?;
        return Ok(1);
    };
    let Some(bytes) = read_jar(sh, jar)? else {
        return Ok(1);
    };
    let manifest = zip::read_stored(&bytes, "META-INF/MANIFEST.MF")
        .map(|m| String::from_utf8_lossy(&m).into_owned());
    let Some(manifest) = manifest else {
        return not_simulated(
            sh,
            argv,
            &format!("running Java bytecode is not simulated by layerlab, and {jar} is not a jar layerlab can read, so its manifest was not read"),
        );
    };
    let attribute = |key: &str| {
        manifest
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(": "))
            .map(str::to_string)
    };
    let Some(main) = attribute("Main-Class") else {
        sh.err(format!("no main manifest attribute, in {jar}\n"))?;
        return Ok(1);
    };
    let start = attribute("Start-Class")
        .map(|s| format!(", Start-Class {s}"))
        .unwrap_or_default();
    not_simulated(
        sh,
        argv,
        &format!(
            "running Java bytecode is not simulated by layerlab ({jar}: Main-Class {main}{start})"
        ),
    )
}

/// The bytes of `jar` (none for a generated placeholder, which no zip reader
/// can use: it is not read whole); `None` after the JVM's message when there is
/// no such file.
fn read_jar(sh: &mut Shell<'_>, jar: &str) -> Result<Option<Vec<u8>>, super::super::exec::Flow> {
    let Ok(blob) = sh.fs.read_file(&sh.abs(jar)) else {
        sh.err(format!("Error: Unable to access jarfile {jar}\n"))?;
        return Ok(None);
    };
    if blob.is_generated() {
        return Ok(Some(Vec::new()));
    }
    sh.charge(blob.len() as usize)?;
    Ok(Some(blob.bytes().into_owned()))
}

/// Spring Boot's jar modes: `-Djarmode=layertools -jar JAR extract` (Spring Boot
/// 2.3 to 3.2) and `-Djarmode=tools -jar JAR extract --layers --launcher` (3.3
/// on) write the layers of `BOOT-INF/layers.idx` as directories (into the working
/// directory, or for `tools` a directory named after the jar, or `--destination`),
/// which the layered Dockerfile of Spring Boot's documentation copies one by one.
/// The jar must be a Spring Boot jar (with `BOOT-INF/layers.idx`).
fn jar_mode(sh: &mut Shell<'_>, argv: &[String], mode: &str, at: usize) -> Exec {
    let (Some(jar), Some("extract")) = (argv.get(at), argv.get(at + 1).map(String::as_str)) else {
        return not_simulated(
            sh,
            argv,
            "only the `extract` command of Spring Boot's jar modes is simulated",
        );
    };
    let rest = &argv[at + 2..];
    let destination = rest
        .iter()
        .position(|a| a == "--destination")
        .and_then(|k| rest.get(k + 1))
        .cloned()
        .or_else(|| {
            rest.iter()
                .find_map(|a| a.strip_prefix("--destination=").map(str::to_string))
        });
    if mode == "tools"
        && !(rest.iter().any(|a| a == "--layers") && rest.iter().any(|a| a == "--launcher"))
    {
        return not_simulated(
            sh,
            argv,
            "of `-Djarmode=tools extract`, only `--layers --launcher` is simulated",
        );
    }
    let Some(bytes) = read_jar(sh, jar)? else {
        return Ok(1);
    };
    let entries = zip::entries(&bytes);
    let index = entries.as_ref().and_then(|e| {
        e.iter()
            .find(|(n, _)| n == "BOOT-INF/layers.idx")
            .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
    });
    let (Some(entries), Some(index)) = (entries, index) else {
        return not_simulated(sh, argv, &format!("{jar} is not a layered Spring Boot jar layerlab can read, so its layers were not read"));
    };
    // `- "layer":` lines, each followed by `  - "prefix"` lines.
    let mut layers: Vec<(String, Vec<String>)> = Vec::new();
    for line in index.lines() {
        let unquoted = line
            .trim()
            .trim_start_matches("- ")
            .trim_end_matches(':')
            .trim_matches('"');
        if line.starts_with("- ") {
            layers.push((unquoted.to_string(), Vec::new()));
        } else if let Some((_, prefixes)) = layers.last_mut() {
            prefixes.push(unquoted.to_string());
        }
    }
    let stem = base_name(jar).trim_end_matches(".jar").to_string();
    let root = match (destination, mode) {
        (Some(d), _) => sh.abs(&d),
        (None, "tools") => sh.abs(&stem),
        (None, _) => sh.state.cwd.clone(),
    };
    let dir_meta = sh.dir_meta();
    let file_meta = sh.file_meta();
    for (layer, prefixes) in &layers {
        let _ = sh.fs.mkdir_all(&format!("{root}/{layer}"), dir_meta);
        for (name, data) in &entries {
            if name.ends_with('/') || !prefixes.iter().any(|p| name.starts_with(p.as_str())) {
                continue;
            }
            let path = format!("{root}/{layer}/{name}");
            if let Some((parent, _)) = path.rsplit_once('/') {
                let _ = sh.fs.mkdir_all(parent, dir_meta);
            }
            let _ = sh.fs.write_file(
                &path,
                crate::vfs::blob::Blob::from_bytes(data.clone()),
                file_meta,
            );
        }
    }
    Ok(0)
}

/// `javac`, `jshell` and `jar`: their `--version`; compiling, the shell and
/// archiving are not simulated.
pub fn jdk_tool(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let program = sh.program_path.clone();
    let name = base_name(&argv[0]).to_string();
    match (release_of(sh, &program), argv.get(1).map(String::as_str)) {
        (Some(release), Some("--version" | "-version")) => {
            sh.out(format!("{name} {}\n", release.version))?;
            Ok(0)
        }
        _ => not_simulated(
            sh,
            argv,
            &format!("{name} is not simulated by layerlab (only its --version is)"),
        ),
    }
}
