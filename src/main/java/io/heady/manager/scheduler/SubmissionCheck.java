package io.heady.manager.scheduler;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.TaskSpec;
import io.heady.manager.placement.Policy;
import io.heady.manager.placement.TaskType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one submission (a task or a DAG batch) before anything is created: commands present where the
 * type needs one, client ids unique, an existing client id given again with the same spec, every dependency
 * known, no cycle. Refusals name what is wrong.
 */
final class SubmissionCheck {
  private final List<TaskSpec> specs;
  private final boolean batch;
  private final Map<TaskSpec, String> ids = new IdentityHashMap<>();
  private final Map<String, List<String>> edges = new LinkedHashMap<>();
  private final Map<String, Long> durations = new HashMap<>();

  SubmissionCheck(List<TaskSpec> specs, boolean batch, Policy policy, TaskBook tasks, IdSource idSource) {
    this.specs = specs;
    this.batch = batch;
    if (specs.isEmpty()) {
      throw invalid("tasks", "tasks must not be empty");
    }
    // why: how many tasks one submission may hold is the API's --max-dag-tasks, checked before this; a second,
    // smaller limit here refused DAGs the flag allowed
    Set<String> batchIds = new HashSet<>();
    for (int i = 0; i < specs.size(); i++) {
      TaskSpec s = specs.get(i);
      String where = batch ? "tasks[" + i + "]." : "";
      TaskType type = policy.type(s.type());
      if (type.needsCommand() && !s.hasCommand()) {
        throw invalid(where + "command", "a " + s.type() + " task needs a command (or argv)");
      }
      if (s.id() != null && !batchIds.add(s.id())) {
        throw invalid(where + "id", "id " + s.id() + " appears twice in this submission");
      }
      String id = s.id() != null ? s.id() : idSource.taskId();
      ids.put(s, id);
      durations.put(id, s.estimatedDurationMs());
    }
    for (int i = 0; i < specs.size(); i++) {
      TaskSpec s = specs.get(i);
      io.heady.manager.task.TaskRecord existing = s.id() == null ? null : tasks.get(s.id());
      if (existing != null) {
        sameAsExisting(existing.spec(), s, batch ? "tasks[" + i + "]." : "");
        continue; // an idempotent repeat: nothing to check, nothing to create
      }
      for (String d : s.dependsOn()) {
        if (!batchIds.contains(d) && tasks.get(d) == null) {
          throw invalid((batch ? "tasks[" + i + "]." : "") + "depends_on",
              "depends_on names " + d + ", which is neither in this submission nor an existing task");
        }
        if (d.equals(ids.get(s))) {
          throw new ApiException(ErrorCode.CYCLE, "task " + d + " depends on itself",
              new JsonObject().put("cycle", new JsonArray().add(d).add(d)));
        }
      }
      edges.put(ids.get(s), s.dependsOn());
    }
    List<String> cycle = DagIndex.findCycle(edges);
    if (!cycle.isEmpty()) {
      throw new ApiException(ErrorCode.CYCLE, "the tasks form a cycle: " + String.join(" -> ", cycle),
          new JsonObject().put("cycle", new JsonArray(List.copyOf(cycle))));
    }
  }

  /**
   * A client id names the task it was given to, not any task: the same spec again is an idempotent repeat, a
   * different one is refused (409 {@code ID_CONFLICT}) naming the id and what differs ({@link SpecMatch}).
   */
  private static void sameAsExisting(TaskSpec existing, TaskSpec submitted, String where) {
    List<String> differ = SpecMatch.differences(existing, submitted);
    if (differ.isEmpty()) {
      return;
    }
    List<String> said = differ.stream().limit(3).map(f -> SpecMatch.describe(f, existing, submitted)).toList();
    throw new ApiException(ErrorCode.ID_CONFLICT, (where.isEmpty() ? "" : where.substring(0, where.length() - 1)
        + ": ") + "task id " + submitted.id() + " is taken by a task with a different spec (" + String.join("; ",
        said) + (differ.size() > said.size() ? "; and " + (differ.size() - said.size()) + " more" : "")
        + "); the same spec returns that task, another id makes a new one",
        new JsonObject().put("field", where + "id").put("task_id", submitted.id())
            .put("differs", new JsonArray(List.copyOf(differ))));
  }

  private static ApiException invalid(String field, String message) {
    return new ApiException(ErrorCode.INVALID_FIELD, message, new JsonObject().put("field", field));
  }

  String idOf(TaskSpec s) {
    return ids.get(s);
  }

  boolean isDag() {
    return batch;
  }

  /** The batch's critical path by estimated duration, first task to last; empty for a single task. */
  List<String> criticalPath() {
    if (!batch || edges.size() < 2) {
      return List.of();
    }
    return DagIndex.criticalPath(edges, id -> durations.getOrDefault(id, 0L));
  }

  List<TaskSpec> specs() {
    return specs;
  }
}
