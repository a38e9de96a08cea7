package io.heady.manager.placement;

/**
 * The speed controller's knobs. A task may take a node's slots up to its share: MAX (P0 and critical-path
 * work) 0.9, ON (P1) 0.8, OFF (P2/P3) 0.7 of {@code max_concurrent}, rounded up, so the last slots of a big
 * node stay free for urgent work. A node whose CPU is above {@code offloadCpuPct} takes half as many.
 *
 * @param candidates in a cluster larger than this, a placement weighs this many eligible nodes (from where
 *     the last one stopped) instead of all of them; 0 weighs all
 */
public record PlacementSettings(double maxShare, double onShare, double offShare, double offloadCpuPct,
    boolean failoverToCloud, int candidates) {

  /** Eligible nodes a placement weighs in a large cluster, unless configured. */
  public static final int DEFAULT_CANDIDATES = 64;

  public static final PlacementSettings DEFAULTS = new PlacementSettings(0.9, 0.8, 0.7, 70.0, true,
      DEFAULT_CANDIDATES);

  public PlacementSettings(double maxShare, double onShare, double offShare, double offloadCpuPct,
      boolean failoverToCloud) {
    this(maxShare, onShare, offShare, offloadCpuPct, failoverToCloud, DEFAULT_CANDIDATES);
  }

  public double share(SpeedMode mode) {
    return switch (mode) {
      case MAX -> maxShare;
      case ON -> onShare;
      case OFF -> offShare;
    };
  }
}
