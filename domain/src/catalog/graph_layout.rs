//! Where each box and arrow of a relations graph goes, computed once on the server: one
//! column per step from the graph's entity, in the order the entities were reached, so that
//! an entity's neighbours sit beside it and arrows rarely cross. The page draws the result as
//! SVG; nothing is laid out in the browser.

use serde::{Deserialize, Serialize};

use super::graph::{EntityGraph, RelationPair};

pub const BOX_WIDTH: i32 = 200;
pub const BOX_HEIGHT: i32 = 46;
const COLUMN_GAP: i32 = 120;
const ROW_GAP: i32 = 14;
const MARGIN: i32 = 16;
/// How far an arrow between two boxes of one column bows out to the right.
const BOW: i32 = 48;
/// Longest label drawn in a box; the full name is in the box's tooltip and the edge list.
const LABEL_CHARS: usize = 24;

/// What a box shows: an entity (an index into the graph's nodes) or a count of the entities
/// left out (an index into the graph's `more`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BoxContent {
    Node(usize),
    More(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedBox {
    pub content: BoxContent,
    /// Top-left corner.
    pub x: i32,
    pub y: i32,
}

/// An arrow as an SVG path; `pair` is `None` for the dashed line to a count of left-out entities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedArrow {
    pub path: String,
    pub pair: Option<RelationPair>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphLayout {
    pub width: i32,
    pub height: i32,
    pub boxes: Vec<PlacedBox>,
    pub arrows: Vec<PlacedArrow>,
}

/// Lays `graph` out in columns by depth.
pub fn layout(graph: &EntityGraph) -> GraphLayout {
    let columns = usize::from(graph.nodes.iter().map(|node| node.depth).max().unwrap_or(0)) + usize::from(!graph.more.is_empty()) + 1;
    let mut column_boxes: Vec<Vec<BoxContent>> = vec![Vec::new(); columns];
    for (index, node) in graph.nodes.iter().enumerate() {
        column_boxes[usize::from(node.depth)].push(BoxContent::Node(index));
    }
    for (index, more) in graph.more.iter().enumerate() {
        let depth = graph.nodes.get(more.node).map_or(0, |node| usize::from(node.depth) + 1);
        column_boxes[depth].push(BoxContent::More(index));
    }
    column_boxes.retain(|column| !column.is_empty());
    let column_height = |count: usize| count as i32 * (BOX_HEIGHT + ROW_GAP) - ROW_GAP;
    let tallest = column_boxes.iter().map(|column| column_height(column.len())).max().unwrap_or(BOX_HEIGHT);
    let mut boxes = Vec::new();
    for (column, contents) in column_boxes.iter().enumerate() {
        let x = MARGIN + column as i32 * (BOX_WIDTH + COLUMN_GAP);
        let top = MARGIN + (tallest - column_height(contents.len())) / 2;
        for (row, content) in contents.iter().enumerate() {
            boxes.push(PlacedBox { content: *content, x, y: top + row as i32 * (BOX_HEIGHT + ROW_GAP) });
        }
    }
    let place = |wanted: BoxContent| boxes.iter().find(|placed| placed.content == wanted).copied();
    let mut arrows = Vec::new();
    for edge in &graph.edges {
        if let (Some(from), Some(to)) = (place(BoxContent::Node(edge.from)), place(BoxContent::Node(edge.to))) {
            arrows.push(PlacedArrow { path: curve(from, to), pair: Some(edge.pair) });
        }
    }
    for (index, more) in graph.more.iter().enumerate() {
        if let (Some(from), Some(to)) = (place(BoxContent::Node(more.node)), place(BoxContent::More(index))) {
            arrows.push(PlacedArrow { path: curve(from, to), pair: None });
        }
    }
    let width = 2 * MARGIN + column_boxes.len() as i32 * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP + BOW;
    GraphLayout { width, height: 2 * MARGIN + tallest, boxes, arrows }
}

/// A curve from one box's side to the other's: left to right between columns, bowing out to
/// the right within one column.
fn curve(from: PlacedBox, to: PlacedBox) -> String {
    let middle = |placed: PlacedBox| placed.y + BOX_HEIGHT / 2;
    let (y1, y2) = (middle(from), middle(to));
    if from.x == to.x {
        let x = from.x + BOX_WIDTH;
        return format!("M {x} {y1} C {} {y1}, {} {y2}, {x} {y2}", x + BOW, x + BOW);
    }
    let (x1, x2) = if from.x < to.x { (from.x + BOX_WIDTH, to.x) } else { (from.x, to.x + BOX_WIDTH) };
    let bend = (x2 - x1) / 2;
    format!("M {x1} {y1} C {} {y1}, {} {y2}, {x2} {y2}", x1 + bend, x2 - bend)
}

/// `label` cut to fit a box.
pub fn fit(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::super::graph::{GraphEdge, GraphMore, GraphNode, GraphQuery};
    use super::super::{EntityRef, RelationType};
    use super::*;

    fn node(name: &str, depth: u8) -> GraphNode {
        GraphNode { reference: EntityRef::new("component", "default", name), entity: None, depth }
    }

    #[test]
    fn columns_follow_depth_and_counts_sit_beyond_their_node() {
        let graph = EntityGraph {
            nodes: vec![node("root", 0), node("a", 1), node("b", 1), node("c", 2)],
            edges: vec![
                GraphEdge { from: 0, to: 1, pair: RelationPair::Dependencies },
                GraphEdge { from: 2, to: 0, pair: RelationPair::Dependencies },
                GraphEdge { from: 1, to: 3, pair: RelationPair::Dependencies },
            ],
            more: vec![GraphMore { node: 3, relation: RelationType::DependencyOf, count: 240 }],
            query: GraphQuery::default(),
        };
        let laid = layout(&graph);
        let x_of = |content| laid.boxes.iter().find(|b| b.content == content).map(|b| b.x).expect("placed");
        assert!(x_of(BoxContent::Node(0)) < x_of(BoxContent::Node(1)));
        assert_eq!(x_of(BoxContent::Node(1)), x_of(BoxContent::Node(2)));
        assert!(x_of(BoxContent::Node(3)) < x_of(BoxContent::More(0)));
        assert_eq!(laid.arrows.len(), 4, "three arrows and the line to the count");
        assert!(laid.boxes.iter().all(|b| b.x + BOX_WIDTH <= laid.width && b.y + BOX_HEIGHT <= laid.height));
        // b depends on the root: its arrow starts at b's left side, a column to the right.
        assert!(laid.arrows[1].path.starts_with(&format!("M {} ", x_of(BoxContent::Node(2)))));
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        assert_eq!(fit("short"), "short");
        let cut = fit("a-very-long-service-name-indeed-it-is");
        assert_eq!(cut.chars().count(), LABEL_CHARS);
        assert!(cut.ends_with('…'));
    }
}
