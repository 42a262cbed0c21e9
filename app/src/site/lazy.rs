//! The pages that load their code on demand. With `cargo leptos build --split`, every page but
//! the home page lives in its area's WASM chunk, behind one split point per [`Area`]; the first
//! download holds only the shell, the home page and what every page needs.
//!
//! A split point per area rather than one per page, or one for all: wasm-split gives every set
//! of split points that share a function a chunk of its own, and with a split point per page a
//! page needed 5 to 145 files before it could hydrate; with one for all, a citizen opening
//! `/login` downloaded the user center too (see [`Area`] for the figures). Each route names its
//! page ([`Page`]) when the router is built, so the page chosen never depends on when the
//! address changes during a navigation.

use leptos::prelude::*;
use leptos_router::ChooseView;

/// A page whose code is in its area's chunk.
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
    MyCases,
    Evaluation,
    Verifier,
    WalletAuthorize,
    MyData,
}

impl Page {
    /// The chunk the page's code is in.
    fn area(self) -> Area {
        use Page::*;
        match self {
            UserCenterHome | MyCertificates | CertificateManage | AccountSettings | SecurityLog
            | EnterpriseConfirm | Grants | Uses | MyCases | WalletAuthorize | MyData => {
                Area::UserCenter
            }
            Search | Registration | Faq | Contact | Privacy | Login | Register | ForgotPassword
            | VerifyLookup | Verify | ShowVerify | GrantVerify | MobileHome | MobileLogin
            | MobileScan | MobileFaceReturn | MobileCertificates | Evaluation | Verifier => {
                Area::Open
            }
        }
    }

    /// The page's view on the server (in the browser, each area's chunk calls its own).
    #[cfg(not(feature = "hydrate"))]
    fn render(self) -> AnyView {
        match self.area() {
            Area::Open => self.render_open(),
            Area::UserCenter => self.render_user_center(),
        }
    }

    // One function per area, each naming only its own pages: a chunk's split point must not
    // reach another area's pages, or their code would be shared by both chunks.

    fn render_open(self) -> AnyView {
        use super::{contact, faq, privacy};
        use crate::accounts::pages as accounts;
        use crate::certificates::pages::verify;
        use crate::credentials::pages::{holder, wallet};
        use crate::face_check::pages as face_check;
        use crate::mobile;
        use crate::registry::pages as registry;
        match self {
            Page::Search => registry::search::SearchPage().into_any(),
            Page::Registration => registry::registration::RegistrationPage().into_any(),
            Page::Faq => faq::FaqPage().into_any(),
            Page::Contact => contact::ContactPage().into_any(),
            Page::Privacy => privacy::PrivacyPage().into_any(),
            Page::Login => accounts::login::LoginPage().into_any(),
            Page::Register => accounts::register::RegisterPage().into_any(),
            Page::ForgotPassword => accounts::forgot_password::ForgotPasswordPage().into_any(),
            Page::VerifyLookup => verify::VerifyLookupPage().into_any(),
            Page::Verify => verify::VerifyPage().into_any(),
            Page::ShowVerify => holder::ShowVerifyPage().into_any(),
            Page::GrantVerify => holder::GrantVerifyPage().into_any(),
            Page::MobileHome => mobile::MobileHomePage().into_any(),
            Page::MobileLogin => mobile::MobileLoginPage().into_any(),
            Page::MobileScan => face_check::phone::MobileScanPage().into_any(),
            Page::MobileFaceReturn => face_check::phone::MobileFaceReturnPage().into_any(),
            Page::MobileCertificates => wallet::MobileCertificatesPage().into_any(),
            Page::Evaluation => crate::evaluation::pages::public::EvaluationPage().into_any(),
            Page::Verifier => crate::credentials::pages::verifier::VerifierPage().into_any(),
            _ => ().into_any(),
        }
    }

    fn render_user_center(self) -> AnyView {
        use crate::accounts::pages as accounts;
        use crate::certificates::pages as certificates;
        use crate::credentials::pages::holder;
        use crate::face_check::pages as face_check;
        match self {
            Page::UserCenterHome => accounts::user_center::UserCenterHome().into_any(),
            Page::MyCertificates => face_check::desktop::FaceCheckPage().into_any(),
            Page::CertificateManage => certificates::manage::CertificatesPage(
                certificates::manage::CertificatesPageProps::builder()
                    .extra(crate::credentials::pages::export::EXPORT)
                    .build(),
            )
            .into_any(),
            Page::AccountSettings => accounts::settings::AccountSettingsPage().into_any(),
            Page::SecurityLog => accounts::security::SecurityLogPage().into_any(),
            Page::EnterpriseConfirm => accounts::enterprise::EnterpriseConfirmPage().into_any(),
            Page::Grants => holder::GrantsPage().into_any(),
            Page::Uses => holder::UsesPage().into_any(),
            Page::MyCases => crate::evaluation::pages::mine::MyCasesPage().into_any(),
            Page::MyData => crate::privacy::pages::MyDataPage().into_any(),
            Page::WalletAuthorize => {
                crate::credentials::pages::wallet_authorize::WalletAuthorizePage().into_any()
            }
            _ => ().into_any(),
        }
    }
}

/// The two areas, one WASM chunk each (with what they share with the lazily loaded aids).
///
/// Two, not one per kind of page: wasm-split gives every set of split points that share a
/// function a file of its own, and a page loads every file its split point is in. With five
/// areas (public pages, accounts, user center, credentials, mobile) a page needed 20 to 28
/// files; with two and the aids, at most four. Measured on the release build (brotli): one
/// chunk for every page was 470 KB; the five areas' own code was 47–147 KB each, but the code
/// they share (views, forms, server-function calls) made each area 174–417 KB, and the pages
/// a visitor opens first — search, login, the verifier's pages and the phone's — needed
/// 403 KB together against the user center's 385 KB. Again with the patched renderer
/// (vendor/README.md), three areas (visitors, the phone's pages, the user center) made a
/// visitor's page 428 KB and the phone's 373 KB, against 494 KB with two, but over 13 requests
/// each, since the shared code then fell into eight files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Area {
    /// Every page a visitor may open without signing in: 人员资格查询, 登录/注册/找回密码, 证照核验
    /// (copies, 亮证, grants), the information pages and the mini-program on the phone.
    Open,
    /// The user center behind the login: 我的证照 (the face check), 电子证照管理, 授权用证,
    /// 用证记录, 账户设置, 安全记录, 法人确认.
    UserCenter,
}

// The split points, one per area.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
fn open_pages(page: Page) -> AnyView {
    page.render_open()
}

#[cfg(feature = "hydrate")]
#[leptos::lazy]
fn user_center_pages(page: Page) -> AnyView {
    page.render_user_center()
}

impl Area {
    /// The area whose chunk the page at `path` needs, by the route table in `crate::App`:
    /// none for the home page (in the first download), the user center under `/user`, the
    /// visitors' chunk for every other address (an unknown one, answered with the 404 page
    /// from the first download, loads it needlessly).
    #[cfg_attr(not(any(feature = "hydrate", test)), allow(dead_code))]
    fn of_path(path: &str) -> Option<Area> {
        let path = path.trim_end_matches('/');
        if path.is_empty() {
            None
        } else if path == "/user" || path.starts_with("/user/") {
            Some(Area::UserCenter)
        } else {
            Some(Area::Open)
        }
    }
}

/// Loads the chunk of the page at `path` (the address the browser opened) before the page
/// hydrates. The patched renderer hydrates everything inside a type-erased view at once
/// (vendor/README.md), and in a debug build (`erase_components`) the router itself is inside
/// one, so its page's code must be there already; in a release build the router would wait
/// for it, and this only starts the download sooner.
#[cfg(feature = "hydrate")]
pub async fn preload_for(path: &str) {
    match Area::of_path(path) {
        Some(Area::Open) => __preload_open_pages().await,
        Some(Area::UserCenter) => __preload_user_center_pages().await,
        None => {}
    }
}

/// A route's view that loads its area's chunk first. The router awaits
/// [`ChooseView::preload`] before it hydrates a page, and before it shows one after a
/// navigation.
#[derive(Clone, Copy, Debug)]
pub struct LazyPage(pub Page);

impl ChooseView for LazyPage {
    async fn choose(self) -> AnyView {
        #[cfg(feature = "hydrate")]
        {
            let page = self.0;
            match page.area() {
                Area::Open => open_pages(page).await,
                Area::UserCenter => user_center_pages(page).await,
            }
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
        match self.0.area() {
            Area::Open => __preload_open_pages().await,
            Area::UserCenter => __preload_user_center_pages().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each page's addresses, as `crate::App` routes them, give the page's own area, so the
    /// chunk loaded before hydration is the one the router will ask for.
    #[test]
    fn an_address_names_its_pages_area() {
        let pages = [
            ("/search", Page::Search),
            ("/registration/R1", Page::Registration),
            ("/faq", Page::Faq),
            ("/contact", Page::Contact),
            ("/privacy", Page::Privacy),
            ("/login", Page::Login),
            ("/register", Page::Register),
            ("/forgot-password", Page::ForgotPassword),
            ("/user", Page::UserCenterHome),
            ("/user/", Page::UserCenterHome),
            ("/user/certificates", Page::MyCertificates),
            ("/user/certificates/manage", Page::CertificateManage),
            ("/user/settings", Page::AccountSettings),
            ("/user/security", Page::SecurityLog),
            ("/user/enterprise", Page::EnterpriseConfirm),
            ("/user/grants", Page::Grants),
            ("/user/uses", Page::Uses),
            ("/user/evaluations", Page::MyCases),
            ("/user/data", Page::MyData),
            ("/user/wallet-authorize", Page::WalletAuthorize),
            ("/evaluation", Page::Evaluation),
            ("/verifier", Page::Verifier),
            ("/verify", Page::VerifyLookup),
            ("/verify/ABC", Page::Verify),
            ("/verify/show/T", Page::ShowVerify),
            ("/verify/grant/G", Page::GrantVerify),
            ("/m", Page::MobileHome),
            ("/m/login", Page::MobileLogin),
            ("/m/scan", Page::MobileScan),
            ("/m/face-return", Page::MobileFaceReturn),
            ("/m/certificates", Page::MobileCertificates),
        ];
        for (path, page) in pages {
            assert_eq!(Area::of_path(path), Some(page.area()), "{path}");
        }
        assert_eq!(Area::of_path("/"), None);
        assert_eq!(Area::of_path(""), None);
        // Not the user center: only the `/user` segment itself is.
        assert_eq!(Area::of_path("/users"), Some(Area::Open));
    }
}
