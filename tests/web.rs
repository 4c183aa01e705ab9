//! Thin wasm smoke tests, run in headless Chromium: the engine computes the same
//! digests in WebAssembly as natively, and the container facade works there.
#![cfg(target_arch = "wasm32")]

use layerlab::layer::{DiffStyle, Layer};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The layer of `tests/data/known_pair.rs` has the diffID the native test
/// `union::layer_digests_are_pinned` asserts, so native == wasm.
/// What the engine returned, as the JSON a page would see (`JSON.stringify`).
fn json(value: wasm_bindgen::JsValue) -> serde_json::Value {
    let text = js_sys::JSON::stringify(&value).unwrap();
    serde_json::from_str(&String::from(text)).unwrap()
}

#[wasm_bindgen_test]
fn layer_digest_is_the_same_as_natively() {
    let (parent, child) = include!("data/known_pair.rs");
    let layer = Layer::diff(&parent, &child, DiffStyle::BuildKit).layer;
    assert_eq!(
        layer.diff_id().to_string(),
        "sha256:d9a0a33e4a4c7d00487878311ecf006af2cea1483ffd235925eda6db2665f13d"
    );
}

/// `inspectArchive` reads an archive in the browser: a layerlab export of the
/// known layer comes back as a report with that layer's diffID.
#[wasm_bindgen_test]
fn inspect_archive_reports_an_exported_image() {
    use layerlab::image::Image;
    use layerlab::oci::export::{self, ExportOptions, Format};
    use layerlab::store::Store;
    let (parent, child) = include!("data/known_pair.rs");
    let layer = Layer::diff(&parent, &child, DiffStyle::BuildKit).layer;
    let mut store = Store::new();
    let mut image = Image::scratch();
    image.diff_ids.push(store.add_layer(layer));
    let id = store.add_image(image).unwrap();
    store.tag("web:1", &id).unwrap();
    let options = ExportOptions {
        format: Format::Docker,
        gzip: true,
    };
    let bytes = export::to_bytes(&store, "web:1", options).unwrap();
    let report = layerlab::api::inspect_archive(&bytes).unwrap();
    let report: serde_json::Value = json(report);
    assert_eq!(report["image"], id.to_string());
    assert_eq!(
        report["layers"][0]["diff_id"],
        "sha256:d9a0a33e4a4c7d00487878311ecf006af2cea1483ffd235925eda6db2665f13d"
    );
    assert!(layerlab::api::inspect_archive(b"not an archive").is_err());
}

/// The build of `tests/data/pinned_build.rs` has the image ID the native test
/// `build::a_scratch_build_has_a_pinned_image_id` asserts, so native == wasm.
#[wasm_bindgen_test]
fn a_build_gives_the_same_image_id_as_natively() {
    use layerlab::builder::{build, BuildInput, BuildOptions};
    let (dockerfile, ctx) = include!("data/pinned_build.rs");
    let mut store = layerlab::store::Store::new();
    let input = BuildInput {
        dockerfile,
        dockerfile_path: "Dockerfile",
        context: &ctx,
    };
    let out = build(
        &mut store,
        &mut layerlab::cache::BuildCache::new(),
        &input,
        &BuildOptions::default(),
    );
    assert_eq!(
        out.image_id.map(|d| d.to_string()).as_deref(),
        Some("sha256:046c4f7c985222a2a793b0959cd2eb70e211e719c43e751d8d39080e94795635")
    );
}

/// The container methods of the facade, as the page calls them: run a container of
/// a build step, change a base file, list and read it back, commit, run the
/// committed image, and a clear error for an unknown container ID.
#[wasm_bindgen_test]
fn the_container_facade_runs_execs_and_commits() {
    use js_sys::{Array, Object, Reflect};
    use layerlab::api::Session;
    use wasm_bindgen::JsValue;
    let get = |value: &JsValue, key: &str| Reflect::get(value, &JsValue::from_str(key)).unwrap();
    let mut session = Session::new();
    let request = Object::new();
    Reflect::set(
        &request,
        &"dockerfile".into(),
        &"FROM alpine\nRUN echo v1 > /v\n".into(),
    )
    .unwrap();
    let built = session.build(request.into()).unwrap();
    assert_eq!(get(&built, "ok").as_bool(), Some(true));
    let steps = Array::from(&get(&built, "steps")).length() as usize;
    let started = session.run_container(steps - 1, JsValue::NULL).unwrap();
    let id = get(&started, "id").as_string().unwrap();
    assert_eq!(Array::from(&get(&started, "process")).join(" "), "/bin/sh");
    let result = session.exec(&id, "echo x >> /v && echo done").unwrap();
    assert_eq!(
        get(&result, "stdout").as_string().as_deref(),
        Some("done\n")
    );
    assert_eq!(get(&result, "exitCode").as_f64(), Some(0.0));
    let diff = Array::from(&session.container_diff(&id).unwrap());
    assert_eq!(diff.length(), 1);
    assert_eq!(get(&diff.get(0), "path").as_string().as_deref(), Some("/v"));
    let layer = session.container_layer(&id).unwrap();
    let index = get(&layer, "index").as_f64().unwrap();
    let listing = Array::from(&session.container_ls(&id, "/").unwrap());
    let v = listing
        .iter()
        .find(|e| get(e, "name").as_string().as_deref() == Some("v"))
        .unwrap();
    assert_eq!(get(&v, "layer").as_f64(), Some(index));
    assert_eq!(session.container_cat(&id, "/v").unwrap(), b"v1\nx\n");
    session.commit(&id, "mine:1").unwrap();
    let command = Array::of2(&"cat".into(), &"/v".into());
    let again = session
        .run_container_image("mine:1", command.into())
        .unwrap();
    let output = get(&again, "output");
    assert_eq!(
        get(&output, "stdout").as_string().as_deref(),
        Some("v1\nx\n")
    );
    session.remove_container(&id).unwrap();
    let error: JsValue = session.exec(&id, "true").unwrap_err().into();
    assert_eq!(
        get(&error, "message").as_string(),
        Some(format!("no such container: {id}"))
    );
}

/// The session's build result carries the reorder advice, `noCacheFilter` reaches
/// the build, `history(step, now)` humanises CREATED, and the personality
/// differences come as plain rows.
#[wasm_bindgen_test]
fn the_session_reports_advice_history_and_differences() {
    use wasm_bindgen::JsValue;
    let differences: serde_json::Value = json(layerlab::api::personality_differences().unwrap());
    let rows = differences.as_array().unwrap();
    assert!(rows.len() >= 10);
    assert!(rows
        .iter()
        .all(|r| r["topic"].is_string() && r["buildkit"].is_string() && r["source"].is_string()));

    let set = |object: &js_sys::Object, key: &str, value: &JsValue| {
        js_sys::Reflect::set(object, &JsValue::from_str(key), value).unwrap();
    };
    let files = js_sys::Object::new();
    set(&files, "package.json", &JsValue::from_str("{}\n"));
    let request = js_sys::Object::new();
    set(
        &request,
        "dockerfile",
        &JsValue::from_str("FROM busybox\nCOPY . .\nRUN npm ci || true\n"),
    );
    set(&request, "files", &files);
    let mut session = layerlab::api::Session::new();
    session.build(request.clone().into()).unwrap();
    let filter = js_sys::Array::new();
    filter.push(&JsValue::from_str("stage-0"));
    set(&request, "noCacheFilter", &filter);
    let result: serde_json::Value = json(session.build(request.into()).unwrap());
    assert_eq!(result["advice"][0]["lines"], serde_json::json!([3, 2]));
    // A missing value is null, not undefined, as the TypeScript types say: FROM
    // makes no layer of its own.
    assert_eq!(
        result["steps"][0].get("diffId"),
        Some(&serde_json::Value::Null)
    );
    assert_eq!(
        result["steps"][2]["reason"],
        "miss: --no-cache-filter names this stage"
    );
    let history = json(
        session
            .history(2, Some(1_704_067_200.0 + 86_400.0))
            .unwrap(),
    );
    assert_eq!(history[0]["createdSince"], "24 hours ago");
    assert_eq!(history[0]["image"].as_str().unwrap().len(), 12);
}
