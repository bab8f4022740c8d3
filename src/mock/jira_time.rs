//! Jira's time formats: duration text (`1w 2d 3h 30m`, weeks of 5 days and days of 8 hours)
//! and timestamps (`2026-01-09T09:00:00.000+0000`: milliseconds and an RFC 822 offset).

use std::time::{SystemTime, UNIX_EPOCH};

/// The longest time spent accepted: 100 years of seconds. Far beyond any real worklog, small
/// enough that no arithmetic on it can overflow.
pub(crate) const MAX_SECONDS: u64 = 100 * 365 * 24 * 3600;

// ---- durations -------------------------------------------------------------------------------

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
/// Jira's default working day.
const DAY: u64 = 8 * HOUR;
/// Jira's default working week.
const WEEK: u64 = 5 * DAY;

/// Jira's duration text (`1w 2d 3h 30m`): weeks of 5 days, days of 8 hours, to the minute.
pub(crate) fn format_duration(seconds: u64) -> String {
    let mut rest = seconds / MINUTE * MINUTE;
    let mut parts = Vec::new();
    for (unit, suffix) in [(WEEK, 'w'), (DAY, 'd'), (HOUR, 'h'), (MINUTE, 'm')] {
        let count = rest / unit;
        if count > 0 {
            parts.push(format!("{count}{suffix}"));
            rest -= count * unit;
        }
    }
    if parts.is_empty() {
        "0m".to_string()
    } else {
        parts.join(" ")
    }
}

/// Reads Jira duration text: numbers with a unit `w`, `d`, `h` or `m` (or none, meaning
/// minutes), optionally fractional (`1.5h`), separated by spaces or not. `None` for anything
/// else, or for more than [`MAX_SECONDS`].
pub(crate) fn parse_duration(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let mut chars = text.chars().peekable();
    while chars.peek().is_some() {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut whole = String::new();
        let mut fraction = String::new();
        while let Some(c) = chars.peek().copied().filter(char::is_ascii_digit) {
            whole.push(c);
            chars.next();
        }
        if chars.peek() == Some(&'.') {
            chars.next();
            while let Some(c) = chars.peek().copied().filter(char::is_ascii_digit) {
                fraction.push(c);
                chars.next();
            }
        }
        if whole.is_empty() && fraction.is_empty() {
            return None;
        }
        let unit = match chars.next() {
            None => MINUTE,
            Some(c) if c.is_whitespace() => MINUTE,
            Some('w' | 'W') => WEEK,
            Some('d' | 'D') => DAY,
            Some('h' | 'H') => HOUR,
            Some('m' | 'M') => MINUTE,
            Some(_) => return None,
        };
        // Long digit strings are refused before they can overflow anything.
        if whole.len() > 12 || fraction.len() > 6 {
            return None;
        }
        let whole: u64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let scale = 10u64.pow(u32::try_from(fraction.len()).ok()?);
        let fraction: u64 = if fraction.is_empty() {
            0
        } else {
            fraction.parse().ok()?
        };
        let seconds = whole
            .checked_mul(unit)?
            .checked_add(fraction.checked_mul(unit)? / scale)?;
        total = total.checked_add(seconds)?;
        if total > MAX_SECONDS {
            return None;
        }
    }
    Some(total)
}

// ---- timestamps ------------------------------------------------------------------------------

/// Milliseconds since the Unix epoch of a Jira timestamp (`2026-01-05T09:00:00.000+0000`: date,
/// time with milliseconds, and an RFC 822 offset), or `None` if it is not one.
pub(crate) fn parse_timestamp(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 28
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'.'
        || !matches!(b[23], b'+' | b'-')
    {
        return None;
    }
    let digits = |from: usize, to: usize| -> Option<i64> {
        b.get(from..to)?.iter().try_fold(0i64, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
        })
    };
    let (year, month, day) = (digits(0, 4)?, digits(5, 7)?, digits(8, 10)?);
    let (hour, minute, second, milli) = (
        digits(11, 13)?,
        digits(14, 16)?,
        digits(17, 19)?,
        digits(20, 23)?,
    );
    let (offset_hours, offset_minutes) = (digits(24, 26)?, digits(26, 28)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
        || offset_hours > 23
        || offset_minutes > 59
    {
        return None;
    }
    let offset = (offset_hours * 60 + offset_minutes) * 60_000;
    let offset = if b[23] == b'-' { -offset } else { offset };
    let local = days_from_civil(year, month, day) * 86_400_000
        + ((hour * 60 + minute) * 60 + second) * 1000
        + milli;
    Some(local - offset)
}

/// A Jira timestamp in UTC for milliseconds since the Unix epoch.
fn format_timestamp(millis: i64) -> String {
    let days = millis.div_euclid(86_400_000);
    let in_day = millis.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute) = (in_day / 3_600_000, in_day / 60_000 % 60);
    let (second, milli) = (in_day / 1000 % 60, in_day % 1000);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}+0000")
}

/// The same instant written in UTC, so stored times compare as text and an update giving the
/// same instant in another offset changes nothing.
pub(crate) fn normalize_timestamp(text: &str) -> Option<String> {
    parse_timestamp(text).map(format_timestamp)
}

/// Now, as a Jira timestamp in UTC.
pub(crate) fn now_timestamp() -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 2));
    format_timestamp(millis)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_in_working_weeks_days_hours_and_minutes() {
        assert_eq!(format_duration(3600), "1h");
        assert_eq!(format_duration(1800), "30m");
        assert_eq!(format_duration(5400), "1h 30m");
        assert_eq!(format_duration(8 * 3600), "1d");
        assert_eq!(format_duration(2 * 8 * 3600), "2d");
        assert_eq!(format_duration(7 * 8 * 3600 + 90), "1w 2d 1m");
        assert_eq!(format_duration(0), "0m");
        assert_eq!(format_duration(59), "0m");
    }

    #[test]
    fn durations_parse_with_units_fractions_and_bare_minutes() {
        assert_eq!(parse_duration("1h"), Some(3600));
        assert_eq!(parse_duration("3h 20m"), Some(12000));
        assert_eq!(parse_duration("1h30m"), Some(5400));
        assert_eq!(parse_duration("90"), Some(5400));
        assert_eq!(parse_duration("2d"), Some(57600));
        assert_eq!(parse_duration("1w"), Some(144_000));
        assert_eq!(parse_duration("1.5h"), Some(5400));
        assert_eq!(parse_duration("0m"), Some(0));
        for bad in [
            "",
            " ",
            "h",
            "1x",
            "1h-",
            "abc",
            "99999999999999999999h",
            "1e9w",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
        assert_eq!(parse_duration("999999999999w"), None);
    }

    #[test]
    fn timestamps_parse_normalize_and_round_trip() {
        let t = parse_timestamp("1970-01-01T00:00:00.000+0000");
        assert_eq!(t, Some(0));
        assert_eq!(
            parse_timestamp("2026-01-05T10:00:00.000+0100"),
            parse_timestamp("2026-01-05T09:00:00.000+0000")
        );
        assert_eq!(
            normalize_timestamp("2026-01-05T04:30:00.123-0500").as_deref(),
            Some("2026-01-05T09:30:00.123+0000")
        );
        assert_eq!(
            format_timestamp(parse_timestamp("2024-02-29T23:59:59.999+0000").unwrap_or(0)),
            "2024-02-29T23:59:59.999+0000"
        );
        for bad in [
            "2026-01-05",
            "2026-01-05T09:00:00.000Z",
            "2026-13-05T09:00:00.000+0000",
            "2025-02-29T09:00:00.000+0000",
            "2026-01-05T24:00:00.000+0000",
            "2026-01-05T09:00:00.000+00:0",
            "2026-01-05T09:00:00,000+0000",
            "２026-01-05T09:00:00.000+000",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad:?}");
        }
    }
}
