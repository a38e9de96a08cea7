package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The outcome of placing one task: the chosen node (or none) and, per node, why it was or was not chosen.
 *
 * @param waitingForSlot some node passes every check but the free-slot one: the task should wait for it
 * @param fallback the chosen node is the cloud executor taking a physical task (failover)
 */
public record Placement(NodeRecord node, double score, boolean waitingForSlot, boolean fallback,
    JsonArray explain) {

  public boolean placed() {
    return node != null;
  }

  /** One line a person can read: where it went, or why it waits. */
  public String summary() {
    if (node != null) {
      return "placed on " + node.name() + " (score " + Math.round(score) + (fallback ? ", cloud fallback" : "")
          + ")";
    }
    if (explain.isEmpty()) {
      return "no nodes are registered";
    }
    if (waitingForSlot) {
      return "waiting for a free slot on an eligible node";
    }
    return "no eligible node: " + firstReason();
  }

  private String firstReason() {
    for (Object o : explain) {
      JsonObject e = (JsonObject) o;
      if (e.getString("first_reason") != null) {
        return e.getString("first_reason");
      }
      if (e.getString("reason") != null) {
        return e.getString("name") + ": " + e.getString("reason");
      }
    }
    return "none";
  }
}
