package dev.nines.console.fx;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: starts the JavaFX toolkit headless once per JVM before a test class runs.
 * {@code @ExtendWith(FxExtension.class)}; then use {@link Fx#run}, {@link Fx#call},
 * {@link Fx#waitForPulses} and {@link Snapshots#write}.
 */
public final class FxExtension implements BeforeAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    Fx.start();
  }
}
