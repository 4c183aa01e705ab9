//! The Java images: eclipse-temurin (adoptium/containers, JDK or JRE on Ubuntu
//! jammy or noble) and the maven images docker-library builds on its JDKs. Their
//! files are `java.txt`'s sections; this is their history and configuration, after
//! those Dockerfiles (long RUN scripts shortened with `...`).

use super::{alpine, ubuntu, version_vars, Alpine, Recipe, Ubuntu, PATH};

/// A Temurin feature release the catalog models, at its October 2024 update.
pub(super) struct Temurin {
    /// The feature release (`17`).
    pub(super) major: &'static str,
    /// `JAVA_VERSION`'s version (`17.0.13`).
    pub(super) version: &'static str,
    /// Its build number (`11`).
    pub(super) build: &'static str,
    /// What `java -version` and `release` append after the build: Temurin marks
    /// 21's builds `-LTS`, not 17's.
    pub(super) lts: &'static str,
    /// Bytes of `lib/modules` in the JDK and in the JRE.
    pub(super) modules: [&'static str; 2],
}

/// Temurin 17.0.13+11 (2024-10-15).
pub(super) const TEMURIN_17: Temurin = Temurin {
    major: "17",
    version: "17.0.13",
    build: "11",
    lts: "",
    modules: ["134217728", "85983232"],
};

/// Temurin 21.0.5+11 (2024-10-15), an LTS build.
pub(super) const TEMURIN_21: Temurin = Temurin {
    major: "21",
    version: "21.0.5",
    build: "11",
    lts: "-LTS",
    modules: ["145752064", "90177536"],
};

/// When the images were built (2024-10-28 and 2024-10-29 for maven).
const CREATED: i64 = 1_730_073_600;
const MAVEN_CREATED: i64 = 1_730_160_000;
/// The Maven release of the maven images.
const MAVEN: &str = "3.9.9";

/// What both builds of a release set first: the holes its sections fill (the
/// release, its build, the modules of a JDK or JRE, the C library) and Adoptium's
/// JAVA_HOME, PATH and locale variables.
fn start(r: &mut Recipe, java: &Temurin, jdk: bool, libc: &str) {
    let kind = if jdk { "JDK" } else { "JRE" };
    r.vars = version_vars(
        java.version,
        &[
            ("build", java.build),
            ("date", "2024-10-15"),
            ("lts", java.lts),
            ("kind", kind),
            ("modules", java.modules[usize::from(!jdk)]),
            ("maven", MAVEN),
            ("libc", libc),
        ],
    );
    r.env(CREATED, "JAVA_HOME", "/opt/java/openjdk");
    r.env(CREATED, "PATH", &format!("/opt/java/openjdk/bin:{PATH}"));
    r.envs(
        CREATED,
        &[
            ("LANG", "en_US.UTF-8"),
            ("LANGUAGE", "en_US:en"),
            ("LC_ALL", "en_US.UTF-8"),
        ],
    );
}

/// `eclipse-temurin:MAJOR-{jdk,jre}-{jammy,noble}`: Ubuntu, the packages the JVM
/// needs (fonts, CA tools, locales; binutils for jlink in the JDK), the release
/// tarball under /opt/java/openjdk, an install check, and the CA entrypoint.
pub(super) fn temurin(java: &Temurin, jdk: bool, release: Ubuntu) -> Recipe {
    let mut r = ubuntu(release);
    let (kind, codename) = (
        if jdk { "jdk" } else { "jre" },
        match release {
            Ubuntu::Jammy => "jammy",
            Ubuntu::Noble => "noble",
        },
    );
    r.salt = format!("temurin-{}-{kind}-{codename}", java.version);
    start(&mut r, java, jdk, "gnu");
    let c = CREATED;
    let binutils = if jdk { "        binutils" } else { "" };
    let mut sections = vec![match release {
        Ubuntu::Jammy => "temurin-jammy",
        Ubuntu::Noble => "temurin-noble",
    }];
    sections.push("temurin-deps");
    if jdk {
        sections.push("temurin-binutils");
    }
    r.run(
        c,
        &format!("RUN /bin/sh -c set -eux;     apt-get update;     DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends         curl         wget         fontconfig         ca-certificates p11-kit {binutils}        tzdata         locales     ;     echo \"en_US.UTF-8 UTF-8\" >> /etc/locale.gen;     locale-gen en_US.UTF-8;     rm -rf /var/lib/apt/lists/*"),
        &sections,
    );
    let tag = format!("jdk-{}+{}", java.version, java.build);
    r.env(c, "JAVA_VERSION", &tag);
    let url_tag = tag.replace('+', "%2B");
    let file = format!(
        "OpenJDK{}U-{kind}_x64_linux_hotspot_{}_{}.tar.gz",
        java.major, java.version, java.build
    );
    r.run(
        c,
        &format!("RUN /bin/sh -c set -eux;     ARCH=\"$(dpkg --print-architecture)\";     case \"${{ARCH}}\" in        amd64)          ESUM='...';          BINARY_URL='https://github.com/adoptium/temurin{}-binaries/releases/download/{url_tag}/{file}';          ;;        ...     esac;     wget --progress=dot:giga -O /tmp/openjdk.tar.gz ${{BINARY_URL}};     echo \"${{ESUM}} */tmp/openjdk.tar.gz\" | sha256sum -c -;     mkdir -p \"$JAVA_HOME\";     tar --extract         --file /tmp/openjdk.tar.gz         --directory \"$JAVA_HOME\"         --strip-components 1         --no-same-owner     ;     rm -f /tmp/openjdk.tar.gz ${{JAVA_HOME}}/lib/src.zip;     find \"$JAVA_HOME/lib\" -name '*.so' -exec dirname '{{}}' ';' | sort -u > /etc/ld.so.conf.d/docker-openjdk.conf;     ldconfig;     java -Xshare:dump;", java.major),
        if jdk {
            &["temurin-ldconfig", "temurin-common", "temurin-jdk-files"][..]
        } else {
            &["temurin-ldconfig", "temurin-common"][..]
        },
    );
    finish(&mut r, jdk);
    r
}

/// `eclipse-temurin:MAJOR-{jdk,jre}-alpine`: Alpine 3.20, fonts, CA tools, musl's
/// locales, coreutils and openssl (for the entrypoint's certificate import), the
/// Alpine (musl) build of the release, the install check and the CA entrypoint.
pub(super) fn temurin_alpine(java: &Temurin, jdk: bool) -> Recipe {
    let mut r = alpine(Alpine::V320);
    let kind = if jdk { "jdk" } else { "jre" };
    r.salt = format!("temurin-{}-{kind}-alpine", java.version);
    start(&mut r, java, jdk, "musl");
    let c = CREATED;
    r.run(
        c,
        "RUN /bin/sh -c set -eux;     apk add --no-cache         fontconfig ttf-dejavu         ca-certificates p11-kit-trust         musl-locales musl-locales-lang         tzdata         coreutils         openssl     ;     rm -rf /var/cache/apk/*",
        &["temurin-alpine-deps"],
    );
    let tag = format!("jdk-{}+{}", java.version, java.build);
    r.env(c, "JAVA_VERSION", &tag);
    let file = format!(
        "OpenJDK{}U-{kind}_x64_alpine-linux_hotspot_{}_{}.tar.gz",
        java.major, java.version, java.build
    );
    r.run(
        c,
        &format!("RUN /bin/sh -c set -eux;     ARCH=\"$(apk --print-arch)\";     case \"${{ARCH}}\" in        x86_64)          ESUM='...';          BINARY_URL='https://github.com/adoptium/temurin{}-binaries/releases/download/{}/{file}';          ;;        *)          echo \"Unsupported arch: ${{ARCH}}\";          exit 1;          ;;     esac;     wget -O /tmp/openjdk.tar.gz ${{BINARY_URL}};     echo \"${{ESUM}} */tmp/openjdk.tar.gz\" | sha256sum -c -;     mkdir -p \"$JAVA_HOME\";     tar --extract         --file /tmp/openjdk.tar.gz         --directory \"$JAVA_HOME\"         --strip-components 1         --no-same-owner     ;     rm -f /tmp/openjdk.tar.gz ${{JAVA_HOME}}/lib/src.zip;", java.major, tag.replace('+', "%2B")),
        if jdk {
            &["temurin-common", "temurin-jdk-files"][..]
        } else {
            &["temurin-common"][..]
        },
    );
    finish(&mut r, jdk);
    r
}

/// The install check (an empty layer), the CA entrypoint and, for a JDK, jshell.
fn finish(r: &mut Recipe, jdk: bool) {
    let c = CREATED;
    let check = if jdk {
        "fileEncoding=\"$(echo 'System.out.println(System.getProperty(\"file.encoding\"))' | jshell -s -)\"; [ \"$fileEncoding\" = 'UTF-8' ]; rm -rf ~/.java;     echo \"javac --version\"; javac --version;     "
    } else {
        ""
    };
    // The check leaves nothing behind: BuildKit still records its (empty) layer.
    r.run(
        c,
        &format!("RUN /bin/sh -c set -eux;     echo \"Verifying install ...\";     {check}echo \"java --version\"; java --version;     echo \"Complete.\""),
        &[],
    );
    r.run(
        c,
        "COPY --chmod=755 entrypoint.sh /__cacert_entrypoint.sh",
        &["temurin-entrypoint"],
    );
    r.entrypoint(c, &["/__cacert_entrypoint.sh"]);
    if jdk {
        r.cmd(c, &["jshell"]);
    }
}

/// `maven:3.9.9-eclipse-temurin-MAJOR`: the noble JDK image plus git, Maven's
/// distribution copied from the eclipse-temurin-11 build, the `mvn` link and
/// the entrypoint that seeds `~/.m2` from /usr/share/maven/ref.
pub(super) fn maven(java: &Temurin) -> Recipe {
    let mut r = temurin(java, true, Ubuntu::Noble);
    r.salt = format!("maven-{MAVEN}-temurin-{}", java.version);
    let c = MAVEN_CREATED;
    r.run(
        c,
        "RUN /bin/sh -c apt-get update   && apt-get install -y ca-certificates curl git --no-install-recommends   && rm -rf /var/lib/apt/lists/*",
        &["maven-deps"],
    );
    r.env(c, "MAVEN_HOME", "/usr/share/maven");
    r.run(c, "COPY /usr/share/maven /usr/share/maven", &["maven-home"]);
    r.run(
        c,
        "COPY /usr/local/bin/mvn-entrypoint.sh /usr/local/bin/mvn-entrypoint.sh",
        &["maven-entrypoint"],
    );
    // The settings file is already in the copied tree: the layer holds it again.
    r.run(
        c,
        "COPY /usr/share/maven/ref/settings-docker.xml /usr/share/maven/ref/settings-docker.xml",
        &["maven-settings"],
    );
    r.run(
        c,
        "RUN /bin/sh -c ln -s ${MAVEN_HOME}/bin/mvn /usr/bin/mvn",
        &["maven-link"],
    );
    r.meta(c, &format!("ARG MAVEN_VERSION={MAVEN}"));
    r.meta(c, "ARG USER_HOME_DIR=/root");
    r.env(c, "MAVEN_CONFIG", "/root/.m2");
    r.entrypoint(c, &["/usr/local/bin/mvn-entrypoint.sh"]);
    r.cmd(c, &["mvn"]);
    r
}

#[cfg(test)]
mod tests;
