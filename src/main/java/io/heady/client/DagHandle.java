package io.heady.client;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A submitted DAG: its id and a handle per task, in the order given.
 *
 * @param json the manager's answer ({@code {dag_id, tasks: [...]}})
 */
public record DagHandle(String dagId, List<TaskHandle> tasks, JsonObject json) {

  /** The handle of the task with this id. */
  public TaskHandle task(String id) {
    for (TaskHandle t : tasks) {
      if (t.id().equals(id)) {
        return t;
      }
    }
    throw new IllegalArgumentException("no task " + id + " in DAG " + dagId);
  }

  /** Waits for every task (a failed one's dependents end {@code skipped}); results in the order given. */
  public List<TaskResult> awaitAll() {
    return awaitAll(null);
  }

  /** As {@link #awaitAll()}, all within {@code limit}. */
  public List<TaskResult> awaitAll(Duration limit) {
    long start = System.nanoTime();
    List<TaskResult> out = new ArrayList<>();
    for (TaskHandle t : tasks) {
      Duration left = limit == null ? null : limit.minusNanos(System.nanoTime() - start);
      out.add(t.await(left == null || !left.isNegative() ? left : Duration.ZERO));
    }
    return out;
  }
}
