//! `/catalog/:kind/:namespace/:name/graph`: the relations around an entity as a picture, with
//! the same links listed beside it for screen readers and for copying, and a GET form for the
//! depth and the relations to follow.

use domain::catalog::graph::{EntityGraph, GraphQuery, MAX_DEPTH, RelationPair};
use domain::catalog::graph_layout::layout;
use domain::catalog::{EntityKind, EntityRef};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::not_found::or_missing;
use crate::api::catalog::get_entity_graph;
use crate::components::graph_svg::graph_svg;
use crate::components::entity_crumbs::EntityCrumbs;
use crate::components::loaded::loaded_keeping;
use crate::url::{entity_href, graph_href, impact_href};

#[component]
pub fn EntityGraphPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = Memo::new(move |_| {
        let entity = params.with(|map| {
            let get = |key: &str| map.get(key).unwrap_or_default();
            EntityRef::new(&get("kind"), &get("namespace"), &get("name"))
        });
        let graph = query.with(|map| GraphQuery::from_params(map.get_str("depth"), map.get_all("follow").unwrap_or_default().iter().map(String::as_str).collect::<Vec<_>>()));
        (entity, graph)
    });
    let graph = Resource::new(move || key.get(), |(entity, query)| get_entity_graph(entity, query));
    view! {
        {loaded_keeping(graph, "Drawing the graph…", |graph| or_missing(graph, |graph| view! { <GraphView graph /> }.into_any(), None))}
    }
}

#[component]
fn GraphView(graph: EntityGraph) -> impl IntoView {
    let root = graph.nodes[0].clone();
    let reference = root.reference.clone();
    let name = root.label();
    let kind = root.entity.as_ref().map_or(EntityKind::Component, |entity| entity.kind);
    let laid = layout(&graph);
    let svg = graph_svg(&graph, &laid, &format!("Relations of {name}"));
    let drawn = graph.nodes.len() - 1;
    let counted: u64 = graph.more.iter().map(|more| more.count).sum();
    let summary = match (drawn, counted) {
        (0, 0) => "Nothing in the catalog is related to it by these relations.".to_owned(),
        (drawn, 0) => format!("{drawn} related entities."),
        (drawn, counted) => format!("{drawn} related entities drawn; {counted} more are counted rather than drawn."),
    };
    view! {
        <Title text=format!("Graph of {name}") />
        <EntityCrumbs kind reference=reference.clone() current="Graph" />
        <div class="mb-4 flex flex-wrap items-baseline justify-between gap-3">
            <h1 class="text-2xl font-semibold tracking-tight">{format!("Relations of {name}")}</h1>
            <a href=impact_href(&reference) class="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">"What breaks if this goes down"</a>
        </div>
        <GraphForm reference=reference.clone() query=graph.query.clone() />
        <p class="mb-3 text-sm text-slate-600 dark:text-slate-400" data-testid="graph-summary">{summary}</p>
        <figure class="mb-6 overflow-x-auto rounded-lg border border-slate-200 bg-white p-2 dark:border-slate-800 dark:bg-slate-900" data-testid="graph" inner_html=svg></figure>
        <EdgeList graph />
    }
}

/// Depth and relations, as a GET form that works without JavaScript.
#[component]
fn GraphForm(reference: EntityRef, query: GraphQuery) -> impl IntoView {
    let action = graph_href(&reference, &GraphQuery::default());
    view! {
        <Form method="GET" action=action attr:class="mb-4 flex flex-wrap items-end gap-4 rounded-lg border border-slate-200 p-3 dark:border-slate-800">
            <div>
                <label for="graph-depth" class="block text-xs font-medium text-slate-600 dark:text-slate-400">"Depth"</label>
                <select id="graph-depth" name="depth" class="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900">
                    {(1..=MAX_DEPTH).map(|depth| {
                        let chosen = depth == query.depth;
                        let label = if depth == 1 { "1 step".to_owned() } else { format!("{depth} steps") };
                        view! { <option value=depth.to_string() selected=chosen prop:selected=chosen>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <fieldset class="flex flex-wrap gap-x-4 gap-y-1">
                <legend class="mb-1 text-xs font-medium text-slate-600 dark:text-slate-400">"Follow"</legend>
                {RelationPair::ALL.into_iter().map(|pair| {
                    let checked = query.follow.contains(&pair);
                    let id = format!("follow-{}", pair.as_param());
                    let label_for = id.clone();
                    view! {
                        <label for=label_for class="flex items-center gap-1.5 text-sm">
                            <input id=id type="checkbox" name="follow" value=pair.as_param() checked=checked prop:checked=checked />
                            {pair.label()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <button type="submit" class="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40">"Redraw"</button>
        </Form>
    }
}

/// Every arrow of the picture as a sentence with links, and what was counted instead of drawn.
#[component]
fn EdgeList(graph: EntityGraph) -> impl IntoView {
    let link = |index: usize| {
        let node = graph.nodes[index].clone();
        match node.entity {
            Some(_) => view! { <a href=entity_href(&node.reference) class="text-indigo-700 hover:underline dark:text-indigo-300">{node.label()}</a> }.into_any(),
            None => view! { <span class="font-mono text-xs text-rose-700 dark:text-rose-300">{format!("{} (not in the catalog)", node.reference)}</span> }.into_any(),
        }
    };
    view! {
        <section aria-labelledby="edges">
            <h2 id="edges" class="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">"The same relations as a list"</h2>
            <ul class="space-y-1 text-sm" data-testid="graph-edges">
                {graph.edges.iter().map(|edge| view! {
                    <li>{link(edge.from)}" "{edge.pair.verb()}" "{link(edge.to)}</li>
                }).collect_view()}
                {graph.more.iter().map(|more| {
                    let node = graph.nodes[more.node].clone();
                    view! {
                        <li class="text-slate-600 dark:text-slate-400">
                            <a href=entity_href(&node.reference) class="text-indigo-700 hover:underline dark:text-indigo-300">{node.label()}</a>
                            {format!(": {} more under “{}”, listed on its page", more.count, more.relation.label())}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
