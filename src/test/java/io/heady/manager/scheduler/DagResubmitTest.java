package io.heady.manager.scheduler;

import static io.heady.manager.testing.NodeBuilder.node;
import static io.heady.manager.testing.SpecBuilder.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A DAG submitted again: the same tasks return the same DAG; a batch that repeats an existing task beside new ones
 * makes a new DAG of the new ones, and its answer names that DAG (the one {@code GET /api/cluster/dags/:id} shows
 * the new tasks in), not the old task's.
 */
class DagResubmitTest {
  private final Harness h = new Harness();

  private JsonObject submitBatch(io.heady.common.protocol.TaskSpec... specs) {
    List<Scheduler.Submitted> out = h.scheduler.submit(List.of(specs), true, h.now);
    return ClusterViews.submitted(h.scheduler, out, true, h.now);
  }

  @Test
  void theSameDagAgainNamesTheSameDag() {
    h.join(node("pc").cores(8).ram(16));
    JsonObject first = submitBatch(task("true").id("d1").spec(), task("true").id("d2").dependsOn("d1").spec());
    JsonObject again = submitBatch(task("true").id("d1").spec(), task("true").id("d2").dependsOn("d1").spec());
    assertEquals(first.getString("dag_id"), again.getString("dag_id"));
    assertFalse(again.getBoolean("created"));
  }

  @Test
  void aBatchThatRepeatsATaskBesideNewOnesNamesTheNewDag() {
    h.join(node("pc").cores(8).ram(16));
    JsonObject first = submitBatch(task("true").id("d1").spec(), task("true").id("d2").dependsOn("d1").spec());
    JsonObject mixed = submitBatch(task("true").id("d1").spec(), task("true").id("d4").dependsOn("d1").spec());
    assertTrue(mixed.getBoolean("created"));
    String d4Dag = h.task("d4").dagId();
    assertNotEquals(first.getString("dag_id"), d4Dag, "d4 is in a DAG of its own submission");
    assertEquals(d4Dag, mixed.getString("dag_id"), "the answer names the DAG its new task is in");
    assertTrue(DagView.of(h.scheduler, mixed.getString("dag_id")).encode().contains("\"d4\""),
        "the DAG the answer names holds the new task");
  }
}
