//! The 无障碍工具条's words in both languages (see [`crate::platform::lang`]).

use crate::platform::lang::Text;

pub const TOOLBAR: Text = Text::new("无障碍工具条", "Accessibility toolbar");
/// The phone's fold: the toolbar and the language switch, each named so its reader finds it.
pub const FOLD: Text = Text::new("无障碍 / Language", "Accessibility / 语言");
pub const ELDER: Text = Text::new("长辈模式", "Senior mode");
pub const READ_ALOUD: Text = Text::new("语音阅读", "Read aloud");
pub const READ_ALL: Text = Text::new("朗读全文", "Read the page");
pub const PAUSE: Text = Text::new("暂停", "Pause");
pub const STOP: Text = Text::new("停止", "Stop");
pub const ZOOM_IN: Text = Text::new("放大", "Larger text");
pub const ZOOM_OUT: Text = Text::new("缩小", "Smaller text");
pub const CONTRAST: Text = Text::new("高对比度", "High contrast");
pub const BIG_CURSOR: Text = Text::new("大鼠标", "Large pointer");
pub const RESET: Text = Text::new("重置", "Reset");
/// Before the zoom's percentage.
pub const TEXT_SIZE: Text = Text::new("文字大小", "Text size");
pub const LANGUAGE: Text = Text::new("语言", "Language");
pub const SKIP: Text = Text::new("跳到主要内容", "Skip to main content");
