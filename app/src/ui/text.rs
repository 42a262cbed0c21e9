//! The names of the portal's own places and actions, the same on every page that names them
//! (in both languages, see [`crate::platform::lang`]): a link, a breadcrumb, a heading and a
//! card say 我的证照 / Your certificates alike.

use crate::platform::lang::{Lang, Text};

pub const HOME: Text = Text::new("首页", "Home");
pub const SEARCH: Text = Text::new("人员资格查询", "Search the register");
pub const FAQ: Text = Text::new("常见问题", "Help");
pub const CONTACT: Text = Text::new("联系方式", "Contact");
pub const VERIFY: Text = Text::new("证照核验", "Check a certificate");
pub const LOGIN: Text = Text::new("登录", "Sign in");
pub const USER_CENTRE: Text = Text::new("用户中心", "Your account");
pub const MY_CERTIFICATES: Text = Text::new("我的证照", "Your certificates");
pub const SETTINGS: Text = Text::new("账户设置", "Account settings");
pub const SECURITY: Text = Text::new("安全记录", "Security record");
pub const GRANTS: Text = Text::new("授权用证", "Share a certificate");
pub const USES: Text = Text::new("用证记录", "Who used your certificates");
pub const EVALUATIONS: Text = Text::new("我的办件与评价", "Your services and ratings");
pub const CONFIRM_ENTERPRISE: Text = Text::new("确认法人账户", "Confirm an organisation's account");
/// The mini-program's name.
pub const APP: Text = Text::new("住建部政务服务", "MOHURD services");
pub const CANCEL: Text = Text::new("取消", "Cancel");
/// A table's 序号 column.
pub const NUMBER: Text = Text::new("序号", "No.");

/// The breadcrumb trail of a page inside 用户中心.
pub fn user_centre_trail(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::Zh => &[("用户中心", "/user")],
        Lang::En => &[("Your account", "/user")],
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_user_centre_trail_names_the_user_centre() {
        use crate::platform::lang::Lang;
        for lang in Lang::ALL {
            assert_eq!(
                super::user_centre_trail(lang),
                [(super::USER_CENTRE.of(lang), "/user")]
            );
        }
    }
}
