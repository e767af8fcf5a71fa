package dev.nines.agent.collect.gpu;

import static org.assertj.core.api.Assertions.fail;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds {@code nvml-stub/nvml_stub.c} with gcc into {@code target/nvml-stub/libnvidia-ml.so.1}
 * once per test run. A missing gcc fails the test: the NVML binding must not go untested.
 */
final class NvmlStub {
  /** The stub's test-only controls. */
  interface Control extends Library {
    void nvmlStubReset();

    void nvmlStubSetInitResult(int result);

    void nvmlStubSetDeviceCount(int count);

    int nvmlStubInitDepth();

    int nvmlStubEventSetsLive();
  }

  private static Path built;

  private NvmlStub() {}

  static synchronized Path library() {
    if (built == null) {
      built = build();
    }
    return built;
  }

  static Control control() {
    return Native.load(library().toString(), Control.class);
  }

  private static Path build() {
    try {
      URL src = NvmlStub.class.getResource("/nvml-stub/nvml_stub.c");
      if (src == null) {
        fail("nvml-stub/nvml_stub.c is not on the test class path");
      }
      Path source = Path.of(src.toURI());
      // target/test-classes/nvml-stub/nvml_stub.c -> target/nvml-stub/
      Path dir = source.getParent().getParent().getParent().resolve("nvml-stub");
      Files.createDirectories(dir);
      Path lib = dir.resolve("libnvidia-ml.so.1");
      List<String> cmd =
          List.of(
              "gcc", "-Wall", "-Werror", "-shared", "-fPIC", "-Wl,-soname,libnvidia-ml.so.1",
              "-o", lib.toString(), source.toString());
      Process p;
      try {
        p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new AssertionError(
            "gcc is required to build the NVML stub for these tests (apt-get install gcc): "
                + e.getMessage(),
            e);
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("gcc did not finish building the NVML stub within 60 s");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        fail("gcc failed to build the NVML stub (exit " + p.exitValue() + "): " + out);
      }
      return lib.toAbsolutePath();
    } catch (IOException | URISyntaxException e) {
      throw new AssertionError("Could not build the NVML stub: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while building the NVML stub", e);
    }
  }
}
