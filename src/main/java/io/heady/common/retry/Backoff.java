package io.heady.common.retry;

/**
 * A doubling backoff: the first wait, then twice the last one, never more than the cap. A value with no state
 * of its own, so one instance serves every loop that retries the same way; the caller keeps its current wait
 * (a local variable, a field, a map entry) and asks for the next.
 *
 * <p>Plain arithmetic on milliseconds (or any unit the caller keeps to): no clock and no sleeping here, so a
 * retry loop's timing is tested by moving a clock, not by waiting.
 *
 * @param first the first wait (positive)
 * @param max the longest wait (at least {@code first})
 */
public record Backoff(long first, long max) {
  /** Doublings after which {@link #nth} stops growing: a million-fold is past any cap heady uses, and never overflows. */
  private static final int MAX_DOUBLINGS = 20;

  public Backoff {
    if (first <= 0 || max < first) {
      throw new IllegalArgumentException("a backoff needs 0 < first <= max, not first " + first + ", max " + max);
    }
  }

  /** A backoff from {@code first} doubling up to {@code max}. */
  public static Backoff doubling(long first, long max) {
    return new Backoff(first, max);
  }

  /** The wait after {@code current}: {@link #first} when there was none yet ({@code current <= 0}). */
  public long next(long current) {
    if (current <= 0) {
      return first;
    }
    // why: a wait above half of Long.MAX_VALUE would overflow when doubled
    return current > Long.MAX_VALUE / 2 ? max : Math.min(max, current * 2);
  }

  /** The wait before try {@code n + 1} after {@code n} failures ({@code n >= 1}): {@code first · 2^(n-1)}, capped. */
  public long nth(int n) {
    if (n <= 1) {
      return first;
    }
    long shifted = first << Math.min(MAX_DOUBLINGS, n - 1);
    return shifted < first ? max : Math.min(max, shifted);
  }
}
