package io.heady.manager.store;

import java.time.Duration;

/**
 * How long finished tasks are kept, so the store does not grow without bound. A finished task is removed
 * (from the history index, and its document deleted) when more than {@code keepFinished} tasks finished
 * after it, or when it finished {@code finishedTtl} or longer ago by the store's clock. Unfinished tasks,
 * nodes and counters never expire.
 *
 * @param keepFinished how many finished tasks to keep, most recently finished first; 0 keeps all
 * @param finishedTtl how long a finished task is kept after it finished; {@code null} or zero keeps it forever
 */
public record Retention(int keepFinished, Duration finishedTtl) {
  /** Keeps everything (tests, and memory stores of short-lived processes). */
  public static final Retention NONE = new Retention(0, null);

  /** The manager's default: the last 100,000 finished tasks, none older than 7 days. */
  public static final Retention DEFAULT = new Retention(100_000, Duration.ofDays(7));

  /**
   * Removes at most this many finished tasks per write, so a large backlog (after lowering the limits)
   * is worked off over several writes instead of blocking Redis in one long script.
   */
  public static final int MAX_EXPIRED_PER_CALL = 10_000;

  public Retention {
    if (keepFinished < 0) {
      throw new IllegalArgumentException("keepFinished must be 0 (keep all) or more, not " + keepFinished);
    }
    if (finishedTtl != null && finishedTtl.isNegative()) {
      throw new IllegalArgumentException("finishedTtl must not be negative: " + finishedTtl);
    }
    if (finishedTtl != null && finishedTtl.isZero()) {
      finishedTtl = null;
    }
  }

  boolean byCount() {
    return keepFinished > 0;
  }

  boolean byAge() {
    return finishedTtl != null;
  }
}
