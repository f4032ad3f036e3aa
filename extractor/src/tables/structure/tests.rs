use super::*;
use crate::testing::glyph_run;

fn words(items: &[(&str, f32, f32)]) -> Vec<RawChar> {
    // A space a third of an em wide, as in type.
    items.iter().flat_map(|&(t, x, y)| glyph_run(t, (x, y), 4.0, 4.0, 10.0)).collect()
}

fn rule(horizontal: bool, pos: f32, from: f32, to: f32) -> Rule {
    Rule { horizontal, pos, from, to }
}

fn texts(grid: &Grid) -> Vec<(u32, u32, String)> {
    grid.cells.iter().map(|c| (c.row, c.col, c.text.clone())).collect()
}

#[test]
fn a_grid_ruled_both_ways_keeps_a_bullet_list_in_one_row() {
    let chars = words(&[
        ("Trigger", 5.0, 10.0),
        ("Share", 105.0, 10.0),
        ("Deaths", 205.0, 10.0),
        ("Foods", 5.0, 30.0),
        ("• Peanut", 105.0, 30.0),
        ("• Tree nuts", 105.0, 42.0),
        ("• Milk", 105.0, 54.0),
        ("10%", 205.0, 30.0),
        ("Drugs", 5.0, 90.0),
        ("• Antibiotics", 105.0, 90.0),
        ("• NMBAs", 105.0, 102.0),
        ("39%", 205.0, 90.0),
    ]);
    let mut rules: Vec<Rule> = [0.0, 20.0, 80.0, 140.0].iter().map(|&y| rule(true, y, 0.0, 300.0)).collect();
    rules.extend([0.0, 100.0, 200.0, 300.0].iter().map(|&x| rule(false, x, 0.0, 140.0)));
    let grid = recover_grid(&BBox::new(0.0, 0.0, 300.0, 140.0), &chars, &rules, (600.0, 800.0)).expect("a grid");
    assert_eq!((grid.n_rows, grid.n_cols), (3, 3), "{:?}", texts(&grid));
    let list = grid.cells.iter().find(|c| (c.row, c.col) == (1, 1)).expect("the list cell");
    assert_eq!(list.text.split_whitespace().collect::<Vec<_>>().join(" "), "• Peanut • Tree nuts • Milk");
}

#[test]
fn a_wrapped_line_of_an_unruled_table_joins_its_record() {
    let chars = words(&[
        ("Drug", 0.0, 8.0),
        ("Dose", 100.0, 8.0),
        ("Notes", 200.0, 8.0),
        ("Fentanyl", 0.0, 24.0),
        ("100 mg", 100.0, 24.0),
        ("Start low, titrate", 200.0, 24.0),
        ("slowly", 200.0, 36.0),
        ("Morphine", 0.0, 52.0),
        ("5 mg", 100.0, 52.0),
        ("Oral", 200.0, 52.0),
        ("Codeine", 0.0, 68.0),
        ("30 mg", 100.0, 68.0),
        ("With food", 200.0, 68.0),
        ("Tramadol", 0.0, 84.0),
        ("50 mg", 100.0, 84.0),
        ("Twice a day", 200.0, 84.0),
    ]);
    // Booktabs: a rule above, one under the header, one below.
    let rules: Vec<Rule> = [0.0, 14.0, 92.0].iter().map(|&y| rule(true, y, 0.0, 300.0)).collect();
    let grid = recover_grid(&BBox::new(0.0, 0.0, 300.0, 92.0), &chars, &rules, (600.0, 800.0)).expect("a grid");
    assert_eq!((grid.n_rows, grid.n_cols), (5, 3), "{:?}", texts(&grid));
    let notes = grid.cells.iter().find(|c| (c.row, c.col) == (1, 2)).expect("the notes cell");
    assert_eq!(notes.text, "Start low, titrate slowly");
    // Rows of one line each stay rows.
    let one_line = words(&[("A", 0.0, 8.0), ("1", 100.0, 8.0), ("B", 0.0, 20.0), ("2", 100.0, 20.0)]);
    let grid = recover_grid(&BBox::new(0.0, 0.0, 200.0, 26.0), &one_line, &[], (600.0, 800.0)).expect("a grid");
    assert_eq!((grid.n_rows, grid.n_cols), (2, 2));
}

#[test]
fn a_column_cut_falls_in_the_clear_part_of_a_strip_one_long_cell_crosses() {
    // Nine records; the first definition (43 glyphs of 4 pt) runs to 8 pt short of the
    // points column, the others end 100 pt earlier. The strip is still a column gutter
    // (the first rows may hold spanning headers and do not close it), and the cut goes
    // between that cell's end and the points, not through it.
    let mut items = vec![("Feature", 0.0, 8.0), ("Definition", 100.0, 8.0), ("Pts", 280.0, 8.0)];
    let rows = [
        ("Signs of DVT", "Leg swelling and pain on palpation of veins", "3"),
        ("Heart rate", "Above 100 a minute", "1.5"),
        ("Immobile", "Bed rest 3 days", "1.5"),
        ("Surgery", "In the last 4 weeks", "1.5"),
        ("Cancer", "Treated in 6 months", "1"),
        ("Haemoptysis", "Coughing blood", "1"),
        ("PE likely", "Total score", "> 4"),
        ("PE unlikely", "Total score", "<= 4"),
    ];
    for (k, (a, b, c)) in rows.iter().enumerate() {
        let y = 24.0 + 16.0 * k as f32;
        items.extend([(*a, 0.0, y), (*b, 100.0, y), (*c, 280.0, y)]);
    }
    let grid = recover_grid(&BBox::new(0.0, 0.0, 300.0, 140.0), &words(&items), &[], (600.0, 800.0)).expect("a grid");
    assert_eq!((grid.n_rows, grid.n_cols), (9, 3), "{:?}", texts(&grid));
    let text = |r, c| grid.cells.iter().find(|x| (x.row, x.col) == (r, c)).map(|x| x.text.clone());
    assert_eq!(text(1, 1).as_deref(), Some("Leg swelling and pain on palpation of veins"));
    assert_eq!(text(1, 2).as_deref(), Some("3"));
}

#[test]
fn a_table_ruled_in_columns_with_rules_only_round_its_header_and_total_keeps_its_rows() {
    // Country, two amounts and a total; one country has no first amount. Vertical rules
    // between the columns, horizontal ones under the header and above the total only.
    let mut items = vec![("Country", 0.0, 8.0), ("Fund", 100.0, 8.0), ("ERDF", 200.0, 8.0)];
    let body = [("Bulgaria", "2.3", "3.2"), ("Czech Republic", "8.8", "13.4"), ("Malta", "0.28", "0.44")];
    let more = [("Estonia", "", "1.9"), ("Latvia", "1.5", "2.4"), ("Poland", "22", "33")];
    for (k, (a, b, c)) in body.iter().chain(more.iter()).enumerate() {
        let y = 24.0 + 12.0 * k as f32;
        items.extend([(*a, 0.0, y), (*b, 100.0, y), (*c, 200.0, y)]);
    }
    items.extend([("TOTAL", 0.0, 104.0), ("58.99", 100.0, 104.0), ("86.70", 200.0, 104.0)]);
    items.retain(|(t, _, _)| !t.is_empty());
    let mut rules: Vec<Rule> = [14.0, 96.0].iter().map(|&y| rule(true, y, 0.0, 300.0)).collect();
    rules.extend([95.0, 195.0].iter().map(|&x| rule(false, x, 0.0, 110.0)));
    let grid =
        recover_grid(&BBox::new(0.0, 0.0, 300.0, 110.0), &words(&items), &rules, (600.0, 800.0)).expect("a grid");
    assert_eq!((grid.n_rows, grid.n_cols), (8, 3), "{:?}", texts(&grid));
}

#[test]
fn a_note_reaching_left_of_the_first_column_opens_no_column() {
    // Nine rows of factor and score from x = 10, and a note under them from x = 0.
    let mut items = vec![("Factor", 10.0, 8.0), ("Score", 110.0, 8.0)];
    let factors = ["Age", "Surgery", "Obesity", "Cancer", "Bed rest", "Stroke", "Sepsis", "Trauma"];
    for (k, f) in factors.iter().enumerate() {
        items.extend([(*f, 10.0, 24.0 + 12.0 * k as f32), ("1", 110.0, 24.0 + 12.0 * k as f32)]);
    }
    items.push(("Note: scores as of admission", 0.0, 124.0));
    let grid = recover_grid(&BBox::new(0.0, 0.0, 200.0, 130.0), &words(&items), &[], (600.0, 800.0)).expect("a grid");
    assert_eq!(grid.n_cols, 2, "{:?}", texts(&grid));
}

#[test]
fn the_edges_of_a_few_shaded_bands_do_not_rule_the_columns() {
    // Six records of a line each, but for the second and the fifth, whose dose wraps onto
    // a second line; those two are shaded bands, each cell filled, so the fills' edges
    // stand in the gutters there only. The bands do not make the table ruled: the two
    // records between them stay two rows.
    let mut items = Vec::new();
    for k in 0..8 {
        let y = 8.0 + 12.0 * k as f32;
        if k == 2 || k == 6 {
            items.push(("more", 200.0, y));
        } else {
            items.extend([("Drug", 0.0, y), ("Form", 100.0, y), ("Dose", 200.0, y)]);
        }
    }
    let mut rules = Vec::new();
    for (top, bottom) in [(14.0, 38.0), (62.0, 86.0)] {
        rules.extend([rule(true, top, 0.0, 300.0), rule(true, bottom, 0.0, 300.0)]);
        rules.extend([58.0, 158.0].iter().map(|&x| rule(false, x, top, bottom)));
    }
    let grid =
        recover_grid(&BBox::new(0.0, 0.0, 300.0, 100.0), &words(&items), &rules, (600.0, 800.0)).expect("a grid");
    assert_eq!((grid.n_rows, grid.n_cols), (6, 3), "{:?}", texts(&grid));
}

#[test]
fn records_set_apart_by_space_keep_their_wrapped_lines_and_a_colon_announces_a_list() {
    // Three-line records 12 pt a line, 22 pt between records (most lines are wrapped
    // ones); the last record's first line ends in a colon and its list follows.
    let chars = words(&[
        ("Factor", 0.0, 8.0),
        ("Details", 100.0, 8.0),
        ("Pre-", 0.0, 30.0),
        ("Chronic pain, anxiety and fear", 100.0, 30.0),
        ("op-", 0.0, 42.0),
        ("smoking, younger age and", 100.0, 42.0),
        ("erative", 0.0, 54.0),
        ("female gender", 100.0, 54.0),
        ("Surgery", 0.0, 76.0),
        ("Kind of surgery, site and", 100.0, 76.0),
        ("haemorrhage, length of stay", 100.0, 88.0),
        ("infections", 100.0, 100.0),
        ("Post", 0.0, 122.0),
        ("Causes:", 100.0, 122.0),
        ("1 opioids", 100.0, 134.0),
        ("2 nerves", 100.0, 146.0),
    ]);
    let rules: Vec<Rule> = [0.0, 16.0, 154.0].iter().map(|&y| rule(true, y, 0.0, 240.0)).collect();
    let grid = recover_grid(&BBox::new(0.0, 0.0, 240.0, 154.0), &chars, &rules, (600.0, 800.0)).expect("a grid");
    assert_eq!((grid.n_rows, grid.n_cols), (4, 2), "{:?}", texts(&grid));
    let text = |r, c| grid.cells.iter().find(|x| (x.row, x.col) == (r, c)).map(|x| x.text.clone());
    assert_eq!(text(1, 1).as_deref(), Some("Chronic pain, anxiety and fear smoking, younger age and female gender"));
    assert_eq!(text(3, 1).as_deref(), Some("Causes: 1 opioids 2 nerves"));
}

#[test]
fn a_border_drawn_as_several_lines_is_one_cut() {
    let cuts = merge_empty_bands(vec![135.0, 140.0, 145.0, 300.0], |a, b| a < 200.0 && b > 200.0);
    assert_eq!(cuts, [140.0, 300.0]);
}

#[test]
fn a_cell_wider_than_most_of_the_table_keeps_to_its_column() {
    // Chinese recommendations (each one word: no spaces) with class and level; the others
    // end at 176 pt, one runs on to 252 pt of the table's 400 (too wide to close a gutter),
    // 50 pt short of the class column. The gutter is the strip from 176 to 302; the cut goes
    // after the long one, not through it.
    let mut items = vec![("推荐意见", 0.0, 8.0), ("推荐强度", 300.0, 8.0), ("证据等级", 360.0, 8.0)];
    let short = "所有急性呼吸困难并疑诊急性心力衰竭的患者均推荐检测血浆利钠肽水平入院时推荐完善导联心电图";
    let long = "所有急性呼吸困难并疑诊急性心力衰竭的患者均推荐检测血浆利钠肽水平入院时推荐完善导联心电图胸部线及肌钙蛋白肌酐电解质等实验室检查";
    for k in 0..8 {
        let y = 24.0 + 12.0 * k as f32;
        items.extend([(if k == 4 { long } else { short }, 0.0, y), ("I", 302.0, y), ("C", 362.0, y)]);
    }
    let grid = recover_grid(&BBox::new(0.0, 0.0, 400.0, 120.0), &words(&items), &[], (600.0, 800.0)).expect("a grid");
    assert_eq!((grid.n_rows, grid.n_cols), (9, 3), "{:?}", texts(&grid));
    let text = |r, c| grid.cells.iter().find(|x| (x.row, x.col) == (r, c)).map(|x| x.text.clone());
    assert_eq!(text(5, 0).as_deref(), Some(long));
    assert_eq!(text(5, 1).as_deref(), Some("I"));
}

#[test]
fn a_short_label_that_would_have_fitted_on_the_line_above_starts_a_record() {
    // Evidence grades per method; "ST" leaves the first grade column empty as a wrapped line
    // would, but it would have fitted after "TENS" within the column's widest line, so it is
    // no continuation of "TENS".
    let mut items = vec![("Treatment", 0.0, 8.0), ("Adults", 60.0, 8.0), ("Children", 120.0, 8.0)];
    let rows = [("PBMT", "B2", ""), ("TENS", "A1", "A2"), ("ST", "", "B2"), ("ESWT", "B2", "A1"), ("rTMS", "A2", "B2")];
    for (k, (a, b, c)) in rows.iter().enumerate() {
        let y = 20.0 + 12.0 * k as f32;
        items.extend([(*a, 0.0, y), (*b, 60.0, y), (*c, 120.0, y)]);
    }
    items.retain(|(t, _, _)| !t.is_empty());
    let rules: Vec<Rule> = [0.0, 14.0, 80.0].iter().map(|&y| rule(true, y, 0.0, 160.0)).collect();
    let grid = recover_grid(&BBox::new(0.0, 0.0, 160.0, 80.0), &words(&items), &rules, (600.0, 800.0)).expect("a grid");
    assert_eq!((grid.n_rows, grid.n_cols), (6, 3), "{:?}", texts(&grid));
}
