package io.heady.manager.task;

import java.util.Locale;

/** A task's state; {@link TaskStateMachine} says which moves are legal. */
public enum TaskState {
  WAITING, QUEUED, DISPATCHED, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, SKIPPED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TaskState fromWire(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED || this == TIMED_OUT || this == CANCELLED || this == SKIPPED;
  }

  /** Holding a lease on a node: dispatched or running. */
  public boolean onNode() {
    return this == DISPATCHED || this == RUNNING;
  }

  /** A dependency in this state can never succeed, so its dependents are skipped. */
  public boolean dooms() {
    return this == FAILED || this == TIMED_OUT || this == CANCELLED || this == SKIPPED;
  }
}
