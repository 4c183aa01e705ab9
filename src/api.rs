//! The JavaScript facade: the only module that touches wasm-bindgen.
//!
//! Every exported function converts its arguments, calls the core, and hands back
//! plain data; errors cross as JS `Error` objects, never as panics.

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Installs the panic hook once the module is instantiated: a last resort so a bug
/// in the engine shows up in the console instead of as an opaque `unreachable`.
#[wasm_bindgen(start)]
pub fn start() {
    #[cfg(feature = "console_error_panic_hook")]
    console_error_panic_hook::set_once();
}

/// The engine version, so the page can show which engine answered.
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    crate::VERSION.to_string()
}

/// One instruction as the page lists it.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct InstructionDto {
    keyword: String,
    start_line: usize,
    end_line: usize,
    original: String,
    stage: Option<usize>,
}

/// One diagnostic as the editor marks it.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct DiagnosticDto {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    severity: &'static str,
    message: String,
}

/// What `parseDockerfile` returns.
#[derive(serde::Serialize)]
struct ParsedDockerfileDto {
    instructions: Vec<InstructionDto>,
    diagnostics: Vec<DiagnosticDto>,
}

#[wasm_bindgen(typescript_custom_section)]
const PARSED_DOCKERFILE_TS: &str = r#"
export interface DockerfileInstruction {
  /** The keyword in upper case, e.g. "RUN". */
  keyword: string;
  /** First and last line (1-based), continuations and heredocs included. */
  startLine: number;
  endLine: number;
  /** The instruction's text after joining continuation lines. */
  original: string;
  /** Index of the build stage, null for ARGs before the first FROM. */
  stage: number | null;
}

export interface DockerfileDiagnostic {
  /** 1-based; endColumn is exclusive. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: "error" | "warning";
  /** BuildKit's wording where BuildKit has one. */
  message: string;
}

export interface ParsedDockerfile {
  instructions: DockerfileInstruction[];
  diagnostics: DockerfileDiagnostic[];
}
"#;

/// Parses a Dockerfile the way BuildKit does and returns a `ParsedDockerfile`:
/// its instructions and its diagnostics. Mistakes in the Dockerfile are
/// diagnostics, never exceptions.
#[wasm_bindgen(js_name = parseDockerfile, unchecked_return_type = "ParsedDockerfile")]
pub fn parse_dockerfile(text: &str) -> Result<JsValue, JsError> {
    use crate::dockerfile::diagnostic::Severity;

    let (parsed, diagnostics) = crate::dockerfile::parse(text);
    let instructions = parsed
        .as_ref()
        .map(|dockerfile| {
            dockerfile
                .instructions()
                .into_iter()
                .map(|(stage, instruction)| InstructionDto {
                    keyword: instruction.keyword.to_uppercase(),
                    start_line: instruction.start_line,
                    end_line: instruction.end_line,
                    original: instruction.original.clone(),
                    stage,
                })
                .collect()
        })
        .unwrap_or_default();
    let diagnostics = diagnostics
        .into_iter()
        .map(|d| DiagnosticDto {
            line: d.line,
            column: d.column,
            end_line: d.end_line,
            end_column: d.end_column,
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            message: d.message,
        })
        .collect();
    let dto = ParsedDockerfileDto {
        instructions,
        diagnostics,
    };
    to_js(&dto)
}

// ---------------------------------------------------------------------------
// The stateful session: store, cache and the last build, asked by step index.

use crate::builder::{BuildInput, BuildOptions, BuildOutcome, Personality, StepKind};
use crate::cache::BuildCache;
use crate::container::{Container, ContainerOptions, RunArgs, WritableKind};
use crate::context::BuildContext;
use crate::digest::Digest;
use crate::store::Store;
use crate::union::Union;
use crate::vfs::blob::Blob;

/// Context files from the page arrive dated this (2024-01-01): the page has no
/// real mtimes to offer and digests must not depend on the moment of upload.
const PAGE_FILE_MTIME: i64 = 1_704_067_200;

/// The engine as the page uses it: one store and build cache for the session, and
/// the last build, whose steps the page then asks about by index.
#[wasm_bindgen]
pub struct Session {
    store: Store,
    cache: BuildCache,
    last: Option<BuildOutcome>,
    union: Option<(Digest, Union)>,
    containers: std::collections::BTreeMap<String, Container>,
    next_container: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StepDto {
    index: usize,
    stage: usize,
    stage_name: String,
    position: usize,
    stage_len: usize,
    instruction: String,
    line: usize,
    kind: &'static str,
    cached: Option<bool>,
    reason: Option<String>,
    image_id: String,
    diff_id: Option<String>,
    size: u64,
    created_by: Option<String>,
    output: String,
    notices: Vec<String>,
    added: usize,
    modified: usize,
    deleted: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BuildDto {
    ok: bool,
    error: Option<String>,
    error_line: Option<usize>,
    error_column: Option<usize>,
    image_id: Option<String>,
    steps: Vec<StepDto>,
    log: Vec<String>,
    skipped_stages: Vec<String>,
    advice: Vec<AdviceDto>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AdviceDto {
    message: String,
    lines: Vec<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LayerDto {
    index: usize,
    diff_id: String,
    size: u64,
    created_by: String,
    /// The build step that made the layer, `null` for the base image's layers.
    step: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EntryDto {
    name: String,
    kind: char,
    mode: u32,
    uid: u32,
    gid: u32,
    size: u64,
    target: Option<String>,
    layer: Option<usize>,
    shadowed: Vec<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChangeDto {
    kind: char,
    path: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WasteDto {
    total_bytes: u64,
    wasted_bytes: u64,
    efficiency: f64,
    files: Vec<WastedFileDto>,
    deleted: Vec<DeletedDto>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WastedFileDto {
    path: String,
    copies: usize,
    total_bytes: u64,
    wasted_bytes: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeletedDto {
    path: String,
    layer: usize,
    origin: Option<usize>,
    size: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HistoryRowDto {
    image: String,
    created: String,
    created_since: String,
    created_by: String,
    size: u64,
    human_size: String,
    comment: String,
    empty_layer: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ImageUsageDto {
    id: String,
    tags: Vec<String>,
    created: Option<String>,
    size: u64,
    shared_size: u64,
    unique_size: u64,
    layers: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DiskUsageDto {
    images: Vec<ImageUsageDto>,
    layers_size: u64,
    naive_size: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ImportDto {
    images: Vec<ImportedImageDto>,
    warnings: Vec<ImportWarningDto>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ImportedImageDto {
    id: String,
    tags: Vec<String>,
    layers: Vec<ImportedLayerDto>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ImportedLayerDto {
    digest: String,
    diff_id: String,
    size: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ImportWarningDto {
    entry: String,
    message: String,
}

#[wasm_bindgen(typescript_custom_section)]
const SESSION_TS: &str = r#"
export interface BuildRequest {
  dockerfile: string;
  /** Context files by path: text or bytes. */
  files?: Record<string, string | Uint8Array>;
  buildArgs?: Record<string, string>;
  target?: string;
  noCache?: boolean;
  /** `--no-cache-filter`: stages whose steps all run again. */
  noCacheFilter?: string[];
  builder?: "buildkit" | "legacy";
  tag?: string;
  /** What `RUN --mount=type=secret,id=ID` shows, by id (never in a key or layer). */
  secrets?: Record<string, string>;
}
export interface BuildStep {
  index: number; stage: number; stageName: string; position: number; stageLen: number;
  instruction: string; line: number; kind: "from" | "layer" | "metadata";
  cached: boolean | null; reason: string | null; imageId: string; diffId: string | null;
  size: number; createdBy: string | null; output: string; notices: string[];
  added: number; modified: number; deleted: number;
}
export interface BuildResult {
  ok: boolean; error: string | null; errorLine: number | null; errorColumn: number | null;
  imageId: string | null; steps: BuildStep[]; log: string[]; skippedStages: string[];
  /** Suggestions to reorder lines so an install stays cached; `lines` are the
   * Dockerfile lines involved (the line to move first). */
  advice: BuildAdvice[];
}
export interface BuildAdvice { message: string; lines: number[]; }
export interface LayerFilm { index: number; diffId: string; size: number; createdBy: string; step: number | null; }
export interface FsEntry {
  name: string; kind: "f" | "d" | "l" | "c" | "b" | "p"; mode: number; uid: number; gid: number;
  size: number; target: string | null; layer: number | null; shadowed: number[];
}
export interface HistoryRow {
  /** 12-hex image ID, or "<missing>" where docker history shows it. */
  image: string; created: string;
  /** "3 days ago" relative to the `now` passed in, else the absolute time. */
  createdSince: string;
  createdBy: string; size: number;
  /** The size as docker prints it ("1.23MB", "0B"). */
  humanSize: string;
  comment: string; emptyLayer: boolean;
}
export interface DiskUsage {
  images: { id: string; tags: string[]; created: string | null; size: number; sharedSize: number; uniqueSize: number; layers: number }[];
  /** Bytes of every distinct layer, shared layers counted once. */
  layersSize: number;
  /** The sum of image sizes, shared layers counted once per image. */
  naiveSize: number;
}
export interface ImageSummary { id: string; tags: string[]; created: string | null; size: number; sharedSize: number; uniqueSize: number; layers: number; }
export interface ImportResult {
  /** Each image the archive held; `size` is the layer blob's size as stored. */
  images: { id: string; tags: string[]; layers: { digest: string; diffId: string; size: number }[] }[];
  /** Odd things accepted on the way, each naming its archive entry. */
  warnings: { entry: string; message: string }[];
}
export interface ExportOptions { format?: "oci" | "docker"; gzip?: boolean; }
export interface LayerChangeRow { kind: "A" | "C" | "D"; path: string; }
export interface WasteReport {
  totalBytes: number; wastedBytes: number; efficiency: number;
  files: { path: string; copies: number; totalBytes: number; wastedBytes: number }[];
  deleted: { path: string; layer: number; origin: number | null; size: number }[];
}
"#;

/// A result as a plain JS value: written as JSON here and parsed by the engine's
/// `JSON.parse`, which costs less wasm than building the object field by field
/// through imports (serde-wasm-bindgen took 8 KB of its own and a second copy of every
/// result type's serializer). `None` becomes `null`, as the TypeScript types say.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&text)
        .map_err(|_| JsError::new("the engine wrote a result JSON.parse refused"))
}

fn field(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Reads a `Record<string, string>` (or nothing) into ordered pairs.
fn string_pairs(value: &JsValue) -> Vec<(String, String)> {
    if !value.is_object() {
        return Vec::new();
    }
    js_sys::Object::entries(&js_sys::Object::from(value.clone()))
        .iter()
        .filter_map(|pair| {
            let pair = js_sys::Array::from(&pair);
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// Reads a `string[]` (or nothing) into strings; other items are skipped.
fn string_list(value: &JsValue) -> Vec<String> {
    if !js_sys::Array::is_array(value) {
        return Vec::new();
    }
    js_sys::Array::from(value)
        .iter()
        .filter_map(|item| item.as_string())
        .collect()
}

/// Reads a `string[]` strictly: None when it is not an array or an item is not a string.
fn strings_only(value: &JsValue) -> Option<Vec<String>> {
    if !js_sys::Array::is_array(value) {
        return None;
    }
    js_sys::Array::from(value)
        .iter()
        .map(|item| item.as_string())
        .collect()
}

fn context_from(files: &JsValue) -> Result<BuildContext, JsError> {
    let mut context = BuildContext::new();
    if !files.is_object() {
        return Ok(context);
    }
    for pair in js_sys::Object::entries(&js_sys::Object::from(files.clone())).iter() {
        let pair = js_sys::Array::from(&pair);
        let path = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        let bytes = match value.as_string() {
            Some(text) => text.into_bytes(),
            None => js_sys::Uint8Array::new(&value).to_vec(),
        };
        context
            .add_file(&path, Blob::from_bytes(bytes), 0o644, PAGE_FILE_MTIME)
            .map_err(|e| JsError::new(&e.to_string()))?;
    }
    Ok(context)
}

#[wasm_bindgen]
impl Session {
    /// A session with an empty store and cache.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session {
            store: Store::new(),
            cache: BuildCache::new(),
            last: None,
            union: None,
            containers: std::collections::BTreeMap::new(),
            next_container: 0,
        }
    }

    /// Builds a Dockerfile with its context; failures are in the result, not thrown.
    #[wasm_bindgen(unchecked_return_type = "BuildResult")]
    pub fn build(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "BuildRequest")] request: JsValue,
    ) -> Result<JsValue, JsError> {
        let dockerfile = field(&request, "dockerfile")
            .as_string()
            .ok_or_else(|| JsError::new("build needs a dockerfile string"))?;
        let context = context_from(&field(&request, "files"))?;
        let options = BuildOptions {
            build_args: string_pairs(&field(&request, "buildArgs")),
            target: field(&request, "target")
                .as_string()
                .filter(|t| !t.is_empty()),
            no_cache: field(&request, "noCache").as_bool().unwrap_or(false),
            no_cache_filter: string_list(&field(&request, "noCacheFilter")),
            personality: match field(&request, "builder").as_string().as_deref() {
                Some("legacy") => Personality::Legacy,
                _ => Personality::BuildKit,
            },
            tag: field(&request, "tag").as_string(),
            secrets: string_pairs(&field(&request, "secrets"))
                .into_iter()
                .map(|(id, value)| (id, value.into_bytes()))
                .collect(),
            ..BuildOptions::default()
        };
        let input = BuildInput {
            dockerfile: &dockerfile,
            dockerfile_path: "Dockerfile",
            context: &context,
        };
        let outcome = crate::builder::build(&mut self.store, &mut self.cache, &input, &options);
        let dto = BuildDto {
            ok: outcome.error.is_none(),
            error: outcome.error.as_ref().map(|e| e.to_string()),
            error_line: outcome.error.as_ref().and_then(|e| e.line),
            error_column: outcome.error.as_ref().and_then(|e| e.column),
            image_id: outcome.image_id.map(|d| d.to_string()),
            steps: outcome.steps.iter().map(step_dto).collect(),
            log: outcome.log.clone(),
            skipped_stages: outcome.skipped_stages.clone(),
            advice: outcome
                .advice
                .iter()
                .map(|a| AdviceDto {
                    message: a.message.clone(),
                    lines: a.lines.clone(),
                })
                .collect(),
        };
        self.last = Some(outcome);
        to_js(&dto)
    }

    /// The layer stack ("films") of the image at `step`, bottom first.
    #[wasm_bindgen(unchecked_return_type = "LayerFilm[]")]
    pub fn layers(&self, step: usize) -> Result<JsValue, JsError> {
        let (outcome, image_id) = self.step_image(step)?;
        let count = self.stored_image(&image_id)?.diff_ids.len();
        // Walk back through the stage's steps: each step that made a layer owns
        // the next layer down from the top; what is left came with FROM.
        let mut owners = vec![None; count];
        let mut next = owners.len();
        for s in outcome.steps[..=step].iter().rev() {
            if s.diff_id.is_some() && next > 0 {
                next -= 1;
                owners[next] = Some(s.index);
            }
            if s.kind == StepKind::From {
                break;
            }
        }
        to_js(&self.films(&image_id, &owners)?)
    }

    /// The merged view's directory `path` at `step`, with each entry's origin layer.
    #[wasm_bindgen(unchecked_return_type = "FsEntry[]")]
    pub fn ls(&mut self, step: usize, path: &str) -> Result<JsValue, JsError> {
        let (_, image_id) = self.step_image(step)?;
        self.ls_of(image_id, path)
    }

    /// The bytes of the file at `path` in the merged view at `step`.
    pub fn cat(&mut self, step: usize, path: &str) -> Result<Vec<u8>, JsError> {
        let union = self.union_at(step)?;
        let blob = union
            .read_file(path)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(blob.bytes().into_owned())
    }

    /// `docker diff` of layer `layer` of the image at `step`.
    #[wasm_bindgen(unchecked_return_type = "LayerChangeRow[]")]
    pub fn changes(&mut self, step: usize, layer: usize) -> Result<JsValue, JsError> {
        let union = self.union_at(step)?;
        let rows: Vec<ChangeDto> = union
            .changes(layer)
            .iter()
            .map(|c| ChangeDto {
                kind: c.kind.letter(),
                path: c.path.to_string(),
            })
            .collect();
        to_js(&rows)
    }

    /// Wasted bytes and efficiency of the image at `step`, dive-style (N-1 copies).
    #[wasm_bindgen(unchecked_return_type = "WasteReport")]
    pub fn waste(&mut self, step: usize) -> Result<JsValue, JsError> {
        let (_, image_id) = self.step_image(step)?;
        self.waste_of(image_id)
    }
}

#[wasm_bindgen]
impl Session {
    /// `docker history` of the image at `step`, newest first: `image` is the
    /// 12-hex ID where the store holds the image that row is the top of, else
    /// `<missing>` (moby's rule, `listing::history`). `now` (seconds since the
    /// epoch, from the page's clock) makes `createdSince` read "3 days ago";
    /// without it `createdSince` is the absolute time.
    #[wasm_bindgen(unchecked_return_type = "HistoryRow[]")]
    pub fn history(&self, step: usize, now: Option<f64>) -> Result<JsValue, JsError> {
        let (_, image_id) = self.step_image(step)?;
        let rows = crate::listing::history(&self.store, &image_id)
            .map_err(|e| JsError::new(&e.to_string()))?;
        let format = crate::listing::HistoryFormat {
            now: now.map(|n| n as i64),
            no_trunc: true,
        };
        let dtos: Vec<HistoryRowDto> = rows
            .iter()
            .map(|row| HistoryRowDto {
                image: row
                    .id
                    .map_or_else(|| "<missing>".to_string(), |id| id.hex()[..12].to_string()),
                created: row.created.map(|t| t.to_string()).unwrap_or_default(),
                created_since: crate::listing::created_since(row.created, format.now),
                created_by: row.created_by.clone(),
                size: row.size,
                human_size: crate::listing::human_size(row.size),
                comment: row.comment.clone(),
                empty_layer: row.empty_layer,
            })
            .collect();
        to_js(&dtos)
    }

    /// `docker system df -v`: each image's size, shared and unique bytes.
    #[wasm_bindgen(unchecked_return_type = "DiskUsage")]
    pub fn df(&self) -> Result<JsValue, JsError> {
        let usage = self.store.disk_usage();
        to_js(&DiskUsageDto {
            images: usage_dtos(&self.store, usage.images),
            layers_size: usage.layers_size,
            naive_size: usage.naive_size,
        })
    }

    /// The image at `step` as an oci-archive (or `docker save` tar) for download.
    #[wasm_bindgen(js_name = exportImage)]
    pub fn export_image(
        &self,
        step: usize,
        #[wasm_bindgen(unchecked_param_type = "ExportOptions")] options: JsValue,
    ) -> Result<Vec<u8>, JsError> {
        use crate::oci::export::{ExportOptions, Format};
        let (_, image_id) = self.step_image(step)?;
        let format = match field(&options, "format").as_string().as_deref() {
            Some("docker") => Format::Docker,
            _ => Format::Oci,
        };
        let gzip = field(&options, "gzip").as_bool().unwrap_or(false);
        crate::oci::export::to_bytes(
            &self.store,
            &image_id.to_string(),
            ExportOptions { format, gzip },
        )
        .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Imports an image archive (oci-archive or `docker save` tar, plain or
    /// gzipped) into the session's store, tagged `name` when given, so the page
    /// can explore it by tag or ID. Throws an `Error` naming the entry when the
    /// archive cannot be read; the store is unchanged then.
    #[wasm_bindgen(js_name = importImage, unchecked_return_type = "ImportResult")]
    pub fn import_image(&mut self, bytes: &[u8], name: Option<String>) -> Result<JsValue, JsError> {
        let imported = crate::oci::import::import(
            &mut self.store,
            bytes,
            name.as_deref(),
            &crate::oci::ImportLimits::default(),
        )
        .map_err(|e| JsError::new(&e.to_string()))?;
        to_js(&ImportDto {
            images: imported
                .images
                .into_iter()
                .map(|i| ImportedImageDto {
                    id: i.id.to_string(),
                    tags: i.tags,
                    layers: i
                        .layers
                        .into_iter()
                        .map(|l| ImportedLayerDto {
                            digest: l.digest.to_string(),
                            diff_id: l.diff_id.to_string(),
                            size: l.blob_size,
                        })
                        .collect(),
                })
                .collect(),
            warnings: imported
                .warnings
                .into_iter()
                .map(|w| ImportWarningDto {
                    entry: w.entry,
                    message: w.message,
                })
                .collect(),
        })
    }

    /// The images in the session's store (built and imported), sorted by ID.
    #[wasm_bindgen(unchecked_return_type = "ImageSummary[]")]
    pub fn images(&self) -> Result<JsValue, JsError> {
        to_js(&image_usage(&self.store))
    }

    /// The layer stack of a stored image named by tag or ID, bottom first; no
    /// layer has a step (it was not built in this session's last build).
    #[wasm_bindgen(js_name = layersImage, unchecked_return_type = "LayerFilm[]")]
    pub fn layers_image(&self, reference: &str) -> Result<JsValue, JsError> {
        let image_id = self.resolve(reference)?;
        let count = self.stored_image(&image_id)?.diff_ids.len();
        to_js(&self.films(&image_id, &vec![None; count])?)
    }

    /// `ls` of directory `path` in the merged view of a stored image (tag or ID).
    #[wasm_bindgen(js_name = lsImage, unchecked_return_type = "FsEntry[]")]
    pub fn ls_image(&mut self, reference: &str, path: &str) -> Result<JsValue, JsError> {
        let image_id = self.resolve(reference)?;
        self.ls_of(image_id, path)
    }

    /// Wasted bytes and efficiency of a stored image (tag or ID), dive-style.
    #[wasm_bindgen(js_name = wasteImage, unchecked_return_type = "WasteReport")]
    pub fn waste_image(&mut self, reference: &str) -> Result<JsValue, JsError> {
        let image_id = self.resolve(reference)?;
        self.waste_of(image_id)
    }
}

/// One layer's version of a path, for the file browser's shadowed versions.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VersionDto {
    layer: usize,
    size: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PathVersionsDto {
    present: bool,
    versions: Vec<VersionDto>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FoundDto {
    path: String,
    kind: char,
    size: u64,
    layer: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FindDto {
    found: Vec<FoundDto>,
    truncated: bool,
}

#[wasm_bindgen(typescript_custom_section)]
const FILE_BROWSER_TS: &str = r#"
export interface PathVersions {
  /** Whether the path is in the merged view (false: its last version was deleted). */
  present: boolean;
  /** Every layer that wrote the path, bottom first; the last is the visible one when present. */
  versions: { layer: number; size: number }[];
}
export interface DeletedEntry {
  /** Relative path (no leading "/"). */
  path: string;
  /** The layer whose whiteout, opaque marker or replacement deleted it. */
  layer: number;
  /** The layer that had written the deleted version. */
  origin: number | null;
  size: number;
}
export interface FindResult {
  /** Absolute paths in walk order (depth first, names in byte order). */
  found: { path: string; kind: "f" | "d" | "l" | "c" | "b" | "p"; size: number; layer: number | null }[];
  /** More paths matched than the limit. */
  truncated: boolean;
}
"#;

/// What the file browser asks beyond `ls` and `cat`: the versions a path had,
/// the whited-out names of a directory, and a search by path.
#[wasm_bindgen]
impl Session {
    /// Every layer that wrote `path` in the image at `step` (bottom first, with
    /// sizes), and whether it is visible; `null` for a path no layer wrote.
    #[wasm_bindgen(unchecked_return_type = "PathVersions | null")]
    pub fn versions(&mut self, step: usize, path: &str) -> Result<JsValue, JsError> {
        let union = self.union_at(step)?;
        let dto = union.history(path).map(|h| PathVersionsDto {
            present: h.is_present(),
            versions: h
                .versions()
                .into_iter()
                .map(|v| VersionDto {
                    layer: v.layer,
                    size: v.size,
                })
                .collect(),
        });
        to_js(&dto)
    }

    /// The entries deleted directly inside directory `path` that stay deleted in
    /// the image at `step` (whited out or hidden by an opaque directory), by path.
    #[wasm_bindgen(unchecked_return_type = "DeletedEntry[]")]
    pub fn deleted(&mut self, step: usize, path: &str) -> Result<JsValue, JsError> {
        let union = self.union_at(step)?;
        let dto: Vec<DeletedDto> = union
            .deleted_in(path)
            .into_iter()
            .map(|d| DeletedDto {
                path: d.path.clone(),
                layer: d.layer,
                origin: d.origin,
                size: d.size,
            })
            .collect();
        to_js(&dto)
    }

    /// Paths of the merged view at `step` matching `pattern` (a substring, or a
    /// glob: `*.conf` against base names, `/app/*.txt` or `/etc/**` against whole
    /// paths), at most `limit`. Throws on a malformed glob. (These docs are copied
    /// into JavaScript comments, so they must never hold a star followed by a slash.)
    #[wasm_bindgen(unchecked_return_type = "FindResult")]
    pub fn find(&mut self, step: usize, pattern: &str, limit: usize) -> Result<JsValue, JsError> {
        let union = self.union_at(step)?;
        let matches = union
            .find(pattern, limit)
            .map_err(|e| JsError::new(&e.to_string()))?;
        to_js(&FindDto {
            found: matches
                .found
                .into_iter()
                .map(|m| FoundDto {
                    kind: m.stat.kind.letter(),
                    size: m.stat.size(),
                    path: m.path,
                    layer: m.origin,
                })
                .collect(),
            truncated: matches.truncated,
        })
    }
}

impl Default for Session {
    fn default() -> Session {
        Session::new()
    }
}

impl Session {
    fn step_image(&self, step: usize) -> Result<(&BuildOutcome, Digest), JsError> {
        let outcome = self
            .last
            .as_ref()
            .ok_or_else(|| JsError::new("nothing has been built yet"))?;
        let image_id = outcome
            .steps
            .get(step)
            .ok_or_else(|| JsError::new(&format!("there is no step {step}")))?
            .image_id;
        Ok((outcome, image_id))
    }

    /// The image a tag or ID names in the store.
    fn resolve(&self, reference: &str) -> Result<Digest, JsError> {
        self.store
            .resolve(reference)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    fn stored_image(&self, image_id: &Digest) -> Result<&crate::image::Image, JsError> {
        self.store
            .image(image_id)
            .map(|stored| &stored.image)
            .ok_or_else(|| JsError::new("the image is not in the store"))
    }

    /// The layer films of `image_id`, each with the step that made it (`owners`).
    fn films(&self, image_id: &Digest, owners: &[Option<usize>]) -> Result<Vec<LayerDto>, JsError> {
        let image = self.stored_image(image_id)?;
        let layered: Vec<&crate::image::History> =
            image.history.iter().filter(|h| !h.empty_layer).collect();
        Ok(image
            .diff_ids
            .iter()
            .enumerate()
            .map(|(index, diff_id)| LayerDto {
                index,
                diff_id: diff_id.to_string(),
                size: self.store.layer(diff_id).map_or(0, |l| l.size()),
                created_by: layered
                    .get(index)
                    .map(|h| h.created_by.clone())
                    .unwrap_or_default(),
                step: owners.get(index).copied().flatten(),
            })
            .collect())
    }

    /// The merged view's directory `path` of `image_id`.
    fn ls_of(&mut self, image_id: Digest, path: &str) -> Result<JsValue, JsError> {
        let union = self.union_of(image_id)?;
        let entries = union
            .list_dir(path)
            .map_err(|e| JsError::new(&e.to_string()))?;
        let dto: Vec<EntryDto> = entries.into_iter().map(entry_dto).collect();
        to_js(&dto)
    }

    /// Wasted bytes and efficiency of `image_id`.
    fn waste_of(&mut self, image_id: Digest) -> Result<JsValue, JsError> {
        let union = self.union_of(image_id)?;
        let waste = union.waste();
        let dto = WasteDto {
            total_bytes: waste.total_bytes,
            wasted_bytes: waste.wasted_bytes,
            efficiency: waste.efficiency,
            files: waste
                .files
                .into_iter()
                .map(|f| WastedFileDto {
                    path: f.path,
                    copies: f.copies,
                    total_bytes: f.total_bytes,
                    wasted_bytes: f.wasted_bytes,
                })
                .collect(),
            deleted: union
                .deletions()
                .iter()
                .map(|d| DeletedDto {
                    path: d.path.clone(),
                    layer: d.layer,
                    origin: d.origin,
                    size: d.size,
                })
                .collect(),
        };
        to_js(&dto)
    }

    /// The union view of the image at `step`, kept until another step is asked for.
    fn union_at(&mut self, step: usize) -> Result<&Union, JsError> {
        let (_, image_id) = self.step_image(step)?;
        self.union_of(image_id)
    }

    /// The union view of `image_id`, kept until another image is asked for.
    fn union_of(&mut self, image_id: Digest) -> Result<&Union, JsError> {
        if self.union.as_ref().is_none_or(|(id, _)| *id != image_id) {
            let union = self
                .store
                .union(&image_id)
                .map_err(|e| JsError::new(&e.to_string()))?;
            self.union = Some((image_id, union));
        }
        match &self.union {
            Some((_, union)) => Ok(union),
            None => Err(JsError::new("the union view could not be made")),
        }
    }
}

// ---------------------------------------------------------------------------
// Containers: a writable layer over a step's image or a stored image.

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ContainerDto {
    id: String,
    image_id: String,
    process: Option<Vec<String>>,
    process_error: Option<String>,
    output: Option<ExecDto>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExecDto {
    stdout: String,
    stderr: String,
    exit_code: i32,
    warnings: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WritableEntryDto {
    path: String,
    kind: &'static str,
    from_layer: Option<usize>,
    size: u64,
}

#[wasm_bindgen(typescript_custom_section)]
const CONTAINER_TS: &str = r#"
export interface ExecResult { stdout: string; stderr: string; exitCode: number; warnings: string[]; }
export interface ContainerStart {
  /** 64 hex digits; the page shows the first 12, as `docker ps` does. */
  id: string; imageId: string;
  /** ENTRYPOINT + CMD as the process's argv, or null when there is none. */
  process: string[] | null;
  /** Docker's "no command specified" error when `process` is null. */
  processError: string | null;
  /** What the process printed when it ran once (null when it could not start). */
  output: ExecResult | null;
}
export interface WritableEntry {
  path: string;
  /** added: new in the container; copied-up: the image had it (see fromLayer);
   *  whiteout: hides the image's entry; opaque: hides a directory's old contents. */
  kind: "added" | "copied-up" | "whiteout" | "opaque";
  fromLayer: number | null; size: number;
}
"#;

#[wasm_bindgen]
impl Session {
    /// `docker run` of the image at `step` of the last build: creates a container
    /// and starts its process once (ENTRYPOINT + CMD, `command` replacing CMD).
    /// Without a command the container is still created, with Docker's error in
    /// `processError`, so the page can exec in it.
    #[wasm_bindgen(js_name = runContainer, unchecked_return_type = "ContainerStart")]
    pub fn run_container(
        &mut self,
        step: usize,
        #[wasm_bindgen(unchecked_param_type = "string[] | null | undefined")] command: JsValue,
    ) -> Result<JsValue, JsError> {
        let (_, image_id) = self.step_image(step)?;
        self.start_container(image_id, command)
    }

    /// `docker run` of a stored image named by tag or ID (see `runContainer`).
    #[wasm_bindgen(js_name = runContainerImage, unchecked_return_type = "ContainerStart")]
    pub fn run_container_image(
        &mut self,
        reference: &str,
        #[wasm_bindgen(unchecked_param_type = "string[] | null | undefined")] command: JsValue,
    ) -> Result<JsValue, JsError> {
        let image_id = self.resolve(reference)?;
        self.start_container(image_id, command)
    }

    /// Runs a shell script in the container (`docker exec ID sh -c SCRIPT`).
    #[wasm_bindgen(unchecked_return_type = "ExecResult")]
    pub fn exec(&mut self, id: &str, script: &str) -> Result<JsValue, JsError> {
        let result = self.container_mut(id)?.exec(script);
        to_js(&exec_dto(result))
    }

    /// `docker diff` of the container: A/C/D rows sorted by path.
    #[wasm_bindgen(js_name = containerDiff, unchecked_return_type = "LayerChangeRow[]")]
    pub fn container_diff(&self, id: &str) -> Result<JsValue, JsError> {
        let rows: Vec<ChangeDto> = self
            .container(id)?
            .diff()
            .into_iter()
            .map(|r| ChangeDto {
                kind: r.kind.letter(),
                path: r.path,
            })
            .collect();
        to_js(&rows)
    }

    /// The writable layer as a film on top of the image's stack (index = number
    /// of image layers, `step` null).
    #[wasm_bindgen(js_name = containerLayer, unchecked_return_type = "LayerFilm")]
    pub fn container_layer(&self, id: &str) -> Result<JsValue, JsError> {
        let c = self.container(id)?;
        let layer = c.layer();
        to_js(&LayerDto {
            index: c.lower_layers(),
            diff_id: layer.diff_id().to_string(),
            size: layer.size(),
            created_by: format!("container {} (writable layer)", &c.id()[..12]),
            step: None,
        })
    }

    /// The writable layer's entries: added, copied up from layer N, whiteouts.
    #[wasm_bindgen(js_name = containerEntries, unchecked_return_type = "WritableEntry[]")]
    pub fn container_entries(&self, id: &str) -> Result<JsValue, JsError> {
        let rows: Vec<WritableEntryDto> = self
            .container(id)?
            .entries()
            .into_iter()
            .map(|e| {
                let (kind, from_layer) = match e.kind {
                    WritableKind::Added => ("added", None),
                    WritableKind::CopiedUp { from_layer } => ("copied-up", from_layer),
                    WritableKind::Whiteout { from_layer } => ("whiteout", from_layer),
                    WritableKind::Opaque => ("opaque", None),
                };
                WritableEntryDto {
                    path: e.path,
                    kind,
                    from_layer,
                    size: e.size,
                }
            })
            .collect();
        to_js(&rows)
    }

    /// `ls` of directory `path` in the container (the writable layer is the top
    /// layer: `layer` equals its index for what the container wrote).
    #[wasm_bindgen(js_name = containerLs, unchecked_return_type = "FsEntry[]")]
    pub fn container_ls(&self, id: &str, path: &str) -> Result<JsValue, JsError> {
        let view = self.container(id)?.view().map_err(|e| JsError::new(&e))?;
        let entries = view
            .list_dir(path)
            .map_err(|e| JsError::new(&e.to_string()))?;
        to_js(&entries.into_iter().map(entry_dto).collect::<Vec<_>>())
    }

    /// The bytes of the file at `path` in the container.
    #[wasm_bindgen(js_name = containerCat)]
    pub fn container_cat(&self, id: &str, path: &str) -> Result<Vec<u8>, JsError> {
        let blob = self
            .container(id)?
            .fs()
            .read_file(path)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(blob.bytes().into_owned())
    }

    /// `docker commit ID TAG`: stores the container as a new image and returns
    /// its summary (as `images()` lists it).
    #[wasm_bindgen(unchecked_return_type = "ImageSummary")]
    pub fn commit(&mut self, id: &str, tag: &str) -> Result<JsValue, JsError> {
        let tag = Some(tag).filter(|t| !t.trim().is_empty());
        let key = self.container_key(id)?;
        let c = self
            .containers
            .get(&key)
            .ok_or_else(|| JsError::new(&format!("no such container: {id}")))?;
        let image_id = c
            .commit(&mut self.store, tag, None)
            .map_err(|e| JsError::new(&e))?;
        let summary = image_usage(&self.store)
            .into_iter()
            .find(|i| i.id == image_id.to_string())
            .ok_or_else(|| JsError::new("the committed image is not in the store"))?;
        to_js(&summary)
    }

    /// `docker rm`: forgets the container and its writable layer.
    #[wasm_bindgen(js_name = removeContainer)]
    pub fn remove_container(&mut self, id: &str) -> Result<(), JsError> {
        let key = self.container(id)?.id().to_string();
        self.containers.remove(&key);
        Ok(())
    }
}

impl Session {
    fn start_container(&mut self, image_id: Digest, command: JsValue) -> Result<JsValue, JsError> {
        let command: Option<Vec<String>> =
            if command.is_null() || command.is_undefined() {
                None
            } else {
                Some(strings_only(&command).ok_or_else(|| {
                    JsError::new("the command must be an array of strings, or null")
                })?)
            };
        let args = RunArgs {
            command: command.unwrap_or_default(),
            entrypoint: None,
        };
        let mut c = Container::create(
            &self.store,
            &image_id,
            &args,
            self.next_container,
            ContainerOptions::default(),
        )
        .map_err(|e| JsError::new(&e))?;
        self.next_container += 1;
        let (process, process_error, output) = match c.process() {
            Ok(argv) => (Some(argv), None, c.start().ok().map(exec_dto)),
            Err(message) => (None, Some(message), None),
        };
        let dto = ContainerDto {
            id: c.id().to_string(),
            image_id: image_id.to_string(),
            process,
            process_error,
            output,
        };
        self.containers.insert(c.id().to_string(), c);
        to_js(&dto)
    }

    /// The container with this ID (or a unique prefix of it, as `docker` accepts).
    fn container(&self, id: &str) -> Result<&Container, JsError> {
        let key = self.container_key(id)?;
        self.containers
            .get(&key)
            .ok_or_else(|| JsError::new(&format!("no such container: {id}")))
    }

    fn container_mut(&mut self, id: &str) -> Result<&mut Container, JsError> {
        let key = self.container_key(id)?;
        self.containers
            .get_mut(&key)
            .ok_or_else(|| JsError::new(&format!("no such container: {id}")))
    }

    fn container_key(&self, id: &str) -> Result<String, JsError> {
        if self.containers.contains_key(id) {
            return Ok(id.to_string());
        }
        let mut matches = self
            .containers
            .keys()
            .filter(|k| !id.is_empty() && k.starts_with(id));
        match (matches.next(), matches.next()) {
            (Some(key), None) => Ok(key.clone()),
            (Some(_), Some(_)) => Err(JsError::new(&format!(
                "container id {id} is ambiguous: give more of it"
            ))),
            _ => Err(JsError::new(&format!("no such container: {id}"))),
        }
    }
}

/// A merged-view directory entry as `ls` returns it.
fn entry_dto(e: crate::union::UnionEntry) -> EntryDto {
    EntryDto {
        name: e.name,
        kind: e.stat.kind.letter(),
        mode: e.stat.meta.mode,
        uid: e.stat.meta.uid,
        gid: e.stat.meta.gid,
        size: e.stat.size(),
        target: match &e.stat.kind {
            crate::vfs::Kind::Symlink(t) => Some(t.clone()),
            _ => None,
        },
        layer: e.origin,
        shadowed: e.shadowed,
    }
}

fn exec_dto(result: crate::container::ExecResult) -> ExecDto {
    ExecDto {
        stdout: result.stdout,
        stderr: result.stderr,
        exit_code: result.exit_code,
        warnings: result.warnings,
    }
}

/// The store's images as `df` and `images` list them.
fn image_usage(store: &Store) -> Vec<ImageUsageDto> {
    usage_dtos(store, store.disk_usage().images)
}

fn usage_dtos(store: &Store, images: Vec<crate::store::ImageUsage>) -> Vec<ImageUsageDto> {
    images
        .into_iter()
        .map(|i| ImageUsageDto {
            id: i.id.to_string(),
            tags: i.tags,
            created: store
                .image(&i.id)
                .and_then(|s| s.image.created)
                .map(|t| t.to_string()),
            size: i.size,
            shared_size: i.shared_size,
            unique_size: i.unique_size,
            layers: i.layers,
        })
        .collect()
}

fn step_dto(step: &crate::builder::Step) -> StepDto {
    StepDto {
        index: step.index,
        stage: step.stage,
        stage_name: step.stage_label.clone(),
        position: step.position,
        stage_len: step.stage_len,
        instruction: step.instruction.clone(),
        line: step.line,
        kind: match step.kind {
            StepKind::From => "from",
            StepKind::Layer => "layer",
            StepKind::Metadata => "metadata",
        },
        cached: step.cache.as_ref().map(|v| v.hit),
        reason: step.cache.as_ref().map(|v| v.reason.clone()),
        image_id: step.image_id.to_string(),
        diff_id: step.diff_id.map(|d| d.to_string()),
        size: step.size,
        created_by: step.created_by.clone(),
        output: step.output.clone(),
        notices: step.notices.iter().map(|n| n.message.clone()).collect(),
        added: step.changes.added,
        modified: step.changes.modified,
        deleted: step.changes.deleted,
    }
}

#[derive(Serialize)]
struct DifferenceDto {
    topic: &'static str,
    buildkit: &'static str,
    legacy: &'static str,
    source: &'static str,
}

#[wasm_bindgen(typescript_custom_section)]
const DIFFERENCES_TS: &str = r#"
export interface PersonalityDifference {
  /** What the row is about ("WORKDIR", "History comment"...). */
  topic: string;
  /** What BuildKit does (`builder: "buildkit"`). */
  buildkit: string;
  /** What the classic builder (buildah 1.28) does (`builder: "legacy"`). */
  legacy: string;
  /** Where it is written down: a source file, a docs page, or SEMANTICS.md. */
  source: string;
}
"#;

/// Every difference between the `buildkit` and `legacy` builders, with its
/// source, for the page to show side by side (the list `docs/personalities.md`
/// prints). Stateless.
#[wasm_bindgen(js_name = personalityDifferences, unchecked_return_type = "PersonalityDifference[]")]
pub fn personality_differences() -> Result<JsValue, JsError> {
    let rows: Vec<DifferenceDto> = crate::builder::differences::DIFFERENCES
        .iter()
        .map(|d| DifferenceDto {
            topic: d.topic,
            buildkit: d.buildkit,
            legacy: d.legacy,
            source: d.source,
        })
        .collect();
    to_js(&rows)
}

/// The dive-like report of an image archive dropped on the page (`docker save`
/// tar or oci-archive, plain or gzipped): the same object `layerlab inspect
/// --json` prints (`layers` with `digest`, `diff_id`, `size`, `created_by`,
/// `added`, `modified`, `deleted`; `size`, `wasted_bytes`, `efficiency`,
/// `inefficient_files`, `warnings`...). Throws an `Error` naming the entry when
/// the archive cannot be read. Stateless: nothing is kept after the call.
#[wasm_bindgen(js_name = inspectArchive)]
pub fn inspect_archive(bytes: &[u8]) -> Result<JsValue, JsError> {
    let report = crate::oci::inspect::inspect_archive(bytes, &crate::oci::ImportLimits::default())
        .map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&report)
}
