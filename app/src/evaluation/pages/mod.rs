//! 好差评's pages: the citizen's 办件 with their ratings (`/user/evaluations`) and the public
//! figures (`/evaluation`).

pub mod mine;
pub mod public;
