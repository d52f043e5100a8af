//! Fleets: many config files in one run. Arguments become a sorted list of
//! files ([`inputs`]); each file is handled on its own by a job that
//! shares the catalog and rule book read-only, on every core, its write
//! left to threads that wait on the disk ([`run`]); the results come back
//! in path order whatever the threads did, and reports of several runs or
//! hosts merge into one ([`merge`]).
//!
//! One file's failure is its own: it becomes that file's entry, and the
//! others complete.

pub mod inputs;
pub mod merge;

use rayon::prelude::*;
use std::sync::{Mutex, OnceLock, mpsc};

/// How a run is spread over threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Reading and computing: one thread a core.
    Compute,
    /// Also writing files, each flushed to disk: what a job leaves for
    /// later (the write) runs on threads of its own, many more than cores,
    /// while the cores compute the next files (a thread waiting on the
    /// disk uses no core, and the file system commits concurrent flushes
    /// together).
    Write,
}

/// Threads that wait on the disk, per core.
const WRITE_THREADS_PER_CORE: usize = 4;

/// What a job leaves to do once it has computed (writing a file): owned
/// data only, since it runs on another thread.
pub type Later<R> = Box<dyn FnOnce() -> R + Send>;

/// Runs `job` on every item, on every core, and returns, in the items'
/// order, each job's result with the outcome of what it left for later.
/// With [`Work::Write`], what a job leaves runs on writing threads (many
/// more than cores, blocked while there is nothing to write) while the
/// cores go on; otherwise right after the job. `tick` is called
/// once an item is done (for a progress bar), from the thread that ended it.
pub fn run<I, T, R, J, P>(items: &[I], work: Work, job: J, tick: P) -> Vec<(T, Option<R>)>
where
    I: Sync,
    T: Send,
    R: Send + Sync,
    J: Fn(&I) -> (T, Option<Later<R>>) + Sync,
    P: Fn() + Sync,
{
    let slots: Vec<OnceLock<R>> = items.iter().map(|_| OnceLock::new()).collect();
    let inline = |i: usize, item: &I| {
        let (result, later) = job(item);
        if let Some(later) = later {
            let _ = slots[i].set(later());
        }
        tick();
        result
    };
    let results: Vec<T> = if work == Work::Write && items.len() > 1 {
        // Plain threads blocked on a channel: a thread pool's idle workers
        // would spin, taking the cores from the jobs.
        let writers = (rayon::current_num_threads() * WRITE_THREADS_PER_CORE).max(8);
        let (send, receive) = mpsc::channel::<(usize, Later<R>)>();
        let receive = Mutex::new(receive);
        std::thread::scope(|scope| {
            for _ in 0..writers.min(items.len()) {
                scope.spawn(|| {
                    loop {
                        let next = match receive.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => return,
                        };
                        let Ok((i, later)) = next else { return };
                        let _ = slots[i].set(later());
                        tick();
                    }
                });
            }
            let results = each(items, |i, item| {
                let (result, later) = job(item);
                match later {
                    Some(later) => {
                        if let Err(mpsc::SendError((i, later))) = send.send((i, later)) {
                            // No writer left: write here.
                            let _ = slots[i].set(later());
                            tick();
                        }
                    }
                    None => tick(),
                }
                result
            });
            // The writers end once everything sent is written.
            drop(send);
            results
        })
    } else {
        each(items, inline)
    };
    results
        .into_iter()
        .zip(slots)
        .map(|(result, slot)| (result, slot.into_inner()))
        .collect()
}

/// `f` over every item with its index, in parallel on every core (the
/// usual pool), results in the items' order.
fn each<I, T, F>(items: &[I], f: F) -> Vec<T>
where
    I: Sync,
    T: Send,
    F: Fn(usize, &I) -> T + Sync,
{
    if items.len() < 2 || rayon::current_num_threads() < 2 {
        return items
            .iter()
            .enumerate()
            .map(|(i, item)| f(i, item))
            .collect();
    }
    items
        .par_iter()
        .enumerate()
        .map(|(i, item)| f(i, item))
        .collect()
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
                    let pause = std::time::Duration::from_micros((i * 7919) % 50);
                    std::thread::sleep(pause);
                    let later: Option<Later<u64>> = (i % 3 == 0).then(|| {
                        Box::new(move || {
                            std::thread::sleep(pause);
                            i + 1
                        }) as Later<u64>
                    });
                    (i * 2, later)
                },
                || {
                    ticks.fetch_add(1, Ordering::Relaxed);
                },
            );
            let want: Vec<(u64, Option<u64>)> = items
                .iter()
                .map(|&i| (i * 2, (i % 3 == 0).then_some(i + 1)))
                .collect();
            assert_eq!(out, want);
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
