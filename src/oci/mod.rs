//! Real image formats on the way out (and, with the export/import issue, in).
//!
//! For now `layout`, an image written as an OCI image layout (the format `umoci`,
//! `skopeo` and `buildah` read, so real tools can check what layerlab makes), and
//! `docker_save`, a small reader of `docker save` archives.

pub mod docker_save;
pub mod layout;
