//! `/verify/<code>` (journey 8): the public page a copy's QR code opens. Says whether the
//! copy is genuine, what it certifies, for whom (masked), whether its 加注 is still valid,
//! and whether the certificate has changed or been revoked since. No login.

use crate::api::verify::verify_copy;
use crate::models::certificate::Verification;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn VerifyPage() -> impl IntoView {
    let params = use_params_map();
    let result = Resource::new(
        move || params.with(|p| p.get("code").unwrap_or_default()),
        verify_copy,
    );
    view! {
        <Title text="电子证照核验"/>
        <section class="page-section">
            <h1>"电子证照核验"</h1>
            <Suspense fallback=|| view! { <p class="hint" role="status">"正在核验…"</p> }>
                {move || {
                    result
                        .get()
                        .map(|outcome| match outcome {
                            Ok(Some(v)) => view! { <Verified v=v/> }.into_any(),
                            Ok(None) => view! {
                                <div class="verify-result bad" role="status">
                                    <h2>"未找到该电子证照副本"</h2>
                                    <p>"核验码不存在。该副本不是本门户签发的,或二维码已损坏、链接输入有误。请向出示副本的人员核实。"</p>
                                </div>
                            }
                                .into_any(),
                            Err(e) => view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
                        })
                }}
            </Suspense>
            <p class="hint">"核验结果以本门户数据库为准。本页按规定对持证人姓名脱敏显示,请与副本上的姓名、注册编号和副本编号核对。"</p>
        </section>
    }
}

#[component]
fn Verified(v: Verification) -> impl IntoView {
    let (class, heading, detail) = if v.revoked {
        (
            "verify-result bad",
            "证书已注销",
            "该副本由本门户签发,但其对应的注册证书已被注销,副本不再具有证明效力。",
        )
    } else if !v.valid {
        (
            "verify-result warning",
            "副本真实,加注已过期",
            "该副本由本门户签发,但已超过加注的使用有效期,不再具有证明效力。",
        )
    } else if v.changed {
        (
            "verify-result warning",
            "副本真实,证书信息已变更",
            "该副本由本门户签发且在使用有效期内,但证书信息在加注后已有变更,副本显示的是加注时的信息。",
        )
    } else {
        (
            "verify-result genuine",
            "副本真实有效",
            "该副本由本门户签发,证书信息与加注时一致,且在加注的使用有效期内。",
        )
    };
    let validity = if v.valid { "有效" } else { "已过期" };
    view! {
        <div class=class role="status">
            <h2>{heading}</h2>
            <p>{detail}</p>
        </div>
        <dl class="detail-grid">
            <div class="wide"><dt>"证书"</dt><dd>{v.title.clone()}</dd></div>
            <div><dt>"注册类别"</dt><dd>{v.category.clone()}</dd></div>
            <div><dt>"注册编号"</dt><dd class="mono">{v.registration_no.clone()}</dd></div>
            <div><dt>"持证人"</dt><dd>{v.holder.clone()}</dd></div>
            <div><dt>"副本编号"</dt><dd class="mono">{v.copy_no.clone()}</dd></div>
            <div><dt>"加注用途"</dt><dd>{v.purpose.clone()}</dd></div>
            <div><dt>"加注时间"</dt><dd>{v.made_at.clone()}</dd></div>
            <div><dt>"使用有效期至"</dt><dd>{v.valid_until.clone()}</dd></div>
            <div><dt>"加注状态"</dt><dd>{validity}</dd></div>
            <div><dt>"证书状态"</dt><dd>{if v.revoked { "已注销" } else if v.changed { "加注后已变更" } else { "未变更" }}</dd></div>
        </dl>
    }
}
