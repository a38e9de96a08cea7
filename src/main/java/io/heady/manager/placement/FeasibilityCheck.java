package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/** One concern of placement. Returns why the node cannot take the task, or {@code null} when it can. */
public interface FeasibilityCheck {
  /** Short name shown in explanations ({@code status}, {@code gpu}, …). */
  String name();

  String check(PlacementRequest req, NodeRecord node, PlacementSettings settings);
}
