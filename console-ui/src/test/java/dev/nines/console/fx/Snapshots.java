package dev.nines.console.fx;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javax.imageio.ImageIO;

/**
 * PNG snapshots of scenes and nodes for tests, under {@code target/screenshots/} (the
 * {@code nines.screenshots} property) unless given an absolute path. Waits for pending redraws (two
 * pulses) first, so the picture shows what a screen would.
 */
public final class Snapshots {
  private Snapshots() {}

  /** The folder PNGs go to by default. */
  public static Path dir() {
    return Paths.get(System.getProperty("nines.screenshots", "target/screenshots"));
  }

  /** Writes a PNG of {@code scene} to {@code file} (relative: under {@link #dir()}); returns it. */
  public static Path write(Scene scene, Path file) {
    Fx.waitForPulses(2);
    WritableImage image = Fx.call(() -> scene.snapshot(null));
    return save(image, file);
  }

  /**
   * Writes a PNG of {@code node}; a node outside any scene is put in a scene of its preferred size
   * first. Returns the file.
   */
  public static Path write(Node node, Path file) {
    Fx.run(
        () -> {
          if (node.getScene() == null) {
            Parent root = node instanceof Parent ? (Parent) node : new StackPane(node);
            new Scene(root);
          }
        });
    Fx.waitForPulses(2);
    WritableImage image = Fx.call(() -> node.snapshot(null, null));
    return save(image, file);
  }

  /** The image of {@code scene} (after two pulses), for pixel assertions. */
  public static BufferedImage image(Scene scene) {
    Fx.waitForPulses(2);
    return SwingFXUtils.fromFXImage(Fx.call(() -> scene.snapshot(null)), null);
  }

  private static Path save(WritableImage image, Path file) {
    Path target = file.isAbsolute() ? file : dir().resolve(file);
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      BufferedImage awt = SwingFXUtils.fromFXImage(image, null);
      if (!ImageIO.write(awt, "png", target.toFile())) {
        throw new IOException("no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target, e);
    }
    return target;
  }
}
