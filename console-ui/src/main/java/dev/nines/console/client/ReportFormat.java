package dev.nines.console.client;

import java.util.Locale;

/** The uptime report's formats. */
public enum ReportFormat {
  JSON, CSV, HTML, PDF;

  /** The query parameter value and usual file extension. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The format a file name's extension names ({@code .pdf}), or null. */
  public static ReportFormat ofFileName(String name) {
    int dot = name == null ? -1 : name.lastIndexOf('.');
    if (dot < 0) {
      return null;
    }
    String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
    for (ReportFormat f : values()) {
      if (f.wire().equals(ext)) {
        return f;
      }
    }
    return null;
  }
}
