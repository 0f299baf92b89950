//! What one environment runs, in a few words: shared by the environments grid and a service's
//! page, so both say the same thing the same way.

use domain::runtime::{GridCell, Health, Observation, ProviderError, RuntimeStatus};
use leptos::prelude::*;

/// Seconds since the Unix epoch on this side: the server while rendering, the browser after.
pub fn now_unix() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        // Whole seconds fit an i64 for any date a browser reports.
        (web_sys::js_sys::Date::now() / 1000.0) as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX))
    }
}

/// `HH:MM:SS` (UTC) of a time in Unix seconds.
pub fn clock_text(unix: i64) -> String {
    let day = unix.rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", day / 3600, day % 3600 / 60, day % 60)
}

/// "45 s ago", "3 min ago", "2 h ago", "4 d ago": how long before `now` `then` was.
pub fn ago_text(then: i64, now: i64) -> String {
    let seconds = now.saturating_sub(then).max(0);
    match seconds {
        0..60 => format!("{seconds} s ago"),
        60..3600 => format!("{} min ago", seconds / 60),
        3600..86_400 => format!("{} h ago", seconds / 3600),
        _ => format!("{} d ago", seconds / 86_400),
    }
}

/// An environment's health in one coloured word.
#[component]
pub fn HealthBadge(health: Health) -> impl IntoView {
    let colour = match health {
        Health::Healthy => "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-300",
        Health::Progressing => "bg-sky-100 text-sky-800 dark:bg-sky-900/40 dark:text-sky-300",
        Health::Degraded => "bg-amber-100 text-amber-800 dark:bg-amber-900/40 dark:text-amber-300",
        Health::Crashed => "bg-rose-100 text-rose-800 dark:bg-rose-900/40 dark:text-rose-300",
        Health::Stopped => "bg-slate-200 text-slate-700 dark:bg-slate-700 dark:text-slate-200",
        Health::Unknown => "bg-slate-100 text-slate-500 dark:bg-slate-800 dark:text-slate-400",
    };
    view! {
        <span data-health=health.as_str() class=format!("inline-flex rounded-full px-2 py-0.5 text-xs font-medium {colour}")>
            {health.as_str()}
        </span>
    }
}

/// Marks a production environment.
#[component]
pub fn ProductionBadge() -> impl IntoView {
    view! {
        <span class="inline-flex rounded bg-violet-100 px-1.5 py-0.5 text-[0.65rem] font-semibold uppercase tracking-wide text-violet-800 dark:bg-violet-900/40 dark:text-violet-300">
            "production"
        </span>
    }
}

/// A version: monospace, cut short when long (an image digest), whole in its title.
#[component]
pub fn VersionText(#[prop(into)] version: String) -> impl IntoView {
    let title = version.clone();
    view! {
        <span data-testid="version" title=title class="inline-block max-w-44 truncate align-bottom font-mono text-xs">
            {version}
        </span>
    }
}

/// Everything the grid says about one environment. `previous` names the environment before it
/// in the service's path, for the drift marker.
#[component]
pub fn CellFacts(cell: GridCell, previous: Option<String>, now: i64) -> impl IntoView {
    let GridCell { environment, observation, drift_from, .. } = cell;
    let Some(Observation { status, observed_at }) = observation else {
        return view! { <span data-state="unobserved" class="text-xs italic text-slate-500">"not observed yet"</span> }.into_any();
    };
    let status = match status {
        Ok(status) => status,
        Err(error) => return view! { <ProviderProblem error observed_at=observed_at.unix_timestamp() now /> }.into_any(),
    };
    let drift = drift_from.map(|from| {
        let before = previous.unwrap_or_else(|| "the environment before".to_owned());
        let own = status.version.clone().unwrap_or_default();
        let title = format!(
            "{environment} runs {own}, another version than {before} before it ({from}): promoting {before} would bring {from} here."
        );
        view! { <DriftMarker text=format!("≠ {before} {from}") title /> }
    });
    view! {
        <div class="flex flex-col gap-1">
            <StatusLine status=status.clone() />
            {status.version.clone().map(|version| view! { <VersionText version /> })}
            {drift}
            {status.deployed_at.map(|at| view! {
                <span class="text-xs text-slate-500 dark:text-slate-400">{format!("deployed {}", ago_text(at.unix_timestamp(), now))}</span>
            })}
        </div>
    }
    .into_any()
}

/// Health and ready/desired instances.
#[component]
pub fn StatusLine(status: RuntimeStatus) -> impl IntoView {
    view! {
        <span class="flex items-center gap-2">
            <HealthBadge health=status.health />
            <span data-testid="ready" title="instances ready / desired" class="tabular-nums text-xs text-slate-600 dark:text-slate-300">
                {format!("{}/{}", status.ready, status.desired)}
            </span>
        </span>
    }
}

/// "≠ staging 1.4.0": this environment runs another version than the one before it.
#[component]
pub fn DriftMarker(text: String, title: String) -> impl IntoView {
    view! {
        <span data-testid="drift" title=title class="inline-flex w-fit rounded bg-amber-50 px-1.5 py-0.5 font-mono text-xs text-amber-800 ring-1 ring-amber-200 dark:bg-amber-950/40 dark:text-amber-300 dark:ring-amber-900">
            {text}
        </span>
    }
}

/// The runtime could not say: one word ("unreachable", "forbidden"...), the message in its
/// title, and how long ago it was asked.
#[component]
pub fn ProviderProblem(error: ProviderError, observed_at: i64, now: i64) -> impl IntoView {
    view! {
        <div class="flex flex-col gap-1">
            <span data-state=error.state() title=error.to_string() class="inline-flex w-fit rounded-full bg-rose-50 px-2 py-0.5 text-xs font-medium text-rose-800 ring-1 ring-rose-200 dark:bg-rose-950/40 dark:text-rose-300 dark:ring-rose-900">
                {error.state()}
            </span>
            <span class="text-xs text-slate-500 dark:text-slate-400">{format!("asked {}", ago_text(observed_at, now))}</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_people_say_them() {
        assert_eq!(ago_text(100, 145), "45 s ago");
        assert_eq!(ago_text(0, 3 * 60 + 5), "3 min ago");
        assert_eq!(ago_text(0, 3 * 3600 + 59), "3 h ago");
        assert_eq!(ago_text(0, 2 * 86_400), "2 d ago");
        // A clock a little ahead of ours is not "in the future".
        assert_eq!(ago_text(200, 100), "0 s ago");
        assert_eq!(clock_text(86_400 + 10 * 3600 + 31 * 60 + 5), "10:31:05");
    }
}
