package io.heady.manager.api;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.scheduler.SchedulerVerticle;
import io.heady.manager.task.TaskRecord;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A task's output: the full log from the node that ran it when that node can be reached, else the tails
 * kept in the task record. With {@code follow=true}, a server-sent stream of new output until the task ends.
 */
final class LogFollower {
  private static final long POLL_MS = 300;
  private final RoutingContext rc;
  private final SchedulerVerticle scheduler;
  private final String taskId;
  private long offset;
  private boolean closed;

  LogFollower(RoutingContext rc, SchedulerVerticle scheduler, String taskId, long offset) {
    this.rc = rc;
    this.scheduler = scheduler;
    this.taskId = taskId;
    this.offset = offset;
  }

  /** What is known of the task's node and state, read on the scheduler's loop. */
  private record Where(NodeRecord node, String status, boolean finished, JsonObject result) {}

  private static Future<Where> where(SchedulerVerticle scheduler, String taskId) {
    return scheduler.read(s -> {
      TaskRecord t = s.tasks().get(taskId);
      if (t == null) {
        throw new ApiException(ErrorCode.UNKNOWN_TASK, "no task with id " + taskId,
            new JsonObject().put("task_id", taskId));
      }
      NodeRecord n = t.nodeId() == null ? null : s.nodes().get(t.nodeId());
      return new Where(n, t.state().wire(), t.state().terminal(), t.toJson().getJsonObject("result"));
    });
  }

  static Future<JsonObject> fetch(SchedulerVerticle scheduler, String taskId, long offset) {
    return where(scheduler, taskId).compose(w -> {
      Future<JsonObject> fromNode = w.node() == null ? Future.failedFuture("no node")
          : scheduler.delivery().fetchLog(w.node(), taskId, offset, 256 * 1024);
      return fromNode.map(j -> j.put("status", w.status()).put("source", "node").put("node_id",
          w.node().nodeId()).put("stdout", j.getString("data")).put("stderr", "")).recover(e -> Future.succeededFuture(new JsonObject()
              .put("task_id", taskId).put("status", w.status()).put("source", "record")
              .put("stdout", w.result().getString("stdout")).put("stderr", w.result().getString("stderr"))
              .put("truncated", w.result().getBoolean("truncated", false))));
    });
  }

  void start() {
    HttpServerResponse res = rc.response();
    res.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
    res.closeHandler(v -> closed = true);
    res.write(": heady log " + taskId + "\n\n");
    poll();
  }

  private void poll() {
    if (closed) {
      return;
    }
    where(scheduler, taskId).onComplete(ar -> {
      if (ar.failed()) {
        end("error", new JsonObject().put("message", ar.cause().getMessage()));
        return;
      }
      Where w = ar.result();
      Future<JsonObject> chunk = w.node() == null ? Future.failedFuture("not placed yet")
          : scheduler.delivery().fetchLog(w.node(), taskId, offset, 64 * 1024);
      chunk.onComplete(c -> {
        boolean progressed = false;
        if (c.succeeded()) {
          JsonObject j = c.result();
          String data = j.getString("data", "");
          if (!data.isEmpty()) {
            offset = j.getLong("next_offset");
            progressed = true;
            // why: the node keeps stdout and stderr in one log, in the order they were written, so the stream is
            // one "log" event type; clients that must keep the two apart read the task record's tails at the end
            rc.response().write("event: log\ndata: " + new JsonObject().put("offset", offset).put("text", data)
                .encode() + "\n\n");
          }
        }
        if (w.finished() && !progressed) {
          end("end", new JsonObject().put("status", w.status()));
        } else {
          rc.vertx().setTimer(progressed ? 1 : POLL_MS, id -> poll());
        }
      });
    });
  }

  private void end(String event, JsonObject data) {
    if (!closed) {
      closed = true;
      rc.response().end("event: " + event + "\ndata: " + data.encode() + "\n\n");
    }
  }
}
