package dev.nines.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuSection;
import dev.nines.protocol.HostMetrics;
import dev.nines.protocol.ProbeResult;
import dev.nines.protocol.Protocol;
import dev.nines.protocol.ServerStats;
import dev.nines.server.api.Json;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The ingest load harness, run on demand ({@code bench/ingest.sh}), never by {@code mvn verify}.
 * It drives a real server over HTTP/1.1 keep-alive connections with many simulated agents, each
 * posting valid reports (8 GPUs, 2 endpoints by default) with increasing seq, at a fixed rate or as
 * fast as the server answers, for a bounded time, and prints throughput, latency percentiles,
 * errors by status and the server's heap.
 *
 * <p>The client is a minimal blocking HTTP/1.1 writer/reader over plain sockets, so that the load
 * generator costs little CPU on a small machine: each agent's report is serialised once with the
 * protocol records; only seq and collectedAtMs are spliced in per request. Latency is measured from
 * the time a request was due (not when it could be sent), so a server that falls behind a fixed rate
 * is charged for the wait (from the end of the warm-up on).
 *
 * <p>Options ({@code --name=value}): {@code url} (required; several replicas comma-separated: the
 * connections, and so the agents, are spread over them in turn), {@code token} (required), {@code agents}
 * (500), {@code connections} (48), {@code rate} (reports/s in all; 0 = as fast as possible),
 * {@code seconds} (20), {@code warmup} (10 s, not counted), {@code gpus} (8), {@code endpoints} (2),
 * {@code pools} (20), {@code server-pid} (sample the server's heap with jstat and jcmd),
 * {@code xmx} (the server's -Xmx, printed with the figures).
 */
public final class IngestLoad {
  private static final long SEQ_MARK = 918273645546372819L;
  private static final long TIME_MARK = 192837465564738291L;

  private IngestLoad() {}

  /** The options, as parsed from {@code --name=value} arguments. */
  record Options(
      List<URI> urls, String token, int agents, int connections, double rate, int seconds, int warmup, int gpus,
      int endpoints, int pools, long serverPid, List<Long> serverPids, String xmx) {
    Options {
      urls = List.copyOf(urls);
      if (urls.isEmpty()) {
        throw new IllegalArgumentException("url is required");
      }
      if (agents < 1 || connections < 1 || seconds < 1 || warmup < 0 || pools < 1) {
        throw new IllegalArgumentException("agents, connections, seconds, pools must be >= 1, warmup >= 0");
      }
      if (connections > agents) {
        throw new IllegalArgumentException("connections must be <= agents (was " + connections + ")");
      }
    }

    static Options parse(String[] args) {
      Map<String, String> m = new LinkedHashMap<>();
      for (String a : args) {
        if (!a.startsWith("--") || !a.contains("=")) {
          throw new IllegalArgumentException("arguments are --name=value (was " + a + ")");
        }
        m.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      }
      Options o =
          new Options(
              java.util.Arrays.stream(require(m, "url").split(",")).map(String::strip).map(URI::create).toList(),
              require(m, "token"),
              Integer.parseInt(m.getOrDefault("agents", "500")),
              Integer.parseInt(m.getOrDefault("connections", "48")),
              Double.parseDouble(m.getOrDefault("rate", "0")),
              Integer.parseInt(m.getOrDefault("seconds", "20")),
              Integer.parseInt(m.getOrDefault("warmup", "10")),
              Integer.parseInt(m.getOrDefault("gpus", "8")),
              Integer.parseInt(m.getOrDefault("endpoints", "2")),
              Integer.parseInt(m.getOrDefault("pools", "20")),
              Long.parseLong(m.getOrDefault("server-pid", "0").split(",")[0].strip()),
              java.util.Arrays.stream(m.getOrDefault("server-pid", "0").split(",")).map(String::strip)
                  .map(Long::parseLong).toList(),
              m.getOrDefault("xmx", "?"));
      m.keySet()
          .removeAll(
              List.of("url", "token", "agents", "connections", "rate", "seconds", "warmup", "gpus", "endpoints",
                  "pools", "server-pid", "xmx"));
      if (!m.isEmpty()) {
        throw new IllegalArgumentException("unknown options: " + m.keySet());
      }
      return o;
    }

    /** The first replica's URL (the only one, usually). */
    URI url() {
      return urls.get(0);
    }

    private static String require(Map<String, String> m, String name) {
      String v = m.get(name);
      if (v == null || v.isBlank()) {
        throw new IllegalArgumentException("--" + name + "= is required");
      }
      return v;
    }
  }

  /** What one run measured. */
  record Result(
      long ok, double seconds, long[] latencyMicros, Map<String, Long> errors, long bodyBytes,
      long heapMaxUsedKib, long heapAfterGcKib, long serverCpuMillis, long loadCpuMillis) {
    double throughput() {
      return ok / seconds;
    }

    double percentileMs(double p) {
      if (latencyMicros.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(p / 100.0 * latencyMicros.length) - 1;
      return latencyMicros[Math.max(0, Math.min(latencyMicros.length - 1, i))] / 1000.0;
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    System.out.printf(
        Locale.ROOT,
        "ingest load: %d agents (%d GPUs, %d endpoints each, %d pools) over %d connections, rate %s,"
            + " %d s after %d s warm-up, against %s%n",
        o.agents(), o.gpus(), o.endpoints(), o.pools(), o.connections(),
        o.rate() > 0 ? String.format(Locale.ROOT, "%.0f/s", o.rate()) : "max", o.seconds(), o.warmup(), o.urls());
    Result r = run(o);
    print(o, r);
  }

  static void print(Options o, Result r) {
    System.out.printf(
        Locale.ROOT,
        "RESULT throughput %.0f reports/s (%d acknowledged in %.1f s, body %d bytes)%n"
            + "RESULT latency ms p50 %.1f p95 %.1f p99 %.1f p99.9 %.1f max %.1f%n"
            + "RESULT errors %s%n"
            + "RESULT cpu: server %s ms per 1000 reports (%.2f cores), load generator %.0f ms per 1000 reports%n"
            + "RESULT server heap (-Xmx %s): max used %s, after full GC %s%n",
        r.throughput(), r.ok(), r.seconds(), r.bodyBytes(), r.percentileMs(50), r.percentileMs(95),
        r.percentileMs(99), r.percentileMs(99.9), r.percentileMs(100), r.errors().isEmpty() ? "none" : r.errors(),
        r.serverCpuMillis() < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", r.serverCpuMillis() * 1000.0 / Math.max(1, r.ok())),
        r.serverCpuMillis() / 1000.0 / r.seconds(), r.loadCpuMillis() * 1000.0 / Math.max(1, r.ok()),
        o.xmx(), mib(r.heapMaxUsedKib()), mib(r.heapAfterGcKib()));
  }

  private static String mib(long kib) {
    return kib < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
  }

  static Result run(Options o) throws Exception {
    ObjectMapper json = Json.api();
    List<Template> templates = new ArrayList<>(o.agents());
    for (int a = 0; a < o.agents(); a++) {
      templates.add(Template.of(json, report(a, o)));
    }
    HeapSampler heap = o.serverPid() > 0 ? HeapSampler.start(o.serverPid()) : null;
    long startNanos = System.nanoTime();
    long measureFrom = startNanos + TimeUnit.SECONDS.toNanos(o.warmup());
    long endNanos = measureFrom + TimeUnit.SECONDS.toNanos(o.seconds());
    Map<String, Long> errors = new ConcurrentHashMap<>();
    AtomicLong ok = new AtomicLong();
    List<Worker> workers = new ArrayList<>();
    CountDownLatch finished = new CountDownLatch(o.connections());
    double perConnectionRate = o.rate() / o.connections();
    for (int c = 0; c < o.connections(); c++) {
      List<Template> mine = new ArrayList<>();
      for (int a = c; a < templates.size(); a += o.connections()) {
        mine.add(templates.get(a));
      }
      URI url = o.urls().get(c % o.urls().size());
      Worker w = new Worker(o, url, mine, perConnectionRate, startNanos, measureFrom, endNanos, errors, ok, finished);
      workers.add(w);
      Thread t = new Thread(w, "load-" + c);
      t.setDaemon(true);
      t.start();
    }
    LockSupport.parkNanos(measureFrom - System.nanoTime());
    long serverCpu0 = cpuMillis(o.serverPids());
    long ownCpu0 = ownCpuMillis();
    if (!finished.await(o.warmup() + o.seconds() + 60L, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the load did not finish in time");
    }
    long serverCpu = o.serverPid() > 0 ? cpuMillis(o.serverPids()) - serverCpu0 : -1;
    long ownCpu = ownCpuMillis() - ownCpu0;
    // A worker that fell behind a fixed rate sends its last due reports after the window: the
    // throughput is over the time until the last answer, not the nominal window.
    long lastAnswer = measureFrom;
    for (Worker w : workers) {
      lastAnswer = Math.max(lastAnswer, w.lastAnswerNanos);
    }
    double seconds = Math.max(o.seconds(), (lastAnswer - measureFrom) / 1e9);
    int n = 0;
    for (Worker w : workers) {
      n += w.latencies.size;
    }
    long[] all = new long[n];
    int at = 0;
    for (Worker w : workers) {
      System.arraycopy(w.latencies.values, 0, all, at, w.latencies.size);
      at += w.latencies.size;
    }
    Arrays.sort(all);
    long heapMax = -1;
    long heapAfterGc = -1;
    if (heap != null) {
      heapMax = heap.stop();
      heapAfterGc = HeapSampler.afterFullGc(o.serverPid());
    }
    return new Result(
        n, seconds, all, new TreeMap<>(errors), templates.get(0).bytesFor(1, System.currentTimeMillis()).length,
        heapMax, heapAfterGc, serverCpu, ownCpu);
  }

  /** CPU time (user + system) of a Linux process so far, from /proc; -1 when unknown. */
  /** The CPU time of every process in {@code pids}, summed (-1 when one cannot be read). */
  static long cpuMillis(List<Long> pids) {
    long sum = 0;
    for (long pid : pids) {
      long ms = cpuMillis(pid);
      if (ms < 0) {
        return -1;
      }
      sum += ms;
    }
    return sum;
  }

  static long cpuMillis(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the command name
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * 1000 / 100; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long ownCpuMillis() {
    return cpuMillis(ProcessHandle.current().pid());
  }

  /** A realistic report of agent {@code a}: 8 GPUs, 2 endpoints, two disks, two NICs by default. */
  static AgentReport report(int a, Options o) {
    long now = System.currentTimeMillis();
    HostMetrics host =
        new HostMetrics(
            0.35 + (a % 10) / 100.0, 128, 12.5, 11.0, 10.25, 2L << 40, 1L << 40, 0, 0, 864_000 + a,
            List.of(
                new HostMetrics.FilesystemUsage("/", "ext4", 500L << 30, 120L << 30),
                new HostMetrics.FilesystemUsage("/models", "xfs", 8L << 40, 3L << 40)),
            List.of(
                new HostMetrics.NetworkRates("eth0", 1.2e8, 3.4e8, 0.0, 0.0),
                new HostMetrics.NetworkRates("ib0", 9.1e9, 8.7e9, 0.0, 0.0)));
    List<GpuMetrics> gpus = new ArrayList<>();
    for (int g = 0; g < o.gpus(); g++) {
      gpus.add(
          new GpuMetrics(
              g, String.format(Locale.ROOT, "GPU-%08x-%04x", a, g), "NVIDIA H100 80GB HBM3", 0.87, 0.41,
              85_899_345_920L, 64_424_509_440L, 61.0 + g, 612.5, 700.0, 0L, 0L, List.of(), List.of()));
    }
    List<EndpointReport> endpoints = new ArrayList<>();
    for (int e = 0; e < o.endpoints(); e++) {
      endpoints.add(
          new EndpointReport(
              "http://127.0.0.1:" + (8000 + e), "vllm",
              new ProbeResult(true, 200, 1.8, false, null, now),
              new ProbeResult(true, 200, 42.0 + (a % 7), false, null, now),
              new ServerStats(true, null, "vllm", 120_000L + a, 37L, 80.0, 70.0, 180.0 + (a % 13), 320.0, 12.0, 3.0, 0)));
    }
    return new AgentReport(
        Protocol.CURRENT_VERSION, String.format(Locale.ROOT, "load-%05d", a), SEQ_MARK, TIME_MARK, 5_000,
        Map.of("pool", String.format(Locale.ROOT, "pool-%02d", a % o.pools()), "zone", "eu-" + (a % 3)),
        "0.1.0", host, new GpuSection(true, null, "nvml", "550.54.15", gpus), endpoints);
  }

  /** One agent's report, serialised once, with the places of seq and collectedAtMs. */
  static final class Template {
    final byte[][] parts;
    final boolean seqFirst;
    long seq;

    private Template(byte[][] parts, boolean seqFirst) {
      this.parts = parts;
      this.seqFirst = seqFirst;
    }

    static Template of(ObjectMapper json, AgentReport report) throws IOException {
      String s = json.writeValueAsString(report);
      String seqMark = Long.toString(SEQ_MARK);
      String timeMark = Long.toString(TIME_MARK);
      int i = s.indexOf(seqMark);
      int j = s.indexOf(timeMark);
      if (i < 0 || j < 0 || i != s.lastIndexOf(seqMark) || j != s.lastIndexOf(timeMark)) {
        throw new IllegalStateException("the report's seq and time marks are not unique");
      }
      int first = Math.min(i, j);
      int second = Math.max(i, j);
      int firstLen = (first == i ? seqMark : timeMark).length();
      int secondLen = (second == i ? seqMark : timeMark).length();
      byte[][] parts = {
        s.substring(0, first).getBytes(StandardCharsets.UTF_8),
        s.substring(first + firstLen, second).getBytes(StandardCharsets.UTF_8),
        s.substring(second + secondLen).getBytes(StandardCharsets.UTF_8)
      };
      return new Template(parts, i < j);
    }

    byte[] bytesFor(long seqNo, long timeMs) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(parts[0].length + parts[1].length + parts[2].length + 40);
      write(out, seqNo, timeMs);
      return out.toByteArray();
    }

    void write(ByteArrayOutputStream out, long seqNo, long timeMs) {
      byte[] a = Long.toString(seqFirst ? seqNo : timeMs).getBytes(StandardCharsets.US_ASCII);
      byte[] b = Long.toString(seqFirst ? timeMs : seqNo).getBytes(StandardCharsets.US_ASCII);
      out.writeBytes(parts[0]);
      out.writeBytes(a);
      out.writeBytes(parts[1]);
      out.writeBytes(b);
      out.writeBytes(parts[2]);
    }
  }

  /** A growable array of longs. */
  static final class Longs {
    long[] values = new long[1 << 14];
    int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }
  }

  /** One keep-alive connection posting for its share of the agents, round robin. */
  static final class Worker implements Runnable {
    private final Options o;
    private final List<Template> agents;
    private final double rate;
    private final long startNanos;
    private final long measureFrom;
    private final long endNanos;
    private final Map<String, Long> errors;
    private final AtomicLong ok;
    private final CountDownLatch finished;
    final Longs latencies = new Longs();
    volatile long lastAnswerNanos;
    private final byte[] head;
    private final URI url;
    private final ByteArrayOutputStream request = new ByteArrayOutputStream(16_384);
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(16_384);
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    Worker(
        Options o, URI url, List<Template> agents, double rate, long startNanos, long measureFrom, long endNanos,
        Map<String, Long> errors, AtomicLong ok, CountDownLatch finished) {
      this.o = o;
      this.url = url;
      this.agents = agents;
      this.rate = rate;
      this.startNanos = startNanos;
      this.measureFrom = measureFrom;
      this.endNanos = endNanos;
      this.errors = errors;
      this.ok = ok;
      this.finished = finished;
      this.head =
          ("POST " + Protocol.REPORTS_PATH + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                  + "\r\nAuthorization: Bearer " + o.token() + "\r\nContent-Type: application/json\r\nContent-Length: ")
              .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void run() {
      try {
        long k = 0;
        long base = startNanos;
        boolean measuring = false;
        int next = 0;
        while (true) {
          if (!measuring && System.nanoTime() >= measureFrom) {
            // What fell behind during the warm-up (JIT) is not charged to the measured window.
            measuring = true;
            base = System.nanoTime();
            k = 0;
          }
          long due = rate > 0 ? base + (long) (k++ * 1e9 / rate) : System.nanoTime();
          if (due >= endNanos) {
            break;
          }
          long wait = due - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
          Template t = agents.get(next);
          next = (next + 1) % agents.size();
          t.seq++;
          int status = post(t);
          long done = System.nanoTime();
          if (done > endNanos && rate <= 0) {
            break;
          }
          if (measuring) {
            lastAnswerNanos = done;
            if (status >= 200 && status < 300) {
              latencies.add((done - due) / 1000);
              ok.incrementAndGet();
            } else {
              errors.merge(status < 0 ? "io" : Integer.toString(status), 1L, Long::sum);
            }
          }
        }
      } finally {
        closeSocket();
        finished.countDown();
      }
    }

    /** Posts the agent's next report; the HTTP status, or -1 when the connection failed. */
    private int post(Template t) {
      try {
        if (socket == null) {
          socket = new Socket();
          socket.setTcpNoDelay(true);
          socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5_000);
          socket.setSoTimeout(30_000);
          out = socket.getOutputStream();
          in = new BufferedInputStream(socket.getInputStream(), 8_192);
        }
        body.reset();
        t.write(body, t.seq, System.currentTimeMillis());
        request.reset();
        request.writeBytes(head);
        request.writeBytes(Integer.toString(body.size()).getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(new byte[] {'\r', '\n', '\r', '\n'});
        body.writeTo(request);
        request.writeTo(out);
        out.flush();
        return readResponse();
      } catch (IOException e) {
        closeSocket();
        return -1;
      }
    }

    private int readResponse() throws IOException {
      String statusLine = line();
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      boolean close = false;
      for (String h = line(); !h.isEmpty(); h = line()) {
        int colon = h.indexOf(':');
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim();
        if (name.equals("content-length")) {
          length = Long.parseLong(value);
        } else if (name.equals("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
          chunked = true;
        } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
          close = true;
        }
      }
      if (chunked) {
        for (long n = Long.parseLong(line().trim(), 16); n > 0; n = Long.parseLong(line().trim(), 16)) {
          skip(n);
          line();
        }
        line();
      } else if (length > 0) {
        skip(length);
      }
      if (close) {
        closeSocket();
      }
      return status;
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder(64);
      while (true) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException("the server closed the connection");
        }
        if (b == '\n') {
          int len = sb.length();
          return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
        }
        sb.append((char) b);
      }
    }

    private void skip(long n) throws IOException {
      long left = n;
      while (left > 0) {
        long s = in.skip(left);
        if (s <= 0) {
          if (in.read() < 0) {
            throw new EOFException("the server closed the connection");
          }
          s = 1;
        }
        left -= s;
      }
    }

    private void closeSocket() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // gone already
        }
        socket = null;
      }
    }
  }

  /** Samples the server's used heap once a second with {@code jstat -gc} (one extra small JVM). */
  static final class HeapSampler {
    private final Process jstat;
    private final Thread reader;
    private volatile long maxUsedKib = -1;

    private HeapSampler(Process jstat) {
      this.jstat = jstat;
      this.reader = new Thread(this::read, "jstat-reader");
      this.reader.setDaemon(true);
      this.reader.start();
    }

    static HeapSampler start(long pid) throws IOException {
      return new HeapSampler(
          new ProcessBuilder(tool("jstat"), "-gc", Long.toString(pid), "1000").redirectErrorStream(true).start());
    }

    private void read() {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
        String[] header = null;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 0 && f[0].equals("S0C")) {
            header = f;
            continue;
          }
          if (header == null || f.length != header.length) {
            continue;
          }
          double used = 0;
          for (int i = 0; i < header.length; i++) {
            if (header[i].equals("S0U") || header[i].equals("S1U") || header[i].equals("EU")
                || header[i].equals("OU")) {
              used += Double.parseDouble(f[i]);
            }
          }
          maxUsedKib = Math.max(maxUsedKib, (long) used);
        }
      } catch (IOException | RuntimeException e) {
        // the sampler ends with the server
      }
    }

    long stop() throws InterruptedException {
      jstat.destroy();
      jstat.waitFor(5, TimeUnit.SECONDS);
      reader.join(5_000);
      return maxUsedKib;
    }

    /** The heap the server still uses after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}). */
    static long afterFullGc(long pid) throws IOException, InterruptedException {
      jcmd(pid, "GC.run");
      String info = jcmd(pid, "GC.heap_info");
      // e.g. " garbage-first heap   total 524288K, used 31337K [0x..."
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
      Process p = new ProcessBuilder(tool("jcmd"), Long.toString(pid), command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      p.waitFor(30, TimeUnit.SECONDS);
      return new String(out, StandardCharsets.UTF_8);
    }

    private static String tool(String name) {
      Path p = Path.of(System.getProperty("java.home"), "bin", name);
      if (!Files.isExecutable(p)) {
        throw new UncheckedIOException(new IOException("no " + name + " in " + p.getParent()));
      }
      return p.toString();
    }
  }
}
