package dev.nines.console.pools;

import dev.nines.console.app.Actions;
import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.Navigator;
import dev.nines.console.app.Screen;
import javafx.scene.Node;
import javafx.scene.input.KeyCombination;

/** The pools screen for the console's shell: one view-model and its view, live while shown. */
public final class PoolScreen implements dev.nines.console.app.PoolScreen {
  private final PoolsViewModel viewModel;
  private PoolsView view;

  public PoolScreen(ConsoleContext ctx, Actions actions, Navigator navigator) {
    this.viewModel = new PoolsViewModel(ctx, actions, navigator);
  }

  @Override
  public String id() {
    return "pools";
  }

  @Override
  public String title() {
    return "Pools";
  }

  @Override
  public KeyCombination shortcut() {
    return KeyCombination.keyCombination("Shortcut+3");
  }

  @Override
  public Node view() {
    if (view == null) {
      view = new PoolsView(viewModel);
    }
    return view;
  }

  @Override
  public void shown(boolean visible) {
    viewModel.setLive(visible);
  }

  /** Shows pool {@code pool} (a host's pool link, an incident's subject). */
  public void showPool(String pool) {
    viewModel.select(pool);
  }

  /** The view-model (tests). */
  public PoolsViewModel viewModel() {
    return viewModel;
  }
}
