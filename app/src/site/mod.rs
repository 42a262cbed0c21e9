//! The portal's own pages and frame: the header and footer, 首页, 常见问题, 联系我们, 隐私政策,
//! the page for an unknown address, and [`lazy`], which splits every feature's pages into chunks
//! loaded on demand.

pub mod contact;
pub mod faq;
pub mod footer;
pub mod header;
pub mod home;
#[cfg(feature = "ssr")]
pub mod home_cache;
pub mod lazy;
pub mod privacy;
pub mod text;
