package io.heady.manager.node;

import java.util.Locale;

/**
 * Where a node stands; see {@link NodeStatusMachine} for how it moves. {@code SUSPECT}: a dispatch to it was
 * not delivered, so it gets no new work until it proves it is alive (a heartbeat, a report or a probe).
 */
public enum NodeStatus {
  PENDING, ACTIVE, SUSPECT, STALE, OFFLINE, UNHEALTHY, DEGRADED, DRAINING;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static NodeStatus fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }

  /** Whether new tasks may be placed on a node in this status. */
  public boolean schedulable() {
    return this == ACTIVE;
  }

  /** Whether the node is gone or unreachable, so its running attempts are lost. */
  public boolean lost() {
    return this == STALE || this == OFFLINE;
  }
}
