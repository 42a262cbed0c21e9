//! Who is signed in, for every page: a resource that asks the server again after each
//! navigation and after login or logout, and the 退出 button. The warning before the session
//! times out is [`SessionWatch`](crate::care::session_watch::SessionWatch).

use crate::accounts::CurrentUser;
use crate::accounts::api::session::{Logout, fetch_current_user};
use crate::platform::error::AppError;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

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
            <button type="submit" class="logout-button">{crate::accounts::text::LOGOUT.get()}</button>
        </leptos::form::ActionForm>
    }
}
