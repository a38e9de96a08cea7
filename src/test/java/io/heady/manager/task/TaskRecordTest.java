package io.heady.manager.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heady.manager.testing.SpecBuilder;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the store keeps of a task comes back the same after a manager restart. */
class TaskRecordTest {
  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void roundTripThroughJson() {
    TaskRecord t = new TaskRecord("t1", SpecBuilder.task("make -j8").id("t1").priority("P1").maxAttempts(3)
        .dependsOn("t0").estimate(5000).spec(), 42, "dag1", T);
    t.start(TaskState.WAITING, T);
    t.moveTo(TaskState.QUEUED, T.plusSeconds(1), "dependencies succeeded");
    t.newAttempt("l1", "n1", T.plusSeconds(2));
    t.moveTo(TaskState.DISPATCHED, T.plusSeconds(2), null);
    t.endAttempt("lost", "node gone", null, T.plusSeconds(3));
    t.countInfraRequeue();
    t.moveTo(TaskState.QUEUED, T.plusSeconds(3), "lost");
    t.newAttempt("l2", "n2", T.plusSeconds(4));
    t.moveTo(TaskState.DISPATCHED, T.plusSeconds(4), null);
    t.moveTo(TaskState.RUNNING, T.plusSeconds(5), null);
    t.endAttempt("succeeded", null, 0, T.plusSeconds(9));
    t.setResult(0, 4000, "ok\n", "", false);
    t.placedOn("Laptop", "STANDARD");
    t.critical(true);
    t.moveTo(TaskState.SUCCEEDED, T.plusSeconds(9), null);
    t.recordLateResult(t.attemptByLease("l1"), new JsonObject().put("status", "succeeded"), T.plusSeconds(10));

    JsonObject json = t.toJson();
    TaskRecord back = TaskRecord.fromJson(new JsonObject(json.encode()));
    assertEquals(json, back.toJson());
    assertEquals(TaskState.SUCCEEDED, back.state());
    assertEquals(2, back.attempts().size());
    assertEquals("lost", back.attemptByLease("l1").outcome());
    assertEquals(42, back.seq());
    assertEquals(1, back.infraRequeues());
  }
}
