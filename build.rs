// The translations are compiled in by rust-i18n's macro, which cargo does not know reads
// locales/: without this, editing a translation alone would not rebuild the crate.
fn main() {
    println!("cargo:rerun-if-changed=locales");
}
