//! The deterministic tar writer: the same layer always gives the same bytes.
//!
//! Headers are written by hand (not through a tar library) so every byte is chosen
//! here: USTAR headers (`ustar\0` `00`), zero-padded octal fields ending in NUL,
//! numeric ids and empty user/group names, names relative with directories ending
//! in `/`, symlinks 0777, whiteouts regular files with mode 0, 0:0, mtime 0 and
//! size 0 (containerd's writer, which BuildKit uses), an opaque marker 0755 mtime 0.
//! A PAX extended header comes first only when a name, link target or number does
//! not fit its USTAR field (Go's archive/tar names it `DIR/PaxHeaders.0/BASE`).
//! The archive ends with two zero blocks, so an empty layer is 1024 zero bytes.

use super::{opaque_name, whiteout_name, EntryKind, Layer, LayerEntry};
use crate::vfs::{Kind, Meta};
use std::io::{self, Write};

const BLOCK: usize = 512;
/// The largest value an 11-digit octal field holds (size, mtime).
const MAX_OCTAL_11: u64 = 0o77777777777;
/// The largest value a 7-digit octal field holds (uid, gid).
const MAX_OCTAL_7: u64 = 0o7777777;

impl Layer {
    /// Writes the layer as an uncompressed tar to `out` (a layer read from a tar
    /// writes that tar's bytes unchanged).
    pub fn write_tar(&self, out: &mut dyn Write) -> io::Result<()> {
        if let Some(original) = &self.original {
            return out.write_all(original);
        }
        for entry in &self.entries {
            write_entry(out, entry)?;
        }
        out.write_all(&[0u8; BLOCK * 2])
    }

    /// The uncompressed tar (the blob whose sha256 is the diffID).
    pub fn tar(&self) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = self.write_tar(&mut out);
        out
    }

    /// The gzip-compressed tar (what registries store). flate2's output is
    /// deterministic (no name, mtime 0) but not the bytes Docker's Go gzip writes.
    pub fn tar_gzip(&self) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = self.write_tar(&mut encoder);
        encoder.finish().unwrap_or_default()
    }
}

/// The fields of one tar header before encoding.
struct Header<'a> {
    name: String,
    meta: Meta,
    size: u64,
    typeflag: u8,
    linkname: &'a str,
    device: (u32, u32),
}

fn write_entry(out: &mut dyn Write, entry: &LayerEntry) -> io::Result<()> {
    let path = entry.path.as_str();
    let zero = Meta::new(0);
    let header = match &entry.change {
        EntryKind::Node { kind, meta } => {
            let (typeflag, size, linkname, device, meta) = match kind {
                Kind::Dir => (b'5', 0, "", (0, 0), *meta),
                Kind::File(blob) => (b'0', blob.len(), "", (0, 0), *meta),
                Kind::Symlink(target) => (
                    b'2',
                    0,
                    target.as_str(),
                    (0, 0),
                    Meta {
                        mode: 0o777,
                        ..*meta
                    },
                ),
                Kind::CharDevice { major, minor } => (b'3', 0, "", (*major, *minor), *meta),
                Kind::BlockDevice { major, minor } => (b'4', 0, "", (*major, *minor), *meta),
                Kind::Fifo => (b'6', 0, "", (0, 0), *meta),
            };
            let name = if typeflag == b'5' {
                format!("{path}/")
            } else {
                path.to_string()
            };
            Header {
                name,
                meta,
                size,
                typeflag,
                linkname,
                device,
            }
        }
        EntryKind::Hardlink { target, meta } => Header {
            name: path.to_string(),
            meta: *meta,
            size: 0,
            typeflag: b'1',
            linkname: target,
            device: (0, 0),
        },
        EntryKind::Whiteout => Header {
            name: whiteout_name(path),
            meta: zero,
            size: 0,
            typeflag: b'0',
            linkname: "",
            device: (0, 0),
        },
        EntryKind::Opaque => Header {
            name: opaque_name(path),
            meta: Meta::new(0o755),
            size: 0,
            typeflag: b'0',
            linkname: "",
            device: (0, 0),
        },
    };
    write_header(out, &header)?;
    if let EntryKind::Node {
        kind: Kind::File(blob),
        ..
    } = &entry.change
    {
        let mut result = Ok(());
        blob.for_each_chunk(|chunk| {
            if result.is_ok() {
                result = out.write_all(chunk);
            }
        });
        result?;
        let pad = (BLOCK - (blob.len() % BLOCK as u64) as usize) % BLOCK;
        out.write_all(&[0u8; BLOCK][..pad])?;
    }
    Ok(())
}

fn write_header(out: &mut dyn Write, h: &Header<'_>) -> io::Result<()> {
    let mut records = Vec::new();
    if h.name.len() > 100 {
        records.push(("path", h.name.clone()));
    }
    if h.linkname.len() > 100 {
        records.push(("linkpath", h.linkname.to_string()));
    }
    if h.size > MAX_OCTAL_11 {
        records.push(("size", h.size.to_string()));
    }
    if u64::from(h.meta.uid) > MAX_OCTAL_7 {
        records.push(("uid", h.meta.uid.to_string()));
    }
    if u64::from(h.meta.gid) > MAX_OCTAL_7 {
        records.push(("gid", h.meta.gid.to_string()));
    }
    if h.meta.mtime < 0 || h.meta.mtime as u64 > MAX_OCTAL_11 {
        records.push(("mtime", h.meta.mtime.to_string()));
    }
    if !records.is_empty() {
        let mut data = Vec::new();
        for (key, value) in &records {
            data.extend_from_slice(pax_record(key, value).as_bytes());
        }
        let pax = Header {
            name: pax_header_name(&h.name),
            meta: Meta::new(0),
            size: data.len() as u64,
            typeflag: b'x',
            linkname: "",
            device: (0, 0),
        };
        out.write_all(&encode(&pax))?;
        out.write_all(&data)?;
        let pad = (BLOCK - data.len() % BLOCK) % BLOCK;
        out.write_all(&[0u8; BLOCK][..pad])?;
    }
    out.write_all(&encode(h))
}

/// The 512-byte USTAR header; fields that do not fit were put in a PAX header and
/// are left zero or truncated here.
fn encode(h: &Header<'_>) -> [u8; BLOCK] {
    let mut b = [0u8; BLOCK];
    put_str(&mut b[0..100], &h.name);
    put_octal(&mut b[100..108], u64::from(h.meta.mode & 0o7777));
    put_octal(&mut b[108..116], fit(u64::from(h.meta.uid), MAX_OCTAL_7));
    put_octal(&mut b[116..124], fit(u64::from(h.meta.gid), MAX_OCTAL_7));
    put_octal(&mut b[124..136], fit(h.size, MAX_OCTAL_11));
    let mtime = u64::try_from(h.meta.mtime).unwrap_or(0);
    put_octal(&mut b[136..148], fit(mtime, MAX_OCTAL_11));
    b[156] = h.typeflag;
    put_str(&mut b[157..257], h.linkname);
    b[257..263].copy_from_slice(b"ustar\0");
    b[263..265].copy_from_slice(b"00");
    put_octal(&mut b[329..337], fit(u64::from(h.device.0), MAX_OCTAL_7));
    put_octal(&mut b[337..345], fit(u64::from(h.device.1), MAX_OCTAL_7));
    b[148..156].copy_from_slice(b"        ");
    let sum: u64 = b.iter().map(|&x| u64::from(x)).sum();
    put_octal(&mut b[148..155], sum);
    b[155] = b' ';
    b
}

fn fit(value: u64, max: u64) -> u64 {
    if value > max {
        0
    } else {
        value
    }
}

/// Copies as much of `s` as fits (a longer value is in the PAX header).
fn put_str(field: &mut [u8], s: &str) {
    let n = s.len().min(field.len());
    field[..n].copy_from_slice(&s.as_bytes()[..n]);
}

/// Zero-padded octal filling the field but its last byte, which stays NUL.
fn put_octal(field: &mut [u8], value: u64) {
    let digits = field.len() - 1;
    let text = format!("{value:0digits$o}");
    let bytes = text.as_bytes();
    let start = bytes.len().saturating_sub(digits);
    field[..digits].copy_from_slice(&bytes[start..]);
}

/// A PAX record `"LEN key=value\n"`, where LEN counts the whole record.
fn pax_record(key: &str, value: &str) -> String {
    let body = key.len() + value.len() + 3;
    let mut len = body + body.to_string().len();
    if len.to_string().len() + body != len {
        len = body + len.to_string().len();
    }
    format!("{len} {key}={value}\n")
}

/// Go's name for a PAX header entry: `DIR/PaxHeaders.0/BASE`, at most 100 bytes.
fn pax_header_name(name: &str) -> String {
    let trimmed = name.trim_end_matches('/');
    let full = match trimmed.rsplit_once('/') {
        Some((dir, base)) => format!("{dir}/PaxHeaders.0/{base}"),
        None => format!("PaxHeaders.0/{trimmed}"),
    };
    let mut end = full.len().min(100);
    while !full.is_char_boundary(end) {
        end -= 1;
    }
    full[..end].to_string()
}
