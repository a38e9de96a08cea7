package io.heady.manager.metrics;

import io.heady.manager.task.Attempt;
import io.heady.manager.task.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When a task's latest stay in the queue and latest attempt began and ended, read from its record on the
 * scheduler's loop right after an event about it.
 *
 * @param queuedAt when the task last entered the queue
 * @param dispatchedAt when the latest attempt was sent to its node
 * @param startedAt when the node reported the latest attempt running
 * @param endedAt when the latest attempt ended
 * @param runMs the run time the node measured for the result, when there is a result
 */
public record TaskTimings(Instant queuedAt, Instant dispatchedAt, Instant startedAt, Instant endedAt, Long runMs) {
  /** Nothing known (the task is no longer held in memory). */
  public static final TaskTimings NONE = new TaskTimings(null, null, null, null, null);

  public static TaskTimings of(TaskRecord t) {
    if (t == null) {
      return NONE;
    }
    List<Attempt> attempts = t.attempts();
    Instant dispatched = null;
    Instant started = null;
    Instant ended = null;
    if (!attempts.isEmpty()) {
      Attempt last = attempts.get(attempts.size() - 1);
      dispatched = last.dispatchedAt();
      started = last.startedAt();
      ended = last.endedAt();
    }
    return new TaskTimings(t.queuedAt(), dispatched, started, ended, t.durationMs());
  }

  /** Time in the queue before the latest dispatch; {@code null} when unknown or inconsistent. */
  public Duration queueWait() {
    return between(queuedAt, dispatchedAt);
  }

  /** From dispatch to the node's "running" report: delivery and process start. */
  public Duration dispatchLatency() {
    return between(dispatchedAt, startedAt);
  }

  /** The run time of the latest attempt: the node's measure when it reported one, else start to end. */
  public Duration runTime() {
    if (runMs != null && runMs >= 0) {
      return Duration.ofMillis(runMs);
    }
    return between(startedAt, endedAt);
  }

  private static Duration between(Instant a, Instant b) {
    if (a == null || b == null || b.isBefore(a)) {
      return null;
    }
    return Duration.between(a, b);
  }
}
