//! `mvn`, as the maven images run it: reads pom.xml (`xml`), fills the local
//! repository (`~/.m2/repository`) with placeholder jars and poms for the declared
//! dependencies, the Spring Boot starters' own (Spring Boot 3.3's versions) and
//! the lifecycle's plugins, and writes what `package` leaves in `target/`: a
//! placeholder class file per source under `src/main/java` and the jar, a real zip
//! with Maven's `META-INF/MANIFEST.MF` (Spring Boot's repackaged layout when the
//! pom uses its plugin; the shade plugin's or the assembly plugin's
//! jar-with-dependencies when bound; a war for `<packaging>war</packaging>`), so `COPY --from=build /app/target/*.jar` and
//! `java -jar` find what they expect. Nothing is compiled, downloaded or tested: notices say
//! so. Errors are Maven's words, status 1.

use super::super::exec::{Exec, Flow, Shell};
use super::super::packages::seed;
use super::super::NoticeKind;
use super::xml::{self, Element};
use super::zip;
use crate::vfs::blob::Blob;

#[cfg(test)]
mod tests;

/// The rule Maven's log draws around headers and the summary.
const RULE: &str = "------------------------------------------------------------------------";
/// Maven Central, where every artifact is said to come from.
const CENTRAL: &str = "https://repo.maven.apache.org/maven2";

/// The default lifecycle's plugins and the other plugins the goals use (the
/// versions Maven 3.9.9's super POM and Spring Boot 3.3 bind).
const PLUGINS: &[(&str, &str)] = &[
    ("maven-clean-plugin", "3.2.0"),
    ("maven-resources-plugin", "3.3.1"),
    ("maven-compiler-plugin", "3.13.0"),
    ("maven-surefire-plugin", "3.2.5"),
    ("maven-jar-plugin", "3.4.1"),
    ("maven-install-plugin", "3.1.2"),
    ("maven-dependency-plugin", "3.7.0"),
];

/// What a Spring Boot starter brings with it: other starters (bare names) and
/// `GROUP:ARTIFACT:VERSION` libraries, at Spring Boot 3.3.5's managed versions.
const STARTERS: &[(&str, &[&str])] = &[
    (
        "spring-boot-starter",
        &[
            "spring-boot",
            "spring-boot-autoconfigure",
            "spring-boot-starter-logging",
            "jakarta.annotation:jakarta.annotation-api:2.1.1",
            "org.springframework:spring-core:6.1.14",
            "org.springframework:spring-jcl:6.1.14",
            "org.yaml:snakeyaml:2.2",
        ],
    ),
    (
        "spring-boot-starter-logging",
        &[
            "ch.qos.logback:logback-classic:1.5.11",
            "ch.qos.logback:logback-core:1.5.11",
            "org.slf4j:slf4j-api:2.0.16",
            "org.apache.logging.log4j:log4j-to-slf4j:2.23.1",
            "org.slf4j:jul-to-slf4j:2.0.16",
        ],
    ),
    (
        "spring-boot-starter-web",
        &[
            "spring-boot-starter",
            "spring-boot-starter-json",
            "spring-boot-starter-tomcat",
            "org.springframework:spring-web:6.1.14",
            "org.springframework:spring-webmvc:6.1.14",
            "org.springframework:spring-beans:6.1.14",
            "org.springframework:spring-context:6.1.14",
            "org.springframework:spring-aop:6.1.14",
            "org.springframework:spring-expression:6.1.14",
            "io.micrometer:micrometer-observation:1.13.6",
            "io.micrometer:micrometer-commons:1.13.6",
        ],
    ),
    (
        "spring-boot-starter-json",
        &[
            "com.fasterxml.jackson.core:jackson-databind:2.17.2",
            "com.fasterxml.jackson.core:jackson-core:2.17.2",
            "com.fasterxml.jackson.core:jackson-annotations:2.17.2",
            "com.fasterxml.jackson.datatype:jackson-datatype-jsr310:2.17.2",
            "com.fasterxml.jackson.module:jackson-module-parameter-names:2.17.2",
        ],
    ),
    (
        "spring-boot-starter-tomcat",
        &[
            "org.apache.tomcat.embed:tomcat-embed-core:10.1.31",
            "org.apache.tomcat.embed:tomcat-embed-el:10.1.31",
            "org.apache.tomcat.embed:tomcat-embed-websocket:10.1.31",
        ],
    ),
    (
        "spring-boot-starter-test",
        &[
            "spring-boot-test",
            "spring-boot-test-autoconfigure",
            "org.springframework:spring-test:6.1.14",
            "org.junit.jupiter:junit-jupiter:5.10.5",
            "org.junit.jupiter:junit-jupiter-api:5.10.5",
            "org.mockito:mockito-core:5.11.0",
            "org.assertj:assertj-core:3.25.3",
            "net.bytebuddy:byte-buddy:1.14.19",
        ],
    ),
];

/// The big jars of a Spring Boot web application, in kB (Maven Central's files).
const SIZES: &[(&str, u64)] = &[
    ("tomcat-embed-core", 3_570),
    ("spring-boot-autoconfigure", 2_010),
    ("spring-web", 2_050),
    ("spring-core", 1_920),
    ("spring-boot", 1_720),
    ("jackson-databind", 1_650),
    ("spring-context", 1_290),
    ("spring-webmvc", 1_060),
    ("byte-buddy", 4_360),
    ("assertj-core", 1_380),
    ("mockito-core", 710),
    ("logback-core", 630),
    ("jackson-core", 590),
    ("spring-beans", 870),
];

/// Maven coordinates of one artifact, and whether it goes into the application
/// (compile and runtime scopes) or only into the build (test, provided, plugins).
#[derive(Clone, Debug, PartialEq)]
struct Artifact {
    group: String,
    artifact: String,
    version: String,
    runtime: bool,
}

impl Artifact {
    /// `org/springframework/boot/spring-boot/3.3.5` under the repository.
    fn dir(&self) -> String {
        format!(
            "{}/{}/{}",
            self.group.replace('.', "/"),
            self.artifact,
            self.version
        )
    }

    fn jar_name(&self) -> String {
        format!("{}-{}.jar", self.artifact, self.version)
    }

    /// `group:artifact:jar:version`, as Maven's messages name it.
    fn id(&self) -> String {
        format!("{}:{}:jar:{}", self.group, self.artifact, self.version)
    }

    /// A placeholder jar's size: the real jar's for the libraries `SIZES` names,
    /// a few kilobytes for a starter (they hold only a manifest), else 20 to 800
    /// kB from the coordinates.
    fn size(&self) -> u64 {
        if let Some((_, kb)) = SIZES.iter().find(|(a, _)| *a == self.artifact) {
            return kb * 1000 + seed(&[&self.id()]) % 1000;
        }
        if self.artifact.starts_with("spring-boot-starter") {
            return 4_700 + seed(&[&self.id()]) % 200;
        }
        20_000 + seed(&[&self.id()]) % 780_000
    }
}

/// What layerlab reads of a pom.xml.
#[derive(Clone, Debug, Default)]
struct Project {
    dir: String,
    group: String,
    artifact: String,
    version: String,
    packaging: String,
    final_name: String,
    deps: Vec<Artifact>,
    /// Spring Boot's version, when its Maven plugin repackages the jar.
    boot_plugin: Option<String>,
    /// The `<mainClass>` each plugin configures (by artifactId; Spring Boot's
    /// also from the `start-class` property).
    mains: Vec<(String, String)>,
    /// The plugins that merge the dependencies into one jar, when bound to a goal:
    /// (artifactId, execution id).
    mergers: Vec<(String, String)>,
    /// The Java release the sources target (`java.version`, `maven.compiler.*`).
    release: Option<String>,
    modules: bool,
}

/// The command line: flags, `-D` properties and the goals in order.
#[derive(Default)]
struct Options {
    quiet: bool,
    offline: bool,
    no_transfer: bool,
    file: Option<String>,
    /// `-s FILE`: the user settings (else `~/.m2/settings.xml`).
    settings: Option<String>,
    props: Vec<(String, String)>,
    goals: Vec<String>,
}

impl Options {
    fn prop(&self, key: &str) -> Option<&str> {
        self.props
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn skip_tests(&self) -> bool {
        let on = |k: &str| self.prop(k).is_some_and(|v| v != "false");
        on("skipTests") || on("maven.test.skip")
    }
}

/// `mvn [OPTIONS] GOAL...`.
pub fn mvn(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut o = Options::default();
    let mut i = 1;
    while let Some(arg) = argv.get(i) {
        i += 1;
        match arg.as_str() {
            "-v" | "--version" | "-version" => return version(sh),
            "-q" | "--quiet" => o.quiet = true,
            "-o" | "--offline" => o.offline = true,
            "-ntp" | "--no-transfer-progress" => o.no_transfer = true,
            "-f" | "--file" => {
                o.file = argv.get(i).cloned();
                i += 1;
            }
            "-s" | "--settings" => {
                o.settings = argv.get(i).cloned();
                i += 1;
            }
            "-gs"
            | "-P"
            | "--activate-profiles"
            | "-pl"
            | "--projects"
            | "-T"
            | "--threads"
            | "-rf"
            | "-t"
            | "-l"
            | "--log-file" => i += 1,
            "-D" => {
                if let Some(p) = argv.get(i) {
                    o.props.push(property(p));
                    i += 1;
                }
            }
            a if a.starts_with("-D") => o.props.push(property(&a[2..])),
            a if a.starts_with('-') => {}
            goal => o.goals.push(goal.to_string()),
        }
    }
    let started = sh.ctx.mtime;
    match build(sh, &o) {
        Ok(Ok(work)) => {
            if !o.quiet {
                summary(sh, "BUILD SUCCESS", work, started)?;
            }
            Ok(0)
        }
        Ok(Err(message)) => {
            if !o.quiet {
                summary(sh, "BUILD FAILURE", 1, started)?;
            }
            sh.err(message)?;
            Ok(1)
        }
        Err(flow) => Err(flow),
    }
}

/// What the wrapper's download of Maven unpacks, besides `bin/mvn`: the jars that
/// weigh most (bytes), under the distribution's home.
const DISTRIBUTION: &[(&str, u64)] = &[
    ("boot/plexus-classworlds-2.8.0.jar", 53_069),
    ("lib/maven-core-{v}.jar", 717_123),
    ("lib/maven-resolver-impl-1.9.22.jar", 325_407),
    ("lib/guava-33.2.1-jre.jar", 3_139_883),
    ("lib/guice-5.1.0-classes.jar", 778_270),
    ("lib/httpclient-4.5.14.jar", 780_321),
    ("lib/commons-lang3-3.14.0.jar", 657_952),
    ("conf/settings.xml", 10_789),
];

/// `./mvnw`, the Maven Wrapper script Spring Initializr's projects ship: it needs
/// a Java, reads `.mvn/wrapper/maven-wrapper.properties` beside it, unpacks the
/// Maven its `distributionUrl` names into `~/.m2/wrapper/dists/apache-maven-V/HASH`
/// (HASH: the script's own string hash of the URL, in hex) unless already there,
/// and runs that Maven. The download is simulated (placeholder jars).
pub fn mvnw(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let has_java = match sh.var("JAVA_HOME") {
        Some(home) => sh.fs.exists(&format!("{home}/bin/java")),
        None => sh.find_program("java").is_some(),
    };
    if !has_java {
        sh.err("The JAVA_HOME environment variable is not defined correctly,\nthis environment variable is needed to run this program.\n")?;
        return Ok(1);
    }
    let script = crate::context::path::clean(&sh.program_path);
    let base = script.rsplit_once('/').map_or("/", |(d, _)| d).to_string();
    let props = format!("{base}/.mvn/wrapper/maven-wrapper.properties");
    let url = sh.fs.read_file(&props).ok().and_then(|b| {
        String::from_utf8_lossy(&b.bytes())
            .lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("distributionUrl")?
                    .trim_start()
                    .strip_prefix('=')
            })
            .map(|u| u.trim().replace("\\:", ":"))
    });
    let Some(url) = url else {
        sh.err(format!("cannot read distributionUrl property in {props}\n"))?;
        return Ok(1);
    };
    let name = url.rsplit('/').next().unwrap_or_default();
    let main = name.rsplit_once('.').map_or(name, |(m, _)| m);
    let main = main.strip_suffix("-bin").unwrap_or(main);
    let version = main
        .strip_prefix("apache-maven-")
        .unwrap_or("3.9.9")
        .to_string();
    let hash = url
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let home = format!(
        "{}/.m2/wrapper/dists/{main}/{hash:x}",
        sh.home().trim_end_matches('/')
    );
    if !sh.fs.exists(&format!("{home}/bin/mvn")) {
        let launcher = "#!/bin/sh\n# layerlab placeholder of Apache Maven's launcher script (mvn is simulated)\n";
        put(
            sh,
            &format!("{home}/bin/mvn"),
            Blob::from_bytes(launcher.as_bytes().to_vec()),
        );
        let _ = sh.fs.chmod(&format!("{home}/bin/mvn"), 0o755);
        for (path, size) in DISTRIBUTION {
            let path = format!("{home}/{}", path.replace("{v}", &version));
            sh.charge(*size as usize)?;
            put(sh, &path, Blob::generated(*size, seed(&[&path])));
        }
        sh.notice(
            NoticeKind::Simulated,
            "mvnw",
            format!("simulated: the Maven Wrapper 'downloaded' {url} into {home}: placeholder jars of realistic sizes (nothing was fetched)"),
        );
    }
    let saved = std::mem::replace(&mut sh.program_path, format!("{home}/bin/mvn"));
    let status = mvn(sh, argv);
    sh.program_path = saved;
    status
}

/// `-Dkey=value` (a bare `-Dkey` is `true`).
fn property(text: &str) -> (String, String) {
    match text.split_once('=') {
        Some((k, v)) => (k.to_string(), v.to_string()),
        None => (text.to_string(), "true".to_string()),
    }
}

/// `mvn -v`: Maven's version (from the maven-core jar of its home), and the JVM's.
fn version(sh: &mut Shell<'_>) -> Exec {
    let program = sh.program_path.clone();
    let home = maven_home(sh, &program);
    let maven = maven_version(sh, &home).unwrap_or_else(|| "3.9.9".to_string());
    let java_home = sh
        .var("JAVA_HOME")
        .unwrap_or("/opt/java/openjdk")
        .to_string();
    let java = super::java::release_of(sh, &format!("{java_home}/bin/java"));
    let (jv, vendor) = java
        .as_ref()
        .map(|r| (r.version.clone(), r.implementor.clone()))
        .unwrap_or_default();
    let revision = if maven == "3.9.9" {
        " (8e8579a9e76f7d015ee5ec7bfcdc97d260186937)"
    } else {
        ""
    };
    sh.out(format!(
        "Apache Maven {maven}{revision}\nMaven home: {home}\nJava version: {jv}, vendor: {vendor}, runtime: {java_home}\nDefault locale: en_US, platform encoding: UTF-8\nOS name: \"linux\", version: \"6.8.0\", arch: \"amd64\", family: \"unix\"\n"
    ))?;
    Ok(0)
}

/// The Maven installation holding `program` (`HOME/bin/mvn`).
fn maven_home(sh: &Shell<'_>, program: &str) -> String {
    let path = sh
        .fs
        .canonicalize(program)
        .unwrap_or_else(|_| program.to_string());
    path.rsplit_once('/')
        .and_then(|(bin, _)| bin.rsplit_once('/'))
        .map_or_else(
            || "/usr/share/maven".to_string(),
            |(home, _)| home.to_string(),
        )
}

/// The version in `HOME/lib/maven-core-VERSION.jar`.
fn maven_version(sh: &Shell<'_>, home: &str) -> Option<String> {
    let entries = sh.fs.read_dir(&format!("{home}/lib")).ok()?;
    entries.into_iter().find_map(|(name, _)| {
        name.strip_prefix("maven-core-")?
            .strip_suffix(".jar")
            .map(str::to_string)
    })
}

/// The closing lines of every build.
fn summary(sh: &mut Shell<'_>, result: &str, work: u64, started: i64) -> Result<(), Flow> {
    let (y, mo, d, h, mi, s) = super::system::civil(started);
    // A stand-in duration that grows with the work done (nothing was timed).
    let millis = 900 + work * 37;
    sh.out(format!(
        "[INFO] {RULE}\n[INFO] {result}\n[INFO] {RULE}\n[INFO] Total time:  {}.{:03} s\n[INFO] Finished at: {y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z\n[INFO] {RULE}\n",
        millis / 1000,
        millis % 1000
    ))
}

/// Lifecycle phases in order, the ones layerlab acts on marked by their index.
const PHASES: &[&str] = &[
    "validate",
    "initialize",
    "generate-sources",
    "process-resources",
    "compile",
    "process-classes",
    "generate-test-sources",
    "process-test-resources",
    "test-compile",
    "test",
    "prepare-package",
    "package",
    "pre-integration-test",
    "integration-test",
    "post-integration-test",
    "verify",
    "install",
    "deploy",
];

/// The index of lifecycle phase `name` in `PHASES`.
fn phase(name: &str) -> Option<usize> {
    PHASES.iter().position(|p| *p == name)
}

/// Runs the goals; the outer error stops the shell, the inner one is Maven's
/// failure text (stderr). Success counts the work done, for the summary's time.
fn build(sh: &mut Shell<'_>, o: &Options) -> Result<Result<u64, String>, Flow> {
    if !o.quiet {
        sh.out("[INFO] Scanning for projects...\n")?;
    }
    if o.goals.is_empty() {
        return Ok(Err("[ERROR] No goals have been specified for this build. You must specify a valid lifecycle phase or a goal in the format <plugin-prefix>:<goal> or <plugin-group-id>:<plugin-artifact-id>[:<plugin-version>]:<goal>. -> [Help 1]\n".to_string()));
    }
    for goal in &o.goals {
        if !goal.contains(':') && phase(goal).is_none() && goal != "clean" {
            return Ok(Err(format!("[ERROR] Unknown lifecycle phase \"{goal}\". You must specify a valid lifecycle phase or a goal in the format <plugin-prefix>:<goal> or <plugin-group-id>:<plugin-artifact-id>[:<plugin-version>]:<goal>. Available lifecycle phases are: pre-clean, clean, post-clean, {}. -> [Help 1]\n", PHASES.join(", "))));
        }
    }
    // `-f` names the POM or the directory holding it.
    let pom = match &o.file {
        Some(f) if sh.fs.stat(&sh.abs(f)).is_ok_and(|s| s.is_dir()) => {
            format!("{}/pom.xml", sh.abs(f).trim_end_matches('/'))
        }
        Some(f) => sh.abs(f),
        None => format!("{}/pom.xml", sh.state.cwd.trim_end_matches('/')),
    };
    if !sh.fs.exists(&pom) {
        let dir = pom.rsplit_once('/').map_or("/", |(d, _)| d).to_string();
        return Ok(Err(format!("[ERROR] The goal you specified requires a project to execute but there is no POM in this directory ({}). Please verify you invoked Maven from the correct directory. -> [Help 1]\n", if dir.is_empty() { "/" } else { &dir })));
    }
    let project = match read_pom(sh, &pom, o) {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    if project.modules {
        sh.notice(
            NoticeKind::NotSimulated,
            "mvn",
            "a multi-module build (<modules>) is not simulated by layerlab: only the parent POM was read; build each module with -f MODULE/pom.xml",
        );
    }
    if !o.quiet {
        let id = format!("< {}:{} >", project.group, project.artifact);
        let packaging = format!("[ {} ]", project.packaging);
        sh.out(format!(
            "[INFO] \n[INFO] {}\n[INFO] Building {} {}\n[INFO]   from pom.xml\n[INFO] {}\n",
            centered(&id),
            project.artifact,
            project.version,
            centered(&packaging)
        ))?;
    }
    let repo = local_repository(sh, o);
    let mut work = 0;
    for goal in &o.goals {
        let result = match goal.as_str() {
            "clean" => {
                header(sh, o, &project, "clean:3.2.0:clean (default-clean)")?;
                let target = format!("{}/target", project.dir);
                if sh.fs.exists(&target) {
                    if !o.quiet {
                        sh.out(format!("[INFO] Deleting {target}\n"))?;
                    }
                    let _ = sh.fs.remove_all(&target);
                }
                Ok(Ok(1))
            }
            "dependency:go-offline" | "dependency:resolve" | "dependency:resolve-plugins" => {
                header(
                    sh,
                    o,
                    &project,
                    &format!("dependency:3.7.0:{} (default-cli)", &goal[11..]),
                )?;
                go_offline(sh, o, &project, &repo, goal)
            }
            goal => match phase(goal) {
                Some(p) => lifecycle(sh, o, &project, &repo, p),
                None => {
                    sh.notice(
                        NoticeKind::NotSimulated,
                        "mvn",
                        match goal {
                            "spring-boot:run" | "exec:java" => format!("`mvn {goal}` runs the application: running Java bytecode is not simulated by layerlab; treated as success"),
                            _ => format!("`mvn {goal}` is not simulated by layerlab; treated as success"),
                        },
                    );
                    Ok(Ok(1))
                }
            },
        };
        match result? {
            Ok(n) => work += n,
            Err(e) => return Ok(Err(e)),
        }
    }
    Ok(Ok(work))
}

/// `text` centred in a 72-column rule of dashes, as Maven's project header.
fn centered(text: &str) -> String {
    let dashes = 72usize.saturating_sub(text.len() + 2);
    let left = dashes / 2;
    format!("{} {text} {}", "-".repeat(left), "-".repeat(dashes - left))
}

/// `[INFO] --- PLUGIN:VERSION:GOAL (EXECUTION) @ ARTIFACT ---`.
fn header(sh: &mut Shell<'_>, o: &Options, p: &Project, what: &str) -> Result<(), Flow> {
    if o.quiet {
        return Ok(());
    }
    sh.out(format!("[INFO] \n[INFO] --- {what} @ {} ---\n", p.artifact))
}

/// `maven.repo.local`, else `~/.m2/repository`.
/// `maven.repo.local`, else the user settings' `<localRepository>` (`-s FILE` or
/// `~/.m2/settings.xml`: the maven image's `settings-docker.xml` names
/// `/usr/share/maven/ref/repository`), else `~/.m2/repository`.
fn local_repository(sh: &Shell<'_>, o: &Options) -> String {
    let m2 = format!("{}/.m2", sh.home().trim_end_matches('/'));
    let settings = match &o.settings {
        Some(file) => sh.abs(file),
        None => format!("{m2}/settings.xml"),
    };
    let from_settings = || {
        let text = sh.fs.read_file(&settings).ok()?;
        let root = xml::parse(&String::from_utf8_lossy(&text.bytes())).ok()?;
        root.text_of("localRepository").map(|dir| sh.abs(dir))
    };
    match o.prop("maven.repo.local") {
        Some(dir) => sh.abs(dir),
        None => from_settings().unwrap_or_else(|| format!("{m2}/repository")),
    }
}

/// Reads the project's pom.xml; errors are Maven's report of the problem.
fn read_pom(sh: &mut Shell<'_>, path: &str, o: &Options) -> Result<Project, String> {
    let blob = sh
        .fs
        .read_file(path)
        .map_err(|e| format!("[ERROR] Could not read {path}: {}\n", e.kind))?;
    let text = String::from_utf8_lossy(&blob.bytes()).into_owned();
    let problem = |message: String, line: usize, column: usize, fatal: bool| {
        let level = if fatal { "FATAL" } else { "ERROR" };
        format!("[ERROR] [ERROR] Some problems were encountered while processing the POMs:\n[{level}] {message} @ line {line}, column {column}\n @ \n[ERROR] The build could not read 1 project -> [Help 1]\n[ERROR]   \n[ERROR]   The project  ({path}) has 1 error\n[ERROR]     {message} @ line {line}, column {column} -> [Help 2]\n")
    };
    let root = xml::parse(&text).map_err(|e| {
        problem(
            format!("Non-parseable POM {path}: {}", e.message),
            e.line,
            e.column,
            true,
        )
    })?;
    if root.name != "project" {
        return Err(problem(
            format!(
                "Non-parseable POM {path}: Unrecognised tag: '{}'",
                root.name
            ),
            root.line,
            1,
            true,
        ));
    }
    let parent = root.child("parent");
    let from_parent = |key: &str| parent.and_then(|p| p.text_of(key)).map(str::to_string);
    let mut props: Vec<(String, String)> = root
        .child("properties")
        .map(|p| {
            p.children
                .iter()
                .map(|c| (c.name.clone(), c.text.clone()))
                .collect()
        })
        .unwrap_or_default();
    props.extend(o.props.iter().cloned());
    let group = root
        .text_of("groupId")
        .map(str::to_string)
        .or(from_parent("groupId"));
    let version = root
        .text_of("version")
        .map(str::to_string)
        .or(from_parent("version"));
    let artifact = root.text_of("artifactId").map(str::to_string);
    for (key, value) in [
        ("groupId", &group),
        ("artifactId", &artifact),
        ("version", &version),
    ] {
        if value.is_none() {
            return Err(problem(format!("'{key}' is missing."), root.line, 1, false));
        }
    }
    let (group, artifact, version) = (
        group.unwrap_or_default(),
        artifact.unwrap_or_default(),
        version.unwrap_or_default(),
    );
    props.push(("project.groupId".to_string(), group.clone()));
    props.push(("project.artifactId".to_string(), artifact.clone()));
    props.push(("project.version".to_string(), version.clone()));
    if let Some(v) = from_parent("version") {
        props.push(("project.parent.version".to_string(), v));
    }
    let interpolate = |text: &str| interpolate(text, &props);
    // Spring Boot's version, when its parent or BOM manages the dependencies.
    let boot = parent
        .filter(|p| p.text_of("groupId") == Some("org.springframework.boot"))
        .and_then(|p| p.text_of("version"))
        .map(interpolate)
        .or_else(|| {
            root.child("dependencyManagement")
                .and_then(|m| m.child("dependencies"))
                .into_iter()
                .flat_map(|d| d.all("dependency"))
                .find(|d| d.text_of("artifactId") == Some("spring-boot-dependencies"))
                .and_then(|d| d.text_of("version"))
                .map(interpolate)
        });
    let managed: Vec<&Element> = root
        .child("dependencyManagement")
        .and_then(|m| m.child("dependencies"))
        .map(|d| d.all("dependency").collect())
        .unwrap_or_default();
    let mut project = Project {
        dir: path.rsplit_once('/').map_or("", |(d, _)| d).to_string(),
        packaging: root.text_of("packaging").unwrap_or("jar").to_string(),
        modules: root.child("modules").is_some(),
        ..Project::default()
    };
    let mut pending: Vec<Artifact> = Vec::new();
    for dep in root
        .child("dependencies")
        .into_iter()
        .flat_map(|d| d.all("dependency"))
    {
        let (Some(g), Some(a)) = (dep.text_of("groupId"), dep.text_of("artifactId")) else {
            return Err(problem(
                "'dependencies.dependency.groupId' and 'artifactId' are required.".to_string(),
                dep.line,
                1,
                false,
            ));
        };
        let (g, a) = (interpolate(g), interpolate(a));
        let version = match dep.text_of("version") {
            Some(v) => interpolate(v),
            None => {
                let own = managed
                    .iter()
                    .find(|m| {
                        m.text_of("groupId") == Some(&g) && m.text_of("artifactId") == Some(&a)
                    })
                    .and_then(|m| m.text_of("version"))
                    .map(interpolate);
                match (own, &boot) {
                    (Some(v), _) => v,
                    (None, Some(boot)) => managed_by_boot(&g, boot),
                    (None, None) => {
                        return Err(problem(
                            format!(
                                "'dependencies.dependency.version' for {g}:{a}:jar is missing."
                            ),
                            dep.line,
                            1,
                            false,
                        ))
                    }
                }
            }
        };
        let scope = dep.text_of("scope").unwrap_or("compile");
        pending.push(Artifact {
            runtime: matches!(scope, "compile" | "runtime"),
            group: g,
            artifact: a,
            version,
        });
    }
    // Spring Boot's starters bring their own libraries.
    while let Some(dep) = pending.pop() {
        if project
            .deps
            .iter()
            .any(|d| d.group == dep.group && d.artifact == dep.artifact)
        {
            continue;
        }
        if dep.group == "org.springframework.boot" {
            if let Some((_, brings)) = STARTERS.iter().find(|(s, _)| *s == dep.artifact) {
                for b in brings.iter() {
                    let mut parts = b.split(':');
                    let (g, a, v) = match (parts.next(), parts.next(), parts.next()) {
                        (Some(g), Some(a), Some(v)) => (g, a, v),
                        _ => ("org.springframework.boot", *b, dep.version.as_str()),
                    };
                    pending.push(Artifact {
                        group: g.to_string(),
                        artifact: a.to_string(),
                        version: v.to_string(),
                        runtime: dep.runtime,
                    });
                }
            }
        }
        project.deps.push(dep);
    }
    crate::sort::sort_by(&mut project.deps, |a, b| {
        (&a.group, &a.artifact).cmp(&(&b.group, &b.artifact))
    });
    let plugins: Vec<&Element> = root
        .child("build")
        .and_then(|b| b.child("plugins"))
        .map(|p| p.all("plugin").collect())
        .unwrap_or_default();
    for plugin in &plugins {
        if plugin.text_of("artifactId") == Some("spring-boot-maven-plugin") {
            project.boot_plugin = plugin
                .text_of("version")
                .map(interpolate)
                .or_else(|| boot.clone())
                .or(Some("3.3.5".to_string()));
        }
        let name = plugin.text_of("artifactId").unwrap_or_default().to_string();
        if let Some(main) = find_text(plugin, "mainClass") {
            project.mains.push((name.clone(), interpolate(&main)));
        }
        // maven-shade-plugin's `shade` and maven-assembly-plugin's `single` goals,
        // bound in an execution (the assembly with `jar-with-dependencies`).
        let bound = match name.as_str() {
            "maven-shade-plugin" => find_text(plugin, "goal").as_deref() == Some("shade"),
            "maven-assembly-plugin" => {
                find_text(plugin, "goal").as_deref() == Some("single")
                    && find_text(plugin, "descriptorRef").as_deref()
                        == Some("jar-with-dependencies")
            }
            _ => false,
        };
        if bound {
            let id = plugin
                .child("executions")
                .and_then(|e| e.child("execution"))
                .and_then(|e| e.text_of("id"))
                .unwrap_or("default");
            project.mergers.push((name, id.to_string()));
        }
    }
    if let Some((_, start)) = props.iter().find(|(k, _)| k == "start-class") {
        project
            .mains
            .push(("spring-boot-maven-plugin".to_string(), start.clone()));
    }
    project.release = [
        "maven.compiler.release",
        "java.version",
        "maven.compiler.target",
    ]
    .iter()
    .find_map(|k| {
        props
            .iter()
            .find(|(p, _)| p == k)
            .map(|(_, v)| interpolate(v))
    });
    let final_name = root
        .child("build")
        .and_then(|b| b.text_of("finalName"))
        .map(interpolate)
        .unwrap_or_else(|| format!("{artifact}-{version}"));
    project.final_name = final_name;
    project.group = group;
    project.artifact = artifact;
    project.version = version;
    Ok(project)
}

/// The text of the first element named `name` anywhere below `el`.
fn find_text(el: &Element, name: &str) -> Option<String> {
    el.children.iter().find_map(|c| {
        if c.name == name && !c.text.is_empty() {
            Some(c.text.clone())
        } else {
            find_text(c, name)
        }
    })
}

/// `${name}` replaced by the property's value (unknown ones are left).
fn interpolate(text: &str, props: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for _ in 0..4 {
        if !out.contains("${") {
            break;
        }
        for (k, v) in props.iter().rev() {
            out = out.replace(&format!("${{{k}}}"), v);
        }
    }
    out
}

/// The version Spring Boot's BOM gives a dependency the pom leaves unversioned:
/// Spring Boot's own for its group, the 3.3 line's for a few common libraries,
/// and otherwise Spring Boot's version (layerlab does not hold the whole BOM).
fn managed_by_boot(group: &str, boot: &str) -> String {
    match group {
        "org.projectlombok" => "1.18.34",
        "com.h2database" => "2.2.224",
        "org.postgresql" => "42.7.4",
        "com.mysql" => "8.3.0",
        "org.springframework" => "6.1.14",
        _ => boot,
    }
    .to_string()
}

/// The plugins a build uses: the lifecycle's, and Spring Boot's when the pom
/// names it.
fn plugins(p: &Project) -> Vec<Artifact> {
    let mut out: Vec<Artifact> = PLUGINS
        .iter()
        .map(|(a, v)| Artifact {
            group: "org.apache.maven.plugins".to_string(),
            artifact: a.to_string(),
            version: v.to_string(),
            runtime: false,
        })
        .collect();
    for (plugin, _) in &p.mergers {
        let version = if plugin == "maven-shade-plugin" {
            "3.6.0"
        } else {
            "3.7.1"
        };
        out.push(Artifact {
            group: "org.apache.maven.plugins".to_string(),
            artifact: plugin.clone(),
            version: version.to_string(),
            runtime: false,
        });
    }
    if let Some(boot) = &p.boot_plugin {
        out.push(Artifact {
            group: "org.springframework.boot".to_string(),
            artifact: "spring-boot-maven-plugin".to_string(),
            version: boot.clone(),
            runtime: false,
        });
    }
    out
}

/// Makes sure `artifacts` are in the local repository: downloads (placeholders)
/// what is missing, or fails offline as Maven does.
fn resolve(
    sh: &mut Shell<'_>,
    o: &Options,
    p: &Project,
    repo: &str,
    artifacts: &[Artifact],
) -> Result<Result<u64, String>, Flow> {
    let missing: Vec<&Artifact> = artifacts
        .iter()
        .filter(|a| {
            !sh.fs
                .exists(&format!("{repo}/{}/{}", a.dir(), a.jar_name()))
        })
        .collect();
    if missing.is_empty() {
        return Ok(Ok(0));
    }
    if o.offline {
        let a = missing[0];
        return Ok(Err(format!("[ERROR] Failed to execute goal on project {}: Could not resolve dependencies for project {}:{}:{}:{}: The following artifacts could not be resolved: {} (absent): Cannot access central ({CENTRAL}) in offline mode and the artifact {} has not been downloaded from it before. -> [Help 1]\n", p.artifact, p.group, p.artifact, p.packaging, p.version, a.id(), a.id())));
    }
    for a in &missing {
        let dir = format!("{repo}/{}", a.dir());
        let jar = a.jar_name();
        let pom = format!("{}-{}.pom", a.artifact, a.version);
        let size = a.size();
        sh.charge(size as usize)?;
        put(
            sh,
            &format!("{dir}/{jar}"),
            Blob::generated(size, seed(&[&a.id()])),
        );
        let pom_text = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- layerlab placeholder: the POM of {} as Maven Central holds it is not reproduced -->\n<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>{}</groupId>\n  <artifactId>{}</artifactId>\n  <version>{}</version>\n</project>\n", a.id(), a.group, a.artifact, a.version);
        put(
            sh,
            &format!("{dir}/{pom}"),
            Blob::from_bytes(pom_text.into_bytes()),
        );
        put(
            sh,
            &format!("{dir}/_remote.repositories"),
            Blob::from_bytes(format!("#NOTE: This is a Maven Resolver internal implementation file, its format can be changed without prior notice.\n{jar}>central=\n{pom}>central=\n").into_bytes()),
        );
        if !o.quiet && !o.no_transfer {
            sh.out(format!(
                "[INFO] Downloaded from central: {CENTRAL}/{}/{jar} ({} kB)\n",
                a.dir(),
                size.div_ceil(1000)
            ))?;
        }
    }
    sh.notice(
        NoticeKind::Simulated,
        "mvn",
        format!(
            "simulated: {} artifacts 'downloaded' into {repo} are placeholder jars and POMs of realistic sizes (nothing was fetched)",
            missing.len()
        ),
    );
    Ok(Ok(missing.len() as u64))
}

/// The files and directories below `dir`: path relative to `dir`, whether a
/// directory, and size (empty when `dir` is missing).
fn below(sh: &Shell<'_>, dir: &str) -> Vec<(String, bool, u64)> {
    let Ok(real) = sh.fs.canonicalize(dir) else {
        return Vec::new();
    };
    let prefix = format!("{}/", real.trim_matches('/'));
    sh.fs
        .walk(&real)
        .map(|entries| {
            entries
                .into_iter()
                .filter_map(|e| {
                    let rel = e.path.strip_prefix(&prefix)?.to_string();
                    Some((rel, e.stat.is_dir(), e.stat.size()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Writes `blob` at `path` as the running user, creating the parents.
fn put(sh: &mut Shell<'_>, path: &str, blob: Blob) {
    if let Some((dir, _)) = path.rsplit_once('/') {
        let meta = sh.dir_meta();
        let _ = sh.fs.mkdir_all(dir, meta);
    }
    let meta = sh.file_meta();
    let _ = sh.fs.write_file(path, blob, meta);
}

/// `dependency:go-offline` (plugins and dependencies), `resolve` (dependencies)
/// and `resolve-plugins`.
fn go_offline(
    sh: &mut Shell<'_>,
    o: &Options,
    p: &Project,
    repo: &str,
    goal: &str,
) -> Result<Result<u64, String>, Flow> {
    let mut wanted = Vec::new();
    if goal != "dependency:resolve" {
        wanted.extend(plugins(p));
    }
    if goal != "dependency:resolve-plugins" {
        wanted.extend(p.deps.iter().cloned());
    }
    let fetched = match resolve(sh, o, p, repo, &wanted)? {
        Ok(n) => n,
        Err(e) => return Ok(Err(e)),
    };
    if !o.quiet {
        let mut lines = String::new();
        for a in &wanted {
            let kind =
                if a.group == "org.apache.maven.plugins" || a.artifact.ends_with("-maven-plugin") {
                    "plugin"
                } else {
                    "dependency"
                };
            lines.push_str(&format!("[INFO] Resolved {kind}: {}\n", a.jar_name()));
        }
        sh.out(lines)?;
    }
    Ok(Ok(1 + fetched))
}

/// The default lifecycle up to phase `upto`.
fn lifecycle(
    sh: &mut Shell<'_>,
    o: &Options,
    p: &Project,
    repo: &str,
    upto: usize,
) -> Result<Result<u64, String>, Flow> {
    let mut needed = plugins(p);
    needed.extend(p.deps.iter().cloned());
    let mut work = match resolve(sh, o, p, repo, &needed)? {
        Ok(n) => n,
        Err(e) => return Ok(Err(e)),
    };
    if p.packaging == "pom" {
        if upto >= phase("install").unwrap_or(usize::MAX) {
            header(sh, o, p, "install:3.1.2:install (default-install)")?;
            install(sh, o, p, repo, None)?;
        }
        return Ok(Ok(work + 1));
    }
    let target = format!("{}/target", p.dir);
    if upto >= phase("process-resources").unwrap_or(0) {
        header(sh, o, p, "resources:3.3.1:resources (default-resources)")?;
        resources(sh, o, p, "main", "classes")?;
    }
    if upto >= phase("compile").unwrap_or(0) {
        header(sh, o, p, "compiler:3.13.0:compile (default-compile)")?;
        work += compile(sh, o, p, "main", "classes")?;
    }
    let skip_all = o.prop("maven.test.skip").is_some_and(|v| v != "false");
    if upto >= phase("test-compile").unwrap_or(0) {
        header(
            sh,
            o,
            p,
            "resources:3.3.1:testResources (default-testResources)",
        )?;
        if skip_all {
            if !o.quiet {
                sh.out("[INFO] Not copying test resources\n")?;
            }
        } else {
            resources(sh, o, p, "test", "test-classes")?;
        }
        header(
            sh,
            o,
            p,
            "compiler:3.13.0:testCompile (default-testCompile)",
        )?;
        if skip_all {
            if !o.quiet {
                sh.out("[INFO] Not compiling test sources\n")?;
            }
        } else {
            work += compile(sh, o, p, "test", "test-classes")?;
        }
    }
    if upto >= phase("test").unwrap_or(0) {
        header(sh, o, p, "surefire:3.2.5:test (default-test)")?;
        if o.skip_tests() {
            if !o.quiet {
                sh.out("[INFO] Tests are skipped.\n")?;
            }
        } else {
            sh.notice(
                NoticeKind::NotSimulated,
                "mvn",
                "tests are not run by layerlab (surefire is not simulated); the build goes on as if they passed",
            );
        }
    }
    if upto >= phase("package").unwrap_or(0) {
        if p.packaging == "war" {
            war(sh, o, p, repo)?;
        } else {
            package_jar(sh, o, p, repo)?;
        }
        for (plugin, id) in &p.mergers {
            merge(sh, o, p, repo, plugin, id)?;
        }
        work += 2;
    }
    if upto >= phase("install").unwrap_or(usize::MAX) {
        header(sh, o, p, "install:3.1.2:install (default-install)")?;
        install(
            sh,
            o,
            p,
            repo,
            Some(format!(
                "{target}/{}.{}",
                p.final_name,
                if p.packaging == "war" { "war" } else { "jar" }
            )),
        )?;
    }
    if upto >= phase("deploy").unwrap_or(usize::MAX) {
        sh.notice(
            NoticeKind::NotSimulated,
            "mvn",
            "deploy is not simulated by layerlab (nothing is uploaded); treated as success",
        );
    }
    Ok(Ok(work + 1))
}

/// The resources plugin: `src/SET/resources` copied into `target/OUT`, or
/// Maven's note that the directory does not exist.
fn resources(
    sh: &mut Shell<'_>,
    o: &Options,
    p: &Project,
    set: &str,
    out: &str,
) -> Result<(), Flow> {
    let from = format!("{}/src/{set}/resources", p.dir);
    if !sh.fs.exists(&from) {
        if !o.quiet {
            sh.out(format!(
                "[INFO] skip non existing resourceDirectory {from}\n"
            ))?;
        }
        return Ok(());
    }
    let copied = copy_tree(sh, &from, &format!("{}/target/{out}", p.dir))?;
    if !o.quiet {
        let plural = if copied == 1 { "" } else { "s" };
        sh.out(format!(
            "[INFO] Copying {copied} resource{plural} from src/{set}/resources to target/{out}\n"
        ))?;
    }
    Ok(())
}

/// maven-jar-plugin's jar, then Spring Boot's repackaging when the pom uses its
/// plugin (the plain jar kept as `NAME.jar.original`).
fn package_jar(sh: &mut Shell<'_>, o: &Options, p: &Project, repo: &str) -> Result<(), Flow> {
    header(sh, o, p, "jar:3.4.1:jar (default-jar)")?;
    let target = format!("{}/target", p.dir);
    let jar = format!("{target}/{}.jar", p.final_name);
    if !o.quiet {
        sh.out(format!("[INFO] Building jar: {jar}\n"))?;
    }
    let plain = jar_entries(sh, p, &target, Packing::Plain, repo)?;
    let bytes = zip::write_stored(&plain, sh.ctx.mtime);
    sh.charge(bytes.len())?;
    put(sh, &jar, Blob::from_bytes(bytes));
    let Some(boot) = &p.boot_plugin else {
        return Ok(());
    };
    header(
        sh,
        o,
        p,
        &format!("spring-boot:{boot}:repackage (repackage)"),
    )?;
    if !o.quiet {
        sh.out(format!("[INFO] Replacing main artifact {jar} with repackaged archive, adding nested dependencies in BOOT-INF/.\n[INFO] The original artifact has been renamed to {jar}.original\n"))?;
    }
    let _ = sh.fs.rename(&jar, &format!("{jar}.original"));
    let fat = jar_entries(sh, p, &target, Packing::Boot, repo)?;
    let bytes = zip::write_stored(&fat, sh.ctx.mtime);
    sh.charge(bytes.len())?;
    put(sh, &jar, Blob::from_bytes(bytes));
    Ok(())
}

/// Copies the files below `from` into `to` (Maven's resource copy, unfiltered);
/// returns how many.
fn copy_tree(sh: &mut Shell<'_>, from: &str, to: &str) -> Result<u64, Flow> {
    let mut count = 0;
    for (rel, dir, _) in below(sh, from) {
        if dir {
            continue;
        }
        let Ok(blob) = sh.fs.read_file(&format!("{from}/{rel}")) else {
            continue;
        };
        sh.charge(blob.len() as usize)?;
        put(sh, &format!("{to}/{rel}"), blob);
        count += 1;
    }
    Ok(count)
}

/// Writes a placeholder class file for each `.java` under `src/SET/java` into
/// `target/OUT`; returns how many.
fn compile(
    sh: &mut Shell<'_>,
    o: &Options,
    p: &Project,
    set: &str,
    out: &str,
) -> Result<u64, Flow> {
    let src = format!("{}/src/{set}/java", p.dir);
    let sources: Vec<(String, u64)> = below(sh, &src)
        .into_iter()
        .filter(|(path, dir, _)| path.ends_with(".java") && !dir)
        .map(|(path, _, size)| (path, size))
        .collect();
    if sources.is_empty() {
        if !o.quiet {
            sh.out("[INFO] No sources to compile\n")?;
        }
        return Ok(0);
    }
    let release = p.release.clone().unwrap_or_else(|| {
        let home = sh
            .var("JAVA_HOME")
            .unwrap_or("/opt/java/openjdk")
            .to_string();
        super::java::release_of(sh, &format!("{home}/bin/java"))
            .map(|r| r.version.split('.').next().unwrap_or("17").to_string())
            .unwrap_or_else(|| "17".to_string())
    });
    if !o.quiet {
        let plural = if sources.len() == 1 { "" } else { "s" };
        let parameters = if p.boot_plugin.is_some() {
            "parameters "
        } else {
            ""
        };
        sh.out(format!(
            "[INFO] Compiling {} source file{plural} with javac [debug {parameters}release {release}] to target/{out}\n",
            sources.len()
        ))?;
    }
    // Class file major version: Java 8 is 52, each release adds one.
    let major = 44 + release.trim_start_matches("1.").parse::<u8>().unwrap_or(17);
    for (path, size) in &sources {
        let class = format!(
            "{}/target/{out}/{}.class",
            p.dir,
            path.trim_end_matches(".java")
        );
        let head = vec![0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, major];
        let blob = Blob::generated_with_head(head, 400 + size * 7 / 10, seed(&[&class]));
        put(sh, &class, blob);
    }
    sh.notice(
        NoticeKind::Simulated,
        "mvn",
        format!(
            "simulated: javac compiled nothing; target/{out} holds a placeholder class file for each of the {} source file(s)",
            sources.len()
        ),
    );
    Ok(sources.len() as u64)
}

/// The entries of the project's jar: Maven's plain one, or Spring Boot's
/// repackaged one (classes under `BOOT-INF/classes`, the runtime dependencies'
/// jars under `BOOT-INF/lib`, its launcher at the root).
fn jar_entries(
    sh: &mut Shell<'_>,
    p: &Project,
    target: &str,
    packing: Packing<'_>,
    repo: &str,
) -> Result<Vec<(String, Vec<u8>)>, Flow> {
    let release = p.release.clone().unwrap_or_else(|| "17".to_string());
    let mut manifest = format!(
        "Manifest-Version: 1.0\r\nCreated-By: Maven JAR Plugin 3.4.1\r\nBuild-Jdk-Spec: {release}\r\n"
    );
    let main_of = |plugin: &str| {
        p.mains
            .iter()
            .find(|(name, _)| name == plugin)
            .map(|(_, main)| main.clone())
    };
    let boot = packing == Packing::Boot;
    let main = match packing {
        Packing::Plain | Packing::War => main_of("maven-jar-plugin"),
        Packing::Boot => main_of("spring-boot-maven-plugin").or_else(|| find_application(sh, p)),
        Packing::Merged(plugin) => main_of(plugin).or_else(|| main_of("maven-jar-plugin")),
    };
    if boot {
        let version = p.boot_plugin.clone().unwrap_or_default();
        manifest.push_str("Main-Class: org.springframework.boot.loader.launch.JarLauncher\r\n");
        if let Some(s) = main {
            manifest.push_str(&format!("Start-Class: {s}\r\n"));
        }
        manifest.push_str(&format!("Spring-Boot-Version: {version}\r\nSpring-Boot-Classes: BOOT-INF/classes/\r\nSpring-Boot-Lib: BOOT-INF/lib/\r\nSpring-Boot-Classpath-Index: BOOT-INF/classpath.idx\r\nSpring-Boot-Layers-Index: BOOT-INF/layers.idx\r\n"));
    } else if let Some(main) = main {
        manifest.push_str(&format!("Main-Class: {main}\r\n"));
    }
    manifest.push_str("\r\n");
    let mut entries = vec![
        ("META-INF/".to_string(), Vec::new()),
        ("META-INF/MANIFEST.MF".to_string(), manifest.into_bytes()),
    ];
    let prefix = match packing {
        Packing::Boot => "BOOT-INF/classes/",
        Packing::War => "WEB-INF/classes/",
        _ => "",
    };
    if packing == Packing::War {
        let webapp = format!("{}/src/main/webapp", p.dir);
        for (rel, dir, _) in below(sh, &webapp) {
            if let (false, Ok(blob)) = (dir, sh.fs.read_file(&format!("{webapp}/{rel}"))) {
                sh.charge(blob.len() as usize)?;
                entries.push((rel, blob.bytes().into_owned()));
            }
        }
        for a in p.deps.iter().filter(|a| a.runtime) {
            let path = format!("{repo}/{}/{}", a.dir(), a.jar_name());
            if let Ok(blob) = sh.fs.read_file(&path) {
                sh.charge(blob.len() as usize)?;
                entries.push((
                    format!("WEB-INF/lib/{}", a.jar_name()),
                    blob.bytes().into_owned(),
                ));
            }
        }
    }
    let classes = format!("{target}/classes");
    for (rel, dir, _) in below(sh, &classes) {
        let name = format!("{prefix}{rel}");
        if dir {
            entries.push((format!("{name}/"), Vec::new()));
        } else if let Ok(blob) = sh.fs.read_file(&format!("{classes}/{rel}")) {
            sh.charge(blob.len() as usize)?;
            entries.push((name, blob.bytes().into_owned()));
        }
    }
    let pom = sh
        .fs
        .read_file(&format!("{}/pom.xml", p.dir))
        .map(|b| b.bytes().into_owned())
        .unwrap_or_default();
    let maven = format!("META-INF/maven/{}/{}", p.group, p.artifact);
    entries.push((format!("{maven}/pom.xml"), pom));
    entries.push((
        format!("{maven}/pom.properties"),
        format!(
            "artifactId={}\ngroupId={}\nversion={}\n",
            p.artifact, p.group, p.version
        )
        .into_bytes(),
    ));
    if let Packing::Merged(_) = packing {
        // The dependencies' classes are not known: one placeholder entry stands
        // for each, beside its real-shaped pom.properties.
        for a in p.deps.iter().filter(|a| a.runtime) {
            let path = format!("{repo}/{}/{}", a.dir(), a.jar_name());
            if let Ok(blob) = sh.fs.read_file(&path) {
                sh.charge(blob.len() as usize)?;
                let meta = format!("META-INF/maven/{}/{}", a.group, a.artifact);
                entries.push((
                    format!("{meta}/pom.properties"),
                    format!(
                        "artifactId={}\ngroupId={}\nversion={}\n",
                        a.artifact, a.group, a.version
                    )
                    .into_bytes(),
                ));
                entries.push((
                    format!(
                        "{}/{}.layerlab-placeholder-classes",
                        a.group.replace('.', "/"),
                        a.artifact
                    ),
                    blob.bytes().into_owned(),
                ));
            }
        }
    }
    if boot {
        let mut index = String::new();
        for a in p.deps.iter().filter(|a| a.runtime) {
            let path = format!("{repo}/{}/{}", a.dir(), a.jar_name());
            if let Ok(blob) = sh.fs.read_file(&path) {
                sh.charge(blob.len() as usize)?;
                entries.push((
                    format!("BOOT-INF/lib/{}", a.jar_name()),
                    blob.bytes().into_owned(),
                ));
                index.push_str(&format!("- \"BOOT-INF/lib/{}\"\n", a.jar_name()));
            }
        }
        entries.push(("BOOT-INF/classpath.idx".to_string(), index.into_bytes()));
        entries.push((
            "BOOT-INF/layers.idx".to_string(),
            b"- \"dependencies\":\n  - \"BOOT-INF/lib/\"\n- \"spring-boot-loader\":\n  - \"org/\"\n- \"snapshot-dependencies\":\n- \"application\":\n  - \"BOOT-INF/classes/\"\n  - \"BOOT-INF/classpath.idx\"\n  - \"BOOT-INF/layers.idx\"\n  - \"META-INF/\"\n".to_vec(),
        ));
        let launcher = Blob::generated(
            5_400,
            seed(&["JarLauncher", &p.boot_plugin.clone().unwrap_or_default()]),
        );
        entries.push((
            "org/springframework/boot/loader/launch/JarLauncher.class".to_string(),
            launcher.bytes().into_owned(),
        ));
    }
    Ok(entries)
}

/// Which jar `jar_entries` writes.
#[derive(Clone, Copy, PartialEq)]
enum Packing<'a> {
    /// maven-jar-plugin's.
    Plain,
    /// Spring Boot's repackaged one.
    Boot,
    /// The shade or assembly plugin's, named, with the dependencies merged in.
    Merged(&'a str),
    /// maven-war-plugin's web application archive.
    War,
}

/// maven-war-plugin: the webapp assembled in `target/NAME/` (classes under
/// `WEB-INF/classes`, runtime libraries under `WEB-INF/lib`, `src/main/webapp` at
/// the root) and archived as `target/NAME.war`.
fn war(sh: &mut Shell<'_>, o: &Options, p: &Project, repo: &str) -> Result<(), Flow> {
    header(sh, o, p, "war:3.4.0:war (default-war)")?;
    let target = format!("{}/target", p.dir);
    let (exploded, archive) = (
        format!("{target}/{}", p.final_name),
        format!("{target}/{}.war", p.final_name),
    );
    if !o.quiet {
        sh.out(format!("[INFO] Packaging webapp\n[INFO] Assembling webapp [{}] in [{exploded}]\n[INFO] Processing war project\n[INFO] Building war: {archive}\n", p.artifact))?;
    }
    let entries = jar_entries(sh, p, &target, Packing::War, repo)?;
    for (name, data) in &entries {
        if !name.ends_with('/') {
            put(
                sh,
                &format!("{exploded}/{name}"),
                Blob::from_bytes(data.clone()),
            );
        }
    }
    let bytes = zip::write_stored(&entries, sh.ctx.mtime);
    sh.charge(bytes.len() * 2)?;
    put(sh, &archive, Blob::from_bytes(bytes));
    Ok(())
}

/// maven-shade-plugin's `shade` (the main jar replaced, the original kept as
/// `original-NAME.jar`) or maven-assembly-plugin's `jar-with-dependencies`
/// (`NAME-jar-with-dependencies.jar` beside it).
fn merge(
    sh: &mut Shell<'_>,
    o: &Options,
    p: &Project,
    repo: &str,
    plugin: &str,
    id: &str,
) -> Result<(), Flow> {
    let target = format!("{}/target", p.dir);
    let jar = format!("{target}/{}.jar", p.final_name);
    let shade = plugin == "maven-shade-plugin";
    let goal = if shade {
        "shade:3.6.0:shade"
    } else {
        "assembly:3.7.1:single"
    };
    header(sh, o, p, &format!("{goal} ({id})"))?;
    let entries = jar_entries(sh, p, &target, Packing::Merged(plugin), repo)?;
    let bytes = zip::write_stored(&entries, sh.ctx.mtime);
    sh.charge(bytes.len())?;
    let mut log = String::new();
    if shade {
        for a in p.deps.iter().filter(|a| a.runtime) {
            log.push_str(&format!("[INFO] Including {} in the shaded jar.\n", a.id()));
        }
        let shaded = format!("{target}/{}-shaded.jar", p.final_name);
        log.push_str(&format!(
            "[INFO] Replacing original artifact with shaded artifact.\n[INFO] Replacing {jar} with {shaded}\n"
        ));
        let _ = sh
            .fs
            .rename(&jar, &format!("{target}/original-{}.jar", p.final_name));
        put(sh, &jar, Blob::from_bytes(bytes));
    } else {
        let out = format!("{target}/{}-jar-with-dependencies.jar", p.final_name);
        log.push_str(&format!("[INFO] Building jar: {out}\n"));
        put(sh, &out, Blob::from_bytes(bytes));
    }
    if !o.quiet {
        sh.out(log)?;
    }
    sh.notice(
        NoticeKind::Simulated,
        "mvn",
        format!("simulated: {plugin} merged no classes; each dependency is one placeholder entry in the jar"),
    );
    Ok(())
}

/// The class Spring Boot would start: the source under `src/main/java` that holds
/// `@SpringBootApplication`, named by its package and file.
fn find_application(sh: &Shell<'_>, p: &Project) -> Option<String> {
    let src = format!("{}/src/main/java", p.dir);
    below(sh, &src).into_iter().find_map(|(rel, _, _)| {
        let path = rel.strip_suffix(".java")?;
        let text = sh.fs.read_file(&format!("{src}/{rel}")).ok()?;
        String::from_utf8_lossy(&text.bytes())
            .contains("@SpringBootApplication")
            .then(|| path.replace('/', "."))
    })
}

/// `install`: the jar (if any) and the pom into the local repository.
fn install(
    sh: &mut Shell<'_>,
    o: &Options,
    p: &Project,
    repo: &str,
    jar: Option<String>,
) -> Result<(), Flow> {
    let dir = format!(
        "{repo}/{}/{}/{}",
        p.group.replace('.', "/"),
        p.artifact,
        p.version
    );
    let pom_to = format!("{dir}/{}-{}.pom", p.artifact, p.version);
    if let Ok(pom) = sh.fs.read_file(&format!("{}/pom.xml", p.dir)) {
        put(sh, &pom_to, pom);
        if !o.quiet {
            sh.out(format!("[INFO] Installing {}/pom.xml to {pom_to}\n", p.dir))?;
        }
    }
    if let Some(jar) = jar {
        if let Ok(blob) = sh.fs.read_file(&jar) {
            let ext = jar.rsplit('.').next().unwrap_or("jar");
            let to = format!("{dir}/{}-{}.{ext}", p.artifact, p.version);
            put(sh, &to, blob);
            if !o.quiet {
                sh.out(format!("[INFO] Installing {jar} to {to}\n"))?;
            }
        }
    }
    Ok(())
}
