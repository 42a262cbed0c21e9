//! The browser entry point: hydrates the server-rendered page. Asynchronously, because most
//! pages' code is in a lazily loaded chunk of its area (`app::site::lazy`), which the router
//! fetches before it hydrates the page; the page is marked live only when all of it is.

#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // `hydrate_from_async` sets up Leptos's executor on wasm-bindgen-futures.
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document()
            .body()
            .expect("a page has a body");
        // The page's own chunk first: its view hydrates at once once the router reaches it.
        let path = leptos::prelude::window()
            .location()
            .pathname()
            .unwrap_or_default();
        app::site::lazy::preload_for(&path).await;
        let mounted = leptos::mount::hydrate_from_async(body, app::App).await;
        mounted.forget();
        app::mark_hydrated();
    });
}
