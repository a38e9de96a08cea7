package io.heady.client.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The printed table and the JSON line of a chaos run. */
class ChaosReportTest {
  static ChaosRun.Result result(ChaosAudit.Verdict v) {
    ChaosSettings s = new ChaosSettings(true, "redis", 3, 1, 2, 2, 20, 200, 1, 0, 8, 0, 0, 1, 300);
    FaultPlan plan = FaultPlan.of(new FaultPlan.Spec(42, 100, List.of("chaos-a1"), 1, 0, 8, 0, 0, 1));
    return new ChaosRun.Result(s, plan, "r", Instant.parse("2025-01-02T03:04:05Z"), 12.5,
        List.of(new FaultRunner.Entry(20.04, Instant.parse("2025-01-02T03:04:25.040Z"),
            "SIGKILL agent chaos-a1 (pid 77, 2 tasks running)")),
        v, 12, 3, new java.util.TreeMap<>(Map.of("503 STORE_UNAVAILABLE", 10L, "no answer", 2L)), 2, List.of("chaos-r-1"), List.of(), false,
        Path.of("/tmp/x"));
  }

  static ChaosAudit.Verdict verdict(List<ChaosAudit.Finding> failed, long completed) {
    return new ChaosAudit.Verdict(2, 2 - failed.size(), List.of(), failed, List.of(), List.of(), 1, completed,
        completed, Map.of("chaos-a1", "active"), List.of());
  }

  @Test
  void aCleanRunSaysOkWithItsStepsAndCounts() {
    String t = ChaosReport.table(result(verdict(List.of(), 2)));
    assertTrue(t.startsWith("heady chaos: seed 42, 2 tasks at 20/s, redis store, 3 event-bus + 1 http agents"), t);
    assertTrue(t.contains("03:04:25.040  +  20.0 s  SIGKILL agent chaos-a1 (pid 77, 2 tasks running)"), t);
    assertTrue(t.contains("submit retries  12 for 3 tasks (503 STORE_UNAVAILABLE: 10, no answer: 2)"), t);
    assertTrue(t.contains("replay: heady chaos --local --seed 42 --store redis"), t);
    assertTrue(t.strip().endsWith("result: ok, no violation"), t);
  }

  @Test
  void aViolationIsListedWithEachFinding() {
    String t = ChaosReport.table(result(verdict(List.of(new ChaosAudit.Finding("chaos-r-1", "failed: boom")), 1)));
    assertTrue(t.contains("failed (1)\n  chaos-r-1: failed: boom\n"), t);
    assertTrue(t.contains("result: FAILED: 1 failed; the manager's completed counter grew by 1, not 2"), t);
  }

  @Test
  void findingsAreCountedByCauseFirst() {
    List<ChaosAudit.Finding> f = List.of(new ChaosAudit.Finding("t1", "failed: lost 6 times; attempts: #1 a"),
        new ChaosAudit.Finding("t2", "failed: lost 6 times; attempts: #1 b"),
        new ChaosAudit.Finding("t3", "timed_out"));
    assertEquals(Map.of("failed: lost 6 times", 2L, "timed_out", 1L), ChaosReport.byCause(f));
    assertEquals("failed: lost 6 times", ChaosReport.byCause(f).keySet().iterator().next());
    ChaosAudit.Verdict v = new ChaosAudit.Verdict(3, 0, List.of(), f, List.of(), List.of(), 0, 0, 0,
        Map.of("chaos-a1", "active"), List.of());
    String t = ChaosReport.table(result(v));
    assertTrue(t.contains("failed (3)\n      2 x failed: lost 6 times\n      1 x timed_out\n  each:\n  t1: "), t);
  }

  @Test
  void theJsonLineHoldsTheSettingsTheStepsAndTheVerdict() {
    JsonObject j = ChaosReport.json(result(verdict(List.of(), 2)));
    assertEquals("chaos", j.getString("kind"));
    assertTrue(j.getBoolean("ok"));
    assertEquals(42L, j.getLong("seed"));
    assertEquals(3, j.getInteger("agents"));
    assertEquals(12L, j.getLong("submit_retries"));
    assertEquals(20.0, j.getJsonArray("steps").getJsonObject(0).getDouble("at_sec"));
    assertEquals(0, j.getInteger("lost"));
    assertEquals(2L, j.getLong("completed_delta"));
    assertEquals(1L, j.getLong("agents_active"));
    assertEquals(1, j.getInteger("read_back"));
  }
}
