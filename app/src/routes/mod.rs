//! The pages, by domain: `registry` (人员资格查询), `accounts` (login, registration, recovery and
//! 用户中心), `face_check` (desktop and phone), `mobile` (the mini-program's frame, home and login), `certificates` (电子证照管理 and 证照核验); and the
//! portal's own pages. [`lazy`] splits them into chunks loaded on demand.

pub mod accounts;
pub mod certificates;
pub mod contact;
pub mod face_check;
pub mod faq;
pub mod home;
pub mod lazy;
pub mod mobile;
pub mod not_found;
pub mod privacy;
pub mod registry;
