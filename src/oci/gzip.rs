//! gzip in and out: detection by magic bytes, bounded decompression, and a
//! deterministic compressor.
//!
//! Export compresses with flate2's pure-Rust backend at a fixed level with a
//! fixed header (no file name, mtime 0, OS byte 255 "unknown"), so the same layer
//! always gives the same blob (not the bytes Go's gzip writes: digests of gzip
//! blobs differ from Docker's, diffIDs do not). Import detects compression by the
//! magic bytes, not the media type, because archives in the wild mislabel it.

use super::ImportError;
use std::io::{self, Read, Write};

/// The compression level every export uses (zlib's default).
pub const LEVEL: u32 = 6;

/// How a blob is compressed, judged from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detected {
    /// A gzip stream (`1f 8b`).
    Gzip,
    /// A zstd frame (`28 b5 2f fd`), which layerlab does not read.
    Zstd,
    /// Anything else, read as a plain tar.
    Plain,
}

/// Looks at the magic bytes.
pub fn detect(bytes: &[u8]) -> Detected {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        Detected::Gzip
    } else if bytes.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Detected::Zstd
    } else {
        Detected::Plain
    }
}

/// Decompresses a gzip blob (several members are read as one stream, as pigz
/// writes them), refusing to produce more than `limit` bytes.
pub fn decompress(entry: &str, bytes: &[u8], limit: u64) -> Result<Vec<u8>, ImportError> {
    let mut decoder = flate2::read::MultiGzDecoder::new(bytes).take(limit.saturating_add(1));
    let mut out = Vec::new();
    decoder
        .read_to_end(&mut out)
        .map_err(|e| ImportError::new(entry, format!("corrupt or truncated gzip data ({e})")))?;
    if out.len() as u64 > limit {
        return Err(ImportError::new(
            entry,
            format!("decompresses to more than the {limit} bytes allowed (ImportLimits::max_unpacked_bytes)"),
        ));
    }
    Ok(out)
}

/// A deterministic gzip writer over `out` (see the module docs).
pub fn encoder<W: Write>(out: W) -> flate2::write::GzEncoder<W> {
    flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(out, flate2::Compression::new(LEVEL))
}

/// Compresses what `write` produces, deterministically.
pub fn compress(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Vec<u8> {
    let mut encoder = encoder(Vec::new());
    // Writing into a Vec cannot fail, nor can finishing it.
    let _ = write(&mut encoder);
    encoder.finish().unwrap_or_default()
}
