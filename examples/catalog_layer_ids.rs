//! Prints `src/catalog/layer_ids.txt`: the diffID of every catalog image's layers,
//! computed the slow way (each layer's tar hashed). Run after changing the catalog:
//! `cargo run --release --example catalog_layer_ids > src/catalog/layer_ids.txt`
//! (the test `catalog::layer_ids_table_is_current` says when it is stale).

fn main() {
    print!("{}", layerlab::catalog::layer_ids_table());
}
