package dev.nines.console.fx;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/**
 * The JavaFX toolkit for tests: started once per JVM, headless (Monocle, software pipeline) unless
 * the JVM was told otherwise; code run on the FX thread with a bounded wait. Use through
 * {@link FxExtension} ({@code @ExtendWith(FxExtension.class)}) or call {@link #start()} directly.
 */
public final class Fx {
  /** How long any wait for the FX thread may take before the test fails. */
  public static final long TIMEOUT_SECONDS = 20;

  private static boolean started;

  private Fx() {}

  /** Starts the toolkit once (headless by default); later calls return at once. */
  public static synchronized void start() {
    if (started) {
      return;
    }
    // the pom's surefire argLine sets these; an IDE run gets the same headless setup
    defaultProperty("glass.platform", "Monocle");
    defaultProperty("monocle.platform", "Headless");
    defaultProperty("prism.order", "sw");
    defaultProperty("testfx.robot", "glass");
    defaultProperty("testfx.headless", "true");
    defaultProperty("java.awt.headless", "true");
    CountDownLatch up = new CountDownLatch(1);
    try {
      Platform.startup(up::countDown);
    } catch (IllegalStateException alreadyRunning) {
      up.countDown();
    }
    try {
      if (!up.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("JavaFX did not start in " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while JavaFX started", e);
    }
    Platform.setImplicitExit(false);
    started = true;
  }

  private static void defaultProperty(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** Runs {@code action} on the FX thread and waits for it (bounded); its exception fails the caller. */
  public static void run(Runnable action) {
    call(
        () -> {
          action.run();
          return null;
        });
  }

  /** Computes on the FX thread and waits for the answer (bounded). */
  public static <T> T call(Callable<T> action) {
    start();
    if (Platform.isFxApplicationThread()) {
      try {
        return action.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    Platform.runLater(
        () -> {
          try {
            result.complete(action.call());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    try {
      return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the FX thread", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IllegalStateException(cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the FX thread did not answer in " + TIMEOUT_SECONDS + " s", e);
    }
  }

  /**
   * Applies CSS and lays out {@code scene} now: a scene without a window gets no pulses of its own, so
   * a test that measures or clicks a node there calls this first. Any thread.
   */
  public static void layout(javafx.scene.Scene scene) {
    run(
        () -> {
          scene.getRoot().applyCss();
          scene.getRoot().layout();
        });
  }

  /**
   * Waits until {@code pulses} pulses have run (bounded), so redraws coalesced to the next pulse and
   * queued runLater work are done. Call off the FX thread.
   */
  public static void waitForPulses(int pulses) {
    start();
    if (Platform.isFxApplicationThread()) {
      throw new IllegalStateException("waitForPulses blocks: call it off the FX thread");
    }
    CountDownLatch done = new CountDownLatch(pulses);
    AnimationTimer[] timer = new AnimationTimer[1];
    Platform.runLater(
        () -> {
          timer[0] =
              new AnimationTimer() {
                @Override
                public void handle(long now) {
                  done.countDown();
                  if (done.getCount() == 0) {
                    stop();
                  }
                }
              };
          timer[0].start();
        });
    try {
      if (!done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no " + pulses + " pulses in " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for pulses", e);
    }
    // the timer stopped in its last pulse; let that pulse's scene work finish too
    run(() -> {});
  }
}
