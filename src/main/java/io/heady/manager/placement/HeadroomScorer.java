package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/** Up to 20 for free slots: 20 × free / max_concurrent. */
public final class HeadroomScorer implements Scorer {
  @Override
  public String name() {
    return "headroom";
  }

  @Override
  public double score(PlacementRequest req, NodeRecord node) {
    return 20.0 * node.free() / Math.max(1, node.maxConcurrent());
  }
}
