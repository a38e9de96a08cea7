package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/** Labels the task requires must match the operator's labels exactly. */
public final class LabelCheck implements FeasibilityCheck {
  @Override
  public boolean lasting() {
    return true;
  }

  @Override
  public String name() {
    return "labels";
  }

  @Override
  public String check(PlacementRequest req, NodeRecord node, PlacementSettings settings) {
    for (var e : req.requires().labels().entrySet()) {
      String have = node.labels().get(e.getKey());
      if (!e.getValue().equals(have)) {
        return "needs label " + e.getKey() + "=" + e.getValue() + (have == null ? "" : ", node has " + have);
      }
    }
    return null;
  }
}
