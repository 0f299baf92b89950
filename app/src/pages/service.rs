use domain::catalog::{EntitySummary, Link};
use domain::store::ServiceDetail;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::not_found::or_missing;
use crate::api::actions::offered_actions;
use crate::api::catalog::{get_entity, get_service};
use crate::components::action_list::ActionsSection;
use crate::components::badge::{LifecycleBadge, Tag};
use crate::components::delivery::DeliverySection;
use crate::components::deployment_history::DeploymentsSection;
use crate::components::environment_detail::EnvironmentsSection;
use crate::components::loaded::loaded;
use crate::components::relations::RelationsSection;
use crate::url::{entity_href, graph_href, impact_href};

/// A service's page: what it is, who owns it, where it belongs, where it runs and the manifest
/// it came from.
#[component]
pub fn ServicePage() -> impl IntoView {
    let params = use_params_map();
    let name = Memo::new(move |_| params.with(|map| map.get("name").unwrap_or_default()));
    let detail = Resource::new(move || name.get(), get_service);
    view! {
        {loaded(detail, "Loading the service…", |detail| or_missing(detail, |detail| view! { <ServiceView detail /> }.into_any(), None))}
    }
}

#[component]
fn ServiceView(detail: ServiceDetail) -> impl IntoView {
    let ServiceDetail { service, owner, system } = detail;
    let heading = service.title.clone().unwrap_or_else(|| service.name.clone());
    // One request for both sections that show actions.
    let offered = Resource::new({
        let name = service.name.clone();
        move || name.clone()
    }, offered_actions);
    // The owner and system link to their pages, or say that the catalog does not have them.
    let owner_view = linked(owner.as_ref(), &service.owner);
    let system_view = service.system.clone().map(|name| linked(system.as_ref(), &name));
    let component = Resource::new({
        let name = service.name.clone();
        move || name.clone()
    }, |name| get_entity("component".to_owned(), "default".to_owned(), name));
    // The page of the deployment history in view, from the address so it works without JavaScript.
    let query = use_query_map();
    let deployments_before = Signal::derive(move || query.with(|query| query.get("deployments_before").and_then(|id| id.parse().ok())));
    view! {
        <Title text=heading.clone() />
        <nav aria-label="Breadcrumb" class="mb-4 text-sm text-slate-500">
            <a href="/services" class="hover:underline">"Services"</a>
            " / "
            <span aria-current="page">{service.name.clone()}</span>
        </nav>
        <div class="mb-6 flex flex-wrap items-start justify-between gap-4">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">{heading}</h1>
                <p class="font-mono text-sm text-slate-500">{service.name.clone()}</p>
                {service.description.clone().map(|text| view! { <p class="mt-2 max-w-3xl text-slate-700 dark:text-slate-300">{text}</p> })}
            </div>
            <LifecycleBadge lifecycle=service.lifecycle.clone() />
        </div>
        <div class="grid gap-6 lg:grid-cols-3">
            <section aria-labelledby="about" class="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
                <h2 id="about" class="mb-3 text-sm font-semibold uppercase tracking-wide text-slate-500">"About"</h2>
                <dl class="grid grid-cols-3 gap-y-2 text-sm">
                    <dt class="text-slate-500">"Owner"</dt>
                    <dd class="col-span-2">{owner_view}</dd>
                    <dt class="text-slate-500">"System"</dt>
                    <dd class="col-span-2">{match system_view {
                        Some(link) => link,
                        None => view! { <span class="text-slate-400">"None"</span> }.into_any(),
                    }}</dd>
                    <dt class="text-slate-500">"Type"</dt>
                    <dd class="col-span-2">{service.kind.clone()}</dd>
                    <dt class="text-slate-500">"Lifecycle"</dt>
                    <dd class="col-span-2">{service.lifecycle.clone()}</dd>
                    <dt class="text-slate-500">"Tags"</dt>
                    <dd class="col-span-2 flex flex-wrap gap-1">{service.tags.clone().into_iter().map(|tag| view! { <Tag tag /> }).collect_view()}</dd>
                    <dt class="text-slate-500">"Declared in"</dt>
                    <dd class="col-span-2 break-all font-mono text-xs">{format!("{}:{}", service.source.file, service.source.line)}</dd>
                </dl>
            </section>
            <section aria-labelledby="links" class="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
                <h2 id="links" class="mb-3 text-sm font-semibold uppercase tracking-wide text-slate-500">"Links"</h2>
                <LinkList links=service.links.clone() />
            </section>
            <section aria-labelledby="annotations" class="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
                <h2 id="annotations" class="mb-3 text-sm font-semibold uppercase tracking-wide text-slate-500">"Annotations"</h2>
                {if service.annotations.is_empty() {
                    view! { <p class="text-sm text-slate-500">"None."</p> }.into_any()
                } else {
                    view! {
                        <dl class="space-y-1 text-xs">
                            {service.annotations.clone().into_iter().map(|(key, value)| view! {
                                <div><dt class="font-mono text-slate-500">{key}</dt><dd class="break-all font-mono">{value}</dd></div>
                            }).collect_view()}
                        </dl>
                    }.into_any()
                }}
            </section>
        </div>
        {loaded(component, "Loading the relations…", |page| page.map_or_else(|| ().into_any(), |page| view! { <ServiceRelations detail=page.detail /> }.into_any()))}
        <ActionsSection service=service.name.clone() offered />
        <EnvironmentsSection service=service.name.clone() offered />
        <DeliverySection service=service.name.clone() />
        <DeploymentsSection service=service.name.clone() before=deployments_before />
        <section aria-labelledby="manifest" class="mt-6">
            <h2 id="manifest" class="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">"Manifest"</h2>
            <pre class="overflow-x-auto rounded-lg bg-slate-900 p-4 text-xs leading-relaxed text-slate-100"><code>{service.manifest.clone()}</code></pre>
        </section>
    }
}

/// A link to the entity `found`, or `written` marked as not in the catalog.
fn linked(found: Option<&EntitySummary>, written: &str) -> AnyView {
    match found {
        Some(entity) => {
            let label = entity.display_name().to_owned();
            view! { <a href=entity_href(&entity.reference()) class="text-indigo-700 hover:underline dark:text-indigo-300">{label}</a> }.into_any()
        }
        None => view! {
            <span class="font-mono text-xs">{written.to_owned()}</span>
            " "
            <span class="text-xs text-rose-700 dark:text-rose-300">"(not in the catalog)"</span>
        }
        .into_any(),
    }
}

#[component]
fn LinkList(links: Vec<Link>) -> impl IntoView {
    if links.is_empty() {
        return view! { <p class="text-sm text-slate-500">"None."</p> }.into_any();
    }
    view! {
        <ul class="space-y-1 text-sm">
            {links.into_iter().map(|link| {
                let label = link.title.clone().unwrap_or_else(|| link.url.clone());
                view! { <li><a href=link.url rel="noopener noreferrer" class="text-indigo-700 hover:underline dark:text-indigo-300">{label}</a></li> }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The component's relations, with its graph and what depends on it.
#[component]
fn ServiceRelations(detail: domain::catalog::EntityDetail) -> impl IntoView {
    let reference = detail.entity.reference();
    view! {
        <RelationsSection groups=detail.related />
        <p class="mt-3 flex flex-wrap gap-4 text-sm">
            <a href=graph_href(&reference, &Default::default()) class="font-medium text-indigo-700 hover:underline dark:text-indigo-300">"Relations graph"</a>
            <a href=impact_href(&reference) class="font-medium text-indigo-700 hover:underline dark:text-indigo-300">"What breaks if this goes down"</a>
        </p>
    }
}
