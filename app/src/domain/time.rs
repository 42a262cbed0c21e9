//! Calendar arithmetic in 北京时间 (UTC+8) for display and for rules that speak in dates.
//! Pure functions of a Unix timestamp; only [`now`] reads a clock.

/// Seconds east of UTC of the portal's civil time (China Standard Time, no daylight saving).
pub const BEIJING_OFFSET: i64 = 8 * 3600;

/// The current Unix time in seconds: the system clock on the server, the browser's clock in
/// the browser (where `SystemTime` does not exist).
pub fn now() -> i64 {
    #[cfg(all(target_arch = "wasm32", feature = "hydrate"))]
    {
        (web_sys::js_sys::Date::now() / 1000.0) as i64
    }
    #[cfg(not(all(target_arch = "wasm32", feature = "hydrate")))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default()
    }
}

/// (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a civil date (inverse of [`civil_from_days`]).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The Beijing calendar date of a Unix time.
pub fn beijing_date(unix: i64) -> (i64, u32, u32) {
    civil_from_days((unix + BEIJING_OFFSET).div_euclid(86_400))
}

/// `2026-11-28 21:05` in Beijing time.
pub fn format_beijing_minute(unix: i64) -> String {
    let (y, m, d) = beijing_date(unix);
    let secs = (unix + BEIJING_OFFSET).rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60
    )
}

/// `2026-11-28 21:05:09` in Beijing time.
pub fn format_beijing_second(unix: i64) -> String {
    format!(
        "{}:{:02}",
        format_beijing_minute(unix),
        (unix + BEIJING_OFFSET).rem_euclid(60)
    )
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<(i64, u32, u32)> {
    let mut parts = s.trim().splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    let back = civil_from_days(days_from_civil(y, m, d));
    (back == (y, m, d)).then_some((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(parse_date("2028-02-29"), Some((2028, 2, 29)));
        assert_eq!(parse_date("2027-02-29"), None);
        assert_eq!(parse_date("2027-13-01"), None);
    }

    #[test]
    fn civil_round_trip_across_leap_days_and_eras() {
        for days in [-719_468, -1, 0, 59, 11_016, 20_000, 24_471, 100_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 2, 29), 11_016);
        assert_eq!(civil_from_days(11_017), (2000, 3, 1));
    }

    #[test]
    fn beijing_time_is_eight_hours_ahead_of_utc() {
        // 2026-11-28T16:30:00Z is 2026-11-29 00:30 in Beijing.
        let unix = days_from_civil(2026, 11, 28) * 86_400 + 16 * 3600 + 30 * 60;
        assert_eq!(beijing_date(unix), (2026, 11, 29));
        assert_eq!(format_beijing_minute(unix), "2026-11-29 00:30");
        assert_eq!(format_beijing_second(unix + 7), "2026-11-29 00:30:07");
    }
}
