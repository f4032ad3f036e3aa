//! Combining model detections with the text layer's regions.

use crate::geometry::BBox;
use crate::layout::{Detection, LayoutLabel};
use crate::model::{FigureType, Region, RegionKind, RegionSource};
use crate::text::{TextBlock, TextLine, build_blocks, is_caption, is_table_caption};

/// Share of a text block that must lie inside a table or figure box for the box to absorb it.
const ABSORB: f32 = 0.6;
/// Share of a text block that must lie inside a model text box to take that box's kind.
const ASSIGN: f32 = 0.5;

fn inside(part: &BBox, whole: &BBox) -> f32 {
    part.share_inside(whole)
}

/// Merges one page's detections (in page points) into its heuristic regions (in reading order).
pub fn merge_detections(regions: Vec<Region>, detections: &[Detection]) -> Vec<Region> {
    let mut containers: Vec<Detection> = Vec::new();
    let mut by_score: Vec<&Detection> = detections.iter().filter(|d| d.label.is_container()).collect();
    by_score.sort_by(|a, b| b.score.total_cmp(&a.score));
    for d in by_score {
        // A box mostly inside a stronger container is the same object seen twice.
        if !containers.iter().any(|c| inside(&d.bbox, &c.bbox) > 0.8) {
            containers.push(d.clone());
        }
    }

    // Which container absorbs each region; captions are never absorbed but trim the box.
    let mut owner: Vec<Option<usize>> = vec![None; regions.len()];
    for (i, r) in regions.iter().enumerate() {
        if r.kind.is_furniture() {
            continue;
        }
        let best = containers
            .iter()
            .enumerate()
            .map(|(k, c)| (k, inside(&r.bbox, &c.bbox)))
            .filter(|&(_, share)| share >= ABSORB)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((k, _)) = best {
            if r.kind == RegionKind::Caption || is_caption(&r.text) {
                trim_caption(&mut containers[k].bbox, &r.bbox);
            } else {
                owner[i] = Some(k);
            }
        }
    }

    let mut container_regions: Vec<Option<Region>> = containers
        .iter()
        .enumerate()
        .map(|(k, c)| {
            Some(container_region(c, regions.iter().zip(&owner).filter(|(_, o)| **o == Some(k)).map(|(r, _)| r)))
        })
        .collect();

    let text_boxes: Vec<&Detection> = detections.iter().filter(|d| !d.label.is_container()).collect();
    let mut out: Vec<Region> = Vec::with_capacity(regions.len());
    for (r, o) in regions.into_iter().zip(&owner) {
        match o {
            Some(k) => {
                if let Some(c) = container_regions[*k].take() {
                    out.push(c);
                }
            }
            None => out.push(assign_kind(r, &text_boxes)),
        }
    }
    // Containers that hold no text (pictures, drawn charts) go where their top edge falls.
    for c in container_regions.into_iter().flatten() {
        let at = out
            .iter()
            .position(|r| r.kind.is_furniture() || (r.bbox.y0 >= c.bbox.y0 && r.bbox.overlap_x(&c.bbox) > 0.0))
            .unwrap_or(out.len());
        out.insert(at, c);
    }
    out
}

/// Splits text blocks that run into a table box: the block builder may join a table's rows to
/// the caption or paragraph above them when nothing but leading separates them, and the table
/// would then keep only the rows the block left out, or lose them all to the caption. Lines inside the box and lines outside
/// become separate blocks.
pub fn split_blocks_at_tables(blocks: Vec<TextBlock>, detections: &[Detection]) -> Vec<TextBlock> {
    let tables: Vec<&BBox> = detections.iter().filter(|d| d.label == LayoutLabel::Table).map(|d| &d.bbox).collect();
    if tables.is_empty() {
        return blocks;
    }
    let mut out = Vec::with_capacity(blocks.len());
    for block in blocks {
        // (Even a block mostly inside: a caption joined to the table's rows would otherwise
        // be cut off the table box together with them.)
        let straddled = tables.iter().find(|t| inside(&block.bbox, t) > 0.05 && inside(&block.bbox, t) < 0.99);
        let Some(table) = straddled else {
            out.push(block);
            continue;
        };
        let (within, without): (Vec<TextLine>, Vec<TextLine>) =
            block.lines.iter().cloned().partition(|l| inside(&l.bbox, table) >= 0.5);
        if within.is_empty() || without.is_empty() {
            out.push(block);
            continue;
        }
        // Keep reading order: whichever part starts higher comes first.
        let mut parts = [build_blocks(within), build_blocks(without)];
        parts.sort_by(|a, b| {
            let top = |p: &Vec<TextBlock>| p.first().map_or(f32::MAX, |b| b.bbox.y0);
            top(a).total_cmp(&top(b))
        });
        out.extend(parts.into_iter().flatten());
    }
    out
}

/// Cuts a caption off the top or bottom of a table or figure box that swallowed it.
fn trim_caption(container: &mut BBox, caption: &BBox) {
    let mid = container.center_y();
    if caption.center_y() < mid {
        container.y0 = container.y0.max(caption.y1);
    } else {
        container.y1 = container.y1.min(caption.y0);
    }
    if container.y1 < container.y0 {
        container.y1 = container.y0;
    }
}

fn container_region<'a>(d: &Detection, members: impl Iterator<Item = &'a Region>) -> Region {
    let members: Vec<&Region> = members.collect();
    let text = members.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join("\n");
    let snapped = BBox::union_all(members.iter().map(|r| &r.bbox));
    let bbox = match (d.label, snapped) {
        // Tables and equations are snapped to the text they hold: model boxes are loose.
        (LayoutLabel::Table | LayoutLabel::Equation, Some(s)) => s,
        (_, Some(s)) => d.bbox.union(&s),
        (_, None) => d.bbox,
    };
    Region {
        id: String::new(),
        kind: d.label.region_kind(),
        bbox,
        confidence: d.score,
        text,
        source: d.source,
        order: 0,
        font_size: None,
        lines: members.iter().map(|r| r.lines).sum(),
        caption_of: None,
        figure_type: d.figure_type.map(|(class, probability)| FigureType { class, probability }),
    }
}

/// Gives a text block the kind of the model box holding it. The rules keep the kinds the model
/// has no class for (list, footnote), the document title, and headings it calls text; the
/// model's section titles become headings.
fn assign_kind(mut r: Region, boxes: &[&Detection]) -> Region {
    let best = boxes
        .iter()
        .map(|d| (d, inside(&r.bbox, &d.bbox)))
        .filter(|&(_, share)| share >= ASSIGN)
        .max_by(|a, b| (a.1 * a.0.score).total_cmp(&(b.1 * b.0.score)));
    let Some((d, _)) = best else {
        return r;
    };
    let model_kind = d.label.region_kind();
    let rule_kind = r.kind;
    let kind = match (d.label, rule_kind) {
        (_, RegionKind::Title) => RegionKind::Title,
        (LayoutLabel::Text, RegionKind::List | RegionKind::Heading | RegionKind::Caption | RegionKind::Footnote) => {
            rule_kind
        }
        (LayoutLabel::Text, RegionKind::Header | RegionKind::Footer) => rule_kind,
        (LayoutLabel::Title, RegionKind::Caption) => RegionKind::Caption,
        // Large or bold type near the top is a section heading, not a running header (running
        // headers that repeat across pages are already headers by the rules).
        (LayoutLabel::Header | LayoutLabel::Footer, RegionKind::Heading) => RegionKind::Heading,
        _ => model_kind,
    };
    if kind == model_kind || (rule_kind == RegionKind::Title && d.label == LayoutLabel::Title) {
        r.source = RegionSource::Model;
        r.confidence = d.score;
    } else {
        // The rules overrode the model; keep the stronger of the two confidences.
        r.confidence = r.confidence.max(0.5 * d.score);
    }
    r.kind = kind;
    r
}

/// Links each caption to the table or figure it describes (the nearest one above or below that
/// shares its columns; "Table"/"表" captions prefer tables).
pub fn link_captions(regions: &mut [Region]) {
    let targets: Vec<(usize, RegionKind, BBox)> = regions
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r.kind, RegionKind::Table | RegionKind::Figure | RegionKind::Flowchart))
        .map(|(i, r)| (i, r.kind, r.bbox))
        .collect();
    // Running text between a caption and a table or figure separates them: a heading, a
    // paragraph.
    let prose: Vec<BBox> = regions
        .iter()
        .filter(|r| {
            matches!(r.kind, RegionKind::Heading | RegionKind::Title) || (r.kind == RegionKind::Text && r.lines >= 2)
        })
        .map(|r| r.bbox)
        .collect();
    for i in 0..regions.len() {
        if regions[i].kind != RegionKind::Caption {
            continue;
        }
        let caption = regions[i].bbox;
        let wants_table = is_table_caption(&regions[i].text);
        // Nearest above or below; sharing columns and the right kind come first. A caption set
        // beside a narrower figure still links when it sits right against it.
        let best = targets
            .iter()
            .filter_map(|&(j, kind, b)| {
                let distance = if caption.center_y() < b.center_y() { b.y0 - caption.y1 } else { caption.y0 - b.y1 };
                let distance = distance.max(0.0);
                let shares_columns = b.overlap_x(&caption) > 0.3 * caption.width().min(b.width());
                if distance > 120.0 || (!shares_columns && distance > 40.0) {
                    return None;
                }
                let (upper, lower) = if caption.center_y() < b.center_y() { (caption, b) } else { (b, caption) };
                let between =
                    |p: &&BBox| p.y0 >= upper.y1 - 1.0 && p.y1 <= lower.y0 + 1.0 && p.overlap_x(&caption) > 0.0;
                if prose.iter().any(|p| between(&p)) {
                    return None;
                }
                let kind_matches = (kind == RegionKind::Table) == wants_table;
                // Table captions sit just above their table, figure captions just below; set
                // so, a caption belongs to it even when the table is centred under a caption
                // set flush left.
                let above = caption.center_y() < b.center_y();
                let conventional = above == wants_table && distance < 24.0;
                // A "Table 8" caption right above a figure names that figure (the model boxed a
                // table as a figure), not a table farther off.
                let named_here = conventional && shares_columns;
                let penalty = if kind_matches || named_here { 0.0 } else { 1000.0 }
                    + if shares_columns || conventional { 0.0 } else { 300.0 };
                Some((j, distance + penalty))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((j, _)) = best {
            regions[i].caption_of = Some(regions[j].id.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(kind: RegionKind, text: &str, b: [f32; 4]) -> Region {
        Region {
            id: String::new(),
            kind,
            bbox: BBox::new(b[0], b[1], b[2], b[3]),
            confidence: 0.5,
            text: text.into(),
            source: RegionSource::Heuristic,
            order: 0,
            font_size: Some(10.0),
            lines: 1,
            caption_of: None,
            figure_type: None,
        }
    }

    fn det(label: LayoutLabel, score: f32, b: [f32; 4]) -> Detection {
        Detection {
            label,
            score,
            bbox: BBox::new(b[0], b[1], b[2], b[3]),
            source: RegionSource::Model,
            figure_type: None,
        }
    }

    #[test]
    fn table_absorbs_its_cells_but_not_its_caption() {
        let regions = vec![
            region(RegionKind::Text, "Intro paragraph", [50.0, 50.0, 500.0, 90.0]),
            region(RegionKind::Caption, "Table 1. Doses", [50.0, 100.0, 300.0, 110.0]),
            region(RegionKind::Text, "Age", [60.0, 120.0, 100.0, 130.0]),
            region(RegionKind::Text, "Dose", [200.0, 120.0, 240.0, 130.0]),
            region(RegionKind::Text, "After the table", [50.0, 200.0, 500.0, 210.0]),
        ];
        let dets = vec![
            det(LayoutLabel::Table, 0.9, [45.0, 95.0, 505.0, 140.0]),
            det(LayoutLabel::Text, 0.8, [45.0, 45.0, 505.0, 95.0]),
        ];
        let mut out = merge_detections(regions, &dets);
        let kinds: Vec<RegionKind> = out.iter().map(|r| r.kind).collect();
        assert_eq!(kinds, [RegionKind::Text, RegionKind::Caption, RegionKind::Table, RegionKind::Text]);
        assert_eq!(out[2].text, "Age\nDose");
        assert_eq!(out[2].bbox, BBox::new(60.0, 120.0, 240.0, 130.0), "snapped to the cells");
        assert_eq!(out[0].source, RegionSource::Model);
        for (i, r) in out.iter_mut().enumerate() {
            r.id = format!("r{i}");
        }
        link_captions(&mut out);
        assert_eq!(out[1].caption_of.as_deref(), Some("r2"));
    }

    #[test]
    fn rules_keep_lists_and_model_titles_become_headings() {
        let regions = vec![
            region(RegionKind::List, "• one\n• two", [50.0, 50.0, 300.0, 80.0]),
            region(RegionKind::Text, "Methods", [50.0, 100.0, 120.0, 112.0]),
        ];
        let dets = vec![
            det(LayoutLabel::Text, 0.9, [40.0, 40.0, 310.0, 90.0]),
            det(LayoutLabel::Title, 0.8, [40.0, 95.0, 130.0, 115.0]),
        ];
        let out = merge_detections(regions, &dets);
        assert_eq!(out[0].kind, RegionKind::List);
        assert_eq!(out[1].kind, RegionKind::Heading);
        assert_eq!(out[1].source, RegionSource::Model);
    }

    #[test]
    fn an_empty_figure_is_placed_by_its_position() {
        let regions = vec![
            region(RegionKind::Text, "Above", [50.0, 50.0, 500.0, 90.0]),
            region(RegionKind::Text, "Below", [50.0, 400.0, 500.0, 420.0]),
        ];
        let out = merge_detections(regions, &[det(LayoutLabel::Figure, 0.9, [60.0, 100.0, 480.0, 380.0])]);
        let texts: Vec<&str> = out.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, ["Above", "", "Below"]);
        assert_eq!(out[1].kind, RegionKind::Figure);
    }

    #[test]
    fn a_caption_links_across_no_running_text() {
        // A table the model boxed as a figure, its "Table 2" caption set below it; past a
        // heading and a paragraph, another table. The caption is the figure's.
        let mut regions = vec![
            region(RegionKind::Figure, "Food Medication Venom", [70.0, 80.0, 535.0, 262.0]),
            region(RegionKind::Caption, "Table 2. Presentation by trigger", [72.0, 266.0, 420.0, 278.0]),
            region(RegionKind::Heading, "3.2 Airway problems", [72.0, 292.0, 320.0, 303.0]),
            region(RegionKind::Text, "Patients can have either problem.", [72.0, 318.0, 490.0, 341.0]),
            region(RegionKind::Table, "Airway problems", [78.0, 356.0, 525.0, 545.0]),
        ];
        regions[3].lines = 2;
        for (i, r) in regions.iter_mut().enumerate() {
            r.id = format!("r{i}");
        }
        link_captions(&mut regions);
        assert_eq!(regions[1].caption_of.as_deref(), Some("r0"));
    }
}
