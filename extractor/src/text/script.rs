//! Character classes that decide spacing and joining: CJK, ligatures, hyphens, bullets.

/// Han, kana, hangul and CJK punctuation: scripts written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF      // radicals
        | 0x3000..=0x303F    // CJK symbols and punctuation
        | 0x3040..=0x30FF    // hiragana, katakana
        | 0x3100..=0x312F    // bopomofo
        | 0x3190..=0x31FF
        | 0x3200..=0x33FF    // enclosed, compatibility
        | 0x3400..=0x4DBF    // extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xAC00..=0xD7AF    // hangul
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFE30..=0xFE4F    // compatibility forms
        | 0xFF00..=0xFF0F    // full-width punctuation (full-width letters and digits are
        | 0xFF1A..=0xFF20    //   folded to ASCII by `fold_fullwidth` and spaced like Latin)
        | 0xFF3B..=0xFF40
        | 0xFF5B..=0xFF65
        | 0x20000..=0x2FA1F) // supplementary ideographs
}

/// Folds full-width Latin letters and digits (`ｐａｉｎ`, `２０２４`), common in Chinese
/// typesetting, to ASCII so that words and numbers read as such downstream.
pub fn fold_fullwidth(c: char) -> char {
    match c as u32 {
        0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Expands typographic ligatures (U+FB00..U+FB06) that fonts map to one code point.
pub fn expand_ligature(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{FB00}' => "ff",
        '\u{FB01}' => "fi",
        '\u{FB02}' => "fl",
        '\u{FB03}' => "ffi",
        '\u{FB04}' => "ffl",
        '\u{FB05}' | '\u{FB06}' => "st",
        _ => return None,
    })
}

/// Hyphens that may end a line in the middle of a word.
pub fn is_line_end_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{00AD}' | '\u{2010}' | '\u{2011}')
}

/// Characters that are spaces in the text layer.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{00A0}' || c == '\u{3000}'
}

/// Starts of list items: bullets and enumerators in English and Chinese.
pub fn starts_list_item(text: &str) -> bool {
    let t = text.trim_start();
    let Some(first) = t.chars().next() else {
        return false;
    };
    if matches!(first, '–' | '—' | '*' | '-') {
        return t.chars().nth(1).is_some_and(char::is_whitespace);
    }
    if matches!(first, '•' | '·' | '●' | '○' | '◦' | '■' | '□' | '▪' | '▫' | '◆' | '◇' | '►' | '▶' | '➢' | '✓' | '✔')
    {
        return true;
    }
    if ('\u{2460}'..='\u{2473}').contains(&first) {
        return true; // ① .. ⑳
    }
    enumerator_len(t).is_some()
}

/// Length in bytes of a leading enumerator such as `1.`, `2)`, `(3)`, `a.`, `iv)`, `（一）`,
/// `一、`, followed by text.
pub fn enumerator_len(t: &str) -> Option<usize> {
    let bytes_before = |n: usize| t.char_indices().nth(n).map(|(i, _)| i).unwrap_or(t.len());
    let chars: Vec<char> = t.chars().take(8).collect();
    let (open, start) = match chars.first() {
        Some('(') | Some('（') => (true, 1),
        _ => (false, 0),
    };
    let mut i = start;
    let is_cn_num = |c: char| "一二三四五六七八九十".contains(c);
    let token_start = i;
    while i < chars.len() && (chars[i].is_ascii_digit() || is_cn_num(chars[i])) && i - token_start < 3 {
        i += 1;
    }
    if i == token_start {
        // a single letter or a short roman numeral
        while i < chars.len() && "ivxIVX".contains(chars[i]) && i - token_start < 4 {
            i += 1;
        }
        if i == token_start && i < chars.len() && chars[i].is_ascii_alphabetic() {
            // "a." and "A)" enumerate; "A." is far more often an initial ("A. Author").
            let next = chars.get(i + 1).copied();
            if chars[i].is_ascii_lowercase() || next == Some(')') {
                i += 1;
            }
        }
    }
    if i == token_start || i >= chars.len() {
        return None;
    }
    let close = chars[i];
    let ok = if open { close == ')' || close == '）' } else { matches!(close, '.' | ')' | '、' | '）' | '．') };
    if !ok {
        return None;
    }
    // "1.2" is a section number, not an enumerator followed by text.
    let next = chars.get(i + 1).copied();
    if close == '.' && next.is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(bytes_before(i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_classes() {
        assert!(is_cjk('指'));
        assert!(is_cjk('，'));
        assert!(is_cjk('　'));
        assert!(!is_cjk('A'));
        assert!(!is_cjk('1'));
        assert!(!is_cjk('ｐ'));
        assert_eq!(fold_fullwidth('ｐ'), 'p');
        assert_eq!(fold_fullwidth('２'), '2');
        assert_eq!(fold_fullwidth('，'), '，');
    }

    #[test]
    fn list_items() {
        for yes in [
            "• Oxygen",
            "1. Call for help",
            "(2) Lie flat",
            "a) Adrenaline",
            "① 评估",
            "（一）诊断",
            "一、概述",
            "iv) Repeat",
        ] {
            assert!(starts_list_item(yes), "{yes}");
        }
        for no in ["1.2 Methods", "Adrenaline 0.5 mg", "", "2024 update", "-5 °C", "A. Author, B. Writer"] {
            assert!(!starts_list_item(no), "{no}");
        }
    }
}
