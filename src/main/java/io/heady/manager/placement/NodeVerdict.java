package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;
import java.util.List;
import java.util.Map;

/**
 * One node weighed for one task by every check: all the checks it fails (in the placement's order), or, when
 * it fails none, its score and the parts of it.
 *
 * @param failures every check the node fails; empty when it could take the task now
 * @param score the sum of the scorers, when it fails no check (0 otherwise)
 * @param breakdown each scorer's part, when it fails no check (empty otherwise)
 * @param avoided it just lost or refused this task, so it is tried last
 */
public record NodeVerdict(NodeRecord node, List<CheckFailure> failures, double score,
    Map<String, Double> breakdown, boolean avoided) {

  public boolean feasible() {
    return failures.isEmpty();
  }

  /** It fails only the free-slot check: it could take the task once a slot frees up. */
  public boolean onlyWantsSlot() {
    return failures.size() == 1 && failures.get(0).check().equals(SlotCheck.NAME);
  }
}
