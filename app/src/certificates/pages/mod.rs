//! 电子证照: 电子证照管理 (the cards, 加注 and downloads, `/user/certificates/manage`) and the
//! public 证照核验 (`/verify`). 亮证, 授权用证 and the wallet are the credentials' pages.

pub mod manage;
pub mod verify;
