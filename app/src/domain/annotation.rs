//! 加注的使用有效期: how long a certified copy made by a 加注 may be used. 180 days from the
//! day of the 加注, cut short by the earliest 注册专业 expiry and by the holder's 65th birthday
//! (registration as a 注册建造师 and the like ends at 65). Dates are civil dates in Beijing
//! time; the last valid day is included.

/// A civil date (year, month, day).
pub type Date = (i64, u32, u32);

/// Days a copy may be used when nothing cuts it short.
pub const STANDARD_DAYS: i64 = 180;
/// The age at which the registration — and so any copy — ends.
pub const RETIREMENT_AGE: i64 = 65;

/// Why the validity ends when it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidityReason {
    /// 180 days from the 加注.
    Standard,
    /// The 注册专业 with the earliest 有效期.
    SpecialtyExpiry { specialty: String },
    /// The day before the holder turns 65.
    RetirementAge,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validity {
    /// The last day the copy may be used (使用有效期至).
    pub until: Date,
    pub reason: ValidityReason,
}

impl Validity {
    /// The dialog's explanation of the date.
    pub fn explanation(&self) -> String {
        let until = format_date(self.until);
        match &self.reason {
            ValidityReason::Standard => format!("使用有效期至 {until}(自加注之日起180天)"),
            ValidityReason::SpecialtyExpiry { specialty } => {
                format!("使用有效期至 {until}(注册专业“{specialty}”的有效期早于180天届满)")
            }
            ValidityReason::RetirementAge => {
                format!("使用有效期至 {until}(持证人年满65周岁前一日,早于180天届满)")
            }
        }
    }
}

/// The copy's restriction in words: 仅供…使用, read naturally whatever the citizen typed —
/// `投标使用` and `投标` both give 仅供投标使用, `办理资质申报` gives 仅供办理资质申报使用, and
/// a purpose already written as 仅供…使用 or ending in 用 is kept as it is.
pub fn purpose_phrase(purpose: &str) -> String {
    let purpose = purpose.trim();
    let body = purpose.strip_prefix("仅供").unwrap_or(purpose).trim();
    if body.ends_with('用') {
        format!("仅供{body}")
    } else {
        format!("仅供{body}使用")
    }
}

/// Why no 加注 can be made today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnnotationRefusal {
    /// Every 注册专业 (or the one that ends first) has expired.
    SpecialtyExpired { specialty: String },
    /// The holder is 65 or older.
    RetirementAge,
}

impl std::fmt::Display for AnnotationRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SpecialtyExpired { specialty } => write!(
                f,
                "注册专业“{specialty}”已过有效期,无法加注,请先办理延续注册"
            ),
            Self::RetirementAge => f.write_str("持证人已年满65周岁,注册已终止,无法加注"),
        }
    }
}

/// The validity of a 加注 made on `today` for a holder born on `birth` whose 注册专业 expire on
/// the given dates.
pub fn annotation_validity(
    today: Date,
    birth: Date,
    specialties: &[(String, Date)],
) -> Result<Validity, AnnotationRefusal> {
    let day = |d: Date| super::time::days_from_civil(d.0, d.1, d.2);
    let today_n = day(today);
    let mut best = Validity {
        until: add_days(today, STANDARD_DAYS - 1),
        reason: ValidityReason::Standard,
    };
    if let Some((name, expiry)) = specialties.iter().min_by_key(|(_, d)| day(*d)) {
        if day(*expiry) < today_n {
            return Err(AnnotationRefusal::SpecialtyExpired {
                specialty: name.clone(),
            });
        }
        if day(*expiry) < day(best.until) {
            best = Validity {
                until: *expiry,
                reason: ValidityReason::SpecialtyExpiry {
                    specialty: name.clone(),
                },
            };
        }
    }
    let last_day_before_65 = add_days(birthday_at(birth, RETIREMENT_AGE), -1);
    if day(last_day_before_65) < today_n {
        return Err(AnnotationRefusal::RetirementAge);
    }
    if day(last_day_before_65) < day(best.until) {
        best = Validity {
            until: last_day_before_65,
            reason: ValidityReason::RetirementAge,
        };
    }
    Ok(best)
}

/// The day someone born on `birth` turns `age`. Born on 29 February: 1 March in common years.
pub fn birthday_at(birth: Date, age: i64) -> Date {
    let year = birth.0 + age;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if birth.1 == 2 && birth.2 == 29 && !leap {
        (year, 3, 1)
    } else {
        (year, birth.1, birth.2)
    }
}

pub fn add_days(date: Date, days: i64) -> Date {
    super::time::civil_from_days(super::time::days_from_civil(date.0, date.1, date.2) + days)
}

/// `2027-05-26`
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.0, d.1, d.2)
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    let mut parts = s.trim().splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    let back = super::time::civil_from_days(super::time::days_from_civil(y, m, d));
    (back == (y, m, d)).then_some((y, m, d))
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_purpose_reads_naturally_whatever_was_typed() {
        for (typed, phrase) in [
            ("投标使用", "仅供投标使用"),
            ("投标", "仅供投标使用"),
            (" 工程投标 ", "仅供工程投标使用"),
            ("办理资质申报", "仅供办理资质申报使用"),
            ("社保查询", "仅供社保查询使用"),
            ("仅供投标使用", "仅供投标使用"),
            ("仅供社保查询", "仅供社保查询使用"),
            ("投标专用", "仅供投标专用"),
        ] {
            assert_eq!(purpose_phrase(typed), phrase, "{typed}");
            assert!(!purpose_phrase(typed).contains("使用使用"));
        }
    }

    use super::*;

    fn sp(name: &str, d: Date) -> (String, Date) {
        (name.to_string(), d)
    }

    #[test]
    fn a_plain_annotation_lasts_180_days_including_the_first() {
        let v = annotation_validity(
            (2026, 11, 28),
            (1980, 3, 15),
            &[sp("建筑工程", (2029, 6, 17))],
        )
        .unwrap();
        assert_eq!(v.until, (2027, 5, 26));
        assert_eq!(v.reason, ValidityReason::Standard);
        assert!(v.explanation().contains("2027-05-26"));
    }

    #[test]
    fn the_earliest_specialty_expiry_cuts_it_short() {
        let v = annotation_validity(
            (2026, 11, 28),
            (1980, 3, 15),
            &[
                sp("建筑工程", (2029, 6, 17)),
                sp("市政公用工程", (2027, 1, 31)),
            ],
        )
        .unwrap();
        assert_eq!(v.until, (2027, 1, 31));
        assert_eq!(
            v.reason,
            ValidityReason::SpecialtyExpiry {
                specialty: "市政公用工程".into()
            }
        );
        // Expiring today still allows a 加注 for today; yesterday does not.
        let v = annotation_validity(
            (2026, 11, 28),
            (1980, 3, 15),
            &[sp("建筑工程", (2026, 11, 28))],
        )
        .unwrap();
        assert_eq!(v.until, (2026, 11, 28));
        assert_eq!(
            annotation_validity(
                (2026, 11, 28),
                (1980, 3, 15),
                &[sp("建筑工程", (2026, 11, 27))]
            ),
            Err(AnnotationRefusal::SpecialtyExpired {
                specialty: "建筑工程".into()
            })
        );
    }

    #[test]
    fn the_65th_birthday_cuts_it_short_and_then_forbids_it() {
        // Turns 65 on 2027-01-10: usable to 2027-01-09.
        let v = annotation_validity((2026, 11, 28), (1962, 1, 10), &[]).unwrap();
        assert_eq!(v.until, (2027, 1, 9));
        assert_eq!(v.reason, ValidityReason::RetirementAge);
        assert_eq!(
            annotation_validity((2027, 1, 10), (1962, 1, 10), &[]),
            Err(AnnotationRefusal::RetirementAge)
        );
        assert!(annotation_validity((2027, 1, 9), (1962, 1, 10), &[]).is_ok());
    }

    #[test]
    fn leap_days() {
        // Born on 29 February 1964: 65 on 1 March 2029 (a common year) → last day 28 February.
        assert_eq!(birthday_at((1964, 2, 29), 65), (2029, 3, 1));
        let v = annotation_validity((2028, 12, 1), (1964, 2, 29), &[]).unwrap();
        assert_eq!(v.until, (2029, 2, 28));
        // Born 29 February 1960: 65 in 2025 → 1 March 2025; in a leap year it stays 29 Feb.
        assert_eq!(birthday_at((1960, 2, 29), 64), (2024, 2, 29));
        // 180 days across a leap February: 2027-12-01 + 179 = 2028-05-28.
        let v = annotation_validity((2027, 12, 1), (1980, 3, 15), &[]).unwrap();
        assert_eq!(v.until, (2028, 5, 28));
        assert_eq!(add_days((2028, 2, 28), 1), (2028, 2, 29));
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(parse_date("2028-02-29"), Some((2028, 2, 29)));
        assert_eq!(parse_date("2027-02-29"), None);
        assert_eq!(parse_date("2027-13-01"), None);
        assert_eq!(format_date((2027, 5, 6)), "2027-05-06");
    }
}
