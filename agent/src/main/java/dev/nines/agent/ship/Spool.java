package dev.nines.agent.ship;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, on-disk FIFO of serialized reports, ordered by sequence number.
 *
 * <p>Each entry is one file {@code report-<seq, 20 digits>.json} in the spool directory, written
 * with temp file + fsync + atomic rename, so an entry is either entirely there or absent after a
 * crash. The directory may be shared with {@link SequenceStore} and {@link DesiredState}: the spool
 * only looks at names starting with {@code report-}.
 *
 * <p>Bounds: at most {@code maxEntries} entries and {@code maxBytes} bytes of report bodies; when an
 * append goes over either, the oldest entries are deleted and counted in {@link #droppedTotal()}.
 *
 * <p>On open the directory is re-read: leftover temporary files are deleted; entries that are empty
 * or do not look like a JSON object (first byte not '{', last not '}') are deleted with a log line
 * and counted in {@link #corruptTotal()}.
 *
 * <p>Thread-safe (all methods synchronized); the index in memory holds only sequence numbers and
 * sizes.
 */
public final class Spool {
  /** One day of reports at a 5 s interval. */
  public static final int DEFAULT_MAX_ENTRIES = 17_280;

  /** 256 MiB. */
  public static final long DEFAULT_MAX_BYTES = 256L << 20;

  static final String PREFIX = "report-";
  static final String SUFFIX = ".json";

  private static final Logger log = LoggerFactory.getLogger(Spool.class);

  /** A spooled report. */
  public record Entry(long seq, byte[] json) {
    public Entry {
      if (seq < 1) {
        throw new IllegalArgumentException("seq must be >= 1 (was " + seq + ")");
      }
      if (json == null) {
        throw new IllegalArgumentException("json is required");
      }
    }
  }

  private final Path dir;
  private final int maxEntries;
  private final long maxBytes;
  private final TreeMap<Long, Long> sizes = new TreeMap<>();
  private long bytes;
  private long dropped;
  private long corrupt;

  private Spool(Path dir, int maxEntries, long maxBytes) {
    this.dir = dir;
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  /** Opens with the default bounds. */
  public static Spool open(Path dir) {
    return open(dir, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES);
  }

  /**
   * Opens (creating the directory if needed) and re-reads what an earlier run left.
   *
   * @throws UncheckedIOException when the directory cannot be created or listed
   */
  public static Spool open(Path dir, int maxEntries, long maxBytes) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1 (was " + maxEntries + ")");
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1 (was " + maxBytes + ")");
    }
    Spool spool = new Spool(dir, maxEntries, maxBytes);
    try {
      Files.createDirectories(dir);
      spool.load();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open spool " + dir, e);
    }
    synchronized (spool) {
      spool.enforceBounds();
    }
    log.info("spool {}: {} reports, {} bytes on open", dir, spool.depth(), spool.bytes());
    return spool;
  }

  private synchronized void load() throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(Durable.TEMP_SUFFIX)) {
          log.info("spool {}: deleting unfinished write {}", dir, name);
          Files.deleteIfExists(file);
          continue;
        }
        long seq = parseSeq(name);
        if (seq < 1) {
          log.warn("spool {}: ignoring unexpected file {}", dir, name);
          continue;
        }
        long size = Files.size(file);
        if (!looksLikeJsonObject(file, size)) {
          log.warn("spool {}: deleting corrupt entry {} ({} bytes)", dir, name, size);
          Files.deleteIfExists(file);
          corrupt++;
          continue;
        }
        sizes.put(seq, size);
        bytes += size;
      }
    }
  }

  /** The sequence number in a spool file name, or -1 when the name is not one of ours. */
  static long parseSeq(String fileName) {
    if (!fileName.startsWith(PREFIX) || !fileName.endsWith(SUFFIX)) {
      return -1;
    }
    String digits = fileName.substring(PREFIX.length(), fileName.length() - SUFFIX.length());
    if (digits.isEmpty() || digits.length() > 20 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static String fileName(long seq) {
    return PREFIX + String.format("%020d", seq) + SUFFIX;
  }

  /** Cheap structural check: non-empty, first non-blank byte '{', last non-blank byte '}'. */
  private static boolean looksLikeJsonObject(Path file, long size) throws IOException {
    if (size < 2) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      int window = (int) Math.min(size, 64);
      ByteBuffer head = ByteBuffer.allocate(window);
      ch.read(head, 0);
      ByteBuffer tail = ByteBuffer.allocate(window);
      ch.read(tail, size - window);
      return firstNonBlank(head.array(), head.position()) == '{'
          && lastNonBlank(tail.array(), tail.position()) == '}';
    }
  }

  private static int firstNonBlank(byte[] b, int n) {
    for (int i = 0; i < n; i++) {
      if (!Character.isWhitespace(b[i])) {
        return b[i];
      }
    }
    return -1;
  }

  private static int lastNonBlank(byte[] b, int n) {
    for (int i = n - 1; i >= 0; i--) {
      if (!Character.isWhitespace(b[i])) {
        return b[i];
      }
    }
    return -1;
  }

  /**
   * Durably stores a report (replacing an entry with the same seq), then drops the oldest entries
   * while over a bound. A body larger than {@code maxBytes} is not stored and counts as dropped.
   *
   * @return false when the body was too large to ever fit
   * @throws UncheckedIOException when the entry cannot be written (disk full, read-only)
   */
  public synchronized boolean append(long seq, byte[] json) {
    Entry entry = new Entry(seq, json);
    if (json.length > maxBytes) {
      log.warn("spool {}: report seq {} of {} bytes exceeds the spool bound {}; dropped",
          dir, seq, json.length, maxBytes);
      dropped++;
      return false;
    }
    try {
      Durable.write(dir.resolve(fileName(entry.seq())), json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spool report seq " + seq + " in " + dir, e);
    }
    Long old = sizes.put(seq, (long) json.length);
    bytes += json.length - (old == null ? 0 : old);
    enforceBounds();
    return true;
  }

  private void enforceBounds() {
    while (!sizes.isEmpty() && (sizes.size() > maxEntries || bytes > maxBytes)) {
      long oldest = sizes.firstKey();
      deleteEntry(oldest);
      dropped++;
      log.warn("spool {} full ({} reports, {} bytes): dropped oldest report seq {}",
          dir, sizes.size(), bytes, oldest);
    }
  }

  /**
   * Up to {@code n} of the oldest entries, oldest first. Entries whose file vanished or cannot be
   * read are removed from the spool, logged and counted in {@link #corruptTotal()}.
   */
  public synchronized List<Entry> peekOldest(int n) {
    List<Entry> out = new ArrayList<>(Math.min(Math.max(n, 0), sizes.size()));
    Iterator<Map.Entry<Long, Long>> it = sizes.entrySet().iterator();
    List<Long> unreadable = new ArrayList<>();
    while (out.size() < n && it.hasNext()) {
      long seq = it.next().getKey();
      try {
        out.add(new Entry(seq, Files.readAllBytes(dir.resolve(fileName(seq)))));
      } catch (NoSuchFileException e) {
        log.warn("spool {}: entry seq {} vanished", dir, seq);
        unreadable.add(seq);
      } catch (IOException e) {
        log.warn("spool {}: cannot read entry seq {}: {}", dir, seq, e.toString());
        unreadable.add(seq);
      }
    }
    for (long seq : unreadable) {
      deleteEntry(seq);
      corrupt++;
    }
    return out;
  }

  /** Removes an entry (after the backend acknowledged it). Returns false if it was not there. */
  public synchronized boolean remove(long seq) {
    if (!sizes.containsKey(seq)) {
      return false;
    }
    deleteEntry(seq);
    return true;
  }

  private void deleteEntry(long seq) {
    Long size = sizes.remove(seq);
    if (size != null) {
      bytes -= size;
    }
    try {
      Files.deleteIfExists(dir.resolve(fileName(seq)));
    } catch (IOException e) {
      // Left on disk: the next open re-reads it, and the backend drops the duplicate.
      log.warn("spool {}: cannot delete entry seq {}: {}", dir, seq, e.toString());
    }
  }

  /** Number of reports spooled. */
  public synchronized int depth() {
    return sizes.size();
  }

  /** Bytes of report bodies spooled. */
  public synchronized long bytes() {
    return bytes;
  }

  /** Reports dropped because the spool was full (or a single report exceeded maxBytes). */
  public synchronized long droppedTotal() {
    return dropped;
  }

  /** Entries found corrupt or unreadable and deleted. */
  public synchronized long corruptTotal() {
    return corrupt;
  }

  /** The highest spooled sequence number, or 0 when empty. */
  public synchronized long maxSeq() {
    return sizes.isEmpty() ? 0 : sizes.lastKey();
  }

  public Path directory() {
    return dir;
  }

  public int maxEntries() {
    return maxEntries;
  }

  public long maxBytes() {
    return maxBytes;
  }
}
