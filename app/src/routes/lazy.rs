//! The pages that load their code on demand. With `cargo leptos build --split`, every page but
//! the home page lives in one WASM chunk behind one split point ([`page_view`]); the first
//! download holds only the shell, the home page and what every page needs.
//!
//! One split point rather than one per page: wasm-split gives every set of split points that
//! share a function a chunk of its own, and with a split point per page a page needed 5 to 145
//! files before it could hydrate. Each route names its page ([`Page`]) when the router is built,
//! so the page chosen never depends on when the address changes during a navigation.

use leptos::prelude::*;
use leptos_router::ChooseView;

/// A page whose code is in the pages chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Search,
    Registration,
    Faq,
    Contact,
    Privacy,
    Login,
    Register,
    ForgotPassword,
    UserCenterHome,
    MyCertificates,
    CertificateManage,
    AccountSettings,
    SecurityLog,
    EnterpriseConfirm,
    VerifyLookup,
    Verify,
    MobileHome,
    MobileLogin,
    MobileScan,
    MobileFaceReturn,
    MobileCertificates,
    Grants,
    Uses,
    ShowVerify,
    GrantVerify,
}

impl Page {
    /// The page's view; called in the chunk in the browser, directly on the server.
    fn render(self) -> AnyView {
        use super::{accounts, certificates, contact, face_check, faq, privacy, registry};
        match self {
            Page::Search => registry::search::SearchPage().into_any(),
            Page::Registration => registry::registration::RegistrationPage().into_any(),
            Page::Faq => faq::FaqPage().into_any(),
            Page::Contact => contact::ContactPage().into_any(),
            Page::Privacy => privacy::PrivacyPage().into_any(),
            Page::Login => accounts::login::LoginPage().into_any(),
            Page::Register => accounts::register::RegisterPage().into_any(),
            Page::ForgotPassword => accounts::forgot_password::ForgotPasswordPage().into_any(),
            Page::UserCenterHome => accounts::user_center::UserCenterHome().into_any(),
            Page::MyCertificates => face_check::desktop::FaceCheckPage().into_any(),
            Page::CertificateManage => certificates::manage::CertificatesPage().into_any(),
            Page::AccountSettings => accounts::settings::AccountSettingsPage().into_any(),
            Page::SecurityLog => accounts::security::SecurityLogPage().into_any(),
            Page::EnterpriseConfirm => accounts::enterprise::EnterpriseConfirmPage().into_any(),
            Page::VerifyLookup => certificates::verify::VerifyLookupPage().into_any(),
            Page::Verify => certificates::verify::VerifyPage().into_any(),
            Page::MobileHome => face_check::phone::MobileHomePage().into_any(),
            Page::MobileLogin => face_check::phone::MobileLoginPage().into_any(),
            Page::MobileScan => face_check::phone::MobileScanPage().into_any(),
            Page::MobileFaceReturn => face_check::phone::MobileFaceReturnPage().into_any(),
            Page::MobileCertificates => face_check::wallet::MobileCertificatesPage().into_any(),
            Page::Grants => certificates::credentials::GrantsPage().into_any(),
            Page::Uses => certificates::credentials::UsesPage().into_any(),
            Page::ShowVerify => certificates::credentials::ShowVerifyPage().into_any(),
            Page::GrantVerify => certificates::credentials::GrantVerifyPage().into_any(),
        }
    }
}

/// The split point: every page's code is behind it.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
fn page_view(page: Page) -> AnyView {
    page.render()
}

/// A route's view that loads the pages chunk first. The router awaits [`ChooseView::preload`]
/// before it hydrates a page, and before it shows one after a navigation.
#[derive(Clone, Copy, Debug)]
pub struct LazyPage(pub Page);

impl ChooseView for LazyPage {
    async fn choose(self) -> AnyView {
        #[cfg(feature = "hydrate")]
        {
            page_view(self.0).await
        }
        // The server renders the page itself: nothing to load, and no preload of the chunk
        // in the page's head, which would compete with the page's own text for the network.
        #[cfg(not(feature = "hydrate"))]
        {
            self.0.render()
        }
    }

    async fn preload(&self) {
        #[cfg(feature = "hydrate")]
        __preload_page_view().await;
    }
}
