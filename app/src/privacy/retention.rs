//! How long the portal keeps what it holds about people: one table, read by the purge job
//! ([`super::purge`]) and printed on 隐私政策 (`/privacy`), so the page cannot say one period
//! while the code keeps another (a test compares them).

use crate::platform::lang::Text;

/// One day in seconds.
pub const DAY: i64 = 86_400;

/// What is kept, for how long after it ends, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// The purge job's name for it (also its label in `/metrics`).
    pub key: &'static str,
    pub what: Text,
    /// Days kept after the moment named in `from`.
    pub days: i64,
    pub from: Text,
    pub why: Text,
}

impl Retention {
    pub const fn seconds(&self) -> i64 {
        self.days * DAY
    }
}

/// 安全记录 (网络安全法 Art. 21(3): network logs kept at least six months).
pub const SECURITY_LOG: Retention = Retention {
    key: "security_log",
    what: Text::new(
        "安全记录(登录、密码和手机号变更等)",
        "Security record (sign-ins, password and phone changes)",
    ),
    days: 365,
    from: Text::new("自记录之日起", "from the day it is written"),
    why: Text::new(
        "《网络安全法》第二十一条要求网络日志留存不少于六个月",
        "The Cybersecurity Law (Art. 21) requires network logs to be kept at least six months",
    ),
};

/// 用证记录: who checked a holder's copies, QR codes and links.
pub const USE_LOG: Retention = Retention {
    key: "use_log",
    what: Text::new(
        "用证记录(谁在何时核验了您的证照)",
        "Who used your certificates, and when",
    ),
    days: 1095,
    from: Text::new("自核验之日起", "from the day of the check"),
    why: Text::new(
        "持证人可据此核对证照的使用情况;三年覆盖一个注册周期内的用证",
        "So that you can check how your certificates were used; three years cover the uses of a registration period",
    ),
};

/// Copies, grants and showings that ended: kept so that their owner sees what they gave out.
pub const ENDED_GRANTS: Retention = Retention {
    key: "ended_grants",
    what: Text::new(
        "已到期或撤销的授权用证和亮证",
        "Ended or revoked grants and showings",
    ),
    days: 30,
    from: Text::new("自到期或撤销之日起", "from the day they ended"),
    why: Text::new(
        "供您查看近期授权的去向,之后不再需要",
        "So that you can see where recent grants went; not needed after that",
    ),
};

/// Face-check tickets, 协助核验 codes and search keys: the working state of one visit.
pub const SHORT_LIVED: Retention = Retention {
    key: "short_lived",
    what: Text::new(
        "人脸识别认证二维码、短信验证码、协助核验码、查询凭据和防滥用计数(含手机号、IP 地址)",
        "Face-check QR codes, text message codes, assisted verification codes, search keys and the counts that limit abuse (with phone numbers and IP addresses)",
    ),
    days: 1,
    from: Text::new("自失效之日起", "from the moment they expire"),
    why: Text::new(
        "仅用于一次办理;失效后保留一天以便排查故障",
        "Used for one visit only; kept a day after they expire to look into faults",
    ),
};

/// The development SMS outbox (`make run`, tests): no message is kept in production.
pub const SMS_OUTBOX: Retention = Retention {
    key: "sms_outbox",
    what: Text::new(
        "短信发件箱(仅开发环境)",
        "The SMS outbox (development only)",
    ),
    days: 7,
    from: Text::new("自发送之日起", "from the day it was sent"),
    why: Text::new(
        "生产环境的短信由运营商发送,本门户不保存短信内容",
        "In production a carrier sends the messages and the portal keeps none",
    ),
};

/// 注销账户: the cooling-off, then the account is deleted.
pub const CLOSING: Retention = Retention {
    key: "closing",
    what: Text::new(
        "申请注销的账户(冷静期)",
        "An account being closed (cooling-off)",
    ),
    days: crate::accounts::COOLING_OFF_DAYS,
    from: Text::new("自申请注销之日起", "from the day you ask"),
    why: Text::new(
        "冷静期内登录可撤销注销;期满后删除手机号、密码、授权和导出的凭证等个人信息",
        "Sign in within it to cancel; after it your phone number, password, grants, exported credentials and other personal data are deleted",
    ),
};

/// What a deleted account leaves: a random tombstone id in place of the person.
pub const TOMBSTONES: Retention = Retention {
    key: "tombstones",
    what: Text::new(
        "已注销账户的匿名标识(不含任何个人信息)",
        "A deleted account's anonymous id (holding no personal data)",
    ),
    days: 365,
    from: Text::new("自注销完成之日起", "from the day the account is deleted"),
    why: Text::new(
        "使留存期内的安全记录仍可前后对应;期满后与这些记录一并删除",
        "So that the security record kept for its period still reads as one account's; removed with those records after it",
    ),
};

/// The table, in the order 隐私政策 lists it.
pub const TABLE: [Retention; 7] = [
    SECURITY_LOG,
    USE_LOG,
    ENDED_GRANTS,
    SHORT_LIVED,
    SMS_OUTBOX,
    CLOSING,
    TOMBSTONES,
];

// The law's floor, and a tombstone never outlived by the security record it keys: checked
// when the portal is built.
const _: () = assert!(
    SECURITY_LOG.days >= 183,
    "网络安全法 Art. 21: at least six months"
);
const _: () = assert!(TOMBSTONES.days >= SECURITY_LOG.days);

/// The period as the page states it.
pub fn period(r: &Retention, lang: crate::platform::lang::Lang) -> String {
    use crate::platform::lang::Lang;
    match lang {
        Lang::Zh => format!("{}{} 天", r.from.zh, r.days),
        Lang::En => format!("{} days {}", r.days, r.from.en),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// README's retention table states the periods of this one (row `key: …`, then its days).
    #[test]
    fn the_readme_states_the_periods_of_the_code() {
        let readme = include_str!("../../../README.md");
        for r in TABLE {
            let row = readme
                .lines()
                .find(|l| l.starts_with(&format!("| {}:", r.key)))
                .unwrap_or_else(|| panic!("README has no retention row for {}", r.key));
            assert!(
                row.contains(&format!("| {} days |", r.days)),
                "README says {row} for {} ({} days in the code)",
                r.key,
                r.days
            );
        }
    }

    #[test]
    fn the_keys_are_unique() {
        let mut keys: Vec<_> = TABLE.iter().map(|r| r.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), TABLE.len());
    }
}
