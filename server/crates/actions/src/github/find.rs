//! Finding the run a dispatch started when GitHub's answer does not name it (GitHub Enterprise
//! Server releases before `return_run_details`).
//!
//! The dispatch answer says nothing, so the run is recognised by what it must look like: a
//! `workflow_dispatch` run of that workflow on that branch, created at or after the moment
//! just before the dispatch (less some clock skew between the portal and GitHub), and not
//! already taken by another dispatch of this portal. The newest such run is taken.
//!
//! The race this leaves: another dispatch of the same workflow on the same branch made at
//! about the same time by someone else (a person on github.com, another portal) can be taken
//! for ours, and two of this portal's own dispatches may swap runs. Both runs then exist and
//! are followed; only which run page a portal run links to may be wrong. Telling them apart
//! for certain would need an input the workflow echoes into its run name, which the action
//! files do not require.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use time::OffsetDateTime;

use super::wire::{Run, parse_time};

/// Runs remembered as taken; older ones are long outside any search window.
const REMEMBERED: usize = 512;

/// How to look for the run a dispatch started.
#[derive(Clone, Copy, Debug)]
pub struct RunSearch {
    /// Between two looks at the listing.
    pub interval: Duration,
    /// Longest wait for the run to appear before [`super::GithubActionsError::RunNotFound`].
    pub timeout: Duration,
    /// How far GitHub's clock may be behind the portal's.
    pub skew: Duration,
}

impl Default for RunSearch {
    /// GitHub usually lists a new run within a second or two.
    fn default() -> Self {
        Self { interval: Duration::from_secs(1), timeout: Duration::from_secs(30), skew: Duration::from_secs(5) }
    }
}

/// The run ids this portal's dispatches have taken, shared by every clone of the client.
#[derive(Clone, Default)]
pub(super) struct Claimed(Arc<Mutex<VecDeque<u64>>>);

impl Claimed {
    /// Marks `id` as taken.
    pub(super) fn claim(&self, id: u64) {
        let mut ids = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if !ids.contains(&id) {
            remember(&mut ids, id);
        }
    }

    /// Takes the newest run created at or after `since` that no dispatch has taken yet.
    pub(super) fn take_newest(&self, runs: &[Run], since: OffsetDateTime) -> Option<u64> {
        let mut ids = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let newest = runs
            .iter()
            .filter(|run| !ids.contains(&run.id))
            .filter_map(|run| Some((parse_time(&run.created_at)?, run.id)))
            .filter(|(created, _)| *created >= since)
            .max()?;
        remember(&mut ids, newest.1);
        Some(newest.1)
    }
}

fn remember(ids: &mut VecDeque<u64>, id: u64) {
    if ids.len() >= REMEMBERED {
        ids.pop_front();
    }
    ids.push_back(id);
}

/// The instant runs must be created at or after: a second before now (GitHub's times have
/// no fractions), less the clock skew.
pub(super) fn search_start(skew: Duration) -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    let floor = now.replace_nanosecond(0).unwrap_or(now);
    floor - skew
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: u64, created_at: &str) -> Run {
        Run { id, html_url: String::new(), status: None, conclusion: None, created_at: created_at.to_owned() }
    }

    #[test]
    fn the_newest_unclaimed_run_since_the_dispatch_is_taken_once() {
        let since = parse_time("2024-05-01T12:00:00Z").expect("time");
        let runs = [run(3, "2024-05-01T12:00:02Z"), run(2, "2024-05-01T12:00:01Z"), run(1, "2024-05-01T11:59:59Z")];
        let claimed = Claimed::default();
        assert_eq!(claimed.take_newest(&runs, since), Some(3));
        assert_eq!(claimed.take_newest(&runs, since), Some(2), "a second dispatch gets the other run");
        assert_eq!(claimed.take_newest(&runs, since), None, "run 1 is older than the dispatch");
        claimed.claim(7);
        assert_eq!(claimed.take_newest(&[run(7, "2024-05-01T12:00:05Z")], since), None);
    }
}
