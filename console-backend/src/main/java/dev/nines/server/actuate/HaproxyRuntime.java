package dev.nines.server.actuate;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A client of HAProxy's runtime API (the "stats socket" at {@code level admin}). Each command opens
 * its own connection, sends one line and reads the answer until HAProxy closes (the non-interactive
 * mode), so there is no session state to get wrong and nothing to keep alive. Thread-safe.
 *
 * <p>Addresses: {@code unix:/run/haproxy/admin.sock} or {@code /run/haproxy/admin.sock} for a unix
 * socket; {@code tcp:127.0.0.1:9999} or {@code 127.0.0.1:9999} (IPv6 as {@code [::1]:9999}) for TCP.
 * Connecting and each wait for answer bytes are bounded by timeouts (2 s by default).
 *
 * <p>Reading is apart from parsing: {@link #parseServersState} and {@link #parseStat} are pure and
 * tested on real answers.
 */
public final class HaproxyRuntime {
  /** Default connect and read timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  /** A runaway answer is cut off here rather than filling the heap (a large show stat is ~1 MB). */
  private static final int MAX_ANSWER_BYTES = 32 << 20;

  /**
   * Names we put on a command line. HAProxy splits commands on blanks and ';', so anything else
   * could smuggle a second command in; proxy and server names are this charset in practice.
   */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]+");

  private final String address;
  private final String unixPath;
  private final String host;
  private final int port;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  /** A client with the default timeouts. */
  public HaproxyRuntime(String address) {
    this(address, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT);
  }

  /**
   * @param address see the class comment
   * @param connectTimeout bound on establishing the connection
   * @param readTimeout bound on each wait for the next bytes of the answer (and on sending)
   * @throws IllegalArgumentException when the address cannot be read, naming it
   */
  public HaproxyRuntime(String address, Duration connectTimeout, Duration readTimeout) {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("address must not be blank");
    }
    if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
    }
    if (readTimeout == null || readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("readTimeout must be positive: " + readTimeout);
    }
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    String a = address.strip();
    if (a.startsWith("unix:") || a.startsWith("/")) {
      String path = a.startsWith("unix:") ? a.substring("unix:".length()) : a;
      if (path.isBlank()) {
        throw new IllegalArgumentException("address has no socket path: " + address);
      }
      this.unixPath = path;
      this.host = null;
      this.port = -1;
      this.address = "unix:" + path;
    } else {
      String hp = a.startsWith("tcp:") ? a.substring("tcp:".length()) : a;
      int colon = hp.lastIndexOf(':');
      if (colon <= 0 || colon == hp.length() - 1) {
        throw new IllegalArgumentException(
            "address must be unix:/path, /path, tcp:host:port or host:port: " + address);
      }
      String h = hp.substring(0, colon);
      if (h.startsWith("[") && h.endsWith("]")) {
        h = h.substring(1, h.length() - 1);
      }
      int p;
      try {
        p = Integer.parseInt(hp.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("address has no valid port: " + address);
      }
      if (p < 1 || p > 65535 || h.isBlank()) {
        throw new IllegalArgumentException("address has no valid host and port: " + address);
      }
      this.unixPath = null;
      this.host = h;
      this.port = p;
      this.address = "tcp:" + hp;
    }
  }

  /** The address in its normalised form ({@code unix:/path} or {@code tcp:host:port}). */
  public String address() {
    return address;
  }

  @Override
  public String toString() {
    return "haproxy " + address;
  }

  /**
   * Sends one command and returns HAProxy's whole answer as it sent it (an empty answer is one
   * {@code "\n"}). An answer is never an error here: the caller knows what the command should say.
   *
   * @throws ActuatorException when HAProxy cannot be reached, does not answer in time, or the
   *     command is not one line
   */
  public String command(String cmd) throws ActuatorException {
    if (cmd == null || cmd.isBlank() || cmd.indexOf('\n') >= 0 || cmd.indexOf('\r') >= 0) {
      throw new ActuatorException(this + ": a command must be one non-blank line: " + cmd);
    }
    try {
      return exchange(cmd);
    } catch (SocketTimeoutException e) {
      throw new ActuatorException(this + ": " + cmd + ": " + e.getMessage(), e);
    } catch (InterruptedIOException e) {
      // the thread's interrupt flag is still set: await() only looks at it
      throw new ActuatorException(this + ": " + cmd + ": interrupted", e);
    } catch (IOException | RuntimeException e) {
      throw new ActuatorException(this + ": " + cmd + ": " + describe(e), e);
    }
  }

  /**
   * {@code set server <backend>/<server> state ready|drain|maint}. Idempotent in HAProxy: setting
   * the state a server already holds answers nothing, like any success.
   *
   * @throws ActuatorException with HAProxy's own words when it refuses (e.g. "No such server.")
   */
  public void setServerState(String backend, String server, AdminState state) throws ActuatorException {
    requireName("backend", backend);
    requireName("server", server);
    if (state == null) {
      throw new ActuatorException(this + ": state must not be null");
    }
    String cmd = "set server " + backend + "/" + server + " state " + state.word();
    String answer = command(cmd).strip();
    if (!answer.isEmpty()) {
      throw new ActuatorException(this + ": " + cmd + ": " + oneLine(answer));
    }
  }

  /**
   * {@code show servers state <backend>}: every server of the backend with its admin state.
   *
   * @throws ActuatorException with HAProxy's words when it refuses (e.g. "Can't find backend.")
   */
  public List<ServerState> showServersState(String backend) throws ActuatorException {
    requireName("backend", backend);
    String cmd = "show servers state " + backend;
    String answer = command(cmd);
    try {
      List<ServerState> all = parseServersState(answer);
      List<ServerState> mine = new ArrayList<>();
      for (ServerState s : all) {
        if (s.backend().equals(backend)) {
          mine.add(s);
        }
      }
      return List.copyOf(mine);
    } catch (ActuatorException e) {
      throw new ActuatorException(this + ": " + cmd + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code show stat <backend> 4 -1} (servers only): per server name, its sessions and queue.
   *
   * @throws ActuatorException with HAProxy's words when it refuses (e.g. "No such proxy.")
   */
  public Map<String, ServerStat> showStat(String backend) throws ActuatorException {
    requireName("backend", backend);
    String cmd = "show stat " + backend + " 4 -1";
    String answer = command(cmd);
    try {
      return parseStat(answer, backend);
    } catch (ActuatorException e) {
      throw new ActuatorException(this + ": " + cmd + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- parsing (pure)

  /**
   * Parses a {@code show servers state} answer: a format version line, a {@code #}-prefixed header
   * naming the fields, then one blank-separated line per server. Fields are found by their header
   * names, so added columns in later formats do not matter.
   *
   * @throws ActuatorException with HAProxy's text when the answer is an error message rather than a
   *     dump, or naming what is missing when the dump cannot be read
   */
  static List<ServerState> parseServersState(String answer) throws ActuatorException {
    String[] lines = answer.split("\n", -1);
    int i = 0;
    while (i < lines.length && lines[i].isBlank()) {
      i++;
    }
    if (i == lines.length) {
      throw new ActuatorException("empty answer");
    }
    String version = lines[i].strip();
    if (!version.chars().allMatch(Character::isDigit)) {
      throw new ActuatorException(oneLine(answer.strip()));
    }
    i++;
    Map<String, Integer> columns = null;
    List<ServerState> out = new ArrayList<>();
    for (; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        if (columns == null) {
          columns = columns(line.substring(1).strip().split("\\s+"));
        }
        continue;
      }
      if (columns == null) {
        throw new ActuatorException("no header line before the data (format version " + version + ")");
      }
      String[] f = line.split("\\s+");
      String backend = field(f, columns, "be_name", line);
      String server = field(f, columns, "srv_name", line);
      int op = intField(f, columns, "srv_op_state", line);
      int bits = intField(f, columns, "srv_admin_state", line);
      out.add(new ServerState(backend, server, ServerState.adminState(bits), op != 0, bits, op));
    }
    if (columns == null) {
      throw new ActuatorException("no header line (format version " + version + ")");
    }
    return List.copyOf(out);
  }

  /**
   * Parses a {@code show stat} CSV answer (header {@code # pxname,svname,...}) into the server rows
   * of one backend, by server name; FRONTEND and BACKEND rows are left out. Empty {@code scur} or
   * {@code qcur} cells (HAProxy leaves some blank where a figure does not apply) read as 0.
   *
   * @throws ActuatorException with HAProxy's text when the answer is not a CSV dump
   */
  static Map<String, ServerStat> parseStat(String answer, String backend) throws ActuatorException {
    String[] lines = answer.split("\n", -1);
    int i = 0;
    while (i < lines.length && lines[i].isBlank()) {
      i++;
    }
    if (i == lines.length) {
      throw new ActuatorException("empty answer");
    }
    String head = lines[i].strip();
    if (!head.startsWith("#")) {
      throw new ActuatorException(oneLine(answer.strip()));
    }
    Map<String, Integer> columns = columns(splitCsv(head.substring(1).strip()).toArray(new String[0]));
    for (String required : List.of("pxname", "svname", "scur", "qcur")) {
      if (!columns.containsKey(required)) {
        throw new ActuatorException("no " + required + " column in the header");
      }
    }
    Map<String, ServerStat> out = new LinkedHashMap<>();
    for (i++; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = splitCsv(line).toArray(new String[0]);
      String px = field(f, columns, "pxname", line);
      String sv = field(f, columns, "svname", line);
      if (!px.equals(backend) || sv.equals("FRONTEND") || sv.equals("BACKEND")) {
        continue;
      }
      long scur = longOrZero(f, columns, "scur", line);
      long qcur = longOrZero(f, columns, "qcur", line);
      String status = columns.containsKey("status") ? optional(f, columns.get("status")) : "";
      String w = columns.containsKey("weight") ? optional(f, columns.get("weight")) : "";
      OptionalInt weight = OptionalInt.empty();
      if (!w.isEmpty()) {
        try {
          weight = OptionalInt.of(Integer.parseInt(w));
        } catch (NumberFormatException e) {
          throw new ActuatorException("weight is not a number in: " + line);
        }
      }
      out.put(sv, new ServerStat(px, sv, scur, qcur, status, weight));
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /** Splits one CSV line; HAProxy quotes a cell holding a comma or a quote, doubling quotes. */
  static List<String> splitCsv(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int k = 0; k < line.length(); k++) {
      char c = line.charAt(k);
      if (quoted) {
        if (c == '"') {
          if (k + 1 < line.length() && line.charAt(k + 1) == '"') {
            cell.append('"');
            k++;
          } else {
            quoted = false;
          }
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString());
    return cells;
  }

  private static Map<String, Integer> columns(String[] names) {
    Map<String, Integer> columns = new HashMap<>();
    for (int k = 0; k < names.length; k++) {
      columns.putIfAbsent(names[k].strip(), k);
    }
    return columns;
  }

  private static String field(String[] f, Map<String, Integer> columns, String name, String line)
      throws ActuatorException {
    Integer k = columns.get(name);
    if (k == null) {
      throw new ActuatorException("no " + name + " column in the header");
    }
    if (k >= f.length || f[k].isEmpty()) {
      throw new ActuatorException("no " + name + " in: " + line);
    }
    return f[k];
  }

  private static int intField(String[] f, Map<String, Integer> columns, String name, String line)
      throws ActuatorException {
    String v = field(f, columns, name, line);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ActuatorException(name + " is not a number in: " + line);
    }
  }

  private static long longOrZero(String[] f, Map<String, Integer> columns, String name, String line)
      throws ActuatorException {
    String v = optional(f, columns.get(name));
    if (v.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ActuatorException(name + " is not a number in: " + line);
    }
  }

  private static String optional(String[] f, int k) {
    return k < f.length ? f[k].strip() : "";
  }

  private static String oneLine(String text) {
    String t = text.replace('\n', ' ').strip();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }

  private void requireName(String what, String name) throws ActuatorException {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ActuatorException(
          this + ": " + what + " name is not a valid HAProxy name ([A-Za-z0-9._:-]+): " + name);
    }
  }

  // ---------------------------------------------------------------- I/O

  private String exchange(String cmd) throws IOException {
    ProtocolFamily family = unixPath != null ? StandardProtocolFamily.UNIX : null;
    SocketAddress target =
        unixPath != null ? UnixDomainSocketAddress.of(unixPath) : new InetSocketAddress(host, port);
    if (target instanceof InetSocketAddress inet && inet.isUnresolved()) {
      throw new IOException("cannot resolve " + host);
    }
    try (SocketChannel ch = family != null ? SocketChannel.open(family) : SocketChannel.open();
        Selector selector = Selector.open()) {
      ch.configureBlocking(false);
      SelectionKey key = ch.register(selector, 0);
      if (!ch.connect(target)) {
        key.interestOps(SelectionKey.OP_CONNECT);
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        while (!ch.finishConnect()) {
          await(selector, deadline, "connect timed out after " + connectTimeout.toMillis() + " ms");
        }
      }
      ByteBuffer out = UTF_8.encode(cmd + "\n");
      key.interestOps(SelectionKey.OP_WRITE);
      long deadline = System.nanoTime() + readTimeout.toNanos();
      while (out.hasRemaining()) {
        if (ch.write(out) == 0) {
          await(selector, deadline, "send timed out after " + readTimeout.toMillis() + " ms");
        }
      }
      key.interestOps(SelectionKey.OP_READ);
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      ByteBuffer in = ByteBuffer.allocate(16 * 1024);
      deadline = System.nanoTime() + readTimeout.toNanos();
      while (true) {
        int n = ch.read(in);
        if (n < 0) {
          break;
        }
        if (n == 0) {
          await(selector, deadline, "no answer within " + readTimeout.toMillis() + " ms");
          continue;
        }
        answer.write(in.array(), 0, in.position());
        in.clear();
        if (answer.size() > MAX_ANSWER_BYTES) {
          throw new IOException("answer longer than " + MAX_ANSWER_BYTES + " bytes");
        }
        deadline = System.nanoTime() + readTimeout.toNanos();
      }
      return answer.toString(UTF_8);
    }
  }

  /** Waits for the channel's interest (or the deadline) without spinning. */
  private static void await(Selector selector, long deadlineNanos, String timeoutMessage)
      throws IOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("interrupted");
    }
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException(timeoutMessage);
    }
    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    selector.selectedKeys().clear();
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
  }
}
