//! An API's definition as people read it: for OpenAPI, its operations grouped by tag, each a
//! disclosure (it opens without JavaScript) with its parameters, request body and responses;
//! for anything else, the source highlighted. The server reads the definition; this only draws.

use domain::catalog::api_doc::{ApiView, MediaType, OpenApiDoc, Operation, TagGroup};
use leptos::prelude::*;

use super::api_schema::{more, schema_view};
use super::source_view::SourceView;

#[component]
pub fn ApiDefinition(view: ApiView, from: Option<String>) -> impl IntoView {
    let from = from.map(|from| view! { <p class="mb-2 text-xs text-slate-500">"Read from "<code>{from}</code></p> });
    let body = match view {
        ApiView::OpenApi(doc) => view! { <OpenApi doc /> }.into_any(),
        ApiView::Source(source) => view! { <SourceView source /> }.into_any(),
        ApiView::Empty => view! {
            <p class="text-sm text-rose-700 dark:text-rose-300">"The definition could not be read: the catalog problems say why."</p>
        }
        .into_any(),
    };
    view! { {from} {body} }
}

#[component]
fn OpenApi(doc: OpenApiDoc) -> impl IntoView {
    let OpenApiDoc { format, title, version, description, servers, tags, operations_left_out } = doc;
    let count: usize = tags.iter().map(|tag| tag.operations.len()).sum();
    view! {
        <div class="mb-4 text-sm" data-testid="openapi">
            <p class="text-xs text-slate-500">
                {format}
                {version.map(|version| format!(" · version {version}"))}
                {format!(" · {count} operations")}
            </p>
            {title.map(|title| view! { <p class="font-medium">{title}</p> })}
            {description.map(|text| view! { <p class="mt-1 max-w-3xl whitespace-pre-line text-slate-700 dark:text-slate-300">{text}</p> })}
            {(!servers.items.is_empty()).then(|| view! {
                <p class="mt-1 text-xs text-slate-500">"Servers: "{servers.items.iter().map(|url| view! { <code class="mr-2">{url.clone()}</code> }).collect_view()}</p>
            })}
        </div>
        {tags.into_iter().map(|tag| view! { <Tag tag /> }).collect_view()}
        {(operations_left_out > 0).then(|| view! { <p class="text-sm text-slate-500">{format!("and {operations_left_out} more operations not shown")}</p> })}
    }
}

#[component]
fn Tag(tag: TagGroup) -> impl IntoView {
    let name = tag.name.clone().unwrap_or_else(|| "Other operations".to_owned());
    let data_tag = name.clone();
    view! {
        <section class="mb-5" data-tag=data_tag>
            <h3 class="text-base font-semibold">{name}</h3>
            {tag.description.map(|text| view! { <p class="mb-2 text-sm text-slate-600 dark:text-slate-400">{text}</p> })}
            <div class="mt-2 space-y-2">{tag.operations.into_iter().map(|operation| view! { <OperationView operation /> }).collect_view()}</div>
        </section>
    }
}

#[component]
fn OperationView(operation: Operation) -> impl IntoView {
    let Operation { method, path, operation_id, summary, description, deprecated, parameters, request_body, responses } = operation;
    let data_operation = format!("{method} {path}");
    let method_class = format!("w-16 shrink-0 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold {}", method_colour(&method));
    view! {
        <details class="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900" data-operation=data_operation>
            <summary class="flex cursor-pointer flex-wrap items-baseline gap-3 px-3 py-2">
                <span class=method_class>{method}</span>
                <code class=if deprecated { "text-sm line-through" } else { "text-sm" }>{path}</code>
                <span class="text-sm text-slate-600 dark:text-slate-400">{summary}</span>
            </summary>
            <div class="space-y-3 border-t border-slate-200 px-3 py-3 text-sm dark:border-slate-800">
                {operation_id.map(|id| view! { <p class="text-xs text-slate-500">"Operation "<code>{id}</code></p> })}
                {deprecated.then(|| view! { <p class="text-xs font-medium text-rose-700 dark:text-rose-300">"Deprecated"</p> })}
                {description.map(|text| view! { <p class="whitespace-pre-line">{text}</p> })}
                {(!parameters.items.is_empty()).then(|| view! {
                    <div>
                        <h4 class="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">"Parameters"</h4>
                        <table class="w-full text-left text-xs">
                            <thead class="text-slate-500"><tr><th class="py-1 pr-3">"Name"</th><th class="pr-3">"In"</th><th class="pr-3">"Type"</th><th>"Description"</th></tr></thead>
                            <tbody>
                                {parameters.items.into_iter().map(|p| view! {
                                    <tr class="border-t border-slate-100 align-top dark:border-slate-800">
                                        <td class="py-1 pr-3 font-mono">{p.name}{p.required.then_some(" *")}</td>
                                        <td class="pr-3">{format!("{:?}", p.location).to_lowercase()}</td>
                                        <td class="pr-3 font-mono">{p.schema}</td>
                                        <td>{p.description}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {(parameters.left_out > 0).then(|| view! { <p class="text-xs text-slate-500">{format!("and {} more parameters", parameters.left_out)}</p> })}
                    </div>
                })}
                {request_body.map(|body| view! {
                    <div>
                        <h4 class="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">
                            "Request body"{body.required.then_some(" (required)")}
                        </h4>
                        {body.description.map(|text| view! { <p class="text-xs">{text}</p> })}
                        <ul class="space-y-1">{body.content.items.into_iter().map(media).collect_view()}{more(body.content.left_out, "content types")}</ul>
                    </div>
                })}
                <div>
                    <h4 class="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">"Responses"</h4>
                    <ul class="space-y-2">
                        {responses.items.into_iter().map(|response| {
                            let status_class = format!("mr-2 rounded px-1.5 py-0.5 font-mono text-xs font-semibold {}", status_colour(&response.status));
                            view! {
                            <li>
                                <span class=status_class>{response.status}</span>
                                <span class="text-xs">{response.description}</span>
                                <ul class="ml-4 mt-1 space-y-1">{response.content.items.into_iter().map(media).collect_view()}</ul>
                            </li>
                            }
                        }).collect_view()}
                        {more(responses.left_out, "responses")}
                    </ul>
                </div>
            </div>
        </details>
    }
}

fn media(media: MediaType) -> impl IntoView {
    view! {
        <li>
            <span class="text-xs text-slate-500">{media.content_types.join(", ")}</span>
            {media.schema.map(schema_view)}
        </li>
    }
}

fn method_colour(method: &str) -> &'static str {
    match method {
        "GET" => "bg-sky-100 text-sky-800 dark:bg-sky-900/50 dark:text-sky-200",
        "POST" => "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200",
        "PUT" | "PATCH" => "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-200",
        "DELETE" => "bg-rose-100 text-rose-800 dark:bg-rose-900/50 dark:text-rose-200",
        _ => "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200",
    }
}

fn status_colour(status: &str) -> &'static str {
    match status.chars().next() {
        Some('2') => "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200",
        Some('4') | Some('5') => "bg-rose-100 text-rose-800 dark:bg-rose-900/50 dark:text-rose-200",
        _ => "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200",
    }
}
