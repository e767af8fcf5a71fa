package dev.nines.console;

import dev.nines.console.actions.ActionDialogs;
import dev.nines.console.alerts.AlertsView;
import dev.nines.console.alerts.AlertsViewModel;
import dev.nines.console.app.Actions;
import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.Navigator;
import dev.nines.console.app.Screen;
import dev.nines.console.audit.AuditView;
import dev.nines.console.audit.AuditViewModel;
import dev.nines.console.client.Scheduler;
import dev.nines.console.fleet.FleetScreen;
import dev.nines.console.host.HostScreen;
import dev.nines.console.incidents.IncidentsView;
import dev.nines.console.incidents.IncidentsViewModel;
import dev.nines.console.pools.PoolScreen;
import dev.nines.console.reports.ReportView;
import dev.nines.console.reports.ReportViewModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.stage.Window;

/**
 * The screens the console shows, in navigation order (Shortcut+1 is the first). The one place to add
 * a screen: build it from the context and the navigator here.
 */
public final class ConsoleScreens {
  private ConsoleScreens() {}

  /** Every screen for a connection; dialogs open over the navigator's window when it is a node. */
  public static List<Screen> create(ConsoleContext ctx, Navigator navigator, Scheduler scheduler) {
    Supplier<Window> owner =
        () -> navigator instanceof Node n && n.getScene() != null ? n.getScene().getWindow() : null;
    Actions actions = new ActionDialogs(ctx, owner);
    List<Screen> screens = new ArrayList<>();
    screens.add(new FleetScreen(ctx, navigator, scheduler));
    screens.add(new HostScreen(ctx, actions, navigator));
    screens.add(new PoolScreen(ctx, actions, navigator));
    screens.add(new IncidentsView(new IncidentsViewModel(ctx), actions, ctx.me()));
    screens.add(new AlertsView(new AlertsViewModel(ctx)));
    screens.add(new AuditView(new AuditViewModel(ctx)));
    screens.add(new ReportView(new ReportViewModel(ctx), ReportView.fileChooser(owner)));
    return screens;
  }
}
