package io.heady.manager.agents;

import io.heady.common.identity.Seal;
import io.heady.common.protocol.Addresses;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.SignedBus;
import io.heady.manager.node.NodeRecord;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Event-bus agents, at {@code heady.node.<id>.*}, every message sealed with the node's pair key. */
final class BusTransport implements AgentTransport {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BusTransport.class);
  /** Nodes for which an unsealed refusal was logged already (bounded: enrollments are). */
  private static final java.util.Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final EventBus bus;
  private final Seal seal;
  private final long timeoutMs;

  BusTransport(EventBus bus, Seal seal, long timeoutMs) {
    this.bus = bus;
    this.seal = seal;
    this.timeoutMs = timeoutMs;
  }

  private Future<JsonObject> request(String address, NodeRecord n, JsonObject body) {
    return SignedBus.request(bus, address, seal, n.nodeId(), body, new DeliveryOptions().setSendTimeout(timeoutMs));
  }

  @Override
  public Future<Map<String, Answer>> dispatch(NodeRecord n, List<Dispatch> batch) {
    JsonArray arr = new JsonArray(new ArrayList<>(batch.size()));
    batch.forEach(d -> arr.add(d.toJson()));
    return request(Addresses.nodeDispatchBatch(n.nodeId()), n, new JsonObject().put("dispatches", arr))
        .transform(ar -> {
          Map<String, Answer> out = new HashMap<>();
          if (ar.succeeded()) {
            JsonArray results = ar.result().getJsonArray("results", new JsonArray());
            for (int i = 0; i < results.size(); i++) {
              if (results.getValue(i) instanceof JsonObject r && r.getString("task_id") != null) {
                int status = r.getInteger("status", -1);
                out.put(r.getString("task_id"), status < 0 ? Answer.unreached("the node did not answer for this task",
                    false) : new Answer(status, "node " + n.nodeId() + " answered " + status, false));
              }
            }
          }
          Answer all = ar.failed() ? failure(n, ar.cause()) : Answer.unreached("the node did not answer for this"
              + " task", false);
          batch.forEach(d -> out.putIfAbsent(d.taskId(), all));
          return Future.succeededFuture(out);
        });
  }

  /**
   * An event-bus failure as an answer: the node's own refusal code (sealed by the node: see {@link SignedBus}), or
   * why it was not reached. A refusal the node did not seal is no word of the node's: not reached.
   */
  static Answer failure(NodeRecord n, Throwable t) {
    if (t instanceof SignedBus.UnsealedRefusal u) {
      suspicious(n.nodeId(), u);
      return Answer.unreached("an answer on its address that it did not seal (another member answers there)",
          false);
    }
    if (t instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        return new Answer(re.failureCode(), "node " + n.nodeId() + " answered " + re.failureCode(), false);
      }
      boolean missing = re.failureType() == ReplyFailure.NO_HANDLERS;
      return Answer.unreached(missing ? "not reachable on the event bus" : "no answer in time", missing);
    }
    return Answer.unreached(String.valueOf(t.getMessage()), false);
  }

  /**
   * Says once per node (then at debug level) that a refusal it did not seal came from its address: a member with
   * a certificate of the cluster subscribed there, or the node could not open the manager's message.
   */
  private static void suspicious(String nodeId, SignedBus.UnsealedRefusal u) {
    boolean first = WARNED.size() < 10_000 && WARNED.add(nodeId);
    if (first) {
      LOG.warn("ignored a refusal for node {} that the node did not seal ({}): taken as not reached; another member"
          + " of the event bus may be answering on its addresses", nodeId, u.getMessage());
    } else {
      LOG.debug("ignored an unsealed refusal for node {}: {}", nodeId, u.getMessage());
    }
  }

  @Override
  public Future<Void> cancel(NodeRecord n, String taskId, String leaseId) {
    return request(Addresses.nodeCancel(n.nodeId()), n, new JsonObject().put("task_id", taskId)
        .put("lease_id", leaseId)).mapEmpty();
  }

  @Override
  public Future<JsonObject> health(NodeRecord n) {
    return request(Addresses.nodeHealth(n.nodeId()), n, new JsonObject());
  }

  @Override
  public Future<JsonObject> log(NodeRecord n, String taskId, long offset, int max) {
    return request(Addresses.nodeLog(n.nodeId()), n, new JsonObject().put("task_id", taskId).put("offset", offset)
        .put("max", max));
  }
}
