//! A fresh process's start on two cores: while the main thread reads and parses the spec, a
//! helper thread faults in the heap the load and generation are about to fill, then builds the
//! prose reader's patterns.
//!
//! Why: a fresh `list` of the full 2025 spec touches about 40 MB for the first time. The kernel
//! zeroes each 4 KiB page on its first write, 10,500 faults at about 1.6 µs on the machines we
//! measured, and that was a quarter of the command's time, all on the one thread doing the work,
//! with the second core idle. Building the ~30 prose patterns cold is another 4-5 ms on the same
//! thread. Neither is work the command can skip; both can happen beside it.
//!
//! How, with glibc's allocator on Linux: the heap is grown by an estimate of what the command
//! will use, in 4 MiB blocks taken from the heap (not mapped on their own) and freed at once,
//! so they stay as free space at the top of the heap (trimming is turned off), and the
//! allocations that follow are carved out of it. The helper then
//! asks the kernel to fault those pages in (`MADV_POPULATE_WRITE`), which maps them without
//! writing anything, so it never races with the main thread's use of the memory: a page the
//! main thread reached first is simply skipped. Anywhere else (another allocator, an older
//! kernel) the helper only builds the patterns, and the command runs as before.
//!
//! The cost: the estimate is made resident even if the command needs less (it is sized from the
//! spec file, see [`heap_estimate`]), and the memory the command frees is not handed back to the
//! system before it exits.

use std::path::Path;

/// Heap a spec's load and generation use, per byte of spec text: the full 2025 platform spec
/// (2.36 MB of JSON) grows the heap by about 38 MB in a `list` (its parsed tree, operations,
/// cases and patterns); the embedded spec by about 4 MB.
const HEAP_PER_SPEC_BYTE: u64 = 16;

/// No more than this is reserved whatever the spec's size: a larger spec still runs, its later
/// pages faulted in as they are touched.
const MAX_RESERVE: u64 = 128 << 20;

/// What to reserve for a spec of `spec_bytes` bytes.
pub fn heap_estimate(spec_bytes: u64) -> usize {
    let bytes = spec_bytes
        .saturating_mul(HEAP_PER_SPEC_BYTE)
        .min(MAX_RESERVE);
    usize::try_from(bytes).unwrap_or(0)
}

/// Starts the helper for a command that loads the spec at `spec` (the embedded spec when
/// `None`). Returns at once; the helper is not waited for (a command that fails early need not
/// wait, and one that needs a pattern the helper is still building waits for that pattern).
pub fn begin(spec: Option<&Path>) {
    let spec_bytes = match spec {
        // An unreadable file is reported by the load that follows; nothing is reserved for it.
        Some(path) => std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        None => jira_conform::spec::EMBEDDED_SPEC_BYTES as u64,
    };
    // A helper that cannot be started is only a slower start.
    let _ = spawn(heap_estimate(spec_bytes));
}

/// Reserves `bytes` of heap and starts the thread that faults it in, then builds the patterns.
fn spawn(bytes: usize) -> std::io::Result<std::thread::JoinHandle<()>> {
    let reserved = heap::reserve(bytes);
    std::thread::Builder::new()
        .name("warm-start".into())
        .spawn(move || {
            heap::populate(reserved);
            jira_conform::spec::prose::warm_up();
        })
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod heap {
    use std::ops::Range;

    const PAGE: usize = 4096;

    /// The reservation is made of blocks of this size, each then freed.
    const BLOCK: usize = 4 << 20;

    /// While reserving, blocks of this size or more get a mapping of their own, so the blocks
    /// above come from the heap. glibc refuses thresholds above 32 MiB; this one is below it.
    const MAPPED_WHILE_RESERVING: libc::c_int = 2 * BLOCK as libc::c_int;

    /// Afterwards, blocks from this size on get a mapping of their own (glibc's default start),
    /// so a run's large blocks (response bodies, the case list) are mapped and unmapped as
    /// before, which keeps its peak memory where it was.
    const MAPPED_FROM: libc::c_int = 128 << 10;

    /// Grows the heap by about `bytes`, left free at its top; the page-aligned ranges of what
    /// was reserved, for [`populate`] (none when nothing was).
    pub(super) fn reserve(bytes: usize) -> Vec<Range<usize>> {
        let mut ranges: Vec<Range<usize>> = Vec::new();
        if bytes < BLOCK {
            return ranges;
        }
        let mut blocks = Vec::with_capacity(bytes.div_ceil(BLOCK));
        // SAFETY: `mallopt` only changes glibc's tuning (it returns 0 on a value it refuses,
        // which leaves the previous one). Each block is allocated, then freed once below, and
        // never read or written through; only its address is kept, as a number.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MAPPED_WHILE_RESERVING);
            // Never give the top of the heap back: the reservation must outlive the frees.
            libc::mallopt(libc::M_TRIM_THRESHOLD, libc::c_int::MAX);
            for _ in 0..bytes.div_ceil(BLOCK) {
                let block = libc::malloc(BLOCK);
                if block.is_null() {
                    break;
                }
                blocks.push(block);
            }
            for &block in &blocks {
                libc::free(block);
            }
            libc::mallopt(libc::M_MMAP_THRESHOLD, MAPPED_FROM);
        }
        for block in blocks {
            let start = block as usize;
            let first = (start + PAGE - 1) & !(PAGE - 1);
            let end = (start + BLOCK) & !(PAGE - 1);
            // Blocks taken one after another from the top of the heap are adjacent: one range.
            match ranges.last_mut() {
                Some(last) if last.end + PAGE >= first && first >= last.end => last.end = end,
                _ => ranges.push(first..end),
            }
        }
        ranges
    }

    /// Faults `ranges` in, a megabyte at a time from the low end (where the main thread's next
    /// allocations come from): each call holds the process's memory map for reading, and a
    /// short one lets the main thread grow the heap or map a large block in between.
    pub(super) fn populate(ranges: Vec<Range<usize>>) {
        const STEP: usize = 1 << 20;
        for range in ranges {
            let mut at = range.start;
            while at < range.end {
                let len = STEP.min(range.end - at);
                // SAFETY: MADV_POPULATE_WRITE maps the pages of the range writable without
                // changing their contents, so whatever the allocator or the main thread holds
                // there is untouched. The range is within the heap reserved above; if any part
                // of it was unmapped since, the call fails (ENOMEM) and changes nothing, as it
                // does on a kernel before 5.14 (EINVAL). Failures only mean a slower start.
                let failed = unsafe {
                    libc::madvise(at as *mut libc::c_void, len, libc::MADV_POPULATE_WRITE) != 0
                };
                if failed {
                    return;
                }
                at += len;
            }
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod heap {
    use std::ops::Range;

    /// Another allocator: nothing is reserved.
    pub(super) fn reserve(_bytes: usize) -> Vec<Range<usize>> {
        Vec::new()
    }

    pub(super) fn populate(_ranges: Vec<Range<usize>>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_grows_with_the_spec_and_is_capped() {
        assert_eq!(heap_estimate(0), 0);
        assert_eq!(heap_estimate(2_356_379), 37_702_064);
        assert_eq!(heap_estimate(u64::MAX), 128 << 20);
    }

    /// Minor page faults of the calling thread so far.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn thread_faults() -> i64 {
        // SAFETY: getrusage writes one plain struct, zero-initialised here.
        unsafe {
            let mut usage: libc::rusage = std::mem::zeroed();
            assert_eq!(libc::getrusage(libc::RUSAGE_THREAD, &mut usage), 0);
            usage.ru_minflt
        }
    }

    /// Fills `bytes` of new 64 KiB blocks (what a parse allocates is small; a block of 128 KiB
    /// or more gets a fresh mapping of its own) and returns how many page faults that cost this
    /// thread.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn faults_to_fill(bytes: usize) -> i64 {
        let before = thread_faults();
        // Not zeroes: a zeroed block may come as fresh pages the allocator never writes.
        let blocks: Vec<Vec<u8>> = (0..bytes / (64 << 10))
            .map(|_| vec![1u8; 64 << 10])
            .collect();
        std::hint::black_box(&blocks);
        thread_faults() - before
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn a_reserved_heap_is_faulted_in_by_the_helper_not_by_the_thread_that_uses_it() {
        // Each test runs on a thread of its own, which glibc gives an arena of its own: the
        // reservation, the helper's faulting and the allocation below all concern that arena.
        let bytes = 12 << 20;
        let cold = faults_to_fill(bytes / 2);
        spawn(bytes)
            .expect("helper starts")
            .join()
            .expect("helper ends");
        let warm = faults_to_fill(bytes / 2);
        // 6 MiB is 1,536 pages: without the helper, each is a fault of this thread.
        assert!(cold > 1_000, "{cold} faults to fill a fresh block");
        assert!(
            warm < cold / 10,
            "{warm} faults after the reservation, {cold} before"
        );
    }
}
