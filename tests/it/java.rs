//! Java tutorials: the Spring Boot multi-stage Dockerfile (maven builds the jar,
//! eclipse-temurin's JRE runs it) builds on the catalog, its dependency layer stays
//! cached when only a source file changes, and the final image is the JRE image
//! plus the jar with the tutorial's configuration.

use crate::cache::Session;
use crate::support::started;
use layerlab::builder::{BuildOptions, StepKind};
use layerlab::container::RunArgs;
use layerlab::context::BuildContext;
use layerlab::vfs::blob::Blob;

const DOCKERFILE: &str = "FROM maven:3.9-eclipse-temurin-17 AS build\nWORKDIR /app\nCOPY pom.xml .\nRUN mvn dependency:go-offline\nCOPY src ./src\nRUN mvn package -DskipTests\nFROM eclipse-temurin:17-jre\nWORKDIR /app\nCOPY --from=build /app/target/*.jar app.jar\nEXPOSE 8080\nENTRYPOINT [\"java\",\"-jar\",\"app.jar\"]\n";

const POM: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project>\n  <modelVersion>4.0.0</modelVersion>\n  <parent>\n    <groupId>org.springframework.boot</groupId>\n    <artifactId>spring-boot-starter-parent</artifactId>\n    <version>3.3.5</version>\n  </parent>\n  <groupId>com.example</groupId>\n  <artifactId>demo</artifactId>\n  <version>0.0.1-SNAPSHOT</version>\n  <properties>\n    <java.version>17</java.version>\n  </properties>\n  <dependencies>\n    <dependency>\n      <groupId>org.springframework.boot</groupId>\n      <artifactId>spring-boot-starter-web</artifactId>\n    </dependency>\n  </dependencies>\n  <build>\n    <plugins>\n      <plugin>\n        <groupId>org.springframework.boot</groupId>\n        <artifactId>spring-boot-maven-plugin</artifactId>\n      </plugin>\n    </plugins>\n  </build>\n</project>\n";

const APP: &str = "src/main/java/com/example/demo/DemoApplication.java";

fn context(app: &str) -> BuildContext {
    let mut ctx = BuildContext::new();
    for (path, text) in [
        ("pom.xml", POM),
        (APP, app),
        (
            "src/main/resources/application.properties",
            "server.port=8080\n",
        ),
    ] {
        ctx.add_file(
            path,
            Blob::from_bytes(text.as_bytes().to_vec()),
            0o644,
            1_704_067_200,
        )
        .unwrap();
    }
    ctx
}

#[test]
fn spring_boot_multi_stage_build_keeps_dependencies_cached_and_runs_the_jar_on_the_jre() {
    let app = "package com.example.demo;\n\n@SpringBootApplication\npublic class DemoApplication {\n    public static void main(String[] args) {\n        SpringApplication.run(DemoApplication.class, args);\n    }\n}\n";
    let mut s = Session::new();
    let first = s.build(DOCKERFILE, &context(app), &BuildOptions::default());
    let log = first.log.join("\n");
    assert!(
        log.contains("[INFO] Building jar: /app/target/demo-0.0.1-SNAPSHOT.jar"),
        "{log}"
    );
    assert!(log.contains("[INFO] BUILD SUCCESS"), "{log}");

    // Only a source file changes: the dependency download stays cached.
    let edited = app.replace("args);", "args); // edited");
    let second = s.build(DOCKERFILE, &context(&edited), &BuildOptions::default());
    let hit = |instruction: &str| {
        second
            .steps
            .iter()
            .find(|st| st.kind == StepKind::Layer && st.instruction == instruction)
            .and_then(|st| st.cache.as_ref())
            .unwrap_or_else(|| panic!("no step {instruction}"))
            .hit
    };
    assert!(hit("RUN mvn dependency:go-offline"));
    assert!(hit("COPY pom.xml ."));
    assert!(!hit("COPY src ./src"));
    assert!(!hit("RUN mvn package -DskipTests"));
    // The package step found every artifact in the cached ~/.m2: nothing new.
    let package = second
        .steps
        .iter()
        .find(|st| st.instruction == "RUN mvn package -DskipTests")
        .expect("package step");
    assert!(
        package.output.contains("[INFO] BUILD SUCCESS"),
        "{}",
        package.output
    );
    assert!(
        !package.output.contains("Downloaded from central"),
        "{}",
        package.output
    );

    let id = second.image_id.expect("image");
    let image = &s.store.image(&id).expect("stored").image;
    let config = &image.config;
    assert_eq!(config.entrypoint, ["java", "-jar", "app.jar"]);
    assert!(config.cmd.is_empty());
    assert_eq!(config.working_dir, "/app");
    assert!(config.exposed_ports.contains("8080/tcp"));
    assert!(config
        .env
        .iter()
        .any(|e| e == "JAVA_HOME=/opt/java/openjdk"));
    assert!(config
        .env
        .iter()
        .any(|e| e == "JAVA_VERSION=jdk-17.0.13+11"));
    let history: Vec<&str> = image
        .history
        .iter()
        .map(|h| h.created_by.as_str())
        .collect();
    assert!(
        history.contains(&"ENV JAVA_HOME=/opt/java/openjdk"),
        "{history:?}"
    );
    assert!(
        history.contains(&"ENTRYPOINT [\"/__cacert_entrypoint.sh\"]"),
        "{history:?}"
    );
    assert_eq!(
        &history[history.len() - 4..],
        [
            "WORKDIR /app",
            "COPY /app/target/*.jar app.jar # buildkit",
            "EXPOSE [8080/tcp]",
            "ENTRYPOINT [\"java\" \"-jar\" \"app.jar\"]",
        ]
    );
    let union = s.store.union(&id).expect("union");
    assert!(union.fs().read_file("/app/app.jar").unwrap().len() > 1_000_000);
    // The JRE has no compiler and no Maven.
    assert!(!union.fs().exists("/opt/java/openjdk/bin/javac"));
    assert!(!union.fs().exists("/usr/share/maven"));

    // docker run: the JVM is found, the jar's manifest read, nothing executed.
    let (_, run) = started(&s.store, &id, &RunArgs::default());
    assert_eq!(run.exit_code, 0, "{run:?}");
    assert!(
        run.warnings
            .iter()
            .any(|w| w.contains("running Java bytecode is not simulated")
                && w.contains("Start-Class com.example.demo.DemoApplication")),
        "{run:?}"
    );
}

/// Docker's own Java guide: the Maven Wrapper from the build context on
/// eclipse-temurin:17-jdk-jammy resolves the dependencies in its own layer, and
/// the container's `./mvnw spring-boot:run` is found but not simulated.
#[test]
fn docker_s_java_guide_builds_with_the_maven_wrapper() {
    let dockerfile = "FROM eclipse-temurin:17-jdk-jammy\nWORKDIR /app\nCOPY .mvn/ .mvn\nCOPY mvnw pom.xml ./\nRUN ./mvnw dependency:resolve\nCOPY src ./src\nCMD [\"./mvnw\", \"spring-boot:run\"]\n";
    let mut ctx =
        context("package com.example.demo;\n@SpringBootApplication\nclass DemoApplication {}\n");
    let properties = "distributionUrl=https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/3.9.9/apache-maven-3.9.9-bin.zip\n";
    ctx.add_file(
        ".mvn/wrapper/maven-wrapper.properties",
        Blob::from_bytes(properties.as_bytes().to_vec()),
        0o644,
        1_704_067_200,
    )
    .unwrap();
    ctx.add_file(
        "mvnw",
        Blob::from_bytes(b"#!/bin/sh\n".to_vec()),
        0o755,
        1_704_067_200,
    )
    .unwrap();
    let mut s = Session::new();
    let out = s.build(dockerfile, &ctx, &BuildOptions::default());
    let resolve = out
        .steps
        .iter()
        .find(|st| st.instruction == "RUN ./mvnw dependency:resolve")
        .expect("resolve step");
    assert!(
        resolve
            .output
            .contains("[INFO] Resolved dependency: tomcat-embed-core-10.1.31.jar"),
        "{}",
        resolve.output
    );
    let id = out.image_id.expect("image");
    let (c, run) = started(&s.store, &id, &RunArgs::default());
    assert_eq!(run.exit_code, 0, "{run:?}");
    assert!(
        run.warnings.iter().any(|w| w.contains(
            "`mvn spring-boot:run` runs the application: running Java bytecode is not simulated"
        )),
        "{run:?}"
    );
    assert!(c.fs().exists(
        "/root/.m2/repository/org/springframework/boot/spring-boot/3.3.5/spring-boot-3.3.5.jar"
    ));
}

/// Spring Boot's documented layered Dockerfile: the jar's layers extracted by
/// `-Djarmode=layertools` and copied one by one, the launcher as entrypoint.
#[test]
fn spring_boot_s_layered_dockerfile_copies_each_extracted_layer() {
    let dockerfile = "FROM maven:3.9-eclipse-temurin-17 AS build\nWORKDIR /app\nCOPY pom.xml .\nCOPY src ./src\nRUN mvn -B package -DskipTests\n\nFROM eclipse-temurin:17-jre AS builder\nWORKDIR /application\nCOPY --from=build /app/target/*.jar application.jar\nRUN java -Djarmode=layertools -jar application.jar extract\n\nFROM eclipse-temurin:17-jre\nWORKDIR /application\nCOPY --from=builder /application/dependencies/ ./\nCOPY --from=builder /application/spring-boot-loader/ ./\nCOPY --from=builder /application/snapshot-dependencies/ ./\nCOPY --from=builder /application/application/ ./\nENTRYPOINT [\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]\n";
    let app = "package com.example.demo;\n@SpringBootApplication\nclass DemoApplication {}\n";
    let mut s = Session::new();
    let out = s.build(dockerfile, &context(app), &BuildOptions::default());
    let id = out.image_id.expect("image");
    let union = s.store.union(&id).expect("union");
    for path in [
        "/application/BOOT-INF/lib/tomcat-embed-core-10.1.31.jar",
        "/application/org/springframework/boot/loader/launch/JarLauncher.class",
        "/application/BOOT-INF/classes/com/example/demo/DemoApplication.class",
        "/application/META-INF/MANIFEST.MF",
    ] {
        assert!(union.fs().exists(path), "{path}");
    }
    assert!(!union.fs().exists("/application/application.jar"));
}
