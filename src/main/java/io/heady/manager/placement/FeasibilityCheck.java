package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;
import java.util.List;

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

  /**
   * One phrase for all the nodes that fail this check, for a reason grouped by check ({@link ReasonGroups}):
   * the nodes' reason when they share it, else the first one's as an example. Checks whose reason names a
   * node's own figure (its cores, its RAM) say the range instead.
   *
   * @param failing the nodes that fail it, at least one
   */
  default String summary(PlacementRequest req, List<NodeRecord> failing, PlacementSettings settings) {
    String first = null;
    for (NodeRecord n : failing) {
      String r = check(req, n, settings);
      if (r == null) {
        continue; // why: the node changed since it failed; the others still speak for the group
      }
      if (first == null) {
        first = r;
      } else if (!first.equals(r)) {
        return "e.g. " + first;
      }
    }
    return first == null ? name() : first;
  }
}
