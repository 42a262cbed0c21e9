//! The 个人用户 / 法人用户 tabs of the login, registration and recovery pages, and the kind a
//! page was asked for.

use crate::domain::account::AccountKind;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The kind tabs of the login, registration and recovery pages: links, so they work
/// without script, marked up as a tab list.
#[component]
pub fn KindTabs(
    base: &'static str,
    kind: Memo<AccountKind>,
    person: &'static str,
    enterprise: &'static str,
) -> impl IntoView {
    let tab = move |k: AccountKind, label: &'static str| {
        let href = match k {
            AccountKind::Person => base.to_string(),
            AccountKind::Enterprise => format!("{base}?kind=enterprise"),
        };
        view! {
            <a
                role="tab"
                class="kind-tab"
                href=href
                aria-selected=move || (kind.get() == k).to_string()
                aria-current=move || (kind.get() == k).then_some("page")
            >
                {label}
            </a>
        }
    };
    view! {
        <div class="kind-tabs" role="tablist">
            {tab(AccountKind::Person, person)}
            {tab(AccountKind::Enterprise, enterprise)}
        </div>
    }
}

/// The account kind a page was asked for (`?kind=enterprise`).
pub fn kind_from_query() -> Memo<AccountKind> {
    let query = use_query_map();
    Memo::new(move |_| AccountKind::from_form(&query.with(|q| q.get("kind").unwrap_or_default())))
}
