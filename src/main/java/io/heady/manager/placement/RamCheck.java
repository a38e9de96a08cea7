package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;
import java.util.List;

/** Enough memory for the type and the task. */
public final class RamCheck implements FeasibilityCheck {
  @Override
  public boolean lasting() {
    return true;
  }

  @Override
  public String name() {
    return "ram";
  }

  @Override
  public String check(PlacementRequest req, NodeRecord node, PlacementSettings settings) {
    double need = Math.max(req.type().minRamGb(), req.requires().ramGb());
    double have = node.hardware().ramGb();
    // why: the same 5 % allowance as tiers, so an "8 GB" node (7.6 reported) can take an 8 GB task
    return have / 0.95 + 1e-6 >= need ? null : "needs " + fmt(need) + " GB RAM, node has " + fmt(have);
  }

  private static String fmt(double d) {
    return String.format(java.util.Locale.ROOT, "%.1f", d);
  }

  /** {@code "needs 64.0 GB RAM (has at most 15.6)"}. */
  @Override
  public String summary(PlacementRequest req, List<NodeRecord> failing, PlacementSettings settings) {
    double need = Math.max(req.type().minRamGb(), req.requires().ramGb());
    double most = failing.stream().mapToDouble(n -> n.hardware().ramGb()).max().orElse(0);
    return "needs " + fmt(need) + " GB RAM (has " + (failing.size() == 1 ? "" : "at most ") + fmt(most) + ")";
  }
}
