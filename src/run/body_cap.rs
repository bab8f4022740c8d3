//! What a run keeps of response bodies: each body up to a cap, and all of them together within
//! a run-wide budget, so the memory of a run is bounded whatever a target sends.
//!
//! Every body is kept up to [`BODY_FLOOR_BYTES`] (an error message, a record, a short listing);
//! the bytes beyond that, up to [`BODY_CAP_BYTES`] per body, come out of one allowance of
//! [`KEPT_BODY_BUDGET_BYTES`] shared by the whole run. Once it is spent, each further body is
//! kept up to the floor. The bounds apply to the text as kept, after lossy UTF-8 conversion
//! (an invalid byte becomes U+FFFD, three bytes), so a binary or compressed body cannot grow
//! past them either. The runner never asks for compressed bodies and never decodes one.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

pub use crate::exchange::BODY_CAP_BYTES;

/// What a run keeps of every body whatever the budget says.
pub const BODY_FLOOR_BYTES: usize = 16 * 1024;

/// The bytes beyond [`BODY_FLOOR_BYTES`] that all the bodies of one run may keep together.
pub const KEPT_BODY_BUDGET_BYTES: usize = 32 * 1024 * 1024;

/// The run-wide allowance for body bytes beyond the floor, shared by every request in flight.
#[derive(Debug)]
pub struct BodyBudget {
    cap: usize,
    floor: usize,
    total: usize,
    left: AtomicUsize,
}

impl Default for BodyBudget {
    fn default() -> Self {
        BodyBudget::new(BODY_CAP_BYTES, BODY_FLOOR_BYTES, KEPT_BODY_BUDGET_BYTES)
    }
}

impl BodyBudget {
    /// Bodies kept up to `cap` bytes each, up to `floor` always, and `total` bytes beyond the
    /// floor all together. A floor above the cap is the cap.
    pub fn new(cap: usize, floor: usize, total: usize) -> BodyBudget {
        BodyBudget {
            cap,
            floor: floor.min(cap),
            total,
            left: AtomicUsize::new(total),
        }
    }

    /// Bytes of the allowance not yet given out.
    pub fn left(&self) -> usize {
        self.left.load(Ordering::Relaxed)
    }

    /// Takes up to `want` bytes from the allowance; returns how many it gave.
    fn take(&self, want: usize) -> usize {
        if want == 0 {
            return 0;
        }
        let mut given = 0;
        // `fetch_update` retries on contention, so concurrent bodies never give out more than
        // there is.
        let _ = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                given = want.min(left);
                (given > 0).then(|| left - given)
            });
        given
    }

    /// Gives back what a body took and did not keep.
    fn give_back(&self, bytes: usize) {
        if bytes > 0 {
            self.left.fetch_add(bytes, Ordering::Relaxed);
        }
    }

    /// A reader for one body; `announced` is its `Content-Length`, if any.
    pub fn reader(&self, announced: Option<u64>) -> BodyReader<'_> {
        let mut reader = BodyReader {
            budget: self,
            bytes: Vec::new(),
            allowed: self.floor,
            announced,
            cut: false,
        };
        // Room for the announced length at once (what is not kept is given back), so the
        // buffer does not grow by doubling, leaving holes the allocator keeps.
        if let Some(announced) = announced {
            let announced = usize::try_from(announced).unwrap_or(usize::MAX);
            reader.grow_to(announced);
            reader.bytes.reserve_exact(announced.min(reader.allowed));
        }
        reader
    }
}

/// One body being read: holds at most what the budget allowed it.
#[derive(Debug)]
pub struct BodyReader<'a> {
    budget: &'a BodyBudget,
    bytes: Vec<u8>,
    /// Bytes this body may keep: the floor plus what it took from the allowance.
    allowed: usize,
    announced: Option<u64>,
    cut: bool,
}

impl BodyReader<'_> {
    /// Keeps what it may of `chunk`; `false` once the body is full (the rest need not be read).
    pub fn push(&mut self, chunk: &[u8]) -> bool {
        if self.cut {
            return false;
        }
        let wanted = self.bytes.len() + chunk.len();
        self.grow_to(wanted);
        let take = chunk.len().min(self.allowed - self.bytes.len());
        if self.bytes.len() + take > self.bytes.capacity() {
            // Grow as a Vec would, but never past what this body may keep.
            let target = (self.bytes.capacity() * 2)
                .max(self.bytes.len() + take)
                .min(self.allowed);
            self.bytes.reserve_exact(target - self.bytes.len());
        }
        self.bytes.extend_from_slice(&chunk[..take]);
        if take < chunk.len() {
            self.cut = true;
        }
        !self.cut
    }

    /// Raises what this body may keep towards `wanted` bytes, from the allowance, up to the cap.
    fn grow_to(&mut self, wanted: usize) {
        let wanted = wanted.min(self.budget.cap);
        if wanted > self.allowed {
            self.allowed += self.budget.take(wanted - self.allowed);
        }
    }

    /// The body as text (lossy UTF-8), within what this body may keep, and how it was cut.
    pub fn finish(mut self) -> KeptBody {
        let mut bytes = std::mem::take(&mut self.bytes);
        if self.cut {
            // The cut may fall inside a character: drop its start rather than show it as
            // U+FFFD, which was not sent.
            bytes.truncate(bytes.len() - incomplete_tail(&bytes));
        }
        let (mut text, not_utf8) = match String::from_utf8(bytes) {
            Ok(text) => (text, false),
            Err(e) => {
                let bytes = e.into_bytes();
                self.grow_to(lossy_len(&bytes));
                let (text, shortened) = lossy_within(&bytes, self.allowed);
                self.cut |= shortened;
                (text, true)
            }
        };
        // What this body took beyond what it keeps goes back to the allowance.
        self.budget.give_back(
            self.allowed
                .saturating_sub(text.len().max(self.budget.floor)),
        );
        text.shrink_to_fit();
        let cut = self.cut.then_some(Cut {
            kept: text.len(),
            why: if self.allowed >= self.budget.cap {
                CutReason::Cap(self.budget.cap)
            } else {
                CutReason::Budget {
                    total: self.budget.total,
                    floor: self.budget.floor,
                }
            },
            announced: self.announced,
            not_utf8,
        });
        KeptBody { text, cut }
    }
}

/// A body as the run keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptBody {
    /// The text (lossy UTF-8), within the bounds.
    pub text: String,
    /// How it was cut, when it was.
    pub cut: Option<Cut>,
}

/// Why and where a body was cut; its `Display` is the note the verdict carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// Bytes of text kept.
    pub kept: usize,
    /// Which bound cut it.
    pub why: CutReason,
    /// The `Content-Length` the target announced, if any.
    pub announced: Option<u64>,
    /// Whether the body was not UTF-8 (so it grew when converted to text).
    pub not_utf8: bool,
}

/// The bound that cut a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutReason {
    /// The cap on one body, in bytes.
    Cap(usize),
    /// The run-wide allowance (`total` bytes beyond the `floor`) was spent.
    Budget {
        /// The run-wide allowance.
        total: usize,
        /// What every body keeps anyway.
        floor: usize,
    },
}

impl fmt::Display for Cut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the response body was cut at {}", size(self.kept))?;
        match self.why {
            CutReason::Cap(cap) => write!(f, " (a run keeps at most {} of one body", size(cap))?,
            CutReason::Budget { total, floor } => write!(
                f,
                " (the run had kept its {} of large bodies, so further bodies are kept up to {}",
                size(total),
                size(floor)
            )?,
        }
        if let Some(announced) = self.announced {
            write!(f, "; the target announced {announced} bytes")?;
        }
        if self.not_utf8 {
            f.write_str("; the body is not UTF-8, each invalid byte sequence counts as U+FFFD")?;
        }
        f.write_str("): the rest was neither kept nor checked")
    }
}

/// `2 MiB`, `16 KiB`, `1234 bytes`.
fn size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes % KIB == 0 {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Bytes at the end of `bytes` that start a UTF-8 character without finishing it.
fn incomplete_tail(bytes: &[u8]) -> usize {
    // A character is at most 4 bytes, so an unfinished one is at most 3.
    for n in 1..=bytes.len().min(3) {
        let tail = &bytes[bytes.len() - n..];
        if let Err(e) = std::str::from_utf8(tail) {
            if e.valid_up_to() == 0 && e.error_len().is_none() {
                return n;
            }
        }
    }
    0
}

/// The length of `String::from_utf8_lossy(bytes)`, without building it.
fn lossy_len(bytes: &[u8]) -> usize {
    bytes
        .utf8_chunks()
        .map(|c| c.valid().len() + if c.invalid().is_empty() { 0 } else { 3 })
        .sum()
}

/// `String::from_utf8_lossy(bytes)` cut at `limit` bytes (at a character boundary), never
/// building more; `true` when cut.
fn lossy_within(bytes: &[u8], limit: usize) -> (String, bool) {
    let mut out = String::with_capacity(lossy_len(bytes).min(limit));
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        let room = limit - out.len();
        if valid.len() > room {
            let mut end = room;
            while !valid.is_char_boundary(end) {
                end -= 1;
            }
            out.push_str(&valid[..end]);
            return (out, true);
        }
        out.push_str(valid);
        if !chunk.invalid().is_empty() {
            if limit - out.len() < char::REPLACEMENT_CHARACTER.len_utf8() {
                return (out, true);
            }
            out.push(char::REPLACEMENT_CHARACTER);
        }
    }
    (out, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `body` in chunks of `chunk` bytes, as the runner does.
    fn read(budget: &BodyBudget, body: &[u8], chunk: usize) -> KeptBody {
        let mut reader = budget.reader(Some(body.len() as u64));
        for part in body.chunks(chunk) {
            if !reader.push(part) {
                break;
            }
        }
        reader.finish()
    }

    #[test]
    fn a_body_within_the_floor_is_kept_whole_and_costs_nothing() {
        let budget = BodyBudget::new(100, 10, 50);
        let kept = read(&budget, b"0123456789", 3);
        assert_eq!(kept.text, "0123456789");
        assert_eq!(kept.cut, None);
        assert_eq!(budget.left(), 50);
    }

    #[test]
    fn a_larger_body_takes_from_the_allowance_up_to_the_cap() {
        let budget = BodyBudget::new(30, 10, 100);
        let kept = read(&budget, &[b'a'; 25], 4);
        assert_eq!(kept.text.len(), 25);
        assert_eq!(kept.cut, None);
        assert_eq!(budget.left(), 85);
        let kept = read(&budget, &[b'b'; 40], 7);
        assert_eq!(kept.text, "b".repeat(30));
        let cut = kept.cut.expect("cut at the cap");
        assert_eq!(cut.why, CutReason::Cap(30));
        assert_eq!(budget.left(), 65);
        assert_eq!(
            cut.to_string(),
            "the response body was cut at 30 bytes (a run keeps at most 30 bytes of one body; \
             the target announced 40 bytes): the rest was neither kept nor checked"
        );
    }

    #[test]
    fn once_the_allowance_is_spent_bodies_are_kept_up_to_the_floor() {
        let budget = BodyBudget::new(1024, 16, 40);
        // 16 free + 40 from the allowance, then the allowance is gone mid-body.
        let first = read(&budget, &[b'x'; 100], 8);
        assert_eq!(first.text.len(), 56);
        assert!(matches!(
            first.cut.as_ref().map(|c| c.why),
            Some(CutReason::Budget {
                total: 40,
                floor: 16
            })
        ));
        assert_eq!(budget.left(), 0);
        for _ in 0..3 {
            let later = read(&budget, &[b'y'; 100], 8);
            assert_eq!(later.text.len(), 16);
            assert!(later.cut.is_some());
        }
        let small = read(&budget, b"{}", 8);
        assert_eq!((small.text.as_str(), small.cut), ("{}", None));
        assert!(read(&budget, &[b'z'; 100], 100)
            .cut
            .expect("cut")
            .to_string()
            .starts_with(
                "the response body was cut at 16 bytes (the run had kept its 40 bytes of large \
                 bodies, so further bodies are kept up to 16 bytes"
            ));
    }

    #[test]
    fn what_a_body_announced_and_did_not_send_goes_back() {
        let budget = BodyBudget::new(1000, 10, 500);
        let mut reader = budget.reader(Some(800));
        assert_eq!(budget.left(), 0);
        reader.push(&[b'a'; 50]);
        let kept = reader.finish();
        assert_eq!((kept.text.len(), kept.cut), (50, None));
        assert_eq!(budget.left(), 460);
    }

    #[test]
    fn concurrent_bodies_never_take_more_than_the_allowance() {
        let budget = BodyBudget::new(1 << 20, 1024, 1 << 20);
        let kept: usize = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| read(&budget, &vec![b'q'; 300_000], 4096).text.len()))
                .collect();
            handles.into_iter().map(|h| h.join().expect("joined")).sum()
        });
        assert_eq!(kept, 8 * 1024 + (1 << 20));
        assert_eq!(budget.left(), 0);
    }

    #[test]
    fn binary_bodies_are_bounded_after_conversion_too() {
        // Every byte invalid: the lossy text would be three times as long.
        let budget = BodyBudget::new(64, 16, 0);
        let kept = read(&budget, &[0xff; 12], 5);
        assert_eq!(kept.text, "\u{fffd}".repeat(5));
        let cut = kept.cut.expect("cut when converted");
        assert!(cut.not_utf8);
        assert_eq!(cut.kept, 15);
        assert!(cut.to_string().contains("not UTF-8"), "{cut}");
        // With room in the allowance, the conversion takes what it needs.
        let budget = BodyBudget::new(64, 16, 100);
        let kept = read(&budget, &[0xff; 12], 5);
        assert_eq!(kept.text, "\u{fffd}".repeat(12));
        assert_eq!(kept.cut, None);
        assert_eq!(budget.left(), 100 - 20);
        // Mixed text converts as `from_utf8_lossy` does.
        let mixed = b"ok \xe2\x82 then \xf0\x9f\x98\x80 \xff".to_vec();
        let budget = BodyBudget::default();
        assert_eq!(
            read(&budget, &mixed, 3).text,
            String::from_utf8_lossy(&mixed)
        );
    }

    #[test]
    fn a_cut_inside_a_character_drops_its_start() {
        let budget = BodyBudget::new(5, 5, 0);
        let kept = read(&budget, "abcdé".as_bytes(), 2);
        assert_eq!(kept.text, "abcd");
        assert!(kept.cut.is_some());
        assert!(!kept.cut.expect("cut").not_utf8);
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(BODY_CAP_BYTES), "2 MiB");
        assert_eq!(size(BODY_FLOOR_BYTES), "16 KiB");
        assert_eq!(size(1000), "1000 bytes");
    }
}
