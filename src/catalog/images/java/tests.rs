use crate::catalog::{resolve, BaseImage};
use crate::vfs::Vfs;

fn image(name: &str) -> BaseImage {
    resolve(name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn top(image: &BaseImage) -> &Vfs {
    &image.layers.last().expect("layers").fs_after
}

fn text(fs: &Vfs, path: &str) -> String {
    String::from_utf8(fs.read_file(path).unwrap().bytes().into_owned()).unwrap()
}

fn megabytes(fs: &Vfs) -> u64 {
    let bytes: u64 = fs
        .walk("/")
        .unwrap()
        .iter()
        .filter(|e| e.link_to.is_none())
        .map(|e| e.stat.size())
        .sum();
    bytes / 1_000_000
}

/// eclipse-temurin's JDK: Ubuntu noble, the apt layer, the JDK under
/// /opt/java/openjdk, an empty check layer and the CA entrypoint, with the
/// Dockerfile's environment and `jshell` as its command.
#[test]
fn temurin_jdk_is_adoptium_s_image_on_noble() {
    let jdk = image("eclipse-temurin:17");
    let fs = top(&jdk);
    assert!(text(fs, "/etc/os-release").contains("VERSION_CODENAME=noble"));
    for tool in ["java", "javac", "jshell", "jar", "jlink", "keytool"] {
        assert!(
            fs.exists(&format!("/opt/java/openjdk/bin/{tool}")),
            "{tool}"
        );
    }
    assert!(!fs.exists("/opt/java/openjdk/lib/src.zip"));
    let release = text(fs, "/opt/java/openjdk/release");
    assert!(release.contains("JAVA_VERSION=\"17.0.13\"\n"), "{release}");
    assert!(release.contains("IMPLEMENTOR_VERSION=\"Temurin-17.0.13+11\"\n"));
    assert!(release.contains("IMAGE_TYPE=\"JDK\"\n"));
    assert!(text(fs, "/etc/locale.gen").ends_with("\nen_US.UTF-8 UTF-8\n"));
    let archive = fs.read_file("/usr/lib/locale/locale-archive").unwrap();
    assert!(String::from_utf8_lossy(&archive.bytes()[..120]).contains("\nen_US.utf8\n\n"));
    let status = text(fs, "/var/lib/dpkg/status");
    for package in [
        "curl",
        "wget",
        "fontconfig",
        "p11-kit",
        "binutils",
        "tzdata",
        "locales",
    ] {
        assert!(
            status.contains(&format!("Package: {package}\n")),
            "{package}"
        );
    }
    assert!(text(fs, "/__cacert_entrypoint.sh").ends_with("exec \"$@\"\n"));
    assert_eq!(fs.stat("/__cacert_entrypoint.sh").unwrap().meta.mode, 0o755);
    let c = &jdk.config;
    assert_eq!(
        c.env,
        [
            "PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "JAVA_HOME=/opt/java/openjdk",
            "LANG=en_US.UTF-8",
            "LANGUAGE=en_US:en",
            "LC_ALL=en_US.UTF-8",
            "JAVA_VERSION=jdk-17.0.13+11",
        ]
    );
    assert_eq!(
        c.entrypoint.as_deref(),
        Some(&["/__cacert_entrypoint.sh".to_string()][..])
    );
    assert_eq!(c.cmd.as_deref(), Some(&["jshell".to_string()][..]));
    // Ubuntu's one layer, then apt, the JDK, the check (empty) and the entrypoint.
    assert_eq!(jdk.layers.len(), 5);
    let steps: Vec<&str> = jdk
        .history
        .iter()
        .skip_while(|h| !h.created_by.starts_with("ENV JAVA_HOME"))
        .map(|h| h.created_by.as_str())
        .collect();
    assert_eq!(steps[0], "ENV JAVA_HOME=/opt/java/openjdk");
    assert_eq!(
        steps[2],
        "ENV LANG=en_US.UTF-8 LANGUAGE=en_US:en LC_ALL=en_US.UTF-8"
    );
    assert!(
        steps[3].contains("apt-get install -y --no-install-recommends")
            && steps[3].contains("binutils")
    );
    assert_eq!(steps[4], "ENV JAVA_VERSION=jdk-17.0.13+11");
    assert!(steps[5].contains("OpenJDK17U-jdk_x64_linux_hotspot_17.0.13_11.tar.gz"));
    assert!(steps[6].contains("javac --version"));
    assert_eq!(
        steps[7],
        "COPY --chmod=755 entrypoint.sh /__cacert_entrypoint.sh # buildkit"
    );
    assert_eq!(
        steps[8..],
        [
            "ENTRYPOINT [\"/__cacert_entrypoint.sh\"]",
            "CMD [\"jshell\"]"
        ]
    );
}

/// The JRE lacks the compiler, jshell, jmods and binutils, and has no CMD; the
/// jammy tags are Ubuntu 22.04; 21 is an LTS build.
#[test]
fn temurin_jre_and_jammy_tags_differ_where_the_real_images_do() {
    let jre = image("eclipse-temurin:17-jre");
    let fs = top(&jre);
    assert!(fs.exists("/opt/java/openjdk/bin/java"));
    for missing in [
        "/opt/java/openjdk/bin/javac",
        "/opt/java/openjdk/bin/jshell",
        "/opt/java/openjdk/jmods",
    ] {
        assert!(!fs.exists(missing), "{missing}");
    }
    assert!(!text(fs, "/var/lib/dpkg/status").contains("Package: binutils\n"));
    assert_eq!(jre.config.cmd, None);
    let jdk = image("eclipse-temurin:17-jdk");
    assert!(megabytes(top(&jdk)) > megabytes(fs) + 100);
    let jammy = image("eclipse-temurin:21-jre-jammy");
    let fs = top(&jammy);
    assert!(text(fs, "/etc/os-release").contains("VERSION_CODENAME=jammy"));
    let release = text(fs, "/opt/java/openjdk/release");
    assert!(
        release.contains("JAVA_RUNTIME_VERSION=\"21.0.5+11-LTS\"\n"),
        "{release}"
    );
    assert!(release.contains("IMAGE_TYPE=\"JRE\"\n"));
    assert_eq!(
        image("eclipse-temurin:latest").canonical_name,
        "docker.io/library/eclipse-temurin:latest"
    );
}

/// maven: the JDK image plus git, Maven's home, the `mvn` link, the reference
/// settings and the entrypoint, with MAVEN_HOME and MAVEN_CONFIG.
#[test]
fn maven_is_docker_library_s_image_on_the_jdk() {
    let maven = image("maven:3.9-eclipse-temurin-17");
    let fs = top(&maven);
    assert_eq!(
        fs.canonicalize("/usr/bin/mvn").unwrap(),
        "/usr/share/maven/bin/mvn"
    );
    assert!(fs.exists("/usr/share/maven/lib/maven-core-3.9.9.jar"));
    assert!(text(fs, "/usr/share/maven/ref/settings-docker.xml")
        .contains("<localRepository>/usr/share/maven/ref/repository</localRepository>"));
    assert!(text(fs, "/usr/local/bin/mvn-entrypoint.sh").contains("unset MAVEN_CONFIG"));
    assert!(text(fs, "/var/lib/dpkg/status").contains("Package: git\n"));
    assert!(fs.exists("/opt/java/openjdk/bin/javac"));
    let c = &maven.config;
    assert!(c.env.iter().any(|e| e == "MAVEN_HOME=/usr/share/maven"));
    assert!(c.env.iter().any(|e| e == "MAVEN_CONFIG=/root/.m2"));
    assert_eq!(
        c.entrypoint.as_deref(),
        Some(&["/usr/local/bin/mvn-entrypoint.sh".to_string()][..])
    );
    assert_eq!(c.cmd.as_deref(), Some(&["mvn".to_string()][..]));
    assert_eq!(maven.layers.len(), 10);
    let last: Vec<&str> = maven
        .history
        .iter()
        .rev()
        .take(5)
        .map(|h| h.created_by.as_str())
        .collect();
    assert_eq!(
        last,
        [
            "CMD [\"mvn\"]",
            "ENTRYPOINT [\"/usr/local/bin/mvn-entrypoint.sh\"]",
            "ENV MAVEN_CONFIG=/root/.m2",
            "ARG USER_HOME_DIR=/root",
            "ARG MAVEN_VERSION=3.9.9",
        ]
    );
    assert!(image("maven:latest")
        .description
        .contains("eclipse-temurin:21-jdk"));
}

/// The Alpine tags: musl's build on Alpine 3.20 with musl's locales, coreutils
/// and openssl, and no ld.so configuration.
#[test]
fn temurin_alpine_is_the_musl_build_on_alpine() {
    let jre = image("eclipse-temurin:17-jre-alpine");
    let fs = top(&jre);
    assert_eq!(text(fs, "/etc/alpine-release"), "3.20.3\n");
    let release = text(fs, "/opt/java/openjdk/release");
    assert!(release.contains("LIBC=\"musl\"\n"), "{release}");
    assert!(!fs.exists("/opt/java/openjdk/bin/javac"));
    assert!(!fs.exists("/etc/ld.so.conf.d/docker-openjdk.conf"));
    let installed = text(fs, "/lib/apk/db/installed");
    for package in [
        "font-dejavu",
        "p11-kit-trust",
        "musl-locales",
        "coreutils",
        "openssl",
    ] {
        assert!(installed.contains(&format!("\nP:{package}\n")), "{package}");
    }
    // coreutils leaves busybox's applets in place.
    assert_eq!(fs.canonicalize("/bin/ls").unwrap(), "/bin/busybox");
    assert_eq!(jre.config.cmd, None);
    assert!(jre.history.iter().any(|h| h
        .created_by
        .contains("OpenJDK17U-jre_x64_alpine-linux_hotspot_17.0.13_11.tar.gz")));
    let jdk = image("eclipse-temurin:21-alpine");
    assert!(top(&jdk).exists("/opt/java/openjdk/bin/jshell"));
    assert_eq!(jdk.config.cmd.as_deref(), Some(&["jshell".to_string()][..]));
}
