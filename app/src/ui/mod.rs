//! Small pieces shared by the pages of every feature.

pub mod breadcrumb;
#[cfg(feature = "hydrate")]
pub mod camera;
pub mod dialog;
pub mod document_fields;
pub mod form_errors;
pub mod mobile;
pub mod not_found;
pub mod record_table;
pub mod status;
pub mod text;
