package io.heady.manager.scheduler;

import static io.heady.manager.testing.NodeBuilder.node;
import static io.heady.manager.testing.SpecBuilder.ofType;
import static io.heady.manager.testing.SpecBuilder.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.ErrorCode;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Submission to result through the scheduler, every decision read from the recording sink. */
class SchedulerFlowTest {
  private final Harness h = new Harness();

  private NodeRecord ryzen() {
    return h.join(node("ryzen9").name("Ryzen 9 Powerhouse").cores(16).ram(32).caps("gcc", "make", "git"));
  }

  private NodeRecord laptop() {
    return h.join(node("laptop").cores(8).ram(16).caps("gcc", "make", "git"));
  }

  // ---- placement and dispatch ----------------------------------------------------------------------------

  @Test
  void aSubmittedTaskIsDispatchedToTheBestNode() {
    laptop();
    ryzen();
    Scheduler.Submitted s = h.submit(ofType("build").id("b1").spec());
    assertTrue(s.created());
    assertEquals(1, h.sink.dispatches.size());
    RecordingSink.Sent sent = h.sink.last();
    assertEquals("ryzen9", sent.nodeId());
    Dispatch d = sent.dispatch();
    assertEquals("b1", d.taskId());
    assertEquals(1, d.attempt());
    assertEquals("build", d.type());
    assertEquals("P2", d.priority());
    assertEquals("run build", d.command());
    assertEquals(3_600_000L, d.timeoutMs(), "the type's default timeout");
    assertEquals("OFF", d.speed());
    TaskRecord t = h.task("b1");
    assertEquals(TaskState.DISPATCHED, t.state());
    assertEquals(d.leaseId(), t.currentAttempt().leaseId());
    JsonObject json = t.toJson();
    assertEquals("Ryzen 9 Powerhouse", json.getString("node_name"));
    assertEquals("POWERHOUSE", json.getString("node_tier"));
    assertEquals(2, json.getJsonArray("explain").size(), "the placement explains itself");
    assertTrue(h.node("ryzen9").running().contains("b1"));
    assertTrue(h.sink.eventTypes().containsAll(List.of("task.submitted", "task.dispatched")));

    h.scheduler.started("ryzen9", "b1", d.leaseId(), h.at(1));
    assertEquals(TaskState.RUNNING, t.state());
    h.at(3);
    Scheduler.Completed c = h.succeed("b1");
    assertTrue(c.accepted());
    assertFalse(c.duplicate());
    assertEquals(TaskState.SUCCEEDED, t.state());
    assertEquals(0, t.toJson().getInteger("exit_code"));
    assertEquals(1, h.node("ryzen9").completed());
    assertTrue(h.node("ryzen9").running().isEmpty());
    assertEquals(1, h.scheduler.counters().completed());
    assertTrue(h.sink.taskWrites.contains("b1:succeeded"));
  }

  @Test
  void aTaskWithItsOwnTimeoutAndPriorityCarriesThem() {
    laptop();
    h.submit(task("sleep 1").id("x").priority("P0").spec());
    Dispatch d = h.sink.last().dispatch();
    assertEquals("P0", d.priority());
    assertEquals("MAX", d.speed());
    assertEquals("sleep 1", d.command());
  }

  @Test
  void theConcurrencyLimitIsHard() {
    h.join(node("small").cores(16).ram(32).slots(2));
    for (int i = 0; i < 20; i++) {
      h.submit(task("sleep 10").id("s" + i).spec());
    }
    assertEquals(2, h.sink.dispatches.size());
    assertEquals(List.of("s0", "s1"), h.sink.dispatchedTaskIds());
    assertEquals(18, h.scheduler.queue().size());
    for (int done = 0; done < 20; done++) {
      String next = h.sink.dispatches.get(done).taskId();
      h.at(done + 1);
      h.succeed(next);
      assertTrue(h.node("small").running().size() <= 2);
      assertEquals(Math.min(20, done + 3), h.sink.dispatches.size(), "each completion dispatches the next");
    }
    assertEquals(0, h.scheduler.queue().size());
    for (int i = 0; i < 20; i++) {
      assertEquals("s" + i, h.sink.dispatches.get(i).taskId(), "oldest first");
      assertEquals(TaskState.SUCCEEDED, h.task("s" + i).state());
    }
  }

  @Test
  void noCapacityMeansTheTaskWaitsNothingIsDropped() {
    h.submit(task("echo hi").id("w").spec());
    assertEquals(TaskState.QUEUED, h.task("w").state());
    h.scheduler.tick(h.at(3600));
    assertEquals(TaskState.QUEUED, h.task("w").state());
    assertEquals("no nodes are registered", h.scheduler.explain(h.task("w")).summary());
    laptop();
    assertEquals(TaskState.DISPATCHED, h.task("w").state());
  }

  @Test
  void physicalWorkFailsOverToTheCloudExecutorWhenNoAgentIsThere() {
    h.joinCloud(node("local").cores(4).ram(8));
    h.submit(task("echo hello").id("hello").spec());
    assertEquals("local", h.sink.dispatchOf("hello").nodeId());
    assertEquals(1, h.scheduler.counters().toJson().getLong("failovers"));
    h.submit(ofType("ai_inference").id("gpu").spec());
    assertEquals(TaskState.QUEUED, h.task("gpu").state(), "never GPU work on the cloud executor");
  }

  @Test
  void aRefusedDispatchFailsOverToTheNextRankedNode() {
    ryzen();
    laptop();
    h.submit(ofType("build").id("b").spec());
    RecordingSink.Sent first = h.sink.dispatchOf("b");
    assertEquals("ryzen9", first.nodeId());
    h.scheduler.dispatchFailed("b", first.leaseId(), "no route to host", Undelivered.UNREACHABLE, h.now);
    RecordingSink.Sent second = h.sink.dispatchOf("b");
    assertEquals("laptop", second.nodeId());
    assertEquals(2, second.dispatch().attempt());
    assertEquals("undelivered", h.task("b").attemptByLease(first.leaseId()).outcome());
    assertEquals(0, h.task("b").taskFailures());
    assertTrue(h.node("ryzen9").running().isEmpty());
    // A stale report about the old lease changes nothing.
    h.scheduler.dispatchFailed("b", first.leaseId(), "again", Undelivered.UNREACHABLE, h.now);
    assertEquals(TaskState.DISPATCHED, h.task("b").state());
    assertEquals(2, h.task("b").attempts().size());
  }

  @Test
  void aSteadyStreamOfP0StillLeavesQueuedP3ItsTurn() {
    h.join(node("one").cores(2).ram(4)); // a single slot
    for (int i = 0; i < 1000; i++) {
      h.submit(task("low").id("low" + i).priority("P3").spec());
    }
    List<String> order = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      h.submit(task("urgent").id("hi" + i).priority("P0").spec());
      String running = h.node("one").running().iterator().next();
      h.at(i + 1);
      h.heartbeat("one");
      h.succeed(running);
      order.add(h.sink.last().taskId());
    }
    for (int i = 0; i + 15 <= order.size(); i++) {
      assertTrue(order.subList(i, i + 15).stream().anyMatch(id -> id.startsWith("low")),
          "P3 starved in dispatches " + i + ".." + (i + 14));
    }
    assertTrue(order.stream().filter(id -> id.startsWith("hi")).count() > 200, "P0 still gets most");
  }

  // ---- completion and leases -------------------------------------------------------------------------

  @Test
  void theCurrentLeaseCompletesOnceARepeatIsADuplicate() {
    laptop();
    h.submit(task("true").id("x").spec());
    RecordingSink.Sent s = h.sink.dispatchOf("x");
    Scheduler.Completed first = h.scheduler.complete(Harness.completion(s, "succeeded", 0), h.now);
    assertTrue(first.accepted());
    assertFalse(first.duplicate());
    Scheduler.Completed again = h.scheduler.complete(Harness.completion(s, "succeeded", 0), h.at(5));
    assertTrue(again.accepted());
    assertTrue(again.duplicate());
    assertEquals(1, h.node("laptop").completed(), "counted once");
    assertEquals(1, h.scheduler.counters().completed());
    assertEquals(TaskState.SUCCEEDED, h.task("x").state());
  }

  @Test
  void aRevokedLeaseIsRefusedAndItsResultKeptButNotCounted() {
    NodeRecord a = h.join(node("a").cores(8).ram(16).member("ma"));
    for (int i = 0; i < 4; i++) {
      h.submit(task("true").id("w" + i).spec());
      h.succeed("w" + i);
    }
    h.join(node("b").cores(4).ram(8));
    h.submit(task("make").id("x").spec());
    RecordingSink.Sent old = h.sink.dispatchOf("x");
    assertEquals("a", old.nodeId());
    h.scheduler.memberLost("ma", h.at(10));
    RecordingSink.Sent current = h.sink.dispatchOf("x");
    assertEquals("b", current.nodeId());

    ApiException e = assertThrows(ApiException.class,
        () -> h.scheduler.complete(Harness.completion(old, "succeeded", 0), h.at(11)));
    assertEquals(ErrorCode.STALE_LEASE, e.code());
    assertEquals(409, e.code().status());
    TaskRecord t = h.task("x");
    assertEquals(TaskState.DISPATCHED, t.state(), "a late result changes nothing");
    JsonObject late = t.attemptByLease(old.leaseId()).toJson().getJsonObject("late_result");
    assertNotNull(late, "the late result is recorded");
    assertEquals("succeeded", late.getString("status"));
    assertEquals(1, h.scheduler.counters().toJson().getLong("late_results"));
    assertEquals(4, a.completed(), "not counted for the node");
    assertEquals(4, h.scheduler.counters().completed(), "nor for the cluster");
    assertTrue(h.sink.eventTypes().contains("task.late_result"));

    // The current lease still completes it.
    h.scheduler.complete(Harness.completion(current, "succeeded", 0), h.now);
    assertEquals(TaskState.SUCCEEDED, t.state());
    assertEquals(5, h.scheduler.counters().completed());
  }

  @Test
  void aCompletionFromTheWrongNodeOrWithAnUnknownLeaseOrTaskIsRefused() {
    laptop();
    h.submit(task("true").id("x").spec());
    RecordingSink.Sent s = h.sink.dispatchOf("x");
    Completion wrongNode = new Completion("x", "intruder", s.leaseId(), "succeeded", 0, 1, "", "", false, null);
    assertEquals(ErrorCode.STALE_LEASE,
        assertThrows(ApiException.class, () -> h.scheduler.complete(wrongNode, h.now)).code());
    Completion wrongLease = new Completion("x", "laptop", "l-forged", "succeeded", 0, 1, "", "", false, null);
    assertEquals(ErrorCode.STALE_LEASE,
        assertThrows(ApiException.class, () -> h.scheduler.complete(wrongLease, h.now)).code());
    Completion noTask = new Completion("nope", "laptop", s.leaseId(), "succeeded", 0, 1, "", "", false, null);
    assertEquals(ErrorCode.UNKNOWN_TASK,
        assertThrows(ApiException.class, () -> h.scheduler.complete(noTask, h.now)).code());
    assertEquals(TaskState.DISPATCHED, h.task("x").state());
  }

  @Test
  void aFailedTaskIsRetriedWithBackoffUpToMaxAttempts() {
    laptop();
    h.submit(task("flaky").id("f").maxAttempts(3).spec());
    TaskRecord t = h.task("f");

    h.at(10);
    h.finish("f", "failed", 1);
    assertEquals(TaskState.QUEUED, t.state());
    assertEquals(h.now.plusSeconds(1), t.notBefore(), "first retry after the base delay");
    assertEquals(t.notBefore(), h.scheduler.nextWakeup());
    assertTrue(h.sink.eventTypes().contains("task.retrying"));
    h.scheduler.tick(h.now.plusMillis(999));
    assertEquals(1, h.sink.dispatches.size(), "not before its time");
    h.scheduler.tick(h.at(11));
    assertEquals(2, h.sink.dispatches.size());
    assertEquals(2, h.sink.last().dispatch().attempt());

    h.at(20);
    h.finish("f", "failed", 1);
    assertEquals(h.now.plusSeconds(2), t.notBefore(), "the delay doubles");
    h.scheduler.tick(h.at(21));
    assertEquals(2, h.sink.dispatches.size());
    h.scheduler.tick(h.at(22));
    assertEquals(3, h.sink.dispatches.size());

    h.finish("f", "failed", 7);
    assertEquals(TaskState.FAILED, t.state(), "three attempts, three failures: done");
    assertEquals("exit code 7", t.reason());
    assertEquals(3, t.taskFailures());
    assertNull(h.scheduler.nextWakeup());
    h.scheduler.tick(h.at(1000));
    assertEquals(3, h.sink.dispatches.size());
    assertEquals(1, h.scheduler.counters().failed());
    assertEquals(100, h.node("laptop").reliability(), "the command's failures are not the node's");
  }

  @Test
  void backoffIsCappedAtTheMaximum() {
    laptop();
    h.submit(task("flaky").id("f").maxAttempts(20).spec());
    for (int i = 1; i <= 9; i++) {
      h.finish("f", "failed", 1);
      Duration wait = Duration.between(h.now, h.task("f").notBefore());
      assertEquals(Duration.ofSeconds(Math.min(60, 1L << (i - 1))), wait, "retry " + i);
      h.advance(wait);
      h.heartbeat("laptop");
      h.scheduler.tick(h.now);
      assertEquals(TaskState.DISPATCHED, h.task("f").state(), "retry " + i + " dispatched");
    }
  }

  @Test
  void aTimeoutWithoutRetriesEndsTimedOut() {
    laptop();
    h.submit(task("sleep 99999").id("t").spec());
    h.finish("t", "timed_out", -1);
    assertEquals(TaskState.TIMED_OUT, h.task("t").state());
    assertEquals("timed out", h.task("t").reason());
  }

  // ---- DAGs ----------------------------------------------------------------------------------------------

  @Test
  void dependentsWaitThenRunAfterSuccess() {
    laptop();
    List<Scheduler.Submitted> out = h.submitDag(
        task("fetch").id("a").spec(),
        task("build").id("b").dependsOn("a").spec(),
        task("test").id("c").dependsOn("b").spec(),
        task("lint").id("d").dependsOn("a").spec());
    assertEquals(4, out.size());
    String dag = h.task("a").dagId();
    assertNotNull(dag);
    for (String id : List.of("b", "c", "d")) {
      assertEquals(TaskState.WAITING, h.task(id).state(), id);
      assertEquals(dag, h.task(id).dagId());
    }
    assertEquals(List.of("a"), h.sink.dispatchedTaskIds());
    h.succeed("a");
    assertEquals(TaskState.WAITING, h.task("c").state());
    assertEquals(List.of("a", "b", "d"), h.sink.dispatchedTaskIds());
    h.succeed("b");
    assertEquals(List.of("a", "b", "d", "c"), h.sink.dispatchedTaskIds());
    h.succeed("c");
    h.succeed("d");
    for (String id : List.of("a", "b", "c", "d")) {
      assertEquals(TaskState.SUCCEEDED, h.task(id).state(), id);
    }
  }

  @Test
  void aTaskWaitingOnTwoStillWaitsOnBothAfterARestart() {
    laptop();
    h.submitDag(task("fetch").id("a").spec(), task("fetch").id("b").spec(),
        task("join").id("c").dependsOn("a", "b").spec());
    assertEquals(List.of("a", "b"), h.sink.dispatchedTaskIds());
    // the manager restarts: another scheduler resumes from what the first one stored
    Harness again = new Harness();
    again.now = h.now;
    again.scheduler.restore(List.of(h.node("laptop").toJson()),
        List.of(h.task("a").toJson(), h.task("b").toJson(), h.task("c").toJson()), new JsonObject(), again.now);
    assertEquals(TaskState.WAITING, again.task("c").state());
    again.scheduler.complete(Harness.completion(h.sink.dispatchOf("a"), "succeeded", 0), again.now);
    assertEquals(TaskState.WAITING, again.task("c").state(), "c waits on b too, which has not ended");
    again.scheduler.complete(Harness.completion(h.sink.dispatchOf("b"), "succeeded", 0), again.now);
    assertFalse(again.task("c").state() == TaskState.WAITING, "both ended: c is released");
  }

  @Test
  void aFailureSkipsEveryDependentTransitively() {
    laptop();
    h.submitDag(
        task("fetch").id("a").spec(),
        task("build").id("b").dependsOn("a").spec(),
        task("test").id("c").dependsOn("b").spec(),
        task("other").id("e").spec(),
        task("report").id("f").dependsOn("c", "e").spec());
    h.finish("a", "failed", 2);
    assertEquals(TaskState.FAILED, h.task("a").state());
    for (String id : List.of("b", "c", "f")) {
      assertEquals(TaskState.SKIPPED, h.task(id).state(), id + " is skipped, not blocked forever");
    }
    assertTrue(h.task("b").reason().contains("a"), h.task("b").reason());
    assertTrue(h.task("c").reason().contains("b"), h.task("c").reason());
    assertEquals(TaskState.DISPATCHED, h.task("e").state(), "an independent branch goes on");
    assertFalse(h.sink.dispatchedTaskIds().contains("b"));
    assertEquals(3, h.scheduler.counters().toJson().getLong("skipped"));
  }

  @Test
  void aDagMayListATaskBeforeItsDependency() {
    laptop();
    h.submitDag(
        task("test").id("c").dependsOn("b").spec(),
        task("build").id("b").dependsOn("a").spec(),
        task("fetch").id("a").spec());
    assertEquals(TaskState.WAITING, h.task("c").state());
    assertEquals(TaskState.WAITING, h.task("b").state());
    assertEquals(List.of("a"), h.sink.dispatchedTaskIds());
    h.succeed("a");
    h.succeed("b");
    h.succeed("c");
    assertEquals(List.of("a", "b", "c"), h.sink.dispatchedTaskIds());

    // Doomed from the start through an existing failed task, in either order.
    h.submit(task("false").id("bad").spec());
    h.finish("bad", "failed", 1);
    h.submitDag(task("x").id("c2").dependsOn("b2").spec(), task("x").id("b2").dependsOn("bad").spec());
    h.submitDag(task("x").id("b3").dependsOn("bad").spec(), task("x").id("c3").dependsOn("b3").spec());
    for (String id : List.of("b2", "c2", "b3", "c3")) {
      assertEquals(TaskState.SKIPPED, h.task(id).state(), id);
    }
  }

  @Test
  void dependenciesOnExistingTasks() {
    laptop();
    h.submit(task("fetch").id("x").spec());
    h.submit(task("use").id("y").dependsOn("x").spec());
    assertEquals(TaskState.WAITING, h.task("y").state());
    h.succeed("x");
    assertEquals(TaskState.DISPATCHED, h.task("y").state());
    h.succeed("y");
    // On a task that already succeeded: ready at once. On one that failed: skipped at once.
    h.submit(task("again").id("z").dependsOn("x").spec());
    assertEquals(TaskState.DISPATCHED, h.task("z").state());
    h.submit(task("false").id("bad").spec());
    h.finish("bad", "failed", 1);
    h.submit(task("after").id("w").dependsOn("bad").spec());
    assertEquals(TaskState.SKIPPED, h.task("w").state());
  }

  @Test
  void theCriticalPathRunsAtFullSpeed() {
    laptop();
    h.submitDag(
        task("a").id("a").estimate(1000).spec(),
        task("long").id("long").dependsOn("a").estimate(60_000).spec(),
        task("short").id("short").dependsOn("a").estimate(1000).spec(),
        task("end").id("end").dependsOn("long", "short").estimate(1000).spec());
    assertTrue(h.task("a").critical());
    assertTrue(h.task("long").critical());
    assertFalse(h.task("short").critical());
    assertTrue(h.task("end").critical());
    assertEquals("MAX", h.sink.dispatchOf("a").dispatch().speed());
    h.succeed("a");
    assertEquals("MAX", h.sink.dispatchOf("long").dispatch().speed());
    assertEquals("OFF", h.sink.dispatchOf("short").dispatch().speed());
  }

  // ---- cancel --------------------------------------------------------------------------------------------

  @Test
  void cancellingAQueuedTask() {
    h.submit(task("sleep 1").id("q").spec());
    TaskRecord t = h.scheduler.cancel("q", h.now);
    assertEquals(TaskState.CANCELLED, t.state());
    assertEquals(0, h.scheduler.queue().size());
    laptop();
    assertTrue(h.sink.dispatches.isEmpty(), "a cancelled task is never dispatched");
    assertTrue(h.sink.cancels.isEmpty(), "no node to tell");
    assertEquals(ErrorCode.CONFLICT,
        assertThrows(ApiException.class, () -> h.scheduler.cancel("q", h.now)).code());
    assertEquals(ErrorCode.UNKNOWN_TASK,
        assertThrows(ApiException.class, () -> h.scheduler.cancel("nope", h.now)).code());
  }

  @Test
  void cancellingADispatchedTaskTellsItsNodeAndFreesTheSlot() {
    h.join(node("one").cores(2).ram(4));
    h.submit(task("sleep 100").id("run").spec());
    h.submit(task("sleep 100").id("next").spec());
    RecordingSink.Sent s = h.sink.dispatchOf("run");
    h.scheduler.started("one", "run", s.leaseId(), h.now);
    h.scheduler.cancel("run", h.at(5));
    assertEquals(TaskState.CANCELLED, h.task("run").state());
    assertEquals(List.of(new RecordingSink.Cancel("one", "run", s.leaseId())), h.sink.cancels);
    assertEquals("next", h.sink.last().taskId(), "the freed slot takes the next task");
    // The agent's report of the killed process confirms the cancel it was asked for: a duplicate, not a
    // late result; any other result under the revoked lease is refused.
    Scheduler.Completed echo = h.scheduler.complete(Harness.completion(s, "cancelled", -1), h.now);
    assertTrue(echo.duplicate());
    assertEquals(0, h.scheduler.counters().toJson().getLong("late_results"));
    assertThrows(ApiException.class,
        () -> h.scheduler.complete(Harness.completion(s, "succeeded", 0), h.now));
    assertEquals(TaskState.CANCELLED, h.task("run").state());
    assertEquals(1, h.node("one").running().size());
  }

  @Test
  void cancellingAWaitingTaskSkipsItsDependentsAndARetryingTaskIsNotDispatchedAgain() {
    laptop();
    h.submitDag(task("a").id("a").spec(), task("b").id("b").dependsOn("a").spec(),
        task("c").id("c").dependsOn("b").spec());
    h.scheduler.cancel("b", h.now);
    assertEquals(TaskState.CANCELLED, h.task("b").state());
    assertEquals(TaskState.SKIPPED, h.task("c").state());

    h.submit(task("flaky").id("r").maxAttempts(3).spec());
    h.finish("r", "failed", 1);
    h.scheduler.cancel("r", h.now);
    h.scheduler.tick(h.at(100));
    assertEquals(1, h.sink.dispatchedTaskIds().stream().filter("r"::equals).count());
    assertEquals(TaskState.CANCELLED, h.task("r").state());
  }

  // ---- refusals ------------------------------------------------------------------------------------------

  @Test
  void aShellTaskWithoutACommandIsRefusedNamingTheField() {
    ApiException e = assertThrows(ApiException.class, () -> h.submit(task("x").noCommand().spec()));
    assertEquals(ErrorCode.INVALID_FIELD, e.code());
    assertEquals("command", e.details().getString("field"));
    ApiException inBatch = assertThrows(ApiException.class,
        () -> h.submitDag(task("ok").id("a").spec(), task("x").id("b").noCommand().spec()));
    assertEquals("tasks[1].command", inBatch.details().getString("field"));
    assertEquals(0, h.scheduler.tasks().size(), "nothing of a refused submission is created");
    // A noop task needs no command.
    assertTrue(h.submit(ofType("noop").noCommand().spec()).created());
  }

  @Test
  void aCycleIsRefusedNamingTheCycle() {
    ApiException e = assertThrows(ApiException.class, () -> h.submitDag(
        task("x").id("a").dependsOn("c").spec(),
        task("x").id("b").dependsOn("a").spec(),
        task("x").id("c").dependsOn("b").spec(),
        task("x").id("d").spec()));
    assertEquals(ErrorCode.CYCLE, e.code());
    assertEquals(400, e.code().status());
    JsonArray cycle = e.details().getJsonArray("cycle");
    assertEquals(4, cycle.size());
    assertEquals(cycle.getString(0), cycle.getString(3));
    String named = cycle.getString(0) + " -> " + cycle.getString(1) + " -> " + cycle.getString(2) + " -> "
        + cycle.getString(3);
    assertTrue(e.getMessage().contains(named), e.getMessage());
    assertTrue(List.of("a", "b", "c").contains(cycle.getString(0)), "d is not in the cycle");
    assertEquals(0, h.scheduler.tasks().size());

    ApiException self = assertThrows(ApiException.class,
        () -> h.submitDag(task("x").id("s").dependsOn("s").spec()));
    assertEquals(ErrorCode.CYCLE, self.code());
    assertEquals(new JsonArray().add("s").add("s"), self.details().getJsonArray("cycle"));
  }

  @Test
  void anUnknownDependencyOrARepeatedIdIsRefused() {
    ApiException e = assertThrows(ApiException.class,
        () -> h.submitDag(task("x").id("a").dependsOn("ghost").spec()));
    assertEquals(ErrorCode.INVALID_FIELD, e.code());
    assertEquals("tasks[0].depends_on", e.details().getString("field"));
    assertTrue(e.getMessage().contains("ghost"));
    ApiException twice = assertThrows(ApiException.class,
        () -> h.submitDag(task("x").id("a").spec(), task("y").id("a").spec()));
    assertEquals("tasks[1].id", twice.details().getString("field"));
  }

  @Test
  void submittingTheSameClientIdAgainReturnsTheExistingTask() {
    laptop();
    Scheduler.Submitted first = h.submit(task("echo once").id("job-42").spec());
    assertTrue(first.created());
    Scheduler.Submitted again = h.submit(task("echo once").id("job-42").spec());
    assertFalse(again.created());
    assertTrue(first.task() == again.task(), "the same task");
    assertEquals(1, h.sink.dispatches.size(), "not dispatched twice");
    assertEquals(1, h.scheduler.counters().submitted());
    h.succeed("job-42");
    Scheduler.Submitted afterDone = h.submit(task("echo once").id("job-42").spec());
    assertFalse(afterDone.created());
    assertEquals(TaskState.SUCCEEDED, afterDone.task().state());
    // In a batch, the repeat is returned and the new ones created.
    List<Scheduler.Submitted> mixed = h.submitDag(task("echo once").id("job-42").spec(),
        task("next").id("job-43").dependsOn("job-42").spec());
    assertFalse(mixed.get(0).created());
    assertTrue(mixed.get(1).created());
    assertEquals(TaskState.DISPATCHED, h.task("job-43").state());
  }

  @Test
  void aClientIdGivenAgainWithAnotherSpecIsAConflictNamingTheIdAndWhatDiffers() {
    laptop();
    Scheduler.Submitted first = h.submit(task("echo once").id("job-7").spec());
    ApiException e = assertThrows(ApiException.class, () -> h.submit(task("echo twice").id("job-7").spec()));
    assertEquals(ErrorCode.ID_CONFLICT, e.code());
    assertEquals(409, e.code().status());
    assertTrue(e.getMessage().contains("job-7") && e.getMessage().contains("'echo once' here")
        && e.getMessage().contains("'echo twice' submitted"), e.getMessage());
    assertEquals("job-7", e.details().getString("task_id"));
    assertEquals(new JsonArray().add("command"), e.details().getJsonArray("differs"));
    assertEquals("id", e.details().getString("field"));
    assertTrue(first.task() == h.task("job-7") && h.task("job-7").spec().command().equals("echo once"),
        "the task keeps its spec");
    assertEquals(1, h.scheduler.counters().submitted());

    // in a DAG, the conflicting entry is named and nothing of the batch is created
    ApiException inDag = assertThrows(ApiException.class, () -> h.submitDag(task("new").id("job-8").spec(),
        task("echo once").id("job-7").priority("P0").spec()));
    assertEquals(ErrorCode.ID_CONFLICT, inDag.code());
    assertEquals("tasks[1].id", inDag.details().getString("field"));
    assertTrue(inDag.getMessage().startsWith("tasks[1]: "), inDag.getMessage());
    assertEquals(new JsonArray().add("priority"), inDag.details().getJsonArray("differs"));
    assertNull(h.task("job-8"), "nothing of a refused batch is created");

    // the same spec, spelled with its defaults, is still the idempotent repeat
    Scheduler.Submitted again = h.submit(task("echo once").id("job-7").priority("P2").maxAttempts(0).spec());
    assertFalse(again.created());
    assertTrue(again.task() == first.task());
  }

  @Test
  void aChainAsLongAsTheLargestDagIsTakenAndSkippedWholeWhenItsFirstTaskEnds() {
    int max = io.heady.common.config.Config.defaults("manager").integer(io.heady.common.config.Keys.MAX_DAG_TASKS);
    io.heady.common.protocol.TaskSpec[] chain = new io.heady.common.protocol.TaskSpec[max];
    for (int i = 0; i < max; i++) {
      chain[i] = i == 0 ? task("true").id("c0").spec() : task("true").id("c" + i).dependsOn("c" + (i - 1)).spec();
    }
    List<Scheduler.Submitted> all = h.submitDag(chain);
    assertEquals(max, all.size());
    assertEquals(max, h.scheduler.tasks().dagCriticalPath(all.get(0).task().dagId()).size(), "the chain is critical");
    h.scheduler.cancel("c0", h.now); // no node: it is queued; its end skips every task after it
    assertEquals(TaskState.SKIPPED, h.task("c" + (max - 1)).state());
  }

  @Test
  void submissionIdsAreMadeWhenTheClientGivesNone() {
    laptop();
    Scheduler.Submitted a = h.submit(task("echo a").spec());
    Scheduler.Submitted b = h.submit(task("echo b").spec());
    assertTrue(a.created() && b.created());
    assertFalse(a.task().id().equals(b.task().id()));
    assertNull(a.task().dagId(), "a single task is no DAG");
  }
}
