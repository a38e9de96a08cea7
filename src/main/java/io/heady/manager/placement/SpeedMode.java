package io.heady.manager.placement;

import io.heady.common.protocol.Priority;

/** How hard a task may push a node: P0 and critical-path MAX, P1 ON, P2/P3 OFF. */
public enum SpeedMode {
  MAX, ON, OFF;

  public static SpeedMode of(Priority p, boolean critical) {
    if (critical || p == Priority.P0) {
      return MAX;
    }
    return p == Priority.P1 ? ON : OFF;
  }
}
