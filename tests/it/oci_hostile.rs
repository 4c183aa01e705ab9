//! Hostile and broken archives: each case is refused with a message naming
//! the entry, or accepted with a warning naming it, and nothing panics. The
//! archives are written here byte by byte (a tar library would refuse to write
//! most of them).

use layerlab::digest::Digest;
use layerlab::oci::export::{self, ExportOptions, Format};
use layerlab::oci::import::{import, Imported};
use layerlab::oci::{ImportError, ImportLimits};
use layerlab::store::Store;
use std::io::Write;

/// One raw tar entry: name, type flag, contents, link target.
pub struct Raw<'a>(pub &'a str, pub u8, pub &'a [u8], pub &'a str);

fn octal(field: &mut [u8], value: u64) {
    let digits = field.len() - 1;
    let text = format!("{value:0digits$o}");
    field[..digits].copy_from_slice(&text.as_bytes()[text.len() - digits..]);
}

/// A tar with exactly these entries (names up to 100 bytes, no checks).
pub fn raw_tar(entries: &[Raw<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for Raw(name, flag, data, link) in entries {
        let mut h = [0u8; 512];
        h[..name.len()].copy_from_slice(name.as_bytes());
        octal(&mut h[100..108], if *flag == b'5' { 0o755 } else { 0o644 });
        octal(&mut h[108..116], 0);
        octal(&mut h[116..124], 0);
        octal(&mut h[124..136], data.len() as u64);
        octal(&mut h[136..148], 0);
        h[156] = *flag;
        h[157..157 + link.len()].copy_from_slice(link.as_bytes());
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
        octal(&mut h[148..155], sum);
        h[155] = b' ';
        out.extend_from_slice(&h);
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

fn config_for(layers: &[Vec<u8>]) -> String {
    let ids: Vec<String> = layers
        .iter()
        .map(|l| format!("\"{}\"", Digest::of(l)))
        .collect();
    format!(
        "{{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[{}]}}}}",
        ids.join(",")
    )
}

/// A `docker save` tar (old layout) holding `layers` as stored (plain or gzip)
/// with a config naming `diff_ids`.
pub fn docker_archive_with(stored: &[Vec<u8>], config: &str) -> Vec<u8> {
    let config_name = format!("{}.json", Digest::of(config.as_bytes()).hex());
    let names: Vec<String> = (0..stored.len())
        .map(|i| format!("l{i}/layer.tar"))
        .collect();
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let manifest = format!(
        "[{{\"Config\":\"{config_name}\",\"RepoTags\":[\"hostile:1\"],\"Layers\":[{}]}}]",
        quoted.join(",")
    );
    let mut entries = vec![
        Raw("manifest.json", b'0', manifest.as_bytes(), ""),
        Raw(&config_name, b'0', config.as_bytes(), ""),
    ];
    for (name, bytes) in names.iter().zip(stored) {
        entries.push(Raw(name, b'0', bytes, ""));
    }
    raw_tar(&entries)
}

/// A `docker save` tar of these uncompressed layer tars.
pub fn docker_archive(layers: &[Vec<u8>]) -> Vec<u8> {
    docker_archive_with(layers, &config_for(layers))
}

fn try_import(bytes: &[u8]) -> Result<Imported, ImportError> {
    import(&mut Store::new(), bytes, None, &ImportLimits::default())
}

fn error(bytes: &[u8]) -> String {
    try_import(bytes).expect_err("must be refused").to_string()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn good_export() -> Vec<u8> {
    export::to_bytes(
        &crate::oci_support::built_store(),
        "built:1",
        ExportOptions {
            format: Format::Oci,
            gzip: false,
        },
    )
    .unwrap()
}

#[test]
fn archive_member_with_dotdot_is_refused() {
    let tar = raw_tar(&[Raw("../evil", b'0', b"x", "")]);
    assert_eq!(
        error(&tar),
        "../evil: path with '..' would escape the archive root"
    );
}

#[test]
fn archive_member_with_absolute_path_is_refused() {
    let tar = raw_tar(&[Raw("/etc/passwd", b'0', b"x", "")]);
    assert_eq!(
        error(&tar),
        "/etc/passwd: absolute path in the archive: image archives hold relative names only"
    );
}

#[test]
fn archive_link_pointing_outside_is_refused() {
    let tar = raw_tar(&[Raw("blobs/x", b'2', b"", "../../etc/passwd")]);
    assert_eq!(
        error(&tar),
        "blobs/x: link to '../../etc/passwd' points outside the archive"
    );
}

#[test]
fn archive_link_to_a_missing_member_is_refused() {
    let tar = raw_tar(&[Raw("index.json", b'1', b"", "nowhere")]);
    assert_eq!(
        error(&tar),
        "index.json: link to 'nowhere' names no file in the archive"
    );
}

#[test]
fn duplicate_archive_members_are_refused() {
    let tar = raw_tar(&[
        Raw("index.json", b'0', b"{}", ""),
        Raw("./index.json", b'0', b"{}", ""),
    ]);
    assert_eq!(
        error(&tar),
        "./index.json: duplicate entry in the archive: which copy is meant is ambiguous"
    );
}

#[test]
fn a_truncated_archive_is_refused() {
    let good = good_export();
    // Cut inside the first blob's data.
    let cut = &good[..512 * 3 + 100];
    let message = error(cut);
    assert!(
        message.starts_with("blobs/sha256/") && message.ends_with("but the archive ends first"),
        "{message}"
    );
    assert!(
        message.contains(": truncated archive: the entry needs "),
        "{message}"
    );
}

#[test]
fn a_corrupt_tar_header_is_refused() {
    let mut bad = good_export();
    bad[148] ^= 0x55; // the first header's checksum
    let message = error(&bad);
    assert!(
        message.starts_with("corrupt or truncated tar archive ("),
        "{message}"
    );
}

#[test]
fn a_truncated_gzip_archive_is_refused() {
    let zipped = gzip(&good_export());
    let message = error(&zipped[..zipped.len() / 2]);
    assert!(
        message.starts_with("corrupt or truncated gzip data ("),
        "{message}"
    );
}

#[test]
fn a_corrupt_gzip_layer_is_refused_naming_the_layer() {
    let layer = raw_tar(&[Raw("a", b'0', b"hello", "")]);
    let mut zipped = gzip(&layer);
    let n = zipped.len();
    zipped.truncate(n - 10);
    let archive = docker_archive_with(&[zipped], &config_for(&[layer]));
    let message = error(&archive);
    assert!(
        message.starts_with("layer 0 (l0/layer.tar): corrupt or truncated gzip data ("),
        "{message}"
    );
}

#[test]
fn a_blob_that_does_not_match_its_digest_is_refused() {
    let good = good_export();
    let files = member_names(&good);
    let store = crate::oci_support::built_store();
    let id = store.resolve("built:1").unwrap();
    let config = format!("blobs/sha256/{}", id.hex());
    assert!(files.contains(&config));
    // Flip a byte inside the config blob's data (keeps the tar valid).
    let mut bad = good.clone();
    let at = data_offset(&good, &config);
    bad[at + 2] ^= 1;
    let actual = Digest::of(&bad[at..at + store.image(&id).unwrap().config_json.len()]);
    assert_eq!(
        error(&bad),
        format!("{config}: content does not match its digest: the manifest's config names {id}, the bytes hash to {actual}")
    );
}

#[test]
fn a_layer_that_does_not_match_its_diff_id_is_refused() {
    let layer = raw_tar(&[Raw("a", b'0', b"hello", "")]);
    let other = raw_tar(&[Raw("b", b'0', b"other", "")]);
    let archive = docker_archive_with(
        std::slice::from_ref(&layer),
        &config_for(std::slice::from_ref(&other)),
    );
    assert_eq!(
        error(&archive),
        format!(
            "layer 0 (l0/layer.tar): uncompressed content hashes to {}, but the config's diffID is {}",
            Digest::of(&layer),
            Digest::of(&other)
        )
    );
}

#[test]
fn a_config_that_does_not_match_its_name_is_refused() {
    let layer = raw_tar(&[Raw("a", b'0', b"hello", "")]);
    let config = config_for(std::slice::from_ref(&layer));
    let wrong = format!("{}.json", Digest::of(b"something else").hex());
    let manifest = format!("[{{\"Config\":\"{wrong}\",\"Layers\":[\"l.tar\"]}}]");
    let archive = raw_tar(&[
        Raw("manifest.json", b'0', manifest.as_bytes(), ""),
        Raw(&wrong, b'0', config.as_bytes(), ""),
        Raw("l.tar", b'0', &layer, ""),
    ]);
    assert_eq!(
        error(&archive),
        format!(
            "{wrong}: content does not match its name: the bytes hash to {}",
            Digest::of(config.as_bytes())
        )
    );
}

#[test]
fn diff_id_count_must_match_the_layers() {
    let layer = raw_tar(&[Raw("a", b'0', b"hello", "")]);
    let config = config_for(&[layer.clone(), layer.clone()]);
    let archive = docker_archive_with(&[layer], &config);
    let name = format!("{}.json", Digest::of(config.as_bytes()).hex());
    assert_eq!(
        error(&archive),
        format!("{name}: the config lists 2 diffIDs but the manifest 1 layers")
    );
}

#[test]
fn a_missing_blob_is_refused() {
    let manifest = br#"[{"Config":"c.json","Layers":[]}]"#;
    let archive = raw_tar(&[Raw("manifest.json", b'0', manifest, "")]);
    assert_eq!(
        error(&archive),
        "c.json: missing from the archive (named by manifest.json's Config)"
    );
}

#[test]
fn something_that_is_no_image_archive_is_refused() {
    let archive = raw_tar(&[Raw("hello.txt", b'0', b"hi", "")]);
    assert_eq!(
        error(&archive),
        "not an image archive: it has neither manifest.json (docker save) nor index.json (OCI layout)"
    );
}

#[test]
fn limits_on_archive_size_entries_entry_size_and_unpacked_bytes() {
    let good = good_export();
    let limits = |f: &dyn Fn(&mut ImportLimits)| {
        let mut l = ImportLimits::default();
        f(&mut l);
        import(&mut Store::new(), &good, None, &l)
            .expect_err("over the limit")
            .to_string()
    };
    assert_eq!(
        limits(&|l| l.max_archive_bytes = 1000),
        format!(
            "the archive is {} bytes, more than the 1000 allowed (ImportLimits::max_archive_bytes)",
            good.len()
        )
    );
    assert_eq!(
        limits(&|l| l.max_entries = 3),
        "blobs/sha256/: more than 3 entries in the archive and its layers (ImportLimits::max_entries)"
            .replace("blobs/sha256/", &member_names(&good)[3])
    );
    let message = limits(&|l| l.max_entry_bytes = 10_000);
    assert!(
        message.ends_with("bytes, more than the 10000 allowed (ImportLimits::max_entry_bytes)"),
        "{message}"
    );
    let message = limits(&|l| l.max_unpacked_bytes = 10_000);
    assert!(
        message.ends_with(
            ": layers unpack to more than 10000 bytes (ImportLimits::max_unpacked_bytes)"
        ),
        "{message}"
    );
}

#[test]
fn a_gzip_bomb_layer_stops_at_the_unpacked_limit() {
    let big = raw_tar(&[Raw("zeros", b'0', &vec![0u8; 4 << 20], "")]);
    let archive = docker_archive_with(&[gzip(&big)], &config_for(std::slice::from_ref(&big)));
    let limits = ImportLimits {
        max_unpacked_bytes: 1 << 20,
        ..ImportLimits::default()
    };
    let message = import(&mut Store::new(), &archive, None, &limits)
        .unwrap_err()
        .to_string();
    assert_eq!(
        message,
        "layer 0 (l0/layer.tar): decompresses to more than the 1048576 bytes allowed (ImportLimits::max_unpacked_bytes)"
    );
}

#[test]
fn a_layer_entry_with_dotdot_is_refused() {
    let layer = raw_tar(&[Raw("a/../../etc/passwd", b'0', b"x", "")]);
    assert_eq!(
        error(&docker_archive(&[layer])),
        "layer 0 (l0/layer.tar): a/../../etc/passwd: path with '..' escapes the image root"
    );
}

#[test]
fn a_hard_link_leaving_the_root_is_refused() {
    let layer = raw_tar(&[Raw("evil", b'1', b"", "../../etc/shadow")]);
    assert_eq!(
        error(&docker_archive(&[layer])),
        "layer 0 (l0/layer.tar): evil: hard link to '../../etc/shadow' points outside the image root"
    );
}

#[test]
fn odd_but_valid_layer_entries_are_warnings_naming_the_entry() {
    let layer = raw_tar(&[
        Raw("/abs.txt", b'0', b"abs", ""),
        Raw("dir/", b'5', b"", ""),
        Raw("dir/up", b'2', b"", "../../../etc/passwd"),
        Raw("dup", b'0', b"first", ""),
        Raw("dup", b'0', b"second", ""),
        Raw("dev/null", b'3', b"", ""),
        Raw("pipe", b'6', b"", ""),
    ]);
    let mut store = Store::new();
    let imported = import(
        &mut store,
        &docker_archive(&[layer]),
        None,
        &ImportLimits::default(),
    )
    .unwrap();
    let warnings: Vec<String> = imported.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        vec![
            "layer 0 (l0/layer.tar): /abs.txt: absolute path, read relative to the image root",
            "layer 0 (l0/layer.tar): dir/up: symlink to '../../../etc/passwd' climbs above the image root; it resolves inside the root, as in a container",
            "layer 0 (l0/layer.tar): dup: duplicate entry: the later one wins, as when unpacking",
        ]
    );
    let union = store.union(&imported.images[0].id).unwrap();
    let listing = union.fs().listing();
    assert!(
        listing.iter().any(|l| l.starts_with("abs.txt f ")),
        "{listing:?}"
    );
    assert!(
        listing.iter().any(|l| l.starts_with("dev/null c ")),
        "device shown: {listing:?}"
    );
    assert!(
        listing.iter().any(|l| l.starts_with("pipe p ")),
        "fifo shown: {listing:?}"
    );
    let dup = union.read_file("/dup").unwrap();
    assert_eq!(&*dup.bytes(), b"second");
}

#[test]
fn a_failed_import_leaves_the_store_unchanged() {
    let mut store = crate::oci_support::built_store();
    let before = store.image_ids();
    let layer = raw_tar(&[Raw("a/../../x", b'0', b"x", "")]);
    assert!(import(
        &mut store,
        &docker_archive(&[layer]),
        None,
        &ImportLimits::default()
    )
    .is_err());
    assert_eq!(store.image_ids(), before);
    assert!(store.resolve("hostile:1").is_err());
}

/// Member names of a tar, in order.
pub fn member_names(tar_bytes: &[u8]) -> Vec<String> {
    let mut archive = tar::Archive::new(tar_bytes);
    archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn data_offset(tar_bytes: &[u8], name: &str) -> usize {
    let mut archive = tar::Archive::new(tar_bytes);
    for entry in archive.entries().unwrap() {
        let entry = entry.unwrap();
        if entry.path().unwrap().to_str() == Some(name) {
            return entry.raw_file_position() as usize;
        }
    }
    panic!("no member {name}");
}

#[test]
fn gnu_long_names_and_long_link_targets_are_read() {
    let long_dir = "d".repeat(120);
    let long_name = format!("{long_dir}/file");
    let long_target = format!("{long_dir}/{}", "t".repeat(110));
    let mut name_data = long_name.clone().into_bytes();
    name_data.push(0);
    let mut link_data = long_target.clone().into_bytes();
    link_data.push(0);
    let link_name = format!("{long_dir}/link");
    let mut link_name_data = link_name.clone().into_bytes();
    link_name_data.push(0);
    let layer = raw_tar(&[
        Raw("././@LongLink", b'L', &name_data, ""),
        Raw("truncated-name", b'0', b"content", ""),
        Raw("././@LongLink", b'K', &link_data, ""),
        Raw("././@LongLink", b'L', &link_name_data, ""),
        Raw("truncated-link", b'2', b"", "truncated-target"),
    ]);
    let mut store = Store::new();
    let imported = import(
        &mut store,
        &docker_archive(&[layer]),
        None,
        &ImportLimits::default(),
    )
    .unwrap();
    let union = store.union(&imported.images[0].id).unwrap();
    assert_eq!(&*union.read_file(&long_name).unwrap().bytes(), b"content");
    assert_eq!(union.fs().read_link(&link_name).unwrap(), long_target);
}
