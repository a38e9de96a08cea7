package io.heady.manager.store;

import java.util.List;

/** Which stored task statuses are final; stores index on it without depending on the task package. */
final class StoreStates {
  /** The final statuses, in the order the Redis store names their indexes. */
  static final List<String> FINAL = List.of("succeeded", "failed", "timed_out", "cancelled", "skipped");

  /** The statuses of a task that is not finished. */
  static final List<String> UNFINISHED = List.of("waiting", "queued", "dispatched", "running");

  private StoreStates() {}

  static boolean finished(String status) {
    return FINAL.contains(status);
  }
}
