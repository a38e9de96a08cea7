package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;
import java.util.List;

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

  /** {@code "needs arch x86_64 (has aarch64, armv7)"}. */
  @Override
  public String summary(PlacementRequest req, List<NodeRecord> failing, PlacementSettings settings) {
    java.util.TreeSet<String> have = new java.util.TreeSet<>();
    failing.forEach(n -> have.add(String.valueOf(n.hardware().arch())));
    return "needs arch " + req.requires().arch() + " (has " + String.join(", ", have) + ")";
  }
}
