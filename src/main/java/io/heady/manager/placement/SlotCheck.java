package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;
import java.util.List;

/**
 * A free slot within the task's speed share; a hot node (CPU over the offload threshold) offers half. A quick task
 * may also take a place in the node's prefetch (it waits there for a slot), never a node that said it is full.
 */
public final class SlotCheck implements FeasibilityCheck {
  /** The check's name: a node that fails only it waits for room, it does not turn the task away. */
  public static final String NAME = "slots";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String check(PlacementRequest req, NodeRecord node, PlacementSettings settings) {
    int usable = usableSlots(req, node, settings);
    int used = node.used();
    if (node.fullClaimed()) {
      return "no free slot (the node said it is full; waiting for it to list its tasks)";
    }
    int prefetch = req.quick() ? node.prefetch() : 0;
    if (used < usable + prefetch) {
      return null;
    }
    String held = used <= node.maxConcurrent() ? used + "/" + node.maxConcurrent() + " running"
        : node.maxConcurrent() + "/" + node.maxConcurrent() + " running, " + node.prefetched() + "/"
            + node.prefetch() + " prefetched";
    return "no free slot (" + held + ", " + req.speed().name() + " share allows " + usable
        + (prefetch > 0 ? " and " + prefetch + " prefetched" : "") + ")";
  }

  /** The slots a task of this speed may fill on this node now. */
  public static int usableSlots(PlacementRequest req, NodeRecord node, PlacementSettings settings) {
    int max = node.maxConcurrent();
    int usable = (int) Math.ceil(settings.share(req.speed()) * max - 1e-9);
    if (node.stats().cpuUsagePct() > settings.offloadCpuPct()) {
      usable = Math.max(1, usable / 2);
    }
    return Math.max(1, Math.min(usable, max));
  }

  @Override
  public String summary(PlacementRequest req, List<NodeRecord> failing, PlacementSettings settings) {
    boolean prefetch = req.quick() && failing.stream().anyMatch(n -> n.prefetch() > 0);
    return prefetch ? "no free slot, prefetch full" : "no free slot";
  }
}
