package dev.nines.console.theme;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.net.URL;
import javafx.scene.Node;
import javafx.scene.Scene;

/**
 * Applies a theme to a scene: AtlantaFX Primer (dark or light) as the scene's user-agent stylesheet,
 * the style class {@code nines-dark} or {@code nines-light} on the root, and the {@link Theme} in the
 * scene's properties, where the Canvas widgets read their {@link Palette} (they redraw when it
 * changes). Per scene, so two windows may differ; call on the FX application thread.
 */
public final class Themes {
  /** The key under which a scene's {@link Theme} is kept in {@link Scene#getProperties()}. */
  public static final Object KEY = Theme.class;

  private Themes() {}

  /** Applies {@code theme} to {@code scene}. */
  public static void apply(Scene scene, Theme theme) {
    if (scene == null || theme == null) {
      throw new IllegalArgumentException("scene and theme must not be null");
    }
    String sheet =
        theme == Theme.DARK
            ? new PrimerDark().getUserAgentStylesheet()
            : new PrimerLight().getUserAgentStylesheet();
    scene.setUserAgentStylesheet(resolve(sheet));
    if (scene.getRoot() != null) {
      scene.getRoot().getStyleClass().removeAll("nines-dark", "nines-light");
      scene.getRoot().getStyleClass().add(theme == Theme.DARK ? "nines-dark" : "nines-light");
    }
    scene.getProperties().put(KEY, theme);
  }

  /** The theme applied to {@code scene}, {@link Theme#LIGHT} (JavaFX's own look) when none was. */
  public static Theme of(Scene scene) {
    if (scene != null && scene.getProperties().get(KEY) instanceof Theme) {
      return (Theme) scene.getProperties().get(KEY);
    }
    return Theme.LIGHT;
  }

  /** The palette for a node: its scene's theme's, the light one outside a scene. */
  public static Palette paletteOf(Node node) {
    return of(node.getScene()).palette();
  }

  private static String resolve(String sheet) {
    if (sheet.contains(":")) {
      return sheet;
    }
    URL url = PrimerDark.class.getResource(sheet.startsWith("/") ? sheet : "/" + sheet);
    if (url == null) {
      throw new IllegalStateException("AtlantaFX stylesheet not found: " + sheet);
    }
    return url.toExternalForm();
  }
}
