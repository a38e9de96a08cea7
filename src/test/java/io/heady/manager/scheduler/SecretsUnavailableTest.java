package io.heady.manager.scheduler;

import static io.heady.manager.testing.NodeBuilder.node;
import static io.heady.manager.testing.SpecBuilder.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Dispatch;
import io.heady.manager.task.Attempt;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An attempt whose secrets could not be had at dispatch was never sent: when the secret is gone the task fails with
 * reason {@code secret_unavailable} naming it; when the store did not answer it waits and is placed again, without
 * using an attempt and without blaming the node. The stored task names its secrets, never a value.
 */
class SecretsUnavailableTest {
  private final Harness h = new Harness();

  @Test
  void aSecretRemovedAfterSubmissionFailsTheTaskNamingIt() {
    h.join(node("n1").cores(8).ram(16));
    h.submit(task("echo $API_KEY").id("t").secrets("API_KEY").maxAttempts(3).spec());
    Dispatch d = h.sink.last().dispatch();
    assertEquals(Map.of(), d.secrets(), "the scheduler sends names to nobody; values are sealed on the way out");
    assertEquals(Map.of("API_KEY", "API_KEY"), h.task("t").spec().secrets());

    h.scheduler.secretsUnavailable("t", d.leaseId(), "the secret API_KEY (for API_KEY) no longer exists", true,
        h.at(1));
    TaskRecord t = h.task("t");
    assertEquals(TaskState.FAILED, t.state(), "not retried: the secret stays gone");
    assertTrue(t.reason().startsWith("secret_unavailable: the secret API_KEY"), t.reason());
    Attempt a = t.attempts().get(0);
    assertEquals("failed", a.outcome());
    assertTrue(h.node("n1").running().isEmpty());
    assertEquals(100, h.node("n1").toJson().getInteger("reliability_score"), "not the node's fault");
    assertTrue(h.sink.eventTypes().contains("task.failed"));
  }

  @Test
  void aStoreThatDidNotAnswerPutsTheTaskBackWithoutUsingAnAttempt() {
    h.join(node("n1").cores(8).ram(16));
    h.submit(task("echo $API_KEY").id("t").secrets("API_KEY").spec());
    Dispatch first = h.sink.last().dispatch();
    h.scheduler.secretsUnavailable("t", first.leaseId(), "the store is unavailable", false, h.at(1));
    TaskRecord t = h.task("t");
    assertEquals(TaskState.QUEUED, t.state());
    assertEquals(0, t.taskFailures());
    h.scheduler.tick(h.advance(Duration.ofSeconds(5)));
    Dispatch again = h.sink.last().dispatch();
    assertEquals("t", again.taskId());
    assertNotEquals(first.leaseId(), again.leaseId(), "a new attempt");
    assertEquals(TaskState.DISPATCHED, t.state());

    // a stale lease changes nothing
    h.scheduler.secretsUnavailable("t", first.leaseId(), "late", true, h.at(10));
    assertEquals(TaskState.DISPATCHED, t.state());
  }
}
