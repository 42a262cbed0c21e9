//! 常见问题 (§7 of the user manual): the manual's seven rows, verbatim, with a live filter.

use crate::platform::lang::{Lang, Text, use_lang};
use crate::ui::breadcrumb::Breadcrumb;
use leptos::prelude::*;
use leptos_meta::Title;

/// One row of the manual's FAQ table.
pub struct FaqRow {
    /// 序号
    pub number: u32,
    /// 问题描述
    pub question: Text,
    /// 问题位置
    pub location: Text,
    /// 处理方法, one entry per numbered step
    pub answers: &'static [Text],
}

impl FaqRow {
    /// Whether the row, as shown in `lang`, holds `needle` (English case-blind).
    fn matches(&self, needle: &str, lang: Lang) -> bool {
        let needle = needle.to_lowercase();
        let has = |t: &Text| t.of(lang).to_lowercase().contains(&needle);
        needle.is_empty()
            || has(&self.question)
            || has(&self.location)
            || self.answers.iter().any(has)
    }
}

const TITLE: Text = crate::ui::text::FAQ;
const LEAD: [Text; 3] = [
    Text::new(
        "办理业务遇到问题时,可先按下表自行排查;仍无法解决的,请通过",
        "If something goes wrong, try what the table below suggests first; if that does not help, ",
    ),
    Text::new("联系方式", "contact technical support"),
    Text::new("联系技术支持。", "."),
];
const FIND: Text = Text::new("查找问题", "Find a question");
const FIND_HINT: Text = Text::new(
    "输入关键词,如:验证码、人脸识别",
    "Type a word, such as code or face",
);
const NOTHING: Text = Text::new(
    "没有找到相关问题,请换个关键词",
    "No question matches: try another word",
);
const CAPTION: Text = Text::new("常见问题及处理方法", "Common problems and what to do");
const COLUMNS: [Text; 4] = [
    crate::ui::text::NUMBER,
    Text::new("问题描述", "Problem"),
    Text::new("问题位置", "Where"),
    Text::new("处理方法", "What to do"),
];

pub const FAQ_ROWS: [FaqRow; 7] = [
    FaqRow {
        number: 1,
        question: Text::new(
            "个人账号登录不进去是什么原因",
            "I cannot sign in to my personal account",
        ),
        location: Text::new(
            "住房和城乡建设部政务服务门户登录界面",
            "The portal's sign-in page",
        ),
        answers: &[
            Text::new(
                "1、首先确认一下是不是身份证号码登录,账号密码输入时不能加空格。",
                "1. Check that you chose your identity document and typed its number, without spaces in the number or the password.",
            ),
            Text::new(
                "2、其次可以点开眼睛看一下是否密码大小写锁定出错。",
                "2. Show the password (the eye button) to check that Caps Lock did not change it.",
            ),
        ],
    },
    FaqRow {
        number: 2,
        question: Text::new(
            "扫码页面,手机扫人脸识别没反应",
            "On the QR page, nothing happens when I scan for the face check",
        ),
        location: Text::new(
            "在线业务办理-人脸识别二维码",
            "Online services - the face check QR code",
        ),
        answers: &[
            Text::new(
                "1、首先确认是否按照第一步登录住房和城乡建设部政务服务门户支付宝或微信小程序。",
                "1. Check that you signed in to the portal's Alipay or WeChat mini-program first.",
            ),
            Text::new(
                "2、建议把人脸识别的二维码放大后在操作(快捷点ctrl++号键)。",
                "2. Make the QR code larger (Larger QR code, or Ctrl and +) and scan again.",
            ),
        ],
    },
    FaqRow {
        number: 3,
        question: Text::new(
            "扫码页面,手机扫人脸通过后,页面无跳转",
            "The face check passed on the phone, but the page on the computer does not move on",
        ),
        location: Text::new(
            "在线业务办理-人脸识别二维码",
            "Online services - the face check QR code",
        ),
        answers: &[
            Text::new(
                "1、可点击页面下方:手动跳转按钮。",
                "1. Choose Continue under the QR code.",
            ),
            Text::new(
                "2、其次建议清理浏览器缓存或切换浏览器、切换网络后重新尝试。",
                "2. Clear the browser's cache, or try another browser or network.",
            ),
        ],
    },
    FaqRow {
        number: 4,
        question: Text::new(
            "系统页面按钮点击无反应或重复跳转等异常",
            "Buttons do nothing, or pages keep reloading",
        ),
        location: Text::new(
            "住房和城乡建设部政务服务门户各界面",
            "Any page of the portal",
        ),
        answers: &[Text::new(
            "此问题建议清理浏览器缓存或切换浏览器、切换网络后重新尝试。",
            "Clear the browser's cache, or try another browser or network.",
        )],
    },
    FaqRow {
        number: 5,
        question: Text::new(
            "个人(企业)账号注册提示身份证信息效验失败",
            "Registering (a person or an organisation) says the identity check failed",
        ),
        location: Text::new(
            "住房和城乡建设部政务服务门户注册界面",
            "The portal's registration page",
        ),
        answers: &[
            Text::new(
                "1、首先自我核查信息填写是否与证件信息一致。",
                "1. Check that what you typed is exactly as on your document.",
            ),
            Text::new(
                "2、如确认一致,可在手机应用商店下载\"CTID\"软件,开通 CTID 网证更新人脸信息。认证通过后 1-2 天后再进行注册尝试。",
                "2. If it is, install the CTID app from your phone's app store and open a CTID network identity to update your face data; try registering again 1 to 2 days after it is approved. (Holders of a travel permit, permanent residence card or passport register with the name and number the national register holds for them.)",
            ),
        ],
    },
    FaqRow {
        number: 6,
        question: Text::new(
            "个人(企业)账号注册收不到手机验证码",
            "The text message code does not arrive when I register",
        ),
        location: Text::new(
            "住房和城乡建设部政务服务门户注册界面",
            "The portal's registration page",
        ),
        answers: &[
            Text::new(
                "1、检查短信是否有被拦截软件拦截,在垃圾箱查看短信,或者卸载拦截软件。",
                "1. Check whether a blocking app caught the message; look in its spam folder, or remove the app.",
            ),
            Text::new(
                "2、检查手机短信息是否存储满了、是否是老款手机。清理手机信箱或者将卡换到其他手机。",
                "2. Check whether the phone's message store is full; clear it, or put the SIM card in another phone.",
            ),
            Text::new(
                "3、手机欠费停机后充值复机第一天无法接收 SP 短信(欠费停机,缴费以后一般是 24 小时恢复的,基本是 24 小时以内。建议您更换手机号码或者第二天重新获取)。",
                "3. A number suspended for an unpaid bill may not receive service messages for about 24 hours after paying: use another number, or ask for a code the next day.",
            ),
            Text::new(
                "4、客户是否有关闭接收短信功能,开启重新提交发送。",
                "4. Check that receiving messages is turned on, then ask for a new code.",
            ),
            Text::new(
                "5、长时间不关机,需要关机重启试下。",
                "5. Restart the phone.",
            ),
            Text::new(
                "6、是不是双卡双待的手机,建议把两张卡换一下再试下。",
                "6. On a dual-SIM phone, swap the two cards and try again.",
            ),
        ],
    },
    FaqRow {
        number: 7,
        question: Text::new(
            "登录后提示当前手机号已被其他人员绑定",
            "After signing in I am told my phone number is bound to someone else",
        ),
        location: Text::new("用户中心-账户设置", "Your account - Account settings"),
        answers: &[Text::new(
            "核实账户设置里的手机号是否一致,点击用户中心账户设置,手机号后面的小铅笔图标进行修改。",
            "Check the number in Account settings: open Your account → Account settings and change it with the pencil button beside it.",
        )],
    },
];

#[component]
pub fn FaqPage() -> impl IntoView {
    let lang = use_lang();
    let filter = RwSignal::new(String::new());
    let visible = move || {
        let needle = filter.get();
        let needle = needle.trim();
        FAQ_ROWS
            .iter()
            .filter(|row| row.matches(needle, lang))
            .count()
    };
    let [before, link, after] = LEAD.map(|t| t.of(lang));

    view! {
        <Title text=TITLE.of(lang)/>
        <section class="page-section">
            <Breadcrumb current=TITLE.of(lang)/>
            <h1>{TITLE.of(lang)}</h1>
            <p class="lead">{before}<a href="/contact">{link}</a>{after}</p>
            <div class="faq-filter">
                <label for="faq-filter-input">{FIND.of(lang)}</label>
                <input
                    id="faq-filter-input"
                    type="search"
                    placeholder=FIND_HINT.of(lang)
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))
                />
                <p class="faq-filter-count" role="status" aria-live="polite">
                    {move || {
                        let n = visible();
                        match (n, lang) {
                            (0, _) => NOTHING.of(lang).to_string(),
                            (n, Lang::Zh) => format!("共 {n} 个问题"),
                            (1, Lang::En) => "1 question".to_string(),
                            (n, Lang::En) => format!("{n} questions"),
                        }
                    }}
                </p>
            </div>
            // Keyboard users scroll it too when it is wider than a phone (WCAG 2.1.1).
            <div class="table-wrap" tabindex="0" role="region" aria-label=CAPTION.of(lang)>
                <table class="data-table faq-table">
                    <caption class="visually-hidden">{CAPTION.of(lang)}</caption>
                    <thead>
                        <tr>
                            {COLUMNS
                                .iter()
                                .enumerate()
                                .map(|(i, c)| view! { <th scope="col" class=(i == 0).then_some("col-no")>{c.of(lang)}</th> })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {FAQ_ROWS
                            .iter()
                            .map(|row| {
                                let hidden = move || !row.matches(filter.get().trim(), lang);
                                view! {
                                    <tr class:hidden=hidden>
                                        <td class="col-no">{row.number}</td>
                                        <td>{row.question.of(lang)}</td>
                                        <td>{row.location.of(lang)}</td>
                                        <td>
                                            {row.answers.iter().map(|a| view! { <p class="faq-step">{a.of(lang)}</p> }).collect_view()}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manual_has_seven_numbered_rows() {
        let numbers: Vec<u32> = FAQ_ROWS.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7]);
    }

    #[test]
    fn filtering_finds_rows_by_any_column() {
        let hits = |n: &str| {
            FAQ_ROWS
                .iter()
                .filter(|r| r.matches(n, Lang::Zh))
                .map(|r| r.number)
                .collect::<Vec<_>>()
        };
        assert_eq!(hits("验证码"), [6]);
        assert_eq!(hits("人脸识别二维码"), [2, 3]);
        assert_eq!(hits("手动跳转"), [3]);
        assert_eq!(hits(""), [1, 2, 3, 4, 5, 6, 7]);
        assert!(hits("不存在的问题").is_empty());
        let english: Vec<u32> = FAQ_ROWS
            .iter()
            .filter(|r| r.matches("Code", Lang::En))
            .map(|r| r.number)
            .collect();
        assert_eq!(english, [2, 3, 6]);
    }
}
