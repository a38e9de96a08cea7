package io.heady.manager.agents;

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

/**
 * The manager's own executor, in the same process: called directly, never over the event bus, so no other
 * member can stand in for it or read what it is sent. It answers as an agent does (the same task slots).
 */
public final class LocalTransport implements AgentTransport {
  private volatile LocalExecutorVerticle local;

  /** The local executor, once deployed (a standby deploys it when it takes over). */
  public void attach(LocalExecutorVerticle l) {
    this.local = l;
  }

  private LocalExecutorVerticle local() {
    LocalExecutorVerticle l = local;
    if (l == null) {
      throw new IllegalStateException("the local executor is not running");
    }
    return l;
  }

  @Override
  public Future<Map<String, Answer>> dispatch(NodeRecord n, List<Dispatch> batch) {
    JsonArray arr = new JsonArray(new ArrayList<>(batch.size()));
    batch.forEach(d -> arr.add(d.toJson()));
    Map<String, Answer> out = new HashMap<>();
    try {
      JsonArray results = local().admitBatch(new JsonObject().put("dispatches", arr)).getJsonArray("results");
      for (Object o : results) {
        JsonObject r = (JsonObject) o;
        out.put(r.getString("task_id"), new Answer(r.getInteger("status"), "the local executor answered "
            + r.getInteger("status"), false));
      }
    } catch (IllegalStateException e) {
      batch.forEach(d -> out.put(d.taskId(), Answer.unreached(e.getMessage(), false)));
    }
    return Future.succeededFuture(out);
  }

  @Override
  public Future<Void> cancel(NodeRecord n, String taskId, String leaseId) {
    try {
      local().cancel(taskId, leaseId);
      return Future.succeededFuture();
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<JsonObject> health(NodeRecord n) {
    try {
      return Future.succeededFuture(local().health());
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<JsonObject> log(NodeRecord n, String taskId, long offset, int max) {
    try {
      return local().readLog(taskId, offset, max);
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
  }
}
