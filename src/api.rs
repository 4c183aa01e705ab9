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
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    dto.serialize(&serializer)
        .map_err(|e| JsError::new(&e.to_string()))
}
