package dev.nines.console.fleet;

import java.util.EnumMap;
import java.util.Map;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One host in the fleet screen: read-only properties that the {@link FleetViewModel} sets on the UI
 * thread (only those that changed) and the view binds to.
 */
public final class FleetRow {
  private final String id;
  private final ReadOnlyStringWrapper pool = new ReadOnlyStringWrapper(this, "pool", "");
  private final ReadOnlyStringWrapper health = new ReadOnlyStringWrapper(this, "health", "UNKNOWN");
  private final ReadOnlyStringWrapper healthReason = new ReadOnlyStringWrapper(this, "healthReason", "");
  private final ReadOnlyStringWrapper routing = new ReadOnlyStringWrapper(this, "routing", "ACTIVE");
  private final ReadOnlyStringWrapper routingReason = new ReadOnlyStringWrapper(this, "routingReason", "");
  private final ReadOnlyLongWrapper lastSeq = new ReadOnlyLongWrapper(this, "lastSeq", -1);
  private final Map<Metric, ReadOnlyObjectWrapper<Sample>> metrics = new EnumMap<>(Metric.class);

  private long samplesVersion = -1;

  FleetRow(String id) {
    this.id = id;
    for (Metric m : Metric.values()) {
      metrics.put(m, new ReadOnlyObjectWrapper<>(this, m.name(), Sample.NONE));
    }
  }

  /** The host id (never changes). */
  public String id() {
    return id;
  }

  public ReadOnlyStringProperty poolProperty() {
    return pool.getReadOnlyProperty();
  }

  /** HEALTHY, DEGRADED, UNHEALTHY or UNKNOWN. */
  public ReadOnlyStringProperty healthProperty() {
    return health.getReadOnlyProperty();
  }

  /** Why the host has its health (a sentence), or empty. */
  public ReadOnlyStringProperty healthReasonProperty() {
    return healthReason.getReadOnlyProperty();
  }

  /** ACTIVE, DRAINING, DRAINED or MAINTENANCE. */
  public ReadOnlyStringProperty routingProperty() {
    return routing.getReadOnlyProperty();
  }

  /** Why and by whom the routing state was set, or empty. */
  public ReadOnlyStringProperty routingReasonProperty() {
    return routingReason.getReadOnlyProperty();
  }

  /** The seq of the latest report shown. */
  public ReadOnlyLongProperty lastSeqProperty() {
    return lastSeq.getReadOnlyProperty();
  }

  /** A figure with its recent history. */
  public ReadOnlyObjectProperty<Sample> metricProperty(Metric metric) {
    return metrics.get(metric).getReadOnlyProperty();
  }

  public String pool() {
    return pool.get();
  }

  public String health() {
    return health.get();
  }

  public String routing() {
    return routing.get();
  }

  public Sample metric(Metric metric) {
    return metrics.get(metric).get();
  }

  // --- set by the view-model on the UI thread ---

  void setPool(String value) {
    pool.set(value == null ? "" : value);
  }

  void setHealth(String state, String reason) {
    health.set(state == null ? "UNKNOWN" : state);
    healthReason.set(reason == null ? "" : reason);
  }

  void setRouting(String state, String reason) {
    routing.set(state == null ? "ACTIVE" : state);
    routingReason.set(reason == null ? "" : reason);
  }

  void setSamples(long seq, long version, Sample[] samples) {
    if (version == samplesVersion) {
      return;
    }
    samplesVersion = version;
    lastSeq.set(seq);
    Metric[] all = Metric.values();
    for (int m = 0; m < all.length; m++) {
      metrics.get(all[m]).set(samples[m]);
    }
  }

  @Override
  public String toString() {
    return "FleetRow[" + id + " " + health.get() + " " + routing.get() + "]";
  }
}
