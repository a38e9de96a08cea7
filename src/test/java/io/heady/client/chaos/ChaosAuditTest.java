package io.heady.client.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit over task records as the manager serves them: a clean run passes, each violation is found. */
class ChaosAuditTest {
  private final Map<String, JsonObject> records = new HashMap<>();
  private final List<ChaosAudit.Sent> sent = new ArrayList<>();
  private final Map<String, String> agents = new LinkedHashMap<>(Map.of("chaos-a1", "active"));
  private ChaosAudit.Counts after = new ChaosAudit.Counts(0, 0);

  /** A task sent and recorded with these attempts ({@code node:outcome:reason}); stdout its marker if it succeeded. */
  private JsonObject task(String id, String status, String... attempts) {
    JsonArray at = new JsonArray();
    int n = 1;
    for (String a : attempts) {
      String[] p = a.split(":", 3);
      at.add(new JsonObject().put("attempt", n++).put("node_id", p[0]).put("outcome", p[1])
          .put("reason", p.length > 2 ? p[2] : null));
    }
    JsonObject t = new JsonObject().put("task_id", id).put("status", status).put("attempts", at)
        .put("result", new JsonObject().put("stdout", "succeeded".equals(status) ? id + "\n" : ""));
    records.put(id, t);
    sent.add(new ChaosAudit.Sent(id, id, null, "succeeded".equals(status) ? 1 : 0));
    if ("succeeded".equals(status)) {
      after = new ChaosAudit.Counts(after.managerCompleted() + 1, after.nodesCompleted() + 1);
    }
    return t;
  }

  private ChaosAudit.Verdict judge() {
    return ChaosAudit.judge(sent, records::get, new ChaosAudit.Counts(0, 0), after, agents, List.of());
  }

  private void clean(int n) {
    for (int i = 0; i < n; i++) {
      task("chaos-r-" + i, "succeeded", "chaos-a1:succeeded");
    }
  }

  @Test
  void aCleanRunPasses() {
    clean(5);
    task("chaos-r-retried", "succeeded", "chaos-a1:lost:node lost", "chaos-a1:succeeded");
    ChaosAudit.Verdict v = judge();
    assertEquals(6, v.tasks());
    assertEquals(6, v.succeeded());
    assertEquals(List.of(), v.violations());
    assertTrue(v.ok());
    assertEquals(6, v.managerDelta());
    assertEquals(1, v.agentsActive());
  }

  @Test
  void lostTasksAreFoundWhateverTheWay() {
    clean(2);
    sent.add(new ChaosAudit.Sent("chaos-r-refused", "chaos-r-refused", "refused with 400 INVALID_FIELD", 0));
    sent.add(new ChaosAudit.Sent("chaos-r-unknown", "chaos-r-unknown", null, 0));
    task("chaos-r-queued", "queued", "chaos-a1:lost:node lost");
    after = new ChaosAudit.Counts(5, 5); // the counters are judged apart: only the lost tasks here
    ChaosAudit.Verdict v = judge();
    assertEquals(3, v.lost().size(), v.lost().toString());
    assertTrue(v.lost().get(0).detail().startsWith("never accepted: refused with 400"), v.lost().toString());
    assertEquals("accepted, then unknown to the manager", v.lost().get(1).detail());
    assertTrue(v.lost().get(2).detail().startsWith("still queued at the end; attempts: #1 chaos-a1 lost (node lost)"),
        v.lost().get(2).detail());
    assertTrue(v.violations().contains("3 lost"), v.violations().toString());
    assertFalse(v.ok());
  }

  @Test
  void failedTasksAreFoundWithTheirReason() {
    clean(1);
    JsonObject t = task("chaos-r-f", "failed", "chaos-h1:failed:dispatch failed: Connection refused",
        "chaos-h1:failed:dispatch failed: refused: full");
    t.put("reason", "failed after 2 attempts");
    task("chaos-r-t", "timed_out", "chaos-a1:timed_out");
    ChaosAudit.Verdict v = judge();
    assertEquals(2, v.failed().size());
    assertEquals("failed: failed after 2 attempts; attempts: #1 chaos-h1 failed (dispatch failed: Connection refused),"
        + " #2 chaos-h1 failed (dispatch failed: refused: full)", v.failed().get(0).detail());
    assertTrue(v.failed().get(1).detail().startsWith("timed_out"), v.failed().get(1).detail());
    assertEquals(0, v.lost().size());
    assertTrue(v.violations().contains("2 failed"), v.violations().toString());
  }

  @Test
  void aResultRecordedTwiceIsDoubledByItsAttemptsOrByItsEvents() {
    clean(1);
    task("chaos-r-twice", "succeeded", "chaos-a1:succeeded", "chaos-h1:succeeded");
    task("chaos-r-events", "succeeded", "chaos-a1:succeeded");
    sent.set(sent.size() - 1, new ChaosAudit.Sent("chaos-r-events", "chaos-r-events", null, 2));
    after = new ChaosAudit.Counts(3, 3);
    ChaosAudit.Verdict v = judge();
    assertEquals(2, v.doubled().size(), v.doubled().toString());
    assertEquals("2 attempts succeeded (#1 on chaos-a1, #2 on chaos-h1)", v.doubled().get(0).detail());
    assertEquals("seen succeeding 2 times on the event stream", v.doubled().get(1).detail());
    assertEquals(List.of("2 doubled"), v.violations());
  }

  @Test
  void anOutputThatIsNotExactlyItsOwnLineIsCrossed() {
    clean(1);
    task("chaos-r-5", "succeeded", "chaos-a1:succeeded").getJsonObject("result").put("stdout", "chaos-r-6\n");
    task("chaos-r-7", "succeeded", "chaos-a1:succeeded").getJsonObject("result").put("stdout", "chaos-r-7");
    task("chaos-r-8", "succeeded", "chaos-a1:succeeded").getJsonObject("result")
        .put("stdout", "chaos-r-8\nchaos-r-8\n");
    task("chaos-r-9", "succeeded", "chaos-a1:succeeded").getJsonObject("result").putNull("stdout");
    ChaosAudit.Verdict v = judge();
    assertEquals(4, v.crossed().size(), v.crossed().toString());
    assertEquals("stdout was 'chaos-r-6\\n', not its own line 'chaos-r-5\\n'", v.crossed().get(0).detail());
    assertEquals("stdout was nothing, not its own line 'chaos-r-9\\n'", v.crossed().get(3).detail());
    assertEquals(List.of("4 crossed"), v.violations());
    assertEquals(5, v.succeeded(), "a crossed task still succeeded");
  }

  @Test
  void countersMustGrowByExactlyTheNumberOfTasks() {
    clean(3);
    after = new ChaosAudit.Counts(4, 2);
    ChaosAudit.Verdict v = judge();
    assertEquals(List.of("the manager's completed counter grew by 4, not 3",
        "the agents' tasks_completed grew by 2 in all, not 3"), v.violations());
    ChaosAudit.Verdict fromNonZero = ChaosAudit.judge(sent, records::get, new ChaosAudit.Counts(10, 7),
        new ChaosAudit.Counts(13, 10), agents, List.of());
    assertTrue(fromNonZero.ok(), fromNonZero.violations().toString());
  }

  @Test
  void everyAgentMustBeActiveAtTheEnd() {
    clean(1);
    agents.put("chaos-a2", "degraded");
    agents.put("chaos-h1", "missing");
    ChaosAudit.Verdict v = judge();
    assertEquals(List.of("agent chaos-a2 is degraded at the end, not active",
        "agent chaos-h1 is missing at the end, not active"), v.violations());
    assertEquals(1, v.agentsActive());
  }

  @Test
  void aFaultThatCouldNotBeDoneIsAViolation() {
    clean(1);
    ChaosAudit.Verdict v = ChaosAudit.judge(sent, records::get, new ChaosAudit.Counts(0, 0), after, agents,
        List.of("+9.0 s  SIGKILL the manager: IllegalStateException: gave up waiting"));
    assertEquals(List.of("fault step failed: +9.0 s  SIGKILL the manager: IllegalStateException: gave up waiting"),
        v.violations());
  }

  @Test
  void lateResultsAreCountedButAreNoViolation() {
    task("chaos-r-late", "succeeded", "chaos-a1:revoked", "chaos-h1:succeeded").getJsonArray("attempts")
        .getJsonObject(0).put("late_result", new JsonObject().put("status", "succeeded"));
    ChaosAudit.Verdict v = judge();
    assertEquals(1, v.lateResults());
    assertTrue(v.ok(), v.violations().toString());
  }

  @Test
  void theJsonCarriesCountsViolationsAndFindings() {
    clean(1);
    task("chaos-r-f", "failed", "chaos-h1:failed:x");
    JsonObject j = judge().toJson();
    assertEquals(2, j.getInteger("tasks"));
    assertEquals(1, j.getInteger("failed"));
    assertEquals(0, j.getInteger("lost"));
    assertEquals("chaos-r-f", j.getJsonObject("findings").getJsonArray("failed").getJsonObject(0)
        .getString("task_id"));
    assertEquals("active", j.getJsonObject("agent_status").getString("chaos-a1"));
    assertTrue(j.getJsonArray("violations").contains("1 failed"), j.encode());
  }
}
