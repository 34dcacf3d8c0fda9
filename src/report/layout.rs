//! Text layout for terminal output: display width, word wrapping, clipping, and a borderless
//! table that always fits a given number of columns. Pure functions, no I/O.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns `s` takes on a terminal (East Asian wide characters count 2).
pub(crate) fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Wraps `text` into lines of at most `max` columns: at spaces when possible, otherwise a word
/// is cut (long URLs, hashes). Line breaks in `text` are kept. Never returns an empty vector.
pub(crate) fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0;
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let ww = width(word);
            if w > 0 && w + 1 + ww <= max {
                line.push(' ');
                line.push_str(word);
                w += 1 + ww;
                continue;
            }
            if w > 0 {
                lines.push(std::mem::take(&mut line));
            }
            if ww <= max {
                line.push_str(word);
                w = ww;
                continue;
            }
            // A word longer than a line (an id, a URL): cut it after a separator when one is
            // near the end of the line, else at the column limit.
            let mut rest: &str = word;
            while width(rest) > max {
                let mut cut = 0;
                let mut w = 0;
                let mut sep = 0;
                for (i, ch) in rest.char_indices() {
                    let cw = UnicodeWidthChar::width(ch).unwrap_or(0);
                    if w + cw > max {
                        break;
                    }
                    w += cw;
                    cut = i + ch.len_utf8();
                    if matches!(ch, '.' | '/' | '_' | '-' | ':' | '?' | '&' | '=' | ',')
                        && w * 3 >= max
                    {
                        sep = cut;
                    }
                }
                let at = if sep > 0 {
                    sep
                } else {
                    cut.max(rest.chars().next().map_or(1, char::len_utf8))
                };
                lines.push(rest[..at].to_string());
                rest = &rest[at..];
            }
            line.push_str(rest);
            w = width(rest);
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Like [`wrap`], keeping at most `max_lines` lines; a cut is marked with `…` at the end.
pub(crate) fn wrap_clipped(text: &str, max: usize, max_lines: usize) -> Vec<String> {
    let mut lines = wrap(text, max);
    if lines.len() > max_lines.max(1) {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            *last = clip(&format!("{last} …"), max);
        }
    }
    lines
}

/// `s` cut to at most `max` columns, ending with `…` when cut.
pub(crate) fn clip(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for ch in s.chars() {
        let cw = UnicodeWidthChar::width(ch).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(ch);
        w += cw;
    }
    out.push('…');
    out
}

/// `s` padded with spaces to `cols` columns.
pub(crate) fn pad(s: &str, cols: usize) -> String {
    let w = width(s);
    if w >= cols {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(cols - w))
    }
}

/// A paragraph: `first` prefix on the first line, `rest` (usually spaces) on the others, the
/// whole within `total` columns and at most `max_lines` lines.
pub(crate) fn paragraph(
    first: &str,
    rest: &str,
    text: &str,
    total: usize,
    max_lines: usize,
) -> Vec<String> {
    let indent = width(first).max(width(rest));
    let room = total.saturating_sub(indent).max(10);
    wrap_clipped(text, room, max_lines)
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{first}{l}")
            } else {
                format!("{}{l}", pad(rest, indent))
            }
        })
        .collect()
}

/// One column of a [`Grid`].
pub(crate) struct Column {
    /// Header text.
    pub title: &'static str,
    /// Narrowest this column may get.
    pub min: usize,
    /// Widest this column may get (its content wraps past that).
    pub max: usize,
    /// Share of the remaining room this column takes when the table must shrink.
    pub weight: usize,
    /// Lines a cell of this column may take before it is clipped.
    pub max_lines: usize,
}

/// A borderless table (two spaces between columns) laid out to fit a width.
pub(crate) struct Grid {
    columns: Vec<Column>,
    rows: Vec<Vec<String>>,
}

/// One rendered line and the byte range of each column's text in it.
pub(crate) type Line = (String, Vec<(usize, usize)>);

/// A rendered table: header lines, then each row's lines.
pub(crate) struct Rendered {
    /// The header line and its underline.
    pub header: Vec<String>,
    /// One entry per row: its lines, and per line the (start, end) of each column's text.
    pub rows: Vec<Vec<Line>>,
}

const GAP: usize = 2;

impl Grid {
    pub(crate) fn new(columns: Vec<Column>) -> Grid {
        Grid {
            columns,
            rows: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Column widths for `total` columns: natural widths when they fit, else the flexible
    /// columns shrink by weight, never below their minimum.
    fn widths(&self, total: usize) -> Vec<usize> {
        let natural: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let content = self
                    .rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .flat_map(|cell| cell.split('\n').map(width))
                    .max()
                    .unwrap_or(0);
                content.max(width(c.title)).clamp(c.min, c.max.max(c.min))
            })
            .collect();
        let gaps = GAP * self.columns.len().saturating_sub(1);
        let room = total.saturating_sub(gaps);
        if natural.iter().sum::<usize>() <= room {
            return natural;
        }
        let fixed: usize = self
            .columns
            .iter()
            .zip(&natural)
            .filter(|(c, _)| c.weight == 0)
            .map(|(_, n)| *n)
            .sum();
        let flex_room = room.saturating_sub(fixed);
        let weights: usize = self.columns.iter().map(|c| c.weight).sum::<usize>().max(1);
        let mut widths: Vec<usize> = self
            .columns
            .iter()
            .zip(&natural)
            .map(|(c, n)| {
                if c.weight == 0 {
                    *n
                } else {
                    (flex_room * c.weight / weights).clamp(c.min, *n)
                }
            })
            .collect();
        // Hand columns that need less than their share's room to the others, biggest need first.
        let mut spare = room.saturating_sub(widths.iter().sum::<usize>());
        while spare > 0 {
            let Some(i) = (0..widths.len())
                .filter(|i| self.columns[*i].weight > 0 && widths[*i] < natural[*i])
                .max_by_key(|i| natural[*i] - widths[*i])
            else {
                break;
            };
            widths[i] += 1;
            spare -= 1;
        }
        // Still too wide (minimums): take from the widest flexible column.
        while widths.iter().sum::<usize>() > room {
            let Some(i) = (0..widths.len())
                .filter(|i| self.columns[*i].weight > 0 && widths[*i] > 4)
                .max_by_key(|i| widths[*i])
            else {
                break;
            };
            widths[i] -= 1;
        }
        widths
    }

    pub(crate) fn render(&self, total: usize) -> Rendered {
        let widths = self.widths(total);
        let line_of = |cells: &[String]| -> Line {
            let mut line = String::new();
            let mut spans = Vec::new();
            for (i, c) in cells.iter().enumerate() {
                if i > 0 {
                    line.push_str(&" ".repeat(GAP));
                }
                let start = line.len();
                line.push_str(c);
                spans.push((start, line.len()));
                if i + 1 < cells.len() {
                    line.push_str(&" ".repeat(widths[i].saturating_sub(width(c))));
                }
            }
            (line.trim_end().to_string(), spans)
        };
        let titles: Vec<String> = self
            .columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| clip(c.title, *w))
            .collect();
        let header = vec![
            line_of(&titles).0,
            widths
                .iter()
                .map(|w| "─".repeat(*w))
                .collect::<Vec<_>>()
                .join(&" ".repeat(GAP)),
        ];
        let rows = self
            .rows
            .iter()
            .map(|row| {
                let cells: Vec<Vec<String>> = self
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let text = row.get(i).map(String::as_str).unwrap_or("");
                        wrap_clipped(text, widths[i], c.max_lines)
                    })
                    .collect();
                let height = cells.iter().map(Vec::len).max().unwrap_or(1);
                (0..height)
                    .map(|l| {
                        let parts: Vec<String> = cells
                            .iter()
                            .map(|c| c.get(l).cloned().unwrap_or_default())
                            .collect();
                        line_of(&parts)
                    })
                    .collect()
            })
            .collect();
        Rendered { header, rows }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("headers.no_csp", 10), ["headers.", "no_csp"]);
        assert_eq!(wrap("", 4), [""]);
        assert_eq!(wrap_clipped("a b c d e f", 3, 2), ["a b", "c …"]);
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(width("日本"), 4);
    }

    #[test]
    fn grid_fits_the_width() {
        let col = |title, min, max, weight| Column {
            title,
            min,
            max,
            weight,
            max_lines: 3,
        };
        let mut g = Grid::new(vec![
            col("#", 1, 4, 0),
            col("id", 8, 30, 1),
            col("title", 10, 200, 3),
        ]);
        g.push(vec!["1".into(), "dns.no_caa".into(), "x ".repeat(200)]);
        g.push(vec![
            "22".into(),
            "日本語の長いタイトル".into(),
            "short".into(),
        ]);
        for total in [40, 60, 100] {
            let r = g.render(total);
            for l in r
                .header
                .iter()
                .chain(r.rows.iter().flatten().map(|(l, _)| l))
            {
                assert!(width(l) <= total, "{total}: {l:?}");
            }
        }
    }
}
