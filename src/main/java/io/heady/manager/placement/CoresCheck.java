package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;
import java.util.List;

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

  /** {@code "needs 64 cores (has at most 16)"}. */
  @Override
  public String summary(PlacementRequest req, List<NodeRecord> failing, PlacementSettings settings) {
    int need = Math.max(req.type().minCores(), req.requires().cores());
    int most = failing.stream().mapToInt(n -> n.hardware().cpuCores()).max().orElse(0);
    return "needs " + need + " cores (has " + (failing.size() == 1 ? "" : "at most ") + most + ")";
  }
}
