//! The compact text format the catalog's images are written in, and its expansion
//! onto a `Vfs`.
//!
//! A catalog image ships as a few kilobytes of text (`src/catalog/*.txt`), not as
//! tars: each layer is a list of sections, and expanding a section creates its
//! directories, small real text files, large simulated files (`Blob::generated`, no
//! bytes held), links and installed packages. The package databases are written in
//! the real formats (`/var/lib/dpkg/status` with `info/<pkg>.list`, Alpine's
//! `/lib/apk/db/installed`), so the RUN shell's apt-get and apk read them as they
//! would read a real image.
//!
//! Line forms inside a section (`== name` starts one; `#` lines outside text are
//! comments):
//!
//! - `+dir PATH [MODE] [UID:GID]`, `+file PATH SIZE [MODE] [UID:GID]` (simulated
//!   contents), `+link PATH TARGET`, `+hard PATH EXISTING`, `+rm PATH`;
//! - `+text PATH [MODE] [UID:GID]` then the contents, up to a line holding only `.`
//!   (`+append PATH` adds lines to an existing file the same way);
//! - `+use SECTION` expands another section here;
//! - `+dpkg NAME...` / `+apk NAME...` install packages of the package lists;
//!   `+slim` makes later dpkg installs skip documentation, manuals and translations
//!   as Debian's slim and Ubuntu's minimised images do (only `copyright` is kept);
//!   `+version NAME=VERSION...` and `+maintainer TEXT` restamp later dpkg installs;
//! - `+applets PATH symlink|hard` gives the busybox at PATH one name per applet of
//!   the `applets` section (lines `DIR NAME...`);
//! - `>DIR` then relative entries `NAME SIZE [x|MODE]` (a file, `x` = 0755),
//!   `NAME@TARGET` (a symlink), `NAME/` (a directory), and `%locale COUNT BYTES
//!   FILE` (message catalogues of COUNT languages sharing BYTES). A simulated
//!   program may add `needs=LIB,...`: the `DT_NEEDED` libraries its ELF head names
//!   (`manifest::elf_head`). A release tree is unpacked on glibc and musl systems
//!   alike, where a program built from it links differently named libraries, so a
//!   need may be written `GLIBC|MUSL` (`libc.so.6|libc.musl-x86_64.so.1`); an empty
//!   side means that C library has no such library (musl keeps libm in libc).
//!
//! Package lists: a dpkg package is a line `p<TAB>name<TAB>version<TAB>priority<TAB>
//! section<TAB>installed-size KiB<TAB>architecture<TAB>maintainer<TAB>source<TAB>
//! depends<TAB>pre-depends<TAB>essential<TAB>multi-arch<TAB>summary`, an apk package
//! `a<TAB>name<TAB>version<TAB>size<TAB>installed-size<TAB>summary<TAB>url<TAB>
//! license<TAB>origin<TAB>depends<TAB>provides`; each followed by its entries.

use crate::vfs::blob::Blob;
use crate::vfs::{Kind, Meta, Vfs, VfsError};
use std::collections::{BTreeMap, HashSet};
use std::fmt;

/// The C library of the system a tree is expanded for: it picks the side of a
/// `GLIBC|MUSL` need.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Libc {
    /// GNU libc (Debian, Ubuntu).
    #[default]
    Glibc,
    /// musl (Alpine).
    Musl,
}

/// The libraries of a `needs=` list for `libc`: each `GLIBC|MUSL` alternative
/// resolved to its side, empty sides dropped.
fn needs_for(list: &str, libc: Libc) -> Vec<&str> {
    list.split(',')
        .map(|need| match need.split_once('|') {
            Some((glibc, musl)) => match libc {
                Libc::Glibc => glibc,
                Libc::Musl => musl,
            },
            None => need,
        })
        .filter(|need| !need.is_empty())
        .collect()
}

/// A mistake in the catalog's own text (a bug in layerlab, reported with its place).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    /// The section being expanded.
    pub section: String,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "catalog section {}: {}", self.section, self.message)
    }
}

/// One entry of a package or a `>DIR` block.
#[derive(Clone, Debug)]
enum Item<'a> {
    File {
        path: String,
        size: u64,
        mode: u32,
        /// For a simulated program: the libraries its ELF header names.
        needs: Option<&'a str>,
    },
    Link {
        path: String,
        target: &'a str,
    },
    Dir {
        path: String,
    },
}

/// A package of a package list: its control fields and its entries.
struct Package<'a> {
    fields: Vec<&'a str>,
    body: Vec<&'a str>,
}

/// The packages of one format, by name, as written in a list.
struct PackageList<'a> {
    packages: BTreeMap<&'a str, Package<'a>>,
}

impl<'a> PackageList<'a> {
    fn parse(texts: &[&'a str], marker: &str) -> PackageList<'a> {
        let mut packages = BTreeMap::new();
        let mut current: Option<Package<'a>> = None;
        for line in texts.iter().flat_map(|t| t.lines()) {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            if let Some(rest) = line.strip_prefix(marker) {
                if let Some(done) = current.take() {
                    packages.insert(done.fields[0], done);
                }
                current = Some(Package {
                    fields: rest.split('\t').collect(),
                    body: Vec::new(),
                });
            } else if let Some(p) = current.as_mut() {
                p.body.push(line);
            }
        }
        if let Some(done) = current.take() {
            packages.insert(done.fields[0], done);
        }
        PackageList { packages }
    }
}

/// Languages that `%locale` spreads message catalogues over, in a fixed order.
const LANGUAGES: &str = "ab af am an ar as ast az be be@latin bg bn bn_IN br bs ca ca@valencia \
ckb crh cs cy da de de_CH dz el en en@boldquot en@quot en_AU en_CA en_GB eo es et eu fa fi fil \
fo fr fur fy ga gd gl gu ha he hi hr hu hy ia id ig is it ja ka kab kk km kn ko kw ky lg lt lv \
mai mg mk ml mn mr ms mt my nb nds ne nl nn oc or pa pl ps pt pt_BR ro ru rw si sk sl so sq sr \
sr@latin sv sw ta te tg th ti tk tl tr tt ug uk ur uz uz@cyrillic vi wa wo xh yi zh_CN zh_HK \
zh_TW zu ach ak ang ay ba bar bo byn ce chr csb cv dv ee ff gn haw ht io jam kl kok ku kv";

/// The catalog text, split into sections and package lists once per process (a
/// cache with no effect on results).
pub struct Catalog<'a> {
    sections: BTreeMap<&'a str, Vec<&'a str>>,
    dpkg: PackageList<'a>,
    apk: PackageList<'a>,
}

impl<'a> Catalog<'a> {
    /// Splits the section texts and the dpkg and apk package lists.
    pub fn parse(sections: &[&'a str], dpkg: &[&'a str], apk: &'a str) -> Catalog<'a> {
        let mut map: BTreeMap<&'a str, Vec<&'a str>> = BTreeMap::new();
        for text in sections {
            let mut name: Option<&'a str> = None;
            for line in text.lines() {
                if let Some(n) = line.strip_prefix("== ") {
                    name = Some(n.trim());
                    map.entry(n.trim()).or_default();
                } else if let Some(n) = name {
                    map.entry(n).or_default().push(line);
                }
            }
        }
        Catalog {
            sections: map,
            dpkg: PackageList::parse(dpkg, "p\t"),
            apk: PackageList::parse(&[apk], "a\t"),
        }
    }
}

/// The state of one image's expansion, carried from its first layer to its last.
pub struct Expander<'a> {
    /// The filesystem being built.
    pub vfs: Vfs,
    catalog: &'a Catalog<'a>,
    /// Installed dpkg packages: name → status stanza.
    dpkg_status: BTreeMap<String, String>,
    /// Installed apk packages in install order: the `installed` database records.
    apk_installed: Vec<(String, String)>,
    slim: bool,
    versions: BTreeMap<String, String>,
    maintainer: Option<String>,
    /// mtime of everything the current layer creates.
    mtime: i64,
    /// Mixed into simulated contents so different images differ.
    salt: String,
    section: String,
    /// Directories known to exist, so a thousand files in one directory resolve it
    /// once (cleared whenever something is removed or replaced by a link).
    ensured: HashSet<String>,
    /// Whose library names `needs=` lists resolve to.
    pub libc: Libc,
}

impl<'a> Expander<'a> {
    /// An expander over `catalog` that starts from an empty filesystem.
    pub fn new(catalog: &'a Catalog<'a>) -> Expander<'a> {
        Expander {
            vfs: Vfs::new(),
            catalog,
            dpkg_status: BTreeMap::new(),
            apk_installed: Vec::new(),
            slim: false,
            versions: BTreeMap::new(),
            maintainer: None,
            mtime: 0,
            salt: String::new(),
            section: String::new(),
            ensured: HashSet::new(),
            libc: Libc::Glibc,
        }
    }

    /// Expands the sections of one layer dated `mtime`; `salt` tells apart images
    /// whose simulated files would otherwise have the same contents.
    pub fn layer(
        &mut self,
        sections: &[&str],
        mtime: i64,
        salt: &str,
    ) -> Result<(), ManifestError> {
        self.mtime = mtime;
        self.salt = salt.to_string();
        let dpkg_before = self.dpkg_status.len();
        let apk_before = self.apk_installed.len();
        for name in sections {
            self.expand(name, 0)?;
        }
        if self.dpkg_status.len() != dpkg_before {
            self.write_dpkg_status()?;
        }
        if self.apk_installed.len() != apk_before {
            self.write_apk_installed()?;
        }
        Ok(())
    }

    fn err(&self, message: impl Into<String>) -> ManifestError {
        ManifestError {
            section: self.section.clone(),
            message: message.into(),
        }
    }

    fn vfs_err(&self, e: VfsError) -> ManifestError {
        self.err(e.to_string())
    }

    /// Creates `dir` and its parents unless already known to exist.
    fn ensure_dir(&mut self, dir: &str) -> Result<(), ManifestError> {
        if dir.is_empty() || self.ensured.contains(dir) {
            return Ok(());
        }
        self.vfs
            .mkdir_all(dir, self.meta(0o755))
            .map_err(|e| self.vfs_err(e))?;
        self.ensured.insert(dir.to_string());
        Ok(())
    }

    fn meta(&self, mode: u32) -> Meta {
        Meta::new(mode).at(self.mtime)
    }

    fn expand(&mut self, name: &str, depth: u32) -> Result<(), ManifestError> {
        if depth > 8 {
            return Err(self.err(format!("+use nesting too deep at {name}")));
        }
        let catalog = self.catalog;
        let Some(lines) = catalog.sections.get(name) else {
            return Err(self.err(format!("no section named {name}")));
        };
        let outer = std::mem::replace(&mut self.section, name.to_string());
        let mut cwd = String::new();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            i += 1;
            if let Some(cmd) = line.strip_prefix('+') {
                let words: Vec<&str> = cmd.split_whitespace().collect();
                match words.first().copied() {
                    Some("text") | Some("append") => {
                        let mut body = String::new();
                        while i < lines.len() && lines[i] != "." {
                            body.push_str(lines[i]);
                            body.push('\n');
                            i += 1;
                        }
                        i += 1;
                        self.text(&words, body)?;
                    }
                    Some("use") => {
                        for sub in &words[1..] {
                            self.expand(sub, depth + 1)?;
                        }
                    }
                    _ => self.command(&words)?,
                }
            } else if let Some(dir) = line.strip_prefix('>') {
                cwd = dir.to_string();
            } else if !line.trim().is_empty() && !line.starts_with('#') {
                let salt = self.salt.clone();
                for item in self.entry(&cwd, line)? {
                    self.put(&item, &salt)?;
                }
            }
        }
        self.section = outer;
        Ok(())
    }

    fn command(&mut self, words: &[&str]) -> Result<(), ManifestError> {
        let section = self.section.clone();
        let arg = |n: usize| -> Result<&str, ManifestError> {
            words.get(n).copied().ok_or_else(|| ManifestError {
                section: section.clone(),
                message: format!("+{} needs {n} arguments", words[0]),
            })
        };
        match words[0] {
            "dir" => {
                let path = arg(1)?;
                let meta = self.meta_words(&words[2..], 0o755)?;
                self.ensure_dir(path)?;
                self.vfs
                    .update_meta(path, true, |m| *m = meta)
                    .map_err(|e| self.vfs_err(e))
            }
            "file" => {
                let path = arg(1)?;
                let size = parse_num(arg(2)?).ok_or_else(|| self.err("bad size"))?;
                let meta = self.meta_words(&words[3..], 0o644)?;
                let blob = Blob::generated(size, seed(&self.salt, path));
                self.write(path, blob, meta)
            }
            "link" => {
                let item = Item::Link {
                    path: arg(1)?.to_string(),
                    target: arg(2)?,
                };
                let salt = self.salt.clone();
                self.put(&item, &salt)
            }
            "hard" => {
                let _ = self.vfs.remove_file(arg(1)?);
                self.vfs
                    .hard_link(arg(2)?, arg(1)?)
                    .map_err(|e| self.vfs_err(e))
            }
            "rm" => {
                self.ensured.clear();
                self.vfs.remove_all(arg(1)?).map_err(|e| self.vfs_err(e))
            }
            "slim" => {
                self.slim = true;
                Ok(())
            }
            "version" => {
                for pair in &words[1..] {
                    let (name, version) = pair
                        .split_once('=')
                        .ok_or_else(|| self.err(format!("+version wants NAME=VERSION: {pair}")))?;
                    self.versions.insert(name.to_string(), version.to_string());
                }
                Ok(())
            }
            "maintainer" => {
                self.maintainer = Some(words[1..].join(" "));
                Ok(())
            }
            "dpkg" => words[1..]
                .iter()
                .try_for_each(|name| self.install_dpkg(name)),
            "apk" => words[1..]
                .iter()
                .try_for_each(|name| self.install_apk(name)),
            "applets" => self.applets(arg(1)?, arg(2)? == "hard"),
            other => Err(self.err(format!("unknown command +{other}"))),
        }
    }

    /// Mode and owner from optional `MODE` and `UID:GID` words.
    fn meta_words(&self, words: &[&str], mode: u32) -> Result<Meta, ManifestError> {
        let mut meta = self.meta(mode);
        for w in words {
            if let Some((u, g)) = w.split_once(':') {
                let (Some(u), Some(g)) = (parse_num(u), parse_num(g)) else {
                    return Err(self.err(format!("bad owner {w}")));
                };
                meta = meta.owned(u as u32, g as u32);
            } else {
                let m = u32::from_str_radix(w, 8).map_err(|_| self.err(format!("bad mode {w}")))?;
                meta.mode = m;
            }
        }
        Ok(meta)
    }

    fn text(&mut self, words: &[&str], body: String) -> Result<(), ManifestError> {
        let path = words
            .get(1)
            .copied()
            .ok_or_else(|| self.err("+text needs a path"))?;
        if words[0] == "append" {
            let old = self.vfs.read_file(path).map_err(|e| self.vfs_err(e))?;
            let mut bytes = old.bytes().into_owned();
            bytes.extend_from_slice(body.as_bytes());
            // Like `>>`: the file keeps its mode and owner, only the mtime changes.
            return self
                .vfs
                .write_file(path, Blob::from_bytes(bytes), self.meta(0o644))
                .map_err(|e| self.vfs_err(e));
        }
        let meta = self.meta_words(&words[2..], 0o644)?;
        self.write(path, Blob::from_bytes(body.into_bytes()), meta)
    }

    /// Writes a file, creating its parents; an existing file keeps its metadata.
    fn write(&mut self, path: &str, blob: Blob, meta: Meta) -> Result<(), ManifestError> {
        if let Some((parent, _)) = path.rsplit_once('/') {
            self.ensure_dir(parent)?;
        }
        let fresh = !self.vfs.exists(path);
        self.vfs
            .write_file(path, blob, meta)
            .map_err(|e| self.vfs_err(e))?;
        if fresh {
            Ok(())
        } else {
            self.vfs
                .update_meta(path, true, |m| *m = meta)
                .map_err(|e| self.vfs_err(e))
        }
    }

    /// The items of one relative entry line below `cwd`.
    fn entry(&self, cwd: &str, line: &'a str) -> Result<Vec<Item<'a>>, ManifestError> {
        let join = |name: &str| {
            if cwd.is_empty() {
                format!("/{name}")
            } else {
                format!("/{cwd}/{name}")
            }
        };
        if let Some(rest) = line.strip_prefix("%locale ") {
            let w: Vec<&str> = rest.split_whitespace().collect();
            let (Some(count), Some(bytes), Some(file)) = (
                w.first().and_then(|s| parse_num(s)),
                w.get(1).and_then(|s| parse_num(s)),
                w.get(2),
            ) else {
                return Err(self.err(format!("bad %locale line: {line}")));
            };
            let langs: Vec<&str> = LANGUAGES.split_whitespace().collect();
            let count = count.max(1);
            return Ok((0..count)
                .map(|i| {
                    let lang = langs[(i as usize) % langs.len()];
                    let lang = if (i as usize) < langs.len() {
                        lang.to_string()
                    } else {
                        format!("{lang}_{}", i as usize / langs.len())
                    };
                    Item::File {
                        path: format!("/usr/share/locale/{lang}/LC_MESSAGES/{file}"),
                        size: bytes / count,
                        mode: 0o644,
                        needs: None,
                    }
                })
                .collect());
        }
        if let Some(dir) = line.strip_suffix('/') {
            return Ok(vec![Item::Dir { path: join(dir) }]);
        }
        if let Some((name, target)) = line.split_once('@') {
            if !name.contains(' ') {
                return Ok(vec![Item::Link {
                    path: join(name),
                    target,
                }]);
            }
        }
        let mut w = line.split(' ');
        let name = w.next().unwrap_or_default();
        let size = w
            .next()
            .and_then(parse_num)
            .ok_or_else(|| self.err(format!("bad entry: {line}")))?;
        let mode = match w.next() {
            None => 0o644,
            Some("x") => 0o755,
            Some(m) => u32::from_str_radix(m, 8).map_err(|_| self.err(format!("bad mode {m}")))?,
        };
        let needs = match w.next() {
            None => None,
            Some(n) => Some(
                n.strip_prefix("needs=")
                    .ok_or_else(|| self.err(format!("bad entry: {line}")))?,
            ),
        };
        Ok(vec![Item::File {
            path: join(name),
            size,
            mode,
            needs,
        }])
    }

    fn parents(&mut self, item: &Item<'_>) -> Result<(), ManifestError> {
        let path = match item {
            Item::File { path, .. } | Item::Link { path, .. } | Item::Dir { path } => path,
        };
        match path.rsplit_once('/') {
            Some((parent, _)) => self.ensure_dir(parent),
            None => Ok(()),
        }
    }

    fn put(&mut self, item: &Item<'_>, salt: &str) -> Result<(), ManifestError> {
        self.parents(item)?;
        let (path, kind, mode) = match item {
            Item::File {
                path,
                size,
                mode,
                needs,
            } => {
                let blob = match needs {
                    Some(libs) => Blob::generated_with_head(
                        elf_head(&needs_for(libs, self.libc)),
                        *size,
                        seed(salt, path),
                    ),
                    None => Blob::generated(*size, seed(salt, path)),
                };
                (path, Kind::File(blob), *mode)
            }
            Item::Link { path, target } => (path, Kind::Symlink(target.to_string()), 0o777),
            Item::Dir { path } => return self.ensure_dir(path),
        };
        match self.vfs.create(path, kind.clone(), self.meta(mode)) {
            Err(e) if e.kind == crate::vfs::ErrorKind::AlreadyExists => {
                // A later section replaces what an earlier one put there.
                self.vfs.remove_all(path).map_err(|e| self.vfs_err(e))?;
                self.ensured.clear();
                self.vfs
                    .create(path, kind, self.meta(mode))
                    .map_err(|e| self.vfs_err(e))
            }
            other => other.map_err(|e| self.vfs_err(e)),
        }
    }

    /// Whether a slim image leaves `path` out (Debian's `--slimify` excludes).
    fn excluded(&self, path: &str) -> bool {
        if !self.slim {
            return false;
        }
        if let Some(doc) = path.strip_prefix("/usr/share/doc/") {
            return !doc.ends_with("/copyright");
        }
        [
            "/usr/share/man/",
            "/usr/share/info/",
            "/usr/share/locale/",
            "/usr/share/groff/",
        ]
        .iter()
        .any(|p| path.starts_with(p))
    }

    fn install_dpkg(&mut self, name: &str) -> Result<(), ManifestError> {
        if self.dpkg_status.contains_key(name) {
            return Ok(());
        }
        let catalog = self.catalog;
        let Some(pkg) = catalog.dpkg.packages.get(name) else {
            return Err(self.err(format!("no dpkg package {name}")));
        };
        let f = |i: usize| pkg.fields.get(i).copied().unwrap_or("");
        let version = self
            .versions
            .get(name)
            .cloned()
            .unwrap_or_else(|| f(1).to_string());
        let salt = format!("{name}_{version}");
        let multi_arch = f(11).to_string();
        let mut stanza = format!("Package: {name}\nStatus: install ok installed\n");
        if f(10) == "yes" {
            stanza.push_str("Essential: yes\n");
        }
        stanza.push_str(&format!(
            "Priority: {}\nSection: {}\nInstalled-Size: {}\n",
            f(2),
            f(3),
            f(4)
        ));
        match &self.maintainer {
            Some(m) => stanza.push_str(&format!("Maintainer: {m}\nArchitecture: {}\n", f(5))),
            None => stanza.push_str(&format!("Maintainer: {}\nArchitecture: {}\n", f(6), f(5))),
        }
        if !multi_arch.is_empty() {
            stanza.push_str(&format!("Multi-Arch: {multi_arch}\n"));
        }
        if !f(7).is_empty() {
            stanza.push_str(&format!("Source: {}\n", f(7)));
        }
        stanza.push_str(&format!("Version: {version}\n"));
        if !f(8).is_empty() {
            stanza.push_str(&format!("Depends: {}\n", f(8)));
        }
        if !f(9).is_empty() {
            stanza.push_str(&format!("Pre-Depends: {}\n", f(9)));
        }
        stanza.push_str(&format!("Description: {}\n", f(12)));
        if self.maintainer.is_some() {
            stanza.push_str(&format!("Original-Maintainer: {}\n", f(6)));
        }
        let arch = f(5).to_string();

        // Files, and the .list dpkg keeps: every parent directory once, then the entry.
        let mut list = String::from("/.\n");
        let mut listed = HashSet::new();
        let mut last_parent = String::new();
        let mut cwd = String::new();
        for line in &pkg.body {
            if let Some(dir) = line.strip_prefix('>') {
                cwd = dir.to_string();
                continue;
            }
            for item in self.entry(&cwd, line)? {
                let path = match &item {
                    Item::File { path, .. } | Item::Link { path, .. } | Item::Dir { path } => {
                        path.clone()
                    }
                };
                if self.excluded(&path) {
                    continue;
                }
                // Parent directories are listed once, before their first entry; a
                // run of entries in one directory checks them only once.
                let parent = path.rsplit_once('/').map_or("", |(p, _)| p);
                if parent != last_parent {
                    let mut prefix = String::new();
                    for comp in parent.split('/').filter(|c| !c.is_empty()) {
                        prefix.push('/');
                        prefix.push_str(comp);
                        if !listed.contains(&prefix) {
                            list.push_str(&prefix);
                            list.push('\n');
                            listed.insert(prefix.clone());
                        }
                    }
                    last_parent = parent.to_string();
                }
                if listed.insert(path.clone()) {
                    list.push_str(&path);
                    list.push('\n');
                }
                self.put(&item, &salt)?;
            }
        }
        let info = if multi_arch == "same" {
            format!("/var/lib/dpkg/info/{name}:{arch}.list")
        } else {
            format!("/var/lib/dpkg/info/{name}.list")
        };
        self.write(&info, Blob::from_bytes(list.into_bytes()), self.meta(0o644))?;
        self.dpkg_status.insert(name.to_string(), stanza);
        Ok(())
    }

    fn write_dpkg_status(&mut self) -> Result<(), ManifestError> {
        let text: Vec<&str> = self.dpkg_status.values().map(String::as_str).collect();
        let status = text.join("\n");
        self.write(
            "/var/lib/dpkg/status",
            Blob::from_bytes(status.into_bytes()),
            self.meta(0o644),
        )
    }

    fn install_apk(&mut self, name: &str) -> Result<(), ManifestError> {
        if self.apk_installed.iter().any(|(n, _)| n == name) {
            return Ok(());
        }
        let catalog = self.catalog;
        let Some(pkg) = catalog.apk.packages.get(name) else {
            return Err(self.err(format!("no apk package {name}")));
        };
        let f = |i: usize| pkg.fields.get(i).copied().unwrap_or("");
        let version = self
            .versions
            .get(name)
            .cloned()
            .unwrap_or_else(|| f(1).to_string());
        let salt = format!("{name}-{version}");
        let mut rec = format!(
            "C:{}\nP:{name}\nV:{version}\nA:x86_64\nS:{}\nI:{}\nT:{}\nU:{}\nL:{}\no:{}\nm:Natanael Copa <ncopa@alpinelinux.org>\nt:{}\nc:{}\n",
            pseudo_checksum(&format!("pkg {salt}")),
            f(2),
            f(3),
            f(4),
            f(5),
            f(6),
            f(7),
            self.mtime,
            &crate::digest::Digest::of(format!("commit {salt}").as_bytes()).hex()[..40],
        );
        if !f(8).is_empty() {
            rec.push_str(&format!("D:{}\n", f(8)));
        }
        if !f(9).is_empty() {
            rec.push_str(&format!("p:{}\n", f(9)));
        }
        let mut cwd = String::new();
        let mut last_dir: Option<String> = None;
        for line in &pkg.body {
            if let Some(dir) = line.strip_prefix('>') {
                cwd = dir.to_string();
                continue;
            }
            for item in self.entry(&cwd, line)? {
                self.put(&item, &salt)?;
                match &item {
                    Item::Dir { path } => {
                        rec.push_str(&format!("F:{}\n", path.trim_start_matches('/')));
                        last_dir = Some(path.clone());
                    }
                    Item::File { path, .. } | Item::Link { path, .. } => {
                        let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
                        if last_dir.as_deref() != Some(dir) {
                            rec.push_str(&format!("F:{}\n", dir.trim_start_matches('/')));
                            last_dir = Some(dir.to_string());
                        }
                        rec.push_str(&format!("R:{file}\n"));
                        if let Item::File { mode, .. } = item {
                            if mode != 0o644 {
                                rec.push_str(&format!("a:0:0:{mode:o}\n"));
                            }
                        }
                        rec.push_str(&format!("Z:{}\n", pseudo_checksum(path)));
                    }
                }
            }
        }
        self.apk_installed.push((name.to_string(), rec));
        Ok(())
    }

    fn write_apk_installed(&mut self) -> Result<(), ManifestError> {
        let mut db = String::new();
        for (_, rec) in &self.apk_installed {
            db.push_str(rec);
            db.push('\n');
        }
        self.write(
            "/lib/apk/db/installed",
            Blob::from_bytes(db.into_bytes()),
            self.meta(0o644),
        )?;
        let world: Vec<&str> = self
            .apk_installed
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| !matches!(*n, "musl" | "libcrypto3" | "libssl3" | "zlib"))
            .collect();
        let mut world = world.join("\n");
        world.push('\n');
        self.write(
            "/etc/apk/world",
            Blob::from_bytes(world.into_bytes()),
            self.meta(0o644),
        )
    }

    /// One name per busybox applet, as symlinks (Alpine) or hard links (busybox image).
    fn applets(&mut self, busybox: &str, hard: bool) -> Result<(), ManifestError> {
        let catalog = self.catalog;
        let lines = catalog
            .sections
            .get("applets")
            .map_or(&[][..], Vec::as_slice);
        for line in lines.iter().filter(|l| !l.starts_with('#')) {
            let mut words = line.split_whitespace();
            let Some(dir) = words.next() else { continue };
            for name in words {
                let dir = if hard { "/bin" } else { dir };
                let path = format!("{dir}/{name}");
                if path == busybox || self.vfs.exists(&path) {
                    continue;
                }
                self.ensure_dir(dir)?;
                let done = if hard {
                    self.vfs.hard_link(busybox, &path)
                } else {
                    self.vfs.symlink(busybox, &path, self.meta(0o777))
                };
                done.map_err(|e| self.vfs_err(e))?;
            }
        }
        Ok(())
    }
}

/// The first bytes of a simulated x86-64 program or library that needs `libs`:
/// an ELF64 header, one PT_LOAD and one PT_DYNAMIC program header, the dynamic
/// section (DT_NEEDED per library, DT_STRTAB, DT_STRSZ, DT_NULL) and its string
/// table, so `scanelf` and `ldd` read the needs as from a real binary.
pub fn elf_head(libs: &[&str]) -> Vec<u8> {
    const EHDR: u64 = 64;
    const PHDR: u64 = 56;
    let dyn_off = EHDR + 2 * PHDR;
    let dyn_len = (libs.len() as u64 + 3) * 16;
    let str_off = dyn_off + dyn_len;
    let mut strtab = vec![0u8];
    let mut offsets = Vec::new();
    for lib in libs {
        offsets.push(strtab.len() as u64);
        strtab.extend_from_slice(lib.as_bytes());
        strtab.push(0);
    }
    let total = str_off + strtab.len() as u64;
    let mut out = Vec::with_capacity(total as usize);
    let u16le = |out: &mut Vec<u8>, v: u16| out.extend_from_slice(&v.to_le_bytes());
    let u32le = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    let u64le = |out: &mut Vec<u8>, v: u64| out.extend_from_slice(&v.to_le_bytes());
    // e_ident: ELF, 64-bit, little-endian, version 1, System V ABI.
    out.extend_from_slice(b"\x7fELF\x02\x01\x01\x00");
    out.extend_from_slice(&[0; 8]);
    u16le(&mut out, 3); // ET_DYN
    u16le(&mut out, 62); // EM_X86_64
    u32le(&mut out, 1);
    u64le(&mut out, 0); // e_entry
    u64le(&mut out, EHDR); // e_phoff
    u64le(&mut out, 0); // e_shoff
    u32le(&mut out, 0); // e_flags
    u16le(&mut out, EHDR as u16);
    u16le(&mut out, PHDR as u16);
    u16le(&mut out, 2); // e_phnum
    u16le(&mut out, 64); // e_shentsize
    u16le(&mut out, 0); // e_shnum
    u16le(&mut out, 0); // e_shstrndx
                        // PT_LOAD of the head at address 0, then PT_DYNAMIC.
    for (kind, offset, size, flags) in [(1u32, 0, total, 5u32), (2, dyn_off, dyn_len, 6)] {
        u32le(&mut out, kind);
        u32le(&mut out, flags);
        u64le(&mut out, offset);
        u64le(&mut out, offset); // p_vaddr
        u64le(&mut out, offset); // p_paddr
        u64le(&mut out, size);
        u64le(&mut out, size);
        u64le(&mut out, 8);
    }
    for off in offsets {
        u64le(&mut out, 1); // DT_NEEDED
        u64le(&mut out, off);
    }
    u64le(&mut out, 5); // DT_STRTAB
    u64le(&mut out, str_off);
    u64le(&mut out, 10); // DT_STRSZ
    u64le(&mut out, strtab.len() as u64);
    u64le(&mut out, 0); // DT_NULL
    u64le(&mut out, 0);
    out.extend_from_slice(&strtab);
    out
}

/// A decimal number.
fn parse_num(s: &str) -> Option<u64> {
    s.parse().ok()
}

/// The seed of a simulated file: FNV-1a of the salt and the path, the same everywhere.
fn seed(salt: &str, path: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in salt.bytes().chain([0]).chain(path.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// An apk-style `Q1` checksum (base64 of 20 bytes) made from `key`: the catalog's
/// files are simulated, so their checksums are too, but they keep the real shape.
fn pseudo_checksum(key: &str) -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::from("Q1");
    let mut state = seed("apk", key);
    for _ in 0..27 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        out.push(char::from(B64[(state >> 58) as usize]));
    }
    out.push('=');
    out
}
