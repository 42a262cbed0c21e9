//! 加注的使用有效期: how long a certified copy made by a 加注 may be used: the earliest of 180
//! days from the day of the 加注, the registration's 注册有效期 and the earliest 注册专业
//! expiry. Age limits belong to the registry, which sets and publishes the 注册有效期; the
//! copy's date is never worked out from the holder's birth date, so neither the copy nor
//! `/verify` can tell it. Dates are civil dates in Beijing time; the last valid day is
//! included.

/// A civil date (year, month, day).
pub type Date = (i64, u32, u32);

/// Days a copy may be used when nothing cuts it short.
pub const STANDARD_DAYS: i64 = 180;

/// Why the validity ends when it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidityReason {
    /// 180 days from the 加注.
    Standard,
    /// The 注册专业 with the earliest 有效期.
    SpecialtyExpiry { specialty: String },
    /// The registration's 注册有效期.
    RegistrationExpiry,
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
            ValidityReason::RegistrationExpiry => {
                format!("使用有效期至 {until}(注册有效期早于180天届满)")
            }
        }
    }

    /// The same explanation in English (a 注册专业's name stays as the registry gives it).
    pub fn english_explanation(&self) -> String {
        let until = format_date(self.until);
        match &self.reason {
            ValidityReason::Standard => {
                format!("The copy can be used until {until} (180 days from the annotation)")
            }
            ValidityReason::SpecialtyExpiry { specialty } => format!(
                "The copy can be used until {until} (the specialty “{specialty}” expires before \
                 180 days have passed)"
            ),
            ValidityReason::RegistrationExpiry => format!(
                "The copy can be used until {until} (the registration expires before 180 days \
                 have passed)"
            ),
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
    /// The registration's 注册有效期 has ended.
    RegistrationExpired,
}

impl std::fmt::Display for AnnotationRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SpecialtyExpired { specialty } => write!(
                f,
                "注册专业“{specialty}”已过有效期,无法加注,请先办理延续注册"
            ),
            Self::RegistrationExpired => f.write_str("注册有效期已届满,无法加注,请先办理延续注册"),
        }
    }
}

impl AnnotationRefusal {
    /// The message in English (`Display` is the Chinese; a 注册专业's name stays as the
    /// registry gives it).
    pub fn english(&self) -> String {
        match self {
            Self::SpecialtyExpired { specialty } => format!(
                "The specialty “{specialty}” has expired, so the certificate cannot be \
                 annotated: renew the registration first"
            ),
            Self::RegistrationExpired => {
                "The registration has expired, so the certificate cannot be annotated: renew \
                 the registration first"
                    .to_string()
            }
        }
    }
}

impl From<AnnotationRefusal> for crate::platform::error::Message {
    fn from(refusal: AnnotationRefusal) -> Self {
        Self::new(refusal.to_string(), refusal.english())
    }
}

/// The validity of a 加注 made on `today` for a registration whose 注册有效期 ends on
/// `registration_until` (when the registry gives one) and whose 注册专业 expire on the given
/// dates.
pub fn annotation_validity(
    today: Date,
    registration_until: Option<Date>,
    specialties: &[(String, Date)],
) -> Result<Validity, AnnotationRefusal> {
    let day = |d: Date| crate::domain::time::days_from_civil(d.0, d.1, d.2);
    let today_n = day(today);
    let mut best = Validity {
        until: add_days(today, STANDARD_DAYS - 1),
        reason: ValidityReason::Standard,
    };
    if let Some(until) = registration_until {
        if day(until) < today_n {
            return Err(AnnotationRefusal::RegistrationExpired);
        }
        if day(until) < day(best.until) {
            best = Validity {
                until,
                reason: ValidityReason::RegistrationExpiry,
            };
        }
    }
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
    Ok(best)
}

pub fn add_days(date: Date, days: i64) -> Date {
    crate::domain::time::civil_from_days(
        crate::domain::time::days_from_civil(date.0, date.1, date.2) + days,
    )
}

/// `2027-05-26`
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.0, d.1, d.2)
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
        let v =
            annotation_validity((2026, 11, 28), None, &[sp("建筑工程", (2029, 6, 17))]).unwrap();
        assert_eq!(v.until, (2027, 5, 26));
        assert_eq!(v.reason, ValidityReason::Standard);
        assert!(v.explanation().contains("2027-05-26"));
    }

    #[test]
    fn the_earliest_specialty_expiry_cuts_it_short() {
        let v = annotation_validity(
            (2026, 11, 28),
            None,
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
        let v =
            annotation_validity((2026, 11, 28), None, &[sp("建筑工程", (2026, 11, 28))]).unwrap();
        assert_eq!(v.until, (2026, 11, 28));
        assert_eq!(
            annotation_validity((2026, 11, 28), None, &[sp("建筑工程", (2026, 11, 27))]),
            Err(AnnotationRefusal::SpecialtyExpired {
                specialty: "建筑工程".into()
            })
        );
    }

    #[test]
    fn the_registrations_end_cuts_it_short_and_then_forbids_it() {
        // 注册有效期 to 2027-01-09 (the registry's date, whatever its reason).
        let v = annotation_validity((2026, 11, 28), Some((2027, 1, 9)), &[]).unwrap();
        assert_eq!(v.until, (2027, 1, 9));
        assert_eq!(v.reason, ValidityReason::RegistrationExpiry);
        assert!(v.explanation().contains("注册有效期"));
        assert_eq!(
            annotation_validity((2027, 1, 10), Some((2027, 1, 9)), &[]),
            Err(AnnotationRefusal::RegistrationExpired)
        );
        assert!(annotation_validity((2027, 1, 9), Some((2027, 1, 9)), &[]).is_ok());
        // A specialty that ends sooner still decides.
        let v = annotation_validity(
            (2026, 11, 28),
            Some((2027, 1, 9)),
            &[sp("建筑工程", (2026, 12, 31))],
        )
        .unwrap();
        assert_eq!(v.until, (2026, 12, 31));
    }

    #[test]
    fn nothing_in_the_rule_depends_on_a_birth_date() {
        // Two holders with the same registration and specialties get the same date, and
        // the explanations never speak of age.
        let a = annotation_validity((2026, 11, 28), Some((2028, 1, 1)), &[]).unwrap();
        let b = annotation_validity((2026, 11, 28), Some((2028, 1, 1)), &[]).unwrap();
        assert_eq!(a, b);
        for reason in [
            ValidityReason::Standard,
            ValidityReason::RegistrationExpiry,
            ValidityReason::SpecialtyExpiry {
                specialty: "建筑工程".into(),
            },
        ] {
            let text = Validity {
                until: (2027, 1, 1),
                reason,
            }
            .explanation();
            assert!(!text.contains("周岁") && !text.contains("出生"), "{text}");
        }
    }

    #[test]
    fn leap_days() {
        // 180 days across a leap February: 2027-12-01 + 179 = 2028-05-28.
        let v = annotation_validity((2027, 12, 1), None, &[]).unwrap();
        assert_eq!(v.until, (2028, 5, 28));
        assert_eq!(add_days((2028, 2, 28), 1), (2028, 2, 29));
    }

    #[test]
    fn dates_print_as_the_documents_show_them() {
        assert_eq!(format_date((2027, 5, 6)), "2027-05-06");
    }
}
