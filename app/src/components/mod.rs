//! Small pieces shared by the pages.

pub mod footer;
pub mod header;
