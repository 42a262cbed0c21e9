//! A citizen's rights over their personal information (个人信息保护法 Art. 15, 45, 47;
//! GB/T 35273-2020 §8.5): 个人信息导出 ([`export`]), the end of 注销账户 ([`closing`]; the
//! request and its 撤销 are the account's own, `accounts::api::closing`), and retention that
//! runs ([`retention`]'s one table, applied by [`purge`] on every server, one at a time).

pub mod export;
pub mod pages;
pub mod retention;

#[cfg(feature = "ssr")]
pub mod closing;
#[cfg(feature = "ssr")]
pub mod purge;
