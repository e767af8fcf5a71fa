package dev.nines.console.client;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Remembers the server URL and token of the OS user in {@code <config dir>/nines/console.properties}:
 * {@code $XDG_CONFIG_HOME} (default {@code ~/.config}) on Unix, {@code %APPDATA%} on Windows. The file
 * is written atomically (a temporary file, then a move) with owner-only permissions ({@code
 * rw-------}, its folder {@code rwx------}); a token in a file others can read is refused with a
 * message saying how to fix it. Where the file system has no POSIX permissions (Windows), the
 * user's profile folder is what protects it.
 */
public final class ConnectionStore {
  /** The file's name in the folder. */
  public static final String FILE_NAME = "console.properties";

  private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> NOT_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  /**
   * A remembered connection.
   *
   * @param servers the backend's base URL, or its replicas' in the order to try them (at least one;
   *     duplicates dropped)
   * @param token the bearer token, or null when only the URL is remembered
   */
  public record Saved(List<URI> servers, String token) {
    public Saved {
      servers = new Replicas(servers).all();
      token = token == null || token.isBlank() ? null : token.strip();
    }

    /** One server. */
    public Saved(URI server, String token) {
      this(List.of(Objects.requireNonNull(server, "server")), token);
    }

    /** The first server. */
    public URI server() {
      return servers.get(0);
    }

    /** The servers as the user writes them: {@code http://a:7070,http://b:7070}. */
    public String serversText() {
      return String.join(",", servers.stream().map(URI::toString).toList());
    }
  }

  /** Loading or saving failed; the message can be shown as it is. */
  public static final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Path dir;

  /** A store in {@code dir} (the {@code nines} folder itself); tests pass a temporary folder. */
  public ConnectionStore(Path dir) {
    this.dir = dir.toAbsolutePath();
  }

  /** The store of the current OS user, from the environment and system properties. */
  public static ConnectionStore forCurrentUser() {
    return new ConnectionStore(
        defaultDir(System.getenv(), System.getProperty("os.name", ""), System.getProperty("user.home", ".")));
  }

  /** The folder for this environment. Pure. */
  static Path defaultDir(Map<String, String> env, String osName, String userHome) {
    if (osName.toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
      String appData = env.get("APPDATA");
      Path base = appData == null || appData.isBlank() ? Paths.get(userHome, "AppData", "Roaming") : Paths.get(appData);
      return base.resolve("nines");
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base = xdg == null || xdg.isBlank() || !Paths.get(xdg).isAbsolute() ? Paths.get(userHome, ".config") : Paths.get(xdg);
    return base.resolve("nines");
  }

  /** The file. */
  public Path file() {
    return dir.resolve(FILE_NAME);
  }

  /**
   * The remembered connection, or empty when none is.
   *
   * @throws StoreException when the file holds a token but group or others may read or write it, or
   *     when it cannot be read
   */
  public Optional<Saved> load() {
    Path f = file();
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new StoreException("Cannot read " + f + ": " + e.getMessage(), e);
    }
    String server = p.getProperty("server");
    if (server == null || server.isBlank()) {
      return Optional.empty();
    }
    String token = p.getProperty("token");
    if (token != null && !token.isBlank()) {
      Set<PosixFilePermission> perms = permissions(f);
      if (perms != null && perms.stream().anyMatch(NOT_OTHERS::contains)) {
        throw new StoreException(
            "Refusing the token in " + f + ": the file is " + PosixFilePermissions.toString(perms)
                + " but must be readable by you alone (run: chmod 600 " + f + ")",
            null);
      }
    }
    try {
      return Optional.of(new Saved(BackendClient.parseServers(server), token));
    } catch (IllegalArgumentException e) {
      throw new StoreException("The server URL in " + f + " is not usable: " + e.getMessage(), e);
    }
  }

  /** Remembers {@code saved}, replacing what was there: atomic, owner-only. */
  public void save(Saved saved) {
    Properties p = new Properties();
    p.setProperty("server", saved.serversText());
    if (saved.token() != null) {
      p.setProperty("token", saved.token());
    }
    StringWriter text = new StringWriter();
    try {
      p.store(text, "Nines console connection (the token is a secret: keep this file rw-------)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path tmp = null;
    try {
      if (posix) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_PERMS));
        Files.setPosixFilePermissions(dir, DIR_PERMS);
        FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(FILE_PERMS);
        tmp = Files.createTempFile(dir, "." + FILE_NAME + ".", ".tmp", attr);
      } else {
        Files.createDirectories(dir);
        tmp = Files.createTempFile(dir, "." + FILE_NAME + ".", ".tmp");
      }
      Files.writeString(tmp, text.toString(), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new StoreException("Cannot write " + file() + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // best effort
        }
      }
    }
  }

  /** Forgets the connection (deletes the file). */
  public void clear() {
    try {
      Files.deleteIfExists(file());
    } catch (IOException e) {
      throw new StoreException("Cannot delete " + file() + ": " + e.getMessage(), e);
    }
  }

  private static Set<PosixFilePermission> permissions(Path f) {
    try {
      return Files.getPosixFilePermissions(f);
    } catch (UnsupportedOperationException e) {
      return null;
    } catch (IOException e) {
      throw new StoreException("Cannot read the permissions of " + f + ": " + e.getMessage(), e);
    }
  }
}
