package io.heady.client;

import java.util.Locale;

/** A task's state as the API names it ({@code waiting … skipped}). */
public enum TaskStatus {
  WAITING, QUEUED, DISPATCHED, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, SKIPPED,
  /** A state this client does not know (a newer manager). */
  UNKNOWN;

  /** The wire name: {@code timed_out}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Finished for good: no more attempts will run. */
  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED || this == TIMED_OUT || this == CANCELLED || this == SKIPPED;
  }

  public static TaskStatus fromWire(String s) {
    if (s == null) {
      return UNKNOWN;
    }
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
  }
}
