//! The ministry's staff console: staff accounts apart from citizens', their roles, login with
//! a password and a TOTP code, and the tamper-evident audit of what they do. The console is
//! served on its own listener (`PORTAL_ADMIN_ADDR`), never on the public address, and renders
//! its pages on the server with plain forms: no server function of it exists on either address.
//!
//! Server-only: nothing of it is in the browser's code.

/// The staff audit chain (kept in the platform: registry changes write to it too).
pub use crate::platform::staff_audit as audit;
pub mod assisted;
pub mod console;
pub mod disputes;
pub mod orders;
pub mod proposals;
pub mod repo;
pub mod totp;

/// A staff role. A member may hold several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// 受理员: assisted verification, disputes, 差评 work orders.
    Acceptor,
    /// 审核员: approves what needs a second person.
    Reviewer,
    /// 管理员: staff accounts and roles.
    Admin,
    /// 只读: statistics and the audit.
    ReadOnly,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Acceptor, Role::Reviewer, Role::Admin, Role::ReadOnly];

    /// The code kept in the database and typed on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Role::Acceptor => "acceptor",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
            Role::ReadOnly => "readonly",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Acceptor => "受理员",
            Role::Reviewer => "审核员",
            Role::Admin => "管理员",
            Role::ReadOnly => "只读",
        }
    }

    /// A role by its code or its label.
    pub fn parse(text: &str) -> Option<Role> {
        let text = text.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.code() == text || r.label() == text)
    }

    /// A comma list of codes or labels (`admin,reviewer`, `管理员、审核员`), each once, in order.
    pub fn parse_list(text: &str) -> Result<Vec<Role>, String> {
        let mut roles = Vec::new();
        for part in text.split([',', '，', '、']).map(str::trim) {
            if part.is_empty() {
                continue;
            }
            let role = Role::parse(part).ok_or_else(|| {
                format!("未知角色\"{part}\",可选:acceptor(受理员)、reviewer(审核员)、admin(管理员)、readonly(只读)")
            })?;
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
        if roles.is_empty() {
            return Err("至少需要一个角色".into());
        }
        roles.sort();
        Ok(roles)
    }

    /// Roles as the database keeps them.
    pub fn to_codes(roles: &[Role]) -> String {
        roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
    }

    /// Roles from the database; an unknown code (a newer server's role) grants nothing.
    pub fn from_codes(codes: &str) -> Vec<Role> {
        let mut roles: Vec<Role> = codes.split(',').filter_map(Role::parse).collect();
        roles.sort();
        roles.dedup();
        roles
    }
}

/// What a staff member may do in the console. Each handler names its action, and
/// [`StaffMember::may`] decides by this table alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// The console's home and one's own sign-out: any role.
    SignIn,
    /// 统计 and the audit chain.
    ViewAudit,
    /// Staff accounts: add, change roles, disable.
    ManageStaff,
    /// 协助核验: record an assisted verification.
    AssistVerification,
    /// 争议: check a dispute and propose releasing a credit code.
    HandleDispute,
    /// 差评工单: 核实, 整改, 回访.
    HandleWorkOrder,
    /// Propose a registration's 注销 or 撤销 (a 审核员 decides).
    ProposeWithdrawal,
    /// Approve what a 受理员 proposed (never one's own).
    Approve,
    /// Upload a change feed of the national registry (as `server registry apply` does).
    ApplyFeed,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::SignIn,
        Action::ViewAudit,
        Action::ManageStaff,
        Action::AssistVerification,
        Action::HandleDispute,
        Action::HandleWorkOrder,
        Action::ProposeWithdrawal,
        Action::Approve,
        Action::ApplyFeed,
    ];

    /// The roles that may take this action.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Action::SignIn => &Role::ALL,
            Action::ViewAudit => &[Role::ReadOnly, Role::Admin],
            Action::ManageStaff | Action::ApplyFeed => &[Role::Admin],
            Action::AssistVerification
            | Action::HandleDispute
            | Action::HandleWorkOrder
            | Action::ProposeWithdrawal => &[Role::Acceptor],
            Action::Approve => &[Role::Reviewer],
        }
    }
}

/// A staff member as the console knows them after login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffMember {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// Still signed in with what the account's creator handed over: only enrolment is open.
    pub must_enrol: bool,
}

impl StaffMember {
    pub fn may(&self, action: Action) -> bool {
        action.roles().iter().any(|r| self.roles.contains(r))
    }

    pub fn role_labels(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// Appends what staff member `by` did to the audit chain, in `tx` with the action itself; a
/// failure in the console's words.
pub(crate) async fn record(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    key: &[u8],
    now: i64,
    by: &StaffMember,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), String> {
    audit::append(
        tx,
        key,
        now,
        &console::service::actor(by),
        action,
        subject,
        detail,
    )
    .await
    .map(|_| ())
    .map_err(db_error)
}

/// A database failure as the console and the command line say it.
pub(crate) fn db_error(e: sqlx::Error) -> String {
    format!("数据库错误:{e}")
}

/// A staff session ends after this long without a request.
pub const IDLE_SECONDS: i64 = 15 * 60;
/// And after this long in any case.
pub const MAX_SESSION_SECONDS: i64 = 8 * 3600;

/// A username: 3–32 lowercase letters, digits, `.`, `_` or `-`, starting with a letter.
pub fn check_username(text: &str) -> Result<String, String> {
    let name = text.trim().to_ascii_lowercase();
    let ok = (3..=32).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(name)
    } else {
        Err("用户名为 3–32 位小写字母、数字或 . _ -,以字母开头".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(roles: &[Role]) -> StaffMember {
        StaffMember {
            id: 1,
            username: "a".into(),
            display_name: "甲".into(),
            roles: roles.to_vec(),
            must_enrol: false,
        }
    }

    /// Every action is allowed to exactly its roles, and refused to each other role.
    #[test]
    fn each_action_refuses_every_other_role() {
        for action in Action::ALL {
            for role in Role::ALL {
                assert_eq!(
                    member(&[role]).may(action),
                    action.roles().contains(&role),
                    "{action:?} for {role:?}"
                );
            }
            assert!(!member(&[]).may(action), "{action:?} with no role");
        }
        assert!(!member(&[Role::Admin]).may(Action::Approve));
        assert!(!member(&[Role::Acceptor]).may(Action::Approve));
        assert!(!member(&[Role::ReadOnly]).may(Action::ManageStaff));
    }

    #[test]
    fn roles_parse_by_code_or_label_and_round_trip() {
        assert_eq!(
            Role::parse_list("admin,审核员、admin").unwrap(),
            vec![Role::Reviewer, Role::Admin]
        );
        assert!(Role::parse_list("root").unwrap_err().contains("root"));
        assert!(Role::parse_list(" , ").is_err());
        let roles = vec![Role::Acceptor, Role::ReadOnly];
        assert_eq!(Role::from_codes(&Role::to_codes(&roles)), roles);
        assert_eq!(Role::from_codes("admin,superuser"), vec![Role::Admin]);
    }

    #[test]
    fn usernames() {
        assert_eq!(check_username(" Zhang.San ").unwrap(), "zhang.san");
        for bad in ["ab", "1abc", "张三", "a b c", &"a".repeat(33)] {
            assert!(check_username(bad).is_err(), "{bad}");
        }
    }
}
