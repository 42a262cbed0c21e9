//! 人脸识别认证: the desktop page with its QR code (`/user/certificates`) and the
//! mini-program's pages on the phone (`/m`, `/m/login`, `/m/scan`; 我的证照 with 亮证 is the
//! credentials' wallet page).

pub mod desktop;
pub mod phone;
