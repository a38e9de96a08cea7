package io.heady.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.client.NodeInfo;
import io.heady.client.TaskInfo;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Limits;
import io.heady.common.protocol.TaskSpec;
import io.heady.common.protocol.Usage;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.task.AttemptAccounting;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.heady.manager.testing.NodeBuilder;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code heady task ID} and {@code heady nodes NODE} on the documents the manager really writes (its task and node
 * records): limits, containment and what an attempt used.
 */
class ContainmentViewTest {
  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

  /** A task the manager ran once on node pi, reported with this usage and enforcement. */
  private static JsonObject ranTask(Usage used, Enforcement how, String status, String reason) {
    TaskRecord t = new TaskRecord("t1", TaskSpec.fromJson(new JsonObject().put("command", "make")
        .put("limits", new JsonObject().put("memory_mb", 512)).put("run_as", "builder")), 1, null, T);
    t.start(TaskState.QUEUED, T);
    t.limits(new Limits(512, 1.5, 64, 10));
    t.newAttempt("l1", "pi", T);
    t.moveTo(TaskState.DISPATCHED, T, null);
    AttemptAccounting.Outcome o = AttemptAccounting.completed(t, new Completion("t1", "pi", "l1", status,
        status.equals("succeeded") ? 0 : 137, 2000, "", "", false, null, reason, used, how), T.plusSeconds(2));
    t.moveTo(o.succeeded() ? TaskState.SUCCEEDED : TaskState.FAILED, T.plusSeconds(2), o.failure());
    return new JsonObject(t.toJson().encode());
  }

  private static List<String> lines(String text) {
    return text.lines().toList();
  }

  @Test
  void aMeasuredAttemptShowsItsCpuMemoryIoAndContainment() {
    String out = Render.task(TaskInfo.fromJson(ranTask(new Usage(1.5, 0.25, 80L << 20, 3L << 20, 4096),
        new Enforcement(Enforcement.CGROUP1, "heady-task", new Limits(512, 1.5, 64, 0), null), "succeeded", null)),
        T.plusSeconds(60));
    List<String> l = lines(out);
    assertTrue(l.contains("limits       512 MiB memory, 1.5 CPUs, 64 processes, 10 MiB output"), out);
    assertTrue(l.contains("run as       builder"), out);
    assertTrue(l.contains("contained    cgroup1 as heady-task (512 MiB memory, 1.5 CPUs, 64 processes)"), out);
    assertTrue(l.contains("cpu          1.50 s user, 0.25 s system"), out);
    assertTrue(l.contains("peak memory  80.0 MiB"), out);
    assertTrue(l.contains("disk i/o     read 3.0 MiB, wrote 4.0 KiB"), out);
    assertTrue(l.stream().anyMatch(x -> x.matches("\\s+#\\s+NODE\\s+OUTCOME\\s+EXIT\\s+CPU\\s+PEAK MEM\\s+DISPATCHED.*")),
        out);
    assertTrue(l.stream().anyMatch(x -> x.matches("\\s+1\\s+pi\\s+succeeded\\s+0\\s+1\\.75 s\\s+80\\.0 MiB\\s+.*")),
        "the attempt's row, user and system CPU together: " + out);
  }

  @Test
  void anOutOfMemoryTaskSaysSoAndWhatItHeld() {
    String out = Render.task(TaskInfo.fromJson(ranTask(new Usage(0.5, 0.1, 64L << 20, -1, -1),
        new Enforcement(Enforcement.RLIMIT, "heady-task", new Limits(64, 0, 0, 0), "no control group: per process"),
        "failed", Completion.OUT_OF_MEMORY)), T.plusSeconds(60));
    List<String> l = lines(out);
    assertTrue(l.contains("status       failed (exit 137)"), out);
    assertTrue(l.stream().anyMatch(x -> x.startsWith("reason       out_of_memory: went over its memory limit of 64 MiB")),
        out);
    assertTrue(l.contains("contained    rlimit as heady-task (64 MiB memory): no control group: per process"), out);
    assertTrue(l.contains("disk i/o     read ?, wrote ?"), "unmeasured parts are ?, never -1: " + out);
  }

  @Test
  void anUnmeasuredAttemptSaysSoAndATaskNotRunYetSaysNothingOfUsage() {
    String out = Render.task(TaskInfo.fromJson(ranTask(Usage.UNKNOWN, null, "succeeded", null)), T);
    List<String> l = lines(out);
    assertTrue(l.contains("contained    unknown (the node did not say)"), out);
    assertTrue(l.contains("usage        not measured (its node did not report what it used)"), out);
    assertFalse(out.contains("peak memory"), out);

    TaskRecord queued = new TaskRecord("q", TaskSpec.fromJson(new JsonObject().put("command", "true")), 2, null, T);
    queued.start(TaskState.QUEUED, T);
    String waiting = Render.task(TaskInfo.fromJson(queued.toJson()), T);
    assertTrue(lines(waiting).contains("limits       none"), waiting);
    assertFalse(waiting.contains("usage") || waiting.contains("contained"), waiting);
  }

  @Test
  void aNodeShowsItsContainmentOrUnknown() {
    NodeRecord said = NodeBuilder.node("pi").containment(new Enforcement(Enforcement.CGROUP2, "heady-task",
        Limits.NONE, null)).active(T);
    assertTrue(lines(Render.node(NodeInfo.fromJson(said.toJson()))).contains("containment  cgroup2 as heady-task"));
    NodeRecord old = NodeBuilder.node("old").active(T);
    assertTrue(lines(Render.node(NodeInfo.fromJson(old.toJson())))
        .contains("containment  unknown (the node did not say)"));
  }

  @Test
  void sizesAreReadInMib() {
    record Case(String text, long mib) {}
    for (Case c : List.of(new Case("512m", 512), new Case("512M", 512), new Case("512MiB", 512), new Case("2g", 2048),
        new Case("1.5G", 1536), new Case("4096k", 4), new Case("100", 100), new Case("1t", 1 << 20),
        new Case("1000k", 1))) {
      assertEquals(c.mib(), LimitOptions.mib(c.text()), c.text());
    }
    for (String bad : List.of("", "m", "-5m", "12x", "1e3", "lots")) {
      assertTrue(assertThrows(IllegalArgumentException.class, () -> LimitOptions.mib(bad)).getMessage()
          .contains("is not a size"), bad);
    }
  }

  @Test
  void optionsGoUnderEveryTaskOfAFileWhatTheTaskSetsWins() {
    LimitOptions o = new LimitOptions();
    o.memoryMb = 256L;
    o.pids = 32L;
    o.runAs = "builder";
    JsonObject own = new JsonObject().put("command", "a").put("limits", new JsonObject().put("memory_mb", 64))
        .put("run_as", "tester");
    o.applyTo(own);
    assertEquals(new JsonObject().put("memory_mb", 64).put("pids", 32L), own.getJsonObject("limits"));
    assertEquals("tester", own.getString("run_as"));
    JsonObject bare = new JsonObject().put("command", "b");
    o.applyTo(bare);
    assertEquals(new JsonObject().put("memory_mb", 256L).put("pids", 32L), bare.getJsonObject("limits"));
    assertEquals("builder", bare.getString("run_as"));

    o.cpus = 0.0;
    assertTrue(assertThrows(IllegalArgumentException.class, () -> o.applyTo(new JsonObject())).getMessage()
        .startsWith("limits.cpus"), "a bad option is refused before anything is sent");
  }
}
