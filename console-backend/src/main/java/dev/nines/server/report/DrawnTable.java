package dev.nines.server.report;

import com.lowagie.text.Document;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfWriter;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A table drawn straight onto the pages' content (rectangles, lines and text runs), for the long
 * tables of the uptime report: OpenPDF's {@code PdfPTable} lays every cell out through its general
 * text machinery (phrases, chunks, bidi lines, column text), which took seconds for the thousands of
 * cells of a 1,000-host report. Here each cell's text is wrapped by measuring it with the font's
 * widths, each row is one filled band, one path of cell boxes and one text object, and a row that does
 * not fit goes to the next page under a repeated header row (a row taller than a page is split by
 * lines). Not thread-safe; one per table.
 */
final class DrawnTable {
  /** How one cell's text is set: its colour, and bold (the regular face filled and stroked). */
  record Ink(Color color, boolean bold) {
    Ink {
      if (color == null) {
        throw new IllegalArgumentException("color is required");
      }
    }
  }

  static final float PAD = 3;
  static final float BORDER = 0.5f;

  private final Document doc;
  private final PdfWriter writer;
  private final BaseFont font;
  private final float size;
  private final float leading;
  private final float[] edges;
  private final boolean[] right;
  private final String[] heads;
  private final Ink headInk;
  private final Color headFill;
  private final Color rule;
  /** Glyph widths by char (thousandths of the size), filled as met; -1 = not looked up yet. */
  private final int[] widths = new int[0x10000];
  private float y;
  private int rowsOnPage;
  /** Where the table's part on this page starts (its vertical rules are drawn when the part ends). */
  private float partTop;
  private boolean partOpen;
  private Color fill;

  /**
   * @param widths the columns' relative widths, spread over the document's text width
   * @param right per column: right-aligned (figures) or left
   */
  DrawnTable(
      Document doc, PdfWriter writer, BaseFont font, float size, float[] widths, boolean[] right, String[] heads,
      Ink headInk, Color headFill, Color rule) {
    if (widths.length != right.length || widths.length != heads.length) {
      throw new IllegalArgumentException("widths, right and heads must have one entry per column");
    }
    this.doc = doc;
    this.writer = writer;
    this.font = font;
    this.size = size;
    this.leading = size * 1.15f;
    this.right = right.clone();
    this.heads = heads.clone();
    this.headInk = headInk;
    this.headFill = headFill;
    this.rule = rule;
    float sum = 0;
    for (float w : widths) {
      sum += w;
    }
    edges = new float[widths.length + 1];
    float span = doc.right() - doc.left();
    edges[0] = doc.left();
    for (int i = 0; i < widths.length; i++) {
      edges[i + 1] = edges[i] + span * widths[i] / sum;
    }
    edges[widths.length] = doc.right();
    java.util.Arrays.fill(this.widths, -1);
  }

  /** The width of {@code s} in points, as {@code font.getWidthPoint(s, size)}, from a per-char cache. */
  float width(String s) {
    int sum = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        return font.getWidthPoint(s, size);
      }
      int w = widths[c];
      if (w < 0) {
        w = font.getWidth(c);
        widths[c] = w;
      }
      sum += w;
    }
    return sum * 0.001f * size;
  }

  /** Starts the table with its header row at {@code top} (page coordinates; a new page if no row fits). */
  void begin(float top) {
    y = top;
    rowsOnPage = 0;
    if (y - height(1) * 2 < doc.bottom()) {
      nextPage();
    } else {
      header();
    }
  }

  /** Ends the table; returns where it ends (the bottom of its last row), for what follows it on the page. */
  float end() {
    closePart();
    return y;
  }

  /** One row: a text per column (lines split at '\n' and wrapped to the column), its inks, its shade. */
  void row(String[] texts, Ink[] inks, Color shade) {
    List<List<String>> lines = new ArrayList<>(texts.length);
    int most = 1;
    for (int c = 0; c < texts.length; c++) {
      List<String> l = wrap(texts[c], edges[c + 1] - edges[c] - 2 * PAD, this::width);
      lines.add(l);
      most = Math.max(most, l.size());
    }
    int from = 0;
    while (from < most) {
      int left = most - from;
      if (height(left) <= y - doc.bottom()) {
        draw(lines, from, left, inks, shade);
        return;
      }
      if (rowsOnPage > 0) {
        nextPage();
        continue;
      }
      // A fresh page and still too tall: as many lines as fit here, the rest on the next page.
      int fit = Math.max(1, (int) ((y - doc.bottom() - height(1)) / leading) + 1);
      draw(lines, from, Math.min(fit, left), inks, shade);
      from += Math.min(fit, left);
      if (from < most) {
        nextPage();
      }
    }
  }

  /** The height of a row of {@code n} lines. */
  private float height(int n) {
    return 2 * PAD + size * 1.1f + (n - 1) * leading;
  }

  private void nextPage() {
    closePart();
    doc.newPage();
    y = doc.top();
    rowsOnPage = 0;
    header();
  }

  private void header() {
    List<List<String>> lines = new ArrayList<>(heads.length);
    int most = 1;
    Ink[] inks = new Ink[heads.length];
    for (int c = 0; c < heads.length; c++) {
      List<String> l = wrap(heads[c], edges[c + 1] - edges[c] - 2 * PAD, this::width);
      lines.add(l);
      most = Math.max(most, l.size());
      inks[c] = headInk;
    }
    draw(lines, 0, most, inks, headFill);
    rowsOnPage = 0;
  }

  /**
   * Lines {@code [from, from + n)} of every cell as one row at {@link #y}, moving {@link #y} below it:
   * its band (none for a white one: the page is white), the rule above it and its text. The rules
   * between the columns and under the last row are drawn once for the table's part on a page
   * ({@link #closePart}).
   */
  private void draw(List<List<String>> lines, int from, int n, Ink[] inks, Color shade) {
    PdfContentByte cb = writer.getDirectContent();
    if (!partOpen) {
      cb.saveState();
      cb.setColorStroke(rule);
      cb.setLineWidth(BORDER);
      partOpen = true;
      partTop = y;
      fill = null;
    }
    float h = height(n);
    float bottom = y - h;
    if (!Color.WHITE.equals(shade)) {
      fill(cb, shade);
      cb.rectangle(edges[0], bottom, edges[edges.length - 1] - edges[0], h);
      cb.fill();
    }
    cb.moveTo(edges[0], y);
    cb.lineTo(edges[edges.length - 1], y);
    cb.stroke();
    cb.beginText();
    cb.setFontAndSize(font, size);
    float first = y - PAD - size * 0.9f;
    for (int c = 0; c < lines.size(); c++) {
      List<String> cell = lines.get(c);
      if (from >= cell.size()) {
        continue;
      }
      Ink ink = inks[c];
      fill(cb, ink.color());
      if (ink.bold()) {
        cb.setTextRenderingMode(PdfContentByte.TEXT_RENDER_MODE_FILL_STROKE);
        cb.setColorStroke(ink.color());
        cb.setLineWidth(size / 30f);
      }
      for (int k = from; k < Math.min(cell.size(), from + n); k++) {
        String text = cell.get(k);
        if (!text.isEmpty()) {
          float x = right[c] ? edges[c + 1] - PAD - width(text) : edges[c] + PAD;
          cb.setTextMatrix(x, first - (k - from) * leading);
          cb.showText(text);
        }
      }
      if (ink.bold()) {
        cb.setTextRenderingMode(PdfContentByte.TEXT_RENDER_MODE_FILL);
        cb.setColorStroke(rule);
        cb.setLineWidth(BORDER);
      }
    }
    cb.endText();
    y = bottom;
    rowsOnPage++;
  }

  /** Sets the fill colour unless it is already the one in force. */
  private void fill(PdfContentByte cb, Color color) {
    if (!color.equals(fill)) {
      cb.setColorFill(color);
      fill = color;
    }
  }

  /** The vertical rules of the table's part on this page, from its top to {@link #y}; ends the part. */
  private void closePart() {
    if (!partOpen) {
      return;
    }
    PdfContentByte cb = writer.getDirectContent();
    cb.moveTo(edges[0], y);
    cb.lineTo(edges[edges.length - 1], y);
    for (float x : edges) {
      cb.moveTo(x, partTop);
      cb.lineTo(x, y);
    }
    cb.stroke();
    cb.restoreState();
    partOpen = false;
  }

  /**
   * {@code text} as lines no wider than {@code width} by {@code measure}: split at '\n', then broken
   * at spaces, and a word wider than the line broken between characters. Never drops a character
   * but the spaces it breaks at; at least one line (empty for a null or empty text). Pure.
   */
  static List<String> wrap(String text, float width, ToDoubleFunction<String> measure) {
    List<String> out = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      out.add("");
      return out;
    }
    for (String para : text.split("\n", -1)) {
      if (measure.applyAsDouble(para) <= width) {
        out.add(para);
        continue;
      }
      StringBuilder line = new StringBuilder();
      for (String word : para.split(" ", -1)) {
        String joined = line.length() == 0 ? word : line + " " + word;
        if (measure.applyAsDouble(joined) <= width) {
          line.setLength(0);
          line.append(joined);
          continue;
        }
        if (line.length() > 0) {
          out.add(line.toString());
          line.setLength(0);
        }
        // the word alone: broken between characters while wider than the line
        String rest = word;
        while (measure.applyAsDouble(rest) > width && rest.length() > 1) {
          int cut = rest.length() - 1;
          while (cut > 1 && measure.applyAsDouble(rest.substring(0, cut)) > width) {
            cut--;
          }
          out.add(rest.substring(0, cut));
          rest = rest.substring(cut);
        }
        line.append(rest);
      }
      out.add(line.toString());
    }
    return out;
  }
}
