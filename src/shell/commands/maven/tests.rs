use super::super::{xml, zip};
use crate::shell::{run, Invocation, NoticeKind, RunOutcome, ShellContext};
use crate::vfs::blob::Blob;
use crate::vfs::{Meta, Vfs};

const NOW: i64 = 1_732_000_000;

/// The top filesystem and environment of a catalog image.
fn image(name: &str) -> (Vfs, Vec<(String, String)>) {
    let image = crate::catalog::resolve(name).expect("catalog image");
    let fs = image.layers.last().expect("layers").fs_after.clone();
    let env = image
        .config
        .env
        .iter()
        .filter_map(|e| e.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    (fs, env)
}

fn sh(fs: &mut Vfs, env: &[(String, String)], script: &str) -> RunOutcome {
    let mut env = env.to_vec();
    env.push(("HOME".to_string(), "/root".to_string()));
    let ctx = ShellContext {
        env,
        workdir: "/app".to_string(),
        mtime: NOW,
        ..ShellContext::default()
    };
    run(fs, &Invocation::Script(script.to_string()), &ctx)
}

fn stdout(out: &RunOutcome) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &RunOutcome) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn put(fs: &mut Vfs, path: &str, text: &str) {
    let parent = path.rsplit_once('/').map_or("/", |(d, _)| d);
    fs.mkdir_all(parent, Meta::new(0o755)).unwrap();
    fs.write_file(
        path,
        Blob::from_bytes(text.as_bytes().to_vec()),
        Meta::new(0o644),
    )
    .unwrap();
}

/// Spring Initializr's pom, trimmed: the parent manages the versions.
const POM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.3.5</version>
    <relativePath/> <!-- lookup parent from repository -->
  </parent>
  <groupId>com.example</groupId>
  <artifactId>demo</artifactId>
  <version>0.0.1-SNAPSHOT</version>
  <name>demo &amp; co</name>
  <properties>
    <java.version>17</java.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-web</artifactId>
    </dependency>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-test</artifactId>
      <scope>test</scope>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-maven-plugin</artifactId>
      </plugin>
    </plugins>
  </build>
</project>
"#;

const APP: &str = "package com.example.demo;\n\nimport org.springframework.boot.autoconfigure.SpringBootApplication;\n\n@SpringBootApplication\npublic class DemoApplication {\n    public static void main(String[] args) {}\n}\n";

#[test]
fn the_xml_reader_reads_poms_and_points_at_mistakes() {
    let root = xml::parse(POM).unwrap();
    assert_eq!(root.name, "project");
    assert_eq!(root.text_of("name"), Some("demo & co"));
    assert_eq!(root.child("parent").unwrap().line, 4);
    assert_eq!(
        root.child("dependencies")
            .unwrap()
            .all("dependency")
            .count(),
        2
    );
    let e = xml::parse("<project>\n  <version>1</versio>\n</project>").unwrap_err();
    assert_eq!(
        (e.message.as_str(), e.line),
        (
            "end tag name </versio> must match start tag name <version> from line 2",
            2
        )
    );
    let e = xml::parse("<project>\n  <a>").unwrap_err();
    assert!(e.message.contains("expected end tag </a>"), "{e:?}");
    assert!(xml::parse("<a>&nbsp;</a>")
        .unwrap_err()
        .message
        .contains("'nbsp'"));
}

/// Broken documents are errors, never panics: every prefix of a POM, and the POM
/// with each character replaced by one that XML treats specially.
#[test]
fn the_xml_reader_never_panics_on_cut_or_mangled_documents() {
    for (i, _) in POM.char_indices() {
        let _ = xml::parse(&POM[..i]);
        for c in ["<", ">", "&", "\"", "/", "!", "?"] {
            let mangled = format!("{}{c}{}", &POM[..i], &POM[i + 1..]);
            let _ = xml::parse(&mangled);
        }
    }
    assert!(xml::parse("<a b=\"1>").is_err());
    let deep = "<a>".repeat(100_000);
    assert!(xml::parse(&deep)
        .unwrap_err()
        .message
        .contains("nested more than 200 deep"));
}

#[test]
fn jars_are_real_zips_whose_entries_read_back_stored_or_deflated() {
    let entries = vec![
        ("META-INF/".to_string(), Vec::new()),
        (
            "META-INF/MANIFEST.MF".to_string(),
            b"Manifest-Version: 1.0\r\n".to_vec(),
        ),
        ("a/B.class".to_string(), vec![0xCA, 0xFE, 0xBA, 0xBE]),
    ];
    let bytes = zip::write_stored(&entries, NOW);
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    assert_eq!(
        zip::read_stored(&bytes, "a/B.class"),
        Some(vec![0xCA, 0xFE, 0xBA, 0xBE])
    );
    assert_eq!(
        zip::read_stored(&bytes, "META-INF/MANIFEST.MF").as_deref(),
        Some(&b"Manifest-Version: 1.0\r\n"[..])
    );
    assert_eq!(zip::read_stored(&bytes, "missing"), None);
    // A jar written by Python's zipfile with a deflated manifest, as real jars are.
    let deflated: &[u8] = &[
        80, 75, 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 33, 88, 43, 99, 157, 252, 88, 0, 0, 0, 89, 0, 0, 0,
        20, 0, 0, 0, 77, 69, 84, 65, 45, 73, 78, 70, 47, 77, 65, 78, 73, 70, 69, 83, 84, 46, 77,
        70, 243, 77, 204, 203, 76, 75, 45, 46, 209, 13, 75, 45, 42, 206, 204, 207, 179, 82, 48,
        212, 51, 224, 229, 242, 77, 204, 204, 211, 117, 206, 73, 44, 46, 182, 82, 200, 72, 205,
        201, 201, 215, 3, 137, 240, 114, 57, 23, 165, 38, 150, 164, 166, 232, 58, 85, 2, 21, 154,
        235, 25, 232, 25, 26, 43, 104, 184, 38, 231, 100, 22, 20, 167, 42, 56, 166, 228, 23, 148,
        100, 150, 230, 106, 242, 114, 241, 114, 1, 0, 80, 75, 1, 2, 20, 3, 20, 0, 0, 0, 8, 0, 0, 0,
        33, 88, 43, 99, 157, 252, 88, 0, 0, 0, 89, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        128, 1, 0, 0, 0, 0, 77, 69, 84, 65, 45, 73, 78, 70, 47, 77, 65, 78, 73, 70, 69, 83, 84, 46,
        77, 70, 80, 75, 5, 6, 0, 0, 0, 0, 1, 0, 1, 0, 66, 0, 0, 0, 138, 0, 0, 0, 0, 0,
    ];
    assert_eq!(
        zip::read_stored(deflated, "META-INF/MANIFEST.MF").as_deref(),
        Some(&b"Manifest-Version: 1.0\r\nMain-Class: hello.Main\r\nCreated-By: 17.0.13 (Eclipse Adoptium)\r\n\r\n"[..])
    );
    assert_eq!(zip::read_stored(b"not a zip at all, no", "a"), None);
}

#[test]
fn java_prints_temurin_s_banner_and_does_not_pretend_to_run_bytecode() {
    let (mut fs, env) = image("eclipse-temurin:21-jre");
    let out = sh(&mut fs, &env, "java -version");
    assert_eq!(out.exit_code, 0);
    assert_eq!(
        stderr(&out),
        "openjdk version \"21.0.5\" 2024-10-15 LTS\nOpenJDK Runtime Environment Temurin-21.0.5+11 (build 21.0.5+11-LTS)\nOpenJDK 64-Bit Server VM Temurin-21.0.5+11 (build 21.0.5+11-LTS, mixed mode, sharing)\n"
    );
    let (mut alpine, alpine_env) = image("eclipse-temurin:21-jre-alpine");
    assert_eq!(
        stderr(&sh(&mut alpine, &alpine_env, "java -version")),
        stderr(&out)
    );
    let (mut fs17, env17) = image("eclipse-temurin:17-jdk");
    let out = sh(&mut fs17, &env17, "java --version; javac --version");
    assert_eq!(
        stdout(&out),
        "openjdk 17.0.13 2024-10-15\nOpenJDK Runtime Environment Temurin-17.0.13+11 (build 17.0.13+11)\nOpenJDK 64-Bit Server VM Temurin-17.0.13+11 (build 17.0.13+11, mixed mode, sharing)\njavac 17.0.13\n"
    );
    let out = sh(&mut fs, &env, "java -jar app.jar");
    assert_eq!(
        (out.exit_code, stderr(&out)),
        (1, "Error: Unable to access jarfile app.jar\n".to_string())
    );
    let plain = zip::write_stored(
        &[(
            "META-INF/MANIFEST.MF".to_string(),
            b"Manifest-Version: 1.0\r\n\r\n".to_vec(),
        )],
        NOW,
    );
    fs.mkdir_all("/app", Meta::new(0o755)).unwrap();
    fs.write_file("/app/app.jar", Blob::from_bytes(plain), Meta::new(0o644))
        .unwrap();
    let out = sh(&mut fs, &env, "java -jar app.jar");
    assert_eq!(
        (out.exit_code, stderr(&out)),
        (1, "no main manifest attribute, in app.jar\n".to_string())
    );
}

#[test]
fn mvn_fails_in_maven_s_words_without_a_pom_or_with_a_broken_one() {
    let (mut fs, env) = image("maven:3.9-eclipse-temurin-17");
    fs.mkdir_all("/app", Meta::new(0o755)).unwrap();
    let out = sh(&mut fs, &env, "mvn package");
    assert_eq!(out.exit_code, 1);
    assert!(stderr(&out).contains("[ERROR] The goal you specified requires a project to execute but there is no POM in this directory (/app)."), "{}", stderr(&out));
    assert!(stdout(&out).contains("[INFO] BUILD FAILURE\n"));
    put(&mut fs, "/app/pom.xml", "<project>\n  <groupId>a</groupId>\n  <artifactId>b</artifactId>\n  <version>1</versio>\n</project>\n");
    let out = sh(&mut fs, &env, "mvn -B package");
    assert_eq!(out.exit_code, 1);
    assert!(stderr(&out).contains("[FATAL] Non-parseable POM /app/pom.xml: end tag name </versio> must match start tag name <version> from line 4 @ line 4, column 21"), "{}", stderr(&out));
    put(
        &mut fs,
        "/app/pom.xml",
        "<project>\n  <groupId>a</groupId>\n  <version>1</version>\n</project>\n",
    );
    assert!(stderr(&sh(&mut fs, &env, "mvn package")).contains("'artifactId' is missing."));
    let out = sh(&mut fs, &env, "mvn pakage");
    assert!(stderr(&out).contains("Unknown lifecycle phase \"pakage\""));
}

#[test]
fn go_offline_fills_the_local_repository_and_package_writes_spring_boot_s_jar() {
    let (mut fs, env) = image("maven:3.9-eclipse-temurin-17");
    put(&mut fs, "/app/pom.xml", POM);
    // Offline with an empty repository fails as Maven does.
    let out = sh(&mut fs, &env, "mvn -o -B package");
    assert_eq!(out.exit_code, 1);
    assert!(
        stderr(&out).contains(
            "Cannot access central (https://repo.maven.apache.org/maven2) in offline mode"
        ),
        "{}",
        stderr(&out)
    );
    let out = sh(&mut fs, &env, "mvn dependency:go-offline");
    assert_eq!(out.exit_code, 0, "{}", stderr(&out));
    let log = stdout(&out);
    assert!(
        log.contains("[INFO] --- dependency:3.7.0:go-offline (default-cli) @ demo ---\n"),
        "{log}"
    );
    assert!(log.contains("[INFO] Resolved dependency: tomcat-embed-core-10.1.31.jar\n"));
    assert!(log.contains("[INFO] Resolved plugin: spring-boot-maven-plugin-3.3.5.jar\n"));
    assert!(log.contains("[INFO] BUILD SUCCESS\n"));
    let repo = "/root/.m2/repository";
    let starter = format!("{repo}/org/springframework/boot/spring-boot-starter-web/3.3.5/spring-boot-starter-web-3.3.5.jar");
    // A starter is a manifest-only jar; tomcat-embed-core weighs what the real one does.
    assert!((4_700..4_900).contains(&fs.read_file(&starter).unwrap().len()));
    let tomcat = format!(
        "{repo}/org/apache/tomcat/embed/tomcat-embed-core/10.1.31/tomcat-embed-core-10.1.31.jar"
    );
    assert_eq!(fs.read_file(&tomcat).unwrap().len() / 1000, 3_570);
    assert!(out
        .notices
        .iter()
        .any(|n| n.kind == NoticeKind::Simulated && n.message.contains("placeholder jars")));
    // The sources arrive; an offline package now finds everything.
    put(
        &mut fs,
        "/app/src/main/java/com/example/demo/DemoApplication.java",
        APP,
    );
    put(
        &mut fs,
        "/app/src/main/resources/application.properties",
        "server.port=8080\n",
    );
    let out = sh(&mut fs, &env, "mvn -o package -DskipTests");
    assert_eq!(out.exit_code, 0, "{}", stderr(&out));
    let log = stdout(&out);
    assert!(!log.contains("Downloaded from central"), "{log}");
    for line in [
        "[INFO] Building demo 0.0.1-SNAPSHOT\n",
        "[INFO] Compiling 1 source file with javac [debug parameters release 17] to target/classes\n",
        "[INFO] Tests are skipped.\n",
        "[INFO] Building jar: /app/target/demo-0.0.1-SNAPSHOT.jar\n",
        "[INFO] The original artifact has been renamed to /app/target/demo-0.0.1-SNAPSHOT.jar.original\n",
    ] {
        assert!(log.contains(line), "{line}\n{log}");
    }
    let class = fs
        .read_file("/app/target/classes/com/example/demo/DemoApplication.class")
        .unwrap();
    assert_eq!(&class.bytes()[..8], &[0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 61]);
    assert!(fs.exists("/app/target/classes/application.properties"));
    let jar = fs
        .read_file("/app/target/demo-0.0.1-SNAPSHOT.jar")
        .unwrap()
        .bytes()
        .into_owned();
    let manifest =
        String::from_utf8(zip::read_stored(&jar, "META-INF/MANIFEST.MF").unwrap()).unwrap();
    assert!(manifest.contains("Main-Class: org.springframework.boot.loader.launch.JarLauncher\r\n"));
    assert!(manifest.contains("Start-Class: com.example.demo.DemoApplication\r\n"));
    assert!(zip::read_stored(&jar, "BOOT-INF/lib/spring-webmvc-6.1.14.jar").is_some());
    // Test-scoped libraries stay out of the application.
    assert!(zip::read_stored(&jar, "BOOT-INF/lib/assertj-core-3.25.3.jar").is_none());
    let out = sh(
        &mut fs,
        &env,
        "cd target && java -jar demo-0.0.1-SNAPSHOT.jar",
    );
    assert_eq!(out.exit_code, 0);
    assert!(out
        .notices
        .iter()
        .any(|n| n.kind == NoticeKind::NotSimulated
            && n.message.contains("running Java bytecode is not simulated")
            && n.message
                .contains("Start-Class com.example.demo.DemoApplication")));
    // Spring Boot's layered Dockerfile: the jar's layers as directories.
    let out = sh(
        &mut fs,
        &env,
        "cp target/demo-0.0.1-SNAPSHOT.jar application.jar && java -Djarmode=layertools -jar application.jar extract && java -Djarmode=tools -jar application.jar extract --layers --launcher",
    );
    assert_eq!(out.exit_code, 0, "{}", stderr(&out));
    for root in ["/app", "/app/application"] {
        for path in [
            "dependencies/BOOT-INF/lib/spring-core-6.1.14.jar",
            "spring-boot-loader/org/springframework/boot/loader/launch/JarLauncher.class",
            "application/BOOT-INF/classes/com/example/demo/DemoApplication.class",
            "application/META-INF/MANIFEST.MF",
            "snapshot-dependencies",
        ] {
            assert!(fs.exists(&format!("{root}/{path}")), "{root}/{path}");
        }
    }
    assert!(!fs.exists("/app/application/BOOT-INF/lib"));
    // The image's settings-docker.xml keeps the repository in the image's ref/.
    let out = sh(
        &mut fs,
        &env,
        "cd / && mvn -q -f /app -s /usr/share/maven/ref/settings-docker.xml dependency:resolve",
    );
    assert_eq!(out.exit_code, 0, "{}", stderr(&out));
    assert!(fs.exists("/usr/share/maven/ref/repository/org/yaml/snakeyaml/2.2/snakeyaml-2.2.jar"));
    let out = sh(&mut fs, &env, "mvn -q clean && ls target");
    assert_ne!(out.exit_code, 0);
    assert_eq!(stdout(&out), "");
}

#[test]
fn mvn_version_names_maven_and_the_jvm() {
    let (mut fs, env) = image("maven:3.9-eclipse-temurin-21");
    let out = sh(&mut fs, &env, "mvn -v");
    assert_eq!(
        stdout(&out).lines().take(3).collect::<Vec<_>>(),
        [
            "Apache Maven 3.9.9 (8e8579a9e76f7d015ee5ec7bfcdc97d260186937)",
            "Maven home: /usr/share/maven",
            "Java version: 21.0.5, vendor: Eclipse Adoptium, runtime: /opt/java/openjdk",
        ]
    );
}

/// Docker's Java guide: `COPY .mvn/ .mvn`, `COPY mvnw pom.xml ./` and
/// `RUN ./mvnw dependency:resolve` on eclipse-temurin:17-jdk-jammy: the wrapper
/// unpacks the Maven its properties name under ~/.m2/wrapper and runs it.
#[test]
fn the_maven_wrapper_unpacks_its_maven_and_runs_it() {
    let (mut fs, env) = image("eclipse-temurin:17-jdk-jammy");
    put(&mut fs, "/app/pom.xml", POM);
    put(
        &mut fs,
        "/app/mvnw",
        "#!/bin/sh\n# the project's wrapper script\n",
    );
    fs.chmod("/app/mvnw", 0o755).unwrap();
    let out = sh(&mut fs, &env, "./mvnw dependency:resolve");
    assert_eq!(out.exit_code, 1);
    assert_eq!(
        stderr(&out),
        "cannot read distributionUrl property in /app/.mvn/wrapper/maven-wrapper.properties\n"
    );
    put(
        &mut fs,
        "/app/.mvn/wrapper/maven-wrapper.properties",
        "wrapperVersion=3.3.2\ndistributionType=only-script\ndistributionUrl=https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/3.9.8/apache-maven-3.9.8-bin.zip\n",
    );
    let out = sh(&mut fs, &env, "./mvnw dependency:resolve && ./mvnw -v");
    assert_eq!(out.exit_code, 0, "{}", stderr(&out));
    let log = stdout(&out);
    assert!(
        log.contains("[INFO] Resolved dependency: spring-webmvc-6.1.14.jar\n"),
        "{log}"
    );
    assert!(
        log.contains("Apache Maven 3.9.8\nMaven home: /root/.m2/wrapper/dists/apache-maven-3.9.8/"),
        "{log}"
    );
    let dists = fs
        .read_dir("/root/.m2/wrapper/dists/apache-maven-3.9.8")
        .unwrap();
    assert_eq!(dists.len(), 1);
    assert!(dists[0].0.chars().all(|c| c.is_ascii_hexdigit()));
    let home = format!("/root/.m2/wrapper/dists/apache-maven-3.9.8/{}", dists[0].0);
    assert!(fs.exists(&format!("{home}/lib/maven-core-3.9.8.jar")));
    assert_eq!(
        out.notices.iter().filter(|n| n.program == "mvnw").count(),
        1,
        "unpacked once"
    );
    // Without a Java the wrapper stops before anything else.
    let (mut bare, env) = image("ubuntu:24.04");
    put(&mut bare, "/app/mvnw", "#!/bin/sh\n");
    bare.chmod("/app/mvnw", 0o755).unwrap();
    let out = sh(&mut bare, &env, "./mvnw package");
    assert_eq!(out.exit_code, 1);
    assert!(stderr(&out).starts_with("The JAVA_HOME environment variable is not defined correctly"));
}

/// A plain Maven project (no Spring Boot): the jar has a Main-Class only when
/// maven-jar-plugin configures one, the assembly plugin adds
/// `NAME-jar-with-dependencies.jar`, the shade plugin replaces the jar and keeps
/// `original-NAME.jar`.
#[test]
fn plain_projects_get_maven_s_jar_and_the_merging_plugins_jars() {
    let (mut fs, env) = image("maven:3.9-eclipse-temurin-21");
    let pom = |plugins: &str| {
        format!("<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.example</groupId>\n  <artifactId>app</artifactId>\n  <version>1.0</version>\n  <properties><maven.compiler.release>21</maven.compiler.release></properties>\n  <dependencies>\n    <dependency><groupId>com.google.code.gson</groupId><artifactId>gson</artifactId><version>2.11.0</version></dependency>\n    <dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version><scope>test</scope></dependency>\n  </dependencies>\n  <build><plugins>{plugins}</plugins></build>\n</project>\n")
    };
    put(
        &mut fs,
        "/app/src/main/java/com/example/App.java",
        "package com.example;\npublic class App {}\n",
    );
    put(&mut fs, "/app/pom.xml", &pom(""));
    let out = sh(
        &mut fs,
        &env,
        "mvn -B -q package && java -jar target/app-1.0.jar",
    );
    assert_eq!(
        (out.exit_code, stderr(&out)),
        (
            1,
            "no main manifest attribute, in target/app-1.0.jar\n".to_string()
        )
    );
    let assembly = "<plugin><artifactId>maven-assembly-plugin</artifactId><configuration><archive><manifest><mainClass>com.example.App</mainClass></manifest></archive><descriptorRefs><descriptorRef>jar-with-dependencies</descriptorRef></descriptorRefs></configuration><executions><execution><id>make-assembly</id><phase>package</phase><goals><goal>single</goal></goals></execution></executions></plugin>";
    put(&mut fs, "/app/pom.xml", &pom(assembly));
    let out = sh(&mut fs, &env, "mvn -B package");
    assert_eq!(out.exit_code, 0, "{}", stderr(&out));
    let log = stdout(&out);
    assert!(log.contains("[INFO] --- assembly:3.7.1:single (make-assembly) @ app ---\n[INFO] Building jar: /app/target/app-1.0-jar-with-dependencies.jar\n"), "{log}");
    let fat = fs
        .read_file("/app/target/app-1.0-jar-with-dependencies.jar")
        .unwrap()
        .bytes()
        .into_owned();
    let manifest =
        String::from_utf8(zip::read_stored(&fat, "META-INF/MANIFEST.MF").unwrap()).unwrap();
    assert!(manifest.contains("Main-Class: com.example.App\r\n"));
    assert!(zip::read_stored(
        &fat,
        "META-INF/maven/com.google.code.gson/gson/pom.properties"
    )
    .is_some());
    assert!(zip::read_stored(&fat, "META-INF/maven/junit/junit/pom.properties").is_none());
    let class = zip::read_stored(&fat, "com/example/App.class").unwrap();
    assert_eq!(class[..8], [0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 65]);
    let shade = "<plugin><artifactId>maven-shade-plugin</artifactId><executions><execution><phase>package</phase><goals><goal>shade</goal></goals><configuration><transformers><transformer><mainClass>com.example.App</mainClass></transformer></transformers></configuration></execution></executions></plugin>";
    put(&mut fs, "/app/pom.xml", &pom(shade));
    let out = sh(&mut fs, &env, "mvn -B clean package");
    assert_eq!(out.exit_code, 0, "{}", stderr(&out));
    assert!(stdout(&out)
        .contains("[INFO] Including com.google.code.gson:gson:jar:2.11.0 in the shaded jar.\n"));
    assert!(fs.exists("/app/target/original-app-1.0.jar"));
    let out = sh(&mut fs, &env, "java -jar target/app-1.0.jar");
    assert_eq!(out.exit_code, 0);
    assert!(out
        .notices
        .iter()
        .any(|n| n.message.contains("Main-Class com.example.App")));
}

/// A `<packaging>war</packaging>` project built with `./mvnw --batch-mode
/// --no-transfer-progress clean package`, then `test -f target/NAME.war`: the war
/// holds the webapp, the classes and the runtime libraries, beside its exploded
/// directory; `install` puts the war in the local repository.
#[test]
fn war_projects_build_a_war() {
    let (mut fs, env) = image("maven:3.9-eclipse-temurin-17");
    put(
        &mut fs,
        "/app/pom.xml",
        "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>org.example</groupId>\n  <artifactId>shop</artifactId>\n  <version>1.0.0</version>\n  <packaging>war</packaging>\n  <dependencies>\n    <dependency><groupId>jakarta.servlet</groupId><artifactId>jakarta.servlet-api</artifactId><version>6.0.0</version><scope>provided</scope></dependency>\n    <dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><version>42.7.4</version></dependency>\n  </dependencies>\n  <build><finalName>shop</finalName></build>\n</project>\n",
    );
    put(
        &mut fs,
        "/app/src/main/java/org/example/Home.java",
        "package org.example;\nclass Home {}\n",
    );
    put(&mut fs, "/app/src/main/webapp/index.jsp", "<h1>shop</h1>\n");
    let out = sh(
        &mut fs,
        &env,
        "mvn --batch-mode --no-transfer-progress clean install && test -f target/shop.war",
    );
    assert_eq!(out.exit_code, 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("[INFO] Building war: /app/target/shop.war\n"));
    assert!(!stdout(&out).contains("Downloaded from central"));
    let war = fs
        .read_file("/app/target/shop.war")
        .unwrap()
        .bytes()
        .into_owned();
    let names: Vec<String> = zip::entries(&war)
        .unwrap()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    for name in [
        "index.jsp",
        "WEB-INF/classes/org/example/Home.class",
        "WEB-INF/lib/postgresql-42.7.4.jar",
    ] {
        assert!(names.iter().any(|n| n == name), "{name}: {names:?}");
    }
    assert!(!names.iter().any(|n| n.contains("servlet-api")));
    assert!(fs.exists("/app/target/shop/WEB-INF/lib/postgresql-42.7.4.jar"));
    assert!(fs.exists("/root/.m2/repository/org/example/shop/1.0.0/shop-1.0.0.war"));
}
