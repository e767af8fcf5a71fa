package dev.nines.console.fleet;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.Filterable;
import dev.nines.console.app.Navigator;
import dev.nines.console.app.Refreshable;
import dev.nines.console.app.Screen;
import dev.nines.console.client.Scheduler;
import javafx.scene.Node;
import javafx.scene.input.KeyCombination;

/** The fleet as one of the shell's screens ({@code fleet}, Shortcut+1). */
public final class FleetScreen implements Screen, Refreshable, Filterable, AutoCloseable {
  private final FleetViewModel vm;
  private FleetView view;

  /** Builds the view-model and starts it (live from now on). */
  public FleetScreen(ConsoleContext ctx, Navigator navigator, Scheduler scheduler) {
    vm = new FleetViewModel(ctx, navigator, scheduler);
    vm.start();
  }

  public FleetViewModel viewModel() {
    return vm;
  }

  @Override
  public String id() {
    return "fleet";
  }

  @Override
  public String title() {
    return "Fleet";
  }

  @Override
  public KeyCombination shortcut() {
    return KeyCombination.keyCombination("Shortcut+1");
  }

  @Override
  public Node view() {
    if (view == null) {
      view = new FleetView(vm);
    }
    return view;
  }

  @Override
  public void shown(boolean visible) {
    vm.setActive(visible);
  }

  @Override
  public void refresh() {
    vm.refresh();
  }

  @Override
  public void focusFilter() {
    ((FleetView) view()).focusFilter();
  }

  @Override
  public void close() {
    vm.close();
  }
}
