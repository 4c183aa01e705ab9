use super::*;

fn record(instruction: &str, inputs: &[(&str, &str)]) -> StepRecord {
    StepRecord {
        instruction: instruction.to_string(),
        inputs: inputs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

#[test]
fn keys_separate_their_parts() {
    assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
    assert_eq!(key(&[b"x"]), key(&[b"x"]));
}

#[test]
fn every_reason_is_worded_for_people() {
    let mut cache = BuildCache::new();
    let now = record("RUN pip install flask", &[]);
    assert_eq!(
        cache.explain_miss("stage-0", 1, &now, None).reason,
        "miss: first build"
    );
    cache.record_build(vec![(
        "stage-0".to_string(),
        vec![
            record("FROM python", &[("base", "sha256:aa")]),
            record("RUN pip install flask", &[]),
            record(
                "COPY requirements.txt .",
                &[("file:requirements.txt", "sha256:3f2a0000")],
            ),
            record("RUN echo $V", &[("arg:V", "1")]),
        ],
    )]);
    assert_eq!(
        cache
            .explain_miss("stage-0", 1, &record("RUN pip install django", &[]), None)
            .reason,
        "miss: the instruction changed (was `RUN pip install flask`)"
    );
    assert_eq!(
        cache
            .explain_miss(
                "stage-0",
                2,
                &record(
                    "COPY requirements.txt .",
                    &[("file:requirements.txt", "sha256:9c1d0000")]
                ),
                None
            )
            .reason,
        "miss: requirements.txt changed (sha256 3f2a.. -> 9c1d..)"
    );
    assert_eq!(
        cache
            .explain_miss(
                "stage-0",
                3,
                &record("RUN echo $V", &[("arg:V", "2")]),
                None
            )
            .reason,
        "miss: build arg V changed"
    );
    let mut modes = BuildCache::new();
    modes.record_build(vec![(
        "stage-0".to_string(),
        vec![record(
            "COPY a.sh /",
            &[("file:a.sh", "sha256:3f2a mode 644")],
        )],
    )]);
    assert_eq!(
        modes
            .explain_miss(
                "stage-0",
                0,
                &record("COPY a.sh /", &[("file:a.sh", "sha256:3f2a mode 755")]),
                None
            )
            .reason,
        "miss: a.sh's mode changed (644 -> 755)"
    );
    assert_eq!(
        cache.explain_miss("stage-0", 3, &now, Some(3)).reason,
        "miss: an earlier step missed (step 3)"
    );
    assert_eq!(
        cache.explain_miss("stage-0", 9, &now, None).reason,
        "miss: a new step"
    );
    assert_eq!(
        cache
            .explain_miss(
                "stage-0",
                0,
                &record("FROM python", &[("base", "sha256:bb")]),
                None
            )
            .reason,
        "miss: the base image changed"
    );
}

#[test]
fn the_index_survives_a_round_trip_through_json() {
    let mut cache = BuildCache::new();
    let image = key(&[b"image"]);
    cache.put(
        key(&[b"k"]),
        CachedResult {
            image_id: image,
            fs: None,
            layer: Some(key(&[b"layer"])),
            changes: ChangeCounts {
                added: 1,
                modified: 2,
                deleted: 3,
                type_changed: 0,
                metadata_only: 1,
            },
            output: "done\n".to_string(),
            notices: vec![Notice {
                kind: NoticeKind::Simulated,
                program: "apt-get".to_string(),
                message: "simulated".to_string(),
            }],
        },
    );
    cache.record_build(vec![(
        "stage-0".to_string(),
        vec![record("RUN x", &[("arg:A", "1")])],
    )]);
    let text = cache.to_json();
    let back = BuildCache::from_json(&text).unwrap();
    assert_eq!(back.to_json(), text);
    let result = back.get(&key(&[b"k"])).unwrap();
    assert_eq!(
        (
            result.image_id,
            result.changes.deleted,
            result.notices.len()
        ),
        (image, 3, 1)
    );
    assert!(back.has_history());
    assert!(BuildCache::from_json("{").is_err_and(|e| e.contains("delete it")));
}
