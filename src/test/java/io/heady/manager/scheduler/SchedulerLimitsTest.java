package io.heady.manager.scheduler;

import static io.heady.manager.testing.NodeBuilder.node;
import static io.heady.manager.testing.SpecBuilder.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Limits;
import io.heady.common.protocol.Usage;
import io.heady.manager.placement.Policy;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits into the dispatch, and what the node reports of an attempt (usage, containment, a limit) into the record. */
class SchedulerLimitsTest {
  private static final Usage FIRST = new Usage(2.5, 0.25, 300L << 20, 1 << 20, 4 << 20);
  private static final Usage SECOND = new Usage(1.0, 0.5, 100L << 20, 0, 512);
  private static final Enforcement CGROUP = new Enforcement(Enforcement.CGROUP1, "heady-task",
      new Limits(64, 1.5, 512, 0), null);

  @TempDir
  Path dir;
  private Harness h;

  @BeforeEach
  void policyWithLimits() throws Exception {
    Path f = dir.resolve("policy.json");
    Files.writeString(f, """
        {"types": {"build": {"limits": {"memory_mb": 2048, "pids": 512}},
                   "backup": {"limits": {"output_mb": 5}, "allow_daemon": true}}}
        """);
    h = new Harness(SchedulerSettings.defaults(), Policy.load(f));
  }

  private void laptop() {
    h.join(node("laptop").cores(8).ram(16).caps("gcc", "make", "git"));
  }

  private Completion report(String taskId, String status, int exit, String reason, Usage u, Enforcement e) {
    RecordingSink.Sent s = h.sink.dispatchOf(taskId);
    return new Completion(taskId, s.nodeId(), s.leaseId(), status, exit, 3000, "", "", false, null, reason, u, e);
  }

  private JsonObject lastEvent(String type) {
    JsonObject found = null;
    for (RecordingSink.Event e : h.sink.events) {
      if (e.type().equals(type)) {
        found = e.data();
      }
    }
    return found;
  }

  @Test
  void theDispatchCarriesTheTasksLimitsOverItsTypesTheUserAndNoDaemons() {
    h.submit(ofType("build").id("b").limits(new JsonObject().put("memory_mb", 64).put("cpus", 1.5))
        .runAs("builder").spec());
    assertEquals(new Limits(64, 1.5, 512, 0), h.task("b").limits(), "known while it waits for a node");
    assertEquals(TaskState.QUEUED, h.task("b").state());

    laptop();
    h.scheduler.tick(h.now);
    Dispatch d = h.sink.dispatchOf("b").dispatch();
    assertEquals(new Limits(64, 1.5, 512, 0), d.limits());
    assertEquals("builder", d.runAs());
    assertFalse(d.allowDaemon());
    assertEquals(Map.of(), d.secrets());
    Dispatch received = Dispatch.fromJson(new JsonObject(d.toJson().encode()));
    assertEquals(d.limits(), received.limits(), "what the node reads is what was sent");
    assertEquals("builder", received.runAs());
    JsonObject json = h.task("b").toJson();
    assertEquals(new JsonObject().put("memory_mb", 64).put("cpus", 1.5).put("pids", 512), json.getJsonObject("limits"));
    assertEquals(new JsonObject().put("memory_mb", 64).put("cpus", 1.5),
        json.getJsonObject("spec").getJsonObject("limits"), "what the task asked for is kept apart");
  }

  @Test
  void aTypeThatAllowsDaemonsSaysSoAndATaskWithoutLimitsGetsTheTypes() {
    laptop();
    h.submit(ofType("backup").id("k").spec());
    h.submit(ofType("shell").id("s").spec());
    Dispatch backup = h.sink.dispatchOf("k").dispatch();
    assertTrue(backup.allowDaemon());
    assertEquals(new Limits(0, 0, 0, 5), backup.limits());
    assertNull(backup.runAs());
    Dispatch shell = h.sink.dispatchOf("s").dispatch();
    assertFalse(shell.allowDaemon());
    assertTrue(shell.limits().none());
  }

  @Test
  void outOfMemoryFailsTheTaskAtOnceWithItsReasonAndCostsTheNodeNothing() {
    laptop();
    h.submit(ofType("build").id("m").maxAttempts(3).limits(new JsonObject().put("memory_mb", 64)).spec());
    h.at(4);
    Scheduler.Completed c = h.scheduler.complete(report("m", "failed", 137, Completion.OUT_OF_MEMORY, FIRST, CGROUP),
        h.now);
    assertTrue(c.accepted());
    TaskRecord t = h.task("m");
    assertEquals(TaskState.FAILED, t.state(), "not retried: the next attempt would meet the same limit");
    assertTrue(t.reason().startsWith("out_of_memory: went over its memory limit of 64 MiB"), t.reason());
    assertEquals(1, h.sink.dispatches.size());
    h.scheduler.tick(h.at(600));
    assertEquals(1, h.sink.dispatches.size(), "and never dispatched again");

    JsonObject json = t.toJson();
    assertEquals(FIRST.toJson(), json.getJsonObject("usage"));
    assertEquals(CGROUP.toJson(), json.getJsonObject("enforcement"));
    JsonObject attempt = json.getJsonArray("attempts").getJsonObject(0);
    assertEquals(FIRST.toJson(), attempt.getJsonObject("usage"));
    assertEquals(CGROUP.toJson(), attempt.getJsonObject("enforcement"));
    assertEquals(t.reason(), attempt.getString("reason"));
    assertEquals(FIRST.toJson(), lastEvent("task.failed").getJsonObject("usage"), "metrics hear what it used");

    assertEquals(100, h.node("laptop").reliability(), "the node did its job: it stopped the task at its limit");
    assertEquals(1, h.node("laptop").failed());
    assertTrue(h.node("laptop").running().isEmpty());
  }

  @Test
  void eachAttemptKeepsItsOwnUsageAndTheEventEndingItCarriesIt() {
    laptop();
    h.submit(ofType("build").id("r").maxAttempts(2).spec());
    h.at(5);
    h.scheduler.complete(report("r", "failed", 1, null, FIRST, null), h.now);
    assertEquals(TaskState.QUEUED, h.task("r").state(), "an exit code is retried as before");
    assertEquals(FIRST.toJson(), lastEvent("task.retrying").getJsonObject("usage"));
    h.scheduler.tick(h.at(7));
    assertEquals(2, h.sink.dispatches.size());
    h.at(9);
    h.scheduler.complete(report("r", "succeeded", 0, null, SECOND, CGROUP), h.now);
    assertEquals(TaskState.SUCCEEDED, h.task("r").state());
    assertEquals(SECOND.toJson(), lastEvent("task.succeeded").getJsonObject("usage"));
    List<Object> attempts = h.task("r").toJson().getJsonArray("attempts").getList();
    assertEquals(2, attempts.size());
    JsonObject json = h.task("r").toJson();
    assertEquals(FIRST.toJson(), json.getJsonArray("attempts").getJsonObject(0).getJsonObject("usage"));
    assertNull(json.getJsonArray("attempts").getJsonObject(0).getValue("enforcement"), "that node did not say");
    assertEquals(SECOND.toJson(), json.getJsonArray("attempts").getJsonObject(1).getJsonObject("usage"));
    assertEquals(SECOND.toJson(), json.getJsonObject("usage"), "the record leads with the latest attempt");
  }

  @Test
  void whatACancelledAttemptUsedIsKeptWhenItsNodeConfirmsTheCancel() {
    laptop();
    h.submit(ofType("build").id("c").spec());
    h.scheduler.cancel("c", h.at(3));
    assertEquals(TaskState.CANCELLED, h.task("c").state());
    Scheduler.Completed echo = h.scheduler.complete(report("c", "cancelled", -1, null, FIRST, CGROUP), h.at(4));
    assertTrue(echo.accepted() && echo.duplicate());
    JsonObject attempt = h.task("c").toJson().getJsonArray("attempts").getJsonObject(0);
    assertEquals("revoked", attempt.getString("outcome"));
    assertEquals(FIRST.toJson(), attempt.getJsonObject("usage"));
    assertTrue(h.sink.taskWrites.stream().filter("c:cancelled"::equals).count() >= 2, "and written to the store");
  }

  @Test
  void aNodeStoppingATaskOnItsOwnKeepsWhatItUsedAndTheTaskRunsAgain() {
    laptop();
    h.submit(ofType("build").id("n").spec());
    h.scheduler.complete(report("n", "cancelled", -1, null, SECOND, null), h.at(2));
    assertEquals(0, h.task("n").taskFailures(), "not the task's failure");
    assertFalse(h.task("n").state().terminal());
    JsonObject first = h.task("n").toJson().getJsonArray("attempts").getJsonObject(0);
    assertEquals("cancelled", first.getString("outcome"));
    assertEquals(SECOND.toJson(), first.getJsonObject("usage"));
  }
}
