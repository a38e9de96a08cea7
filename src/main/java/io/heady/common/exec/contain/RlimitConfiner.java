package io.heady.common.exec.contain;

import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Limits;

/**
 * Confines attempts with process resource limits only ({@link ProcessLimits}), or with nothing at all (method
 * {@code none}) where the node is told not to or cannot: the fallback where no control group can be made.
 */
final class RlimitConfiner implements Confiner {
  private final String prlimit;
  private final boolean enabled;
  private final String note;

  /**
   * @param prlimit the {@code prlimit} program or {@code null} ({@code ulimit} of {@code /bin/sh})
   * @param enabled false for method {@code none}: limits are not applied
   * @param note why control groups are not used here
   */
  RlimitConfiner(String prlimit, boolean enabled, String note) {
    this.prlimit = prlimit;
    this.enabled = enabled;
    this.note = note;
  }

  @Override
  public String method() {
    return enabled ? Enforcement.RLIMIT : Enforcement.NONE;
  }

  @Override
  public String note() {
    return note;
  }

  @Override
  public Confined confine(String name, Limits limits, long timeoutMs, boolean sharedUser) {
    if (!enabled) {
      return new ProcessLimits(java.util.List.of(), new Limits(0, 0, 0, limits.outputMb()));
    }
    return ProcessLimits.of(prlimit, limits, timeoutMs, sharedUser);
  }
}
