package dev.nines.server;

import dev.nines.server.audit.Actor;
import dev.nines.server.auth.CreatedToken;
import dev.nines.server.auth.Revocation;
import dev.nines.server.auth.Role;
import dev.nines.server.auth.TokenInfo;
import dev.nines.server.auth.TokenService;
import dev.nines.server.store.PageKey;
import dev.nines.server.store.Store;
import dev.nines.server.store.StoreException;
import dev.nines.server.store.Stores;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nines server token create|list|revoke}: manages API tokens straight in the server's
 * database, with or without a running server. A running server on the same database sees a
 * revocation within {@link TokenService#CACHE_TTL}. Every creation and revocation is audited as
 * {@code cli:<user>}.
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Create, list and revoke API tokens in the server's database.",
    subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Callable<Integer> {
  /** Exit code for the caller's mistakes: unknown role or id, no database, a refused revocation. */
  static final int USAGE = 2;
  /** Exit code when the database cannot be read or written. */
  static final int IO = 1;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return USAGE;
  }

  /** The {@code --db} option, the same as {@code nines server --db} (and {@code NINES_DB}). */
  static final class DbOption {
    @Option(
        names = "--db",
        defaultValue = "./nines-data/nines.db",
        description = "The server's database: SQLite file path, jdbc:sqlite: or jdbc:postgresql: URL (default: ${DEFAULT-VALUE}).")
    String db;
  }

  /** What each subcommand does with the opened token service. */
  private interface Work {
    int run(TokenService tokens, Actor me, PrintWriter out, PrintWriter err);
  }

  /** Opens the database (which must exist), runs the work, maps failures to one line and an exit code. */
  private static int withTokens(CommandSpec spec, String db, Work work) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String name = spec.qualifiedName();
    try {
      Path file = Stores.jdbcUrl(db).startsWith("jdbc:sqlite:") ? databaseFile(db) : null;
      if (file != null && !Files.isRegularFile(file)) {
        err.println(name + ": no database at " + file + " (start the server once, or give --db or NINES_DB)");
        return USAGE;
      }
      Clock clock = Clock.systemUTC();
      try (Store store = Stores.open(db, clock)) {
        return work.run(new TokenService(store, clock), Actor.cli(System.getProperty("user.name")), out, err);
      }
    } catch (IllegalArgumentException e) {
      err.println(name + ": " + e.getMessage());
      return USAGE;
    } catch (StoreException | IllegalStateException e) {
      err.println(name + ": " + e.getMessage());
      return IO;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The file a {@code --db} value names. */
  static Path databaseFile(String db) {
    String url = Stores.jdbcUrl(db);
    String file = url.substring("jdbc:sqlite:".length());
    int query = file.indexOf('?');
    if (query >= 0) {
      file = file.substring(0, query);
    }
    if (file.startsWith("file:")) {
      file = file.substring(5);
    }
    return Path.of(file).toAbsolutePath().normalize();
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a token and print it (shown only this once).")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DbOption db;

    @Option(names = "--role", required = true, description = "agent, viewer, operator or admin.")
    String role;

    @Option(names = "--name", required = true, description = "Who or what the token is for.")
    String name;

    @Override
    public Integer call() {
      Role r;
      try {
        r = Role.parse(role);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--role: " + e.getMessage());
      }
      return withTokens(
          spec, db.db,
          (tokens, me, out, err) -> {
            CreatedToken c = tokens.create(r, name, me);
            out.println("Created " + c.token().role().wire() + " token " + c.token().id() + " (" + c.token().name() + "):");
            out.println("  " + c.plaintext());
            out.println("This token is shown only once: store it now. The server keeps only its hash.");
            return 0;
          });
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List every token, newest first (never the token itself).")
  static final class ListTokens implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DbOption db;

    @Override
    public Integer call() {
      return withTokens(
          spec, db.db,
          (tokens, me, out, err) -> {
            List<TokenInfo> all = new ArrayList<>();
            PageKey after = null;
            while (true) {
              List<TokenInfo> page = tokens.list(after, 1000);
              all.addAll(page);
              if (page.size() < 1000) {
                break;
              }
              TokenInfo last = page.get(page.size() - 1);
              after = new PageKey(last.createdAtMs(), last.id());
            }
            out.print(table(all));
            return 0;
          });
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by its id.")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DbOption db;

    @Parameters(index = "0", paramLabel = "ID", description = "The token's id (see 'token list').")
    String id;

    @Override
    public Integer call() {
      return withTokens(
          spec, db.db,
          (tokens, me, out, err) -> {
            Revocation r = tokens.revoke(id, me);
            switch (r.outcome()) {
              case REVOKED:
                out.println(
                    "Revoked " + r.token().role().wire() + " token " + r.token().id() + " (" + r.token().name() + ")."
                        + " A running server refuses it within " + TokenService.CACHE_TTL.toSeconds() + " s.");
                return 0;
              case ALREADY_REVOKED:
                out.println(
                    "Token " + r.token().id() + " (" + r.token().name() + ") was already revoked at "
                        + Instant.ofEpochMilli(r.token().revokedAtMs()) + "; nothing changed.");
                return 0;
              case UNKNOWN:
                err.println(spec.qualifiedName() + ": no token with id '" + id + "' (see 'token list')");
                return USAGE;
              case LAST_ADMIN:
                err.println(
                    spec.qualifiedName() + ": refused: " + id + " is the last valid admin token;"
                        + " create another admin token first, so that nobody is locked out");
                return USAGE;
              default:
                throw new IllegalStateException("unexpected outcome " + r.outcome());
            }
          });
    }
  }

  /** The token table printed by {@code list}. Pure. */
  static String table(List<TokenInfo> tokens) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "NAME", "ROLE", "CREATED", "REVOKED"});
    for (TokenInfo t : tokens) {
      rows.add(
          new String[] {
            t.id(), t.name(), t.role().wire(), Instant.ofEpochMilli(t.createdAtMs()).toString(),
            t.revokedAtMs() == null ? "-" : Instant.ofEpochMilli(t.revokedAtMs()).toString()
          });
    }
    int[] width = new int[5];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }
}
