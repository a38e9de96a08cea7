package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code heady chaos --local} as a user runs it: 1,000 shell tasks through three agent kills (each agent restarted
 * with its node id and data dir) and one SIGSTOP past the TTL, on the memory store with two event-bus agents and
 * one http agent. Nothing may be lost, failed, doubled or crossed, both completion counters grow by exactly 1,000,
 * every agent is active at the end, and nothing the run started is left running. The seed is fixed so a failure
 * replays with the command line printed in the report. The long run (10,000 tasks, Redis and manager kills) is
 * {@code bench/chaos-soak.sh}, outside this suite.
 */
class ChaosIT {
  static final int TASKS = 1000;

  @Test
  void aThousandTasksSurviveThreeAgentKillsAndAPausePastTheTtl() throws Exception {
    BenchRun r = BenchRun.heady(330, "chaos", "--local", "--json", "--seed", "11", "--store", "memory",
        "--agents", "2", "--http-agents", "1", "--tasks", Integer.toString(TASKS), "--rate", "25",
        "--agent-kills", "3", "--pauses", "1", "--timeout", "120");
    String report = r.out + "\n" + r.err;
    JsonObject j = r.json();
    assertEquals("chaos", j.getString("kind"), report);
    assertEquals(TASKS, j.getInteger("tasks"), report);
    JsonArray steps = j.getJsonArray("steps");
    assertEquals(3, count(steps, "SIGKILL agent "), report);
    assertEquals(3, count(steps, " restarted, same node id and data dir"), report);
    assertEquals(1, count(steps, "SIGSTOP agent "), report);
    assertEquals(1, count(steps, "SIGCONT agent "), report);
    assertTrue(pauseSec(steps) > 4, "the pause outlasts the TTL of 4 s: " + steps.encodePrettily());

    assertEquals(0, j.getInteger("lost"), report);
    assertEquals(0, j.getInteger("failed"), report);
    assertEquals(0, j.getInteger("doubled"), report);
    assertEquals(0, j.getInteger("crossed"), report);
    assertEquals(TASKS, j.getInteger("succeeded"), report);
    assertEquals(TASKS, j.getLong("completed_delta"), report);
    assertEquals(TASKS, j.getLong("nodes_completed_delta"), report);
    assertEquals(3L, j.getLong("agents_active"), report);
    assertEquals(new JsonArray(), j.getJsonArray("violations"), report);
    assertTrue(j.getBoolean("ok"), report);
    assertEquals(0, r.code, report);
    assertTrue(r.out.contains("result: ok, no violation"), report);

    List<Long> pids = r.printedPids();
    assertTrue(pids.size() >= 1 + 3 + 3, "the manager, 3 agents and 3 restarted ones: " + pids + "\n" + report);
    assertEquals(List.of(), BenchRun.alive(pids), "chaos must stop everything it started");
  }

  private static long count(JsonArray steps, String what) {
    return steps.stream().filter(o -> ((JsonObject) o).getString("what").contains(what)).count();
  }

  /** Seconds from the SIGSTOP to the SIGCONT. */
  private static double pauseSec(JsonArray steps) {
    double stop = -1;
    double cont = -1;
    for (Object o : steps) {
      JsonObject s = (JsonObject) o;
      if (s.getString("what").startsWith("SIGSTOP")) {
        stop = s.getDouble("at_sec");
      } else if (s.getString("what").startsWith("SIGCONT")) {
        cont = s.getDouble("at_sec");
      }
    }
    return cont - stop;
  }
}
