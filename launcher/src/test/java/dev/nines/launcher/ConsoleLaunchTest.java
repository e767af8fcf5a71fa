package dev.nines.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleLaunchTest {
  @Test
  void aDisplayIsNeededOnLinuxButAlwaysThereOnWindowsAndMac() {
    assertThat(DemoCommand.hasDisplay(Map.of(), "Linux")).isFalse();
    assertThat(DemoCommand.hasDisplay(Map.of("DISPLAY", " "), "Linux")).isFalse();
    assertThat(DemoCommand.hasDisplay(Map.of("DISPLAY", ":0"), "Linux")).isTrue();
    assertThat(DemoCommand.hasDisplay(Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux")).isTrue();
    assertThat(DemoCommand.hasDisplay(Map.of(), "Windows 11")).isTrue();
    assertThat(DemoCommand.hasDisplay(Map.of(), "Mac OS X")).isTrue();
  }

  @Test
  void theConsoleGetsTheServerAndTokenAsNamedArguments() {
    assertThat(ConsoleCommand.arguments("http://h:7070", "t0k")).containsExactly("--server=http://h:7070", "--token=t0k");
    assertThat(ConsoleCommand.arguments(null, null)).isEmpty();
  }

  @Test
  void theConsoleLauncherIsOnTheClassPath() throws Exception {
    // the console module is a dependency: its plain main class (not the Application) starts it
    assertThat(Class.forName("dev.nines.console.Launcher").getMethod("main", String[].class)).isNotNull();
  }
}
