package io.heady.manager.placement;

import java.util.Locale;

/** Where a task type may run. */
public enum Location {
  /** On an agent; may fall back to the local (cloud) executor when none is eligible. */
  PHYSICAL,
  /** Only on the manager's local executor (the seeds' cloud tier). */
  CLOUD_ONLY,
  /** Only on an agent with a real (discrete) GPU; never falls back. */
  GPU,
  /** Anywhere, cloud included (noop health checks). */
  ANY;

  public static Location parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
