package dev.nines.console.actions;

import dev.nines.console.app.Actions;
import dev.nines.console.app.ConsoleContext;
import dev.nines.console.theme.Theme;
import dev.nines.console.theme.Themes;
import java.util.function.Supplier;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Tooltip;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The console's {@link Actions}: each opens a modal confirmation dialog ({@link ActionDialogView} on a
 * fresh {@link ActionsViewModel}) over the owner window. Call on the FX thread.
 */
public final class ActionDialogs implements Actions {
  private final ConsoleContext ctx;
  private final Supplier<Window> owner;

  /**
   * @param owner the window the dialogs belong to (may answer null: a free-standing dialog)
   */
  public ActionDialogs(ConsoleContext ctx, Supplier<Window> owner) {
    this.ctx = ctx;
    this.owner = owner == null ? () -> null : owner;
  }

  @Override
  public void drain(String hostId) {
    open(ActionKind.DRAIN, hostId);
  }

  @Override
  public void undrain(String hostId) {
    open(ActionKind.UNDRAIN, hostId);
  }

  @Override
  public void maintenance(String hostId) {
    open(ActionKind.MAINTENANCE, hostId);
  }

  @Override
  public void failover(String pool) {
    open(ActionKind.FAILOVER, pool);
  }

  /**
   * Shows the dialog for {@code kind} on {@code subject} and starts its dry run; answers the dialog's
   * stage (its scene's root is the {@link ActionDialogView}). Closing it stops following the progress.
   */
  public Stage open(ActionKind kind, String subject) {
    ActionsViewModel vm = new ActionsViewModel(ctx);
    Stage stage = new Stage();
    Window parent = owner.get();
    Theme theme = Theme.DARK;
    if (parent != null) {
      stage.initOwner(parent);
      stage.initModality(Modality.WINDOW_MODAL);
      if (parent.getScene() != null) {
        theme = Themes.of(parent.getScene());
      }
    }
    ActionDialogView view = new ActionDialogView(vm, stage::close);
    Scene scene = new Scene(view, 600, 640);
    Themes.apply(scene, theme);
    stage.setScene(scene);
    stage.setTitle(kind.label() + " " + subject);
    stage.setOnHidden(e -> vm.close());
    vm.start(kind, subject);
    stage.show();
    return stage;
  }

  /**
   * A button that opens {@code kind}'s dialog for whatever {@code subject} names when pressed;
   * disabled, with the reason in its tooltip and accessible help, for a token that may not operate.
   */
  public Button button(ActionKind kind, Supplier<String> subject) {
    Button b = new Button(kind.label() + "...");
    b.setId("action-" + kind.name().toLowerCase(java.util.Locale.ROOT));
    b.setOnAction(e -> {
      String s = subject.get();
      if (s != null && !s.isBlank()) {
        open(kind, s);
      }
    });
    ctx.me().whyNotOperate().ifPresent(why -> {
      b.setDisable(true);
      b.setTooltip(new Tooltip(why));
      b.setAccessibleHelp(why);
    });
    return b;
  }
}
