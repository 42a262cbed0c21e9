//! The pages that load their code on demand: all of them but the home page, in one chunk.
//!
//! A [`LazyRoute`]'s view lives in its own WASM chunk when the release is built with
//! `cargo leptos build --split`, and wasm-split also makes a chunk for each set of split
//! points that share code. One split point per page gave 23 split points and 273 chunks: a
//! search-results page fetched 92 files, one after another over a slow phone network. One
//! split point for the pages (and one for the browser aids, [`crate::components::aids`]) makes
//! a page's code one chunk plus at most one shared with the aids; after the first page every
//! other page is already there. The first download still holds only the shell, the home page
//! and what every page needs.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use leptos_router::{LazyRoute, lazy_route};

/// Every page but the home page, chosen by its address (the router has matched it already).
pub struct PagesRoute;

#[lazy_route]
impl LazyRoute for PagesRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        use super::{accounts, certificates, face_check, registry};
        let path = use_location().pathname.get_untracked();
        match path.trim_end_matches('/') {
            "/faq" => super::faq::FaqPage().into_any(),
            "/contact" => super::contact::ContactPage().into_any(),
            "/privacy" => super::privacy::PrivacyPage().into_any(),
            "/login" => accounts::login::LoginPage().into_any(),
            "/register" => accounts::register::RegisterPage().into_any(),
            "/forgot-password" => accounts::forgot_password::ForgotPasswordPage().into_any(),
            "/search" => registry::search::SearchPage().into_any(),
            p if p.starts_with("/registration/") => {
                registry::registration::RegistrationPage().into_any()
            }
            "/verify" => certificates::verify::VerifyLookupPage().into_any(),
            p if p.starts_with("/verify/") => certificates::verify::VerifyPage().into_any(),
            "/user" => accounts::user_center::UserCenterHome().into_any(),
            "/user/certificates" => face_check::desktop::FaceCheckPage().into_any(),
            "/user/certificates/manage" => certificates::manage::CertificatesPage().into_any(),
            "/user/settings" => accounts::settings::AccountSettingsPage().into_any(),
            "/user/security" => accounts::security::SecurityLogPage().into_any(),
            "/user/enterprise" => accounts::enterprise::EnterpriseConfirmPage().into_any(),
            "/m" => face_check::phone::MobileHomePage().into_any(),
            "/m/login" => face_check::phone::MobileLoginPage().into_any(),
            "/m/scan" => face_check::phone::MobileScanPage().into_any(),
            // The router sends no other address here; if it ever did, say so.
            _ => super::not_found::NotFound().into_any(),
        }
    }
}
