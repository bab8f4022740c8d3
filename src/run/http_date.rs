//! The two timestamp formats rate-limited targets send: HTTP dates in `Retry-After`
//! (RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms) and ISO 8601 in
//! Jira's `X-RateLimit-Reset` (`2024-01-31T12:05Z`, seconds and an offset optional). Pure.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Seconds since the epoch as a time (`None` before 1970).
fn at(seconds: i64) -> Option<SystemTime> {
    u64::try_from(seconds)
        .ok()
        .map(|s| UNIX_EPOCH + Duration::from_secs(s))
}

fn valid(month: u32, day: u32, hour: u32, minute: u32, second: u32) -> bool {
    (1..=12).contains(&month) && (1..=31).contains(&day) && hour < 24 && minute < 60 && second <= 60
}

fn seconds_of(year: i64, month: u32, day: u32, hms: (u32, u32, u32)) -> Option<i64> {
    let (hour, minute, second) = hms;
    valid(month, day, hour, minute, second).then(|| {
        days_from_civil(year, month, day) * 86_400
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second)
    })
}

fn month_number(name: &str) -> Option<u32> {
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(name))
        .map(|i| i as u32 + 1)
}

fn time_of_day(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.split(':').map(|p| p.parse::<u32>().ok());
    let hms = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(hms)
}

/// Parses an HTTP date in any of the three forms RFC 9110 lets a recipient accept.
pub fn parse_http_date(text: &str) -> Option<SystemTime> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let seconds = match words.as_slice() {
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        [_, day, month, year, time, "GMT"] if words[0].ends_with(',') => seconds_of(
            year.parse().ok()?,
            month_number(month)?,
            day.parse().ok()?,
            time_of_day(time)?,
        ),
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT (two-digit years are read as 19xx/20xx the
        // way RFC 9110 asks: within 50 years of now, approximated by < 70 → 20xx).
        [_, date, time, "GMT"] => {
            let mut parts = date.split('-');
            let day = parts.next()?.parse().ok()?;
            let month = month_number(parts.next()?)?;
            let year: i64 = parts.next()?.parse().ok()?;
            let year = match year {
                0..=69 => 2000 + year,
                70..=99 => 1900 + year,
                _ => year,
            };
            seconds_of(year, month, day, time_of_day(time)?)
        }
        // asctime: Sun Nov  6 08:49:37 1994
        [_, month, day, time, year] => seconds_of(
            year.parse().ok()?,
            month_number(month)?,
            day.parse().ok()?,
            time_of_day(time)?,
        ),
        _ => None,
    }?;
    at(seconds)
}

/// Formats a time as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), whole seconds.
pub fn format_http_date(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{}, {day:02} {} {year:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[(days + 4).rem_euclid(7) as usize],
        MONTHS[month as usize - 1],
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// Formats a time as ISO 8601 in UTC with whole seconds (`2024-01-31T12:05:00Z`).
pub fn format_iso8601(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let of_day = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// Parses an ISO 8601 timestamp with a date, hours and minutes, and optionally seconds,
/// fractions of a second and an offset (`Z`, `+01:00`, `+0100`); without an offset it is UTC.
pub fn parse_iso8601(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let (date, rest) = text.split_once(['T', 't', ' '])?;
    let mut d = date.split('-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: u32 = d.next()?.parse().ok()?;
    let day: u32 = d.next()?.parse().ok()?;
    if d.next().is_some() {
        return None;
    }
    let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (time, zone) = rest.split_at(zone_at);
    let time = time.split(['.', ',']).next()?;
    let mut t = time.split(':').map(|p| p.parse::<u32>().ok());
    let hour = t.next()??;
    let minute = t.next()??;
    let second = t.next().unwrap_or(Some(0))?;
    if t.next().is_some() {
        return None;
    }
    let offset = match zone {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 && digits.len() != 2 {
                return None;
            }
            let hours: i64 = digits.get(..2)?.parse().ok()?;
            let minutes: i64 = digits
                .get(2..)
                .filter(|m| !m.is_empty())
                .map_or(Some(0), |m| m.parse().ok())?;
            sign * (hours * 3600 + minutes * 60)
        }
    };
    at(seconds_of(year, month, day, (hour, minute, second))? - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn epoch(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn the_three_http_date_forms_name_the_same_instant() {
        let t = epoch(784_111_777);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(t));
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(t));
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(t));
        assert_eq!(format_http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(parse_http_date("tomorrow"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT"), None);
    }

    #[test]
    fn http_dates_round_trip() {
        for s in [0, 951_782_400, 1_709_210_096, 4_102_444_800] {
            let t = epoch(s);
            assert_eq!(parse_http_date(&format_http_date(t)), Some(t), "{s}");
        }
    }

    #[test]
    fn jira_reset_timestamps_parse() {
        let t = epoch(1_706_702_700); // 2024-01-31T12:05:00Z
        assert_eq!(parse_iso8601("2024-01-31T12:05Z"), Some(t));
        assert_eq!(parse_iso8601("2024-01-31T12:05:00.250Z"), Some(t));
        assert_eq!(parse_iso8601("2024-01-31T13:05:00+01:00"), Some(t));
        assert_eq!(parse_iso8601("2024-01-31T07:05:00-0500"), Some(t));
        assert_eq!(parse_iso8601("2024-01-31T12:05:00"), Some(t));
        assert_eq!(format_iso8601(t), "2024-01-31T12:05:00Z");
        assert_eq!(parse_iso8601("2024-01-31"), None);
        assert_eq!(parse_iso8601("soon"), None);
    }
}
