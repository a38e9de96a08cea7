package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;
import io.heady.manager.node.NodeResolver;

/**
 * A pinned task runs only on the node it names, by {@link NodeResolver}'s rule: an exact id wins, else the one
 * node of that name; a name several nodes share pins the task to none of them until it is told apart.
 */
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
    if (req.pin() == null) {
      return null;
    }
    NodeResolver.Resolution r = req.pinned();
    if (r == null) {
      // why: the Placer resolves every pin among its nodes first; alone, a node knows only itself, so it can
      // say whether it is the one named, never that no node is
      return req.pin().equals(node.nodeId()) || req.pin().equals(node.name()) ? null
          : "task is pinned to " + req.pin();
    }
    if (r.found()) {
      return r.nodeId().equals(node.nodeId()) ? null : "task is pinned to " + req.pin();
    }
    return r.ambiguous() ? "task is pinned to " + req.pin() + ", but " + r.problem()
        : "task is pinned to " + req.pin() + ", and " + r.problem();
  }
}
