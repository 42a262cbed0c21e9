//! 人员资格查询: the public search and a registration's detail.

pub mod registration;
pub mod search;
