//! The relations graph as SVG markup, made from the server's layout. It is written as text and
//! set as the figure's content, so that the boxes can be SVG links on the server-rendered page
//! and after hydration alike. Every name in it comes from a manifest: all of it is escaped.

use domain::catalog::graph::{EntityGraph, GraphNode};
use domain::catalog::graph_layout::{BOX_HEIGHT, BOX_WIDTH, BoxContent, GraphLayout, fit};
use domain::catalog::EntityKind;

use crate::url::entity_href;

/// `graph`, laid out as `laid`, as one `<svg>` element.
pub fn graph_svg(graph: &EntityGraph, laid: &GraphLayout, title: &str) -> String {
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="graph-title" class="h-auto max-w-full font-sans">"#,
        w = laid.width,
        h = laid.height
    );
    svg.push_str(&format!(r#"<title id="graph-title">{}</title>"#, escape(title)));
    svg.push_str(
        r#"<defs><marker id="graph-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" class="fill-slate-400"/></marker></defs>"#,
    );
    for arrow in &laid.arrows {
        let dashed = if arrow.pair.is_none() { r#" stroke-dasharray="4 4""# } else { r#" marker-end="url(#graph-arrow)""# };
        svg.push_str(&format!(r#"<path d="{}" fill="none" class="stroke-slate-400" stroke-width="1.5"{dashed}/>"#, escape(&arrow.path)));
    }
    for placed in &laid.boxes {
        let (x, y) = (placed.x, placed.y);
        match placed.content {
            BoxContent::Node(index) => {
                let Some(node) = graph.nodes.get(index) else { continue };
                svg.push_str(&node_box(node, index == 0, x, y));
            }
            BoxContent::More(index) => {
                let Some(more) = graph.more.get(index) else { continue };
                let text = format!("and {} more · {}", more.count, more.relation.label());
                svg.push_str(&format!(
                    r#"<g data-more="{count}"><rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="8" fill="none" class="stroke-slate-400" stroke-dasharray="4 4"/><text x="{tx}" y="{ty}" class="fill-slate-600 text-xs dark:fill-slate-300">{label}</text></g>"#,
                    count = more.count,
                    tx = x + 10,
                    ty = y + BOX_HEIGHT / 2 + 4,
                    label = escape(&fit(&text)),
                ));
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

fn node_box(node: &GraphNode, root: bool, x: i32, y: i32) -> String {
    let label = node.label();
    let (kind, colour) = match &node.entity {
        Some(entity) => (entity.kind.label().to_owned(), colour(entity.kind)),
        None => ("not in the catalog".to_owned(), "fill-rose-50 stroke-rose-400 dark:fill-rose-950"),
    };
    let stroke = if root { r#" stroke-width="3""# } else { r#" stroke-width="1.5""# };
    let inner = format!(
        r#"<title>{full}</title><rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="8" class="{colour}"{stroke}/><text x="{tx}" y="{ty1}" class="fill-slate-900 text-sm font-medium dark:fill-slate-100">{short}</text><text x="{tx}" y="{ty2}" class="fill-slate-500 text-xs dark:fill-slate-400">{kind}</text>"#,
        full = escape(&node.reference.humanised(None)),
        tx = x + 10,
        ty1 = y + 19,
        ty2 = y + 36,
        short = escape(&fit(&label)),
        kind = escape(&kind),
    );
    let key = escape(&node.reference.key());
    match &node.entity {
        Some(_) => format!(r#"<a href="{}" data-node="{key}">{inner}</a>"#, escape(&entity_href(&node.reference))),
        None => format!(r#"<g data-node="{key}" data-missing="true">{inner}</g>"#),
    }
}

/// A colour per family of kinds, so that a glance tells services from APIs from teams.
fn colour(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Component => "fill-indigo-50 stroke-indigo-400 dark:fill-indigo-950",
        EntityKind::Api => "fill-emerald-50 stroke-emerald-500 dark:fill-emerald-950",
        EntityKind::Resource => "fill-amber-50 stroke-amber-500 dark:fill-amber-950",
        EntityKind::System | EntityKind::Domain => "fill-sky-50 stroke-sky-500 dark:fill-sky-950",
        EntityKind::Group | EntityKind::User => "fill-fuchsia-50 stroke-fuchsia-400 dark:fill-fuchsia-950",
        _ => "fill-slate-50 stroke-slate-400 dark:fill-slate-900",
    }
}

/// Text made safe inside SVG markup, in element content and in quoted attributes alike.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use domain::catalog::graph::GraphQuery;
    use domain::catalog::graph_layout::layout;
    use domain::catalog::{EntityRef, EntitySummary};

    use super::*;

    #[test]
    fn names_from_manifests_cannot_inject_markup() {
        let summary = EntitySummary {
            kind: EntityKind::Component,
            namespace: "default".into(),
            name: "evil".into(),
            title: Some("<script>alert(1)</script>\"".into()),
            description: None,
            spec_type: None,
            lifecycle: None,
            owner: None,
        };
        let graph = EntityGraph {
            nodes: vec![GraphNode { reference: EntityRef::new("component", "default", "evil"), entity: Some(summary), depth: 0 }],
            edges: vec![],
            more: vec![],
            query: GraphQuery::default(),
        };
        let svg = graph_svg(&graph, &layout(&graph), "Graph of <evil>");
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("Graph of &lt;evil&gt;"));
        assert!(svg.contains(r#"href="/catalog/component/default/evil""#));
    }
}
