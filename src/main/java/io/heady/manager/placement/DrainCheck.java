package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;
import java.util.List;

/** A draining node takes no new tasks. */
public final class DrainCheck implements FeasibilityCheck {
  @Override
  public String name() {
    return "drain";
  }

  @Override
  public String check(PlacementRequest req, NodeRecord node, PlacementSettings settings) {
    return node.drain() ? "node is draining" : null;
  }

  @Override
  public String summary(PlacementRequest req, List<NodeRecord> failing, PlacementSettings settings) {
    return "draining";
  }
}
