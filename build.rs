// The translations and the migrations are compiled in by macros (rust-i18n's, diesel's
// `embed_migrations!`) that cargo does not know read these folders: without this, adding a
// translation or a migration alone would not rebuild the crate.
fn main() {
    println!("cargo:rerun-if-changed=locales");
    println!("cargo:rerun-if-changed=migrations");
}
