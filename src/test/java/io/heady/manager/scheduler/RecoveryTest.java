package io.heady.manager.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.heady.manager.node.NodeRecord;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.heady.manager.testing.NodeBuilder;
import io.heady.manager.testing.SpecBuilder;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Where each stored unfinished task resumes after a restart, by a clock moved by hand (the restart is an hour
 * after the tasks were stored): as stored, waiting out its delay, on its node under its lease, or queued again.
 */
class RecoveryTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant RESTART = T0.plusSeconds(3600);
  private final Recovery recovery = new Recovery(new DagReadiness());
  private final Map<String, TaskRecord> tasks = new HashMap<>();
  private final Map<String, NodeRecord> nodes = new HashMap<>();

  /** A task as the store kept it, read back. */
  private TaskRecord stored(String id, Function<TaskRecord, TaskRecord> before, String... deps) {
    TaskRecord t = new TaskRecord(id, SpecBuilder.task("x").id(id).dependsOn(deps).spec(), tasks.size() + 1,
        null, T0);
    t.start(deps.length > 0 ? TaskState.WAITING : TaskState.QUEUED, T0);
    TaskRecord back = recovery.tasks(List.of(before.apply(t).toJson())).get(0);
    tasks.put(id, back);
    return back;
  }

  private static TaskRecord on(TaskRecord t, String node, boolean running) {
    t.newAttempt("l-" + t.id(), node, T0);
    t.moveTo(TaskState.DISPATCHED, T0, "placed");
    if (running) {
      t.moveTo(TaskState.RUNNING, T0, null);
    }
    return t;
  }

  /** One stored task: where it resumes, the state it resumes in, and its attempt's outcome when it had one. */
  private record Row(String name, TaskRecord task, Recovery.Resume how, TaskState state, String attempt) {}

  @Test
  void eachStoredTaskResumesWhereItCan() {
    nodes.put("phys", NodeBuilder.node("phys").active(T0));
    nodes.put("local", NodeBuilder.node("local").activeCloud(T0));
    stored("dep", t -> t);
    List<Row> table = List.of(
        new Row("queued", stored("q", t -> t), Recovery.Resume.QUEUE, TaskState.QUEUED, null),
        new Row("waiting out a retry", stored("r", t -> {
          t.notBefore(RESTART.plusSeconds(30));
          return t;
        }), Recovery.Resume.DELAY, TaskState.QUEUED, null),
        new Row("a retry delay that passed", stored("p", t -> {
          t.notBefore(RESTART.minusSeconds(1));
          return t;
        }), Recovery.Resume.QUEUE, TaskState.QUEUED, null),
        new Row("waiting on an unfinished task", stored("w", t -> t, "dep"), Recovery.Resume.WAIT,
            TaskState.WAITING, null),
        new Row("waiting on finished tasks only", stored("f", t -> t, "done-long-ago"), Recovery.Resume.READY,
            TaskState.QUEUED, null),
        new Row("running on a node that may still run it", stored("n", t -> on(t, "phys", true)),
            Recovery.Resume.ON_NODE, TaskState.RUNNING, null),
        new Row("run by the manager's own executor", stored("c", t -> on(t, "local", true)),
            Recovery.Resume.REQUEUED, TaskState.QUEUED, "lost"),
        new Row("dispatched to a node no longer known", stored("g", t -> on(t, "gone", false)),
            Recovery.Resume.REQUEUED, TaskState.QUEUED, "lost"));
    for (Row row : table) {
      Recovery.Resumed r = recovery.resume(row.task(), tasks::get, nodes::get, RESTART);
      assertEquals(row.how(), r.how(), row.name());
      assertEquals(row.state(), row.task().state(), row.name());
      assertEquals(row.how() == Recovery.Resume.WAIT ? 1 : 0, r.waiting(), row.name());
      assertEquals(row.how() == Recovery.Resume.READY || row.how() == Recovery.Resume.REQUEUED, r.moved(),
          row.name() + ": written again only when it moved");
      if (row.attempt() != null) {
        assertEquals(row.attempt(), row.task().attempts().get(0).outcome(), row.name());
      }
    }
  }

  @Test
  void aFinishedTaskAmongTheUnfinishedIsAnError() {
    TaskRecord done = stored("d", t -> {
      t.moveTo(TaskState.CANCELLED, T0, "cancelled");
      return t;
    });
    assertThrows(IllegalStateException.class, () -> recovery.resume(done, tasks::get, nodes::get, RESTART));
  }

  @Test
  void storedNodesAreHeardFromAtTheRestart() {
    JsonObject doc = NodeBuilder.node("a").active(T0).toJson();
    NodeRecord n = recovery.nodes(List.of(doc), RESTART).get(0);
    assertEquals(RESTART, n.lastHeartbeat(), "its TTL to report again starts now, not when it was stored");
  }
}
