package io.heady.common.protocol;

import java.util.Locale;

/**
 * What the watchdog does with a running task that shows no progress (no output, no CPU time, no I/O, no
 * explicit report) for its stagnation limit. {@code WARN} is the default: a task alive on a healthy node is
 * never stopped for being quiet unless its type or the task itself asks for it.
 */
public enum StagnationAction {
  /** Publish {@code watchdog.stagnant} and mark the task; it runs on. */
  WARN,
  /** Stop it and run it elsewhere; the second time one priority higher; the third time fail it. */
  REASSIGN,
  /** Stop it and fail it with reason {@code stagnation}. */
  FAIL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code warn}, {@code reassign} or {@code fail}; {@code null} stays {@code null}. */
  public static StagnationAction parse(String field, String s) {
    if (s == null) {
      return null;
    }
    for (StagnationAction a : values()) {
      if (a.wire().equals(s)) {
        return a;
      }
    }
    throw new InvalidInputException(field, field + " must be warn, reassign or fail");
  }
}
