package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;
import io.vertx.core.json.JsonArray;
import java.util.function.Supplier;

/**
 * The outcome of placing one task: the chosen node (or none) and, per node, why it was or was not chosen.
 *
 * @param waitingForSlot some node passes every check but the free-slot one: the task should wait for it
 * @param fallback the chosen node is the cloud executor taking a physical task (failover)
 * @param why when no node is chosen, why: every node counted under the check that turned it away
 *     ({@link ReasonGroups}), put in words only when asked (a dispatch pass that fails a task does not spend on
 *     words nobody reads); {@code null} when a node is chosen
 */
public record Placement(NodeRecord node, double score, boolean waitingForSlot, boolean fallback,
    JsonArray explain, Supplier<String> why) {

  /** The grouped reason in words, or {@code null} when a node is chosen. */
  public String reason() {
    return why == null ? null : why.get();
  }

  public boolean placed() {
    return node != null;
  }

  /** One line a person can read: where it went, or why it waits. */
  public String summary() {
    if (node != null) {
      return "placed on " + node.name() + " (score " + Math.round(score) + (fallback ? ", cloud fallback" : "")
          + ")";
    }
    return why(waitingForSlot, reason());
  }

  /**
   * Why a task is not placed, in the words of {@code waiting_reason}: {@code "no nodes are registered"},
   * {@code "waiting for a free slot: …"} or {@code "no eligible node: …"}, the dots being the grouped checks.
   */
  public static String why(boolean waitingForSlot, String grouped) {
    if (grouped == null || grouped.equals("no nodes are registered")) {
      return "no nodes are registered";
    }
    return (waitingForSlot ? "waiting for a free slot: " : "no eligible node: ") + grouped;
  }
}
