//! The words of 我的办件与评价 and 好差评公示 in both languages (see
//! [`crate::platform::lang`]). The levels, reasons and services keep their Chinese as the
//! server stores and checks it; a page in English shows their English.

use crate::evaluation::{LEVELS, Service};
use crate::platform::lang::{Lang, Text};

// 我的办件与评价 (`/user/evaluations`).
pub use crate::ui::text::EVALUATIONS as MINE;
/// The lead: before the link, the link, after it.
pub const MINE_LEAD: [Text; 3] = [
    Text::new(
        "每件办件办结后,您可以对服务进行评价(自愿,可不评价;每件办件评价一次)。评价“不满意”或“非常不满意”的,工作人员将在 5 个工作日内核实整改并回访,处理情况在此显示。评价不关联您的身份证号,汇总结果在",
        "When a service you used is complete, you can rate it once if you want to. If you choose Dissatisfied or Very dissatisfied, our staff will look into it, put it right and contact you within 5 working days, and you can follow that here. Ratings are not linked to your identity document number. The totals are published in ",
    ),
    Text::new("好差评公示", "the service ratings"),
    Text::new("中公开。", "."),
];
pub const THANKS: Text = Text::new("感谢您的评价。", "Thank you for your rating.");
pub const NO_CASES: Text = Text::new(
    "近 90 天没有办结的办件。",
    "You have not completed any service in the last 90 days.",
);
pub const CASE_NO: Text = Text::new("办件编号", "Case number");
pub const COMPLETED: Text = Text::new("办结时间", "Completed");
pub const YOUR_RATING: Text = Text::new("我的评价", "Your rating");
pub const RATE: Text = Text::new("对本次服务的评价", "How was this service?");
pub const WHY: Text = Text::new(
    "不满意的原因(评价“不满意”或“非常不满意”时必选,可多选)",
    "What went wrong (needed for Dissatisfied or Very dissatisfied; choose all that apply)",
);
pub const COMMENT: Text = Text::new(
    "意见建议(选填,300 字以内)",
    "Comments (optional, up to 300 characters)",
);
pub const SUBMIT: Text = Text::new("提交评价", "Send your rating");
pub const FOLLOW_UP: Text = Text::new("差评处理情况", "What we did about your rating");
pub const STATE: Text = Text::new("状态", "Status");
pub const DUE: Text = Text::new("办结时限", "To be done by");
/// The follow-up's steps: 核实, 整改, 回访.
pub const STEPS: [Text; 3] = [
    Text::new("核实情况", "What we found"),
    Text::new("整改情况", "What we put right"),
    Text::new("回访情况", "When we contacted you"),
];
pub const FIX_RATING: Text = Text::new("对整改结果的评价", "Your rating of what we put right");
pub const RATE_FIX: Text = Text::new("评价整改结果", "Rate what we put right");

/// 服务:摘要, the heading of a 办件 (the summary stays as recorded).
pub fn case_heading(lang: Lang, service: &str, summary: &str) -> String {
    match lang {
        Lang::Zh => format!("{service}:{summary}"),
        Lang::En => format!("{}: {summary}", service_label(lang, service)),
    }
}

/// (原因:…).
pub fn reasons(lang: Lang, reasons: &str) -> String {
    match lang {
        Lang::Zh => format!("(原因:{reasons})"),
        Lang::En => format!(
            " (why: {})",
            reasons
                .split('、')
                .map(|r| reason(lang, r))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

/// … 前(5 个工作日).
pub fn due(lang: Lang, due: &str) -> String {
    match lang {
        Lang::Zh => format!("{due} 前(5 个工作日)"),
        Lang::En => format!("{due} (5 working days)"),
    }
}

/// A level by its number.
pub fn level(lang: Lang, level: i64) -> &'static str {
    match lang {
        Lang::Zh => crate::evaluation::level_label(level),
        Lang::En => match level {
            5 => "Very satisfied",
            4 => "Satisfied",
            3 => "Fairly satisfied",
            2 => "Dissatisfied",
            1 => "Very dissatisfied",
            _ => "",
        },
    }
}

/// A level by its Chinese words, as the server gives a rating back.
pub fn level_label(lang: Lang, label: &str) -> String {
    LEVELS
        .iter()
        .find(|(_, zh)| *zh == label)
        .map_or_else(|| label.to_string(), |(l, _)| level(lang, *l).to_string())
}

/// A reason of a 差评 (one of `REASONS`) in `lang`.
pub fn reason(lang: Lang, reason: &str) -> String {
    let english = match reason {
        "办理流程繁琐" => "Too many steps",
        "页面操作不便" => "The pages were hard to use",
        "等待时间过长" => "I waited too long",
        "结果与预期不符" => "The result was not what I expected",
        "材料或信息要求不清楚" => {
            "It was not clear what documents or details were needed"
        }
        "系统故障或报错" => "The system failed or showed an error",
        "其他" => "Something else",
        _ => return reason.to_string(),
    };
    match lang {
        Lang::Zh => reason.to_string(),
        Lang::En => english.to_string(),
    }
}

/// A work order's state, by its Chinese words (`order_state_label`).
pub fn order_state(lang: Lang, state: &str) -> String {
    let code = ["open", "verified", "rectified", "closed"]
        .into_iter()
        .find(|code| crate::evaluation::order_state_label(code) == state);
    let english = match code {
        Some("open") => "Waiting to be looked into",
        Some("verified") => "Looked into; being put right",
        Some("rectified") => "Put right; we will contact you",
        Some("closed") => "We contacted you; closed",
        _ => return state.to_string(),
    };
    match lang {
        Lang::Zh => state.to_string(),
        Lang::En => english.to_string(),
    }
}

/// A service, by its Chinese name (`Service::label`), in `lang`.
pub fn service_label(lang: Lang, label: &str) -> String {
    let Some(service) = Service::ALL.into_iter().find(|s| s.label() == label) else {
        return label.to_string();
    };
    match lang {
        Lang::Zh => label.to_string(),
        Lang::En => match service {
            Service::Register => "Registering a personal account",
            Service::Certificate => "Annotating and downloading a certificate",
            Service::Enterprise => "Registering and confirming an organisation's account",
            Service::Assisted => "Identity checked by our staff",
            Service::Grant => "Sharing a certificate",
        }
        .to_string(),
    }
}

// 好差评公示 (`/evaluation`).
pub const PUBLIC: Text = Text::new("好差评公示", "Service ratings");
pub const PUBLIC_HEADING: Text = Text::new("政务服务好差评公示", "How people rated our services");
pub const PUBLIC_LEAD: [Text; 2] = [
    Text::new(
        "按照《国务院办公厅关于建立政务服务“好差评”制度提高政务服务水平的意见》(国办发〔2019〕51号),公开本门户各项服务近 12 个月的评价情况。",
        "As the State Council's rules on rating government services require (国办发〔2019〕51号), we publish how each of the portal's services was rated over the last 12 months.",
    ),
    Text::new(
        "满意率 = (非常满意 + 满意 + 基本满意)÷ 评价总数;“不满意”和“非常不满意”为差评,每条差评均在 5 个工作日内核实、整改并回访。",
        " Satisfaction = (Very satisfied + Satisfied + Fairly satisfied) ÷ all ratings. Dissatisfied and Very dissatisfied are poor ratings: we look into each one, put it right and contact the person within 5 working days.",
    ),
];
pub const NO_RATINGS: Text = Text::new(
    "近 12 个月暂无评价。",
    "There have been no ratings in the last 12 months.",
);
pub const TABLE: Text = Text::new("各项服务评价情况", "Ratings of each service");
pub const CAPTION: Text = Text::new(
    "各项服务评价情况(按月)",
    "Ratings of each service, by month",
);
pub const COLUMNS: [Text; 6] = [
    Text::new("月份", "Month"),
    Text::new("服务事项", "Service"),
    Text::new("评价数", "Ratings"),
    Text::new("满意率", "Satisfaction"),
    Text::new("差评数", "Poor ratings"),
    Text::new("已整改差评", "Poor ratings put right"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::REASONS;

    #[test]
    fn every_level_reason_state_and_service_has_its_english() {
        for (l, zh) in LEVELS {
            assert_eq!(level_label(Lang::Zh, zh), zh);
            assert!(!level(Lang::En, l).is_empty());
        }
        for r in REASONS {
            assert_eq!(reason(Lang::Zh, r), r);
            assert_ne!(reason(Lang::En, r), r);
        }
        for code in ["open", "verified", "rectified", "closed"] {
            let zh = crate::evaluation::order_state_label(code);
            assert_ne!(order_state(Lang::En, zh), zh);
        }
        for s in Service::ALL {
            assert_eq!(service_label(Lang::Zh, s.label()), s.label());
            assert_ne!(service_label(Lang::En, s.label()), s.label());
        }
    }
}
