package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;
import java.util.List;

/** GPU types and tasks that ask for a GPU need a real (discrete) one. */
public final class GpuCheck implements FeasibilityCheck {
  @Override
  public boolean lasting() {
    return true;
  }

  @Override
  public String name() {
    return "gpu";
  }

  @Override
  public String check(PlacementRequest req, NodeRecord node, PlacementSettings settings) {
    boolean need = req.type().location() == Location.GPU || req.requires().gpu();
    return !need || node.hardware().hasGpu() ? null : "needs a GPU, node has none";
  }

  @Override
  public String summary(PlacementRequest req, List<NodeRecord> failing, PlacementSettings settings) {
    return "needs a GPU (has none)";
  }
}
