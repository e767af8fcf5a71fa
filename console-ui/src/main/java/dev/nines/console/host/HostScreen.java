package dev.nines.console.host;

import dev.nines.console.app.Actions;
import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.Navigator;
import dev.nines.console.app.Screen;
import javafx.scene.Node;
import javafx.scene.input.KeyCombination;

/** The host screen for the console's shell: one view-model and its view, live while shown. */
public final class HostScreen implements dev.nines.console.app.HostScreen {
  private final HostViewModel viewModel;
  private HostView view;

  public HostScreen(ConsoleContext ctx, Actions actions, Navigator navigator) {
    this.viewModel = new HostViewModel(ctx, actions, navigator);
  }

  @Override
  public String id() {
    return "host";
  }

  @Override
  public String title() {
    return "Host";
  }

  @Override
  public KeyCombination shortcut() {
    return KeyCombination.keyCombination("Shortcut+2");
  }

  @Override
  public Node view() {
    if (view == null) {
      view = new HostView(viewModel);
    }
    return view;
  }

  @Override
  public void shown(boolean visible) {
    viewModel.setLive(visible);
  }

  /** Shows host {@code id} (the fleet's row, a pool's member, an incident's subject). */
  public void showHost(String id) {
    viewModel.showHost(id);
  }

  /** The view-model (tests, the shell's status line). */
  public HostViewModel viewModel() {
    return viewModel;
  }
}
