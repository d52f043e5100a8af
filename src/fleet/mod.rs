//! Fleets: many config files in one run. Arguments become a sorted list of
//! files ([`inputs`]); each file is handled on its own by a job that
//! shares the catalog and rule book read-only, on every core ([`run`]); the
//! results come back in path order whatever the threads did, and reports of
//! several runs or hosts merge into one ([`merge`]).
//!
//! One file's failure is its own: it becomes that file's entry, and the
//! others complete.

pub mod inputs;
pub mod merge;

use rayon::prelude::*;

/// How a run is spread over threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Reading and computing: one thread a core.
    Compute,
    /// Also writing files, each flushed to disk: a thread waiting on the
    /// disk leaves its core idle, so there are more threads than cores
    /// (the file system also commits concurrent flushes together).
    Write,
}

/// Threads per core when each job also waits on the disk.
const WRITE_THREADS_PER_CORE: usize = 4;

/// Runs `job` on every item, in parallel, and returns the results in the
/// items' order. `tick` is called once as each job ends (for a progress
/// bar), from the thread that ran it.
pub fn run<I, T, J, P>(items: &[I], work: Work, job: J, tick: P) -> Vec<T>
where
    I: Sync,
    T: Send,
    J: Fn(&I) -> T + Sync,
    P: Fn() + Sync,
{
    let each = |item: &I| {
        let out = job(item);
        tick();
        out
    };
    let cores = rayon::current_num_threads();
    let threads = match work {
        Work::Compute => cores,
        Work::Write => (cores * WRITE_THREADS_PER_CORE).max(8),
    };
    if items.len() < 2 || threads < 2 {
        return items.iter().map(each).collect();
    }
    let work = || items.par_iter().map(each).collect();
    if threads == cores {
        return work();
    }
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(work),
        // No more threads to be had: the usual pool still does the work.
        Err(_) => work(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn results_keep_the_order_of_the_items_and_every_job_ticks() {
        let items: Vec<u64> = (0..500).collect();
        let ticks = AtomicUsize::new(0);
        for work in [Work::Compute, Work::Write] {
            let out = run(
                &items,
                work,
                |&i| {
                    // Uneven work, so that threads finish out of order.
                    std::thread::sleep(std::time::Duration::from_micros((i * 7919) % 50));
                    i * 2
                },
                || {
                    ticks.fetch_add(1, Ordering::Relaxed);
                },
            );
            assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
        assert_eq!(ticks.load(Ordering::Relaxed), 1000);
    }

    #[test]
    fn the_catalog_and_rule_book_can_be_shared_between_threads() {
        fn shared<T: Sync + Send>() {}
        shared::<crate::release::Catalog>();
        shared::<crate::migrate::RuleBook>();
        fn sent<T: Send>() {}
        sent::<crate::conf::Document>();
    }
}
