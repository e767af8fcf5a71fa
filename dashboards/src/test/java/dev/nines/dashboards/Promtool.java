package dev.nines.dashboards;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus' {@code promtool} (Debian's {@code prometheus} package): CI must have it; a workstation
 * without it skips the tests that need it.
 */
final class Promtool {
  /** Bound of one promtool run; {@code test rules} over every file takes well under a second here. */
  static final long TIMEOUT_SECONDS = 60;

  /** What one run printed (stdout and stderr together) and its exit status. */
  record Result(int exitCode, String output) {}

  private final Path binary;

  private Promtool(Path binary) {
    this.binary = binary;
  }

  /** promtool from {@code /usr/bin}, else the first on the PATH. */
  static Optional<Path> find() {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("/usr/bin/promtool"));
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isBlank()) {
          candidates.add(Path.of(dir, "promtool"));
        }
      }
    }
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /** Fails when {@code CI} is set and promtool is missing; skips the test when only promtool is missing. */
  static Promtool require() {
    Optional<Path> found = find();
    if (found.isPresent()) {
      return new Promtool(found.get());
    }
    if (System.getenv("CI") != null) {
      Assertions.fail("promtool is not installed, and CI is set: CI must install it (apt-get install prometheus)");
    }
    Assumptions.abort("promtool is not installed (apt-get install prometheus); test skipped outside CI");
    throw new AssertionError("unreachable");
  }

  /** Runs {@code promtool args...} in {@code dir}, with {@code stdin} (or nothing) as its input. */
  Result run(Path dir, String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("promtool " + String.join(" ", args) + " ran longer than " + TIMEOUT_SECONDS + " s");
      }
      return new Result(p.exitValue(), out.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while promtool ran", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot read promtool's output", e);
    }
  }

  private static String readAll(InputStream in) {
    try (in) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
