package io.heady.manager.scheduler;

import io.heady.manager.task.TaskState;
import io.vertx.core.json.JsonObject;

/** Cluster-wide task counters, as {@code GET /api/cluster/state} shows them under {@code metrics}. */
public final class Counters {
  long submitted;
  long routed;
  long completed;
  long failed;
  long cancelled;
  long skipped;
  long failovers;
  long requeued;
  long lateResults;
  long durationSumMs;
  long durationCount;

  public long submitted() {
    return submitted;
  }

  public long completed() {
    return completed;
  }

  public long failed() {
    return failed;
  }

  public long routed() {
    return routed;
  }

  /** A task ended in {@code end}. */
  void ended(TaskState end) {
    switch (end) {
      case SUCCEEDED -> completed++;
      case FAILED, TIMED_OUT -> failed++;
      case CANCELLED -> cancelled++;
      case SKIPPED -> skipped++;
      default -> throw new IllegalStateException("not an end state: " + end);
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("submitted", submitted)
        .put("routed", routed)
        .put("completed", completed)
        .put("failed", failed)
        .put("cancelled", cancelled)
        .put("skipped", skipped)
        .put("failovers", failovers)
        .put("requeued", requeued)
        .put("late_results", lateResults)
        .put("avg_task_duration_ms", durationCount == 0 ? 0 : durationSumMs / durationCount);
  }

  public void restore(JsonObject j) {
    submitted = j.getLong("submitted", 0L);
    routed = j.getLong("routed", 0L);
    completed = j.getLong("completed", 0L);
    failed = j.getLong("failed", 0L);
    cancelled = j.getLong("cancelled", 0L);
    skipped = j.getLong("skipped", 0L);
    failovers = j.getLong("failovers", 0L);
    requeued = j.getLong("requeued", 0L);
    lateResults = j.getLong("late_results", 0L);
  }
}
