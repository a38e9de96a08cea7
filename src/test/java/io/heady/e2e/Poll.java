package io.heady.e2e;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waits for a condition with a deadline: the one way end-to-end tests wait. */
public final class Poll {
  private Poll() {}

  /** Returns the first non-null value of {@code probe} within {@code limit}, or fails naming {@code what}. */
  public static <T> T until(String what, Duration limit, Supplier<T> probe) {
    long deadline = System.nanoTime() + limit.toNanos();
    Throwable last = null;
    while (true) {
      try {
        T v = probe.get();
        if (v != null && !Boolean.FALSE.equals(v)) {
          return v;
        }
      } catch (RuntimeException | AssertionError e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for " + what
            + (last == null ? "" : " (last error: " + last + ")"), last);
      }
      // why: the polling interval of a deadline wait, not a guess at how long something takes
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }

  /** Checks that {@code probe} stays true for all of {@code span}; fails at the first false. */
  public static void during(String what, Duration span, Supplier<Boolean> probe) {
    long end = System.nanoTime() + span.toNanos();
    while (System.nanoTime() < end) {
      if (!probe.get()) {
        throw new AssertionError("no longer true: " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }
}
