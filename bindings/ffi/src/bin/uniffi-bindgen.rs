//! uniffi's bindings generator, built from the same uniffi as the library so the
//! generated Python and Kotlin always match its scaffolding:
//! `uniffi-bindgen generate --library libgpunion_ffi.so --language kotlin --out-dir DIR`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
