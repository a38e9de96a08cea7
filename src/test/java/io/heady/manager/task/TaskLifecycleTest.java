package io.heady.manager.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Priority;
import io.heady.common.protocol.TaskProgress;
import io.heady.common.protocol.Usage;
import io.heady.manager.testing.SpecBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A task's attempts as steps by a clock moved by hand: results by lease (current, repeated, revoked, foreign),
 * retry delays that double, take-backs bounded, cancels, progress, and the stagnation ladder.
 */
class TaskLifecycleTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final TaskLifecycle life = new TaskLifecycle(new TaskLifecycle.Settings(Duration.ofSeconds(1),
      Duration.ofSeconds(60), 2));

  private static Instant at(long s) {
    return T0.plusSeconds(s);
  }

  /** A queued task of {@code maxAttempts}, dispatched to node a under lease l1 at T0. */
  private static TaskRecord onNode(int maxAttempts) {
    TaskRecord t = new TaskRecord("t", SpecBuilder.task("make").maxAttempts(maxAttempts).spec(), 1, null, T0);
    t.start(TaskState.QUEUED, T0);
    t.newAttempt("l1", "a", T0);
    t.moveTo(TaskState.DISPATCHED, T0, "placed");
    return t;
  }

  private static Completion result(String lease, String node, String status, int exit) {
    return new Completion("t", node, lease, status, exit, 1000, "out", "", false, null);
  }

  private static Completion usedResult(String status, Usage usage) {
    return new Completion("t", "a", "l1", status, -1, 1000, "", "", false, null, null, usage, null);
  }

  /** One report of an attempt's end: the task as it stands, the report, and how it must be taken. */
  private record Report(String name, int maxAttempts, Consumer<TaskRecord> before, Completion c,
      TaskLifecycle.Taken taken, Boolean retry) {}

  @Test
  void eachResultIsTakenByItsLease() {
    List<Report> table = List.of(
        new Report("the current lease succeeds", 1, t -> { }, result("l1", "a", "succeeded", 0),
            TaskLifecycle.Taken.RAN, false),
        new Report("a failure with attempts left is retried", 3, t -> { }, result("l1", "a", "failed", 2),
            TaskLifecycle.Taken.RAN, true),
        new Report("a failure on the last attempt is not", 1, t -> { }, result("l1", "a", "failed", 2),
            TaskLifecycle.Taken.RAN, false),
        new Report("the node stopped it on its own", 3, t -> { }, result("l1", "a", "cancelled", -1),
            TaskLifecycle.Taken.STOPPED, null),
        new Report("the same result again", 1, t -> life.complete(t, result("l1", "a", "succeeded", 0), at(1)),
            result("l1", "a", "succeeded", 0), TaskLifecycle.Taken.DUPLICATE, null),
        new Report("a revoked lease's result", 1, t -> t.endAttempt("lost", "node gone", null, at(1)),
            result("l1", "a", "succeeded", 0), TaskLifecycle.Taken.LATE, null));
    for (Report r : table) {
      TaskRecord t = onNode(r.maxAttempts());
      r.before().accept(t);
      TaskLifecycle.Completed done = life.complete(t, r.c(), at(5));
      assertEquals(r.taken(), done.taken(), r.name());
      assertEquals("l1", done.attempt().leaseId(), r.name());
      if (r.retry() != null) {
        assertEquals(r.retry(), done.ran().retry(), r.name());
        assertEquals(r.c().status(), done.attempt().outcome(), r.name() + ": the attempt ends as reported");
      }
    }
  }

  @Test
  void aLateResultIsKeptOnItsAttemptAndRefusedWith409() {
    TaskRecord t = onNode(1);
    t.endAttempt("lost", "node gone", null, at(1));
    TaskLifecycle.Completed late = life.complete(t, result("l1", "a", "succeeded", 0), at(5));
    assertTrue(late.changed());
    assertNotNull(t.toJson().getJsonArray("attempts").getJsonObject(0).getJsonObject("late_result"));
    ApiException refusal = TaskLifecycle.lateRefusal(result("l1", "a", "succeeded", 0), late.attempt());
    assertEquals(ErrorCode.STALE_LEASE, refusal.code());
    assertEquals("lost", refusal.details().getString("outcome"));
  }

  @Test
  void aLeaseOfAnotherTaskOrAnotherNodeIsRefused() {
    for (Completion c : List.of(result("l9", "a", "succeeded", 0), result("l1", "b", "succeeded", 0))) {
      ApiException e = assertThrows(ApiException.class, () -> life.complete(onNode(1), c, at(5)), c.toString());
      assertEquals(ErrorCode.STALE_LEASE, e.code());
    }
  }

  @Test
  void aNodeConfirmingACancelAddsWhatTheAttemptUsedOnce() {
    TaskRecord t = onNode(1);
    assertNotNull(life.cancel(t, at(1)));
    t.moveTo(TaskState.CANCELLED, at(1), "cancelled by request");
    Usage used = new Usage(0.4, 0.1, 12 << 20, 0, 0);
    TaskLifecycle.Completed echo = life.complete(t, usedResult("cancelled", used), at(2));
    assertEquals(TaskLifecycle.Taken.DUPLICATE, echo.taken());
    assertTrue(echo.changed(), "what it used is known only now");
    assertFalse(life.complete(t, usedResult("cancelled", used), at(3)).changed(), "and only once");
  }

  @Test
  void retryDelaysDoubleFromTheBaseUpToTheMaximum() {
    long[][] table = { // failures so far, delay in ms
        {1, 1_000}, {2, 2_000}, {3, 4_000}, {6, 32_000}, {7, 60_000}, {30, 60_000}};
    for (long[] row : table) {
      TaskRecord t = onNode(100);
      for (int i = 0; i < row[0]; i++) {
        t.countTaskFailure();
      }
      t.endAttempt("failed", "exit 1", 1, at(10));
      long delay = life.retry(t, "exit code 1", at(10));
      assertEquals(row[1], delay, row[0] + " failures");
      assertEquals(TaskState.QUEUED, t.state());
      assertEquals(at(10).plusMillis(row[1]), t.notBefore(), "it waits until then by the clock it was given");
    }
  }

  @Test
  void takingBackCostsTheTaskNothingUntilTheBoundOnRequeues() {
    TaskRecord t = onNode(1);
    String[] expected = {null, null, "requeued 3 times because nodes did not run it to an end (last: lost on"
        + " node a); the task itself never failed"};
    for (int i = 0; i < expected.length; i++) {
      life.lost(t, "lost", at(i));
      String failed = life.takeBack(t, "lost", "node a", at(i));
      assertEquals(expected[i], failed, "requeue " + (i + 1));
      if (failed == null) {
        assertEquals(TaskState.QUEUED, t.state());
        t.newAttempt("l" + (i + 2), "a", at(i));
        t.moveTo(TaskState.DISPATCHED, at(i), "placed");
      }
    }
    assertEquals(0, t.taskFailures(), "never the task's own failure");
  }

  @Test
  void onlyTheCurrentLeaseOfTheRightNodeStartsTheTask() {
    TaskRecord t = onNode(1);
    assertFalse(life.started(t, "b", "l1", at(1)), "another node");
    assertFalse(life.started(t, "a", "l0", at(1)), "another lease");
    assertTrue(life.started(t, "a", "l1", at(2)));
    assertEquals(TaskState.RUNNING, t.state());
    assertEquals(at(2), t.lastProgressAt());
    assertFalse(life.started(t, "a", "l1", at(3)), "already running");
    assertFalse(life.started(null, "a", "l1", at(3)), "an unknown task");
  }

  @Test
  void aCancelRevokesTheLiveAttemptAndAFinishedTaskRefusesIt() {
    TaskRecord queued = new TaskRecord("q", SpecBuilder.task("x").spec(), 2, null, T0);
    queued.start(TaskState.QUEUED, T0);
    assertNull(life.cancel(queued, at(1)), "nothing to stop");
    TaskRecord t = onNode(1);
    assertEquals("revoked", life.cancel(t, at(1)).outcome());
    t.moveTo(TaskState.CANCELLED, at(1), "cancelled");
    assertEquals(ErrorCode.CONFLICT, assertThrows(ApiException.class, () -> life.cancel(t, at(2))).code());
  }

  @Test
  void aWarningIsGivenOncePerQuietSpellAndProgressEndsIt() {
    TaskRecord t = onNode(1);
    assertEquals("no progress (output, CPU, I/O or report) for 600 s", life.warnStagnant(t,
        Duration.ofSeconds(600), at(600)));
    assertNull(life.warnStagnant(t, Duration.ofSeconds(660), at(660)), "once per quiet spell");
    assertEquals(-1, life.progress(t, "b", TaskProgress.output(10), at(700)), "another node's word is ignored");
    assertEquals(120, life.progress(t, "a", TaskProgress.output(10), at(720)), "quiet since the warning");
    assertNull(t.stagnantSince());
    assertEquals(-1, life.progress(t, "a", TaskProgress.output(10), at(730)), "no growth, no progress");
  }

  @Test
  void theStagnationLadderReassignsEscalatesThenFails() {
    Object[][] table = { // failNow, step, priority after, fails
        {false, 1, Priority.P2, false}, {false, 2, Priority.P1, false}, {false, 3, Priority.P1, true}};
    TaskRecord t = onNode(1);
    for (Object[] row : table) {
      TaskLifecycle.Rung rung = life.stagnant(t, Duration.ofSeconds(900), (boolean) row[0], at(900));
      assertEquals(row[1], rung.step());
      assertEquals(row[2], t.priority(), "step " + rung.step());
      assertEquals(row[3], rung.fails(), "step " + rung.step());
      assertEquals("stagnant", rung.attempt().outcome(), "the stuck attempt ends");
      if (!rung.fails()) {
        life.requeue(t, "watchdog", at(900));
        t.newAttempt("l" + (rung.step() + 1), "b", at(901));
        t.moveTo(TaskState.DISPATCHED, at(901), "placed");
      }
    }
    TaskRecord fresh = onNode(1);
    assertEquals(3, life.stagnant(fresh, Duration.ofSeconds(900), true, at(900)).step(), "fail: at once");
    assertNull(life.stagnant(fresh, Duration.ofSeconds(900), false, at(901)), "not on a node any more");
  }
}
