//! The "How to use this image" examples of the official images' Docker Hub pages
//! and READMEs, as tutorial readers paste them: each builds, logs and lays out its
//! files as the real image and tools do.

use crate::build::{assert_built, build_in, context_of, log_has};
use layerlab::store::Store;

/// alpine's page: `apk add --no-cache mysql-client` and an ENTRYPOINT. A package
/// the curated index lacks becomes a placeholder, said once in the log.
#[test]
fn alpine_mysql_client_says_once_that_it_is_a_placeholder() {
    let dockerfile =
        "FROM alpine:3.21\nRUN apk add --no-cache mysql-client\nENTRYPOINT [\"mysql\"]\n";
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&[]));
    assert_built(&out);
    let line = "layerlab: mysql-client is not in the simulated package archive; installed a placeholder (simulated)";
    log_has(&out, &[line]);
    let log = out.log.join("\n");
    assert_eq!(
        log.matches("is not in the simulated package archive")
            .count(),
        1,
        "{log}"
    );
    assert!(!log.contains("layerlab: layerlab:"), "{log}");
}
