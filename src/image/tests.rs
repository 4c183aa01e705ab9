use super::{chain_ids, Config, Descriptor, Healthcheck, History, Image, Manifest, Timestamp};
use crate::digest::Digest;
use std::collections::BTreeMap;

fn sample() -> Image {
    let mut image = Image::scratch();
    image.created = Some(Timestamp {
        seconds: 1_700_000_000,
        nanos: 120_000_000,
    });
    image.config = Config {
        user: "app".into(),
        exposed_ports: ["80/tcp".to_string()].into(),
        env: vec!["PATH=/bin".into(), "A=<b>&c".into()],
        cmd: vec!["/bin/sh".into(), "-c".into(), "echo hi > /x".into()],
        working_dir: "/app".into(),
        labels: [
            ("b".to_string(), "2".to_string()),
            ("a".to_string(), "1".to_string()),
        ]
        .into(),
        healthcheck: Some(Healthcheck {
            test: vec!["CMD".into(), "true".into()],
            interval: 5_000_000_000,
            ..Healthcheck::default()
        }),
        shell: vec!["/bin/bash".into(), "-c".into()],
        ..Config::default()
    };
    image.diff_ids = vec![Digest::of(b"one"), Digest::of(b"two")];
    image.history = vec![
        History {
            created: image.created,
            created_by: "RUN /bin/sh -c echo a > b # buildkit".into(),
            comment: "buildkit.dockerfile.v0".into(),
            ..History::default()
        },
        History {
            created_by: "ENV A=1".into(),
            comment: "buildkit.dockerfile.v0".into(),
            empty_layer: true,
            ..History::default()
        },
        History {
            created_by: "COPY . . # buildkit".into(),
            ..History::default()
        },
    ];
    image
}

#[test]
fn config_json_is_canonical_like_buildkit() {
    let json = sample().to_json();
    assert_eq!(
        json,
        concat!(
            r#"{"architecture":"amd64","config":{"User":"app","ExposedPorts":{"80/tcp":{}},"#,
            r#""Env":["PATH=/bin","A=\u003cb\u003e\u0026c"],"Cmd":["/bin/sh","-c","echo hi \u003e /x"],"#,
            r#""WorkingDir":"/app","Labels":{"a":"1","b":"2"},"#,
            r#""Healthcheck":{"Test":["CMD","true"],"Interval":5000000000},"Shell":["/bin/bash","-c"]},"#,
            r#""created":"2023-11-14T22:13:20.12Z","history":["#,
            r#"{"created":"2023-11-14T22:13:20.12Z","created_by":"RUN /bin/sh -c echo a \u003e b # buildkit","comment":"buildkit.dockerfile.v0"},"#,
            r#"{"created_by":"ENV A=1","comment":"buildkit.dockerfile.v0","empty_layer":true},"#,
            r#"{"created_by":"COPY . . # buildkit"}],"os":"linux","rootfs":{"type":"layers","diff_ids":["#,
            r#""sha256:7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed","#,
            r#""sha256:3fc4ccfe745870e2c0d99f71f30ff0656c8dedd41cc1d7d3d376b0dbe685e2f3"]}}"#
        )
    );
    assert_eq!(sample().id(), Digest::of(json.as_bytes()));
}

#[test]
fn config_json_reads_back() {
    let image = sample();
    let back = Image::from_json(&image.to_json()).unwrap();
    assert_eq!(back, image);
    assert_eq!(
        Image::scratch().to_json(),
        r#"{"architecture":"amd64","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"history":[],"os":"linux","rootfs":{"type":"layers","diff_ids":null}}"#
    );
    assert!(Image::from_json("[1]").is_err());
    assert!(Image::from_json("{\"created\":\"yesterday\"}").is_err());
}

#[test]
fn chain_ids_follow_the_oci_definition() {
    let ids = [Digest::of(b"one"), Digest::of(b"two"), Digest::of(b"three")];
    let chain = chain_ids(&ids);
    assert_eq!(chain[0], ids[0]);
    assert_eq!(
        chain[1],
        Digest::of(format!("{} {}", ids[0], ids[1]).as_bytes())
    );
    assert_eq!(
        chain[2],
        Digest::of(format!("{} {}", chain[1], ids[2]).as_bytes())
    );
}

#[test]
fn timestamps_print_and_parse_like_go() {
    for (secs, nanos, text) in [
        (0, 0, "1970-01-01T00:00:00Z"),
        (1_700_000_000, 0, "2023-11-14T22:13:20Z"),
        (951_782_400, 500, "2000-02-29T00:00:00.0000005Z"),
        (-1, 0, "1969-12-31T23:59:59Z"),
    ] {
        let t = Timestamp {
            seconds: secs,
            nanos,
        };
        assert_eq!(t.to_string(), text);
        assert_eq!(Timestamp::parse(text), Some(t));
    }
    assert_eq!(
        Timestamp::parse("2023-11-14T23:13:20+01:00"),
        Some(Timestamp::from_seconds(1_700_000_000))
    );
    assert_eq!(Timestamp::parse("2023-13-14T23:13:20Z"), None);
}

#[test]
fn manifest_json_in_struct_order() {
    let config = Descriptor::of(super::MEDIA_TYPE_CONFIG, b"{}");
    let layer = Descriptor::of(super::MEDIA_TYPE_LAYER, &[0u8; 1024]);
    let manifest = Manifest {
        config,
        layers: vec![layer],
        annotations: BTreeMap::new(),
    };
    assert_eq!(
        manifest.to_json(),
        concat!(
            r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","#,
            r#""config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"#,
            r#""layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef","size":1024}]}"#
        )
    );
}
