//! Plain-text tables in the style of the az CLI's `-o table` (knack): padded columns two
//! spaces apart, a dashed rule under the header, no trailing spaces.

/// Renders rows under headers.
pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<String>, out: &mut String| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(&crate::style::paint(cell));
            let pad = widths[i].saturating_sub(cell.chars().count());
            text.extend(std::iter::repeat_n(' ', pad));
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    // Headers and rules are never coloured: no header is a verdict word.
    line(headers.iter().map(|h| h.to_string()).collect(), &mut out);
    line(widths.iter().map(|w| "-".repeat(*w)).collect(), &mut out);
    for row in rows {
        line(row.clone(), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn knack_style() {
        let out = super::render(&["Source", "State"], &[vec!["Default".into(), "Active".into()]]);
        assert_eq!(out, "Source   State\n-------  ------\nDefault  Active\n");
    }
}
