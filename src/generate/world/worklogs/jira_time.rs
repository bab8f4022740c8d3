//! Jira's timestamps (`2026-01-05T09:00:00.000+0000`) as the worklog listing's `startedAfter`
//! and `startedBefore` parameters take them: milliseconds since the epoch.

/// Milliseconds since the epoch of a Jira timestamp (`2026-01-05T09:00:00.000+0000`), for the
/// `startedAfter` / `startedBefore` parameters.
pub fn jira_millis(ts: &str) -> Option<i64> {
    let num = |s: &str| s.parse::<i64>().ok();
    let (date, rest) = ts.split_once('T')?;
    let mut d = date.split('-');
    let (y, m, day) = (num(d.next()?)?, num(d.next()?)?, num(d.next()?)?);
    let (hms, offset) = rest.split_at(rest.find(['+', '-', 'Z']).unwrap_or(rest.len()));
    let mut t = hms.split(':');
    let (h, min) = (num(t.next()?)?, num(t.next()?)?);
    let secs = t.next().unwrap_or("0");
    let (s, ms) = secs.split_once('.').unwrap_or((secs, "0"));
    let (s, ms) = (num(s)?, num(ms)?);
    let offset_min = match offset.as_bytes().first() {
        Some(sign @ (b'+' | b'-')) => {
            let digits = offset[1..].replace(':', "");
            let v = num(digits.get(0..2)?)? * 60 + num(digits.get(2..4).unwrap_or("00"))?;
            if *sign == b'-' {
                -v
            } else {
                v
            }
        }
        _ => 0,
    };
    // Days from the civil date (proleptic Gregorian), after H. Hinnant's algorithm.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + h * 3600 + min * 60 + s) - offset_min * 60) * 1000 + ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jira_timestamps_become_epoch_millis() {
        assert_eq!(jira_millis("1970-01-01T00:00:00.000+0000"), Some(0));
        assert_eq!(
            jira_millis("2026-01-05T09:00:00.000+0000"),
            Some(1_767_603_600_000)
        );
        assert_eq!(
            jira_millis("2026-01-05T10:00:00.000+0100"),
            Some(1_767_603_600_000)
        );
        assert_eq!(jira_millis("yesterday"), None);
    }
}
