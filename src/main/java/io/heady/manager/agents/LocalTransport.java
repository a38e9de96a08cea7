package io.heady.manager.agents;

import io.heady.common.node.NodeExecutor;
import io.heady.common.protocol.Dispatch;
import io.heady.manager.local.LocalExecutorVerticle;
import io.heady.manager.node.NodeRecord;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The manager's own executor, in the same process: its {@link NodeExecutor} called directly, never over the
 * event bus, so no other member can stand in for it or read what it is sent. It answers as an agent does: the
 * same core decides every answer; this transport only carries it.
 */
public final class LocalTransport implements AgentTransport {
  private volatile LocalExecutorVerticle local;

  /** The local executor, once deployed (a standby deploys it when it takes over). */
  public void attach(LocalExecutorVerticle l) {
    this.local = l;
  }

  /** Calls the local node's core, or fails when the local executor is not running. */
  private <T> Future<T> call(Function<NodeExecutor, Future<T>> op) {
    LocalExecutorVerticle l = local;
    try {
      if (l == null) {
        throw new IllegalStateException("the local executor is not running");
      }
      return op.apply(l.core());
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Map<String, Answer>> dispatch(NodeRecord n, List<Dispatch> batch) {
    JsonArray arr = new JsonArray(new ArrayList<>(batch.size()));
    batch.forEach(d -> arr.add(d.toJson()));
    return call(core -> {
      Map<String, Answer> out = new HashMap<>();
      for (Object o : core.admitBatch(new JsonObject().put("dispatches", arr)).getJsonArray("results")) {
        JsonObject r = (JsonObject) o;
        out.put(r.getString("task_id"), new Answer(r.getInteger("status"), "the local executor answered "
            + r.getInteger("status"), false));
      }
      return Future.succeededFuture(out);
    }).recover(e -> {
      Map<String, Answer> out = new HashMap<>();
      batch.forEach(d -> out.put(d.taskId(), Answer.unreached(e.getMessage(), false)));
      return Future.succeededFuture(out);
    });
  }

  @Override
  public Future<Void> cancel(NodeRecord n, String taskId, String leaseId) {
    return call(core -> {
      core.cancel(taskId, leaseId);
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<JsonObject> health(NodeRecord n) {
    return call(core -> Future.succeededFuture(core.health()));
  }

  @Override
  public Future<JsonObject> log(NodeRecord n, String taskId, long offset, int max) {
    return call(core -> local.readLog(taskId, offset, max));
  }
}
