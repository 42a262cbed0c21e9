//! Who is signed in, for every page: a resource that asks the server again after each
//! navigation and after login or logout, the 退出 button, and the warning before the session
//! times out for inactivity with a way to stay signed in (继续使用).

use crate::api::accounts::session::{Logout, fetch_current_user, keep_alive};
use crate::error::AppError;
use crate::models::accounts::CurrentUser;
use crate::models::session::WARN_BEFORE_SECONDS;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use std::time::Duration;

/// Who is signed in, as the server answered for a page's path.
pub type UserResource = Resource<(String, Result<Option<CurrentUser>, AppError>)>;

#[derive(Clone, Copy)]
pub struct Session {
    /// Read again after each navigation and each completed 退出 or 继续使用.
    pub user: UserResource,
    pub logout: ServerAction<Logout>,
    pub keep_alive: Action<(), Result<Option<CurrentUser>, AppError>>,
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
    let keep_alive = Action::new(|_: &()| keep_alive());
    let user = Resource::new(
        move || {
            (
                location.pathname.get(),
                logout.version().get(),
                keep_alive.version().get(),
            )
        },
        |(path, _, _)| async move { (path, fetch_current_user().await) },
    );
    let session = Session {
        user,
        logout,
        keep_alive,
    };
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
/// up the browser goes to the login page, which says why.
#[component]
pub fn SessionWatch() -> impl IntoView {
    let session = use_session();
    let warn = RwSignal::new(false);
    // 【继续使用】: the session resource reads the fresh idle time when it completes, and the
    // timers below restart from it.
    let stay = session.keep_alive;
    Effect::new(move || {
        // Every fresh answer (a navigation, 继续使用) restarts the count from its idle time.
        warn.set(false);
        let Some(user) = session.current() else {
            return;
        };
        let left = user.idle_seconds_left.max(0);
        let warn_in = (left - WARN_BEFORE_SECONDS).max(0);
        let mut handles = vec![];
        if let Ok(h) =
            set_timeout_with_handle(move || warn.set(true), Duration::from_secs(warn_in as u64))
        {
            handles.push(h);
        }
        if let Ok(h) = set_timeout_with_handle(
            move || {
                let _ = window().location().set_href("/login?expired=1");
            },
            Duration::from_secs(left as u64),
        ) {
            handles.push(h);
        }
        on_cleanup(move || handles.into_iter().for_each(|h| h.clear()));
    });

    view! {
        <Show when=move || warn.get()>
            <div class="modal-backdrop">
                <div
                    class="modal"
                    role="alertdialog"
                    aria-modal="true"
                    aria-labelledby="idle-title"
                    aria-describedby="idle-text"
                >
                    <h2 id="idle-title">"即将退出登录"</h2>
                    <p id="idle-text">
                        "您已较长时间未操作。为保护账户安全,登录将在5分钟内自动失效,未提交的内容将会丢失。"
                    </p>
                    <div class="form-actions">
                        <button
                            type="button"
                            class="btn btn-primary"
                            autofocus
                            on:click=move |_| {
                                stay.dispatch(());
                            }
                        >
                            "继续使用"
                        </button>
                        <LogoutButton/>
                    </div>
                </div>
            </div>
        </Show>
    }
}
