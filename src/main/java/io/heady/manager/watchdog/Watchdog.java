package io.heady.manager.watchdog;

import io.heady.manager.scheduler.Scheduler;
import io.heady.manager.scheduler.SchedulerSink;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * Looks for a stalled queue: tasks waiting while nodes have free slots, and no dispatch for a while. It
 * raises {@code watchdog.queue_stalled} and re-runs placement. Plain Java, driven by {@code now}.
 */
public final class Watchdog {
  private final Duration stallAfter;
  private Instant stalledSince;
  private Instant lastAlarm;

  public Watchdog(Duration stallAfter) {
    this.stallAfter = stallAfter;
  }

  public void check(Scheduler s, Instant now, SchedulerSink sink) {
    boolean waiting = s.queue().size() > 0 && s.nodes().freeSlots() > 0;
    if (!waiting) {
      stalledSince = null;
      return;
    }
    Instant last = s.lastDispatch();
    if (stalledSince == null || (last != null && last.isAfter(stalledSince))) {
      stalledSince = now;
      return;
    }
    if (Duration.between(stalledSince, now).compareTo(stallAfter) >= 0
        && (lastAlarm == null || Duration.between(lastAlarm, now).compareTo(stallAfter) >= 0)) {
      lastAlarm = now;
      sink.event("watchdog.queue_stalled", new JsonObject().put("queued", s.queue().size())
          .put("free_slots", s.nodes().freeSlots()).put("since", stalledSince.toString()));
      s.schedule(now);
    }
  }
}
