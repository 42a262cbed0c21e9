//! Who may do what: the access rules every feature asks of a signed-in caller, in one place.
//! 电子证照 belong to natural persons, and only within 30 minutes of a face check in the same
//! session (also applied by the downloads, `certificates/download.rs`); a face check, a
//! wallet or an enterprise confirmation is done by a personal account only.

/// A pass unlocks 我的证照 for this long, for the desktop session that asked.
pub const PASS_VALID_SECONDS: i64 = 30 * 60;

#[cfg(feature = "ssr")]
use crate::platform::caller::SignedIn;
#[cfg(feature = "ssr")]
use crate::platform::error::AppError;
use crate::platform::lang::Text;

/// The refusal of a session without a face check in the last 30 minutes: the pages that
/// offer a new face check recognise it by its Chinese, [`NOT_FACE_CHECKED`] (a refusal's
/// `message.zh`).
pub const FACE_CHECK_FIRST: Text = Text::new(
    "请先在“我的证照”完成人脸识别认证(认证后 30 分钟内有效)再访问电子证照",
    "Complete a face check in Your certificates first (it is valid for 30 minutes), then open \
     your electronic certificates",
);
pub const NOT_FACE_CHECKED: &str = FACE_CHECK_FIRST.zh;

#[cfg(feature = "ssr")]
impl SignedIn {
    /// Whether this session passed a face check in the last 30 minutes.
    pub fn face_checked(&self, now: i64) -> bool {
        let at = self.session.face_verified_at;
        at > 0 && now - at < PASS_VALID_SECONDS
    }
}

/// Why the caller may not use 电子证照.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolderRefusal {
    /// An enterprise (or unconfirmed) account: certificates belong to natural persons.
    NotPerson,
    /// No face check in this session in the last 30 minutes.
    NotFaceChecked,
}

#[cfg(feature = "ssr")]
impl HolderRefusal {
    pub fn message(self) -> Text {
        match self {
            Self::NotPerson => Text::new(
                "电子证照属于注册人员本人,请使用本人的个人用户账户登录后办理;法人账户不能查看、加注或下载个人证照",
                "Electronic certificates belong to the registered person: sign in with your own \
                 personal account. An organisation's account cannot view, annotate or download a \
                 person's certificates",
            ),
            Self::NotFaceChecked => FACE_CHECK_FIRST,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<HolderRefusal> for AppError {
    fn from(r: HolderRefusal) -> Self {
        AppError::refused(r.message())
    }
}

#[cfg(feature = "ssr")]
impl SignedIn {
    /// The one rule of who may list, 加注, preview or download certificates: an active
    /// personal account, face-checked in this session within 30 minutes (at `now`). The
    /// certificates are those of the account's own verified person. Returns that person's
    /// ID digest.
    pub fn certificate_holder(&self, now: i64) -> Result<&str, HolderRefusal> {
        if !self.account.is_person() {
            return Err(HolderRefusal::NotPerson);
        }
        if !self.face_checked(now) {
            return Err(HolderRefusal::NotFaceChecked);
        }
        Ok(&self.account.person_digest)
    }

    /// Only a personal account does a face check (for its certificates, or to confirm an
    /// enterprise it represents), or keeps a wallet.
    pub fn require_person(&self) -> Result<(), AppError> {
        if self.account.is_person() {
            Ok(())
        } else {
            Err(HolderRefusal::NotPerson.into())
        }
    }
}
