//! 安全记录: the user's own recent logins and security events, from the audit log.

use crate::api::accounts::settings::fetch_security_log;
use crate::components::breadcrumb::Breadcrumb;
use crate::components::status::{ErrorAlert, Loading};
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
            {move || {
                events
                    .get()
                    .map(|outcome| match outcome {
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! { <p class="hint">"暂无记录"</p> }.into_any(),
                        Ok(rows) => view! {
                            <div class="table-wrap">
                                <table class="data-table">
                                    <caption class="visually-hidden">"安全记录"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"时间"</th>
                                            <th scope="col">"事件"</th>
                                            <th scope="col">"说明"</th>
                                            <th scope="col">"IP 地址"</th>
                                            <th scope="col">"浏览器"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {rows
                                            .into_iter()
                                            .map(|e| view! {
                                                <tr>
                                                    <td>{e.at}</td>
                                                    <td>{e.label}</td>
                                                    <td>{e.detail}</td>
                                                    <td>{e.ip}</td>
                                                    <td>{e.browser}</td>
                                                </tr>
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                            .into_any(),
                    })
            }}
        </Transition>
    }
}
