package dev.nines.server.report;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.Image;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfPageEventHelper;
import com.lowagie.text.pdf.PdfTemplate;
import com.lowagie.text.pdf.PdfWriter;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An {@link UptimeReport} as a PDF document (OpenPDF), A4 landscape: title, period and generation
 * time (UTC), how the figures were counted, a summary table of pools, a daily availability chart per
 * pool (vector bars, the SLO target drawn as a line), a table of hosts, the incidents with the
 * actions taken, and "page N of M" on every page.
 *
 * <p>Every text is set in Liberation Sans, which OpenPDF ships in its own jar ({@value #FONT}), and
 * embedded as a subset: the PDF base-14 fonts are never used, so the document looks the same on
 * every reader. Headings are the same font drawn bold (fill and stroke).
 */
public final class UptimePdf {
  static final String FONT = "font-fallback/LiberationSans-Regular.ttf";
  private static final Color INK = new Color(0x22, 0x22, 0x22);
  private static final Color GREY = new Color(0x66, 0x66, 0x66);
  private static final Color RULE = new Color(0xcc, 0xcc, 0xcc);
  private static final Color HEAD = new Color(0xee, 0xf1, 0xf5);
  private static final Color GOOD = new Color(0x2e, 0x7d, 0x32);
  private static final Color BAD = new Color(0xc6, 0x28, 0x28);
  private static final Color TARGET = new Color(0x15, 0x65, 0xc0);
  private static final Color ODD = new Color(0xfa, 0xfa, 0xfa);
  private static final DrawnTable.Ink INK_PLAIN = new DrawnTable.Ink(INK, false);
  private static final DrawnTable.Ink INK_BOLD = new DrawnTable.Ink(INK, true);
  private static final DrawnTable.Ink INK_GOOD = new DrawnTable.Ink(GOOD, false);
  private static final DrawnTable.Ink INK_BAD = new DrawnTable.Ink(BAD, true);
  /** The y axis starts at the highest of these below both the lowest day and the target. */
  private static final double[] FLOORS = {0.999, 0.99, 0.95, 0.9, 0.8, 0.5, 0.0};

  private static volatile byte[] fontBytes;

  private final BaseFont base;
  private final Font title;
  private final Font h2;
  private final Font body;
  private final Font small;
  private final Font cell;
  private final Font cellBold;
  private final Font cellBad;
  private final Font cellGood;

  private UptimePdf() throws IOException {
    try {
      base = BaseFont.createFont(FONT, BaseFont.IDENTITY_H, BaseFont.EMBEDDED, false, font(), null);
    } catch (DocumentException e) {
      throw new IOException("the report font " + FONT + " cannot be loaded: " + e.getMessage(), e);
    }
    title = new Font(base, 20, Font.BOLD, INK);
    h2 = new Font(base, 13, Font.BOLD, INK);
    body = new Font(base, 9, Font.NORMAL, INK);
    small = new Font(base, 8, Font.NORMAL, GREY);
    cell = new Font(base, 7, Font.NORMAL, INK);
    cellBold = new Font(base, 7, Font.BOLD, INK);
    cellBad = new Font(base, 7, Font.BOLD, BAD);
    cellGood = new Font(base, 7, Font.NORMAL, GOOD);
  }

  /** The font file's bytes, read once from the classpath. */
  private static byte[] font() throws IOException {
    byte[] b = fontBytes;
    if (b == null) {
      try (InputStream in = UptimePdf.class.getClassLoader().getResourceAsStream(FONT)) {
        if (in == null) {
          throw new IOException("the report font " + FONT + " is not on the classpath (it comes with OpenPDF)");
        }
        b = in.readAllBytes();
      }
      fontBytes = b;
    }
    return b;
  }

  /** The report as PDF bytes; {@code generatedAt} is printed under the title. */
  public static byte[] write(UptimeReport r, Instant generatedAt) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    write(r, generatedAt, out);
    return out.toByteArray();
  }

  /** Writes the report as PDF to {@code out} (not closed). */
  public static void write(UptimeReport r, Instant generatedAt, OutputStream out) {
    try {
      new UptimePdf().render(r, generatedAt, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (DocumentException e) {
      throw new IllegalStateException("the PDF report could not be built: " + e.getMessage(), e);
    }
  }

  private void render(UptimeReport r, Instant generatedAt, OutputStream out) throws DocumentException {
    Document doc = new Document(PageSize.A4.rotate(), 36, 36, 36, 40);
    PdfWriter writer = PdfWriter.getInstance(doc, new NonClosing(out));
    writer.setPageEvent(new PageNumbers(base));
    doc.addTitle("Nines uptime report");
    doc.addCreator("Nines");
    doc.addCreationDate();
    doc.open();

    Paragraph t = new Paragraph("Nines uptime report", title);
    t.setSpacingAfter(4);
    doc.add(t);
    doc.add(new Paragraph(
        "Period (UTC): " + UptimeText.minute(r.fromMs()) + " to " + UptimeText.minute(r.toMs())
            + String.format(Locale.ROOT, "  (%s days)", trim((r.toMs() - r.fromMs()) / 86_400_000.0)), body));
    doc.add(new Paragraph("Generated at " + UptimeText.second(generatedAt.toEpochMilli()) + " UTC", body));
    Paragraph acc = new Paragraph("How this was counted: " + r.accounting(), small);
    acc.setSpacingBefore(6);
    acc.setSpacingAfter(4);
    doc.add(acc);

    heading(doc, "Pools");
    if (r.pools().isEmpty()) {
      doc.add(new Paragraph(r.hosts().isEmpty() ? "No pools in this report." : "One-host report: see Hosts.", body));
    } else {
      doc.add(rows(r.pools(), false));
    }

    for (UptimeReport.DailySeries s : r.daily()) {
      Paragraph p = new Paragraph("Daily availability: " + s.kind() + " " + s.id(), h2);
      p.setSpacingBefore(8);
      p.setKeepTogether(true);
      Image chart = Image.getInstance(chart(writer, s));
      chart.setAlignment(Element.ALIGN_LEFT);
      PdfPTable holder = new PdfPTable(1);
      holder.setWidthPercentage(100);
      holder.setKeepTogether(true);
      PdfPCell titleCell = new PdfPCell(p);
      titleCell.setBorder(Rectangle.NO_BORDER);
      holder.addCell(titleCell);
      PdfPCell chartCell = new PdfPCell(chart, false);
      chartCell.setBorder(Rectangle.NO_BORDER);
      holder.addCell(chartCell);
      doc.add(holder);
    }

    doc.newPage();
    float y = drawnHeading(doc, writer, "Hosts", doc.top(), false);
    if (r.hosts().isEmpty()) {
      y = drawnLine(doc, writer, "No hosts in this report.", y);
    } else {
      y = hosts(doc, writer, r.hosts(), y);
    }
    y = drawnHeading(doc, writer, "Incidents", y, true);
    if (r.incidents().isEmpty()) {
      drawnLine(doc, writer, "No incidents in this period.", y);
    } else {
      incidents(doc, writer, r.incidents(), y);
    }
    doc.close();
  }

  private void heading(Document doc, String text) throws DocumentException {
    Paragraph p = new Paragraph(text, h2);
    p.setSpacingBefore(10);
    p.setSpacingAfter(4);
    doc.add(p);
  }

  private static final String[] ROW_HEAD = {
    "Availability", "Requests good", "SLO", "Met", "Budget used", "Down min", "Maint. min", "Incidents",
    "MTTR min", "MTBF min", "Longest min"
  };

  private PdfPTable rows(List<UptimeReport.Row> rows, boolean withPool) throws DocumentException {
    int n = ROW_HEAD.length + (withPool ? 2 : 1);
    PdfPTable table = new PdfPTable(n);
    table.setWidthPercentage(100);
    float[] widths = new float[n];
    java.util.Arrays.fill(widths, 1f);
    widths[0] = withPool ? 1.8f : 2.2f;
    if (withPool) {
      widths[1] = 1.4f;
    }
    table.setWidths(widths);
    table.setHeaderRows(1);
    head(table, withPool ? "Host" : "Pool", false);
    if (withPool) {
      head(table, "Pool", false);
    }
    for (String h : ROW_HEAD) {
      head(table, h, true);
    }
    boolean odd = false;
    for (UptimeReport.Row row : rows) {
      Color shade = odd ? ODD : Color.WHITE;
      odd = !odd;
      text(table, row.id(), cellBold, false, shade);
      if (withPool) {
        text(table, row.pool() == null ? "-" : row.pool(), cell, false, shade);
      }
      Font avail = row.sloMet() == null ? cell : row.sloMet() ? cellGood : cellBad;
      text(table, UptimeText.pct(row.availability()), avail, true, shade);
      text(table, UptimeText.pct(row.requestAvailability()), cell, true, shade);
      text(table, UptimeText.pct(row.sloTarget()), cell, true, shade);
      text(table, UptimeText.met(row.sloMet()), row.sloMet() != null && !row.sloMet() ? cellBad : cell, true, shade);
      text(table, UptimeText.pct(row.errorBudgetUsed()), cell, true, shade);
      text(table, UptimeText.minutes(row.downtimeMinutes()), cell, true, shade);
      text(table, UptimeText.minutes(row.maintenanceMinutes()), cell, true, shade);
      text(table, Integer.toString(row.incidents()), cell, true, shade);
      text(table, UptimeText.minutes(row.mttrMinutes()), cell, true, shade);
      text(table, UptimeText.minutes(row.mtbfMinutes()), cell, true, shade);
      text(table, UptimeText.minutes(row.longestOutageMinutes()), cell, true, shade);
    }
    return table;
  }

  private static final String[] HOST_HEAD = {
    "Host", "Pool", "Availability", "Requests good", "SLO", "Met", "Budget used", "Down min", "Maint. min", "Incidents",
    "MTTR min", "MTBF min", "Longest min"
  };

  /** The host table, drawn directly (see {@link DrawnTable}); returns where it ends. */
  private float hosts(Document doc, PdfWriter writer, List<UptimeReport.Row> rows, float top) {
    float[] widths = new float[HOST_HEAD.length];
    boolean[] right = new boolean[HOST_HEAD.length];
    java.util.Arrays.fill(widths, 1f);
    java.util.Arrays.fill(right, true);
    widths[0] = 1.8f;
    widths[1] = 1.4f;
    right[0] = false;
    right[1] = false;
    DrawnTable table = new DrawnTable(doc, writer, base, 7, widths, right, HOST_HEAD, INK_BOLD, HEAD, RULE);
    table.begin(top);
    boolean odd = false;
    String[] texts = new String[HOST_HEAD.length];
    DrawnTable.Ink[] inks = new DrawnTable.Ink[HOST_HEAD.length];
    for (UptimeReport.Row row : rows) {
      Color shade = odd ? ODD : Color.WHITE;
      odd = !odd;
      java.util.Arrays.fill(inks, INK_PLAIN);
      texts[0] = row.id();
      inks[0] = INK_BOLD;
      texts[1] = row.pool() == null ? "-" : row.pool();
      texts[2] = UptimeText.pct(row.availability());
      inks[2] = row.sloMet() == null ? INK_PLAIN : row.sloMet() ? INK_GOOD : INK_BAD;
      texts[3] = UptimeText.pct(row.requestAvailability());
      texts[4] = UptimeText.pct(row.sloTarget());
      texts[5] = UptimeText.met(row.sloMet());
      inks[5] = row.sloMet() != null && !row.sloMet() ? INK_BAD : INK_PLAIN;
      texts[6] = UptimeText.pct(row.errorBudgetUsed());
      texts[7] = UptimeText.minutes(row.downtimeMinutes());
      texts[8] = UptimeText.minutes(row.maintenanceMinutes());
      texts[9] = Integer.toString(row.incidents());
      texts[10] = UptimeText.minutes(row.mttrMinutes());
      texts[11] = UptimeText.minutes(row.mtbfMinutes());
      texts[12] = UptimeText.minutes(row.longestOutageMinutes());
      table.row(texts, inks, shade);
    }
    return table.end();
  }

  private static final String[] INCIDENT_HEAD = {
    "#", "Subject", "Pool", "Severity", "Start (UTC)", "End (UTC)", "Minutes", "Cause", "Actions taken"
  };

  /** The incidents with their actions, drawn directly (see {@link DrawnTable}). */
  private void incidents(Document doc, PdfWriter writer, List<UptimeReport.IncidentRow> incidents, float top) {
    boolean[] right = {true, false, false, false, false, false, true, false, false};
    DrawnTable table =
        new DrawnTable(doc, writer, base, 7, new float[] {0.5f, 1.5f, 1f, 1.3f, 1.75f, 1.75f, 0.8f, 3.2f, 4.8f}, right,
            INCIDENT_HEAD, INK_BOLD, HEAD, RULE);
    table.begin(top);
    boolean odd = false;
    String[] texts = new String[INCIDENT_HEAD.length];
    DrawnTable.Ink[] inks = new DrawnTable.Ink[INCIDENT_HEAD.length];
    java.util.Arrays.fill(inks, INK_PLAIN);
    inks[1] = INK_BOLD;
    // causes repeat (the same rule, the same reason): each distinct one read once
    Map<String, String> causes = new HashMap<>();
    for (UptimeReport.IncidentRow i : incidents) {
      Color shade = odd ? ODD : Color.WHITE;
      odd = !odd;
      texts[0] = Long.toString(i.id());
      texts[1] = i.subject() + ("pool".equals(i.kind()) ? " (pool)" : "");
      texts[2] = i.pool() == null ? "-" : i.pool();
      texts[3] = i.severity() == null ? "-" : i.severity();
      texts[4] = UptimeText.second(i.startMs());
      texts[5] = i.endMs() == null ? "still open" : UptimeText.second(i.endMs());
      texts[6] = UptimeText.minutes(i.durationMinutes());
      texts[7] = i.cause() == null ? UptimeText.cause(null) : causes.computeIfAbsent(i.cause(), UptimeText::cause);
      texts[8] = i.actions().isEmpty() ? "-" : UptimeText.actions(i.actions());
      table.row(texts, inks, shade);
    }
    table.end();
  }

  /**
   * A section heading drawn below {@code y} (after a gap unless {@code gap} is false), on a new page
   * when it and two table rows would not fit; returns where what follows starts.
   */
  private float drawnHeading(Document doc, PdfWriter writer, String text, float y, boolean gap) {
    float top = gap ? y - 10 : y;
    if (top - 13 - 4 - 40 < doc.bottom()) {
      doc.newPage();
      top = doc.top();
    }
    float baseline = top - 13;
    drawText(writer, text, doc.left(), baseline, 13, true);
    return baseline - 3 - 4;
  }

  /** One line of body text below {@code y}; returns where what follows starts. */
  private float drawnLine(Document doc, PdfWriter writer, String text, float y) {
    float top = y;
    if (top - 14 < doc.bottom()) {
      doc.newPage();
      top = doc.top();
    }
    float baseline = top - 10;
    drawText(writer, text, doc.left(), baseline, 9, false);
    return baseline - 4;
  }

  private void drawText(PdfWriter writer, String text, float x, float baseline, float size, boolean bold) {
    PdfContentByte cb = writer.getDirectContent();
    cb.saveState();
    cb.beginText();
    cb.setFontAndSize(base, size);
    cb.setColorFill(INK);
    if (bold) {
      cb.setTextRenderingMode(PdfContentByte.TEXT_RENDER_MODE_FILL_STROKE);
      cb.setColorStroke(INK);
      cb.setLineWidth(size / 30f);
    }
    cb.showTextAligned(PdfContentByte.ALIGN_LEFT, text, x, baseline, 0);
    cb.endText();
    cb.restoreState();
  }

  private void head(PdfPTable table, String text, boolean right) {
    PdfPCell c = new PdfPCell(new Phrase(text, cellBold));
    c.setBackgroundColor(HEAD);
    c.setBorderColor(RULE);
    c.setPadding(3);
    c.setHorizontalAlignment(right ? Element.ALIGN_RIGHT : Element.ALIGN_LEFT);
    table.addCell(c);
  }

  private static void text(PdfPTable table, String text, Font font, boolean right, Color shade) {
    PdfPCell c = new PdfPCell(new Phrase(text, font));
    c.setBorderColor(RULE);
    c.setBackgroundColor(shade);
    c.setPadding(3);
    c.setHorizontalAlignment(right ? Element.ALIGN_RIGHT : Element.ALIGN_LEFT);
    table.addCell(c);
  }

  // ---- the chart ----

  static final float CHART_W = 760;
  static final float CHART_H = 150;

  /** The lowest value the y axis shows: the highest floor below both the lowest day and the target. Pure. */
  static double axisFloor(List<UptimeReport.Day> days, double target) {
    double low = target;
    for (UptimeReport.Day d : days) {
      if (d.availability() != null) {
        low = Math.min(low, d.availability());
      }
    }
    for (double f : FLOORS) {
      if (f < low) {
        return f;
      }
    }
    return 0.0;
  }

  /** One series as a vector drawing: bars per day from the axis floor, the target as a line, labelled axes. */
  private PdfTemplate chart(PdfWriter writer, UptimeReport.DailySeries s) {
    PdfTemplate t = writer.getDirectContent().createTemplate(CHART_W, CHART_H);
    float left = 58;
    float right = 70;
    float bottom = 30;
    float top = 10;
    float w = CHART_W - left - right;
    float h = CHART_H - bottom - top;
    double floor = axisFloor(s.days(), s.sloTarget());
    double span = 1.0 - floor;
    java.util.function.DoubleUnaryOperator y = v -> bottom + (float) ((Math.max(floor, Math.min(1.0, v)) - floor) / span * h);

    // Grid lines and y labels: the floor, 100 % and three steps between.
    t.setLineWidth(0.4f);
    int decimals = tickDecimals(span / 4);
    for (int k = 0; k <= 4; k++) {
      double v = floor + span * k / 4;
      float yy = (float) y.applyAsDouble(v);
      t.setColorStroke(RULE);
      t.moveTo(left, yy);
      t.lineTo(left + w, yy);
      t.stroke();
      label(t, String.format(Locale.ROOT, "%." + decimals + "f %%", v * 100), left - 4, yy - 2.5f,
          PdfContentByte.ALIGN_RIGHT, 7, GREY);
    }

    int n = s.days().size();
    float slot = w / Math.max(1, n);
    float bar = Math.max(1f, Math.min(28f, slot * 0.7f));
    int every = n <= 31 ? 1 : n <= 62 ? 2 : n <= 124 ? 7 : 14;
    for (int i = 0; i < n; i++) {
      UptimeReport.Day d = s.days().get(i);
      float x = left + i * slot + (slot - bar) / 2;
      if (d.availability() == null) {
        t.setColorStroke(RULE);
        t.setLineWidth(0.6f);
        t.rectangle(x, bottom, bar, 4);
        t.stroke();
      } else {
        float top1 = (float) y.applyAsDouble(d.availability());
        boolean met = d.availability() >= s.sloTarget();
        t.setColorFill(met ? GOOD : BAD);
        t.rectangle(x, bottom, bar, Math.max(0.8f, top1 - bottom));
        t.fill();
        if (!met && n <= 62) {
          label(t, String.format(Locale.ROOT, "%.2f", d.availability() * 100), x + bar / 2,
              Math.min(top1 + 2, bottom + h - 7), PdfContentByte.ALIGN_CENTER, 6, BAD);
        }
      }
      if (i % every == 0) {
        String day = UptimeText.minute(d.fromMs()).substring(5, 10);
        label(t, n <= 31 ? day.substring(3) : day, left + i * slot + slot / 2, bottom - 10, PdfContentByte.ALIGN_CENTER,
            6.5f, GREY);
      }
    }

    // Axes.
    t.setColorStroke(INK);
    t.setLineWidth(0.8f);
    t.moveTo(left, bottom + h);
    t.lineTo(left, bottom);
    t.lineTo(left + w, bottom);
    t.stroke();

    // The target.
    float ty = (float) y.applyAsDouble(s.sloTarget());
    t.setColorStroke(TARGET);
    t.setLineWidth(1.2f);
    t.setLineDash(4, 2, 0);
    t.moveTo(left, ty);
    t.lineTo(left + w, ty);
    t.stroke();
    t.setLineDash(0);
    label(t, "SLO " + String.format(Locale.ROOT, "%.3f %%", s.sloTarget() * 100), left + w + 4, ty - 2.5f, PdfContentByte.ALIGN_LEFT, 7, TARGET);

    String first = UptimeText.minute(s.days().isEmpty() ? 0 : s.days().get(0).fromMs()).substring(0, 7);
    label(t, "UTC day" + (n <= 31 ? " of " + first : "") + "  (bars: availability that day; green at or above the SLO, red below)",
        left, 4, PdfContentByte.ALIGN_LEFT, 7, GREY);
    t.saveState();
    t.beginText();
    t.setFontAndSize(base, 7);
    t.setColorFill(GREY);
    t.showTextAligned(PdfContentByte.ALIGN_CENTER, "availability", 10, bottom + h / 2, 90);
    t.endText();
    t.restoreState();
    return t;
  }

  private void label(PdfTemplate t, String text, float x, float y, int align, float size, Color color) {
    t.beginText();
    t.setFontAndSize(base, size);
    t.setColorFill(color);
    t.showTextAligned(align, text, x, y, 0);
    t.endText();
  }

  /** Decimals a percentage label needs to show a tick step (a ratio) exactly, at most 3. Pure. */
  static int tickDecimals(double stepRatio) {
    for (int d = 0; d < 3; d++) {
      double scaled = stepRatio * 100 * Math.pow(10, d);
      if (Math.abs(scaled - Math.rint(scaled)) < 1e-6) {
        return d;
      }
    }
    return 3;
  }

  private static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.2f", v);
    return s.replaceAll("\\.?0+$", "");
  }

  /** "Page N of M" at the foot of every page; M is written when the document closes. */
  private static final class PageNumbers extends PdfPageEventHelper {
    private final BaseFont font;
    private PdfTemplate total;

    PageNumbers(BaseFont font) {
      this.font = font;
    }

    @Override
    public void onOpenDocument(PdfWriter writer, Document document) {
      total = writer.getDirectContent().createTemplate(40, 12);
    }

    @Override
    public void onEndPage(PdfWriter writer, Document document) {
      PdfContentByte cb = writer.getDirectContent();
      String text = "Nines uptime report  \u00b7  page " + writer.getPageNumber() + " of ";
      float size = 8;
      float width = font.getWidthPoint(text, size);
      float x = document.right() - width - 20;
      float y = document.bottom() - 20;
      cb.saveState();
      cb.beginText();
      cb.setFontAndSize(font, size);
      cb.setColorFill(GREY);
      cb.setTextMatrix(x, y);
      cb.showText(text);
      cb.endText();
      cb.addTemplate(total, x + width, y);
      cb.restoreState();
    }

    @Override
    public void onCloseDocument(PdfWriter writer, Document document) {
      total.beginText();
      total.setFontAndSize(font, 8);
      total.setColorFill(GREY);
      total.setTextMatrix(0, 0);
      total.showText(Integer.toString(writer.getPageNumber() - 1));
      total.endText();
    }
  }

  /** Keeps the caller's stream open when the document closes its writer. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
