//! 电子证照管理 (manual §6, 图 6-1-8): where the face check leads. Until the certificates
//! themselves are issued, each of the holder's registrations is listed with its numbers and
//! 注册专业. Without a face check in the last 30 minutes the page sends the user back to it.

use crate::api::face::my_certificates;
use crate::components::breadcrumb::Breadcrumb;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

#[component]
pub fn CertificateManagePage() -> impl IntoView {
    let list = Resource::new(|| (), |_| my_certificates());
    view! {
        <Title text="电子证照管理"/>
        <Breadcrumb trail=&[("用户中心", "/user"), ("我的证照", "/user/certificates")] current="电子证照管理"/>
        <h1>"电子证照管理"</h1>
        <Transition fallback=|| view! { <p class="hint" role="status">"正在加载…"</p> }>
            {move || {
                list.get()
                    .map(|outcome| match outcome {
                        Err(AppError::Forbidden) => view! { <Redirect path="/user/certificates"/> }.into_any(),
                        Err(e) => view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(items) if items.is_empty() => view! {
                            <p class="notice" role="note">"注册人员库中暂无您的注册信息,因此没有可管理的电子证照。"</p>
                        }
                            .into_any(),
                        Ok(items) => view! {
                            <ul class="cert-list">
                                {items
                                    .into_iter()
                                    .map(|r| {
                                        let specialties = r
                                            .specialties
                                            .iter()
                                            .map(|s| format!("{}(有效期至 {})", s.name, s.valid_until))
                                            .collect::<Vec<_>>()
                                            .join("、");
                                        view! {
                                            <li class="cert-card">
                                                <h2>{r.category.clone()}</h2>
                                                <dl class="detail-list">
                                                    <dt>"注册编号"</dt><dd>{r.registration_no.clone()}</dd>
                                                    <dt>"证书编号"</dt><dd>{r.certificate_no.clone()}</dd>
                                                    <dt>"聘用企业"</dt><dd>{r.employer.clone()}</dd>
                                                    <dt>"有效期至"</dt><dd>{r.valid_until.clone()}</dd>
                                                    {(!specialties.is_empty()).then(|| view! { <dt>"注册专业"</dt><dd>{specialties}</dd> })}
                                                </dl>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any(),
                    })
            }}
        </Transition>
    }
}
