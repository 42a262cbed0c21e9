//! The pages that load their code on demand. Each is a [`LazyRoute`] whose view lives in its
//! own WASM chunk when the release is built with `cargo leptos build --split`; the first
//! download holds only the shell, the home page and what every page needs.
//!
//! Written out one by one: `#[lazy_route]` names each chunk after the place it is written.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

pub struct SearchRoute;

#[lazy_route]
impl LazyRoute for SearchRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::registry::search::SearchPage().into_any()
    }
}

pub struct RegistrationRoute;

#[lazy_route]
impl LazyRoute for RegistrationRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::registry::registration::RegistrationPage().into_any()
    }
}

pub struct FaqRoute;

#[lazy_route]
impl LazyRoute for FaqRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::faq::FaqPage().into_any()
    }
}

pub struct LoginRoute;

#[lazy_route]
impl LazyRoute for LoginRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::accounts::login::LoginPage().into_any()
    }
}

pub struct RegisterRoute;

#[lazy_route]
impl LazyRoute for RegisterRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::accounts::register::RegisterPage().into_any()
    }
}

pub struct ForgotPasswordRoute;

#[lazy_route]
impl LazyRoute for ForgotPasswordRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::accounts::forgot_password::ForgotPasswordPage().into_any()
    }
}

pub struct AccountSettingsRoute;

#[lazy_route]
impl LazyRoute for AccountSettingsRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::accounts::settings::AccountSettingsPage().into_any()
    }
}

pub struct SecurityLogRoute;

#[lazy_route]
impl LazyRoute for SecurityLogRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::accounts::security::SecurityLogPage().into_any()
    }
}

pub struct ContactRoute;

#[lazy_route]
impl LazyRoute for ContactRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::contact::ContactPage().into_any()
    }
}

pub struct PrivacyRoute;

#[lazy_route]
impl LazyRoute for PrivacyRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::privacy::PrivacyPage().into_any()
    }
}

pub struct UserCenterHomeRoute;

#[lazy_route]
impl LazyRoute for UserCenterHomeRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::accounts::user_center::UserCenterHome().into_any()
    }
}

pub struct MyCertificatesRoute;

#[lazy_route]
impl LazyRoute for MyCertificatesRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::face_check::desktop::FaceCheckPage().into_any()
    }
}

pub struct CertificateManageRoute;

#[lazy_route]
impl LazyRoute for CertificateManageRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::certificates::manage::CertificatesPage().into_any()
    }
}

pub struct MobileHomeRoute;

#[lazy_route]
impl LazyRoute for MobileHomeRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::face_check::phone::MobileHomePage().into_any()
    }
}

pub struct MobileLoginRoute;

#[lazy_route]
impl LazyRoute for MobileLoginRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::face_check::phone::MobileLoginPage().into_any()
    }
}

pub struct MobileScanRoute;

#[lazy_route]
impl LazyRoute for MobileScanRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::face_check::phone::MobileScanPage().into_any()
    }
}

pub struct VerifyRoute;

#[lazy_route]
impl LazyRoute for VerifyRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::certificates::verify::VerifyPage().into_any()
    }
}

pub struct EnterpriseConfirmRoute;

#[lazy_route]
impl LazyRoute for EnterpriseConfirmRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::accounts::enterprise::EnterpriseConfirmPage().into_any()
    }
}

pub struct VerifyLookupRoute;

#[lazy_route]
impl LazyRoute for VerifyLookupRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        super::certificates::verify::VerifyLookupPage().into_any()
    }
}
