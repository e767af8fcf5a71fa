package dev.nines.console;

import dev.nines.console.theme.Theme;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The console's look, remembered beside the connection ({@code console-ui.properties} in the same
 * folder as {@code console.properties}): {@code theme=dark|light}. Holds no secret; failures to read
 * or write it are ignored (the default is dark).
 */
public final class UiPrefs {
  /** The file's name. */
  public static final String FILE_NAME = "console-ui.properties";

  private final Path file;

  public UiPrefs(Path dir) {
    this.file = dir.resolve(FILE_NAME);
  }

  public Path file() {
    return file;
  }

  /** The remembered theme, dark when none is. */
  public Theme theme() {
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException | IllegalArgumentException e) {
        return Theme.DARK;
      }
    }
    return "light".equalsIgnoreCase(p.getProperty("theme", "dark").strip()) ? Theme.LIGHT : Theme.DARK;
  }

  /** Remembers {@code theme}; returns false when it could not be written. */
  public boolean saveTheme(Theme theme) {
    Properties p = new Properties();
    p.setProperty("theme", theme == Theme.LIGHT ? "light" : "dark");
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "." + FILE_NAME + ".", ".tmp");
      try (Writer w = new StringWriter()) {
        p.store(w, "Nines console look");
        Files.writeString(tmp, w.toString(), StandardCharsets.UTF_8);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
