//! Run ids: every case gets its own, so mutating cases never share a key and can run in
//! parallel, and a left-over on a real site is recognisable by its `j` prefix.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::case::RUN_ID_LEN;

const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

fn base36(mut n: u64, width: usize) -> String {
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(n % 36) as usize];
        n /= 36;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// A prefix unique to this run (three base-36 characters from the clock and process id).
pub fn run_prefix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    base36(nanos ^ u64::from(std::process::id()).rotate_left(17), 3)
}

/// The run id of the case at `index`: `j` + run prefix + the index in base 36.
pub fn case_run_id(prefix: &str, index: usize) -> String {
    let id = format!(
        "j{prefix}{}",
        base36(index as u64, RUN_ID_LEN - 1 - prefix.len())
    );
    debug_assert_eq!(id.len(), RUN_ID_LEN);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_have_the_token_length_and_differ_per_case() {
        let p = run_prefix();
        let a = case_run_id(&p, 0);
        let b = case_run_id(&p, 1);
        assert_eq!(a.len(), crate::case::RUN_TOKEN.len());
        assert_ne!(a, b);
        assert!(a.starts_with('j'));
    }
}
