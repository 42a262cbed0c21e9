//! Small pieces shared by the pages.

pub mod aids;
pub mod breadcrumb;
#[cfg(feature = "hydrate")]
pub mod camera;
pub mod care_bar;
pub mod dialog;
pub mod footer;
pub mod form_errors;
pub mod form_fields;
pub mod header;
pub mod kind_tabs;
pub mod password_input;
pub mod read_aloud;
pub mod record_table;
pub mod route_announcer;
pub mod session;
pub mod session_watch;
pub mod sms_code_button;
pub mod status;
