//! The staff console's pages and forms, served only by the admin listener
//! (`server/src/admin.rs`, `PORTAL_ADMIN_ADDR`). Each page is rendered on the server and each
//! form posts to a handler here, so the console works without JavaScript and has no server
//! function a browser on the public address could call. Every handler resolves the staff
//! session and names the [`Action`] it performs; [`StaffMember::may`] decides.

pub mod feed_upload;
pub mod service;
mod views;

use crate::platform::state::AppState;
use crate::staff::{Action, Role, StaffMember, audit, repo};
use axum::Router;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form};
use serde::Deserialize;
use service::Actor;
use std::net::SocketAddr;

/// The staff session cookie: its own name, only sent to `/admin`, never to scripts, never
/// from another site.
pub const COOKIE: &str = "portal_staff";

/// The console's routes (under `/admin`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(home))
        .route("/admin/login", get(login_page).post(login))
        .route("/admin/logout", post(logout))
        .route("/admin/enrol", get(enrol_page).post(enrol))
        .route("/admin/audit", get(audit_page))
        .route("/admin/staff", get(staff_page).post(add_staff))
        .route("/admin/staff/{id}/roles", post(change_roles))
        .route("/admin/staff/{id}/disable", post(disable_staff))
        .route(
            "/admin/withdrawals",
            get(withdrawals_page).post(propose_withdrawal),
        )
        .route("/admin/assisted", get(assisted_page).post(record_assisted))
        .route("/admin/assisted/{id}/resend", post(resend_assisted))
        .route("/admin/disputes", get(disputes_page))
        .route("/admin/disputes/{id}/{decision}", post(handle_dispute))
        .route("/admin/orders", get(orders_page))
        .route("/admin/orders/{id}/{step}", post(order_step))
        .route(
            "/admin/registry",
            get(feed_page)
                .post(upload_feed)
                .layer(axum::extract::DefaultBodyLimit::max(feed_upload::MAX_BYTES)),
        )
        .route("/admin/registry/jobs/{id}", get(feed_job_page))
        .route("/admin/approvals", get(approvals_page))
        .route("/admin/approvals/{id}/{decision}", post(decide))
        .route("/admin/console.css", get(stylesheet))
}

fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| crate::domain::cookie::value(v, COOKIE))
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string)
}

/// The member signed in on this request and their session's hash, or the login page.
async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(StaffMember, String), Response> {
    let Some(token) = session_token(headers) else {
        return Err(Redirect::to("/admin/login").into_response());
    };
    let hash = crate::platform::session::repo::token_hash(&token);
    match repo::resume_session(&state.db, &hash, state.clock.now()).await {
        Ok(Some(member)) => Ok((member, hash)),
        Ok(None) => Err(Redirect::to("/admin/login").into_response()),
        Err(e) => Err(internal(&e.to_string())),
    }
}

/// The member signed in on this request, or the answer to give instead: the login page for
/// nobody, the enrolment for a member who has not chosen their own password and secret yet,
/// 403 for a member whose roles do not allow `action`.
async fn require(
    state: &AppState,
    headers: &HeaderMap,
    action: Action,
) -> Result<StaffMember, Response> {
    let (member, _) = signed_in(state, headers).await?;
    if member.must_enrol {
        return Err(Redirect::to("/admin/enrol").into_response());
    }
    if !member.may(action) {
        tracing::warn!(staff = member.id, ?action, "staff action refused by role");
        return Err((
            StatusCode::FORBIDDEN,
            views::page(
                "无权操作",
                Some(&member),
                views::notice(&format!(
                    "您的角色({})不能进行此操作。",
                    member.role_labels()
                )),
            ),
        )
            .into_response());
    }
    Ok(member)
}

async fn enrol_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let (member, _) = match signed_in(&state, &headers).await {
        Ok(signed) => signed,
        Err(answer) => return answer,
    };
    if !member.must_enrol {
        return Redirect::to("/admin").into_response();
    }
    enrol_form(&state, &member, None).await
}

async fn enrol_form(state: &AppState, member: &StaffMember, error: Option<&str>) -> Response {
    match service::enrolment_uri(state, member).await {
        Ok(uri) => (
            form_status(error),
            views::page(
                "设置本人的密码和身份验证器",
                Some(member),
                views::enrol(&uri, error),
            ),
        )
            .into_response(),
        Err(e) => internal(&e),
    }
}

#[derive(Deserialize)]
pub struct EnrolForm {
    pub password: String,
    pub confirm: String,
    pub code: String,
}

async fn enrol(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<EnrolForm>,
) -> Response {
    let (member, session) = match signed_in(&state, &headers).await {
        Ok(signed) => signed,
        Err(answer) => return answer,
    };
    if !member.must_enrol {
        return Redirect::to("/admin").into_response();
    }
    match service::finish_enrolment(
        &state,
        &member,
        &session,
        &form.password,
        &form.confirm,
        &form.code,
    )
    .await
    {
        Ok(()) => Redirect::to("/admin").into_response(),
        Err(message) => enrol_form(&state, &member, Some(&message)).await,
    }
}

/// A page answering a form: 422 when it shows the form's error.
fn form_status(error: Option<&str>) -> StatusCode {
    if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

fn internal(error: &str) -> Response {
    tracing::error!(error, "staff console error");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "服务暂时不可用,请稍后再试",
    )
        .into_response()
}

async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        views::STYLESHEET,
    )
        .into_response()
}

async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match require(&state, &headers, Action::SignIn).await {
        Ok(member) => views::page("工作台", Some(&member), views::home(&member)).into_response(),
        Err(answer) => answer,
    }
}

async fn login_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Ok(_member) = require(&state, &headers, Action::SignIn).await {
        return Redirect::to("/admin").into_response();
    }
    views::page("工作人员登录", None, views::login_form("", None)).into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
    pub code: String,
}

async fn login(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    Form(form): Form<LoginForm>,
) -> Response {
    // The console is reached directly (no load balancer): the socket's peer is the client.
    let ip = peer.map_or_else(|| "unknown".to_string(), |p| p.0.0.ip().to_string());
    match service::sign_in(&state, &form.username, &form.password, &form.code, &ip).await {
        Ok((token, _member)) => {
            let secure = if state.settings.env.is_production() {
                "; Secure"
            } else {
                ""
            };
            let cookie = format!(
                "{COOKIE}={token}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
                crate::staff::MAX_SESSION_SECONDS
            );
            let mut answer = Redirect::to("/admin").into_response();
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                answer.headers_mut().insert(header::SET_COOKIE, value);
            }
            answer
        }
        Err(message) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            views::page(
                "工作人员登录",
                None,
                views::login_form(&form.username, Some(&message)),
            ),
        )
            .into_response(),
    }
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let member = match signed_in(&state, &headers).await {
        Ok((member, _)) => member,
        Err(answer) => return answer,
    };
    if let Some(token) = session_token(&headers)
        && let Err(e) = service::sign_out(&state, &member, &token).await
    {
        return internal(&e);
    }
    let mut answer = Redirect::to("/admin/login").into_response();
    answer.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "portal_staff=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0",
        ),
    );
    answer
}

async fn audit_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let member = match require(&state, &headers, Action::ViewAudit).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    let verified = match audit::verify(&state.db, &state.settings.data_key).await {
        Ok(v) => v,
        Err(e) => return internal(&e.to_string()),
    };
    let entries = match audit::latest(&state.db, 100).await {
        Ok(entries) => entries,
        Err(e) => return internal(&e.to_string()),
    };
    views::page("审计记录", Some(&member), views::audit(&verified, &entries)).into_response()
}

async fn staff_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let member = match require(&state, &headers, Action::ManageStaff).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    staff_list(&state, &member, None, None).await
}

async fn staff_list(
    state: &AppState,
    member: &StaffMember,
    created: Option<&service::NewStaff>,
    error: Option<&str>,
) -> Response {
    match repo::list(&state.db).await {
        Ok(rows) => (
            form_status(error),
            views::page(
                "工作人员管理",
                Some(member),
                views::staff(member, &rows, created, error),
            ),
        )
            .into_response(),
        Err(e) => internal(&e.to_string()),
    }
}

/// The role checkboxes of a form (checked ones are sent, with any value).
#[derive(Deserialize, Default)]
pub struct RoleBoxes {
    #[serde(default)]
    pub acceptor: Option<String>,
    #[serde(default)]
    pub reviewer: Option<String>,
    #[serde(default)]
    pub admin: Option<String>,
    #[serde(default)]
    pub readonly: Option<String>,
}

impl RoleBoxes {
    fn roles(&self) -> Vec<Role> {
        [
            (Role::Acceptor, &self.acceptor),
            (Role::Reviewer, &self.reviewer),
            (Role::Admin, &self.admin),
            (Role::ReadOnly, &self.readonly),
        ]
        .into_iter()
        .filter(|(_, checked)| checked.is_some())
        .map(|(role, _)| role)
        .collect()
    }
}

#[derive(Deserialize)]
pub struct AddForm {
    pub username: String,
    pub display_name: String,
    #[serde(default)]
    pub acceptor: Option<String>,
    #[serde(default)]
    pub reviewer: Option<String>,
    #[serde(default)]
    pub admin: Option<String>,
    #[serde(default)]
    pub readonly: Option<String>,
}

impl AddForm {
    fn roles(&self) -> Vec<Role> {
        RoleBoxes {
            acceptor: self.acceptor.clone(),
            reviewer: self.reviewer.clone(),
            admin: self.admin.clone(),
            readonly: self.readonly.clone(),
        }
        .roles()
    }
}

async fn add_staff(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<AddForm>,
) -> Response {
    let member = match require(&state, &headers, Action::ManageStaff).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    match service::add_staff(
        &state,
        Actor::Staff(&member),
        &form.username,
        &form.display_name,
        &form.roles(),
    )
    .await
    {
        Ok(created) => staff_list(&state, &member, Some(&created), None).await,
        Err(message) => staff_list(&state, &member, None, Some(&message)).await,
    }
}

async fn change_roles(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<RoleBoxes>,
) -> Response {
    let member = match require(&state, &headers, Action::ManageStaff).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    match service::set_roles(&state, &member, id, &form.roles()).await {
        Ok(()) => Redirect::to("/admin/staff").into_response(),
        Err(message) => staff_list(&state, &member, None, Some(&message)).await,
    }
}

async fn disable_staff(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let member = match require(&state, &headers, Action::ManageStaff).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    match service::disable(&state, &member, id).await {
        Ok(()) => Redirect::to("/admin/staff").into_response(),
        Err(message) => staff_list(&state, &member, None, Some(&message)).await,
    }
}

async fn withdrawals_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let member = match require(&state, &headers, Action::ProposeWithdrawal).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    withdrawals_list(&state, &member, None, None).await
}

async fn withdrawals_list(
    state: &AppState,
    member: &StaffMember,
    done: Option<&str>,
    error: Option<&str>,
) -> Response {
    match crate::staff::proposals::list(&state.db, 100).await {
        Ok(list) => (
            form_status(error),
            views::page(
                "注销与撤销",
                Some(member),
                views::withdrawals(&list, done, error),
            ),
        )
            .into_response(),
        Err(e) => internal(&e),
    }
}

#[derive(Deserialize)]
pub struct ProposalForm {
    pub registration_no: String,
    pub kind: String,
    pub reason: String,
}

async fn propose_withdrawal(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<ProposalForm>,
) -> Response {
    let member = match require(&state, &headers, Action::ProposeWithdrawal).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    match crate::staff::proposals::propose(
        &state.db,
        &state.settings.data_key,
        &member,
        &form.kind,
        &form.registration_no,
        &form.reason,
        state.clock.now(),
    )
    .await
    {
        Ok(id) => {
            let done = format!("已提交第 {id} 号申请,待另一位审核员审核后生效");
            withdrawals_list(&state, &member, Some(&done), None).await
        }
        Err(message) => withdrawals_list(&state, &member, None, Some(&message)).await,
    }
}

async fn assisted_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let member = match require(&state, &headers, Action::AssistVerification).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    assisted_list(&state, &member, None, None).await
}

async fn assisted_list(
    state: &AppState,
    member: &StaffMember,
    done: Option<&str>,
    error: Option<&str>,
) -> Response {
    match crate::face_check::assisted::repo::list(&state.db, 100).await {
        Ok(list) => (
            form_status(error),
            views::page(
                "协助核验",
                Some(member),
                views::assisted(&list, done, error),
            ),
        )
            .into_response(),
        Err(e) => internal(&e.to_string()),
    }
}

#[derive(Deserialize)]
pub struct AssistedForm {
    pub id_number: String,
    #[serde(default)]
    pub id_kind: String,
    #[serde(default)]
    pub id_country: String,
    #[serde(default)]
    pub phone_tail: String,
    pub evidence_kind: String,
    pub evidence_ref: String,
    pub reason: String,
}

/// What a code sent (or not) says to the member.
fn code_sent(id: i64, sent: &Result<String, String>) -> (Option<String>, Option<String>) {
    match sent {
        Ok(phone) => (
            Some(format!(
                "第 {id} 号:核验码已发送至本人绑定的手机 {phone},30 分钟内有效"
            )),
            None,
        ),
        Err(e) => (None, Some(format!("第 {id} 号已记录,但{e}"))),
    }
}

async fn record_assisted(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<AssistedForm>,
) -> Response {
    let member = match require(&state, &headers, Action::AssistVerification).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    let (done, error) = match crate::staff::assisted::record(
        &state,
        &member,
        crate::domain::id_document::TypedDocument {
            kind: &form.id_kind,
            number: &form.id_number,
            country: &form.id_country,
        },
        &form.phone_tail,
        &form.evidence_kind,
        &form.evidence_ref,
        &form.reason,
    )
    .await
    {
        Ok(crate::staff::assisted::Recorded::Issued { id, sent }) => code_sent(id, &sent),
        Ok(crate::staff::assisted::Recorded::Pending { id, proposal, why }) => (
            Some(format!(
                "第 {id} 号已记录。{why},须由另一位审核员批准(待审核事项第 {proposal} 号)后发送核验码"
            )),
            None,
        ),
        Err(message) => (None, Some(message)),
    };
    assisted_list(&state, &member, done.as_deref(), error.as_deref()).await
}

async fn resend_assisted(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let member = match require(&state, &headers, Action::AssistVerification).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    let (done, error) = match crate::staff::assisted::resend(&state, &member, id).await {
        Ok(phone) => code_sent(id, &Ok(phone)),
        Err(message) => (None, Some(message)),
    };
    assisted_list(&state, &member, done.as_deref(), error.as_deref()).await
}

async fn disputes_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let member = match require(&state, &headers, Action::HandleDispute).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    disputes_list(&state, &member, None, None).await
}

async fn disputes_list(
    state: &AppState,
    member: &StaffMember,
    done: Option<&str>,
    error: Option<&str>,
) -> Response {
    match crate::staff::disputes::list(&state.db, 100).await {
        Ok(list) => (
            form_status(error),
            views::page(
                "法人账户申诉",
                Some(member),
                views::disputes(&list, done, error),
            ),
        )
            .into_response(),
        Err(e) => internal(&e),
    }
}

#[derive(Deserialize)]
pub struct NoteForm {
    pub note: String,
}

/// 【提请释放】 (`propose`) or 【不予支持】 (`decline`).
async fn handle_dispute(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, decision)): Path<(i64, String)>,
    Form(form): Form<NoteForm>,
) -> Response {
    let member = match require(&state, &headers, Action::HandleDispute).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    let outcome = match decision.as_str() {
        "propose" => crate::staff::disputes::propose_release(&state, &member, id, &form.note)
            .await
            .map(|p| format!("第 {id} 号申诉:已提请释放,待另一位审核员审核(待审核事项第 {p} 号)")),
        "decline" => crate::staff::disputes::decline(&state, &member, id, &form.note)
            .await
            .map(|()| format!("第 {id} 号申诉:已不予支持,已告知申诉人")),
        _ => return not_found(),
    };
    match outcome {
        Ok(done) => disputes_list(&state, &member, Some(&done), None).await,
        Err(message) => disputes_list(&state, &member, None, Some(&message)).await,
    }
}

async fn orders_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let member = match require(&state, &headers, Action::HandleWorkOrder).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    orders_list(&state, &member, None, None).await
}

async fn orders_list(
    state: &AppState,
    member: &StaffMember,
    done: Option<&str>,
    error: Option<&str>,
) -> Response {
    match crate::evaluation::repo::orders(&state.db, 200).await {
        Ok(list) => (
            form_status(error),
            views::page(
                "差评工单",
                Some(member),
                views::orders(&list, state.clock.now(), done, error),
            ),
        )
            .into_response(),
        Err(e) => internal(&e.to_string()),
    }
}

async fn order_step(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, step)): Path<(i64, String)>,
    Form(form): Form<NoteForm>,
) -> Response {
    let member = match require(&state, &headers, Action::HandleWorkOrder).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    match crate::staff::orders::record(&state, &member, id, &step, &form.note).await {
        Ok(()) => {
            let done = format!(
                "第 {id} 号工单已记录{}",
                crate::staff::orders::step_label(&step)
            );
            orders_list(&state, &member, Some(&done), None).await
        }
        Err(message) => orders_list(&state, &member, None, Some(&message)).await,
    }
}

async fn feed_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match require(&state, &headers, Action::ApplyFeed).await {
        Ok(member) => views::page(
            "上传注册人员库变更文件",
            Some(&member),
            views::feed_form(None, None),
        )
        .into_response(),
        Err(answer) => answer,
    }
}

async fn upload_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut form: axum::extract::Multipart,
) -> Response {
    let member = match require(&state, &headers, Action::ApplyFeed).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    let answer = |done: Option<&str>, error: Option<&str>| {
        (
            form_status(error),
            views::page(
                "上传注册人员库变更文件",
                Some(&member),
                views::feed_form(done, error),
            ),
        )
            .into_response()
    };
    let mut upload = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("feed") => {
                let name = field.file_name().unwrap_or("变更文件").to_string();
                match field.bytes().await {
                    Ok(bytes) => upload = Some((name, bytes)),
                    Err(e) => return answer(None, Some(&format!("文件未能完整上传:{e}"))),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => return answer(None, Some(&format!("文件未能完整上传:{e}"))),
        }
    }
    let Some((name, bytes)) = upload else {
        return answer(None, Some("请选择变更文件"));
    };
    match feed_upload::propose(&state, &member, &name, bytes.to_vec()).await {
        Ok((proposal, summary)) => answer(
            Some(&format!(
                "已上传 {name}({summary}),待另一位审核员批准后应用(待审核事项第 {proposal} 号)"
            )),
            None,
        ),
        Err(message) => answer(None, Some(&message)),
    }
}

async fn feed_job_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<u64>,
) -> Response {
    // Whoever uploads feeds or approves them may watch one being applied.
    let member = match require(&state, &headers, Action::SignIn).await {
        Ok(member) if member.may(Action::ApplyFeed) || member.may(Action::Approve) => member,
        Ok(_) => return not_found(),
        Err(answer) => return answer,
    };
    let Some(job) = feed_upload::job(id) else {
        return not_found();
    };
    let refresh = job.finished.is_none().then_some(2);
    views::page_with(
        "变更文件应用进度",
        Some(&member),
        views::feed_job(&job),
        refresh,
    )
    .into_response()
}

async fn approvals_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let member = match require(&state, &headers, Action::Approve).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    approvals_list(&state, &member, None, None).await
}

async fn approvals_list(
    state: &AppState,
    member: &StaffMember,
    done: Option<&str>,
    error: Option<&str>,
) -> Response {
    match crate::staff::proposals::list(&state.db, 100).await {
        Ok(list) => (
            form_status(error),
            views::page(
                "待审核事项",
                Some(member),
                views::approvals(member, &list, done, error),
            ),
        )
            .into_response(),
        Err(e) => internal(&e),
    }
}

async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, decision)): Path<(i64, String)>,
) -> Response {
    let member = match require(&state, &headers, Action::Approve).await {
        Ok(member) => member,
        Err(answer) => return answer,
    };
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return not_found(),
    };
    match crate::staff::proposals::decide(
        &state.db,
        &state.settings.data_key,
        &member,
        id,
        approve,
        state.clock.now(),
    )
    .await
    {
        Ok(decided) => {
            if let Some(upload) = decided.feed {
                return match feed_upload::start(&state, &member, upload).await {
                    Ok(job) => Redirect::to(&format!("/admin/registry/jobs/{job}")).into_response(),
                    Err(e) => approvals_list(&state, &member, None, Some(&e)).await,
                };
            }
            let mut done = if approve {
                format!("第 {id} 号已批准并生效")
            } else {
                format!("第 {id} 号已驳回")
            };
            if let Some(code) = decided.code {
                match crate::staff::assisted::send_code(&state, &code).await {
                    Ok(phone) => done.push_str(&format!(",核验码已发送至本人绑定的手机 {phone}")),
                    Err(e) => {
                        let error = format!("{done},但{e}(由受理员在“协助核验”页重新发送)");
                        return approvals_list(&state, &member, None, Some(&error)).await;
                    }
                }
            }
            approvals_list(&state, &member, Some(&done), None).await
        }
        Err(message) => approvals_list(&state, &member, None, Some(&message)).await,
    }
}

/// The answer to `/admin` on the public listener and to anything the console does not know:
/// a plain 404 (`Html` so a browser shows it).
pub fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html("<!DOCTYPE html><title>404</title><p>页面不存在</p>"),
    )
        .into_response()
}
