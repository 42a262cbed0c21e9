//! Small pieces shared by the pages.

pub mod breadcrumb;
pub mod footer;
pub mod header;
