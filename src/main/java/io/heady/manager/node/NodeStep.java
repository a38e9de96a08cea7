package io.heady.manager.node;

import io.heady.common.protocol.Refusal;
import io.heady.common.protocol.TaskProgress;
import java.util.List;
import java.util.Map;

/**
 * What a node's word about itself (a registration, a heartbeat, a probe's answer) means, for the scheduler to
 * apply: its liveness outcome, the tasks it no longer runs, the leases it is to stop, and whether its own word on
 * new work changed.
 *
 * @param outcome the liveness step (status, incident, fault)
 * @param lost tasks the node no longer runs, already off its running set: their attempts end {@code lost}
 * @param slots leases to stop, and whether the view of its slots changed
 * @param refusalWas what the node said of new work before this step, when that changed; else {@code null}
 * @param refusalChanged whether the node's word on new work changed (a full disk, or room again)
 * @param progress what the node measured of the tasks it runs, by task id (a heartbeat's), for their lifecycle
 */
public record NodeStep(NodeLiveness.Outcome outcome, List<String> lost, NodeHoldings.Slots slots,
    Refusal refusalWas, boolean refusalChanged, Map<String, TaskProgress> progress) {

  /** Whether anything about the node worth writing (and placing again) happened. */
  public boolean news() {
    return outcome.any() || slots.changed() || refusalChanged;
  }
}
