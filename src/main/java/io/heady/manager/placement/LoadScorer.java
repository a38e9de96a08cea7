package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/** Up to 10 for a cool machine: 5 × idle CPU share + 5 × free RAM share, from the last heartbeat. */
public final class LoadScorer implements Scorer {
  @Override
  public String name() {
    return "load";
  }

  @Override
  public double score(PlacementRequest req, NodeRecord node) {
    var s = node.stats();
    return 5.0 * (1 - clamp(s.cpuUsagePct()) / 100.0) + 5.0 * (1 - clamp(s.ramUsagePct()) / 100.0);
  }

  private static double clamp(double pct) {
    return Math.max(0, Math.min(100, pct));
  }
}
