package io.heady.manager.api;

import io.heady.common.protocol.ErrorCode;
import io.heady.manager.scheduler.ClusterService;
import io.heady.manager.store.ClusterStore;
import io.heady.manager.store.TaskPage;
import io.heady.manager.store.TaskPosition;
import io.heady.manager.store.TaskQuery;
import io.heady.manager.task.TaskState;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /api/cluster/tasks} (viewer): tasks in submission order, oldest ({@code order=oldest}, the default) or
 * newest first, filtered by status, node (id or name, {@link NodeRefs}), type and submission time ({@code since},
 * {@code until}), a page at a time. The leader lists what its memory holds and, for finished statuses, what only
 * the store still has; a standby lists the store.
 */
final class TaskListRoutes {
  private static final List<String> FINAL = java.util.Arrays.stream(TaskState.values()).filter(TaskState::terminal)
      .map(TaskState::wire).toList();
  private final ClusterService cluster;
  private final ClusterStore store;
  private final NodeRefs refs;
  // why: a span (since=1h) counts back from the manager's clock, the one its tasks' created_at come from
  private final Clock clock = Clock.systemUTC();

  TaskListRoutes(ClusterService cluster, ClusterStore store, NodeRefs refs) {
    this.cluster = cluster;
    this.store = store;
    this.refs = refs;
  }

  void mount(Routes r) {
    r.viewer("GET", "/api/cluster/tasks", this::list);
  }

  private void list(RoutingContext rc) {
    TaskQuery parsed = listQuery(rc.queryParams(), clock.instant());
    Replies.from(rc, 200, resolveNode(parsed).compose(q -> page(q).map(reply -> reply
        .put("order", q.newestFirst() ? "newest" : "oldest")
        .put("since", q.since() == null ? null : q.since().toString())
        .put("until", q.until() == null ? null : q.until().toString()))));
  }

  /**
   * The node filter by the one rule: a node that is registered (or waiting for approval) by its id, so a name
   * that several nodes share is refused (409 naming their ids); a node no longer known by the id or name its tasks
   * recorded.
   */
  private Future<TaskQuery> resolveNode(TaskQuery q) {
    if (q.node() == null) {
      return Future.succeededFuture(q);
    }
    return refs.resolve(q.node()).map(r -> {
      if (r.found()) {
        return q.withNodeId(r.nodeId());
      }
      if (r.ambiguous()) {
        r.orThrow();
      }
      return q;
    });
  }

  private Future<JsonObject> page(TaskQuery q) {
    if (!cluster.leading()) {
      return fromStore(q);
    }
    boolean anyFinished = FINAL.stream().anyMatch(q::wants);
    // why: memory holds every unfinished task, so the store is asked only for finished ones, and only the
    // ones memory no longer holds count (memory has the newer state of the others)
    Future<TaskPage> stored = anyFinished
        ? store.tasks(q.withStatuses(FINAL.stream().filter(q::wants).collect(Collectors.toSet())))
        : Future.succeededFuture(TaskPage.empty());
    return stored.compose(sp -> cluster.page(q, sp.tasks().stream().map(d -> d.getString("task_id"))
        .toList()).map(mine -> {
          List<TaskListMerge.Entry> mem = new ArrayList<>();
          mine.tasks().forEach(d -> mem.add(new TaskListMerge.Entry(position(d), TaskRoutes.brief(d))));
          List<TaskListMerge.Entry> old = new ArrayList<>();
          for (JsonObject d : sp.tasks()) {
            if (!mine.held().contains(d.getString("task_id"))) {
              old.add(new TaskListMerge.Entry(position(d), TaskRoutes.brief(d)));
            }
          }
          TaskListMerge.Page page = TaskListMerge.merge(mem, old, sp.next(), q);
          return listReply(page.tasks(), page.next());
        })).recover(e -> Replies.toApi(e).code() == ErrorCode.NOT_LEADER ? fromStore(q) : Future.failedFuture(e));
  }

  /** A standby's list: all from the store. */
  private Future<JsonObject> fromStore(TaskQuery q) {
    return store.tasks(q).map(p -> {
      List<JsonObject> out = new ArrayList<>();
      p.tasks().forEach(d -> out.add(TaskRoutes.brief(d)));
      return listReply(out, p.next());
    });
  }

  private static JsonObject listReply(List<JsonObject> tasks, TaskPosition next) {
    return new JsonObject().put("tasks", new JsonArray(tasks)).put("count", tasks.size())
        .put("next_cursor", next == null ? null : next.cursor());
  }

  private static TaskPosition position(JsonObject doc) {
    return new TaskPosition(doc.getLong("seq", 0L), doc.getString("task_id"));
  }

  /** The list's query parameters at {@code now}, each checked: a 400 names the one that is wrong. */
  static TaskQuery listQuery(MultiMap q, Instant now) {
    Set<String> statuses = Set.of();
    String status = q.get("status");
    if (status != null) {
      TaskState state = TaskState.fromWire(status);
      if (state == null) {
        throw TaskRoutes.invalid("status", "status must be one of waiting, queued, dispatched, running, succeeded,"
            + " failed, timed_out, cancelled, skipped");
      }
      statuses = Set.of(state.wire());
    }
    String node = q.get("node") == null || q.get("node").isBlank() ? null : NodeRefs.ref(q.get("node"), "node");
    String type = q.get("type") == null || q.get("type").isBlank() ? null : q.get("type");
    if (type != null && !type.matches("[a-z0-9_.-]{1,64}")) {
      throw TaskRoutes.invalid("type", "type must match [a-z0-9_.-]{1,64}");
    }
    int limit = TaskRoutes.intParam(q.get("limit"), "limit", 100, 1, TaskQuery.MAX_LIMIT);
    TaskPosition after = null;
    String cursor = q.get("cursor");
    if (cursor != null && !cursor.isEmpty()) {
      try {
        after = TaskPosition.parse(cursor);
      } catch (IllegalArgumentException e) {
        throw TaskRoutes.invalid("cursor", "cursor must be a next_cursor from an earlier page (seq or seq:task_id)");
      }
    }
    String order = q.get("order");
    if (order != null && !order.equals("oldest") && !order.equals("newest")) {
      throw TaskRoutes.invalid("order", "order must be oldest (the default: submission order) or newest (newest"
          + " first)");
    }
    Instant since = time(q, "since", now);
    Instant until = time(q, "until", now);
    if (since != null && until != null && !since.isBefore(until)) {
      throw TaskRoutes.invalid("until", "until must be after since (here since is " + since + " and until "
          + until + ")");
    }
    return new TaskQuery(statuses, node, false, type, since, until, after, "newest".equals(order), limit);
  }

  private static Instant time(MultiMap q, String name, Instant now) {
    String raw = q.get(name);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      return TimeParam.parse(raw, now);
    } catch (IllegalArgumentException e) {
      throw TaskRoutes.invalid(name, name + " must be " + e.getMessage());
    }
  }
}
