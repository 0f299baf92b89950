//! Load generator for live logs: signs in as the demo user, opens N followers of one
//! environment's log stream and measures, for every line, the time from when the portal read it
//! from the process to when each follower received it.
//!
//! Usage: log_followers BASE_URL SERVICE ENVIRONMENT [FOLLOWERS=1000] [SECONDS=30]
//! Used by deploy/bench/log_followers.sh; the figures are in docs/performance.md.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Default)]
struct Totals {
    latencies_ms: Vec<f64>,
    dropped: u64,
    failed: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, base, service, environment, rest @ ..] = args.as_slice() else {
        anyhow::bail!("usage: log_followers BASE_URL SERVICE ENVIRONMENT [FOLLOWERS] [SECONDS]");
    };
    let followers: usize = rest.first().map_or(Ok(1000), |n| n.parse())?;
    let seconds: u64 = rest.get(1).map_or(Ok(30), |n| n.parse())?;
    let client = reqwest::Client::builder().cookie_store(true).pool_max_idle_per_host(followers).build()?;
    let signed_in = client.post(format!("{base}/auth/demo")).form(&[("next", "/")]).send().await?;
    anyhow::ensure!(signed_in.status().is_success() || signed_in.status().is_redirection(), "demo sign-in failed");
    let url = format!("{base}/api/logs/{service}/{environment}");
    let totals = Arc::new(Mutex::new(Totals::default()));
    // Followers connect 50 at a time, 100 ms apart, as browsers opening a page would; latency
    // counts only lines written once all are connected.
    let ramp = Duration::from_millis(100) * u32::try_from(followers / 50).unwrap_or(u32::MAX);
    let started = OffsetDateTime::now_utc() + ramp;
    let deadline = tokio::time::Instant::now() + ramp + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for i in 0..followers {
        let (client, url, totals) = (client.clone(), url.clone(), totals.clone());
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100) * u32::try_from(i / 50).unwrap_or(u32::MAX)).await;
            let connected = client.get(&url).send().await.ok().filter(|r| r.status().is_success());
            let Some(mut response) = connected else {
                totals.lock().map(|mut t| t.failed += 1).ok();
                return;
            };
            let mut buffer = String::new();
            let mut mine = Vec::new();
            let mut dropped = 0;
            while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, response.chunk()).await {
                let received = OffsetDateTime::now_utc();
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buffer.find("\n\n") {
                    let block: String = buffer.drain(..end + 2).collect();
                    if block.contains("event: dropped") {
                        dropped += 1;
                    }
                    let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: ")) else { continue };
                    let Ok(value) = serde_json::from_str::<serde_json::Value>(data) else { continue };
                    let Some(at) = value["at"].as_str().and_then(|at| OffsetDateTime::parse(at, &Rfc3339).ok()) else { continue };
                    // Lines from before the run are the replayed tail, not fan-out.
                    if at > started {
                        mine.push((received - at).as_seconds_f64() * 1000.0);
                    }
                }
            }
            if let Ok(mut totals) = totals.lock() {
                totals.latencies_ms.extend(mine);
                totals.dropped += dropped;
            }
        }));
    }
    for task in tasks {
        task.await?;
    }
    let mut totals = Arc::try_unwrap(totals).map_err(|_| anyhow::anyhow!("followers still running"))?.into_inner().map_err(|_| anyhow::anyhow!("poisoned"))?;
    totals.latencies_ms.sort_by(f64::total_cmp);
    let at = |q: f64| totals.latencies_ms.get(((totals.latencies_ms.len() as f64 - 1.0) * q) as usize).copied().unwrap_or(f64::NAN);
    println!("followers: {followers}, seconds: {seconds}, failed to connect: {}", totals.failed);
    println!("lines delivered: {} ({:.0} per follower)", totals.latencies_ms.len(), totals.latencies_ms.len() as f64 / followers as f64);
    println!("fan-out latency ms: p50 {:.1}, p99 {:.1}, max {:.1}", at(0.5), at(0.99), at(1.0));
    println!("dropped-line markers: {}", totals.dropped);
    Ok(())
}
