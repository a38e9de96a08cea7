package io.heady.manager.watchdog;

import io.heady.manager.node.NodeRecord;
import io.heady.manager.scheduler.Scheduler;
import io.heady.manager.scheduler.SchedulerSink;
import io.heady.manager.task.TaskRecord;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The anti-stagnation watchdog. Plain Java, driven by {@code now}:
 * <ul>
 *   <li>a task on a node with no progress (no output, no CPU time, no I/O, no explicit report) past its limit
 *       (its own, its type's, else its priority's: P0/P1 300 s, P2 600 s, P3 900 s by default) is acted on as
 *       {@link Stagnation} says: {@code warn} (the default: {@code watchdog.stagnant} and a mark, the task
 *       runs on), {@code reassign} (the ladder in {@link io.heady.manager.task.TaskLifecycle#stagnant}:
 *       reassigned, then escalated and reassigned, then failed with reason {@code stagnation}) or
 *       {@code fail};</li>
 *   <li>a queue that has work and free slots but dispatched nothing for {@code stallAfter} raises
 *       {@code watchdog.queue_stalled} and re-runs placement.</li>
 * </ul>
 */
public final class Watchdog {
  private final Duration stallAfter;
  private final Stagnation stagnation;
  private Instant stalledSince;
  private Instant lastAlarm;

  /** @param limits stagnation limits for P0, P1, P2, P3 */
  public Watchdog(Duration stallAfter, List<Duration> limits) {
    this.stallAfter = stallAfter;
    this.stagnation = new Stagnation(limits);
  }

  public static Watchdog defaults() {
    return new Watchdog(Duration.ofSeconds(30), List.of(Duration.ofSeconds(300), Duration.ofSeconds(300),
        Duration.ofSeconds(600), Duration.ofSeconds(900)));
  }

  /** One check by {@code now}: each stagnant task is acted on, then the queue is looked at. */
  public void check(Scheduler s, Instant now, SchedulerSink sink) {
    Map<String, Duration> stuck = stagnant(s, now);
    stuck.forEach((id, silent) -> {
      TaskRecord t = s.tasks().get(id);
      switch (stagnation.action(t, s.policy().type(t.spec().type()))) {
        case WARN -> s.stagnantWarn(id, silent, now);
        case REASSIGN -> s.stagnant(id, silent, false, now);
        case FAIL -> s.stagnant(id, silent, true, now);
        default -> throw new IllegalStateException("unknown stagnation action");
      }
    });
    checkQueue(s, now, sink);
  }

  /** Tasks on nodes whose last progress is older than their limit, with how long they were silent. */
  private Map<String, Duration> stagnant(Scheduler s, Instant now) {
    Map<String, Duration> out = new LinkedHashMap<>();
    for (NodeRecord n : s.nodes().all()) {
      for (String id : n.running()) {
        TaskRecord t = s.tasks().get(id);
        if (t == null || t.lastProgressAt() == null) {
          continue;
        }
        Duration silent = Duration.between(t.lastProgressAt(), now);
        if (silent.compareTo(stagnation.limit(t, s.policy().type(t.spec().type()))) > 0) {
          out.put(id, silent);
        }
      }
    }
    return out;
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
      s.retryPlacement(now);
    }
  }
}
