package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/** Up to 15 for reliability: 15 × score / 100. */
public final class ReliabilityScorer implements Scorer {
  @Override
  public String name() {
    return "reliability";
  }

  @Override
  public double score(PlacementRequest req, NodeRecord node) {
    return 15.0 * node.reliability() / 100.0;
  }
}
