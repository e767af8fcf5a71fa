package dev.nines.console.connect;

import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.BackendClient;
import dev.nines.console.client.BackendException;
import dev.nines.console.client.ConnectionStore;
import dev.nines.console.client.WhoAmI;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The connection dialog: server URL and token (prefilled from the {@link ConnectionStore}), and
 * "Connect", which asks the server who the token is ({@code GET /whoami}). Success remembers the
 * connection (owner-only file) and publishes it; a refused token or an unreachable server shows the
 * client's one-line message and nothing else opens.
 */
public final class ConnectViewModel {
  private final ConnectionStore store;
  private final UiExecutor ui;
  private final Executor io;
  private final BiFunction<List<URI>, String, BackendClient> clients;
  private final StringProperty server = new SimpleStringProperty(this, "server", "http://127.0.0.1:7070");
  private final StringProperty token = new SimpleStringProperty(this, "token", "");
  private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
  private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
  private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
  private final ReadOnlyObjectWrapper<Connection> connected = new ReadOnlyObjectWrapper<>(this, "connected");

  /**
   * @param store where the connection is remembered, or null to remember nothing
   * @param ui the UI thread
   * @param io where the blocking {@code whoAmI()} runs
   * @param clients makes a client for the server URLs (one, or several replicas) and a token
   */
  public ConnectViewModel(
      ConnectionStore store, UiExecutor ui, Executor io, BiFunction<List<URI>, String, BackendClient> clients) {
    this.store = store;
    this.ui = ui;
    this.io = io;
    this.clients = clients;
  }

  /** With the default client timeouts. */
  public ConnectViewModel(ConnectionStore store, UiExecutor ui, Executor io) {
    this(store, ui, io, BackendClient::new);
  }

  public StringProperty serverProperty() {
    return server;
  }

  public StringProperty tokenProperty() {
    return token;
  }

  /** While a connection is being tried. */
  public ReadOnlyBooleanProperty busyProperty() {
    return busy.getReadOnlyProperty();
  }

  /** Why the last try failed (one line for people), empty otherwise. */
  public ReadOnlyStringProperty errorProperty() {
    return error.getReadOnlyProperty();
  }

  /** Something to know that is not a failure (the remembered file could not be written). */
  public ReadOnlyStringProperty noticeProperty() {
    return notice.getReadOnlyProperty();
  }

  /** The connection once the server accepted the token; null before. */
  public ReadOnlyObjectProperty<Connection> connectedProperty() {
    return connected.getReadOnlyProperty();
  }

  /** Fills the fields from the remembered connection, if any (a file others may read is refused, with the fix). */
  public void loadRemembered() {
    if (store == null) {
      return;
    }
    try {
      Optional<ConnectionStore.Saved> saved = store.load();
      saved.ifPresent(
          s -> {
            server.set(s.serversText());
            token.set(s.token() == null ? "" : s.token());
          });
    } catch (ConnectionStore.StoreException e) {
      error.set(e.getMessage());
    }
  }

  /**
   * Readies the dialog for a new sign-in after the server refused the token in use: the server URL
   * stays, the token is emptied, and {@code why} shows as the error until the next try.
   */
  public void prepareSignIn(String why) {
    token.set("");
    error.set(why == null ? "" : why);
  }

  /** Tries the server and token now (in the background). */
  public void connect() {
    if (busy.get()) {
      return;
    }
    String url = server.get() == null ? "" : server.get().strip();
    String secret = token.get() == null ? "" : token.get().strip();
    List<URI> uri;
    try {
      uri = parseServers(url);
    } catch (IllegalArgumentException e) {
      error.set(e.getMessage());
      return;
    }
    if (secret.isEmpty()) {
      error.set("Enter a token (create one with ./nines server token create --role viewer)");
      return;
    }
    busy.set(true);
    error.set("");
    io.execute(() -> tryConnect(uri, secret));
  }

  private void tryConnect(List<URI> uri, String secret) {
    BackendClient client = null;
    try {
      client = clients.apply(uri, secret);
      WhoAmI me = client.whoAmI();
      String warning = "";
      if (store != null) {
        try {
          store.save(new ConnectionStore.Saved(uri, secret));
        } catch (RuntimeException e) {
          warning = "Connected, but the connection was not remembered: " + e.getMessage();
        }
      }
      Connection c = new Connection(client, me);
      String w = warning;
      ui.run(
          () -> {
            busy.set(false);
            notice.set(w);
            connected.set(c);
          });
    } catch (BackendException e) {
      close(client);
      String message = e.operatorMessage();
      ui.run(() -> fail(message));
    } catch (RuntimeException e) {
      close(client);
      String message = "Cannot connect: " + e.getMessage();
      ui.run(() -> fail(message));
    }
  }

  private void fail(String message) {
    busy.set(false);
    error.set(message);
  }

  private static void close(BackendClient client) {
    if (client != null) {
      client.close();
    }
  }

  /**
   * The server URLs as typed: one, or several replicas separated by commas ({@code a:7070,
   * b:7070}), each checked as {@link #parseServer}; blanks around the commas ignored. Pure.
   */
  static List<URI> parseServers(String text) {
    List<URI> out = new ArrayList<>();
    for (String part : (text == null ? "" : text).split(",")) {
      if (!part.isBlank()) {
        out.add(parseServer(part));
      }
    }
    if (out.isEmpty()) {
      parseServer(""); // throws, with the example
    }
    return out;
  }

  /** The server URL as typed, checked: http or https with a host. Pure. */
  static URI parseServer(String text) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("Enter the server's URL, e.g. http://127.0.0.1:7070");
    }
    if (!t.contains("://")) {
      t = "http://" + t;
    }
    URI uri;
    try {
      uri = URI.create(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "' is not a URL (e.g. http://127.0.0.1:7070)");
    }
    if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
      throw new IllegalArgumentException("'" + text + "' is not an http(s) URL with a host (e.g. http://127.0.0.1:7070)");
    }
    return uri;
  }
}
