//! Who is signed in, for every page: a resource that asks the server again after each
//! navigation and after login or logout, the 退出 button, and the warning before the session
//! times out for inactivity with a way to stay signed in (继续使用).

use crate::api::accounts::session::{Logout, fetch_current_user, keep_alive};
use crate::components::dialog::Dialog;
use crate::error::AppError;
use crate::models::accounts::CurrentUser;
use crate::models::session::WARN_BEFORE_SECONDS;

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Who is signed in, as the server answered for a page's path.
pub type UserResource = Resource<(String, Result<Option<CurrentUser>, AppError>)>;

#[derive(Clone, Copy)]
pub struct Session {
    /// Read again after each navigation and each completed 退出.
    pub user: UserResource,
    pub logout: ServerAction<Logout>,
}

impl Session {
    /// The signed-in user, once known.
    pub fn current(self) -> Option<CurrentUser> {
        self.user.get().and_then(|(_, user)| user.ok()).flatten()
    }

    /// The answer read for `path` — not the page before's while the new one is on its way (a
    /// guard must not send a user who just signed in back to the login page).
    pub fn answer_for(self, path: &str) -> Option<Result<Option<CurrentUser>, AppError>> {
        self.user
            .get()
            .filter(|(p, _)| p == path)
            .map(|(_, user)| user)
    }
}

/// Creates the session resource; call once, inside the router.
pub fn provide_session() -> Session {
    let location = use_location();
    let logout = ServerAction::<Logout>::new();
    let user = Resource::new(
        move || (location.pathname.get(), logout.version().get()),
        |(path, _)| async move { (path, fetch_current_user().await) },
    );
    let session = Session { user, logout };
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// 退出: a form that posts, so it works before the page's script has loaded.
#[component]
pub fn LogoutButton() -> impl IntoView {
    let session = use_session();
    view! {
        <leptos::form::ActionForm action=session.logout attr:class="logout-form">
            <button type="submit" class="logout-button">"退出"</button>
        </leptos::form::ActionForm>
    }
}

/// Warns five minutes before the idle timeout; 【继续使用】 restarts the clock. When time is
/// up the browser goes to the login page, which says why. The warning's code is in the lazily
/// loaded [`aids`](crate::components::aids) chunk: most visits never show it.
#[component]
pub fn SessionWatch() -> impl IntoView {
    let session = use_session();
    let warn = RwSignal::new(false);
    let restart = idle_count(warn);
    // Each answer for a page (a navigation, a login) restarts the count.
    Effect::new(move || restart.run(session.current().map(|u| u.idle_seconds_left)));
    on_cleanup(move || {
        restart.try_run(None);
    });
    view! {
        <Show when=move || warn.get()>
            {move || Suspend::new(crate::components::aids::idle_warning(restart))}
        </Show>
    }
}

/// The warning: an alert dialog with 【继续使用】 (also Escape) and 退出. The server restarts
/// its clock and says how long is left, and the count restarts from that. The session is not
/// read again: the page the citizen is working on stays as it is.
pub(super) fn idle_warning(restart: Callback<Option<i64>>) -> AnyView {
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
            <h2 id="idle-title">"即将退出登录"</h2>
            <p id="idle-text">
                "您已较长时间未操作。为保护账户安全,登录将在5分钟内自动失效,未提交的内容将会丢失。"
            </p>
            <div class="form-actions">
                <button type="button" class="btn btn-primary" autofocus on:click=move |_| stay()>
                    "继续使用"
                </button>
                <LogoutButton/>
            </div>
        </Dialog>
    }
    .into_any()
}

/// The idle count: a function that counts `left` seconds afresh — the warning
/// ([`WARN_BEFORE_SECONDS`] before the end), then the login page, which says why — or, given
/// `None` (nobody signed in), stops counting.
fn idle_count(warn: RwSignal<bool>) -> Callback<Option<i64>> {
    // Each count has a number; a timer acts only if its count is still the latest, so a
    // restarted count never has to find and cancel the timers of the one before.
    let latest = Arc::new(AtomicU64::new(0));
    Callback::new(move |left: Option<i64>| {
        let count = latest.fetch_add(1, Ordering::Relaxed) + 1;
        warn.set(false);
        let Some(left) = left.map(|l| l.max(0)) else {
            return;
        };
        let current = {
            let latest = latest.clone();
            move || latest.load(Ordering::Relaxed) == count
        };
        let warn_in = (left - WARN_BEFORE_SECONDS).max(0);
        let still = current.clone();
        set_timeout(
            move || {
                if still() {
                    warn.set(true);
                }
            },
            Duration::from_secs(warn_in as u64),
        );
        set_timeout(
            move || {
                if current() {
                    let _ = window().location().set_href("/login?expired=1");
                }
            },
            Duration::from_secs(left as u64),
        );
    })
}
