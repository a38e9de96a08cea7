package io.heady.manager.api;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Fields;
import io.heady.common.protocol.InvalidInputException;
import io.heady.common.protocol.Priority;
import io.heady.common.protocol.TaskSpec;
import io.heady.manager.scheduler.ClusterService;
import io.heady.manager.store.ClusterStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Task routes: submit (one or a DAG) and cancel (operator); read, history, log, explain, can-handle (viewer).
 * The list is {@link TaskListRoutes}.
 */
final class TaskRoutes {
  private final ClusterService cluster;
  private final ClusterStore store;
  private final SubmitLimiter limiter;
  private final int maxDagTasks;
  private final io.heady.manager.secrets.SecretVault vault;

  TaskRoutes(ClusterService cluster, ClusterStore store, SubmitLimiter limiter, int maxDagTasks,
      io.heady.manager.secrets.SecretVault vault) {
    this.vault = vault;
    this.cluster = cluster;
    this.store = store;
    this.limiter = limiter;
    this.maxDagTasks = maxDagTasks;
  }

  void mount(Routes r) {
    r.operator("POST", "/api/cluster/tasks/route", this::submit);
    r.viewer("GET", "/api/cluster/tasks/history", this::history);
    r.viewer("GET", "/api/cluster/tasks/:id", rc -> {
      String id = taskId(rc);
      Replies.from(rc, 200, cluster.task(id).recover(e -> Replies.toApi(e).code() == ErrorCode.NOT_LEADER
          ? Future.succeededFuture(null)
          : Future.failedFuture(e)) // a standby reads from the store
          .compose(j -> j != null ? Future.succeededFuture(j) : store.task(id).map(stored -> {
        if (stored == null) {
          throw new ApiException(ErrorCode.UNKNOWN_TASK, "no task with id " + id,
              new JsonObject().put("task_id", id));
        }
        return stored;
      })));
    });
    r.viewer("GET", "/api/cluster/tasks/:id/explain", rc -> {
      String id = taskId(rc);
      // why: the leader alone holds the nodes' live state a fresh evaluation needs; a standby (or a task memory let
      // go) answers from the store: the placement recorded, never a fresh one
      Replies.from(rc, 200, cluster.explain(id).recover(e -> Replies.toApi(e).code() == ErrorCode.NOT_LEADER
          ? Future.succeededFuture(null)
          : Future.failedFuture(e))
          .compose(j -> j != null ? Future.succeededFuture(j) : store.task(id).map(stored -> {
        if (stored == null) {
          throw new ApiException(ErrorCode.UNKNOWN_TASK, "no task with id " + id, new JsonObject().put("task_id", id));
        }
        return recorded(stored);
      })));
    });
    // why: a browser's EventSource cannot send a header; the dashboard's live tail passes ?token=
    r.viewerStream("GET", "/api/cluster/tasks/:id/log", rc -> {
      String id = taskId(rc);
      long offset = intParam(rc.queryParams().get("offset"), "offset", 0, 0, Integer.MAX_VALUE);
      if ("true".equals(rc.queryParams().get("follow"))) {
        new LogFollower(rc, cluster, id, offset).start();
      } else {
        Replies.from(rc, 200, LogFollower.fetch(cluster, id, offset));
      }
    });
    r.viewer("GET", "/api/cluster/dags/:id", rc -> {
      String id = taskId(rc);
      Replies.from(rc, 200, cluster.dag(id));
    });
    r.operator("POST", "/api/cluster/tasks/:id/cancel", rc -> {
      String id = taskId(rc);
      Replies.from(rc, 200, cluster.cancel(id));
    });
    r.viewer("GET", "/api/cluster/can-handle/:type", rc -> {
      String type = rc.pathParam("type");
      if (type == null || !type.matches("[a-z0-9_.-]{1,64}")) {
        throw new ApiException(ErrorCode.INVALID_FIELD, "type must match [a-z0-9_.-]{1,64}",
            new JsonObject().put("field", "type"));
      }
      Priority p = Priority.parse(rc.queryParams().get("priority"));
      Replies.from(rc, 200, cluster.canHandle(type, p));
    });
  }

  private void submit(RoutingContext rc) {
    submit(Replies.body(rc), rc.get(Routes.CLIENT)).onComplete(ar -> {
      if (ar.succeeded()) {
        Replies.json(rc, ar.result().getBoolean("created") ? 201 : 200, ar.result());
      } else {
        Replies.error(rc, ar.cause());
      }
    });
  }

  /**
   * One task, or {@code {tasks:[…]}} for a DAG, from HTTP or the event bus: the reply document, with
   * {@code created} saying whether anything new was made (201) or all were idempotent repeats (200).
   *
   * @param client who submits, for the rate limit (token and address)
   */
  Future<JsonObject> submit(JsonObject body, String client) {
    boolean batch = body.containsKey("tasks");
    Object rawTasks = body.getValue("tasks");
    if (batch && !(rawTasks instanceof JsonArray)) {
      throw new InvalidInputException("tasks", "tasks must be an array of task objects");
    }
    int count = batch ? ((JsonArray) rawTasks).size() : 1;
    if (batch && count == 0) {
      throw new InvalidInputException("tasks", "tasks must hold at least one task");
    }
    if (count > maxDagTasks) {
      throw new InvalidInputException("tasks", "one submission may hold at most " + maxDagTasks
          + " tasks (--max-dag-tasks); this one has " + count);
    }
    throttle(client, count);
    List<TaskSpec> specs = new ArrayList<>();
    if (batch) {
      JsonArray arr = (JsonArray) rawTasks;
      for (int i = 0; i < arr.size(); i++) {
        if (!(arr.getValue(i) instanceof JsonObject o)) {
          throw new InvalidInputException("tasks[" + i + "]", "tasks[" + i + "] must be an object");
        }
        try {
          specs.add(TaskSpec.fromJson(o));
        } catch (InvalidInputException e) {
          throw new InvalidInputException("tasks[" + i + "]." + e.field(), "tasks[" + i + "]: " + e.getMessage());
        }
      }
    } else {
      specs.add(TaskSpec.fromJson(body));
    }
    for (int i = 0; i < specs.size(); i++) {
      int deps = specs.get(i).dependsOn().size();
      if (deps > maxDagTasks) {
        String where = batch ? "tasks[" + i + "]." : "";
        throw new InvalidInputException(where + "depends_on", (batch ? "tasks[" + i + "]: " : "")
            + "depends_on may name at most " + maxDagTasks + " tasks (--max-dag-tasks); this one names " + deps);
      }
    }
    return secretsKnown(specs, batch).compose(v -> cluster.submit(specs, batch));
  }

  /**
   * Refuses (400 {@code UNKNOWN_SECRET}, naming it and the task) a submission that names a secret the cluster does
   * not hold. Only the names are checked here: values are read when each attempt is dispatched.
   */
  private Future<Void> secretsKnown(List<TaskSpec> specs, boolean batch) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    specs.forEach(t -> names.addAll(t.secrets().values()));
    if (names.isEmpty()) {
      return Future.succeededFuture();
    }
    return vault.missing(names).compose(missing -> {
      if (missing.isEmpty()) {
        return Future.succeededFuture();
      }
      String name = missing.get(0);
      int i = 0;
      while (i < specs.size() - 1 && !specs.get(i).secrets().containsValue(name)) {
        i++;
      }
      String field = batch ? "tasks[" + i + "].secrets" : "secrets";
      return Future.failedFuture(new ApiException(ErrorCode.UNKNOWN_SECRET, (batch ? "tasks[" + i + "]: " : "")
          + "the secret " + name + " does not exist" + (missing.size() > 1 ? " (nor " + String.join(", ",
          missing.subList(1, missing.size())) + ")" : "") + "; 'heady secret list' shows the secrets, "
          + "'heady secret set " + name + "' makes it", new JsonObject().put("field", field).put("secret", name)
          .put("missing", new JsonArray(new ArrayList<>(missing)))));
    });
  }

  /** The per-client rate limit: 429 RATE_LIMITED with the seconds to wait. */
  private void throttle(String client, int cost) {
    long waitNanos = limiter.acquire(client == null ? "?" : client, cost);
    if (waitNanos > 0) {
      long sec = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
      throw new ApiException(ErrorCode.RATE_LIMITED, "too many submissions from this client; retry in " + sec
          + " s (--submit-rate, --submit-burst)", new JsonObject().put("retry_after_sec", sec));
    }
  }

  /**
   * {@code GET /api/cluster/tasks/history}: finished tasks in finish order, oldest to newest, the last
   * {@code limit} before the finish position {@code before}; read from the store, which holds every finished
   * task (as long as its retention keeps it), so it survives restarts and a standby answers the same.
   */
  private void history(RoutingContext rc) {
    var q = rc.queryParams();
    int limit = intParam(q.get("limit"), "limit", 50, 1, 200);
    long before = longParam(q.get("before"), "before", 0, 1, Long.MAX_VALUE);
    // why: the store is one write behind memory; waiting for the write under way (a no-op on the scheduler's
    // loop is acknowledged after it) puts every task that finished before this request in the store
    Future<Void> written = cluster.leading()
        ? cluster.written().recover(e -> Future.succeededFuture())
        : Future.succeededFuture();
    Replies.from(rc, 200, written.compose(v -> store.history(limit + 1, before)).map(docs -> {
      boolean more = docs.size() > limit;
      List<JsonObject> page = more ? docs.subList(docs.size() - limit, docs.size()) : docs;
      JsonArray out = new JsonArray();
      page.forEach(d -> out.add(brief(d)));
      return new JsonObject().put("tasks", out).put("count", out.size())
          .put("before", more ? page.get(0).getLong("finish_seq") : null);
    }));
  }

  /**
   * The explanation of a task only the store answers for: where it was placed, as recorded when it was
   * dispatched. A task that is not on a node is not weighed here (only the leader holds the nodes' live state).
   */
  static JsonObject recorded(JsonObject doc) {
    String status = doc.getString("status", "");
    boolean waits = status.equals("queued") || status.equals("waiting");
    boolean placed = !waits && doc.getValue("explain") instanceof JsonArray e && !e.isEmpty()
        && doc.getString("node_id") != null;
    String where = doc.getString("node_name") != null ? doc.getString("node_name") : doc.getString("node_id");
    String why = doc.getString("waiting_reason") != null ? doc.getString("waiting_reason") : status;
    String summary = placed ? "placed on " + where + " (as recorded), " + status
        : waits
            ? "not placed: " + why + " (as stored; the leader weighs it now)"
            : "never placed: " + status + " before it reached a node";
    return new JsonObject().put("task_id", doc.getString("task_id")).put("status", status)
        .put("type", doc.getString("type")).put("priority", doc.getString("priority")).put("placed", placed)
        .put("summary", summary).put("node_id", placed ? doc.getString("node_id") : null)
        .put("node_name", placed ? doc.getString("node_name") : null)
        .put("explain", placed ? doc.getJsonArray("explain") : null);
  }

  /** A task document as lists show it: without its history, spec and placement explanation. */
  static JsonObject brief(JsonObject doc) {
    doc.remove("history");
    doc.remove("spec");
    doc.remove("explain");
    return doc;
  }

  static ApiException invalid(String field, String message) {
    return new ApiException(ErrorCode.INVALID_FIELD, message, new JsonObject().put("field", field));
  }

  static int intParam(String raw, String name, int def, long min, long max) {
    return (int) Math.min(longParam(raw, name, def, min, max), Integer.MAX_VALUE);
  }

  private static long longParam(String raw, String name, long def, long min, long max) {
    if (raw == null) {
      return def;
    }
    try {
      long v = Long.parseLong(raw);
      if (v < min || v > max) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw invalid(name, name + " must be a whole number from " + min + " to " + max);
    }
  }

  static String taskId(RoutingContext rc) {
    String id = rc.pathParam("id");
    if (id == null || !Fields.ID.matcher(id).matches()) {
      throw new ApiException(ErrorCode.INVALID_FIELD, "task id must match [A-Za-z0-9._-]{1,64}",
          new JsonObject().put("field", "id"));
    }
    return id;
  }
}
