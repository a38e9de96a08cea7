package io.heady.manager.scheduler;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/cluster/dags/:id}: the graph, each task's state, and the critical path. */
public final class DagView {
  private DagView() {}

  public static JsonObject of(Scheduler s, String dagId) {
    List<String> ids = s.tasks().dagTasks(dagId);
    if (ids == null) {
      throw new ApiException(ErrorCode.NOT_FOUND, "no DAG with id " + dagId, new JsonObject().put("dag_id", dagId));
    }
    JsonArray nodes = new JsonArray();
    JsonArray edges = new JsonArray();
    Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
    for (String id : ids) {
      TaskRecord t = s.tasks().get(id);
      if (t == null) {
        nodes.add(new JsonObject().put("task_id", id).put("status", "expired"));
        continue;
      }
      counts.merge(t.state(), 1, Integer::sum);
      JsonObject j = t.toJson();
      nodes.add(new JsonObject()
          .put("task_id", id)
          .put("type", t.spec().type())
          .put("status", t.state().wire())
          .put("priority", t.priority().name())
          .put("critical", t.critical())
          .put("estimated_duration_ms", t.spec().estimatedDurationMs())
          .put("depends_on", new JsonArray(List.copyOf(t.spec().dependsOn())))
          .put("node_id", t.nodeId())
          .put("started_at", j.getString("started_at"))
          .put("finished_at", j.getString("finished_at"))
          .put("reason", t.reason()));
      for (String d : t.spec().dependsOn()) {
        edges.add(new JsonObject().put("from", d).put("to", id));
      }
    }
    JsonObject byStatus = new JsonObject();
    counts.forEach((k, v) -> byStatus.put(k.wire(), v));
    return new JsonObject()
        .put("dag_id", dagId)
        .put("status", overall(counts, ids.size()))
        .put("counts", byStatus)
        .put("tasks", nodes)
        .put("edges", edges)
        .put("critical_path", new JsonArray(s.tasks().dagCriticalPath(dagId)));
  }

  private static String overall(Map<TaskState, Integer> c, int total) {
    int done = 0;
    for (var e : c.entrySet()) {
      if (e.getKey().terminal()) {
        done += e.getValue();
      }
    }
    if (done < total) {
      return c.getOrDefault(TaskState.RUNNING, 0) + c.getOrDefault(TaskState.DISPATCHED, 0) > 0 ? "running"
          : "waiting";
    }
    return c.getOrDefault(TaskState.SUCCEEDED, 0) == total ? "succeeded" : "failed";
  }
}
