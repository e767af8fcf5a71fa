package dev.nines.agent.ship;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-agent report sequence numbers that survive restarts and crashes and are never handed out
 * twice.
 *
 * <p>How: the store durably writes "reserved up to N" (file {@value #FILE_NAME}, written with
 * temp file + fsync + atomic rename) before it hands out any number up to N, in blocks of {@code
 * blockSize}. After a restart, or a SIGKILL, it continues at N + 1. The numbers of a block that were
 * not handed out before a crash are skipped: gaps are fine, duplicates never happen (the backend
 * drops a report whose (agentId, seq) it already stored, so a reused number would lose a report).
 *
 * <p>A mark file that cannot be read or parsed makes {@link #open} fail rather than guess: starting
 * again at 1 would make the backend drop every report as a duplicate. Delete the file on purpose to
 * restart at 1.
 *
 * <p>Thread-safe. Nothing needs closing.
 */
public final class SequenceStore {
  /** Name of the mark file in the directory. */
  public static final String FILE_NAME = "seq.reserved";

  /** Numbers reserved per durable write by {@link #open(Path)}. */
  public static final int DEFAULT_BLOCK_SIZE = 1000;

  private static final Logger log = LoggerFactory.getLogger(SequenceStore.class);

  private final Path file;
  private final int blockSize;
  private long last;
  private long reserved;

  private SequenceStore(Path file, int blockSize, long reserved) {
    this.file = file;
    this.blockSize = blockSize;
    this.last = reserved;
    this.reserved = reserved;
  }

  /** Opens (creating the directory if needed) with {@link #DEFAULT_BLOCK_SIZE}. */
  public static SequenceStore open(Path dir) {
    return open(dir, DEFAULT_BLOCK_SIZE);
  }

  /**
   * Opens the store in {@code dir}; the first {@link #next()} returns the previous run's reserved
   * mark + 1 (1 on a fresh directory).
   *
   * @throws UncheckedIOException when the directory cannot be created or the mark file is unreadable
   * @throws IllegalStateException when the mark file is corrupt
   */
  public static SequenceStore open(Path dir, int blockSize) {
    if (blockSize < 1) {
      throw new IllegalArgumentException("blockSize must be >= 1 (was " + blockSize + ")");
    }
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve(FILE_NAME + Durable.TEMP_SUFFIX));
      Path file = dir.resolve(FILE_NAME);
      long mark = readMark(file);
      log.info("sequence store {}: continuing after reserved mark {}", file, mark);
      return new SequenceStore(file, blockSize, mark);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open sequence store in " + dir, e);
    }
  }

  private static long readMark(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return 0;
    }
    return parseMark(text, file);
  }

  static long parseMark(String text, Path file) {
    try {
      long mark = Long.parseLong(text.strip());
      if (mark < 0) {
        throw new NumberFormatException("negative");
      }
      return mark;
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          "sequence mark file " + file + " is corrupt ('" + text.strip()
              + "'); refusing to guess, since a reused sequence number loses reports."
              + " Delete the file to restart numbering at 1.");
    }
  }

  /**
   * The next sequence number: strictly greater than every number this directory ever handed out.
   *
   * @throws UncheckedIOException when a new block cannot be reserved durably (nothing is handed
   *     out then)
   */
  public synchronized long next() {
    if (last == reserved) {
      long mark = reserved + blockSize;
      try {
        Durable.write(file, (mark + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot reserve sequence numbers in " + file, e);
      }
      reserved = mark;
    }
    return ++last;
  }

  /** The last number handed out by this instance, or the previous run's mark before the first. */
  public synchronized long last() {
    return last;
  }
}
