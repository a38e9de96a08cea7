package io.heady.manager.node;

/**
 * A node's reliability score, 0–100.
 *
 * <p>{@code max(0, round(100·ok/(ok+faults) − min(10·consecutiveFaults, 50)))}; 100 with no history.
 *
 * <p>The rule heady keeps: a fault is the node's failure, not the task's. An attempt that ran and exited
 * non-zero, or ran past its timeout, counts as {@code ok} here (the node did its job: it ran the command
 * and reported); a dispatch the node refused or never acknowledged, a spawn that failed on the node, and an
 * attempt lost with the node (crash, kill, hang past the TTL) count as faults. So a user's broken command
 * cannot quarantine a healthy machine, while a flaky machine sinks.
 */
public final class Reliability {
  /** P0 tasks only go to nodes at or above this score. */
  public static final int P0_MIN = 80;
  /** Below this a node is quarantined (degraded). */
  public static final int QUARANTINE_BELOW = 30;

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
