//! The one error type of the portal's server functions: every variant carries a message a
//! citizen can act on, in Chinese and in English, and maps to an HTTP status. Internal
//! failures are logged on the server and reach the browser only as a generic apology.
//!
//! A message travels in both languages and the page shows the one it is in
//! ([`AppError::message`]), so the server functions need not know the page's language. Its
//! `Display` is the Chinese (the server's log, `plain_error`).

use crate::platform::lang::{Lang, Text};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A message for the citizen in both languages. There is no conversion from a bare string:
/// a message without its English does not compile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub zh: String,
    pub en: String,
}

impl Message {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn of(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

impl From<Text> for Message {
    fn from(text: Text) -> Self {
        Self::new(text.zh, text.en)
    }
}

impl From<crate::domain::DocumentError> for Message {
    fn from(error: crate::domain::DocumentError) -> Self {
        Self::new(error.to_string(), error.english())
    }
}

/// The domain's rule errors: their `Display` is the Chinese, `english()` the English.
macro_rules! domain_messages {
    ($($error:ty),*) => {$(
        impl From<$error> for Message {
            fn from(error: $error) -> Self {
                Self::new(error.to_string(), error.english())
            }
        }
    )*};
}
domain_messages!(
    crate::domain::PasswordError,
    crate::domain::PhoneError,
    crate::domain::CreditCodeError,
    crate::domain::names::NameError
);

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.zh)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Input that breaks a rule; the message says which and how to fix it.
    #[error("{0}")]
    Invalid(Message),
    /// One form field breaks a rule: the page marks that field and shows the message.
    #[error("{message}")]
    Field { field: String, message: Message },
    /// Asked again too soon (获取验证码); seconds to wait.
    #[error("操作过于频繁,请在{0}秒后重试")]
    TooSoon(i64),
    #[error("请先登录后再办理此业务")]
    Unauthenticated,
    #[error("您没有权限办理此业务")]
    Forbidden,
    #[error("未找到相关信息")]
    NotFound,
    #[error("请求过于频繁,请稍后再试")]
    RateLimited,
    /// Refused for a reason the citizen should read (403), e.g. an enterprise account asking
    /// for a person's certificates.
    #[error("{0}")]
    Refused(Message),
    /// An outside service (identity, SMS, face check) could not be reached: the step failed,
    /// nothing passed (503).
    #[error("{0}")]
    Unavailable(Message),
    /// The request could not be read (a form that was not the portal's, 400).
    #[error("提交的内容无法识别,请刷新页面后重新填写提交")]
    BadRequest,
    /// Anything the citizen cannot fix; details stay in the server log.
    #[error("系统繁忙,请稍后再试。如多次出现,请联系技术支持")]
    Internal,
    /// The request did not reach the server function or could not be decoded.
    #[error("网络异常,请检查网络后重试")]
    Transport,
}

impl AppError {
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            Self::Invalid(_) | Self::Field { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooSoon(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::Refused(_) => StatusCode::FORBIDDEN,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal | Self::Transport => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the citizen reads, in `lang`. The fixed variants' Chinese is their `#[error]`.
    pub fn message(&self, lang: Lang) -> String {
        let english = match self {
            Self::Invalid(m) | Self::Field { message: m, .. } => return m.of(lang).to_string(),
            Self::Refused(m) | Self::Unavailable(m) => return m.of(lang).to_string(),
            _ if lang == Lang::Zh => return self.to_string(),
            Self::TooSoon(seconds) => {
                return format!("Too many tries: please try again in {seconds} seconds");
            }
            Self::Unauthenticated => "Please sign in first",
            Self::Forbidden => "You are not allowed to do this",
            Self::NotFound => "Nothing was found",
            Self::RateLimited => "Too many requests: please try again later",
            Self::BadRequest => {
                "The form could not be read: please reload the page and fill it in again"
            }
            Self::Internal => {
                "The system is busy: please try again later. If it keeps happening, contact technical support"
            }
            Self::Transport => "The network failed: please check your connection and try again",
        };
        english.to_string()
    }

    /// An error about one form field.
    pub fn field(field: &str, message: impl Into<Message>) -> Self {
        Self::Field {
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// Input that breaks a rule, not one field's.
    pub fn invalid(message: impl Into<Message>) -> Self {
        Self::Invalid(message.into())
    }

    /// Refused for a reason the citizen should read.
    pub fn refused(message: impl Into<Message>) -> Self {
        Self::Refused(message.into())
    }

    /// An outside service could not be reached.
    pub fn unavailable(message: impl Into<Message>) -> Self {
        Self::Unavailable(message.into())
    }

    /// A document refused by its kind's rule, as the error of the form field at fault: the
    /// select for an unknown kind, the country for a passport without one, otherwise the
    /// number (`number_field`). The kind and country fields are named as `number_field`'s
    /// (`id_number` → `id_kind`, `legal_id_number` → `legal_id_kind`; `login_id` → `id_kind`).
    pub fn document(number_field: &str, error: crate::domain::DocumentError) -> Self {
        use crate::domain::DocumentError;
        let stem = number_field.strip_suffix("_number").unwrap_or("id");
        let field = match error {
            DocumentError::Kind => format!("{stem}_kind"),
            DocumentError::Country => format!("{stem}_country"),
            _ => number_field.to_string(),
        };
        Self::field(&field, error)
    }

    /// The field this error is about, if any.
    pub fn field_name(&self) -> Option<&str> {
        match self {
            Self::Field { field, .. } => Some(field),
            _ => None,
        }
    }

    /// Logs an internal error with its cause and returns the generic variant.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        tracing::error!(%context, error = %err, "internal error");
        Self::Internal
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::ServerError(_) => Self::Internal,
            // What the server could not decode: the request's fault, never a 500.
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::MissingArg(_) => Self::BadRequest,
            _ => Self::Transport,
        }
    }
}

/// What a citizen reads when the database cannot be reached, cannot write or does not answer
/// in time: the step did not finish; trying again later is all there is to do. (It does not
/// promise that nothing was saved: a step cut short may have saved part of its work, which
/// the citizen can see in 用户中心.)
pub const SERVICE_UNAVAILABLE: &str = UNAVAILABLE.zh;
pub const UNAVAILABLE: Text = Text::new(
    "服务暂时不可用,请稍后再试。如刚才办理的事项未显示成功,请稍后在用户中心查看结果或重新办理",
    "The service is unavailable for now: please try again later. If what you just did does not show as done, check 用户中心 (your account) later or do it again",
);

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        if is_outage(&err) {
            tracing::error!(error = %err, "database unavailable");
            Self::Unavailable(UNAVAILABLE.into())
        } else {
            Self::internal("database", err)
        }
    }
}

/// An error as a short Chinese text with its status: the answer of the forms that post
/// without JavaScript, and of the plain (non-page) routes.
#[cfg(feature = "ssr")]
pub fn plain_error(err: &AppError) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        err.status(),
        [(http::header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        err.to_string(),
    )
        .into_response()
}

/// Whether `err` says the database is out of reach or cannot write (a restart, a hang, a full
/// or read-only disk) rather than that a statement was wrong: those answer 503, not 500.
#[cfg(feature = "ssr")]
pub fn is_outage(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| outage_code(&code)),
        _ => false,
    }
}

/// Whether a database error code says the database is out of reach or cannot write.
/// PostgreSQL's are five-character SQLSTATEs: class 08 (connection), 53 (resources: disk
/// full, too many connections), 57 (operator intervention: shutdown, statement timeout).
/// SQLite's are numbers of at most four digits, the primary code in the low byte: BUSY 5,
/// LOCKED 6, NOMEM 7, READONLY 8, IOERR 10, CORRUPT 11, FULL 13, CANTOPEN 14.
pub fn outage_code(code: &str) -> bool {
    if code.len() == 5 {
        return ["08", "53", "57"]
            .iter()
            .any(|class| code.starts_with(class));
    }
    code.parse::<i64>()
        .is_ok_and(|n| matches!(n & 0xff, 5 | 6 | 7 | 8 | 10 | 11 | 13 | 14))
}

#[cfg(test)]
mod tests {
    use super::outage_code;

    #[test]
    fn outage_codes_of_both_databases() {
        // PostgreSQL: connection failure, disk full, too many connections, statement timeout,
        // shutdown.
        for code in ["08006", "08001", "53100", "53300", "57014", "57P01"] {
            assert!(outage_code(code), "{code}");
        }
        // PostgreSQL: a wrong statement or value is no outage, even when all digits.
        for code in ["22021", "22023", "23505", "42P01", "40001"] {
            assert!(!outage_code(code), "{code}");
        }
        // SQLite: FULL, READONLY, IOERR_WRITE (778), BUSY, CANTOPEN.
        for code in ["13", "8", "778", "5", "14"] {
            assert!(outage_code(code), "{code}");
        }
        // SQLite: UNIQUE constraint (2067), CONSTRAINT, MISMATCH.
        for code in ["2067", "19", "20"] {
            assert!(!outage_code(code), "{code}");
        }
    }
}
