//! The mini-program's frame: its bar and body, on every page of `/m`.

use leptos::prelude::*;
use leptos_meta::Title;

/// 我的证照 on the phone; where the phone's own face check comes back to.
pub const WALLET: &str = "/m/certificates";

#[component]
pub fn MobileFrame(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <Title text=title/>
        <div class="mobile">
            <header class="mobile-bar">
                <a href="/m" class="mobile-home">"住建部政务服务"</a>
            </header>
            <div class="mobile-body">{children()}</div>
        </div>
    }
}
