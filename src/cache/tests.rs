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
