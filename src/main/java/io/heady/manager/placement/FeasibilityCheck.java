package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/** One concern of placement. Returns why the node cannot take the task, or {@code null} when it can. */
public interface FeasibilityCheck {
  /** Short name shown in explanations ({@code status}, {@code gpu}, …). */
  String name();

  String check(PlacementRequest req, NodeRecord node, PlacementSettings settings);

  /**
   * Whether a failure of this check lasts as long as the node and the task stay as they are (its hardware,
   * labels, the task's pin and requirements), as opposed to passing states (status, drain, free slots). A
   * task that every node fails on a lasting check can never be placed until the cluster changes.
   */
  default boolean lasting() {
    return false;
  }
}
