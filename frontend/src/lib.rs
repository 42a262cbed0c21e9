//! The browser entry point: hydrates the server-rendered page. `hydrate_lazy` because most
//! pages are lazy routes (`app::routes::lazy`): their code arrives in its own chunk first.

#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
