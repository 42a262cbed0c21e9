//! The mini-program's frame: its bar and body, on every page of `/m`.

use crate::platform::lang::Text;
use crate::ui::text::APP;
use leptos::prelude::*;
use leptos_meta::Title;

/// 我的证照 on the phone; where the phone's own face check comes back to.
pub const WALLET: &str = "/m/certificates";

#[component]
pub fn MobileFrame(title: Text, children: Children) -> impl IntoView {
    view! {
        <Title text=title.get()/>
        <div class="mobile">
            <header class="mobile-bar">
                <a href="/m" class="mobile-home">{APP.get()}</a>
            </header>
            <div class="mobile-body">{children()}</div>
        </div>
    }
}
