//! 人脸识别认证: the desktop's QR ticket, the mini-program's steps on the phone, and the
//! session's face-check mark that 电子证照 and 确认法人账户 require (`platform::auth`).

use crate::face_check::{FaceReturn, FaceTicketStatus, FaceTicketView, PhoneTicketInfo};
#[cfg(feature = "ssr")]
use crate::platform::caller::{serve, serve_signed_in};
use crate::platform::error::AppError;
#[cfg(feature = "ssr")]
use crate::platform::error::Message;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Whether the caller's session passed a face check in the last 30 minutes.
#[server(input = GetUrl, endpoint = "face_gate")]
pub async fn face_gate() -> Result<bool, AppError> {
    serve_signed_in(|caller, signed| async move {
        signed.require_person()?;
        Ok(signed.face_checked(caller.clock.now()))
    })
    .await
}

/// 我的证照: `None` when the session passed a face check in the last 30 minutes, otherwise
/// the page's QR code (a new ticket; any earlier open one ends). One ask, one answer: a page
/// rendered on the server may run its parts more than once, and every run gets the page's
/// one QR code ([`ssr::PageTicket`]), read from the state it started with.
#[server(endpoint = "open_face_check")]
pub async fn open_face_check() -> Result<Option<FaceTicketView>, AppError> {
    let page = leptos::prelude::use_context::<ssr::PageTicket>();
    serve_signed_in(|caller, signed| async move {
        signed.require_person()?;
        if signed.face_checked(caller.clock.now()) {
            return Ok(None);
        }
        let ticket = match page {
            Some(page) => page
                .0
                .get_or_try_init(|| ssr::new_ticket(&caller, &signed))
                .await
                .cloned(),
            None => ssr::new_ticket(&caller, &signed).await,
        }?;
        Ok(Some(ticket))
    })
    .await
}

/// A new QR code for this desktop session (【刷新二维码】; any earlier open one ends).
#[server(endpoint = "start_face_check")]
pub async fn start_face_check() -> Result<FaceTicketView, AppError> {
    serve_signed_in(|caller, signed| async move {
        signed.require_person()?;
        ssr::new_ticket(&caller, &signed).await
    })
    .await
}

/// The ticket's caller (the desktop's polling fallback and 【手动跳转】).
#[server(input = GetUrl, endpoint = "face_ticket_status")]
pub async fn fetch_face_ticket_status(ticket_id: String) -> Result<FaceTicketStatus, AppError> {
    serve_signed_in(|caller, signed| async move {
        let ticket = ssr::own_ticket(&caller, &signed, &ticket_id).await?;
        Ok(ticket.status(caller.clock.now()))
    })
    .await
}

/// The phone opened the QR's address: which desktop request it is. Reading changes nothing
/// (a link opened from anywhere must not scan or fail a ticket); 【下一步】 scans it.
#[server(input = GetUrl, endpoint = "read_face_ticket")]
pub async fn read_face_ticket(token: String) -> Result<PhoneTicketInfo, AppError> {
    serve_signed_in(|caller, signed| async move {
        let ticket = ssr::ticket_of_token(&caller, &token).await?;
        if ticket.account_id != signed.account.id {
            return Err(AppError::invalid(crate::face_check::failures::text(
                crate::face_check::failures::WRONG_PERSON,
            )));
        }
        let now = caller.clock.now();
        Ok(PhoneTicketInfo {
            state: ticket.state.at(now, ticket.expires_at),
            requested_at: crate::domain::time::format_beijing_second(ticket.created_at),
            browser: ticket.desktop_browser.clone(),
            ip: ticket.desktop_ip.clone(),
            seconds_left: (ticket.expires_at - now).max(0),
            own_device: ticket.session_hash == signed.session_hash,
            id_kind: signed.account.id_kind,
        })
    })
    .await
}

/// 【下一步】 on the approval screen: marks the ticket scanned (if the phone's account is the
/// ticket's person; another person's phone fails it, and both screens say why).
#[server(endpoint = "scan_face_ticket")]
pub async fn scan_face_ticket(token: String) -> Result<PhoneTicketInfo, AppError> {
    serve(|caller| async move {
        use crate::face_check::rules::{FaceEvent, FaceState};
        let (signed, ticket) = ssr::phone_ticket(&caller, &token).await?;
        let now = caller.clock.now();
        let current = ticket.state.at(now, ticket.expires_at);
        if !matches!(current, FaceState::Scanned | FaceState::Verifying) {
            ssr::advance(&caller, &ticket, &signed, FaceEvent::Scan, "").await?;
        }
        Ok(PhoneTicketInfo {
            state: FaceState::Scanned,
            requested_at: crate::domain::time::format_beijing_second(ticket.created_at),
            browser: ticket.desktop_browser.clone(),
            ip: ticket.desktop_ip.clone(),
            seconds_left: (ticket.expires_at - now).max(0),
            own_device: ticket.session_hash == signed.session_hash,
            id_kind: signed.account.id_kind,
        })
    })
    .await
}

/// 【允许】 on the authorisation sheet.
#[server(endpoint = "allow_face_check")]
pub async fn allow_face_check(token: String) -> Result<(), AppError> {
    serve(|caller| async move {
        use crate::face_check::rules::FaceEvent;
        let (signed, ticket) = ssr::phone_ticket(&caller, &token).await?;
        ssr::advance(&caller, &ticket, &signed, FaceEvent::Allow, "").await?;
        Ok(())
    })
    .await
}

/// 【拒绝】 on the authorisation sheet: the desktop learns it at once.
#[server(endpoint = "deny_face_check")]
pub async fn deny_face_check(token: String) -> Result<(), AppError> {
    serve(|caller| async move {
        use crate::face_check::failures;
        use crate::face_check::rules::FaceEvent;
        let (signed, ticket) = ssr::phone_ticket(&caller, &token).await?;
        ssr::advance(&caller, &ticket, &signed, FaceEvent::Fail, failures::DENIED).await?;
        Ok(())
    })
    .await
}

/// 【开始人脸识别】 with the 身份证号 typed on the phone: checked against the account's keyed
/// digest (a wrong one counts, [`ssr::WRONG_ID_LIMIT`] per half hour), then the provider starts
/// its check and the phone is handed to the provider's page, whose address this answers.
#[server(endpoint = "begin_face_check")]
pub async fn begin_face_check(token: String, id_number: String) -> Result<String, AppError> {
    crate::platform::caller::serve_calling_out(|caller| async move {
        use crate::face_check::failures;
        use crate::face_check::repo as tickets;
        use crate::face_check::rules::FaceState;
        use crate::platform::ports::face_provider::FaceStart;
        let (signed, mut ticket) = ssr::phone_ticket(&caller, &token).await?;
        let now = caller.clock.now();
        if ticket.state.at(now, ticket.expires_at) != FaceState::Verifying {
            return Err(AppError::invalid(
                crate::face_check::rules::FaceMoveError::OutOfOrder,
            ));
        }
        if !ticket.provider_ref.is_empty() {
            // One provider check per QR code: a second start would be a second billed check
            // and would keep the ticket open without end.
            return Err(ssr::used());
        }
        if !caller.face.checks(signed.account.id_kind) {
            return Err(AppError::invalid(ssr::assisted_only(
                signed.account.id_kind,
            )));
        }
        let id = ssr::typed_id_number(&caller, &signed, &id_number).await?;
        if !tickets::claim_start(&caller.db, ticket.id, now).await? {
            return Err(ssr::used());
        }
        ticket.provider_ref = tickets::STARTING.to_string();
        let return_url = format!(
            "{}/m/face-return?ticket={}",
            caller.public_base(),
            ticket.public_id
        );
        let started = caller
            .face
            .start(FaceStart {
                name: &signed.account.name,
                id_number: &id,
                return_url: &return_url,
                order_no: &ticket.public_id,
            })
            .await;
        let handoff = match started {
            Ok(h) => h,
            Err(message) => {
                tracing::error!(
                    provider = caller.face.name(),
                    "face provider did not start a check"
                );
                ssr::advance(
                    &caller,
                    &ticket,
                    &signed,
                    crate::face_check::rules::FaceEvent::Fail,
                    failures::PROVIDER_UNAVAILABLE,
                )
                .await?;
                // The provider's words are Chinese only; the English says it in general.
                return Err(AppError::unavailable(Message::new(
                    format!("{message};本次认证未通过,请在电脑上刷新二维码后重试"),
                    "The face check service is unavailable, so this check was not passed: \
                     get a new QR code on your computer and try again later",
                )));
            }
        };
        let until = ticket
            .expires_at
            .max(now + crate::face_check::rules::HANDOFF_SECONDS);
        if !tickets::hand_off(
            &caller.db,
            ticket.id,
            caller.face.name(),
            &handoff.reference,
            until,
            now,
        )
        .await?
        {
            return Err(ssr::used());
        }
        caller.face_hub.publish(&caller.db, &ticket.public_id).await;
        Ok(handoff.url)
    })
    .await
}

/// The provider sent the phone back (`/m/face-return?ticket=…&token=…`). The address proves
/// nothing: the server asks the provider for the result of the check it started (the
/// reference kept on the ticket). A `token` naming another check fails the ticket; a ticket
/// already finished answers how it ended and changes nothing.
#[server(endpoint = "finish_face_check")]
pub async fn finish_face_check(
    ticket: String,
    token: Option<String>,
) -> Result<FaceReturn, AppError> {
    crate::platform::caller::serve_calling_out(|caller| async move {
        use crate::face_check::failures;
        use crate::face_check::rules::{FaceEvent, FaceState};
        use crate::platform::ports::face_provider::FaceVerdict;
        let signed = caller.require_signed_in().await?;
        let ticket = match crate::face_check::repo::by_public_id(&caller.db, &ticket).await? {
            Some(t) if t.account_id == signed.account.id => t,
            _ => return Err(AppError::NotFound),
        };
        let own_device = ticket.session_hash == signed.session_hash;
        let answer = |state: FaceState, failure: &str| FaceReturn {
            passed: state == FaceState::Passed,
            own_device,
            message: failures::message(failure).to_string(),
            failure: failure.to_string(),
        };
        let now = caller.clock.now();
        let state = ticket.state.at(now, ticket.expires_at);
        if state.is_final() {
            return Ok(answer(state, &ticket.failure));
        }
        if state != FaceState::Verifying
            || ticket.provider_ref.is_empty()
            || ticket.provider_ref == crate::face_check::repo::STARTING
        {
            return Err(AppError::invalid(
                crate::face_check::rules::FaceMoveError::OutOfOrder,
            ));
        }
        let fail = async |failure: &str| -> Result<FaceReturn, AppError> {
            ssr::advance(&caller, &ticket, &signed, FaceEvent::Fail, failure).await?;
            Ok(answer(FaceState::Failed, failure))
        };
        if token.as_deref().is_some_and(|t| t != ticket.provider_ref)
            || ticket.provider != caller.face.name()
        {
            return fail(failures::OTHER_CHECK).await;
        }
        // The provider unreachable now: the result is not known, so nothing passes; the
        // ticket stays open for 【重新查询结果】 until it expires (a check the citizen already
        // passed is not thrown away by a moment's outage).
        let result = caller
            .face
            .result(&ticket.provider_ref)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, provider = caller.face.name(), "face provider result");
                AppError::unavailable(Message::new(
                    format!("{e};认证结果暂未确认,请稍后点击【重新查询结果】"),
                    "The face check service is unavailable, so the result is not confirmed yet: \
                     choose Ask again in a moment",
                ))
            })?;
        if let Some((name, id)) = &result.person
            && !ssr::is_account_person(&caller, &signed, name, id)
        {
            return fail(failures::OTHER_PERSON_CHECKED).await;
        }
        match result.verdict {
            FaceVerdict::Pass => {
                ssr::advance(&caller, &ticket, &signed, FaceEvent::Pass, "").await?;
                Ok(answer(FaceState::Passed, ""))
            }
            FaceVerdict::Fail => fail(failures::FACE_MISMATCH).await,
        }
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::face_check::failures;
    use crate::face_check::repo::{self as tickets, Ticket};
    use crate::face_check::rules::FaceEvent;
    use crate::platform::caller::{Caller, SignedIn};
    use crate::platform::error::{AppError, Message};
    use crate::platform::lang::Text;
    use crate::platform::session::repo::token_hash;
    use crate::platform::state::AppState;

    /// The ticket has had its one provider check (or is no longer being verified).
    pub fn used() -> AppError {
        AppError::invalid(crate::face_check::rules::FaceMoveError::Used)
    }

    /// Wrong 身份证号 an account may type on the phone in [`WRONG_ID_WINDOW`] seconds …
    pub const WRONG_ID_LIMIT: i64 = 5;
    pub const WRONG_ID_WINDOW: i64 = 30 * 60;
    /// … and in a day, whatever came right between them: the region and last digits of a
    /// number are public (masked), so a wrong guess tells about the birth date, and a day's
    /// guesses must stay as few as a day's 身份证号 searches.
    pub const WRONG_ID_PER_DAY: i64 = 10;
    const DAY: i64 = 24 * 60 * 60;

    /// The 身份证号 typed on the phone, when it is the account's own (compared by keyed
    /// digest: the portal keeps no number to compare with). Each wrong one is counted per
    /// account, in half an hour and in a day; past either limit none is compared until its
    /// window ends. The slots are taken before comparing, so parallel guesses cannot exceed
    /// them; a right number gives its day slot back.
    pub async fn typed_id_number(
        caller: &Caller,
        signed: &SignedIn,
        typed: &str,
    ) -> Result<crate::domain::IdDocument, AppError> {
        use crate::platform::counters::{repo as counters, scopes};
        // The account's own kind (and a passport's country): the phone asks the number alone.
        let account = &signed.account;
        let id = crate::domain::IdDocument::parse(account.id_kind, typed, &account.id_country)
            .map_err(|e| AppError::field("id_number", e))?;
        let key = signed.account.id.to_string();
        let now = caller.clock.now();
        let too_many = |seconds: i64| {
            let minutes = (seconds + 59) / 60;
            AppError::field(
                "id_number",
                Message::new(
                    format!("证件号码输入错误次数过多,请于{minutes}分钟后再试"),
                    format!(
                        "The document number was entered wrongly too many times: \
                         try again in {minutes} minutes"
                    ),
                ),
            )
        };
        let slot = counters::take(
            &caller.db,
            scopes::FACE_ID_WRONG,
            &key,
            WRONG_ID_WINDOW,
            now,
        )
        .await?;
        if !slot.within(WRONG_ID_LIMIT) {
            return Err(too_many(slot.seconds_left(WRONG_ID_WINDOW, now)));
        }
        let day = counters::take(&caller.db, scopes::FACE_ID_WRONG_DAY, &key, DAY, now).await?;
        if !day.within(WRONG_ID_PER_DAY) {
            return Err(too_many(day.seconds_left(DAY, now)));
        }
        if is_account_number(caller, signed, &id) {
            counters::clear(&caller.db, scopes::FACE_ID_WRONG, &key).await?;
            counters::give_back(&caller.db, scopes::FACE_ID_WRONG_DAY, &key).await?;
            return Ok(id);
        }
        caller
            .audit(
                Some(signed.account.id),
                crate::platform::audit::FACE_CHECK,
                "人脸识别前输入的证件号码与账户不一致",
            )
            .await;
        let left = (WRONG_ID_LIMIT - slot.number).min(WRONG_ID_PER_DAY - day.number);
        match left {
            0 if day.number >= WRONG_ID_PER_DAY => Err(too_many(day.seconds_left(DAY, now))),
            0 => Err(too_many(slot.seconds_left(WRONG_ID_WINDOW, now))),
            left => Err(AppError::field(
                "id_number",
                Message::new(
                    format!(
                        "{}号码与本账户登记的不一致,请核对后重新输入(还可输入{left}次)",
                        account.id_kind.label()
                    ),
                    format!(
                        "This {} is not the one registered for this account: \
                         check it and enter it again ({left} tries left)",
                        account.id_kind.english_number_label().to_lowercase()
                    ),
                ),
            )),
        }
    }

    /// What a holder of a kind the face provider cannot check is told: 协助核验 instead.
    pub fn assisted_only(kind: crate::domain::DocumentKind) -> Message {
        Message::new(
            format!(
                "{}暂不支持在线人脸识别(国家移民管理局规定该证件不开放商业化身份认证)。\
                 请联系工作人员协助核验身份,核验后在电脑端二维码页面输入短信核验码即可办理电子证照业务",
                kind.label()
            ),
            format!(
                "A {} cannot be used for an online face check (the National Immigration \
                 Administration does not open this document to commercial identity checks). \
                 Contact our staff to verify who you are, then enter the code we send you by \
                 text message on the QR code page on your computer to use your electronic \
                 certificates",
                kind.english()
            ),
        )
    }

    /// Whether `id` is the signed-in account's (by keyed digest).
    fn is_account_number(
        state: &AppState,
        signed: &SignedIn,
        id: &crate::domain::IdDocument,
    ) -> bool {
        let digest = crate::domain::person::document_digest(&state.settings.data_key, id);
        crate::accounts::repo::person_login_key(&digest) == signed.account.login_key
    }

    /// Whether the name and number a provider checked are the signed-in account's person
    /// (a provider names a number of the account's own kind).
    pub fn is_account_person(
        state: &AppState,
        signed: &SignedIn,
        name: &str,
        id_number: &str,
    ) -> bool {
        let account = &signed.account;
        name == account.name
            && crate::domain::IdDocument::parse(account.id_kind, id_number, &account.id_country)
                .is_ok_and(|id| is_account_number(state, signed, &id))
    }

    /// The QR code of one page rendered on the server. A page's components may run more
    /// than once while the server renders it (a `Suspense` resolves, then renders), and each
    /// run asks for a QR code: they must all get the same ticket, or the page would show one
    /// whose later sibling has already ended it. The server provides a fresh one to each
    /// request (pages and server functions alike), so a server function asked by the browser
    /// makes one new ticket per request.
    #[derive(Clone, Default)]
    pub struct PageTicket(
        pub std::sync::Arc<tokio::sync::OnceCell<crate::face_check::FaceTicketView>>,
    );

    /// A new ticket and its QR code for the desktop session (any earlier open one ends).
    pub async fn new_ticket(
        caller: &Caller,
        signed: &SignedIn,
    ) -> Result<crate::face_check::FaceTicketView, AppError> {
        use crate::face_check::repo::NewTicket;
        use crate::face_check::rules::TICKET_SECONDS;
        use crate::face_check::{FaceTicketStatus, FaceTicketView};
        let token = crate::platform::ids::random_hex::<32>();
        let public_id = crate::platform::ids::random_hex::<16>();
        let now = caller.clock.now();
        let ip = caller.meta.client_ip.to_string();
        let browser = crate::domain::browser::browser_label(&caller.meta.user_agent);
        tickets::create(
            &caller.db,
            &NewTicket {
                token_hash: &token_hash(&token),
                public_id: &public_id,
                session_hash: &signed.session_hash,
                account_id: signed.account.id,
                desktop_ip: &ip,
                desktop_browser: &browser,
                now,
                expires_at: now + TICKET_SECONDS,
            },
        )
        .await?;
        let scan_url = format!("{}/m/scan?t={token}", caller.public_base());
        let qr_svg = crate::platform::qr::qr_svg(&scan_url)?;
        let assisted = (!caller.face.checks(signed.account.id_kind))
            .then(|| assisted_only(signed.account.id_kind));
        Ok(FaceTicketView {
            ticket_id: public_id,
            qr_svg,
            scan_url,
            status: FaceTicketStatus {
                state: crate::face_check::rules::FaceState::Waiting,
                message: String::new(),
                failure: String::new(),
                seconds_left: TICKET_SECONDS,
            },
            assisted_only: assisted.as_ref().map(|m| m.zh.clone()),
            assisted_only_en: assisted.map(|m| m.en),
        })
    }

    /// The caller's own ticket by its public id; anyone else's is "not found".
    pub async fn own_ticket(
        state: &AppState,
        signed: &SignedIn,
        ticket_id: &str,
    ) -> Result<Ticket, AppError> {
        match tickets::by_public_id(&state.db, ticket_id).await? {
            Some(t) if t.session_hash == signed.session_hash => Ok(t),
            _ => Err(AppError::NotFound),
        }
    }

    /// The ticket of a QR token, or "invalid QR code".
    pub async fn ticket_of_token(state: &AppState, token: &str) -> Result<Ticket, AppError> {
        let invalid = || {
            AppError::invalid(Text::new(
                "二维码无效,请在电脑上刷新二维码后重新扫码",
                "This QR code is not valid: get a new QR code on your computer and scan it again",
            ))
        };
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid());
        }
        tickets::by_token_hash(&state.db, &token_hash(token))
            .await?
            .ok_or_else(invalid)
    }

    /// The phone's signed-in account and the ticket of a QR token. A phone signed in as
    /// another person fails the ticket (the desktop shows why) and is told so.
    pub async fn phone_ticket(
        caller: &Caller,
        token: &str,
    ) -> Result<(SignedIn, Ticket), AppError> {
        let signed = caller.require_signed_in().await?;
        let ticket = ticket_of_token(caller, token).await?;
        if ticket.account_id != signed.account.id {
            let _ = advance(
                caller,
                &ticket,
                &signed,
                FaceEvent::Fail,
                failures::WRONG_PERSON,
            )
            .await;
            return Err(AppError::invalid(failures::text(failures::WRONG_PERSON)));
        }
        Ok((signed, ticket))
    }

    /// Applies `event` to the ticket (refusing what the state machine refuses), records a
    /// pass on the desktop session, and tells the desktop.
    pub async fn advance(
        caller: &Caller,
        ticket: &Ticket,
        signed: &SignedIn,
        event: FaceEvent,
        failure: &str,
    ) -> Result<(), AppError> {
        let now = caller.clock.now();
        let next = ticket
            .state
            .apply(event, now, ticket.expires_at)
            .map_err(AppError::invalid)?;
        // The ticket's new state, the session's pass and the 安全记录 entry: all or nothing,
        // so a request cut short never leaves a passed ticket whose session was not marked.
        let mut tx = crate::platform::db::begin_write(&caller.db).await?;
        if !tickets::transition(&mut *tx, ticket, next, failure, now).await? {
            return Err(AppError::invalid(
                crate::face_check::rules::FaceMoveError::Used,
            ));
        }
        if next == crate::face_check::rules::FaceState::Passed {
            tickets::mark_session_verified(&mut *tx, &ticket.session_hash, now).await?;
        }
        let detail = format!("{} · {}", next.label(), failures::message(failure));
        if next.is_final() {
            caller
                .audit_in(
                    &mut tx,
                    Some(signed.account.id),
                    crate::platform::audit::FACE_CHECK,
                    detail.trim_end_matches(" · "),
                )
                .await?;
        }
        tx.commit().await?;
        caller.face_hub.publish(&caller.db, &ticket.public_id).await;
        Ok(())
    }
}
