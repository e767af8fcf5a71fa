package dev.nines.console.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.FxUiExecutor;
import dev.nines.console.client.BackendClient;
import dev.nines.console.client.Host;
import dev.nines.console.client.Scheduler;
import dev.nines.console.client.WhoAmI;
import dev.nines.console.fx.Fx;
import dev.nines.console.theme.Theme;
import dev.nines.console.theme.Themes;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * A real {@link FleetView} and {@link FleetViewModel} on a shown stage at the screen's top left, fed
 * by the test ({@link #accept}) instead of a backend: for the tests that drive the fleet screen with
 * the TestFX robot. Hosts the view opens are recorded in {@link #opened}.
 */
final class ShownFleet implements AutoCloseable {
  final RecordingNavigator opened = new RecordingNavigator();
  final FleetViewModel vm;
  final FleetView view;
  final Stage stage;
  private final BackendClient unused;

  ShownFleet(double width, double height, List<Host> first) {
    unused = new BackendClient(URI.create("http://127.0.0.1:9"), "never-sent");
    ConsoleContext ctx = new ConsoleContext(unused, null, new WhoAmI("t", WhoAmI.Role.VIEWER),
        new FxUiExecutor(), Runnable::run, Clock.systemUTC());
    vm = new FleetViewModel(ctx, opened, Scheduler.daemon("shown-fleet"));
    vm.accept(first, true);
    Stage[] s = new Stage[1];
    view = Fx.call(() -> {
      FleetView v = new FleetView(vm);
      Scene scene = new Scene(v, width, height);
      Themes.apply(scene, Theme.DARK);
      s[0] = new Stage();
      s[0].setX(0);
      s[0].setY(0);
      s[0].setScene(scene);
      s[0].show();
      return v;
    });
    stage = s[0];
  }

  /** Hands the view-model a fetch's answer, as the coalesced refresh would. */
  void accept(List<Host> hosts) {
    vm.accept(hosts, true);
  }

  /** The host ids as shown, top to bottom. */
  List<String> shownIds() {
    return Fx.call(() -> view.shownRows().stream().map(FleetRow::id).toList());
  }

  /** Where the table shows row {@code index}, on the screen. */
  Point2D rowOnScreen(int index) {
    return Fx.call(() -> view.table().localToScreen(view.table().centreOf(index)));
  }

  /** The host the table shows at a point of the screen. */
  String hostAt(Point2D onScreen) {
    return Fx.call(() -> {
      Point2D local = view.table().screenToLocal(onScreen);
      FleetRow row = view.table().rowAt(local.getX(), local.getY());
      assertThat(row).as("a row at %s", onScreen).isNotNull();
      return row.id();
    });
  }

  @Override
  public void close() {
    Fx.run(stage::close);
    vm.close();
    unused.close();
  }
}
