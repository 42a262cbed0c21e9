//! The words of 人员资格查询 and a registration's page in both languages (see
//! [`crate::platform::lang`]). The registry's own values (names, 注册类别, 注册单位) stay as
//! registered; English pages gloss the categories beside them.

use crate::platform::lang::{Lang, Text};

pub const TITLE: Text = crate::ui::text::SEARCH;
pub const LEAD: Text = Text::new(
    "证件号码或注册编号(执业印章号)可单独查询;按人员姓名查询时,请同时选择注册类别或填写注册单位。",
    "An identity document number or a registration (seal) number finds a professional on its own; a name needs a category or an employer beside it.",
);
pub const RESULTS: Text = Text::new("查询结果", "Results");
pub const SEARCHING: Text = Text::new("正在查询…", "Searching…");
pub const PROMPT: Text = Text::new(
    "请输入查询条件后点击【查询】。",
    "Enter what you know and choose Search.",
);
pub const NAME: Text = Text::new("人员姓名", "Name");
pub const REG_NO: Text = Text::new("注册编号(执业印章号)", "Registration or seal number");
pub const CATEGORY: Text = Text::new("注册类别", "Category");
pub const FULL_NAME: Text = Text::new("姓名", "Name");
pub const REGISTRATION_NO: Text = Text::new("注册编号", "Registration number");
pub const SPECIALTIES: Text = Text::new("注册专业", "Specialties");
pub const ALL_CATEGORIES: Text = Text::new("全部类别", "All categories");
pub const EMPLOYER: Text = Text::new("注册单位", "Employer");
pub const SEARCH: Text = Text::new("查询", "Search");
pub const RESET: Text = Text::new("重置", "Clear");
pub const BY_KEY: Text = Text::new(
    "已按证件号码查询(号码不显示在地址中)",
    "Searched by document number (the number is kept out of the address)",
);
pub const NONE_FOUND: Text = Text::new(
    "未查询到符合条件的注册人员。请核对输入是否有误:姓名可只输入前几个字,注册单位可只输入开头部分;也可改用证件号码或注册编号查询。",
    "No registered professional matches. Check what you typed: the first characters of a name or an employer are enough, or search by document or registration number instead.",
);
pub const CAPTION: Text = Text::new("人员资格查询结果", "Registered professionals found");
pub const COLUMNS: [Text; 6] = [
    crate::ui::text::NUMBER,
    FULL_NAME,
    Text::new("证件号码", "Document number"),
    CATEGORY,
    Text::new("注册号(执业印章号)", "Registration (seal) number"),
    SPECIALTIES,
];
pub const DETAIL: Text = Text::new("注册信息", "Registration");
pub const BACK: Text = Text::new("返回查询", "Back to search");
pub const FIELDS: [Text; 10] = [
    FULL_NAME,
    Text::new("性别", "Gender"),
    Text::new("证件号码", "Identity document"),
    CATEGORY,
    REGISTRATION_NO,
    Text::new("执业印章号", "Seal number"),
    Text::new("证书编号", "Certificate number"),
    Text::new("有效期", "Valid"),
    EMPLOYER,
    Text::new("统一社会信用代码", "Employer's unified social credit code"),
];
pub const CHANGES: Text = Text::new("变更记录", "Changes");

/// 男 / 女 as an English page glosses them.
pub fn gender(lang: Lang, gender: &str) -> String {
    match (lang, gender) {
        (Lang::En, "男") => "男 (male)".into(),
        (Lang::En, "女") => "女 (female)".into(),
        _ => gender.into(),
    }
}

/// A change's kind (初始注册 …) glossed on English pages.
pub fn change_kind(lang: Lang, kind: &str) -> String {
    let gloss = match kind {
        "初始注册" => "first registration",
        "变更注册" => "change of employer",
        "延续注册" => "renewal",
        "增项注册" => "added specialty",
        "注销" => "cancelled",
        "撤销" => "revoked",
        _ => return kind.into(),
    };
    match lang {
        Lang::Zh => kind.into(),
        Lang::En => format!("{kind} ({gloss})"),
    }
}

pub const PAGES: Text = Text::new("分页", "Pages");
pub const PREVIOUS: Text = Text::new("上一页", "Previous");
pub const NEXT: Text = Text::new("下一页", "Next");

/// 共 n 条记录 / n results (with "or more" when the count stopped).
pub fn total(lang: Lang, total: i64, capped: bool) -> String {
    match (lang, capped) {
        (Lang::Zh, true) => format!("共 {total} 条以上记录,请补充查询条件缩小范围"),
        (Lang::Zh, false) => format!("共 {total} 条记录"),
        (Lang::En, true) => format!("More than {total} results: add to your search to narrow it"),
        (Lang::En, false) if total == 1 => "1 result".to_string(),
        (Lang::En, false) => format!("{total} results"),
    }
}

/// 第 p / n 页.
pub fn page_of(lang: Lang, page: u32, pages: u32) -> String {
    match lang {
        Lang::Zh => format!("第 {page} / {pages} 页"),
        Lang::En => format!("Page {page} of {pages}"),
    }
}

/// The English gloss of a 注册类别 (the category itself stays as registered).
pub fn category_gloss(category: &str) -> Option<&'static str> {
    Some(match category {
        "一级注册建造师" => "Class 1 Registered Constructor",
        "二级注册建造师" => "Class 2 Registered Constructor",
        "注册监理工程师" => "Registered Supervising Engineer",
        "一级注册造价工程师" => "Class 1 Registered Cost Engineer",
        "一级注册建筑师" => "Class 1 Registered Architect",
        "二级注册建筑师" => "Class 2 Registered Architect",
        "一级注册结构工程师" => "Class 1 Registered Structural Engineer",
        "注册土木工程师(岩土)" => "Registered Geotechnical Engineer",
        _ => return None,
    })
}

/// A category as a page in `lang` shows it: as registered, glossed on English pages.
pub fn category(lang: Lang, category: &str) -> String {
    match (lang, category_gloss(category)) {
        (Lang::En, Some(gloss)) => format!("{category} ({gloss})"),
        _ => category.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_category_offered_has_its_gloss() {
        for c in crate::registry::query::REGISTRATION_CATEGORIES {
            assert!(super::category_gloss(c).is_some(), "{c}");
        }
    }
}
