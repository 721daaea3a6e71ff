//! A small PDF writer for Ventanilla's printable documents (the bid proposal, the
//! registration receipt): a [`Document`] is built from headings, paragraphs with word
//! wrap, simple tables and spacing, then laid out on A4 or Letter pages with page
//! numbers and written as PDF bytes. Pure: no IO, no clock, so the same document gives
//! the same bytes.
//!
//! Text uses the standard Helvetica fonts every PDF viewer has built in, with
//! WinAnsiEncoding, so Spanish (á é í ó ú ñ Ñ ¿ ¡ ü) prints and can be copied and
//! searched; characters outside that encoding print as `?`.

mod metrics;

use std::fmt::Write as _;

/// The paper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageSize {
    /// 210 × 297 mm.
    A4,
    /// 8.5 × 11 in, common in Mexican offices.
    Letter,
}

impl PageSize {
    /// Width and height in points (1/72 in).
    fn points(self) -> (f32, f32) {
        match self {
            PageSize::A4 => (595.28, 841.89),
            PageSize::Letter => (612.0, 792.0),
        }
    }
}

/// How text sits in a table column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    /// For amounts, so their digits line up.
    Right,
}

/// A table column: its header, its share of the table's width, and its alignment.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub header: String,
    /// Relative to the other columns' weights.
    pub weight: f32,
    pub align: Align,
}

impl Column {
    pub fn new(header: &str, weight: f32, align: Align) -> Column {
        Column {
            header: header.to_owned(),
            weight,
            align,
        }
    }
}

/// A table row; a bold one stands out, such as a total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<String>,
    pub bold: bool,
}

impl Row {
    pub fn new(cells: Vec<String>) -> Row {
        Row { cells, bold: false }
    }

    pub fn bold(cells: Vec<String>) -> Row {
        Row { cells, bold: true }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Block {
    Heading {
        text: String,
        size: f32,
    },
    /// Runs of (bold, text), wrapped together.
    Paragraph(Vec<(bool, String)>),
    Table {
        columns: Vec<Column>,
        rows: Vec<Row>,
    },
    Space(f32),
    PageBreak,
}

/// A document being built, block after block.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    size: PageSize,
    title: String,
    page_label: Option<String>,
    blocks: Vec<Block>,
}

const MARGIN: f32 = 56.0;
const BODY_SIZE: f32 = 10.0;
const TABLE_SIZE: f32 = 9.0;
const LEADING: f32 = 1.3;
const CELL_PADDING: f32 = 3.0;
const FOOTER_SIZE: f32 = 8.0;

impl Document {
    pub fn new(size: PageSize) -> Document {
        Document {
            size,
            title: String::new(),
            page_label: None,
            blocks: Vec::new(),
        }
    }

    /// The title viewers show for the file.
    pub fn title(&mut self, title: &str) -> &mut Self {
        self.title = title.to_owned();
        self
    }

    /// Numbers every page at its foot with `template`, where `{page}` and `{pages}`
    /// stand for the page's number and the count, such as `Página {page} de {pages}`.
    pub fn page_numbers(&mut self, template: &str) -> &mut Self {
        self.page_label = Some(template.to_owned());
        self
    }

    /// A document's or a part's heading.
    pub fn heading(&mut self, text: &str) -> &mut Self {
        self.blocks.push(Block::Heading {
            text: text.to_owned(),
            size: 15.0,
        });
        self
    }

    /// A section's heading, smaller.
    pub fn subheading(&mut self, text: &str) -> &mut Self {
        self.blocks.push(Block::Heading {
            text: text.to_owned(),
            size: 11.5,
        });
        self
    }

    /// A paragraph, wrapped to the page's width; a newline in `text` starts a new line.
    pub fn paragraph(&mut self, text: &str) -> &mut Self {
        self.blocks
            .push(Block::Paragraph(vec![(false, text.to_owned())]));
        self
    }

    /// A line such as `RFC: GODE561231GR8`, its label in bold.
    pub fn field(&mut self, label: &str, value: &str) -> &mut Self {
        self.blocks.push(Block::Paragraph(vec![
            (true, format!("{label}:")),
            (false, value.to_owned()),
        ]));
        self
    }

    /// A table with a header row; long cells wrap within their column, and a table
    /// that runs past a page goes on with its header repeated.
    pub fn table(&mut self, columns: Vec<Column>, rows: Vec<Row>) -> &mut Self {
        self.blocks.push(Block::Table { columns, rows });
        self
    }

    /// Vertical space, in points.
    pub fn space(&mut self, points: f32) -> &mut Self {
        self.blocks.push(Block::Space(points));
        self
    }

    pub fn page_break(&mut self) -> &mut Self {
        self.blocks.push(Block::PageBreak);
        self
    }

    /// Lays the document out and writes it as PDF.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut layout = Layout::new(self.size);
        for block in &self.blocks {
            layout.place(block);
        }
        let mut pages = layout.finish();
        if let Some(template) = &self.page_label {
            let count = pages.len();
            for (index, page) in pages.iter_mut().enumerate() {
                let label = template
                    .replace("{page}", &(index + 1).to_string())
                    .replace("{pages}", &count.to_string());
                let (width, _) = self.size.points();
                let x = (width - text_width(&label, false, FOOTER_SIZE)) / 2.0;
                page.text(x, MARGIN / 2.0, FOOTER_SIZE, false, &label);
            }
        }
        write_pdf(self.size, &self.title, &pages)
    }
}

/// The drawing operators of one page.
#[derive(Default)]
struct Page {
    content: String,
}

impl Page {
    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        let font = if bold { "F2" } else { "F1" };
        let _ = writeln!(
            self.content,
            "BT /{font} {size:.1} Tf {x:.2} {y:.2} Td ({}) Tj ET",
            escape(text)
        );
    }

    fn rectangle(&mut self, x: f32, y: f32, width: f32, height: f32, fill_gray: Option<f32>) {
        match fill_gray {
            Some(gray) => {
                let _ = writeln!(
                    self.content,
                    "q {gray:.2} g {x:.2} {y:.2} {width:.2} {height:.2} re f Q"
                );
            }
            None => {
                let _ = writeln!(
                    self.content,
                    "q 0.5 w 0.6 G {x:.2} {y:.2} {width:.2} {height:.2} re S Q"
                );
            }
        }
    }
}

/// Places blocks top to bottom, starting pages as they fill.
struct Layout {
    width: f32,
    height: f32,
    pages: Vec<Page>,
    /// The baseline region's top on the current page: the next block starts below it.
    cursor: f32,
}

impl Layout {
    fn new(size: PageSize) -> Layout {
        let (width, height) = size.points();
        Layout {
            width,
            height,
            pages: vec![Page::default()],
            cursor: height - MARGIN,
        }
    }

    fn text_width(&self) -> f32 {
        self.width - 2.0 * MARGIN
    }

    fn bottom(&self) -> f32 {
        MARGIN
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.cursor = self.height - MARGIN;
    }

    /// Starts a new page unless `needed` points fit below the cursor.
    fn ensure(&mut self, needed: f32) {
        if self.cursor - needed < self.bottom() && self.cursor < self.height - MARGIN {
            self.new_page();
        }
    }

    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(Page::default());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn place(&mut self, block: &Block) {
        match block {
            Block::Heading { text, size } => {
                let lines = wrap(&[(true, text.clone())], *size, self.text_width());
                // Keep a heading with at least two lines of what follows.
                self.ensure(lines.len() as f32 * size * LEADING + 3.0 * BODY_SIZE * LEADING);
                self.cursor -= size * 0.6;
                self.lines(&lines, *size);
                self.cursor -= size * 0.4;
            }
            Block::Paragraph(runs) => {
                let lines = wrap(runs, BODY_SIZE, self.text_width());
                self.lines(&lines, BODY_SIZE);
                self.cursor -= BODY_SIZE * 0.6;
            }
            Block::Table { columns, rows } => self.table(columns, rows),
            Block::Space(points) => self.cursor -= points,
            Block::PageBreak => self.new_page(),
        }
    }

    fn lines(&mut self, lines: &[Line], size: f32) {
        for line in lines {
            self.ensure(size * LEADING);
            self.cursor -= size * LEADING;
            let y = self.cursor + size * (LEADING - 1.0);
            let mut x = MARGIN;
            for (bold, text) in &line.runs {
                self.page().text(x, y, size, *bold, text);
                x += text_width(text, *bold, size);
            }
        }
    }

    fn table(&mut self, columns: &[Column], rows: &[Row]) {
        if columns.is_empty() {
            return;
        }
        let total_weight: f32 = columns.iter().map(|c| c.weight.max(0.0)).sum();
        let widths: Vec<f32> = columns
            .iter()
            .map(|c| {
                if total_weight > 0.0 {
                    self.text_width() * c.weight.max(0.0) / total_weight
                } else {
                    self.text_width() / columns.len() as f32
                }
            })
            .collect();
        let header = Row::bold(columns.iter().map(|c| c.header.clone()).collect());
        let header_cells = self.cells(&header, columns, &widths);
        self.ensure(row_height(&header_cells) * 2.0);
        self.row(&header_cells, columns, &widths, Some(0.88));
        for row in rows {
            let cells = self.cells(row, columns, &widths);
            let height = row_height(&cells);
            if self.cursor - height < self.bottom() {
                self.new_page();
                self.row(&header_cells, columns, &widths, Some(0.88));
            }
            self.row(&cells, columns, &widths, None);
        }
        self.cursor -= BODY_SIZE * 0.8;
    }

    /// Each cell of `row` wrapped to its column.
    fn cells(&self, row: &Row, columns: &[Column], widths: &[f32]) -> Vec<(bool, Vec<Line>)> {
        columns
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(index, (_, width))| {
                let text = row.cells.get(index).cloned().unwrap_or_default();
                let lines = wrap(&[(row.bold, text)], TABLE_SIZE, width - 2.0 * CELL_PADDING);
                (row.bold, lines)
            })
            .collect()
    }

    fn row(
        &mut self,
        cells: &[(bool, Vec<Line>)],
        columns: &[Column],
        widths: &[f32],
        fill: Option<f32>,
    ) {
        let height = row_height(cells);
        let top = self.cursor;
        let mut x = MARGIN;
        for ((_, lines), (column, width)) in cells.iter().zip(columns.iter().zip(widths)) {
            if fill.is_some() {
                self.page().rectangle(x, top - height, *width, height, fill);
            }
            self.page().rectangle(x, top - height, *width, height, None);
            let mut baseline = top - CELL_PADDING - TABLE_SIZE;
            for line in lines {
                let line_width: f32 = line
                    .runs
                    .iter()
                    .map(|(b, t)| text_width(t, *b, TABLE_SIZE))
                    .sum();
                let mut text_x = match column.align {
                    Align::Left => x + CELL_PADDING,
                    Align::Right => x + width - CELL_PADDING - line_width,
                };
                for (bold, text) in &line.runs {
                    self.page().text(text_x, baseline, TABLE_SIZE, *bold, text);
                    text_x += text_width(text, *bold, TABLE_SIZE);
                }
                baseline -= TABLE_SIZE * LEADING;
            }
            x += width;
        }
        self.cursor -= height;
    }

    fn finish(self) -> Vec<Page> {
        self.pages
    }
}

fn row_height(cells: &[(bool, Vec<Line>)]) -> f32 {
    let lines = cells.iter().map(|(_, l)| l.len()).max().unwrap_or(1).max(1);
    lines as f32 * TABLE_SIZE * LEADING + 2.0 * CELL_PADDING
}

/// One laid-out line: runs of (bold, text).
#[derive(Clone, Debug, Default, PartialEq)]
struct Line {
    runs: Vec<(bool, String)>,
}

impl Line {
    fn push(&mut self, bold: bool, text: &str) {
        match self.runs.last_mut() {
            Some((last_bold, last)) if *last_bold == bold => last.push_str(text),
            _ => self.runs.push((bold, text.to_owned())),
        }
    }
}

/// The width of `text` in points at `size`.
fn text_width(text: &str, bold: bool, size: f32) -> f32 {
    let thousandths: u32 = text
        .chars()
        .map(|c| u32::from(metrics::width(metrics::encode(c), bold)))
        .sum();
    thousandths as f32 * size / 1000.0
}

/// Wraps runs of text into lines at most `width` points wide, breaking between words
/// and, for a word longer than a line, within it. Newlines end a line.
fn wrap(runs: &[(bool, String)], size: f32, width: f32) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut line = Line::default();
    let mut used = 0.0;
    let space = |bold| text_width(" ", bold, size);
    for (bold, text) in runs {
        let bold = *bold;
        for (index, paragraph_line) in text.split('\n').enumerate() {
            if index > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0.0;
            }
            for word in paragraph_line.split_whitespace() {
                let mut word = word.to_owned();
                loop {
                    let word_width = text_width(&word, bold, size);
                    let gap = if used > 0.0 { space(bold) } else { 0.0 };
                    if used + gap + word_width <= width {
                        if gap > 0.0 {
                            line.push(bold, " ");
                        }
                        line.push(bold, &word);
                        used += gap + word_width;
                        break;
                    }
                    if used > 0.0 {
                        lines.push(std::mem::take(&mut line));
                        used = 0.0;
                        continue;
                    }
                    // A word wider than the line: as much of it as fits, then the rest.
                    let (head, tail) = split_to_fit(&word, bold, size, width);
                    line.push(bold, &head);
                    lines.push(std::mem::take(&mut line));
                    if tail.is_empty() {
                        break;
                    }
                    word = tail;
                }
            }
        }
    }
    if !line.runs.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The longest start of `word` (at least one character) that fits in `width`, and
/// the rest.
fn split_to_fit(word: &str, bold: bool, size: f32, width: f32) -> (String, String) {
    let mut used = 0.0;
    let mut cut = 0;
    for (index, c) in word.char_indices() {
        let w = text_width(c.encode_utf8(&mut [0; 4]), bold, size);
        if used + w > width && index > 0 {
            break;
        }
        used += w;
        cut = index + c.len_utf8();
    }
    (word[..cut].to_owned(), word[cut..].to_owned())
}

/// A PDF literal string's body: WinAnsi bytes, with delimiters escaped and bytes
/// outside ASCII written in octal so the content stream stays ASCII.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match metrics::encode(c) {
            b'(' => out.push_str("\\("),
            b')' => out.push_str("\\)"),
            b'\\' => out.push_str("\\\\"),
            code if code.is_ascii() && !code.is_ascii_control() => out.push(char::from(code)),
            code => {
                let _ = write!(out, "\\{code:03o}");
            }
        }
    }
    out
}

/// A text string for the document information: UTF-16BE with its byte order mark.
fn info_string(text: &str) -> String {
    let mut out = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(out, "{unit:04X}");
    }
    out.push('>');
    out
}

/// Writes the objects: 1 catalog, 2 page tree, 3 and 4 the fonts, 5 the information,
/// then each page and its content stream.
fn write_pdf(size: PageSize, title: &str, pages: &[Page]) -> Vec<u8> {
    let (width, height) = size.points();
    let page_ids: Vec<usize> = (0..pages.len()).map(|i| 6 + 2 * i).collect();
    let kids: Vec<String> = page_ids.iter().map(|id| format!("{id} 0 R")).collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        ),
        font("Helvetica"),
        font("Helvetica-Bold"),
        format!("<< /Title {} /Producer (Ventanilla) >>", info_string(title)),
    ];
    for (page, id) in pages.iter().zip(&page_ids) {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.2} {height:.2}] \
             /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
            id + 1
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{}endstream",
            page.content.len(),
            page.content
        ));
    }
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (index, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", index + 1).as_bytes());
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        // Each entry is 20 bytes: the space before the newline is part of it.
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    out
}

fn font(name: &str) -> String {
    format!("<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.runs.iter().map(|(_, t)| t.as_str()).collect())
            .collect()
    }

    #[test]
    fn wrapping_breaks_between_words_within_the_width() {
        let text = "Adquisición de artículos de papelería para la alcaldía Benito Juárez";
        let lines = wrap(&[(false, text.to_owned())], 10.0, 120.0);
        assert!(lines.len() > 1);
        for line in &lines {
            let width: f32 = line.runs.iter().map(|(b, t)| text_width(t, *b, 10.0)).sum();
            assert!(width <= 120.0, "{line:?}");
        }
        assert_eq!(words(&lines).join(" "), text);
    }

    #[test]
    fn a_word_longer_than_the_line_is_split_and_newlines_break() {
        let long = "A".repeat(60);
        let lines = wrap(&[(false, long.clone())], 10.0, 100.0);
        assert!(lines.len() > 1);
        assert_eq!(words(&lines).concat(), long);
        let lines = wrap(&[(false, "uno\ndos".to_owned())], 10.0, 500.0);
        assert_eq!(words(&lines), vec!["uno", "dos"]);
        assert_eq!(wrap(&[(false, String::new())], 10.0, 100.0).len(), 1);
    }

    #[test]
    fn bold_and_plain_runs_share_a_line() {
        let lines = wrap(
            &[(true, "RFC:".into()), (false, "GODE561231GR8".into())],
            10.0,
            500.0,
        );
        assert_eq!(
            lines[0].runs,
            vec![
                (true, "RFC:".to_owned()),
                (false, " GODE561231GR8".to_owned())
            ]
        );
    }

    #[test]
    fn strings_are_escaped_into_winansi_octal() {
        assert_eq!(escape("a(b)c\\"), "a\\(b\\)c\\\\");
        assert_eq!(escape("¿Año?"), "\\277A\\361o?");
        assert_eq!(info_string("ñ"), "<FEFF00F1>");
    }

    #[test]
    fn the_cross_reference_table_points_at_each_object() {
        let mut document = Document::new(PageSize::Letter);
        document.title("Prueba").heading("Hola").paragraph("Texto");
        let bytes = document.to_bytes();
        let marker = b"startxref\n";
        let at = bytes
            .windows(marker.len())
            .rposition(|w| w == marker)
            .unwrap_or(0);
        let tail = std::str::from_utf8(&bytes[at + marker.len()..]).unwrap_or("");
        let xref_at: usize = tail
            .lines()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let table = std::str::from_utf8(&bytes[xref_at..]).unwrap_or("");
        assert!(table.starts_with("xref\n0 8\n"), "{table}");
        let entries: Vec<usize> = table
            .lines()
            .skip(3)
            .take(7)
            .filter_map(|l| l.split(' ').next()?.parse().ok())
            .collect();
        assert_eq!(entries.len(), 7);
        for (index, offset) in entries.iter().enumerate() {
            let expected = format!("{} 0 obj", index + 1);
            assert_eq!(
                &bytes[*offset..*offset + expected.len()],
                expected.as_bytes()
            );
        }
    }

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        let build = || {
            let mut d = Document::new(PageSize::A4);
            d.page_numbers("Página {page} de {pages}").paragraph("uno");
            d.to_bytes()
        };
        assert_eq!(build(), build());
    }
}
