package dev.nines.console;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.FxUiExecutor;
import dev.nines.console.app.Screen;
import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.ConnectionStore;
import dev.nines.console.client.EventStream;
import dev.nines.console.client.Scheduler;
import dev.nines.console.connect.ConnectView;
import dev.nines.console.connect.ConnectViewModel;
import dev.nines.console.connect.Connection;
import dev.nines.console.theme.Theme;
import dev.nines.console.theme.Themes;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Scene;

/**
 * One console window's wiring, apart from the {@code Application} so tests drive it: the connection
 * dialog first (nothing else opens until the server accepted the token), then the {@link ConsoleShell}
 * with the screens, the shared {@link EventStream}, the theme (remembered in {@link UiPrefs}). Create
 * and use on the FX application thread.
 */
public final class ConsoleWindow implements AutoCloseable {
  /** Makes the screens for a connection (default: {@link ConsoleScreens#create}). */
  public interface ScreenFactory {
    List<Screen> create(ConsoleContext ctx, ConsoleShell shell, Scheduler scheduler);
  }

  private final UiPrefs prefs;
  private final ScreenFactory screens;
  private final Clock clock;
  private final UiExecutor ui = new FxUiExecutor();
  private final ExecutorService io =
      Executors.newFixedThreadPool(4, daemon("nines-console-io"));
  private final Scheduler scheduler = Scheduler.daemon("nines-console-scheduler");
  private final ConnectViewModel connectVm;
  private final ConnectView connectView;
  private final Scene scene;
  private ConsoleShell shell;
  private ConsoleContext ctx;
  private EventStream events;
  private List<Screen> shown = List.of();

  /**
   * @param store where the connection is remembered (null: nothing remembered)
   * @param prefs where the theme is remembered
   * @param screens the screens for a connection
   * @param width the window's first width
   * @param height and height
   */
  public ConsoleWindow(ConnectionStore store, UiPrefs prefs, ScreenFactory screens, double width, double height) {
    this.prefs = prefs;
    this.screens = screens;
    this.clock = Clock.systemUTC();
    connectVm = new ConnectViewModel(store, ui, io);
    connectVm.loadRemembered();
    connectView = new ConnectView(connectVm);
    scene = new Scene(connectView, width, height);
    Themes.apply(scene, prefs.theme());
    connectVm.connectedProperty().addListener((o, was, now) -> {
      if (now != null) {
        open(now);
      }
    });
  }

  /** The default screens, the current user's store and prefs. */
  public static ConsoleWindow forCurrentUser(double width, double height) {
    ConnectionStore store = ConnectionStore.forCurrentUser();
    return new ConsoleWindow(
        store, new UiPrefs(store.file().getParent()),
        (ctx, shell, sched) -> ConsoleScreens.create(ctx, shell, sched), width, height);
  }

  public Scene scene() {
    return scene;
  }

  public ConnectViewModel connectViewModel() {
    return connectVm;
  }

  public ConnectView connectView() {
    return connectView;
  }

  /** The shell, once connected; null before. */
  public ConsoleShell shell() {
    return shell;
  }

  /** The context the screens got, once connected; null before. */
  public ConsoleContext context() {
    return ctx;
  }

  /** Connects at once with {@code server} and {@code token} (the dialog stays, with the error, when they do not work). */
  public void connect(String server, String token) {
    if (server != null) {
      connectVm.serverProperty().set(server);
    }
    if (token != null) {
      connectVm.tokenProperty().set(token);
    }
    connectVm.connect();
  }

  /**
   * "Sign in again" (the token was refused while running): the connection dialog, with the server URL
   * kept, the token empty and the reason; a successful sign-in replaces the client, the stream, the
   * remembered connection and every screen; "Back to the console" returns to the shell as it was.
   */
  public void signInAgain() {
    if (shell == null) {
      return;
    }
    connectVm.prepareSignIn("The server refused the token in use (revoked or expired?): enter a new token for "
        + connectVm.serverProperty().get());
    connectView.setOnCancel(this::backToShell);
    scene.setRoot(connectView);
    Themes.apply(scene, Themes.of(scene));
    connectView.focusFirstEmpty();
  }

  private void backToShell() {
    connectView.setOnCancel(null);
    scene.setRoot(shell);
    Themes.apply(scene, Themes.of(scene));
  }

  private void open(Connection c) {
    if (shell != null) {
      reopen(c);
      return;
    }
    events = EventStream.of(c.client());
    ctx = new ConsoleContext(c.client(), events, c.me(), ui, io, clock);
    ShellViewModel shellVm = new ShellViewModel(events, c.me(), ui);
    shellVm.watchCluster(c.client()::cluster, io, scheduler);
    shellVm.darkProperty().set(Themes.of(scene) == Theme.DARK);
    shell = new ConsoleShell(shellVm);
    shell.install(scene);
    shellVm.darkProperty().addListener((o, was, dark) -> {
      Theme t = dark ? Theme.DARK : Theme.LIGHT;
      Themes.apply(scene, t);
      prefs.saveTheme(t);
    });
    shellVm.setSignInHandler(this::signInAgain);
    scene.setRoot(shell);
    Themes.apply(scene, Themes.of(scene)); // the style class goes on the new root
    shown = screens.create(ctx, shell, scheduler);
    shell.addScreens(shown);
    events.start();
  }

  /** A new sign-in while the shell runs: new client, stream and screens; the old ones are closed. */
  private void reopen(Connection c) {
    EventStream oldEvents = events;
    List<Screen> oldScreens = shown;
    ConsoleContext oldCtx = ctx;
    events = EventStream.of(c.client());
    ctx = new ConsoleContext(c.client(), events, c.me(), ui, io, clock);
    shell.viewModel().attach(events, c.me());
    shell.viewModel().watchCluster(c.client()::cluster, io, scheduler);
    shown = screens.create(ctx, shell, scheduler);
    shell.replaceScreens(shown);
    backToShell();
    events.start();
    oldEvents.close();
    closeAll(oldScreens);
    if (oldCtx.client() != c.client()) {
      oldCtx.client().close();
    }
  }

  private static void closeAll(List<Screen> screens) {
    for (Screen s : screens) {
      if (s instanceof AutoCloseable) {
        try {
          ((AutoCloseable) s).close();
        } catch (Exception e) {
          // closing: nothing to tell
        }
      }
    }
  }

  /** Stops the stream, the screens and the background threads. */
  @Override
  public void close() {
    if (events != null) {
      events.close();
    }
    closeAll(shown);
    if (shell != null) {
      shell.viewModel().close();
    }
    if (ctx != null) {
      ctx.client().close();
    }
    io.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Parses {@code --name value} or {@code --name=value} from {@code args}; null when absent. Pure. */
  static String option(List<String> args, String name) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals(name) && i + 1 < args.size()) {
        return args.get(i + 1);
      }
      if (a.startsWith(name + "=")) {
        return a.substring(name.length() + 1);
      }
    }
    return null;
  }

}
