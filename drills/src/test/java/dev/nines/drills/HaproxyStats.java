package dev.nines.drills;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Parses HAProxy's {@code show stat} CSV answer. Pure: text in, rows out. */
final class HaproxyStats {
  private HaproxyStats() {}

  /**
   * One server line of {@code show stat}.
   *
   * @param proxy the backend's name ({@code pxname})
   * @param server the server's name ({@code svname})
   * @param status {@code UP}, {@code DOWN}, {@code DRAIN}, {@code MAINT}, {@code UP 1/2}, ...
   * @param currentSessions sessions open on the server now ({@code scur})
   * @param totalSessions sessions since start ({@code stot})
   * @param weight effective weight ({@code weight})
   * @param agentStatus the last agent check's result ({@code agent_status}, e.g. {@code L7OK}), empty
   *     when the server has no agent check
   */
  record ServerStat(
      String proxy, String server, String status, long currentSessions, long totalSessions, int weight,
      String agentStatus) {
    ServerStat {
      if (proxy == null || proxy.isBlank()) {
        throw new IllegalArgumentException("proxy must not be blank");
      }
      if (server == null || server.isBlank()) {
        throw new IllegalArgumentException("server must not be blank");
      }
      if (status == null) {
        throw new IllegalArgumentException("status must not be null");
      }
      if (agentStatus == null) {
        throw new IllegalArgumentException("agentStatus must not be null (empty for none)");
      }
    }

    /**
     * Whether HAProxy sends new requests here: {@code UP} (also {@code UP 1/3}, failing checks but
     * not yet down) or {@code no check}, with a weight. {@code DRAIN} (the weight column keeps its
     * configured value), {@code MAINT}, {@code DOWN}, {@code DOWN 1/2} (coming up) and {@code NOLB}
     * get none.
     */
    boolean inRotation() {
      return (status.startsWith("UP") || status.equals("no check")) && weight > 0;
    }
  }

  /**
   * The server lines (not FRONTEND or BACKEND) of a {@code show stat} answer.
   *
   * @throws IllegalArgumentException if the header line is missing or lacks a needed column
   */
  static List<ServerStat> parse(String csv) {
    String[] lines = csv.strip().split("\n");
    if (lines.length == 0 || !lines[0].startsWith("# ")) {
      throw new IllegalArgumentException("show stat answer has no '# pxname,...' header: "
          + abbreviate(csv));
    }
    String[] header = lines[0].substring(2).split(",", -1);
    Map<String, Integer> column = new HashMap<>();
    for (int i = 0; i < header.length; i++) {
      column.put(header[i].strip(), i);
    }
    int px = need(column, "pxname");
    int sv = need(column, "svname");
    int status = need(column, "status");
    int scur = need(column, "scur");
    int stot = need(column, "stot");
    int weight = need(column, "weight");
    int agent = need(column, "agent_status");
    List<ServerStat> out = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(",", -1);
      String name = f[sv];
      if (name.equals("FRONTEND") || name.equals("BACKEND")) {
        continue;
      }
      out.add(new ServerStat(f[px], name, f[status], number(f[scur]), number(f[stot]),
          (int) number(f[weight]), f[agent].strip()));
    }
    return List.copyOf(out);
  }

  /** The line of {@code proxy/server}, if the answer has it. */
  static Optional<ServerStat> find(List<ServerStat> stats, String proxy, String server) {
    return stats.stream().filter(s -> s.proxy().equals(proxy) && s.server().equals(server)).findFirst();
  }

  private static int need(Map<String, Integer> column, String name) {
    Integer i = column.get(name);
    if (i == null) {
      throw new IllegalArgumentException("show stat answer has no column " + name);
    }
    return i;
  }

  private static long number(String text) {
    return text.isBlank() ? 0 : Long.parseLong(text.strip());
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
