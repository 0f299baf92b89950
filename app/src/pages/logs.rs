use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::not_found::or_missing;
use crate::api::environments::{LogPage, log_view};
use crate::components::environment_facts::ProductionBadge;
use crate::components::loaded::loaded;
use crate::components::log_controls::LogControls;
use crate::components::log_feed::LogFeed;
use crate::components::log_panel::LogPanel;
use crate::components::log_stream::follow;
use crate::url::{logs_download_href, logs_stream_href, service_href};

/// Live logs of one environment of a service. The lines come from the stream once the page runs
/// in the browser; without JavaScript the page offers the download.
#[component]
pub fn LogsPage() -> impl IntoView {
    let params = use_params_map();
    let target = Memo::new(move |_| {
        params.with(|map| (map.get("name").unwrap_or_default(), map.get("environment").unwrap_or_default()))
    });
    let view_data = Resource::new(move || target.get(), |(service, environment)| log_view(service, environment));
    view! {
        {loaded(view_data, "Loading the logs page…", |page| or_missing(page, |page| view! { <Logs page /> }.into_any(), None))}
    }
}

#[component]
fn Logs(page: LogPage) -> impl IntoView {
    let LogPage { service, environment, production, runtime, refusal } = page;
    let body = match refusal {
        Some(reason) => view! {
            <div role="alert" data-testid="logs-refused" class="rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200">
                <p class="font-medium">"You may not read these logs."</p>
                <p class="mt-1">{reason}</p>
            </div>
        }
        .into_any(),
        None => {
            let feed = LogFeed::default();
            follow(feed, logs_stream_href(&service, &environment));
            let download = logs_download_href(&service, &environment);
            view! {
                <LogControls feed download=download.clone() />
                <LogPanel feed download />
            }
            .into_any()
        }
    };
    view! {
        <Title text=format!("Logs of {service} in {environment}") />
        <nav aria-label="Breadcrumb" class="mb-4 text-sm text-slate-500">
            <a href="/services" class="hover:underline">"Services"</a>
            " / "
            <a href=service_href(&service) class="hover:underline">{service.clone()}</a>
            " / "
            <span aria-current="page">{format!("Logs in {environment}")}</span>
        </nav>
        <div class="mb-4 flex flex-wrap items-center gap-3">
            <h1 class="text-2xl font-semibold tracking-tight">{format!("{service} logs")}</h1>
            <span class="rounded bg-slate-100 px-2 py-0.5 font-mono text-sm dark:bg-slate-800">{environment.clone()}</span>
            {production.then(|| view! { <ProductionBadge /> })}
            <span class="text-sm text-slate-500">{format!("on {runtime}")}</span>
            {production.then(|| view! {
                <p class="w-full text-xs text-slate-500">"Reading a production environment's logs is recorded in the audit log."</p>
            })}
        </div>
        {body}
    }
}
