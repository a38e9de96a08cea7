package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/**
 * A node that said it takes no new work for now (its disk is nearly full: {@code disk_full}) gets none until
 * it says otherwise. Passing, like drain: the task waits, naming the node's reason.
 */
public final class RefusalCheck implements FeasibilityCheck {
  @Override
  public String name() {
    return "refusing";
  }

  @Override
  public String check(PlacementRequest req, NodeRecord node, PlacementSettings settings) {
    return node.refusing() == null ? null : "node takes no new tasks: " + node.refusing().describe();
  }
}
