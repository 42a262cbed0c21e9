//! 安全记录: the user's own recent logins and security events, from the audit log.

use crate::accounts::api::settings::fetch_security_log;
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::record_table::{RecordTable, loaded_list};
use crate::ui::status::Loading;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SecurityLogPage() -> impl IntoView {
    let events = Resource::new(|| (), |_| fetch_security_log());
    view! {
        <Title text="安全记录"/>
        <Breadcrumb trail=&[("用户中心", "/user")] current="安全记录"/>
        <h1>"安全记录"</h1>
        <p class="lead">"最近50条登录及账户安全事件。如发现不是您本人的操作,请立即修改密码并联系技术支持。"</p>
        <Transition fallback=|| view! { <Loading/> }>
            {move || events.get().map(|outcome| loaded_list(outcome, "暂无记录", |rows| view! {
                <RecordTable
                    caption="安全记录"
                    columns=&["时间", "事件", "说明", "IP 地址", "浏览器"]
                    rows=rows
                    row=|e| view! {
                        <tr>
                            <td>{e.at}</td>
                            <td>{e.label}</td>
                            <td>{e.detail}</td>
                            <td>{e.ip}</td>
                            <td>{e.browser}</td>
                        </tr>
                    }
                />
            }.into_any()))}
        </Transition>
    }
}
