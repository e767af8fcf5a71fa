package dev.nines.console;

import dev.nines.console.app.Filterable;
import dev.nines.console.app.HostScreen;
import dev.nines.console.app.Navigator;
import dev.nines.console.app.PoolScreen;
import dev.nines.console.app.Refreshable;
import dev.nines.console.app.Screen;
import dev.nines.console.client.ConnectionState;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;

/**
 * The console's frame: the list of screens on the left (each with its shortcut), the screen shown in
 * the middle, and the status bar (connection state in colour AND words, who is signed in, the theme).
 * It is the {@link Navigator}: {@link #showHost} switches to the screen with id {@code host} (a
 * {@link HostScreen}) and tells it the host; {@link #showPool} to {@code pools} (a {@link PoolScreen}).
 * Shortcuts (after {@link #install(Scene)}): Shortcut+1..9 screens, Shortcut+T theme, Shortcut+R
 * refresh the screen shown ({@link Refreshable}), Shortcut+F its filter ({@link Filterable}).
 */
public final class ConsoleShell extends BorderPane implements Navigator {
  /** The host screen's id. */
  public static final String HOST = "host";
  /** The pools screen's id. */
  public static final String POOLS = "pools";

  private final ShellViewModel vm;
  private final List<Screen> screens = new ArrayList<>();
  private final ListView<Screen> nav = new ListView<>();
  private final StackPane content = new StackPane();
  private final Label state = new Label();
  private final Button signIn = new Button("Sign in again");
  private Screen current;
  private Scene installedOn;

  public ConsoleShell(ShellViewModel vm) {
    this.vm = vm;
    getStyleClass().add("nines-shell");
    nav.setId("navigation");
    nav.setPrefWidth(168);
    nav.setMinWidth(160);
    nav.setCellFactory(l -> new ScreenCell());
    nav.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
      if (now != null) {
        switchTo(now);
      }
    });
    setLeft(nav);
    setCenter(content);
    setBottom(statusBar());
  }

  /** Adds screens to the navigation (in order); the first one added is shown. */
  public void addScreens(List<? extends Screen> more) {
    screens.addAll(more);
    nav.getItems().setAll(screens);
    if (installedOn != null) {
      installShortcuts(installedOn);
    }
    if (current == null && !screens.isEmpty()) {
      nav.getSelectionModel().select(0);
    }
  }

  /**
   * Replaces every screen (a new sign-in: new client, new stream); the screen shown stays the one
   * with the same id, built anew, so every screen reads its data again. The old ones are only hidden:
   * the caller closes them.
   */
  public void replaceScreens(List<? extends Screen> next) {
    String shownId = current == null ? null : current.id();
    if (current != null) {
      current.shown(false);
    }
    current = null;
    nav.getSelectionModel().clearSelection();
    screens.clear();
    screens.addAll(next);
    nav.getItems().setAll(screens);
    if (installedOn != null) {
      installShortcuts(installedOn);
    }
    int index = 0;
    for (int i = 0; i < screens.size(); i++) {
      if (screens.get(i).id().equals(shownId)) {
        index = i;
      }
    }
    if (!screens.isEmpty()) {
      nav.getSelectionModel().select(index);
    }
  }

  /** The screens, in navigation order. */
  public List<Screen> screens() {
    return List.copyOf(screens);
  }

  /** The screen shown, or null. */
  public Screen current() {
    return current;
  }

  public ShellViewModel viewModel() {
    return vm;
  }

  /** Puts the keyboard shortcuts on {@code scene}. */
  public void install(Scene scene) {
    installedOn = scene;
    installShortcuts(scene);
  }

  private void installShortcuts(Scene scene) {
    var acc = scene.getAccelerators();
    for (int i = 0; i < screens.size(); i++) {
      Screen s = screens.get(i);
      KeyCombination k = shortcutOf(s, i);
      if (k != null) {
        acc.put(k, () -> showScreen(s.id()));
      }
    }
    acc.put(KeyCombination.keyCombination("Shortcut+T"), vm::toggleTheme);
    acc.put(KeyCombination.keyCombination("Shortcut+R"), this::refreshCurrent);
    acc.put(KeyCombination.keyCombination("Shortcut+F"), this::focusFilter);
  }

  /** A screen's own shortcut, else Shortcut+(position) for the first nine. */
  static KeyCombination shortcutOf(Screen s, int index) {
    if (s.shortcut() != null) {
      return s.shortcut();
    }
    return index < 9 ? KeyCombination.keyCombination("Shortcut+" + (index + 1)) : null;
  }

  /** Reloads the screen shown, when it can. */
  public void refreshCurrent() {
    if (current instanceof Refreshable) {
      ((Refreshable) current).refresh();
    }
  }

  /** Focuses the shown screen's filter, when it has one. */
  public void focusFilter() {
    if (current instanceof Filterable) {
      ((Filterable) current).focusFilter();
    }
  }

  @Override
  public void showScreen(String screenId) {
    Screen s = find(screenId);
    if (s != null) {
      nav.getSelectionModel().select(s);
    }
  }

  @Override
  public void showHost(String hostId) {
    Screen s = find(HOST);
    if (s instanceof HostScreen) {
      ((HostScreen) s).showHost(hostId);
      showScreen(HOST);
    }
  }

  @Override
  public void showPool(String pool) {
    Screen s = find(POOLS);
    if (s instanceof PoolScreen) {
      ((PoolScreen) s).showPool(pool);
      showScreen(POOLS);
    }
  }

  private Screen find(String id) {
    for (Screen s : screens) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    return null;
  }

  private void switchTo(Screen next) {
    if (next == current) {
      return;
    }
    if (current != null) {
      current.shown(false);
    }
    current = next;
    content.getChildren().setAll(next.view());
    next.shown(true);
  }

  private HBox statusBar() {
    state.setId("connection-state");
    state.textProperty().bind(vm.statusTextProperty());
    vm.stateProperty().addListener((o, was, now) -> colour(now));
    colour(vm.stateProperty().get());
    Label user = new Label();
    user.setId("signed-in");
    user.textProperty().bind(vm.userProperty());
    Button theme = new Button();
    theme.setId("theme");
    theme.textProperty().bind(
        javafx.beans.binding.Bindings.when(vm.darkProperty()).then("Light theme (Shortcut+T)").otherwise("Dark theme (Shortcut+T)"));
    theme.setOnAction(e -> vm.toggleTheme());
    theme.setFocusTraversable(false);
    signIn.setId("sign-in-again");
    signIn.getStyleClass().add("accent");
    signIn.setOnAction(e -> vm.signInAgain());
    signIn.visibleProperty().bind(vm.signInNeededProperty());
    signIn.managedProperty().bind(signIn.visibleProperty());
    signIn.setFocusTraversable(false);
    // the state's words shrink (with an ellipsis; the full text is its tooltip); the controls do not
    signIn.setMinWidth(Region.USE_PREF_SIZE);
    user.setMinWidth(Region.USE_PREF_SIZE);
    theme.setMinWidth(Region.USE_PREF_SIZE);
    state.setMinWidth(120);
    javafx.scene.control.Tooltip full = new javafx.scene.control.Tooltip();
    full.textProperty().bind(vm.statusTextProperty());
    state.setTooltip(full);
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    HBox bar = new HBox(12, state, signIn, grow, user, theme);
    bar.setAlignment(Pos.CENTER_LEFT);
    bar.setPadding(new Insets(4, 10, 4, 10));
    bar.setStyle("-fx-border-color: -color-border-default transparent transparent transparent;");
    return bar;
  }

  /** Colour for the state (the words say it too): green live, amber retrying, red refused or unreachable. */
  private void colour(ConnectionState s) {
    state.getStyleClass().removeAll("success", "warning", "danger", "accent");
    String cls;
    String dot;
    switch (s) {
      case LIVE:
        cls = "success";
        dot = "\u25CF ";
        break;
      case CONNECTING:
      case RECONNECTING:
        cls = "warning";
        dot = "\u25D0 ";
        break;
      default:
        cls = "danger";
        dot = "\u2716 ";
    }
    state.getStyleClass().add(cls);
    state.textProperty().unbind();
    state.textProperty().bind(javafx.beans.binding.Bindings.concat(dot, vm.statusTextProperty()));
  }

  /** "Sign in again", shown while the token is refused (tests click it). */
  public Button signInButton() {
    return signIn;
  }

  /** The connection state's label (tests read it). */
  public Label stateLabel() {
    return state;
  }

  private final class ScreenCell extends ListCell<Screen> {
    @Override
    protected void updateItem(Screen item, boolean empty) {
      super.updateItem(item, empty);
      if (empty || item == null) {
        setText(null);
        setGraphic(null);
        return;
      }
      KeyCombination k = shortcutOf(item, getIndex());
      Label title = new Label(item.title());
      Label key = new Label(k == null ? "" : k.getDisplayText());
      key.getStyleClass().add("text-muted");
      Region grow = new Region();
      HBox.setHgrow(grow, Priority.ALWAYS);
      HBox box = new HBox(6, title, grow, key);
      box.setAlignment(Pos.CENTER_LEFT);
      setText(null);
      setGraphic(box);
    }
  }
}
