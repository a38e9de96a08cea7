package io.heady.manager.agents;

import io.heady.common.protocol.Dispatch;
import io.heady.manager.node.NodeRecord;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** One way of reaching nodes with the agent protocol. Futures fail only when the node was not reached. */
public interface AgentTransport {
  /**
   * What a node answered for one dispatch: an HTTP-like status (202 accepted, 409 it holds that lease
   * already, 429 full, 503 closing, 400 refused) or -1 when it was not reached, with why.
   *
   * @param busMissing the event bus knows no handler for the node (its subscription is gone)
   */
  record Answer(int status, String why, boolean busMissing) {
    public static Answer unreached(String why, boolean busMissing) {
      return new Answer(-1, why, busMissing);
    }

    public boolean delivered() {
      return status == 202 || status == 200 || status == 409;
    }
  }

  /** Sends attempts to one node, in one message where the transport allows; an answer per task id. */
  Future<Map<String, Answer>> dispatch(NodeRecord node, List<Dispatch> batch);

  /** Asks the node to stop an attempt (its whole process tree). */
  Future<Void> cancel(NodeRecord node, String taskId, String leaseId);

  /** The node's health answer (what it holds: {@code running_task_ids}). */
  Future<JsonObject> health(NodeRecord node);

  /** A slice of a task's log on the node, or a failed future (404 when it has none). */
  Future<JsonObject> log(NodeRecord node, String taskId, long offset, int max);
}
