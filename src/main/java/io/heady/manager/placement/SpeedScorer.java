package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/** Up to 20 for raw speed: 20 × min(cores, 16) / 16. */
public final class SpeedScorer implements Scorer {
  @Override
  public String name() {
    return "speed";
  }

  @Override
  public double score(PlacementRequest req, NodeRecord node) {
    return 20.0 * Math.min(node.hardware().cpuCores(), 16) / 16.0;
  }
}
