//! 安全记录: the user's own recent logins and security events, from the audit log.

use crate::accounts::SecurityEvent;
use crate::accounts::api::settings::fetch_security_log;
use crate::platform::lang::{Lang, Text, use_lang};
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::record_table::{RecordTable, loaded_list};
use crate::ui::status::Loading;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SecurityLogPage() -> impl IntoView {
    let lang = use_lang();
    let events = Resource::new(|| (), |_| fetch_security_log());
    let title = crate::ui::text::SECURITY.of(lang);
    let trail = crate::ui::text::user_centre_trail(lang);
    let columns: &'static [&'static str] = match lang {
        Lang::Zh => &["时间", "事件", "说明", "IP 地址", "浏览器"],
        Lang::En => &["Time", "Event", "Details", "IP address", "Browser"],
    };
    let empty = Text::new("暂无记录", "Nothing recorded yet").of(lang);
    view! {
        <Title text=title/>
        <Breadcrumb trail=trail current=title/>
        <h1>{title}</h1>
        <p class="lead">{Text::new(
            "最近50条登录及账户安全事件。如发现不是您本人的操作,请立即修改密码并联系技术支持。",
            "Your last 50 sign-ins and security events. If one was not you, change your password at once and contact technical support.",
        ).of(lang)}</p>
        <Transition fallback=|| view! { <Loading/> }>
            {move || events.get().map(|outcome| loaded_list(outcome, empty, move |rows| view! {
                <RecordTable
                    caption=title
                    columns=columns
                    rows=rows
                    row=move |e: SecurityEvent| {
                        let label = e.label_in(lang).to_string();
                        view! {
                            <tr>
                                <td>{e.at}</td>
                                <td>{label}</td>
                                <td>{e.detail}</td>
                                <td>{e.ip}</td>
                                <td>{e.browser}</td>
                            </tr>
                        }
                    }
                />
            }.into_any()))}
        </Transition>
    }
}
