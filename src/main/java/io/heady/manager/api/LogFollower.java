package io.heady.manager.api;

import io.heady.manager.scheduler.ClusterService;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A task's output: the full log from the node that ran it when that node can be reached, else the tails
 * kept in the task record. With {@code follow=true}, a server-sent stream of the output as it appears on the
 * node: {@code event: stdout} and {@code event: stderr} ({@code {offset, text}}) in the order the task wrote
 * them, {@code event: attempt} when a new attempt starts a new log, then {@code event: end} ({@code {status,
 * exit_code}}). When the node cannot be read at the end, or its log stopped short of the task's output, what the
 * record has beyond what was sent is sent from there ({@code source: "record"}).
 */
final class LogFollower {
  private static final long POLL_MS = 250;
  private static final long KEEP_ALIVE_MS = 15_000;
  private static final int CHUNK = 64 * 1024;
  private final RoutingContext rc;
  private final ClusterService cluster;
  private final String taskId;
  private long offset;
  private int attempt = -1;
  private long outSent;
  private long errSent;
  private long lastWrite = System.nanoTime();
  private boolean closed;

  LogFollower(RoutingContext rc, ClusterService cluster, String taskId, long offset) {
    this.rc = rc;
    this.cluster = cluster;
    this.taskId = taskId;
    this.offset = offset;
  }

  /**
   * The first chunk of the log: {@code data} (both streams in order), {@code segments} (the same, cut where the
   * stream changes) and {@code stdout}/{@code stderr} apart; or the record's tails when the node cannot say.
   */
  static Future<JsonObject> fetch(ClusterService cluster, String taskId, long offset) {
    return cluster.logSource(taskId).compose(w -> {
      Future<JsonObject> fromNode = w.node() == null ? Future.failedFuture("no node")
          : cluster.fetchLog(w.node(), taskId, offset, 256 * 1024);
      return fromNode.map(j -> split(j).put("status", w.status()).put("source", "node")
          .put("node_id", w.node().nodeId())).recover(e -> Future.succeededFuture(new JsonObject()
              .put("task_id", taskId).put("status", w.status()).put("source", "record")
              .put("stdout", text(w.result(), "stdout")).put("stderr", text(w.result(), "stderr"))
              .put("truncated", w.result() != null && Boolean.TRUE.equals(w.result().getValue("truncated")))));
    });
  }

  /** A node's slice with {@code stdout} and {@code stderr} gathered from its segments (all stdout without). */
  private static JsonObject split(JsonObject j) {
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    if (j.getValue("segments") instanceof JsonArray segs) {
      for (Object o : segs) {
        JsonObject s = (JsonObject) o;
        ("stderr".equals(s.getString("stream")) ? err : out).append(s.getString("text", ""));
      }
    } else {
      out.append(j.getString("data", ""));
    }
    return j.put("stdout", out.toString()).put("stderr", err.toString());
  }

  // why: a record without output holds null tails, and getString's default is only for a missing key
  private static String text(JsonObject result, String key) {
    return result != null && result.getValue(key) instanceof String t ? t : "";
  }

  void start() {
    // why: an unknown task is a 404 with the API's error shape, not a stream that ends in an error event
    cluster.logSource(taskId).onComplete(ar -> {
      if (ar.failed()) {
        Replies.error(rc, ar.cause());
        return;
      }
      HttpServerResponse res = rc.response();
      res.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
          .putHeader("X-Accel-Buffering", "no");
      res.closeHandler(v -> closed = true);
      res.write(": heady log " + taskId + "\n\n");
      poll();
    });
  }

  private void poll() {
    if (closed) {
      return;
    }
    cluster.logSource(taskId).onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.failed()) {
        end("error", new JsonObject().put("message", Replies.toApi(ar.cause()).getMessage()));
        return;
      }
      ClusterService.LogSource w = ar.result();
      if (w.attempt() != attempt) {
        if (attempt > 0) {
          // why: a new attempt writes a new log (maybe on another node) from its start
          offset = 0;
          outSent = 0;
          errSent = 0;
          event("attempt", new JsonObject().put("attempt", w.attempt()).put("node_id",
              w.node() == null ? null : w.node().nodeId()));
        }
        attempt = w.attempt();
      }
      Future<JsonObject> chunk = w.node() == null ? Future.failedFuture("not placed yet")
          : cluster.fetchLog(w.node(), taskId, offset, CHUNK);
      chunk.onComplete(c -> {
        try {
          step(w, c);
        } catch (RuntimeException e) {
          // why: a follower must always end; an unexpected answer ends it with an error event, not silence
          end("error", new JsonObject().put("message", "cannot follow the log: " + e));
        }
      });
    });
  }

  /** One answer of the node: send it, then end, wait for the reader, or poll again. */
  private void step(ClusterService.LogSource w, AsyncResult<JsonObject> c) {
    if (closed) {
      return;
    }
    boolean progressed = c.succeeded() && send(c.result());
    if (w.finished() && !progressed) {
      // why: the node may be gone, or its log may have stopped short while the task printed on (a full disk);
      // the record's tails, when whole, hold what the node could not give
      fromRecord(w.result());
      end("end", new JsonObject().put("status", w.status()).put("exit_code", w.exitCode()));
    } else if (rc.response().writeQueueFull()) {
      // why: a slow reader holds the stream back instead of the manager buffering a huge output for it
      rc.response().drainHandler(v -> next(0));
    } else {
      next(progressed ? 0 : POLL_MS);
    }
  }

  private void next(long delayMs) {
    if (delayMs == 0) {
      rc.vertx().runOnContext(v -> poll());
      return;
    }
    if (System.nanoTime() - lastWrite > KEEP_ALIVE_MS * 1_000_000) {
      rc.response().write(": keep-alive\n\n"); // why: proxies drop a silent connection; a closed one shows here
      lastWrite = System.nanoTime();
    }
    rc.vertx().setTimer(delayMs, id -> poll());
  }

  /** Sends one node slice as stdout/stderr events; whether it held anything. */
  private boolean send(JsonObject j) {
    long next = j.getLong("next_offset", offset);
    if (next <= offset) {
      return false;
    }
    if (j.getValue("segments") instanceof JsonArray segs) {
      for (Object o : segs) {
        JsonObject s = (JsonObject) o;
        output("stderr".equals(s.getString("stream")), s.getLong("offset", offset), s.getString("text", ""),
            null);
      }
    } else {
      output(false, offset, j.getString("data", ""), null); // a node without a stream index: all stdout
    }
    offset = next;
    return true;
  }

  /**
   * At the end: what the record keeps beyond what was sent (whole tails line up from 0; nothing when the node's
   * log gave it all). Cut tails are not used once something was sent: they no longer line up.
   */
  private void fromRecord(JsonObject result) {
    if (result == null) {
      return;
    }
    boolean truncated = Boolean.TRUE.equals(result.getValue("truncated"));
    String out = text(result, "stdout");
    String err = text(result, "stderr");
    if (!truncated || outSent + errSent == 0) {
      if (out.length() > outSent) {
        output(false, -1, out.substring((int) Math.min(outSent, out.length())), "record");
      }
      if (err.length() > errSent) {
        output(true, -1, err.substring((int) Math.min(errSent, err.length())), "record");
      }
    }
  }

  private void output(boolean stderr, long at, String text, String source) {
    if (text.isEmpty()) {
      return;
    }
    JsonObject data = new JsonObject();
    if (at >= 0) {
      data.put("offset", at);
    }
    data.put("text", text);
    if (source != null) {
      data.put("source", source);
    }
    if (stderr) {
      errSent += text.length();
    } else {
      outSent += text.length();
    }
    event(stderr ? "stderr" : "stdout", data);
  }

  private void event(String type, JsonObject data) {
    lastWrite = System.nanoTime();
    rc.response().write("event: " + type + "\ndata: " + data.encode() + "\n\n");
  }

  private void end(String event, JsonObject data) {
    if (!closed) {
      closed = true;
      rc.response().end("event: " + event + "\ndata: " + data.encode() + "\n\n");
    }
  }
}
