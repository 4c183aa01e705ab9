//! The outer tar of an exported archive, written as it streams: a header, then
//! the member's bytes from wherever they are (a layer writing itself, a JSON
//! string), then padding. Fixed fields (root-owned, mtime 0, 0644 files, 0755
//! directories, USTAR), so the same image gives the same archive.

use std::io::{self, Write};

const BLOCK: usize = 512;

/// A tar being written to `out`.
pub struct TarWriter<'w> {
    out: &'w mut dyn Write,
}

impl<'w> TarWriter<'w> {
    /// Starts an archive on `out`.
    pub fn new(out: &'w mut dyn Write) -> TarWriter<'w> {
        TarWriter { out }
    }

    /// A directory member (`name` without the trailing `/`).
    pub fn dir(&mut self, name: &str) -> io::Result<()> {
        self.out
            .write_all(&header(&format!("{name}/"), 0, 0o755, b'5')?)
    }

    /// A file member holding `bytes`.
    pub fn file(&mut self, name: &str, bytes: &[u8]) -> io::Result<()> {
        self.stream(name, bytes.len() as u64, &mut |out| out.write_all(bytes))
    }

    /// A file member of `size` bytes written by `write`, which must write exactly
    /// `size` bytes (checked: a mismatch would corrupt the archive).
    pub fn stream(
        &mut self,
        name: &str,
        size: u64,
        write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        self.out.write_all(&header(name, size, 0o644, b'0')?)?;
        let mut counted = Counter {
            inner: &mut *self.out,
            count: 0,
        };
        write(&mut counted)?;
        if counted.count != size {
            return Err(io::Error::other(format!(
                "{name}: wrote {} bytes, announced {size}",
                counted.count
            )));
        }
        let pad = (BLOCK - (size % BLOCK as u64) as usize) % BLOCK;
        self.out.write_all(&[0u8; BLOCK][..pad])
    }

    /// Ends the archive (two zero blocks).
    pub fn finish(self) -> io::Result<()> {
        self.out.write_all(&[0u8; BLOCK * 2])
    }
}

/// Counts the bytes a writer passes on (or swallows, with `io::sink`): how a
/// member's size is known before it is streamed.
pub struct Counter<W: Write> {
    /// Where the bytes go.
    pub inner: W,
    /// Bytes written so far.
    pub count: u64,
}

impl<W: Write> Write for Counter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn header(name: &str, size: u64, mode: u32, typeflag: u8) -> io::Result<[u8; BLOCK]> {
    if name.len() > 100 {
        return Err(io::Error::other(format!("member name too long: {name}")));
    }
    if size > 0o77777777777 {
        return Err(io::Error::other(format!(
            "{name}: {size} bytes do not fit a tar header"
        )));
    }
    let mut b = [0u8; BLOCK];
    b[..name.len()].copy_from_slice(name.as_bytes());
    octal(&mut b[100..108], u64::from(mode));
    octal(&mut b[108..116], 0);
    octal(&mut b[116..124], 0);
    octal(&mut b[124..136], size);
    octal(&mut b[136..148], 0);
    b[156] = typeflag;
    b[257..263].copy_from_slice(b"ustar\0");
    b[263..265].copy_from_slice(b"00");
    b[148..156].copy_from_slice(b"        ");
    let sum: u64 = b.iter().map(|&x| u64::from(x)).sum();
    octal(&mut b[148..155], sum);
    b[155] = b' ';
    Ok(b)
}

fn octal(field: &mut [u8], value: u64) {
    let digits = field.len() - 1;
    let text = format!("{value:0digits$o}");
    let bytes = text.as_bytes();
    let start = bytes.len().saturating_sub(digits);
    field[..digits].copy_from_slice(&bytes[start..]);
}
