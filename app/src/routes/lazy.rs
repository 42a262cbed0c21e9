//! The pages that load their code on demand, in a few chunks by area rather than one per page:
//! each area is a [`LazyRoute`] whose view lives in its own WASM chunk when the release is
//! built with `cargo leptos build --split`, and serves every page of the area by its address.
//! Few split points keep the chunks few and large (wasm-split makes a chunk for each set of
//! split points that share code, so the count grows with the number of split points): a page
//! is a handful of requests, and the pages of one area — the ones a citizen moves between —
//! arrive together. The first download holds only the shell, the home page and what every
//! page needs.
//!
//! Written out one by one: `#[lazy_route]` names each chunk after the place it is written.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use leptos_router::{LazyRoute, lazy_route};

/// The page's address, which picks the page within its area.
fn path() -> String {
    use_location().pathname.get_untracked()
}

/// 常见问题, 联系方式, 隐私政策.
pub struct InfoRoute;

#[lazy_route]
impl LazyRoute for InfoRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        match path().as_str() {
            "/contact" => super::contact::ContactPage().into_any(),
            "/privacy" => super::privacy::PrivacyPage().into_any(),
            // The area's one other address.
            _ => super::faq::FaqPage().into_any(),
        }
    }
}

/// 登录, 注册, 找回密码 (the desktop's; the mini-program's login is the mini-program's).
pub struct AccountsRoute;

#[lazy_route]
impl LazyRoute for AccountsRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        match path().as_str() {
            "/register" => super::accounts::register::RegisterPage().into_any(),
            "/forgot-password" => super::accounts::forgot_password::ForgotPasswordPage().into_any(),
            _ => super::accounts::login::LoginPage().into_any(),
        }
    }
}

/// 人员资格查询 and a registration's page.
pub struct RegistryRoute;

#[lazy_route]
impl LazyRoute for RegistryRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        if path().starts_with("/registration/") {
            super::registry::registration::RegistrationPage().into_any()
        } else {
            super::registry::search::SearchPage().into_any()
        }
    }
}

/// 用户中心's pages (inside its guarded layout): 首页, 我的证照 (the desktop QR page),
/// 电子证照管理, 账户设置, 安全记录, 确认法人账户.
pub struct UserCenterRoute;

#[lazy_route]
impl LazyRoute for UserCenterRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        match path().as_str() {
            "/user/certificates" => super::face_check::desktop::FaceCheckPage().into_any(),
            "/user/certificates/manage" => {
                super::certificates::manage::CertificatesPage().into_any()
            }
            "/user/settings" => super::accounts::settings::AccountSettingsPage().into_any(),
            "/user/security" => super::accounts::security::SecurityLogPage().into_any(),
            "/user/enterprise" => super::accounts::enterprise::EnterpriseConfirmPage().into_any(),
            _ => super::accounts::user_center::UserCenterHome().into_any(),
        }
    }
}

/// 证照核验: the lookup and a copy's page.
pub struct VerifyRoute;

#[lazy_route]
impl LazyRoute for VerifyRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        if path().starts_with("/verify/") {
            super::certificates::verify::VerifyPage().into_any()
        } else {
            super::certificates::verify::VerifyLookupPage().into_any()
        }
    }
}

/// The mini-program: its home, its login and the face check.
pub struct MobileRoute;

#[lazy_route]
impl LazyRoute for MobileRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        match path().as_str() {
            "/m/login" => super::face_check::phone::MobileLoginPage().into_any(),
            "/m/scan" => super::face_check::phone::MobileScanPage().into_any(),
            _ => super::face_check::phone::MobileHomePage().into_any(),
        }
    }
}
