//! 常见问题 (§7 of the user manual): the manual's seven rows, verbatim, with a live filter.

use crate::ui::breadcrumb::Breadcrumb;
use leptos::prelude::*;
use leptos_meta::Title;

/// One row of the manual's FAQ table.
pub struct FaqRow {
    /// 序号
    pub number: u32,
    /// 问题描述
    pub question: &'static str,
    /// 问题位置
    pub location: &'static str,
    /// 处理方法, one entry per numbered step
    pub answers: &'static [&'static str],
}

impl FaqRow {
    fn matches(&self, needle: &str) -> bool {
        needle.is_empty()
            || self.question.contains(needle)
            || self.location.contains(needle)
            || self.answers.iter().any(|a| a.contains(needle))
    }
}

pub const FAQ_ROWS: [FaqRow; 7] = [
    FaqRow {
        number: 1,
        question: "个人账号登录不进去是什么原因",
        location: "住房和城乡建设部政务服务门户登录界面",
        answers: &[
            "1、首先确认一下是不是身份证号码登录,账号密码输入时不能加空格。",
            "2、其次可以点开眼睛看一下是否密码大小写锁定出错。",
        ],
    },
    FaqRow {
        number: 2,
        question: "扫码页面,手机扫人脸识别没反应",
        location: "在线业务办理-人脸识别二维码",
        answers: &[
            "1、首先确认是否按照第一步登录住房和城乡建设部政务服务门户支付宝或微信小程序。",
            "2、建议把人脸识别的二维码放大后在操作(快捷点ctrl++号键)。",
        ],
    },
    FaqRow {
        number: 3,
        question: "扫码页面,手机扫人脸通过后,页面无跳转",
        location: "在线业务办理-人脸识别二维码",
        answers: &[
            "1、可点击页面下方:手动跳转按钮。",
            "2、其次建议清理浏览器缓存或切换浏览器、切换网络后重新尝试。",
        ],
    },
    FaqRow {
        number: 4,
        question: "系统页面按钮点击无反应或重复跳转等异常",
        location: "住房和城乡建设部政务服务门户各界面",
        answers: &["此问题建议清理浏览器缓存或切换浏览器、切换网络后重新尝试。"],
    },
    FaqRow {
        number: 5,
        question: "个人(企业)账号注册提示身份证信息效验失败",
        location: "住房和城乡建设部政务服务门户注册界面",
        answers: &[
            "1、首先自我核查信息填写是否与证件信息一致。",
            "2、如确认一致,可在手机应用商店下载\"CTID\"软件,开通 CTID 网证更新人脸信息。认证通过后 1-2 天后再进行注册尝试。",
        ],
    },
    FaqRow {
        number: 6,
        question: "个人(企业)账号注册收不到手机验证码",
        location: "住房和城乡建设部政务服务门户注册界面",
        answers: &[
            "1、检查短信是否有被拦截软件拦截,在垃圾箱查看短信,或者卸载拦截软件。",
            "2、检查手机短信息是否存储满了、是否是老款手机。清理手机信箱或者将卡换到其他手机。",
            "3、手机欠费停机后充值复机第一天无法接收 SP 短信(欠费停机,缴费以后一般是 24 小时恢复的,基本是 24 小时以内。建议您更换手机号码或者第二天重新获取)。",
            "4、客户是否有关闭接收短信功能,开启重新提交发送。",
            "5、长时间不关机,需要关机重启试下。",
            "6、是不是双卡双待的手机,建议把两张卡换一下再试下。",
        ],
    },
    FaqRow {
        number: 7,
        question: "登录后提示当前手机号已被其他人员绑定",
        location: "用户中心-账户设置",
        answers: &[
            "核实账户设置里的手机号是否一致,点击用户中心账户设置,手机号后面的小铅笔图标进行修改。",
        ],
    },
];

#[component]
pub fn FaqPage() -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let visible = move || {
        let needle = filter.get();
        let needle = needle.trim();
        FAQ_ROWS.iter().filter(|row| row.matches(needle)).count()
    };

    view! {
        <Title text="常见问题"/>
        <section class="page-section">
            <Breadcrumb current="常见问题"/>
            <h1>"常见问题"</h1>
            <p class="lead">"办理业务遇到问题时,可先按下表自行排查;仍无法解决的,请通过"<a href="/contact">"联系方式"</a>"联系技术支持。"</p>
            <div class="faq-filter">
                <label for="faq-filter-input">"查找问题"</label>
                <input
                    id="faq-filter-input"
                    type="search"
                    placeholder="输入关键词,如:验证码、人脸识别"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))
                />
                <p class="faq-filter-count" role="status" aria-live="polite">
                    {move || {
                        let n = visible();
                        if n == 0 { "没有找到相关问题,请换个关键词".to_string() } else { format!("共 {n} 个问题") }
                    }}
                </p>
            </div>
            <div class="table-wrap">
                <table class="data-table faq-table">
                    <caption class="visually-hidden">"常见问题及处理方法"</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="col-no">"序号"</th>
                            <th scope="col">"问题描述"</th>
                            <th scope="col">"问题位置"</th>
                            <th scope="col">"处理方法"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {FAQ_ROWS
                            .iter()
                            .map(|row| {
                                let hidden = move || !row.matches(filter.get().trim());
                                view! {
                                    <tr class:hidden=hidden>
                                        <td class="col-no">{row.number}</td>
                                        <td>{row.question}</td>
                                        <td>{row.location}</td>
                                        <td>
                                            {row.answers.iter().map(|a| view! { <p class="faq-step">{*a}</p> }).collect_view()}
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
                .filter(|r| r.matches(n))
                .map(|r| r.number)
                .collect::<Vec<_>>()
        };
        assert_eq!(hits("验证码"), [6]);
        assert_eq!(hits("人脸识别二维码"), [2, 3]);
        assert_eq!(hits("手动跳转"), [3]);
        assert_eq!(hits(""), [1, 2, 3, 4, 5, 6, 7]);
        assert!(hits("不存在的问题").is_empty());
    }
}
