package dev.nines.console;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.Navigator;
import dev.nines.console.app.Screen;
import dev.nines.console.client.Scheduler;
import dev.nines.console.fleet.FleetScreen;
import java.util.ArrayList;
import java.util.List;

/**
 * The screens the console shows, in navigation order (Shortcut+1 is the first). The one place to add
 * a screen: build it from the context and the navigator here.
 */
public final class ConsoleScreens {
  private ConsoleScreens() {}

  /** Every screen for a connection. */
  public static List<Screen> create(ConsoleContext ctx, Navigator navigator, Scheduler scheduler) {
    List<Screen> screens = new ArrayList<>();
    screens.add(new FleetScreen(ctx, navigator, scheduler));
    // the host, pools, incidents, alerts and audit screens are added here as they arrive
    return screens;
  }
}
