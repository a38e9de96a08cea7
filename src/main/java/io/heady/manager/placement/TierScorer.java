package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/** The seed's tier boost, scaled: POWERHOUSE +6, STANDARD +2, LIGHT 0. */
public final class TierScorer implements Scorer {
  @Override
  public String name() {
    return "tier";
  }

  @Override
  public double score(PlacementRequest req, NodeRecord node) {
    return 20.0 * node.tier().boost();
  }
}
