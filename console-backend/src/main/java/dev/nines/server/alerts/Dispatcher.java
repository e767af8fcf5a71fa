package dev.nines.server.alerts;

import dev.nines.server.alerts.Alert.State;
import dev.nines.server.notify.AlertInstance;
import dev.nines.server.notify.Matcher;
import dev.nines.server.notify.Notification;
import dev.nines.server.notify.ReceiverSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Decides the messages to send, per receiver and group, as Alertmanager does: a new group waits its
 * {@code groupWait}; a change in a group (an alert added, gone or resolved) waits {@code
 * groupInterval} since the group's last message; an unchanged firing group repeats after {@code
 * repeatInterval}, unless every firing alert in it is acknowledged. Resolved alerts are sent once, in
 * their group's next message. Suppressed alerts (silenced, under maintenance) are not sent. Pure.
 *
 * <p>A message's event id derives from its group, the group's first sighting and its sequence
 * number, so a message made again after a crash (before its group's state was stored) has the same
 * id and the outbox drops it as a duplicate.
 */
final class Dispatcher {
  private Dispatcher() {}

  /**
   * What the engine remembers of one group.
   *
   * @param groupKey receiver id and group-by values
   * @param receiverId the receiver
   * @param groupLabels group-by labels and values
   * @param firstSeen when the group appeared
   * @param lastSent when its last message was made, or null
   * @param sent fingerprints sent as firing in the last message
   * @param seq messages made so far
   * @param lastEventId the last message's event id, or null
   */
  record Group(
      String groupKey, String receiverId, Map<String, String> groupLabels, Instant firstSeen, Instant lastSent,
      Set<String> sent, long seq, String lastEventId) {
    Group {
      groupLabels = java.util.Collections.unmodifiableMap(new TreeMap<>(groupLabels));
      sent = java.util.Collections.unmodifiableSet(new TreeSet<>(sent));
    }
  }

  /**
   * @param messages the messages to enqueue, in order
   * @param groups every group after this round, by key
   * @param dirty group keys whose stored row must be written
   * @param removed group keys to delete
   */
  record Plan(List<Notification> messages, Map<String, Group> groups, Set<String> dirty, Set<String> removed) {}

  static Plan plan(List<ReceiverSpec> receivers, Collection<Alert> alerts, Map<String, Group> groups, Instant now) {
    Map<String, Alert> byFp = new TreeMap<>();
    for (Alert a : alerts) {
      byFp.put(a.fingerprint(), a);
    }
    Map<String, Group> next = new TreeMap<>(groups);
    Set<String> dirty = new HashSet<>();
    Set<String> removed = new HashSet<>();
    List<Notification> messages = new ArrayList<>();
    for (ReceiverSpec r : receivers) {
      // firing, unsuppressed, matching alerts by group
      Map<String, List<Alert>> firing = new TreeMap<>();
      Map<String, Map<String, String>> labelsOf = new TreeMap<>();
      if (r.enabled()) {
        for (Alert a : byFp.values()) {
          if (a.state() == State.FIRING && a.suppressedBy().isEmpty() && Matcher.all(r.matchers(), a.labels())) {
            Map<String, String> gl = groupLabels(r, a);
            String key = groupKey(r, gl);
            firing.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
            labelsOf.put(key, gl);
          }
        }
      }
      Set<String> keys = new TreeSet<>(firing.keySet());
      for (Group g : groups.values()) {
        if (g.receiverId().equals(r.id())) {
          keys.add(g.groupKey());
        }
      }
      for (String key : keys) {
        List<Alert> f = firing.getOrDefault(key, List.of());
        Group g = next.get(key);
        if (g == null) {
          g = new Group(key, r.id(), labelsOf.get(key), now, null, Set.of(), 0, null);
          next.put(key, g);
          dirty.add(key);
        }
        Set<String> firingFps = new TreeSet<>();
        f.forEach(a -> firingFps.add(a.fingerprint()));
        List<Alert> resolved = new ArrayList<>();
        for (String fp : g.sent()) {
          Alert a = byFp.get(fp);
          if (a != null && a.state() == State.RESOLVED) {
            resolved.add(a);
          }
        }
        if (firingFps.isEmpty() && resolved.isEmpty()) {
          next.remove(key);
          removed.add(key);
          dirty.remove(key);
          continue;
        }
        boolean send;
        if (g.lastSent() == null) {
          send = !firingFps.isEmpty() && !now.isBefore(g.firstSeen().plus(r.groupWait()));
        } else {
          boolean changed = !firingFps.equals(g.sent()) || !resolved.isEmpty();
          if (changed) {
            send = !now.isBefore(g.lastSent().plus(r.groupInterval()));
          } else {
            boolean allAcked = f.stream().allMatch(a -> a.ack() != null);
            send = !allAcked && !now.isBefore(g.lastSent().plus(r.repeatInterval()));
          }
        }
        if (!send) {
          continue;
        }
        long seq = g.seq() + 1;
        String eventId = eventId(key, g.firstSeen(), seq);
        List<AlertInstance> items = new ArrayList<>();
        f.forEach(a -> items.add(a.instance()));
        resolved.forEach(a -> items.add(a.instance()));
        messages.add(
            new Notification(
                eventId, r.id(), key, g.groupLabels(),
                firingFps.isEmpty() ? AlertInstance.RESOLVED : AlertInstance.FIRING, items, now));
        if (firingFps.isEmpty()) {
          next.remove(key);
          removed.add(key);
          dirty.remove(key);
        } else {
          next.put(key, new Group(key, r.id(), g.groupLabels(), g.firstSeen(), now, firingFps, seq, eventId));
          dirty.add(key);
        }
      }
    }
    Set<String> known = new HashSet<>();
    receivers.forEach(r -> known.add(r.id()));
    for (Group g : groups.values()) {
      if (!known.contains(g.receiverId())) {
        next.remove(g.groupKey());
        removed.add(g.groupKey());
      }
    }
    return new Plan(messages, next, dirty, removed);
  }

  static Map<String, String> groupLabels(ReceiverSpec r, Alert a) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String l : r.groupBy()) {
      m.put(l, a.labels().getOrDefault(l, ""));
    }
    return m;
  }

  static String groupKey(ReceiverSpec r, Map<String, String> groupLabels) {
    StringBuilder b = new StringBuilder(r.id()).append(":{");
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(groupLabels).entrySet()) {
      b.append(first ? "" : ",").append(e.getKey()).append("=\"").append(e.getValue()).append('"');
      first = false;
    }
    return b.append('}').toString();
  }

  static String eventId(String groupKey, Instant firstSeen, long seq) {
    return UUID.nameUUIDFromBytes(
            (groupKey + "\u0000" + firstSeen.toEpochMilli() + "\u0000" + seq).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
