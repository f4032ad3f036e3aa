//! Caption wording: "Table 2", "Figure 1", "Algorithm", "表 3", "图1". The text and region stages
//! both ask whether a line opens a caption.

/// Captions of tables and figures in English and Chinese.
pub fn is_caption(text: &str) -> bool {
    let t = text.trim_start();
    // A list of figures in the table of contents names captions but is not one.
    if t.contains("....") || t.contains("…") || t.contains("····") {
        return false;
    }
    let lower = t.to_lowercase();
    for prefix in ["table", "figure", "fig.", "fig", "box", "algorithm", "chart", "appendix table"] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let rest = rest.trim_start();
            let token: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
            if rest.starts_with(|c: char| c.is_ascii_digit())
                || (!token.is_empty() && token.chars().all(|c| "ivx".contains(c)))
            {
                return true;
            }
        }
    }
    for prefix in ['表', '图'] {
        if let Some(rest) = t.strip_prefix(prefix) {
            let rest = rest.trim_start();
            if rest.starts_with(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
                return true;
            }
        }
    }
    false
}

/// A caption that names a table ("Table 2", "表2") rather than a figure.
pub fn is_table_caption(text: &str) -> bool {
    let lower = text.trim_start().to_lowercase();
    lower.starts_with("table") || lower.starts_with('表')
}
