package io.heady.manager.watchdog;

import io.heady.manager.scheduler.Scheduler;
import io.heady.manager.scheduler.SchedulerSink;
import io.heady.manager.task.TaskRecord;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The anti-stagnation watchdog. Plain Java, driven by {@code now}:
 * <ul>
 *   <li>a task on a node with no progress (no output growth, no start report) past its priority's limit
 *       (P0/P1 300 s, P2 600 s, P3 900 s by default) goes up the ladder in {@link Scheduler#stagnant}:
 *       reassigned, then escalated and reassigned, then failed with reason {@code stagnation};</li>
 *   <li>a queue that has work and free slots but dispatched nothing for {@code stallAfter} raises
 *       {@code watchdog.queue_stalled} and re-runs placement.</li>
 * </ul>
 */
public final class Watchdog {
  private final Duration stallAfter;
  private final List<Duration> limits;
  private Instant stalledSince;
  private Instant lastAlarm;

  /** @param limits stagnation limits for P0, P1, P2, P3 */
  public Watchdog(Duration stallAfter, List<Duration> limits) {
    if (limits.size() != 4) {
      throw new IllegalArgumentException("four stagnation limits are needed, P0 to P3");
    }
    this.stallAfter = stallAfter;
    this.limits = List.copyOf(limits);
  }

  public static Watchdog defaults() {
    return new Watchdog(Duration.ofSeconds(30), List.of(Duration.ofSeconds(300), Duration.ofSeconds(300),
        Duration.ofSeconds(600), Duration.ofSeconds(900)));
  }

  public Duration limit(TaskRecord t) {
    return limits.get(t.priority().ordinal());
  }

  public void check(Scheduler s, Instant now, SchedulerSink sink) {
    Map<String, Duration> stuck = s.stagnantTasks(now, this::limit);
    stuck.forEach((id, silent) -> s.stagnant(id, silent, now));
    checkQueue(s, now, sink);
  }

  private void checkQueue(Scheduler s, Instant now, SchedulerSink sink) {
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
