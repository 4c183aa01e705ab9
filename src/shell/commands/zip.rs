//! The zip container of Java's jars: what the simulated `mvn package` writes (`META-INF/MANIFEST.MF`, placeholder classes,
//! nested jars) and what `java -jar` reads its manifest from. The files are real
//! zips that `unzip` and `jar tf` open; layerlab writes nothing deflated (to keep
//! it small) but reads deflated entries, as jars made by real tools have.

/// A zip archive's bytes holding `entries` (name, contents) in order, stored,
/// every entry dated `mtime` (Unix time, written as MS-DOS time in UTC).
pub fn write_stored(entries: &[(String, Vec<u8>)], mtime: i64) -> Vec<u8> {
    let (time, date) = dos_time(mtime);
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let offset = out.len() as u32;
        let size = data.len() as u32;
        // The fields both headers share, from "version needed" to the name length.
        let mut common = Vec::with_capacity(26);
        common.extend_from_slice(&10u16.to_le_bytes());
        common.extend_from_slice(&0u16.to_le_bytes());
        common.extend_from_slice(&0u16.to_le_bytes());
        common.extend_from_slice(&time.to_le_bytes());
        common.extend_from_slice(&date.to_le_bytes());
        common.extend_from_slice(&crc.sum().to_le_bytes());
        common.extend_from_slice(&size.to_le_bytes());
        common.extend_from_slice(&size.to_le_bytes());
        common.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&common);
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&0x031eu16.to_le_bytes());
        central.extend_from_slice(&common);
        // Extra and comment lengths, disk number, internal attributes.
        central.extend_from_slice(&[0; 8]);
        let mode: u32 = if name.ends_with('/') {
            0o40755
        } else {
            0o100644
        };
        central.extend_from_slice(&(mode << 16).to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let (start, length) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    let count = entries.len() as u16;
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&length.to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// The contents of entry `name` of a zip (see `entries`); `None` when `bytes` is
/// not a zip layerlab can read or has no such entry.
pub fn read_stored(bytes: &[u8], name: &str) -> Option<Vec<u8>> {
    entries(bytes)?
        .into_iter()
        .find_map(|(n, data)| (n == name).then_some(data))
}

/// The most a zip's deflated entries may inflate to in all (a real jar's classes).
const INFLATE_LIMIT: usize = 64 << 20;

/// Every entry of a zip (name, contents) in central-directory order, read through
/// its central directory; stored and deflated entries (real jars deflate their
/// classes); `None` when `bytes` is not a zip, an entry uses another method, or
/// the entries would inflate past `INFLATE_LIMIT`.
pub fn entries(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let u16_at = |i: usize| Some(u16::from_le_bytes(bytes.get(i..i + 2)?.try_into().ok()?));
    let u32_at = |i: usize| Some(u32::from_le_bytes(bytes.get(i..i + 4)?.try_into().ok()?));
    let end = bytes.len().checked_sub(22)?;
    if u32_at(end)? != 0x0605_4b50 {
        return None;
    }
    let (count, mut at) = (u16_at(end + 10)?, u32_at(end + 16)? as usize);
    let mut out = Vec::with_capacity(usize::from(count));
    let mut inflated = 0usize;
    for _ in 0..count {
        if u32_at(at)? != 0x0201_4b50 {
            return None;
        }
        let method = u16_at(at + 10)?;
        let size = u32_at(at + 20)? as usize;
        let unpacked = u32_at(at + 24)? as usize;
        let name_len = u16_at(at + 28)? as usize;
        let skip = name_len + u16_at(at + 30)? as usize + u16_at(at + 32)? as usize;
        let offset = u32_at(at + 42)? as usize;
        let name = String::from_utf8_lossy(bytes.get(at + 46..at + 46 + name_len)?).into_owned();
        let data = offset + 30 + u16_at(offset + 26)? as usize + u16_at(offset + 28)? as usize;
        let raw = bytes.get(data..data.checked_add(size)?)?;
        let contents = match method {
            0 => raw.to_vec(),
            // Deflated (a jar made by a real tool): inflated up to its declared
            // size, and at most INFLATE_LIMIT bytes for the whole archive.
            8 => {
                inflated = inflated
                    .checked_add(unpacked)
                    .filter(|n| *n <= INFLATE_LIMIT)?;
                let mut out = Vec::with_capacity(unpacked);
                let decoder = flate2::read::DeflateDecoder::new(raw);
                std::io::Read::read_to_end(
                    &mut std::io::Read::take(decoder, unpacked as u64),
                    &mut out,
                )
                .ok()?;
                out
            }
            _ => return None,
        };
        out.push((name, contents));
        at = at.checked_add(46 + skip)?;
    }
    Some(out)
}

/// MS-DOS time and date fields for a Unix time (UTC; 1980 at the earliest).
fn dos_time(t: i64) -> (u16, u16) {
    let (y, mo, d, h, mi, s) = super::system::civil(t.max(315_532_800));
    let time = ((h << 11) | (mi << 5) | (s / 2)) as u16;
    let date = ((((y - 1980) as u32) << 9) | (mo << 5) | d) as u16;
    (time, date)
}
