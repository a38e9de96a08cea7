package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/** Capabilities the type or task requires must be present. */
public final class CapabilityCheck implements FeasibilityCheck {
  @Override
  public boolean lasting() {
    return true;
  }

  @Override
  public String name() {
    return "capabilities";
  }

  @Override
  public String check(PlacementRequest req, NodeRecord node, PlacementSettings settings) {
    for (String c : req.type().require()) {
      if (!node.capabilities().contains(c)) {
        return "needs capability " + c;
      }
    }
    for (String c : req.requires().capabilities()) {
      if (!node.capabilities().contains(c)) {
        return "needs capability " + c;
      }
    }
    return null;
  }
}
