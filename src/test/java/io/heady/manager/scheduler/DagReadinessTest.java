package io.heady.manager.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.heady.manager.testing.SpecBuilder;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which waiting tasks may run, as steps: a new task's dependencies as they stand, and what each dependency's end
 * means for a task that waits on it (the last success releases it; any other end skips it).
 */
class DagReadinessTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final DagReadiness dag = new DagReadiness();
  private final Map<String, TaskRecord> tasks = new HashMap<>();

  private TaskRecord task(String id, TaskState state, String... deps) {
    TaskRecord t = new TaskRecord(id, SpecBuilder.task("x").id(id).dependsOn(deps).spec(), tasks.size() + 1,
        null, T0);
    boolean waits = state == TaskState.WAITING || state == TaskState.SKIPPED;
    t.start(waits ? TaskState.WAITING : TaskState.QUEUED, T0);
    if (state.terminal()) {
      t.moveTo(state == TaskState.SKIPPED ? TaskState.SKIPPED : TaskState.CANCELLED, T0, "test");
    }
    tasks.put(id, t);
    return t;
  }

  /** A new task's dependencies in these states: how many it waits on, and what dooms it. */
  private record Deps(TaskState[] states, int unmet, String doomedBy) {}

  @Test
  void aNewTaskWaitsOnEveryDependencyNotYetSucceeded() {
    List<Deps> table = List.of(
        new Deps(new TaskState[] {TaskState.QUEUED}, 1, null),
        new Deps(new TaskState[] {TaskState.WAITING, TaskState.QUEUED}, 2, null),
        new Deps(new TaskState[] {TaskState.QUEUED, TaskState.CANCELLED}, 2, "dependency d1 cancelled"),
        new Deps(new TaskState[] {TaskState.SKIPPED}, 1, "dependency d0 skipped"));
    for (Deps row : table) {
      tasks.clear();
      String[] ids = new String[row.states().length];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = "d" + i;
        task(ids[i], row.states()[i]);
      }
      DagReadiness.Waiting w = dag.submitted(task("n", TaskState.WAITING, ids), tasks::get);
      assertEquals(row.unmet(), w.unmet(), List.of(row.states()).toString());
      assertEquals(row.doomedBy(), w.doomedBy(), List.of(row.states()).toString());
    }
  }

  @Test
  void theLastSuccessReleasesAWaitingTaskAndAnyOtherEndSkipsIt() {
    Object[][] table = { // ends of its two dependencies in turn, then what each means for the dependent
        {TaskState.SUCCEEDED, DagReadiness.Next.NONE, TaskState.SUCCEEDED, DagReadiness.Next.RUN},
        {TaskState.SUCCEEDED, DagReadiness.Next.NONE, TaskState.FAILED, DagReadiness.Next.SKIP},
        {TaskState.TIMED_OUT, DagReadiness.Next.SKIP, null, null},
        {TaskState.CANCELLED, DagReadiness.Next.SKIP, null, null}};
    for (Object[] row : table) {
      tasks.clear();
      TaskRecord waiting = task("w", TaskState.WAITING, "a", "b");
      dag.link(waiting);
      dag.waitsOn("w", 2);
      assertEquals(List.of("w"), dag.dependents("a"));
      assertEquals(row[1], dag.after(waiting, (TaskState) row[0]), "first: " + row[0]);
      if (row[2] != null) {
        assertEquals(row[3], dag.after(waiting, (TaskState) row[2]), "then: " + row[2]);
      }
      if (row[3] == DagReadiness.Next.RUN) {
        dag.release(waiting, T0.plusSeconds(5));
        assertEquals(TaskState.QUEUED, waiting.state());
        assertEquals(DagReadiness.Next.NONE, dag.after(waiting, TaskState.SUCCEEDED), "decided: no longer waits");
      }
      dag.settled("a", TaskState.FAILED);
      dag.settled("b", TaskState.FAILED);
      assertEquals(List.of(), dag.dependents("a"), "a failure's entry goes");
    }
    assertEquals(DagReadiness.Next.NONE, dag.after(null, TaskState.SUCCEEDED), "a dependent no longer held");
  }

  @Test
  void aRestoredWaitingTaskWaitsOnlyOnDependenciesStillUnfinished() {
    task("q", TaskState.QUEUED);
    TaskRecord w = task("w", TaskState.WAITING, "q", "gone");
    assertEquals(1, dag.unfinished(w, tasks::get), "a dependency the store no longer lists as unfinished succeeded");
  }
}
