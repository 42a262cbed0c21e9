//! The words of every page's frame (title, header, footer) in both languages
//! (see [`crate::platform::lang`]).

use crate::platform::lang::Text;

pub use crate::platform::lang::PORTAL;
pub const DESCRIPTION: Text = Text::new(
    "住房和城乡建设部政务服务门户:人员资格查询、电子证照加注与下载",
    "Government services of the Ministry of Housing and Urban-Rural Development: search the register of professionals, and annotate and download electronic certificates",
);
pub const MINISTRY: Text = Text::new(
    "中华人民共和国住房和城乡建设部",
    "Ministry of Housing and Urban-Rural Development of the People's Republic of China",
);
pub use crate::ui::text::{CONTACT, FAQ, HOME, LOGIN, SEARCH, USER_CENTRE};
pub const MAIN_NAV: Text = Text::new("主导航", "Main menu");
pub const HELP: Text = Text::new("帮助", "Help and contact");
pub const EVALUATION: Text = Text::new("好差评公示", "Service ratings");
pub const SUPPORT: Text = Text::new(
    "技术支持电话:010-58934542 / 010-58934446  电子邮箱:XTC@mohurd.gov.cn",
    "Technical support: 010-58934542 / 010-58934446, email XTC@mohurd.gov.cn",
);
pub const OWNER: Text = Text::new(
    "主办单位:中华人民共和国住房和城乡建设部",
    "Run by the Ministry of Housing and Urban-Rural Development of the People's Republic of China",
);
