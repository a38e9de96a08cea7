package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/**
 * A node still holding an earlier attempt of this task (taken back from it, and not yet killed there) cannot
 * take the task again: it would refuse it as a duplicate of the one it still runs.
 */
public final class HeldCheck implements FeasibilityCheck {
  @Override
  public String name() {
    return "held";
  }

  @Override
  public String check(PlacementRequest req, NodeRecord node, PlacementSettings settings) {
    return node.foreign().containsKey(req.taskId()) ? "still stopping an earlier attempt of this task" : null;
  }
}
