package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/** A pinned task runs only on the node it names (by id or name). */
public final class PinCheck implements FeasibilityCheck {
  @Override
  public boolean lasting() {
    return true;
  }

  @Override
  public String name() {
    return "pin";
  }

  @Override
  public String check(PlacementRequest req, NodeRecord node, PlacementSettings settings) {
    if (req.pin() == null || req.pin().equals(node.nodeId()) || req.pin().equals(node.name())) {
      return null;
    }
    return "task is pinned to " + req.pin();
  }
}
