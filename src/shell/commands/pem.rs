//! Text armour for simulated key material: base64 (RFC 4648, padded) wrapped the
//! way PEM files (`mkcert`) and OpenPGP armour (`gpg --armor`) wrap it.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard padded base64.
pub fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `data` as base64 lines of `width` characters, each ended by a newline.
pub fn wrapped(data: &[u8], width: usize) -> String {
    let text = base64(data);
    let mut out = String::with_capacity(text.len() + text.len() / width + 1);
    for line in text.as_bytes().chunks(width) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out
}

/// A PEM block: `-----BEGIN LABEL-----`, base64 in 64 columns, `-----END LABEL-----`.
pub fn pem(label: &str, data: &[u8]) -> String {
    format!(
        "-----BEGIN {label}-----\n{}-----END {label}-----\n",
        wrapped(data, 64)
    )
}

/// OpenPGP's CRC-24 (RFC 4880, section 6.1), for the armour checksum line.
pub fn crc24(data: &[u8]) -> u32 {
    let mut crc: u32 = 0x00B7_04CE;
    for byte in data {
        crc ^= u32::from(*byte) << 16;
        for _ in 0..8 {
            crc <<= 1;
            if crc & 0x0100_0000 != 0 {
                crc ^= 0x0186_4CFB;
            }
        }
    }
    crc & 0x00FF_FFFF
}
