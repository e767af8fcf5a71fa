package dev.nines.server.store;

/** Where samples are read from: full resolution, or the 1-minute or 1-hour rollups. */
public enum Resolution {
  RAW("raw", 0),
  MINUTE("1m", 60_000),
  HOUR("1h", 3_600_000);

  private final String label;
  private final long bucketMs;

  Resolution(String label, long bucketMs) {
    this.label = label;
    this.bucketMs = bucketMs;
  }

  /** {@code raw}, {@code 1m} or {@code 1h}: the table suffix and the API's {@code source}. */
  public String label() {
    return label;
  }

  /** The width of one rollup bucket; 0 for raw samples. */
  public long bucketMs() {
    return bucketMs;
  }
}
