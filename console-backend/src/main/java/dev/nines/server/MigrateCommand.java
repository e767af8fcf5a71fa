package dev.nines.server;

import dev.nines.server.store.StoreCopy;
import dev.nines.server.store.StoreException;
import dev.nines.server.store.Stores;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code nines server migrate --from <sqlite file> --to <jdbc url> [--force]}: copies an
 * installation's whole history into another database (PostgreSQL), with the server stopped.
 * Progress goes to stderr; exit 0 when every table's row count matches, 1 on a mismatch or a
 * database failure, 2 for the caller's mistakes (no such file, a target that holds data).
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = "Copy a SQLite installation's history into another database (stop the server first).")
final class MigrateCommand implements Callable<Integer> {
  static final int USAGE = 2;
  static final int FAILED = 1;

  @Spec CommandSpec spec;

  @Option(names = "--from", required = true, description = "The SQLite database file (or jdbc:sqlite: URL) to copy.")
  String from;

  @Option(
      names = "--to",
      required = true,
      description = "The target: jdbc:postgresql://host:port/db?user=..&password=.. (password also from NINES_DB_PASSWORD).")
  String to;

  @Option(names = "--force", description = "Replace whatever the target holds.")
  boolean force;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String name = spec.qualifiedName();
    try {
      String source = Stores.jdbcUrl(from);
      if (!source.startsWith("jdbc:sqlite:")) {
        err.println(name + ": --from must be a SQLite file (was " + Stores.describe(from) + ")");
        return USAGE;
      }
      Path file = TokenCommand.databaseFile(from);
      if (!Files.isRegularFile(file)) {
        err.println(name + ": no database at " + file);
        return USAGE;
      }
      Stores.jdbcUrl(to); // refuses an unsupported URL with a clear message
      List<StoreCopy.TableCount> counts =
          StoreCopy.copy(
              from, to, force, Clock.systemUTC(),
              p -> {
                err.println(name + ": " + p.table() + " " + p.done() + "/" + p.total());
                err.flush();
              });
      int bad = 0;
      long rows = 0;
      for (StoreCopy.TableCount c : counts) {
        rows += c.targetRows();
        if (!c.matches()) {
          bad++;
          err.println(name + ": " + c.table() + ": " + c.sourceRows() + " rows in the source but "
              + c.targetRows() + " in the target");
        }
      }
      if (bad > 0) {
        err.println(name + ": " + bad + " table(s) differ; the target is not a copy");
        return FAILED;
      }
      out.println("copied " + rows + " rows in " + counts.size() + " tables to " + Stores.describe(to));
      return 0;
    } catch (StoreCopy.TargetNotEmptyException | IllegalArgumentException e) {
      err.println(name + ": " + e.getMessage());
      return USAGE;
    } catch (StoreException | IllegalStateException e) {
      err.println(name + ": " + e.getMessage());
      return FAILED;
    }
  }
}
