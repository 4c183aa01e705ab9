//! File contents, stored once and shared by every file, layer and image that holds them.
//!
//! A `Blob` is an `Arc`, so copying a file, cloning a filesystem or putting the file
//! in a layer never copies bytes. Byte contents are interned by sha256, so two files
//! written with identical bytes also share one copy. Large simulated files (a 90 MB
//! package, a pip wheel) are a recipe, size plus seed, whose bytes are generated
//! only when someone reads or exports them; their digest is computed once, on demand.

use crate::digest::{Digest, Hasher};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// The contents of a regular file: shared, immutable, hashed at most once.
#[derive(Clone)]
pub struct Blob(Arc<BlobData>);

struct BlobData {
    content: Content,
    digest: OnceLock<Digest>,
}

enum Content {
    Bytes(Box<[u8]>),
    Generated { size: u64, seed: u64 },
}

/// Interned byte blobs by digest. Weak references, so the table never keeps a file
/// alive; it only lets equal bytes find each other. It is a cache with no effect on
/// results, which is why a process-wide table is acceptable in the core.
static INTERNED: Mutex<BTreeMap<Digest, Weak<BlobData>>> = Mutex::new(BTreeMap::new());

/// Bytes per chunk when generated contents are streamed.
const CHUNK: usize = 64 * 1024;

impl Blob {
    /// A blob holding `bytes`; equal bytes already held somewhere are shared instead.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Blob {
        let bytes: Vec<u8> = bytes.into();
        let digest = Digest::of(&bytes);
        let mut table = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(live) = table.get(&digest).and_then(Weak::upgrade) {
            return Blob(live);
        }
        let data = Arc::new(BlobData {
            content: Content::Bytes(bytes.into_boxed_slice()),
            digest: OnceLock::from(digest),
        });
        table.insert(digest, Arc::downgrade(&data));
        // Forget dead entries from time to time so the table stays proportional to
        // the live files.
        if table.len().is_power_of_two() && table.len() >= 1024 {
            table.retain(|_, weak| weak.strong_count() > 0);
        }
        Blob(data)
    }

    /// The empty file.
    pub fn empty() -> Blob {
        Blob::from_bytes(Vec::new())
    }

    /// A simulated file of `size` bytes whose contents are a deterministic function of
    /// `seed`: nothing is allocated until the bytes are read or exported.
    pub fn generated(size: u64, seed: u64) -> Blob {
        Blob(Arc::new(BlobData {
            content: Content::Generated { size, seed },
            digest: OnceLock::new(),
        }))
    }

    /// The size in bytes.
    pub fn len(&self) -> u64 {
        match &self.0.content {
            Content::Bytes(b) => b.len() as u64,
            Content::Generated { size, .. } => *size,
        }
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the bytes are generated on demand (a simulated file).
    pub fn is_generated(&self) -> bool {
        matches!(self.0.content, Content::Generated { .. })
    }

    /// The sha256 of the contents, computed once (generated contents are streamed).
    pub fn digest(&self) -> Digest {
        *self.0.digest.get_or_init(|| {
            let mut hasher = Hasher::new();
            self.for_each_chunk(|chunk| hasher.update(chunk));
            hasher.finish()
        })
    }

    /// The contents; generated contents are materialised (use `for_each_chunk` to
    /// stream large ones instead).
    pub fn bytes(&self) -> Cow<'_, [u8]> {
        match &self.0.content {
            Content::Bytes(b) => Cow::Borrowed(b),
            Content::Generated { .. } => {
                let mut out = Vec::with_capacity(usize::try_from(self.len()).unwrap_or(0));
                self.for_each_chunk(|chunk| out.extend_from_slice(chunk));
                Cow::Owned(out)
            }
        }
    }

    /// Calls `f` with the contents in order, in chunks, without materialising
    /// generated contents.
    pub fn for_each_chunk(&self, mut f: impl FnMut(&[u8])) {
        match &self.0.content {
            Content::Bytes(b) => f(b),
            Content::Generated { size, seed } => {
                let mut state = *seed ^ 0x9e37_79b9_7f4a_7c15;
                let mut left = *size;
                let mut buf = vec![0u8; CHUNK];
                while left > 0 {
                    let n = usize::try_from(left.min(CHUNK as u64)).unwrap_or(CHUNK);
                    for word in buf[..n].chunks_mut(8) {
                        let v = splitmix64(&mut state).to_le_bytes();
                        word.copy_from_slice(&v[..word.len()]);
                    }
                    f(&buf[..n]);
                    left -= n as u64;
                }
            }
        }
    }

    /// Whether two blobs are the very same stored object (no byte comparison).
    pub fn same(a: &Blob, b: &Blob) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

/// Equal contents: same object, same recipe, or same length and digest (two
/// recipes are compared without generating anything).
impl PartialEq for Blob {
    fn eq(&self, other: &Blob) -> bool {
        if Blob::same(self, other) {
            return true;
        }
        if let (Content::Generated { size: a, seed: s }, Content::Generated { size: b, seed: t }) =
            (&self.0.content, &other.0.content)
        {
            if a == b && (s == t || *a == 0) {
                return true;
            }
            // The generator's first 8 bytes are a bijection of the seed, so two
            // recipes of 8 bytes or more with different seeds differ: no hashing.
            if a != b || *a >= 8 {
                return false;
            }
        }
        self.len() == other.len() && self.digest() == other.digest()
    }
}

impl Eq for Blob {}

impl std::fmt::Debug for Blob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0.content {
            Content::Bytes(b) if b.len() <= 32 => {
                write!(f, "Blob({:?})", String::from_utf8_lossy(b))
            }
            Content::Bytes(b) => write!(f, "Blob({} bytes)", b.len()),
            Content::Generated { size, seed } => {
                write!(f, "Blob(generated {size} bytes, seed {seed})")
            }
        }
    }
}

/// The generator behind simulated contents: fast, and the same on every platform.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
