//! Portico's user interface. Compiled twice: with `ssr` into the server, which renders every
//! page to HTML, and with `hydrate` into the WASM bundle that makes those pages interactive.

// Without `--cfg erase_components` (release builds) every page's view is one nested type, and
// the largest (an API's operations, the run page, the environments grid) outgrow the compiler's
// default query depth of 128.
#![recursion_limit = "256"]

pub mod api;
mod components;
mod pages;
mod shell;
mod url;

pub use shell::{App, shell};

/// Entry point of the WASM bundle: attaches the interactive app to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
