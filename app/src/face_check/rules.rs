//! 人脸识别认证's ticket: the states a QR code goes through and the only moves between them.
//!
//! waiting → scanned (the phone opened the QR) → verifying (允许 on the authorisation sheet)
//! → passed / failed (the face check's answer). A ticket not finished within its lifetime is
//! expired; refusing (拒绝) or a phone signed in as somebody else fails it. Passed, failed
//! and expired are final: a used or dead ticket cannot be replayed.

use serde::{Deserialize, Serialize};

/// A ticket lives this long after its QR code is shown.
pub const TICKET_SECONDS: i64 = 120;
/// Once the phone is handed to the provider's page, the ticket lives at least this long: a
/// real check (reading the card, the liveness steps) takes longer than the QR's two minutes.
pub const HANDOFF_SECONDS: i64 = 5 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FaceState {
    Waiting,
    Scanned,
    Verifying,
    Passed,
    Failed,
    Expired,
}

/// What happens to a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceEvent {
    /// The phone opened the QR's address (signed in as the ticket's person).
    Scan,
    /// 允许 on the authorisation sheet.
    Allow,
    /// 拒绝, a phone of another person, or a failed face check.
    Fail,
    /// The provider confirmed the face.
    Pass,
}

/// Why a move is not possible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceMoveError {
    /// The ticket's time is up.
    Expired,
    /// The ticket is finished (passed or failed): it cannot be used again.
    Used,
    /// The step is out of order (e.g. 允许 before the scan).
    OutOfOrder,
}

impl std::fmt::Display for FaceMoveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Expired => "二维码已过期,请在电脑上点击【刷新二维码】后重新扫码",
            Self::Used => "该二维码已使用,请在电脑上刷新二维码后重新扫码",
            Self::OutOfOrder => "操作顺序有误,请重新扫码",
        })
    }
}

impl FaceMoveError {
    /// The message in English (`Display` is the Chinese).
    pub fn english(self) -> &'static str {
        match self {
            Self::Expired => {
                "The QR code has expired: choose New QR code on your computer and scan it again"
            }
            Self::Used => {
                "This QR code has been used: get a new QR code on your computer and scan it again"
            }
            Self::OutOfOrder => "The steps were done out of order: scan the QR code again",
        }
    }
}

impl From<FaceMoveError> for crate::platform::error::Message {
    fn from(error: FaceMoveError) -> Self {
        Self::new(error.to_string(), error.english())
    }
}

impl FaceState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Scanned => "scanned",
            Self::Verifying => "verifying",
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::Expired => "expired",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "waiting" => Self::Waiting,
            "scanned" => Self::Scanned,
            "verifying" => Self::Verifying,
            "passed" => Self::Passed,
            "failed" => Self::Failed,
            "expired" => Self::Expired,
            _ => return None,
        })
    }

    /// 等待扫码 / 已扫码 / 认证中 / 认证成功 / 认证失败 / 已过期
    pub fn label(self) -> &'static str {
        match self {
            Self::Waiting => "等待扫码",
            Self::Scanned => "已扫码",
            Self::Verifying => "认证中",
            Self::Passed => "认证成功",
            Self::Failed => "认证失败",
            Self::Expired => "已过期",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(self, Self::Passed | Self::Failed | Self::Expired)
    }

    /// The state as seen at `now` by a ticket expiring at `expires_at`.
    pub fn at(self, now: i64, expires_at: i64) -> Self {
        if !self.is_final() && now >= expires_at {
            Self::Expired
        } else {
            self
        }
    }

    /// The state after `event`, or why it cannot happen.
    pub fn apply(self, event: FaceEvent, now: i64, expires_at: i64) -> Result<Self, FaceMoveError> {
        match self.at(now, expires_at) {
            Self::Expired => Err(FaceMoveError::Expired),
            Self::Passed | Self::Failed => Err(FaceMoveError::Used),
            current => match (current, event) {
                (_, FaceEvent::Fail) => Ok(Self::Failed),
                (Self::Waiting, FaceEvent::Scan) => Ok(Self::Scanned),
                (Self::Scanned, FaceEvent::Allow) => Ok(Self::Verifying),
                (Self::Verifying, FaceEvent::Pass) => Ok(Self::Passed),
                _ => Err(FaceMoveError::OutOfOrder),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FaceEvent::*;
    use super::FaceState::*;
    use super::*;

    const T: i64 = 1_000;
    const END: i64 = T + TICKET_SECONDS;

    #[test]
    fn the_happy_path() {
        let s = Waiting.apply(Scan, T, END).unwrap();
        assert_eq!(s, Scanned);
        let s = s.apply(Allow, T + 5, END).unwrap();
        assert_eq!(s, Verifying);
        assert_eq!(s.apply(Pass, T + 10, END), Ok(Passed));
    }

    #[test]
    fn steps_must_come_in_order() {
        assert_eq!(Waiting.apply(Allow, T, END), Err(FaceMoveError::OutOfOrder));
        assert_eq!(Waiting.apply(Pass, T, END), Err(FaceMoveError::OutOfOrder));
        assert_eq!(Scanned.apply(Scan, T, END), Err(FaceMoveError::OutOfOrder));
        assert_eq!(Scanned.apply(Pass, T, END), Err(FaceMoveError::OutOfOrder));
    }

    #[test]
    fn finished_tickets_cannot_be_replayed() {
        for event in [Scan, Allow, Fail, Pass] {
            assert_eq!(Passed.apply(event, T, END), Err(FaceMoveError::Used));
            assert_eq!(Failed.apply(event, T, END), Err(FaceMoveError::Used));
            assert_eq!(Expired.apply(event, T, END), Err(FaceMoveError::Expired));
        }
    }

    #[test]
    fn time_runs_out_in_every_open_state() {
        for state in [Waiting, Scanned, Verifying] {
            assert_eq!(state.at(END - 1, END), state);
            assert_eq!(state.at(END, END), Expired);
            assert_eq!(state.apply(Fail, END, END), Err(FaceMoveError::Expired));
        }
        // A final state stays what it was.
        assert_eq!(Passed.at(END + 999, END), Passed);
    }

    #[test]
    fn refusal_fails_any_open_state() {
        for state in [Waiting, Scanned, Verifying] {
            assert_eq!(state.apply(Fail, T, END), Ok(Failed));
        }
    }

    #[test]
    fn states_round_trip_and_have_the_manual_labels() {
        for s in [Waiting, Scanned, Verifying, Passed, Failed, Expired] {
            assert_eq!(FaceState::parse(s.as_str()), Some(s));
        }
        assert_eq!(Waiting.label(), "等待扫码");
        assert_eq!(Passed.label(), "认证成功");
    }
}
