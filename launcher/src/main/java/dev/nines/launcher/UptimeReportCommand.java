package dev.nines.launcher;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nines report uptime}: fetches {@code GET /api/v1/reports/uptime} from a running server and
 * writes it to a file or standard output. Exit codes: 0 written, 1 the server refused or could not be
 * reached (its JSON error is printed), 2 a usage mistake.
 */
@Command(
    name = "uptime",
    mixinStandardHelpOptions = true,
    description = {
      "Export the uptime (SLA) report of every pool, one pool or one host over a period, from a running server.",
      "Give the period exactly one way: --from [--to], --month or --last."
    },
    footer = {
      "",
      "Examples:",
      "  nines report uptime --month 2026-11 --out november.pdf",
      "  nines report uptime --last 30d --pool llama-70b --format csv > llama.csv",
      "  nines report uptime --from 2026-11-01 --to 2026-11-15 --host gpu-node-03 --out node3.html"
    })
final class UptimeReportCommand implements Callable<Integer> {
  static final int USAGE = CommandLine.ExitCode.USAGE;
  static final int FAILED = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--server", description = "Backend URL (default: ${DEFAULT-VALUE}; env NINES_SERVER).",
      defaultValue = "http://localhost:7070")
  String server;

  @Option(names = "--token", description = "Bearer token, viewer or above (env NINES_TOKEN).")
  String token;

  @Option(names = "--from", paramLabel = "WHEN",
      description = "Start: an ISO-8601 instant (2026-11-02T10:00:00Z) or a UTC date (2026-11-02).")
  String from;

  @Option(names = "--to", paramLabel = "WHEN",
      description = "End (exclusive): an instant, or a UTC date meaning the end of that day (default: now).")
  String to;

  @Option(names = "--month", paramLabel = "YYYY-MM", description = "A calendar month in UTC, e.g. 2026-11.")
  String month;

  @Option(names = "--last", paramLabel = "LENGTH", description = "The last 7d, 30d, 90d (any Nd up to 400d, or Nh).")
  String last;

  @Option(names = "--pool", description = "Only this pool.")
  String pool;

  @Option(names = "--host", description = "Only this host.")
  String host;

  @Option(names = "--format", description = "csv, json, html or pdf (default: from --out's extension, else json).")
  String format;

  @Option(names = "--out", paramLabel = "FILE", description = "Write here (default: standard output; pdf needs a file).")
  Path out;

  @Option(names = "--progress", description = "Show bytes received while downloading (on by default on a terminal).")
  boolean progress;

  @Option(names = "--timeout", description = "Give up after this many seconds (default: ${DEFAULT-VALUE}).",
      defaultValue = "300")
  int timeoutSeconds;

  Clock clock = Clock.systemUTC();
  LongSupplier nanos = System::nanoTime;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    ReportPeriod period;
    String fmt;
    try {
      period = ReportPeriod.of(from, to, month, last, clock.instant());
      fmt = format(format, out);
      if (pool != null && host != null) {
        throw new IllegalArgumentException("give --pool or --host, not both");
      }
      if (fmt.equals("pdf") && out == null) {
        throw new IllegalArgumentException("a pdf is binary: give --out FILE");
      }
      if (timeoutSeconds < 1) {
        throw new IllegalArgumentException("--timeout must be at least 1 (was " + timeoutSeconds + ")");
      }
    } catch (IllegalArgumentException e) {
      err.println("nines report uptime: " + e.getMessage());
      err.println("Try 'nines report uptime --help'.");
      err.flush();
      return USAGE;
    }
    URI uri;
    try {
      uri = uri(server, period, pool, host, fmt);
    } catch (IllegalArgumentException e) {
      err.println("nines report uptime: --server: '" + server + "' is not a URL (" + e.getMessage() + ")");
      err.flush();
      return USAGE;
    }
    try {
      return fetch(uri, fmt, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("nines report uptime: interrupted");
      err.flush();
      return FAILED;
    }
  }

  private int fetch(URI uri, String fmt, PrintWriter err) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(timeoutSeconds)).GET();
    if (token != null && !token.isBlank()) {
      req.header("Authorization", "Bearer " + token.strip());
    }
    HttpResponse<InputStream> res;
    try {
      res = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      err.println("nines report uptime: cannot reach " + server + " (connection refused): is the server running?");
      err.flush();
      return FAILED;
    } catch (HttpTimeoutException e) {
      err.println("nines report uptime: " + server + " did not answer within " + timeoutSeconds + " s");
      err.flush();
      return FAILED;
    } catch (IOException e) {
      err.println("nines report uptime: cannot reach " + server + ": " + e);
      err.flush();
      return FAILED;
    }
    if (res.statusCode() != 200) {
      String body;
      try (InputStream in = res.body()) {
        body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        body = "(no body: " + e.getMessage() + ")";
      }
      err.println("nines report uptime: the server answered " + res.statusCode() + ": " + body);
      err.flush();
      return FAILED;
    }
    boolean live = progress || System.console() != null;
    Progress meter = new Progress(err, live, nanos);
    Path tmp = null;
    try (InputStream body = new Counting(res.body(), meter)) {
      if (out == null) {
        PrintWriter stdout = spec.commandLine().getOut();
        Reader r = new InputStreamReader(body, StandardCharsets.UTF_8);
        char[] buf = new char[16 * 1024];
        for (int n; (n = r.read(buf)) >= 0; ) {
          stdout.write(buf, 0, n);
        }
        stdout.flush();
      } else {
        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
        try (OutputStream o = Files.newOutputStream(tmp)) {
          body.transferTo(o);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        tmp = null;
      }
    } catch (IOException e) {
      err.println((live ? "\n" : "") + "nines report uptime: the download failed after " + Progress.size(meter.bytes) + ": " + e);
      err.flush();
      return FAILED;
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: a leftover .part file names itself
        }
      }
    }
    meter.done(fmt, out);
    return 0;
  }

  /** The format: as given, else from the output file's extension, else json. Pure. */
  static String format(String format, Path out) {
    if (format != null) {
      String f = format.strip().toLowerCase(Locale.ROOT);
      if (!f.equals("csv") && !f.equals("json") && !f.equals("html") && !f.equals("pdf")) {
        throw new IllegalArgumentException("--format: '" + format + "' must be csv, json, html or pdf");
      }
      return f;
    }
    if (out != null) {
      String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
      for (String ext : new String[] {"csv", "json", "html", "pdf"}) {
        if (name.endsWith("." + ext)) {
          return ext;
        }
      }
      if (name.endsWith(".htm")) {
        return "html";
      }
    }
    return "json";
  }

  /** The report's URL. Pure. */
  static URI uri(String server, ReportPeriod period, String pool, String host, String format) {
    String base = server.strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    StringBuilder q = new StringBuilder(base).append("/api/v1/reports/uptime?from=").append(period.from())
        .append("&to=").append(period.to()).append("&format=").append(format);
    if (pool != null) {
      q.append("&pool=").append(URLEncoder.encode(pool, StandardCharsets.UTF_8));
    }
    if (host != null) {
      q.append("&host=").append(URLEncoder.encode(host, StandardCharsets.UTF_8));
    }
    URI uri = URI.create(q.toString());
    if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("give http://HOST:PORT");
    }
    return uri;
  }

  /** Bytes received and time taken, on standard error. */
  static final class Progress {
    static final long EVERY_NANOS = 250_000_000L;
    private final PrintWriter err;
    private final boolean live;
    private final LongSupplier nanos;
    private final long start;
    private long lastShown;
    long bytes;

    Progress(PrintWriter err, boolean live, LongSupplier nanos) {
      this.err = err;
      this.live = live;
      this.nanos = nanos;
      this.start = nanos.getAsLong();
      this.lastShown = start;
    }

    void add(long n) {
      bytes += n;
      long now = nanos.getAsLong();
      if (live && now - lastShown >= EVERY_NANOS) {
        lastShown = now;
        err.print("\rreceived " + size(bytes) + " in " + seconds(now - start) + "   ");
        err.flush();
      }
    }

    void done(String format, Path out) {
      long took = nanos.getAsLong() - start;
      String where = out == null ? "standard output" : out.toString();
      err.println((live ? "\r" : "") + "nines report uptime: " + format + ", " + size(bytes) + " in " + seconds(took)
          + " -> " + where);
      err.flush();
    }

    static String size(long bytes) {
      if (bytes < 10_000) {
        return bytes + " B";
      }
      if (bytes < 10_000_000) {
        return String.format(Locale.ROOT, "%.1f KB", bytes / 1000.0);
      }
      return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }

    static String seconds(long nanos) {
      return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
  }

  /** Counts what is read through it. */
  private static final class Counting extends FilterInputStream {
    private final Progress meter;

    Counting(InputStream in, Progress meter) {
      super(in);
      this.meter = meter;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        meter.add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        meter.add(n);
      }
      return n;
    }
  }
}
