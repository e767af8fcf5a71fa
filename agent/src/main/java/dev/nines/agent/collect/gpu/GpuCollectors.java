package dev.nines.agent.collect.gpu;

import dev.nines.agent.net.AgentHttp;
import dev.nines.protocol.GpuSection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;

/** Opens the GPU collector that an agent's {@code --gpu} option names. */
public final class GpuCollectors {
  static final String SPEC_HELP = "expected auto, nvml, none or sim:<url>";

  private GpuCollectors() {}

  /**
   * Opens a collector. Never throws for a missing NVML library or a failed NVML init: the
   * collector then answers {@code GpuSection.unavailable("nvml", reason)} on every collect.
   *
   * @param spec {@code auto} or {@code nvml} (NVML; {@code auto} is the same, for hosts that may
   *     have no GPU), {@code none} (off), or {@code sim:<url>} (a simulator's {@code /sim/gpus})
   * @param nvmlLibOrNull path of libnvidia-ml, or null to find {@code libnvidia-ml.so.1} through
   *     jna.library.path, LD_LIBRARY_PATH and the system's library paths
   * @param http client for {@code sim:}; may be null for the other specs
   * @param clock stamps XID events
   * @throws IllegalArgumentException for a spec that is none of the above, or a bad sim URL
   */
  public static GpuCollector open(String spec, Path nvmlLibOrNull, AgentHttp http, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("--gpu is required: " + SPEC_HELP);
    }
    String s = spec.trim();
    String lower = s.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "none":
        return new FixedGpuCollector(
            GpuSection.unavailable("none", "GPU collection disabled (--gpu none)"));
      case "nvml":
      case "auto":
        return NvmlGpuCollector.open(nvmlLibOrNull, clock);
      default:
        break;
    }
    if (lower.startsWith("sim:")) {
      URI url = simUrl(s.substring(4));
      if (http == null) {
        throw new IllegalArgumentException("--gpu " + s + " needs an HTTP client (was null)");
      }
      return new SimGpuCollector(http, url);
    }
    throw new IllegalArgumentException("--gpu '" + spec + "' is not valid: " + SPEC_HELP);
  }

  private static URI simUrl(String text) {
    URI url;
    try {
      url = URI.create(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--gpu sim:<url> has a malformed URL '" + text + "': " + e.getMessage(), e);
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      throw new IllegalArgumentException(
          "--gpu sim:<url> needs an absolute http(s) URL such as sim:http://127.0.0.1:8000 (was '"
              + text
              + "')");
    }
    return url;
  }
}
