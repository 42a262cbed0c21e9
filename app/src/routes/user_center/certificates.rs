//! 我的证照: the way to the 电子证照, which opens after a face check on the phone.

use crate::components::breadcrumb::Breadcrumb;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MyCertificatesPage() -> impl IntoView {
    view! {
        <Title text="我的证照"/>
        <Breadcrumb trail=&[("用户中心", "/user")] current="我的证照"/>
        <h1>"我的证照"</h1>
        <p class="lead">"为保护您的电子证照,查看、加注和下载前需通过手机小程序完成人脸识别,验证为本人操作。"</p>
        <p class="notice" role="note">
            "人脸识别认证服务即将开放。开放后,点击【我的证照】将显示二维码,请使用支付宝或微信中的“住房和城乡建设部政务服务”小程序扫码完成认证。"
        </p>
    }
}
