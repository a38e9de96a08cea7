package io.heady.manager.placement;

import io.heady.common.config.Config;
import io.heady.common.config.Keys;

/**
 * The speed controller's knobs. A task may take a node's slots up to its share: MAX (P0 and critical-path
 * work) 0.9, ON (P1) 0.8, OFF (P2/P3) 0.7 of {@code max_concurrent}, rounded up, so the last slots of a big
 * node stay free for urgent work. A node whose CPU is above {@code offloadCpuPct} takes half as many.
 *
 * @param candidates in a cluster larger than this, a placement weighs this many eligible nodes (from where
 *     the last one stopped) instead of all of them; 0 weighs all
 * @param prefetchPerSlot quick tasks a node may hold beyond its slots, per slot ({@code --prefetch-per-slot});
 *     0: none
 */
public record PlacementSettings(double maxShare, double onShare, double offShare, double offloadCpuPct,
    boolean failoverToCloud, int candidates, int prefetchPerSlot) {

  /** Slot shares of the speed modes; not configurable. */
  public static final double MAX_SHARE = 0.9;
  public static final double ON_SHARE = 0.8;
  public static final double OFF_SHARE = 0.7;

  /** Eligible nodes a placement weighs in a large cluster, unless configured ({@code --placement-candidates}). */
  public static final int DEFAULT_CANDIDATES = Config.defaults("manager").integer(Keys.PLACEMENT_CANDIDATES);

  /** Quick tasks a node may hold beyond each slot, unless configured ({@code --prefetch-per-slot}). */
  public static final int DEFAULT_PREFETCH_PER_SLOT = Config.defaults("manager").integer(Keys.PREFETCH_PER_SLOT);

  /** The documented defaults. */
  public static final PlacementSettings DEFAULTS = from(Config.defaults("manager"));

  /**
   * From {@code --offload-cpu-pct}, {@code --failover-to-cloud}, {@code --placement-candidates} and
   * {@code --prefetch-per-slot}.
   */
  public static PlacementSettings from(Config cfg) {
    return new PlacementSettings(MAX_SHARE, ON_SHARE, OFF_SHARE, cfg.integer(Keys.OFFLOAD_CPU_PCT),
        cfg.bool(Keys.FAILOVER_TO_CLOUD), cfg.integer(Keys.PLACEMENT_CANDIDATES), cfg.integer(Keys.PREFETCH_PER_SLOT));
  }

  public PlacementSettings(double maxShare, double onShare, double offShare, double offloadCpuPct,
      boolean failoverToCloud, int candidates) {
    this(maxShare, onShare, offShare, offloadCpuPct, failoverToCloud, candidates, DEFAULT_PREFETCH_PER_SLOT);
  }

  /** These settings with another prefetch per slot. */
  public PlacementSettings withPrefetchPerSlot(int perSlot) {
    return new PlacementSettings(maxShare, onShare, offShare, offloadCpuPct, failoverToCloud, candidates, perSlot);
  }

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
