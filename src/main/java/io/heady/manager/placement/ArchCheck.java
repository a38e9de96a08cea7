package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/** A task may require a CPU architecture. */
public final class ArchCheck implements FeasibilityCheck {
  @Override
  public boolean lasting() {
    return true;
  }

  @Override
  public String name() {
    return "arch";
  }

  @Override
  public String check(PlacementRequest req, NodeRecord node, PlacementSettings settings) {
    String want = req.requires().arch();
    if (want == null || want.equals(node.hardware().arch())) {
      return null;
    }
    return "needs arch " + want + ", node is " + node.hardware().arch();
  }
}
