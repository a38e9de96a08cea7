package io.heady.manager.node;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.Collection;

/**
 * Keeps {@link NodeResolver}'s rule (an exact id wins, else a unique name) safe: no node registers under an id
 * that is another node's name, nor under a name that is another node's id.
 *
 * <p>why: the join token lets anyone enroll a node under an id of their choosing; an id equal to the name of
 * another node would win every reference to that name, so the new node would take the tasks pinned to it
 * (relayq's {@code run_on_mac}), their secrets included. Names shared between nodes stay allowed: they name
 * none of them ({@code AMBIGUOUS_NODE}), which takes nothing from anyone.
 */
public final class NodeNameClash {
  private NodeNameClash() {}

  /** Throws 409 {@code ID_TAKEN} when {@code id} or {@code name} would shadow another of {@code nodes}. */
  public static void check(String id, String name, Collection<NodeRecord> nodes) {
    for (NodeRecord n : nodes) {
      if (n.nodeId().equals(id)) {
        continue;
      }
      if (id.equals(n.name())) {
        throw refused("node id '" + id + "' is the name of node " + n.nodeId() + ", and an id wins over a name "
            + "wherever a node is named (run --on, drain, pins); choose another --node-id", id, n.nodeId());
      }
      if (name != null && name.equals(n.nodeId())) {
        throw refused("node name '" + name + "' is the id of node " + n.nodeId() + "; choose another --name", id,
            n.nodeId());
      }
    }
  }

  private static ApiException refused(String message, String id, String other) {
    return new ApiException(ErrorCode.ID_TAKEN, message, new JsonObject().put("node_id", id)
        .put("other_node_id", other));
  }
}
