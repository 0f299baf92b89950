//! A service's way from code to production on its page: each environment in promotion order
//! with the commit it runs (or why its version names no commit), and between two neighbours
//! what promoting the earlier one would ship, commit by commit. The commit lists are
//! `<details>`, so they open without JavaScript too.

use domain::audit::format_time;
use domain::delivery::code::{Commit, EnvironmentCode, Promotion, Resolution, Rule, ServiceDelivery, Shipment};
use leptos::prelude::*;

use super::environment_facts::{ProductionBadge, VersionText, ago_text, now_unix};
use super::status::{EmptyState, ErrorState, Loading};
use crate::api::environments::get_delivery;
use crate::url::promotion_anchor;

/// The "Delivery" section of `service`'s page.
#[component]
pub fn DeliverySection(service: String) -> impl IntoView {
    let delivery = Resource::new(move || service.clone(), get_delivery);
    view! {
        <section aria-labelledby="delivery" class="mt-6">
            <h2 id="delivery" class="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">"Delivery"</h2>
            <Suspense fallback=|| view! { <Loading label="Reading the commits…" /> }>
                {move || Suspend::new(async move {
                    match delivery.await {
                        Ok(Some(delivery)) => delivery_view(delivery).into_any(),
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn delivery_view(delivery: ServiceDelivery) -> impl IntoView {
    match delivery {
        ServiceDelivery::NoRepository => view! {
            <EmptyState title="No repository named">
                "Give the service a github.com/project-slug annotation (owner/name) to see the commits each environment runs."
            </EmptyState>
        }
        .into_any(),
        ServiceDelivery::NoHistory { repository } => view! {
            <EmptyState title="No code history configured">
                {format!("The portal has no code history to read {repository} from; docs/delivery.md says how to configure one.")}
            </EmptyState>
        }
        .into_any(),
        ServiceDelivery::Known { environments, .. } if environments.is_empty() => view! {
            <EmptyState title="No environments">"The service declares no environments to deliver to."</EmptyState>
        }
        .into_any(),
        ServiceDelivery::Known { repository, environments, promotions } => {
            let now = now_unix();
            view! {
                <p class="mb-2 text-sm text-slate-600 dark:text-slate-400">"Commits of "<span class="font-mono">{repository}</span>", in promotion order."</p>
                <ol class="grid gap-3 lg:grid-flow-col lg:auto-cols-fr" data-testid="delivery">
                    {environments.into_iter().map(|code| view! { <EnvironmentCard code now /> }).collect_view()}
                </ol>
                <div class="mt-3 space-y-2">
                    {promotions.into_iter().map(|promotion| view! { <PromotionView promotion now /> }).collect_view()}
                </div>
            }
            .into_any()
        }
    }
}

#[component]
fn EnvironmentCard(code: EnvironmentCode, now: i64) -> impl IntoView {
    let EnvironmentCode { environment, production, version, resolution } = code;
    let body = match resolution {
        Resolution::Resolved { commit, rule } => {
            let how = match rule {
                Rule::Tag(name) => format!("tag {name}"),
                Rule::Sha => "the version is the commit".to_owned(),
            };
            view! {
                <CommitLine commit now />
                <p class="mt-1 text-xs text-slate-500">"Found by "{how}</p>
            }
            .into_any()
        }
        unresolved => view! { <p class="text-sm text-amber-800 dark:text-amber-300" data-testid="unresolved">{unresolved_text(&unresolved)}</p> }.into_any(),
    };
    let name = environment.clone();
    view! {
        <li class="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900" data-testid="environment-code" data-environment=name>
            <div class="mb-1 flex items-baseline justify-between gap-2">
                <h3 class="font-medium">{environment}" "{production.then(|| view! { <ProductionBadge /> })}</h3>
                {version.map(|version| view! { <VersionText version /> })}
            </div>
            {body}
        </li>
    }
}

/// Why an environment's version names no commit, in a sentence.
fn unresolved_text(resolution: &Resolution) -> String {
    match resolution {
        Resolution::Resolved { .. } => String::new(),
        Resolution::NoVersion => "The runtime has not reported a version yet.".to_owned(),
        Resolution::Digest => "An image digest names a build, not a commit.".to_owned(),
        Resolution::NotFound { tried } if tried.is_empty() => "The version is not a tag name or a commit SHA.".to_owned(),
        Resolution::NotFound { tried } => format!("Not in the repository: looked for {}.", tried.join(", ")),
        Resolution::Failed { reason } => format!("The repository could not be read: {reason}"),
    }
}

/// A commit in one line: its short SHA (a link where the history has a page for it), its
/// summary, author and age.
#[component]
fn CommitLine(commit: Commit, now: i64) -> impl IntoView {
    let short = commit.short_sha().to_owned();
    let sha = match commit.url {
        Some(url) => view! { <a href=url rel="noopener noreferrer" class="font-mono text-indigo-700 hover:underline dark:text-indigo-300">{short}</a> }.into_any(),
        None => view! { <span class="font-mono">{short}</span> }.into_any(),
    };
    let when = format_time(commit.at.saturating_mul(1_000_000));
    view! {
        <p class="text-sm" data-testid="commit" data-sha=commit.sha.clone()>
            {sha}" "<span class="text-slate-800 dark:text-slate-200">{commit.summary}</span>
            <span class="block text-xs text-slate-500">{commit.author}", "<time title=when>{ago_text(commit.at, now)}</time></span>
        </p>
    }
}

#[component]
fn PromotionView(promotion: Promotion, now: i64) -> impl IntoView {
    let Promotion { from, to, shipment } = promotion;
    let id = promotion_anchor(&from, &to);
    let line = |text: String| view! { <p id=id.clone() class="text-sm text-slate-600 dark:text-slate-400" data-testid="promotion">{text}</p> }.into_any();
    match shipment {
        Shipment::Commits { count, behind_by, commits } => {
            let listed = commits.len();
            let behind = (behind_by > 0).then(|| format!(" ({to} also has {} {from} lacks)", commits_text(behind_by)));
            view! {
                <details id=id.clone() class="rounded-lg border border-indigo-200 bg-indigo-50 p-3 dark:border-indigo-900 dark:bg-indigo-950" data-testid="promotion">
                    <summary class="cursor-pointer text-sm font-medium">
                        {format!("{from} is {} ahead of {to}", commits_text(count))}{behind}": what promoting to "{to.clone()}" ships"
                    </summary>
                    <ol class="mt-2 space-y-2">
                        {commits.into_iter().map(|commit| view! { <li><CommitLine commit now /></li> }).collect_view()}
                    </ol>
                    {(usize::try_from(count).unwrap_or(usize::MAX) > listed).then(|| view! {
                        <p class="mt-2 text-xs text-slate-500">{format!("The newest {listed} of {count} are listed.")}</p>
                    })}
                </details>
            }
            .into_any()
        }
        Shipment::Nothing { behind_by: 0 } => line(format!("{to} runs what {from} runs: promoting ships nothing.")),
        Shipment::Nothing { behind_by } => {
            line(format!("{to} is {} ahead of {from}: promoting {from} would take them back out.", commits_text(behind_by)))
        }
        Shipment::Unrelated => line(format!("{from} and {to} run commits that share no history: the repository was rewritten, or one runs another project.")),
        Shipment::Unknown => line(format!("What promoting {from} to {to} ships is not known: one of them runs a version that names no commit.")),
        Shipment::Failed { reason } => line(format!("What promoting {from} to {to} ships could not be read: {reason}")),
    }
}

/// "1 commit", "7 commits".
fn commits_text(count: u32) -> String {
    if count == 1 { "1 commit".to_owned() } else { format!("{count} commits") }
}
