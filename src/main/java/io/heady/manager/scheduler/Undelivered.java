package io.heady.manager.scheduler;

/**
 * Why a dispatch never started its task. None of these uses the task's attempts or fails it: the task goes
 * back to the queue and the next placement prefers another node.
 */
public enum Undelivered {
  /** The node could not be reached: connection refused, no handler on the bus, no answer in time. */
  UNREACHABLE,
  /** The node answered that every slot is busy: the manager's view of its slots is wrong. */
  FULL,
  /** The node answered that it is shutting down. */
  CLOSING,
  /** The node answered that its disk is nearly full (507): it takes no new work until it says otherwise. */
  DISK_FULL,
  /** The node answered but would not take it (a bad or unauthenticated dispatch). */
  REFUSED;

  /** The status a node answered a dispatch with, or a negative number for a transport failure. */
  public static Undelivered of(int status) {
    if (status < 0) {
      return UNREACHABLE;
    }
    return switch (status) {
      case 429 -> FULL;
      case 503 -> CLOSING;
      case io.heady.common.protocol.Refusal.DISK_FULL_STATUS -> DISK_FULL;
      default -> REFUSED;
    };
  }
}
