package dev.nines.server.api;

import dev.nines.server.audit.Audit;
import dev.nines.server.auth.Access;
import dev.nines.server.auth.Principal;
import dev.nines.server.notify.DeliveryWorker;
import dev.nines.server.store.OutboxRow;
import dev.nines.server.store.PageKey;
import dev.nines.server.store.Store;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alert outbox for admins: {@code GET /api/v1/deliveries?state=dead|pending|delivered&receiver=
 * &limit=&cursor=} (newest first, paginated) and {@code POST /api/v1/deliveries/{seq}/redrive} (a dead
 * message back to pending, attempts reset, its max age counted from now; audited).
 */
public final class DeliveriesApi {
  private static final Set<String> STATES = Set.of(OutboxRow.PENDING, OutboxRow.DELIVERED, OutboxRow.DEAD);
  private static final String CURSOR_ID = "outbox";

  private final Store store;
  private final java.util.function.Supplier<DeliveryWorker> workerSource;
  private final Audit audit;
  private final Access access;
  private final Clock clock;

  /**
   * @param worker woken after a re-drive; null when none runs (tests)
   */
  public DeliveriesApi(
      Store store, java.util.function.Supplier<DeliveryWorker> worker, Audit audit, Access access, Clock clock) {
    this.store = store;
    this.workerSource = worker;
    this.audit = audit;
    this.access = access;
    this.clock = clock;
  }

  /**
   * One message as shown: times in epoch ms ({@code nextAttemptAtMs} only means something while
   * pending); {@code lastStatus} and {@code lastError} of the last attempt, null when none.
   */
  public record DeliveryView(
      long seq, String eventId, String receiver, String groupKey, String state, int attempts,
      long createdAtMs, long nextAttemptAtMs, Long deliveredAtMs, Integer lastStatus, String lastError) {
    static DeliveryView of(OutboxRow r) {
      return new DeliveryView(
          r.seq(), r.eventId(), r.receiverId(), r.groupKey(), r.state(), r.attempts(), r.createdMs(),
          r.nextAttemptMs(), r.deliveredMs(), r.lastStatus(), r.lastError());
    }
  }

  /** {@code GET /api/v1/deliveries}. */
  public void list(Context ctx) {
    access.require(ctx, Access.ADMINS);
    String state = ctx.queryParam("state");
    if (state != null && !state.isBlank() && !STATES.contains(state.strip())) {
      throw new ApiException(400, "invalid parameter", "state: '" + state + "' must be pending, delivered or dead");
    }
    String receiver = ctx.queryParam("receiver");
    int limit = CursorPage.limit(ctx);
    PageKey cursor = CursorPage.cursor(ctx);
    if (cursor != null && !cursor.id().equals(CURSOR_ID)) {
      throw new ApiException(400, "invalid parameter", "cursor: not a cursor of this list");
    }
    List<OutboxRow> rows =
        store.outbox(
            state == null || state.isBlank() ? null : state.strip(),
            receiver == null || receiver.isBlank() ? null : receiver.strip(),
            cursor == null ? null : cursor.atMs(), limit + 1);
    ctx.json(CursorPage.of(rows, limit, r -> new PageKey(r.seq(), CURSOR_ID), DeliveryView::of));
  }

  /** {@code POST /api/v1/deliveries/{seq}/redrive}: 200 with the message; 404 unknown; 409 not dead. */
  public void redrive(Context ctx) {
    Principal caller = access.require(ctx, Access.ADMINS);
    String text = ctx.pathParam("seq");
    long seq;
    try {
      seq = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new ApiException(404, "unknown delivery", "no message with seq '" + text + "'");
    }
    OutboxRow row =
        store.outboxRow(seq).orElseThrow(() -> new ApiException(404, "unknown delivery", "no message with seq " + seq));
    if (!store.redriveOutbox(seq, clock.millis())) {
      throw new ApiException(409, "not dead", "message " + seq + " is " + row.state() + "; only dead messages are re-driven");
    }
    audit.record(
        caller.actor(), "delivery.redrive", Long.toString(seq),
        Map.of("eventId", row.eventId(), "receiver", row.receiverId(), "attempts", row.attempts()));
    DeliveryWorker w = workerSource.get();
    if (w != null) {
      w.wake();
    }
    ctx.json(DeliveryView.of(store.outboxRow(seq).orElseThrow()));
  }

  /** The leader's alert deliveries; 503 on a replica that does not lead (its writes are forwarded to the leader). */
  private DeliveryWorker deliveryWorker() {
    DeliveryWorker x = workerSource.get();
    if (x == null) {
      throw new dev.nines.server.api.ApiException(
          503, "not the leader", "this replica does not lead: alert deliveries run on the leader; retry, or ask the leader");
    }
    return x;
  }
}
