//! 亮证, 授权用证 and 用证记录 in 电子证照管理 (`holder`), and 我的证照 on the phone with its
//! 亮证 code (`wallet`, `/m/certificates`); `/verifier`, where an organisation checks a
//! certificate held in a digital wallet (`verifier`).

pub mod export;
pub mod holder;
pub mod verifier;
pub mod wallet;
pub mod wallet_authorize;
