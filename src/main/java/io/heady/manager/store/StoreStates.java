package io.heady.manager.store;

import java.util.Set;

/** Which stored task statuses are final; stores index on it without depending on the task package. */
final class StoreStates {
  private static final Set<String> FINISHED = Set.of("succeeded", "failed", "timed_out", "cancelled", "skipped");

  private StoreStates() {}

  static boolean finished(String status) {
    return FINISHED.contains(status);
  }
}
