//! Roman class codes misread by OCR. A column of recommendation classes ("I", "IIa", "IIb",
//! "III") comes out of OCR as "1", "lla", "Ha", "|": the strokes of a sans-serif capital I look
//! like a one, a small L, a bar, and two of them joined by a serif like an H. In a column that
//! holds roman codes (some cell reads as one beyond doubt), and only codes, such readings are
//! put back to the capitals they stand for. A column that also holds "2a" or "3" is numbered
//! in arabic (ACC/AHA since 2019) and left as it is.

use crate::model::Cell;

/// Characters OCR gives for the stroke of a capital I (a fax's ragged one reads as a brace or
/// a bracket too).
fn is_stroke(c: char) -> bool {
    matches!(c, 'I' | 'l' | '1' | '|' | '{' | '}' | '[' | ']' | '!' | 'H' | 'V' | 'X' | 'Ⅰ' | 'Ⅱ' | 'Ⅲ' | 'Ⅳ' | 'Ⅴ')
}

/// A class code as OCR may have read it: strokes, then at most one letter a to c.
fn looks_like_code(text: &str) -> bool {
    let body = text.trim_end_matches(['a', 'b', 'c', 'A', 'B', 'C']);
    let suffix = text.len() - body.len();
    !body.is_empty() && body.chars().count() <= 4 && suffix <= 1 && body.chars().all(is_stroke)
}

/// A code no reading of arabic digits gives: a capital I, V or X, a roman numeral sign, an H,
/// or two strokes (arabic classes have one digit).
fn surely_roman(text: &str) -> bool {
    text.chars().any(|c| matches!(c, 'I' | 'V' | 'X' | 'H' | 'Ⅰ' | 'Ⅱ' | 'Ⅲ' | 'Ⅳ' | 'Ⅴ'))
        || text.chars().filter(|&c| is_stroke(c)).count() >= 2
}

/// Arabic numbering of classes: a digit other than one.
fn arabic(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit() && c != '1')
}

/// The code with its misread strokes put back: "1" → "I", "lla" → "IIa", "Ha" → "IIa".
fn repaired(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'l' | '1' | '|' | '{' | '}' | '[' | ']' | '!' => "I".to_string(),
            'H' => "II".to_string(),
            other => other.to_string(),
        })
        .collect()
}

/// Repairs the body cells of every column of roman class codes.
pub fn repair_class_columns(cells: &mut [Cell]) {
    let columns: Vec<u32> = {
        let mut c: Vec<u32> = cells.iter().map(|c| c.col).collect();
        c.sort_unstable();
        c.dedup();
        c
    };
    for col in columns {
        let body: Vec<usize> = (0..cells.len())
            .filter(|&i| cells[i].col == col && cells[i].col_span == 1 && !cells[i].header)
            .filter(|&i| !cells[i].text.trim().is_empty())
            .collect();
        let texts: Vec<&str> = body.iter().map(|&i| cells[i].text.trim()).collect();
        let codes = texts.iter().filter(|t| looks_like_code(t)).count();
        // Section rows set across the table start in this column too: most, not all, cells.
        let of_codes = codes >= 2 && codes * 10 >= texts.len() * 6;
        if !of_codes || !texts.iter().any(|t| looks_like_code(t) && surely_roman(t)) || texts.iter().any(|t| arabic(t))
        {
            continue;
        }
        for &i in &body {
            let text = cells[i].text.trim();
            if looks_like_code(text) {
                cells[i].text = repaired(text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::BBox;

    fn column(texts: &[&str]) -> Vec<Cell> {
        texts
            .iter()
            .enumerate()
            .map(|(row, t)| Cell {
                row: row as u32,
                col: 1,
                row_span: 1,
                col_span: 1,
                text: (*t).into(),
                header: row == 0,
                bbox: BBox::new(0.0, 0.0, 1.0, 1.0),
            })
            .collect()
    }

    fn texts(cells: &[Cell]) -> Vec<&str> {
        cells.iter().map(|c| c.text.as_str()).collect()
    }

    #[test]
    fn misread_roman_classes_are_put_back() {
        let mut cells = column(&["Class", "I", "1", "lla", "Ha", "llb", "Ⅲ", "|"]);
        repair_class_columns(&mut cells);
        assert_eq!(texts(&cells), ["Class", "I", "I", "IIa", "IIa", "IIb", "Ⅲ", "I"]);
        // A fax: not one clean capital, but codes no arabic numbering has.
        let mut cells = column(&["Class", "1", "lla", "{", "11b", "{lb"]);
        repair_class_columns(&mut cells);
        assert_eq!(texts(&cells), ["Class", "I", "IIa", "I", "IIb", "IIb"]);
    }

    #[test]
    fn arabic_classes_and_other_columns_are_left_alone() {
        // ACC/AHA numbering, a column of counts, and ones with nothing surely roman.
        for texts_in in [
            vec!["COR", "1", "2a", "2b", "3: Harm"],
            vec!["n", "1", "12", "1", "3"],
            vec!["Grade", "1", "1", "l"],
            vec!["Level", "A", "B", "C"],
        ] {
            let mut cells = column(&texts_in);
            repair_class_columns(&mut cells);
            assert_eq!(texts(&cells), texts_in);
        }
    }
}
