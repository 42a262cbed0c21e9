//! 注册专业: a registration's specialty, as the registry, the cards and the documents show it.

use serde::{Deserialize, Serialize};

/// 注册专业 with its own 有效期.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Specialty {
    pub name: String,
    /// `YYYY-MM-DD`
    pub valid_until: String,
}
