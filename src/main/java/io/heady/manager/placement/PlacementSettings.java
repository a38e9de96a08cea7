package io.heady.manager.placement;

/**
 * The speed controller's knobs. A task may take a node's slots up to its share: MAX (P0 and critical-path
 * work) 0.9, ON (P1) 0.8, OFF (P2/P3) 0.7 of {@code max_concurrent}, rounded up, so the last slots of a big
 * node stay free for urgent work. A node whose CPU is above {@code offloadCpuPct} takes half as many.
 */
public record PlacementSettings(double maxShare, double onShare, double offShare, double offloadCpuPct,
    boolean failoverToCloud) {

  public static final PlacementSettings DEFAULTS = new PlacementSettings(0.9, 0.8, 0.7, 70.0, true);

  public double share(SpeedMode mode) {
    return switch (mode) {
      case MAX -> maxShare;
      case ON -> onShare;
      case OFF -> offShare;
    };
  }
}
