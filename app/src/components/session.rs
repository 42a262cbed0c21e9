//! Who is signed in, for every page: a resource that asks the server again after each
//! navigation and after login or logout, the 退出 button, and the warning before the session
//! times out for inactivity with a way to stay signed in (继续使用).

use crate::api::accounts::session::{Logout, fetch_current_user, keep_alive};
use crate::error::AppError;
use crate::models::account::CurrentUser;
use crate::models::session::WARN_BEFORE_SECONDS;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use std::time::Duration;

pub type UserResource = Resource<Result<Option<CurrentUser>, AppError>>;

#[derive(Clone, Copy)]
pub struct Session {
    pub user: UserResource,
    /// Bumped whenever the session may have changed without a navigation.
    pub epoch: RwSignal<u32>,
}

impl Session {
    /// The signed-in user, once known.
    pub fn current(self) -> Option<CurrentUser> {
        self.user.get().and_then(Result::ok).flatten()
    }
}

/// Creates the session resource; call once, inside the router.
pub fn provide_session() -> Session {
    let location = use_location();
    let epoch = RwSignal::new(0u32);
    let user = Resource::new(
        move || (location.pathname.get(), epoch.get()),
        |_| fetch_current_user(),
    );
    let session = Session { user, epoch };
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
    let logout = ServerAction::<Logout>::new();
    Effect::new(move || {
        if logout.version().get() > 0 {
            session.epoch.update(|e| *e += 1);
        }
    });
    view! {
        <leptos::form::ActionForm action=logout attr:class="logout-form">
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
    let stay = Action::new(|_: &()| keep_alive());
    Effect::new(move || {
        if let Some(Ok(Some(user))) = stay.value().get() {
            warn.set(false);
            // Fresh numbers: refetch so that the timers below restart from them.
            let _ = user;
            session.epoch.update(|e| *e += 1);
        }
    });
    Effect::new(move || {
        let Some(user) = session.current() else {
            warn.set(false);
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
