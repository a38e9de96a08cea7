package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/** Enough logical cores for the type and the task. */
public final class CoresCheck implements FeasibilityCheck {
  @Override
  public boolean lasting() {
    return true;
  }

  @Override
  public String name() {
    return "cores";
  }

  @Override
  public String check(PlacementRequest req, NodeRecord node, PlacementSettings settings) {
    int need = Math.max(req.type().minCores(), req.requires().cores());
    int have = node.hardware().cpuCores();
    return have >= need ? null : "needs " + need + " cores, node has " + have;
  }
}
