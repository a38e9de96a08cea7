package io.heady.manager.node;

import io.vertx.core.json.JsonObject;

/** What the manager answers a node's registration and heartbeats: its standing, and when to speak next. */
public final class NodeReplies {
  private NodeReplies() {}

  /** The answer to a registration; {@code created} says whether the node is new (201) or known (200). */
  public static JsonObject registered(NodeRecord n, boolean created, long heartbeatSec, long ttlSec) {
    return new JsonObject()
        .put("node_id", n.nodeId())
        .put("tier", n.tier().name())
        .put("status", n.status().wire())
        .put("max_concurrent", n.maxConcurrent())
        .put("prefetch", n.prefetch())
        .put("heartbeat_interval_sec", heartbeatSec)
        .put("ttl_sec", ttlSec)
        .put("created", created);
  }

  /** The answer to a heartbeat; {@code resubscribe} asks the node to subscribe its bus addresses again. */
  public static JsonObject heartbeat(NodeRecord n, long heartbeatSec, boolean resubscribe) {
    JsonObject out = new JsonObject().put("accepted", true).put("next_heartbeat_sec", heartbeatSec)
        .put("status", n.status().wire());
    if (resubscribe) {
      out.put("resubscribe", true);
    }
    return out;
  }
}
