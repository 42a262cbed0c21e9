//! The session-timeout warning's dialog, drawn from the lazily loaded aids chunk (the lazy half of
//! [`SessionWatch`](crate::care::session_watch::SessionWatch)).

use crate::accounts::api::session::keep_alive;
use crate::accounts::pages::session::LogoutButton;
use crate::platform::lang::Text;
use crate::ui::dialog::Dialog;
use leptos::prelude::*;

const TITLE: Text = Text::new("即将退出登录", "You will be signed out soon");
const TEXT: Text = Text::new(
    "您已较长时间未操作。为保护账户安全,登录将在5分钟内自动失效,未提交的内容将会丢失。",
    "You have not done anything for a while. To keep your account safe you will be signed out within 5 minutes, and anything not yet sent will be lost.",
);
const STAY: Text = Text::new("继续使用", "Stay signed in");

/// The warning: an alert dialog with 【继续使用】 (also Escape) and 退出. The server restarts
/// its clock and says how long is left, and the count restarts from that. The session is not
/// read again: the page the citizen is working on stays as it is.
pub fn idle_warning(restart: Callback<Option<i64>>) -> AnyView {
    let stay = move || {
        leptos::task::spawn_local(async move {
            match keep_alive().await {
                Ok(Some(user)) => restart.run(Some(user.idle_seconds_left)),
                // The session ended meanwhile.
                Ok(None) => {
                    let _ = window().location().set_href("/login?expired=1");
                }
                Err(_) => {}
            }
        });
    };
    view! {
        <Dialog role="alertdialog" labelled_by="idle-title" described_by="idle-text" on_escape=Callback::new(move |_| stay())>
            <h2 id="idle-title">{TITLE.get()}</h2>
            <p id="idle-text">{TEXT.get()}</p>
            <div class="form-actions">
                <button type="button" class="btn btn-primary" autofocus on:click=move |_| stay()>
                    {STAY.get()}
                </button>
                <LogoutButton/>
            </div>
        </Dialog>
    }
    .into_any()
}
