package io.heady.manager.node;

/**
 * A node's reliability score, 0–100.
 *
 * <p>{@code max(0, round(100·ok/(ok+faults) − min(10·consecutiveFaults, 50)))}; 100 with no history.
 *
 * <p>The rule heady keeps: a fault is the node's failure, not the task's. An attempt that ran and exited
 * non-zero, ran past its timeout, or could not start because of the task itself (a missing cwd or program),
 * counts as {@code ok} here (the node did its job: it tried the command and reported); a dispatch the node
 * never acknowledged, and attempts lost with the node (crash, kill, hang past the TTL; one fault per loss,
 * however many tasks it held) count as faults. A "full" refusal is neither: the task just goes elsewhere. So a user's broken command
 * cannot quarantine a healthy machine, while a flaky machine sinks.
 */
public final class Reliability {
  /** P0 tasks only go to nodes at or above this score. */
  public static final int P0_MIN = 80;
  /** Below this a node is quarantined (degraded). */
  public static final int QUARANTINE_BELOW = 30;
  /**
   * Attempts a node must have behind it before a low score quarantines it: one early loss (score 0) is not
   * yet evidence of a bad machine.
   */
  public static final int QUARANTINE_MIN_HISTORY = 5;

  private Reliability() {}

  public static int score(long ok, long faults, long consecutiveFaults) {
    long total = ok + faults;
    if (total == 0) {
      return 100;
    }
    double base = 100.0 * ok / total;
    double penalty = Math.min(10.0 * consecutiveFaults, 50.0);
    return (int) Math.max(0, Math.round(base - penalty));
  }
}
