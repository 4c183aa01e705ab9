//! The importer over arbitrary bytes: an archive that imports must also give a
//! union view and export again; nothing may panic.
#![no_main]

use layerlab::oci::export::{self, ExportOptions, Format};
use layerlab::oci::import::import;
use layerlab::oci::ImportLimits;
use layerlab::store::Store;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = ImportLimits {
        max_archive_bytes: 1 << 20,
        max_unpacked_bytes: 8 << 20,
        max_entries: 10_000,
        max_entry_bytes: 4 << 20,
        max_json_bytes: 64 << 10,
    };
    let mut store = Store::new();
    if let Ok(imported) = import(&mut store, data, None, &limits) {
        for image in imported.images {
            let _ = store.union(&image.id);
            let options = ExportOptions {
                format: Format::Docker,
                gzip: false,
            };
            let _ = export::to_bytes(&store, &image.id.to_string(), options);
        }
    }
});
