//! 好差评 (国办发〔2019〕51号; issue 28 §5): each completed 办件 — a registration, a
//! certificate's 加注 and download, an enterprise account's confirmation, an assisted
//! verification, a grant — gets a 办件编号 and may be rated once, on five levels, or not at all.
//! A rating of 不满意 or below asks for reasons from a fixed list and opens a 差评 work order
//! with a deadline of five working days (weekends are not working days; the holiday table,
//! `holidays`, adds the State Council's holidays and the weekend days worked instead). Staff
//! record 核实, 整改 and 回访 (`staff::orders`); the citizen sees each step under 我的办件与评价
//! and may rate the fix. `/evaluation` publishes 满意率 per service and month and how many 差评
//! were put right. Ratings are kept without the person's ID number.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod text;

use crate::platform::error::Message;
use serde::{Deserialize, Serialize};

/// The services a 办件 can be of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Service {
    Register,
    Certificate,
    Enterprise,
    Assisted,
    Grant,
}

impl Service {
    pub const ALL: [Service; 5] = [
        Service::Register,
        Service::Certificate,
        Service::Enterprise,
        Service::Assisted,
        Service::Grant,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Service::Register => "register",
            Service::Certificate => "certificate",
            Service::Enterprise => "enterprise",
            Service::Assisted => "assisted",
            Service::Grant => "grant",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Service::Register => "个人账户注册",
            Service::Certificate => "电子证照加注与下载",
            Service::Enterprise => "法人账户注册与确认",
            Service::Assisted => "协助核验",
            Service::Grant => "授权用证",
        }
    }

    pub fn parse(code: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The five levels, best first: 5 非常满意 … 1 非常不满意.
pub const LEVELS: [(i64, &str); 5] = [
    (5, "非常满意"),
    (4, "满意"),
    (3, "基本满意"),
    (2, "不满意"),
    (1, "非常不满意"),
];

/// A level's words.
pub fn level_label(level: i64) -> &'static str {
    LEVELS
        .iter()
        .find(|(l, _)| *l == level)
        .map_or("", |(_, label)| label)
}

/// 不满意 and 非常不满意 are 差评: they need a reason and open a work order.
pub fn is_poor(level: i64) -> bool {
    (1..=2).contains(&level)
}

/// 满意率 counts 基本满意 and above.
pub fn is_satisfied(level: i64) -> bool {
    (3..=5).contains(&level)
}

/// The fixed reasons of a 差评.
pub const REASONS: [&str; 7] = [
    "办理流程繁琐",
    "页面操作不便",
    "等待时间过长",
    "结果与预期不符",
    "材料或信息要求不清楚",
    "系统故障或报错",
    "其他",
];

/// A rating as given: its level and, for a 差评, at least one reason; the comment at most 300
/// characters. The reasons as stored (joined with 、).
pub fn check_rating(level: i64, reasons: &[String], comment: &str) -> Result<String, Message> {
    if level_label(level).is_empty() {
        return Err(Message::new("请选择评价等级", "Choose a rating"));
    }
    if comment.chars().count() > 300 {
        return Err(Message::new(
            "意见建议不超过 300 字",
            "Your comments must be 300 characters or fewer",
        ));
    }
    let mut chosen: Vec<&str> = Vec::new();
    for r in reasons {
        let reason = REASONS
            .into_iter()
            .find(|known| known == r)
            .ok_or_else(|| {
                Message::new(
                    format!("未知的原因:{r}"),
                    "Choose the reasons from the list",
                )
            })?;
        if !chosen.contains(&reason) {
            chosen.push(reason);
        }
    }
    if is_poor(level) && chosen.is_empty() {
        return Err(Message::new(
            "请至少选择一项不满意的原因",
            "Choose at least one reason why you are not satisfied",
        ));
    }
    if !is_poor(level) {
        chosen.clear();
    }
    Ok(chosen.join("、"))
}

/// A 办件 as its citizen sees it under 我的办件与评价.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub case_no: String,
    pub service: String,
    pub summary: String,
    /// 北京时间, to the minute.
    pub completed_at: String,
    /// The rating given ("" when not rated yet).
    pub rating: String,
    pub reasons: String,
    pub comment: String,
    /// A 差评's work order, if any.
    pub order: Option<OrderView>,
}

/// A 差评 work order as the citizen sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    /// 北京时间, the end of the fifth working day.
    pub due: String,
    pub state: String,
    pub verified: String,
    pub rectified: String,
    pub visited: String,
    /// Whether the citizen may rate the fix now (closed, not rated yet).
    pub may_rate_fix: bool,
    /// The rating of the fix ("" when none).
    pub fix_rating: String,
}

/// A work order's state in words.
pub fn order_state_label(state: &str) -> &'static str {
    match state {
        "open" => "待核实",
        "verified" => "已核实,整改中",
        "rectified" => "已整改,待回访",
        "closed" => "已回访,办结",
        _ => "其他",
    }
}

/// One row of the public statistics: a service in a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRow {
    /// `2026-12`
    pub month: String,
    pub service: String,
    pub ratings: i64,
    pub satisfied: i64,
    /// 满意率 in tenths of a percent (e.g. 987 for 98.7 %); 0 when there are no ratings.
    pub rate_permille: i64,
    pub poor: i64,
    /// 差评 whose work order was put right (整改 recorded).
    pub rectified: i64,
}

/// 98.7%
pub fn format_permille(permille: i64) -> String {
    format!("{}.{}%", permille / 10, permille % 10)
}

/// Working days: weekends are not working days unless the holiday table says a weekend day
/// is worked (调休); a holiday on a weekday is not one.
pub mod working_days {
    use crate::domain::time::{civil_from_days, days_from_civil};
    use std::collections::HashMap;

    /// What the holiday table says of a day.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Day {
        Holiday,
        Workday,
    }

    /// `2026-10-01`
    pub fn key(days: i64) -> String {
        let (y, m, d) = civil_from_days(days);
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// Whether day number `days` (since 1970-01-01) is a working day.
    pub fn is_working(days: i64, table: &HashMap<String, Day>) -> bool {
        match table.get(&key(days)) {
            Some(Day::Holiday) => false,
            Some(Day::Workday) => true,
            // 1970-01-01 was a Thursday: 0 = Monday … 6 = Sunday.
            None => (days + 3).rem_euclid(7) < 5,
        }
    }

    /// A holiday file (`server holidays import`): one day a line, `2026-10-01,休` (or
    /// `holiday`) for a holiday, `2026-10-10,班` (or `workday`) for a weekend day worked;
    /// empty lines and `#` comments are skipped. Every bad line is named.
    pub fn parse(text: &str) -> Result<Vec<(String, Day)>, String> {
        let mut days = Vec::new();
        let mut bad = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (date, kind) = line.split_once([',', ',']).unwrap_or((line, ""));
            let date = date.trim();
            let kind = match kind.trim() {
                "休" | "holiday" => Some(Day::Holiday),
                "班" | "workday" => Some(Day::Workday),
                _ => None,
            };
            match (crate::domain::time::parse_date(date), kind) {
                (Some(d), Some(kind)) => {
                    days.push((key(days_from_civil(d.0, d.1, d.2)), kind));
                }
                _ => bad.push(format!(
                    "第 {} 行\"{line}\":应为 日期,休 或 日期,班(如 2026-10-01,休)",
                    i + 1
                )),
            }
        }
        if bad.is_empty() {
            Ok(days)
        } else {
            Err(bad.join("\n"))
        }
    }

    /// The `n`th working day after the day `start` (a date), as a day number.
    pub fn add(start: (i64, u32, u32), n: u32, table: &HashMap<String, Day>) -> i64 {
        let mut day = days_from_civil(start.0, start.1, start.2);
        let mut left = n;
        while left > 0 {
            day += 1;
            if is_working(day, table) {
                left -= 1;
            }
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use super::working_days::{Day, add, key};
    use super::*;
    use std::collections::HashMap;

    fn date(days: i64) -> String {
        key(days)
    }

    #[test]
    fn five_working_days_skip_weekends_holidays_and_count_makeup_days() {
        let none = HashMap::new();
        // Friday 2026-12-04 + 5 working days = Friday 2026-12-11.
        assert_eq!(date(add((2026, 12, 4), 5, &none)), "2026-12-11");
        // Saturday 2026-12-05 + 5 = Friday 2026-12-11 as well.
        assert_eq!(date(add((2026, 12, 5), 5, &none)), "2026-12-11");
        // Wednesday + 5 = next Wednesday.
        assert_eq!(date(add((2026, 12, 2), 5, &none)), "2026-12-09");
        // 国庆: a week of holidays, and the Saturday after worked instead.
        let mut table = HashMap::new();
        for d in 1..=7 {
            table.insert(format!("2026-10-{d:02}"), Day::Holiday);
        }
        table.insert("2026-10-10".to_string(), Day::Workday);
        // Wednesday 2026-09-30 + 5: 10-08 (Thu), 10-09 (Fri), 10-10 (Sat, worked), 10-12, 10-13.
        assert_eq!(date(add((2026, 9, 30), 5, &table)), "2026-10-13");
    }

    #[test]
    fn a_holiday_file_names_its_bad_lines() {
        let days = super::working_days::parse(
            "# 2026 国庆\n2026-10-01,休\n\n2026-10-10,班\n2026-10-02,holiday\n",
        )
        .unwrap();
        assert_eq!(
            days,
            [
                ("2026-10-01".to_string(), Day::Holiday),
                ("2026-10-10".to_string(), Day::Workday),
                ("2026-10-02".to_string(), Day::Holiday)
            ]
        );
        let err =
            super::working_days::parse("2026-10-01,休\n2026-13-01,休\n2026-10-03\n").unwrap_err();
        assert!(err.contains("第 2 行") && err.contains("第 3 行"), "{err}");
    }

    #[test]
    fn a_poor_rating_needs_a_known_reason() {
        assert!(check_rating(0, &[], "").is_err());
        assert!(check_rating(2, &[], "").unwrap_err().zh.contains("原因"));
        assert!(check_rating(1, &["随便".into()], "").is_err());
        assert_eq!(
            check_rating(
                1,
                &["等待时间过长".into(), "其他".into(), "其他".into()],
                "太慢"
            )
            .unwrap(),
            "等待时间过长、其他"
        );
        // A good rating keeps no reasons.
        assert_eq!(check_rating(5, &["其他".into()], "").unwrap(), "");
        assert!(check_rating(4, &[], &"长".repeat(301)).is_err());
        assert!(is_poor(2) && !is_poor(3) && is_satisfied(3) && !is_satisfied(2));
        assert_eq!(format_permille(987), "98.7%");
        assert_eq!(format_permille(1000), "100.0%");
    }
}
