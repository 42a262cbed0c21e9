//! What the console's forms and the `server staff` command do, apart from how they are asked:
//! signing a staff member in, and adding, changing and disabling staff accounts. Each change is
//! kept with its audit entry in one transaction.

use crate::platform::counters::repo as counters;
use crate::platform::db::begin_write;
use crate::platform::state::AppState;
use crate::staff::{Role, StaffMember, audit, check_username, db_error, repo, totp};

/// Audit actions.
pub mod actions {
    pub const LOGIN: &str = "staff.login";
    pub const LOGIN_FAILED: &str = "staff.login_failed";
    pub const LOCKED: &str = "staff.locked";
    pub const LOGOUT: &str = "staff.logout";
    pub const ADD: &str = "staff.add";
    pub const ROLES: &str = "staff.roles";
    pub const DISABLE: &str = "staff.disable";
    pub const ENROL: &str = "staff.enrol";
}

/// The per-username login counter (the same lock as a citizen's: 5 wrong tries, 30 minutes).
pub const LOGIN_SCOPE: &str = crate::platform::counters::scopes::STAFF_LOGIN;
pub use crate::accounts::repo::{LOCK_SECONDS, MAX_FAILURES};

/// The audit actor of a staff member.
pub fn actor(member: &StaffMember) -> String {
    format!("staff:{}:{}", member.id, member.username)
}

/// Where an action comes from: a member in the console, or the operator's command line.
pub enum Actor<'a> {
    Staff(&'a StaffMember),
    Cli,
}

impl Actor<'_> {
    fn name(&self) -> String {
        match self {
            Actor::Staff(m) => actor(m),
            Actor::Cli => "cli".into(),
        }
    }
}

/// A new staff account's one-time secrets, shown once to whoever created it.
pub struct NewStaff {
    pub id: i64,
    pub username: String,
    /// The initial password (random, to be passed on to the member in person).
    pub password: String,
    /// The TOTP secret as an `otpauth://` address for the member's authenticator app.
    pub provisioning_uri: String,
}

impl std::fmt::Debug for NewStaff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewStaff({}, {}, ***)", self.id, self.username)
    }
}

/// A random initial password: 20 characters of lowercase, uppercase and digits, without the
/// easily confused ones.
fn initial_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    loop {
        let bytes: [u8; 20] = rand::random();
        let password: String = bytes
            .iter()
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
            .collect();
        if crate::domain::password::Password::parse(&password).is_ok() {
            return password;
        }
    }
}

/// Adds a staff member with `roles`; returns the secrets to hand over.
pub async fn add_staff(
    state: &AppState,
    by: Actor<'_>,
    username: &str,
    display_name: &str,
    roles: &[Role],
) -> Result<NewStaff, String> {
    add_staff_to(
        &state.db,
        &state.passwords,
        &state.settings.data_key,
        state.clock.now(),
        by,
        username,
        display_name,
        roles,
    )
    .await
}

/// [`add_staff`] with its parts named (the command line has no running portal).
#[allow(clippy::too_many_arguments)]
pub async fn add_staff_to(
    db: &sqlx::AnyPool,
    passwords: &crate::platform::passwords::PasswordHasher,
    data_key: &[u8],
    now: i64,
    by: Actor<'_>,
    username: &str,
    display_name: &str,
    roles: &[Role],
) -> Result<NewStaff, String> {
    let username = check_username(username)?;
    let display_name = display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 32 {
        return Err("请填写姓名(32 字以内)".into());
    }
    if roles.is_empty() {
        return Err("至少需要一个角色".into());
    }
    let password = initial_password();
    let hash = passwords.hash(password.clone()).await?;
    let secret = totp::new_secret();
    let sealed = totp::seal(data_key, &secret);
    let mut tx = begin_write(db).await.map_err(db_error)?;
    let Some(id) = repo::insert(&mut tx, &username, display_name, &hash, &sealed, roles, now)
        .await
        .map_err(db_error)?
    else {
        return Err(format!("用户名 {username} 已被使用"));
    };
    audit::append(
        &mut tx,
        data_key,
        now,
        &by.name(),
        actions::ADD,
        &username,
        &format!("roles={}", Role::to_codes(roles)),
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok(NewStaff {
        id,
        provisioning_uri: totp::provisioning_uri(&secret, &username)?,
        username,
        password,
    })
}

/// Changes member `id`'s roles. The last active 管理员 keeps the role, and nobody changes
/// their own.
pub async fn set_roles(
    state: &AppState,
    by: &StaffMember,
    id: i64,
    roles: &[Role],
) -> Result<(), String> {
    if id == by.id {
        return Err("不能修改自己的角色,请由另一位管理员修改".into());
    }
    let Some(target) = repo::by_id(&state.db, id).await.map_err(db_error)? else {
        return Err("没有这名工作人员".into());
    };
    if roles.is_empty() {
        return Err("至少需要一个角色".into());
    }
    if !roles.contains(&Role::Admin) && is_last_admin(state, &target.member).await? {
        return Err("这是最后一位管理员,不能取消其管理员角色".into());
    }
    let mut tx = begin_write(&state.db).await.map_err(db_error)?;
    repo::set_roles(&mut tx, id, roles)
        .await
        .map_err(db_error)?;
    audit::append(
        &mut tx,
        &state.settings.data_key,
        state.clock.now(),
        &actor(by),
        actions::ROLES,
        &target.member.username,
        &format!(
            "{} -> {}",
            Role::to_codes(&target.member.roles),
            Role::to_codes(roles)
        ),
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)
}

/// Whether `member` is the only active 管理员 (who must keep the role).
async fn is_last_admin(state: &AppState, member: &StaffMember) -> Result<bool, String> {
    Ok(member.roles.contains(&Role::Admin)
        && repo::active_with_role(&state.db, Role::Admin)
            .await
            .map_err(db_error)?
            <= 1)
}

/// Disables member `id` and ends their sessions (nobody disables themselves).
pub async fn disable(state: &AppState, by: &StaffMember, id: i64) -> Result<(), String> {
    if id == by.id {
        return Err("不能停用自己的账户".into());
    }
    let Some(target) = repo::by_id(&state.db, id).await.map_err(db_error)? else {
        return Err("没有这名工作人员".into());
    };
    if is_last_admin(state, &target.member).await? {
        return Err("这是最后一位管理员,不能停用".into());
    }
    let mut tx = begin_write(&state.db).await.map_err(db_error)?;
    if !repo::disable(&mut tx, id).await.map_err(db_error)? {
        return Err("该账户已停用".into());
    }
    audit::append(
        &mut tx,
        &state.settings.data_key,
        state.clock.now(),
        &actor(by),
        actions::DISABLE,
        &target.member.username,
        "",
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)
}

/// The one message of a refused login: it never says which of the three was wrong.
pub const WRONG: &str = "用户名、密码或动态口令错误";

/// Signs a member in with password and TOTP code; returns the session cookie's token.
/// Every try takes a slot of the username's counter before anything is checked, so at most
/// five passwords and codes per username are ever tried in 30 minutes, however many requests
/// arrive at once; an unknown username costs the same password hash.
pub async fn sign_in(
    state: &AppState,
    username: &str,
    password: &str,
    code: &str,
    ip: &str,
) -> Result<(String, StaffMember), String> {
    let now = state.clock.now();
    let key: String = username
        .trim()
        .to_ascii_lowercase()
        .chars()
        .take(64)
        .collect();
    if key.is_empty() || password.is_empty() || code.trim().is_empty() {
        return Err("请填写用户名、密码和动态口令".into());
    }
    let slot = counters::take(&state.db, LOGIN_SCOPE, &key, LOCK_SECONDS, now)
        .await
        .map_err(db_error)?;
    if !slot.within(MAX_FAILURES) {
        return Err(locked_message(slot.window_start + LOCK_SECONDS));
    }
    let staff = repo::by_username(&state.db, &key)
        .await
        .map_err(db_error)?
        .filter(|s| s.active);
    let password_right = state
        .passwords
        .verify(
            password.to_string(),
            staff.as_ref().map(|s| s.password_hash.clone()),
        )
        .await
        && staff.is_some();
    let step = staff.as_ref().and_then(|s| {
        totp::open(&state.settings.data_key, &s.totp_secret)
            .and_then(|secret| totp::matching_step(&secret, code, now))
    });
    if let (true, Some(staff), Some(step)) = (password_right, &staff, step)
        && repo::take_totp_step(&state.db, staff.member.id, step)
            .await
            .map_err(db_error)?
    {
        counters::clear(&state.db, LOGIN_SCOPE, &key)
            .await
            .map_err(db_error)?;
        let (token, hash) = crate::platform::session::repo::new_token();
        let mut tx = begin_write(&state.db).await.map_err(db_error)?;
        repo::create_session(&mut tx, &hash, staff.member.id, now, ip)
            .await
            .map_err(db_error)?;
        audit::append(
            &mut tx,
            &state.settings.data_key,
            now,
            &actor(&staff.member),
            actions::LOGIN,
            &staff.member.username,
            &format!("ip={ip}"),
        )
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        return Ok((token, staff.member.clone()));
    }
    // Wrong: the member's username if there is one. A name that is no member's is not kept
    // as typed (it may be a password typed into the wrong field), only that it was unknown.
    let subject = staff
        .as_ref()
        .map_or_else(|| "(未知用户名)".to_string(), |s| s.member.username.clone());
    let who = staff
        .as_ref()
        .map_or_else(|| "anonymous".to_string(), |s| actor(&s.member));
    let mut tx = begin_write(&state.db).await.map_err(db_error)?;
    let locked = slot.number >= MAX_FAILURES;
    let action = if locked {
        actions::LOCKED
    } else {
        actions::LOGIN_FAILED
    };
    audit::append(
        &mut tx,
        &state.settings.data_key,
        now,
        &who,
        action,
        &subject,
        &format!("ip={ip}"),
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    if locked {
        counters::restart_full(&state.db, LOGIN_SCOPE, &key, MAX_FAILURES, now)
            .await
            .map_err(db_error)?;
        return Err(locked_message(now + LOCK_SECONDS));
    }
    Err(format!("{WRONG},还可尝试{}次", MAX_FAILURES - slot.number))
}

pub fn locked_message(until: i64) -> String {
    format!(
        "连续错误{MAX_FAILURES}次,账户已锁定,请于 {} 后再试",
        crate::domain::time::format_beijing_minute(until)
    )
}

/// Ends a session and records it, in one transaction.
pub async fn sign_out(state: &AppState, member: &StaffMember, token: &str) -> Result<(), String> {
    let hash = crate::platform::session::repo::token_hash(token);
    // The session's end and its record together.
    let mut tx = begin_write(&state.db).await.map_err(db_error)?;
    sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
        .bind(&hash)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    audit::append(
        &mut tx,
        &state.settings.data_key,
        state.clock.now(),
        &actor(member),
        actions::LOGOUT,
        &member.username,
        "",
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)
}

/// The authenticator address of the secret member `member` is enrolling (made now if none is
/// pending, kept across reloads of the page so that a scanned code stays right).
pub async fn enrolment_uri(state: &AppState, member: &StaffMember) -> Result<String, String> {
    let fresh = totp::seal(&state.settings.data_key, &totp::new_secret());
    let sealed = repo::pending_secret(&state.db, member.id, &fresh)
        .await
        .map_err(db_error)?;
    let secret = totp::open(&state.settings.data_key, &sealed).ok_or("密钥无法读取")?;
    totp::provisioning_uri(&secret, &member.username)
}

/// Ends enrolment: the member's own new password and the new secret, confirmed by a code
/// from it. What the account's creator handed over then opens nothing.
pub async fn finish_enrolment(
    state: &AppState,
    member: &StaffMember,
    session_hash: &str,
    password: &str,
    confirm: &str,
    code: &str,
) -> Result<(), String> {
    let password = crate::domain::password::Password::parse(password).map_err(|e| e.to_string())?;
    if password.expose() != confirm {
        return Err("两次输入的新密码不一致".into());
    }
    let row = repo::by_id(&state.db, member.id)
        .await
        .map_err(db_error)?
        .ok_or("没有这名工作人员")?;
    if state
        .passwords
        .verify(
            password.expose().to_string(),
            Some(row.password_hash.clone()),
        )
        .await
    {
        return Err("新密码不能与初始密码相同".into());
    }
    let now = state.clock.now();
    let step = totp::open(&state.settings.data_key, &row.pending_totp)
        .and_then(|secret| totp::matching_step(&secret, code, now))
        .ok_or("动态口令不正确:请输入身份验证器中新添加的本账户的 6 位数字")?;
    let hash = state.passwords.hash(password.expose().to_string()).await?;
    let mut tx = begin_write(&state.db).await.map_err(db_error)?;
    if !repo::finish_enrolment(&mut tx, member.id, &hash, step, session_hash)
        .await
        .map_err(db_error)?
    {
        return Err("已完成设置,请重新登录".into());
    }
    audit::append(
        &mut tx,
        &state.settings.data_key,
        now,
        &actor(member),
        actions::ENROL,
        &member.username,
        "",
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)
}
