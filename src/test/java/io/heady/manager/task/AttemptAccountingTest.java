package io.heady.manager.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Limits;
import io.heady.common.protocol.Usage;
import io.heady.manager.testing.SpecBuilder;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node's report of an attempt's end: what the task's record keeps of it and how the task goes on. */
class AttemptAccountingTest {
  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
  private static final Usage USED = new Usage(1.25, 0.5, 80L << 20, 4096, 1 << 20);
  private static final Enforcement CGROUP = new Enforcement(Enforcement.CGROUP1, "heady-task",
      new Limits(64, 0, 32, 0), null);

  /** A task with {@code maxAttempts} and limits, dispatched once (its live attempt on node n1). */
  private static TaskRecord dispatched(int maxAttempts, Limits limits) {
    TaskRecord t = new TaskRecord("t1", SpecBuilder.task("work").id("t1").maxAttempts(maxAttempts).spec(), 1, null, T);
    t.start(TaskState.QUEUED, T);
    t.limits(limits);
    t.newAttempt("l1", "n1", T.plusSeconds(1));
    t.moveTo(TaskState.DISPATCHED, T.plusSeconds(1), null);
    return t;
  }

  private static Completion report(String status, int exit, String error, String reason, Usage u, Enforcement e) {
    return new Completion("t1", "n1", "l1", status, exit, 2000, "out", "err", false, error, reason, u, e);
  }

  @Test
  void theTaskKeepsEveryBytePrintedNotJustTheTails() {
    TaskRecord t = dispatched(1, Limits.NONE);
    // a node's count, however short its kept tails ("out" and "err" here)
    AttemptAccounting.completed(t, new Completion("t1", "n1", "l1", "succeeded", 0, 2000, "out", "err", true, null,
        null, Usage.UNKNOWN, null, 123_456), T.plusSeconds(5));
    assertEquals(123_456, t.outputBytes());
    assertEquals(123_456L, t.toJson().getLong("output_bytes"));
    // a node that does not count (an older one): at least the tails it kept, in UTF-8 bytes
    TaskRecord old = dispatched(1, Limits.NONE);
    AttemptAccounting.completed(old, new Completion("t1", "n1", "l1", "succeeded", 0, 2000, "héllo\n", "e", false,
        null), T.plusSeconds(5));
    assertEquals(8, old.outputBytes());
  }

  @Test
  void howEachEndGoesOn() {
    record Case(String status, int exit, String error, String reason, int maxAttempts, boolean succeeded,
        String failure, boolean retry) {}
    Limits asked = new Limits(64, 0, 0, 10);
    for (Case c : List.of(
        new Case("succeeded", 0, null, null, 1, true, null, false),
        new Case("failed", 3, null, null, 1, false, "exit code 3", false),
        new Case("failed", 3, null, null, 2, false, "exit code 3", true),
        new Case("timed_out", -1, null, null, 2, false, "timed out", true),
        new Case("failed", -1, "cwd /nope does not exist", null, 2, false, "cwd /nope does not exist", true),
        // a limit: the next attempt would run under the same limits, so even with attempts left it is not retried
        new Case("failed", 137, null, Completion.OUT_OF_MEMORY, 3, false,
            "out_of_memory: went over its memory limit of 64 MiB and was stopped by its node", false),
        new Case("failed", -1, null, Completion.OUTPUT_LIMIT, 3, false,
            "output_limit: wrote more output than its limit of 10 MiB and was stopped by its node", false),
        // a reason this manager does not know yet leads the text and changes nothing else
        new Case("failed", 1, null, "disk_full", 2, false, "disk_full: exit code 1", true))) {
      TaskRecord t = dispatched(c.maxAttempts(), asked);
      AttemptAccounting.Outcome o = AttemptAccounting.completed(t,
          report(c.status(), c.exit(), c.error(), c.reason(), Usage.UNKNOWN, null), T.plusSeconds(5));
      assertEquals(c.succeeded(), o.succeeded(), c.toString());
      assertEquals(c.failure(), o.failure(), c.toString());
      assertEquals(c.retry(), o.retry(), c.toString());
      Attempt a = t.attemptByLease("l1");
      assertEquals(c.status(), a.outcome(), c.toString());
      assertEquals(c.failure(), a.reason(), "the attempt says why, as the task does: " + c);
      assertEquals(T.plusSeconds(5), a.endedAt());
      assertEquals(c.succeeded() ? 0 : 1, t.taskFailures(), c.toString());
      assertEquals(c.exit(), t.toJson().getInteger("exit_code"), c.toString());
    }
  }

  @Test
  void aLimitNotRetriedSaysSoInTheHistoryOnlyWhenAttemptsWereLeft() {
    TaskRecord left = dispatched(3, new Limits(64, 0, 0, 0));
    AttemptAccounting.completed(left, report("failed", 137, null, Completion.OUT_OF_MEMORY, Usage.UNKNOWN, null), T);
    assertTrue(left.toJson().getJsonArray("history").stream().map(JsonObject.class::cast)
        .anyMatch(h -> "not retried".equals(h.getString("event"))
            && h.getString("detail").startsWith("out_of_memory: the next attempt would run under the same limits")));
    TaskRecord last = dispatched(1, new Limits(64, 0, 0, 0));
    AttemptAccounting.completed(last, report("failed", 137, null, Completion.OUT_OF_MEMORY, Usage.UNKNOWN, null), T);
    assertFalse(last.toJson().getJsonArray("history").stream().map(JsonObject.class::cast)
        .anyMatch(h -> "not retried".equals(h.getString("event"))), "no attempt was left to skip");
  }

  @Test
  void theLimitNamedIsTheOneTheNodeAppliedElseTheOneAsked() {
    Completion applied = report("failed", 137, null, Completion.OUT_OF_MEMORY, Usage.UNKNOWN, CGROUP);
    assertEquals("out_of_memory: went over its memory limit of 64 MiB and was stopped by its node",
        AttemptAccounting.failure(applied, applied.enforcement(), new Limits(512, 0, 0, 0)));
    Completion unsaid = report("failed", 137, null, Completion.OUT_OF_MEMORY, Usage.UNKNOWN, null);
    assertEquals("out_of_memory: went over its memory limit of 512 MiB and was stopped by its node",
        AttemptAccounting.failure(unsaid, null, new Limits(512, 0, 0, 0)));
    assertEquals("out_of_memory: went over its memory limit and was stopped by its node",
        AttemptAccounting.failure(unsaid, null, Limits.NONE), "no number is made up");
  }

  @Test
  void usageAndEnforcementStayWithTheAttemptAndLeadTheRecord() {
    TaskRecord t = dispatched(1, new Limits(64, 0, 32, 0));
    AttemptAccounting.Outcome o = AttemptAccounting.completed(t, report("succeeded", 0, null, null, USED, CGROUP),
        T.plusSeconds(3));
    Attempt a = t.attemptByLease("l1");
    assertEquals(USED, a.usage());
    assertEquals(CGROUP, a.enforcement());
    assertEquals(new JsonObject().put("usage", USED.toJson()), o.event(), "the end event carries the usage");

    JsonObject json = t.toJson();
    assertEquals(USED.toJson(), json.getJsonObject("usage"));
    assertEquals(CGROUP.toJson(), json.getJsonObject("enforcement"));
    assertEquals(USED.toJson(), json.getJsonArray("attempts").getJsonObject(0).getJsonObject("usage"));
    assertEquals(new JsonObject().put("memory_mb", 64).put("pids", 32), json.getJsonObject("limits"));
    TaskRecord back = TaskRecord.fromJson(new JsonObject(json.encode()));
    assertEquals(json, back.toJson(), "a restarted manager reads it back the same");
    assertEquals(USED, back.attemptByLease("l1").usage());
    assertEquals(new Limits(64, 0, 32, 0), back.limits());
  }

  @Test
  void anUnmeasuredAttemptSaysNothingRatherThanMinusOnes() {
    TaskRecord t = dispatched(1, Limits.NONE);
    AttemptAccounting.Outcome o = AttemptAccounting.completed(t, report("succeeded", 0, null, null, Usage.UNKNOWN,
        null), T);
    assertTrue(o.event().isEmpty());
    JsonObject json = t.toJson();
    assertNull(json.getValue("usage"));
    assertNull(json.getValue("enforcement"));
    assertNull(json.getJsonArray("attempts").getJsonObject(0).getValue("usage"));
    assertEquals(new JsonObject(), json.getJsonObject("limits"));
    assertEquals(Usage.UNKNOWN, TaskRecord.fromJson(json).attemptByLease("l1").usage());
  }

  @Test
  void aPartlyMeasuredAttemptKeepsWhatWasMeasured() {
    Usage partly = new Usage(0.4, 0.1, 12L << 20, -1, -1);
    TaskRecord t = dispatched(1, Limits.NONE);
    AttemptAccounting.used(t.endAttempt("cancelled", "stopped by the node", null, T), report("cancelled", -1, null,
        null, partly, null));
    assertEquals(partly.toJson(), t.toJson().getJsonObject("usage"));
  }
}
