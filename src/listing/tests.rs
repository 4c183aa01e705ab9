use super::*;
use crate::builder::{build, BuildInput, BuildOptions, Personality};
use crate::cache::BuildCache;
use crate::context::BuildContext;
use crate::vfs::blob::Blob;

#[test]
fn sizes_read_as_go_units_prints_them() {
    let cases = [
        (0, "0B"),
        (1, "1B"),
        (999, "999B"),
        (1000, "1kB"),
        (1234, "1.23kB"),
        (12_345, "12.3kB"),
        (123_456, "123kB"),
        (999_999, "1e+03kB"),
        (1_500_000, "1.5MB"),
        (74_800_000, "74.8MB"),
        (2_000_000_000, "2GB"),
    ];
    for (bytes, text) in cases {
        assert_eq!(human_size(bytes), text, "{bytes}");
    }
}

#[test]
fn durations_read_as_go_units_prints_them() {
    let cases = [
        (0, "Less than a second"),
        (1, "1 second"),
        (59, "59 seconds"),
        (60, "About a minute"),
        (119, "About a minute"),
        (120, "2 minutes"),
        (3599, "59 minutes"),
        (3600, "About an hour"),
        (5399, "About an hour"),
        (5400, "2 hours"),
        (47 * 3600, "47 hours"),
        (48 * 3600, "2 days"),
        (14 * 86400, "2 weeks"),
        (60 * 86400, "2 months"),
        (730 * 86400, "2 years"),
    ];
    for (seconds, text) in cases {
        assert_eq!(human_duration(seconds), text, "{seconds}");
    }
}

#[test]
fn long_commands_end_in_an_ellipsis_at_45_columns() {
    let long = "RUN /bin/sh -c apt-get update && apt-get install -y curl";
    let cut = ellipsis(long, 45);
    assert_eq!(cut.chars().count(), 45);
    assert_eq!(cut, "RUN /bin/sh -c apt-get update && apt-get ins…");
    assert_eq!(ellipsis("short", 45), "short");
}

fn built(personality: Personality) -> (Store, Digest) {
    let mut ctx = BuildContext::new();
    ctx.add_file("big", Blob::from_bytes(vec![b'x'; 1_500_000]), 0o644, 0)
        .unwrap();
    let dockerfile = "FROM scratch\nCOPY big /big\nENV A=1\nCMD [\"/big\"]\n";
    let mut store = Store::new();
    let out = build(
        &mut store,
        &mut BuildCache::new(),
        &BuildInput {
            dockerfile,
            dockerfile_path: "Dockerfile",
            context: &ctx,
        },
        &BuildOptions {
            personality,
            tag: Some("demo".to_string()),
            ..BuildOptions::default()
        },
    );
    assert!(out.error.is_none(), "{:?}", out.error);
    (store, out.image_id.unwrap())
}

/// Every step's image is in the store, so every row names its image; the table
/// is docker's, CREATED relative to the given now.
#[test]
fn history_names_every_stored_step_and_prints_dockers_table() {
    let (store, id) = built(Personality::BuildKit);
    let rows = history(&store, &id).unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.id.is_some()));
    assert_eq!(rows[0].id, Some(id));
    let now = crate::builder::DEFAULT_EPOCH + 3 * 86400;
    let table = history_table(
        &rows,
        HistoryFormat {
            now: Some(now),
            no_trunc: false,
        },
    );
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r.id.unwrap().hex()[..12].to_string())
        .collect();
    let size = human_size(rows[2].size);
    assert_eq!(size, "1.5MB");
    let expected = format!(
        "IMAGE          CREATED      CREATED BY                 SIZE      COMMENT\n\
         {}   3 days ago   CMD [\"/big\"]               0B        buildkit.dockerfile.v0\n\
         {}   3 days ago   ENV A=1                    0B        buildkit.dockerfile.v0\n\
         {}   3 days ago   COPY big /big # buildkit   1.5MB     buildkit.dockerfile.v0\n",
        ids[0], ids[1], ids[2]
    );
    assert_eq!(table, expected);
}

/// An image whose steps are not in the store shows `<missing>` below its top,
/// like a pulled image; without a clock CREATED is the absolute time, and
/// `--no-trunc` keeps whole IDs.
#[test]
fn rows_without_their_image_are_missing() {
    let (full, id) = built(Personality::Legacy);
    let mut store = Store::new();
    let config = full.image(&id).unwrap().config_json.clone();
    for layer in full.layers_of(&id).unwrap() {
        store.add_layer((*layer).clone());
    }
    let only = store.add_image_json(&config).unwrap();
    assert_eq!(only, id);
    let rows = history(&store, &id).unwrap();
    let table = history_table(&rows, HistoryFormat::default());
    let top = &id.hex()[..12];
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(
        lines[1].starts_with(&format!(
            "{top}   2024-01-01T00:00:00Z   /bin/sh -c #(nop) CMD [\"/big\"]"
        )),
        "{table}"
    );
    assert!(
        lines[2].starts_with("<missing>      2024-01-01T00:00:00Z   "),
        "{table}"
    );
    assert!(lines[3].contains("/bin/sh -c #(nop) COPY file:"), "{table}");
    assert!(lines[3].contains("…   1.5MB     FROM "), "{table}");
    let wide = history_table(
        &rows,
        HistoryFormat {
            now: None,
            no_trunc: true,
        },
    );
    assert!(wide.lines().nth(1).unwrap().starts_with(&id.to_string()));
    assert!(!wide.contains('…'));
    let json = history_json(&rows, HistoryFormat::default());
    let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(first["ID"], top);
    assert_eq!(first["Size"], "0B");
    assert_eq!(first["CreatedAt"], "2024-01-01T00:00:00Z");
}

/// `docker images`: one row per tag, untagged final images as `<none>`, the
/// intermediate steps hidden.
#[test]
fn images_lists_tags_and_hides_intermediate_steps() {
    let (mut store, id) = built(Personality::BuildKit);
    store.tag("localhost:5000/team/app:v1", &id).unwrap();
    // Docker Hub's full and familiar names are one reference, listed familiar.
    store.tag("docker.io/library/demo:latest", &id).unwrap();
    store.tag("docker.io/team/tool:2", &id).unwrap();
    let rows = images(&store);
    let table = images_table(&rows, Some(crate::builder::DEFAULT_EPOCH + 7200));
    let short = &id.hex()[..12];
    assert_eq!(
        table,
        format!(
            "REPOSITORY                TAG       IMAGE ID       CREATED       SIZE\n\
             demo                      latest    {short}   2 hours ago   1.5MB\n\
             localhost:5000/team/app   v1        {short}   2 hours ago   1.5MB\n\
             team/tool                 2         {short}   2 hours ago   1.5MB\n"
        )
    );
}
