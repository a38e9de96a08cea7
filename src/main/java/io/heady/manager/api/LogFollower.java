package io.heady.manager.api;

import io.heady.manager.scheduler.ClusterService;
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
  private final ClusterService cluster;
  private final String taskId;
  private long offset;
  private boolean closed;

  LogFollower(RoutingContext rc, ClusterService cluster, String taskId, long offset) {
    this.rc = rc;
    this.cluster = cluster;
    this.taskId = taskId;
    this.offset = offset;
  }

  static Future<JsonObject> fetch(ClusterService cluster, String taskId, long offset) {
    return cluster.logSource(taskId).compose(w -> {
      Future<JsonObject> fromNode = w.node() == null ? Future.failedFuture("no node")
          : cluster.fetchLog(w.node(), taskId, offset, 256 * 1024);
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
    cluster.logSource(taskId).onComplete(ar -> {
      if (ar.failed()) {
        end("error", new JsonObject().put("message", ar.cause().getMessage()));
        return;
      }
      ClusterService.LogSource w = ar.result();
      Future<JsonObject> chunk = w.node() == null ? Future.failedFuture("not placed yet")
          : cluster.fetchLog(w.node(), taskId, offset, 64 * 1024);
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
