//! Any entity's page: what it is, who owns it, what only its kind has (a person's profile, an
//! API's definition, a template's parameters, a location's targets) and its relations.

use domain::catalog::api_doc::ApiView;
use domain::catalog::{Details, EntityDetail, TemplateParameter};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::not_found::or_missing;
use crate::api::catalog::{EntityPageData, get_entity};
use crate::components::api_definition::ApiDefinition;
use crate::components::badge::{LifecycleBadge, Tag};
use crate::components::loaded::loaded;
use crate::components::relations::RelationsSection;
use crate::url::{entity_href, graph_href, impact_href, kind_href, service_href};

const CARD: &str = "rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900";
const HEADING: &str = "mb-3 text-sm font-semibold uppercase tracking-wide text-slate-500";

/// `/catalog/:kind/:namespace/:name`.
#[component]
pub fn EntityPage() -> impl IntoView {
    let params = use_params_map();
    let key = Memo::new(move |_| {
        params.with(|map| {
            let get = |key: &str| map.get(key).unwrap_or_default();
            (get("kind"), get("namespace"), get("name"))
        })
    });
    let detail = Resource::new(move || key.get(), |(kind, namespace, name)| get_entity(kind, namespace, name));
    view! {
        {loaded(detail, "Loading the entity…", |page| or_missing(page, |page| view! { <EntityView page /> }.into_any(), None))}
    }
}

#[component]
fn EntityView(page: EntityPageData) -> impl IntoView {
    let EntityPageData { detail: EntityDetail { entity, related, is_service }, definition } = page;
    let heading = entity.display_name().to_owned();
    let reference = entity.reference();
    let owner = entity.owner.clone().map(|owner| {
        let label = owner.humanised(Some("group"));
        view! { <a href=entity_href(&owner) class="text-indigo-700 hover:underline dark:text-indigo-300">{label}</a> }
    });
    let fact = |label: &'static str, value: Option<String>| {
        value.map(|value| view! { <dt class="text-slate-500">{label}</dt><dd class="col-span-2">{value}</dd> })
    };
    view! {
        <Title text=heading.clone() />
        <nav aria-label="Breadcrumb" class="mb-4 text-sm text-slate-500">
            <a href=kind_href(entity.kind) class="hover:underline">{entity.kind.plural()}</a>
            " / "
            <span aria-current="page">{reference.humanised(None)}</span>
        </nav>
        <div class="mb-6 flex flex-wrap items-start justify-between gap-4">
            <div>
                <p class="text-xs font-semibold uppercase tracking-wide text-slate-500">{entity.kind.label()}</p>
                <h1 class="text-2xl font-semibold tracking-tight">{heading}</h1>
                <p class="font-mono text-sm text-slate-500">{reference.to_string()}</p>
                {entity.description.clone().map(|text| view! { <p class="mt-2 max-w-3xl text-slate-700 dark:text-slate-300">{text}</p> })}
                <div class="mt-3 flex flex-wrap items-center gap-3 text-sm">
                    {is_service.then(|| view! {
                        <a href=service_href(&entity.name) class="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 dark:bg-white dark:text-slate-900">
                            "Open the service: environments, logs and actions"
                        </a>
                    })}
                    <a href=graph_href(&reference, &Default::default()) class="font-medium text-indigo-700 hover:underline dark:text-indigo-300">"Relations graph"</a>
                    <a href=impact_href(&reference) class="font-medium text-indigo-700 hover:underline dark:text-indigo-300">"What breaks if this goes down"</a>
                </div>
            </div>
            {entity.lifecycle.clone().map(|lifecycle| view! { <LifecycleBadge lifecycle /> })}
        </div>
        <div class="grid gap-6 lg:grid-cols-3">
            <section aria-labelledby="about" class=CARD>
                <h2 id="about" class=HEADING>"About"</h2>
                <dl class="grid grid-cols-3 gap-y-2 text-sm">
                    {owner.map(|owner| view! { <dt class="text-slate-500">"Owner"</dt><dd class="col-span-2">{owner}</dd> })}
                    {fact("Type", entity.spec_type.clone())}
                    {fact("Namespace", Some(entity.namespace.clone()))}
                    {(!entity.tags.is_empty()).then(|| view! {
                        <dt class="text-slate-500">"Tags"</dt>
                        <dd class="col-span-2 flex flex-wrap gap-1">{entity.tags.clone().into_iter().map(|tag| view! { <Tag tag /> }).collect_view()}</dd>
                    })}
                    <dt class="text-slate-500">"Declared in"</dt>
                    <dd class="col-span-2 break-all font-mono text-xs">{format!("{}:{}", entity.source.file, entity.source.line)}</dd>
                </dl>
            </section>
            <section aria-labelledby="links" class=CARD>
                <h2 id="links" class=HEADING>"Links"</h2>
                {if entity.links.is_empty() {
                    view! { <p class="text-sm text-slate-500">"None."</p> }.into_any()
                } else {
                    view! {
                        <ul class="space-y-1 text-sm">
                            {entity.links.clone().into_iter().map(|link| {
                                let label = link.title.clone().unwrap_or_else(|| link.url.clone());
                                view! { <li><a href=link.url rel="noopener noreferrer" class="text-indigo-700 hover:underline dark:text-indigo-300">{label}</a></li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <KindDetails details=entity.details.clone() definition />
        </div>
        <RelationsSection groups=related />
    }
}

/// What only the entity's kind has.
#[component]
fn KindDetails(details: Details, definition: Option<ApiView>) -> impl IntoView {
    match details {
        Details::Profile(profile) => view! {
            <section aria-labelledby="profile" class=CARD>
                <h2 id="profile" class=HEADING>"Profile"</h2>
                <dl class="grid grid-cols-3 gap-y-2 text-sm">
                    <dt class="text-slate-500">"Name"</dt>
                    <dd class="col-span-2">{profile.display_name.unwrap_or_else(|| "Not given".to_owned())}</dd>
                    <dt class="text-slate-500">"Email"</dt>
                    <dd class="col-span-2">{match profile.email.map(|email| (format!("mailto:{email}"), email)) {
                        Some((href, email)) => view! { <a href=href class="text-indigo-700 hover:underline dark:text-indigo-300">{email}</a> }.into_any(),
                        None => view! { <span class="text-slate-400">"Not given"</span> }.into_any(),
                    }}</dd>
                </dl>
            </section>
        }
        .into_any(),
        Details::Api(written) => view! {
            <section aria-labelledby="definition" class="lg:col-span-3">
                <h2 id="definition" class=HEADING>"Definition"</h2>
                <ApiDefinition view=definition.unwrap_or(ApiView::Empty) from=written.from />
            </section>
        }
        .into_any(),
        Details::McpServer { remotes } => view! {
            <section aria-labelledby="remotes" class=CARD>
                <h2 id="remotes" class=HEADING>"Where clients connect"</h2>
                <ul class="space-y-1 text-sm">
                    {remotes.into_iter().map(|remote| view! { <li><span class="text-slate-500">{remote.kind}": "</span><code class="break-all">{remote.url}</code></li> }).collect_view()}
                </ul>
            </section>
        }
        .into_any(),
        Details::Location { targets, .. } => view! {
            <section aria-labelledby="targets" class=CARD data-testid="location-targets">
                <h2 id="targets" class=HEADING>"Targets"</h2>
                <ul class="space-y-2 text-xs">
                    {targets.into_iter().map(|target| view! {
                        <li>
                            <code class="break-all">{target.target}</code>
                            {if target.files.is_empty() {
                                view! { <p class="text-slate-500">"No file read from it."</p> }.into_any()
                            } else {
                                view! { <ul class="ml-4 list-disc font-mono text-slate-500">{target.files.into_iter().map(|file| view! { <li class="break-all">{file}</li> }).collect_view()}</ul> }.into_any()
                            }}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
        .into_any(),
        Details::Template { parameters } => view! { <TemplateParameters parameters /> }.into_any(),
        Details::None => ().into_any(),
    }
}

#[component]
fn TemplateParameters(parameters: Vec<TemplateParameter>) -> impl IntoView {
    view! {
        <section aria-labelledby="parameters" class="lg:col-span-3">
            <h2 id="parameters" class=HEADING>"Parameters"</h2>
            <p class="mb-2 text-xs text-slate-500">"What a person fills in to use this template. Portico lists templates; it does not run them."</p>
            {if parameters.is_empty() {
                view! { <p class="text-sm text-slate-500">"This template asks for nothing."</p> }.into_any()
            } else {
                view! {
                    <table class="w-full text-left text-sm">
                        <thead class="text-xs uppercase text-slate-500"><tr><th class="py-1">"Name"</th><th>"Type"</th><th>"Required"</th><th>"Description"</th></tr></thead>
                        <tbody>
                            {parameters.into_iter().map(|p| view! {
                                <tr class="border-t border-slate-200 dark:border-slate-800">
                                    <td class="py-1"><span class="font-mono">{p.name}</span>{p.title.map(|title| view! { <span class="ml-2 text-slate-500">{title}</span> })}</td>
                                    <td>{p.kind.unwrap_or_default()}</td>
                                    <td>{if p.required { "yes" } else { "no" }}</td>
                                    <td>{p.description.unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
