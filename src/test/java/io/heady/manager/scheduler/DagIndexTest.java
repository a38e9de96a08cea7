package io.heady.manager.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cycle detection that names the cycle, no false alarms, and the critical path by duration. */
class DagIndexTest {

  /** Edges as "task:dep,dep task:dep ...", kept in the given order. */
  private static Map<String, List<String>> g(String spec) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String part : spec.trim().split("\\s+")) {
      String[] kv = part.split(":", -1);
      m.put(kv[0], kv.length < 2 || kv[1].isEmpty() ? List.of() : List.of(kv[1].split(",")));
    }
    return m;
  }

  private static void assertIsCycle(Map<String, List<String>> edges, List<String> cycle) {
    assertTrue(cycle.size() >= 2, "a cycle: " + cycle);
    assertEquals(cycle.get(0), cycle.get(cycle.size() - 1), "closes on itself: " + cycle);
    for (int i = 0; i + 1 < cycle.size(); i++) {
      assertTrue(edges.get(cycle.get(i)).contains(cycle.get(i + 1)), "edge " + cycle.get(i) + " -> "
          + cycle.get(i + 1) + " in " + cycle);
    }
  }

  @Test
  void aThreeCycleIsNamedInOrder() {
    assertEquals(List.of("a", "b", "c", "a"), DagIndex.findCycle(g("a:b b:c c:a")));
  }

  @Test
  void aCycleBehindAnAcyclicPrefixIsNamedWithoutThePrefix() {
    Map<String, List<String>> e = g("start:x x:y y:z z:x");
    List<String> cycle = DagIndex.findCycle(e);
    assertEquals(List.of("x", "y", "z", "x"), cycle);
    assertIsCycle(e, cycle);
  }

  @Test
  void aTwoCycleAndASelfLoop() {
    assertEquals(List.of("a", "b", "a"), DagIndex.findCycle(g("a:b b:a")));
    assertEquals(List.of("a", "a"), DagIndex.findCycle(g("a:a")));
  }

  @Test
  void aCycleFoundFromAnyStart() {
    Map<String, List<String>> e = g("ok1: ok2:ok1 p:q q:r r:s s:q");
    List<String> cycle = DagIndex.findCycle(e);
    assertIsCycle(e, cycle);
    assertEquals(List.of("q", "r", "s", "q"), cycle);
  }

  @Test
  void noFalsePositives() {
    assertEquals(List.of(), DagIndex.findCycle(g("a:b,c b:d c:d d:")), "diamond");
    assertEquals(List.of(), DagIndex.findCycle(g("a:b,c,d b:c,d c:d d:")), "every forward edge");
    assertEquals(List.of(), DagIndex.findCycle(g("a: b: c:")), "no edges");
    assertEquals(List.of(), DagIndex.findCycle(g("a:x b:x,a")), "edges to tasks outside the batch");
    // Two diamonds sharing a bottom, visited from several roots.
    assertEquals(List.of(), DagIndex.findCycle(g("r1:m1,m2 r2:m2,m3 m1:z m2:z m3:z z:")));
  }

  @Test
  void aLongChainIsNoCycleAndDoesNotOverflowTheStack() {
    Map<String, List<String>> e = new LinkedHashMap<>();
    for (int i = 0; i < 5000; i++) {
      e.put("t" + i, i == 0 ? List.of() : List.of("t" + (i - 1)));
    }
    assertEquals(List.of(), DagIndex.findCycle(e));
    e.put("t0", List.of("t4999"));
    assertEquals(5001, DagIndex.findCycle(e).size());
  }

  @Test
  void criticalPathFollowsTheLongestDuration() {
    // a -> (b: 10 | c: 5) -> d
    Map<String, List<String>> e = g("a: b:a c:a d:b,c");
    Map<String, Long> ms = Map.of("a", 1L, "b", 10L, "c", 5L, "d", 1L);
    assertEquals(List.of("a", "b", "d"), DagIndex.criticalPath(e, ms::get));
    Map<String, Long> flipped = Map.of("a", 1L, "b", 5L, "c", 10L, "d", 1L);
    assertEquals(List.of("a", "c", "d"), DagIndex.criticalPath(e, flipped::get));
  }

  @Test
  void criticalPathIsByDurationNotByHops() {
    // A long single task outweighs a chain of three short ones.
    Map<String, List<String>> e = g("x1: x2:x1 x3:x2 big:");
    Map<String, Long> ms = Map.of("x1", 10L, "x2", 10L, "x3", 10L, "big", 100L);
    assertEquals(List.of("big"), DagIndex.criticalPath(e, ms::get));
    // Without estimates every task counts as one: the longest chain wins.
    assertEquals(List.of("x1", "x2", "x3"), DagIndex.criticalPath(e, t -> 0L));
  }

  @Test
  void criticalPathOfTheLargestBatchByDefault() {
    int max = io.heady.common.config.Config.defaults("manager").integer(io.heady.common.config.Keys.MAX_DAG_TASKS);
    Map<String, List<String>> e = new LinkedHashMap<>();
    for (int i = max - 1; i >= 0; i--) { // listed last-first, one chain: the deepest such a batch can be
      e.put("t" + i, i == 0 ? List.of() : List.of("t" + (i - 1)));
    }
    List<String> path = DagIndex.criticalPath(e, t -> 1L);
    assertEquals(max, path.size());
    assertEquals(List.of(), DagIndex.findCycle(e));
    assertEquals("t0", path.get(0));
  }

  @Test
  void dependentsIndex() {
    DagIndex d = new DagIndex();
    d.link("c", List.of("a", "b"));
    d.link("e", List.of("a"));
    assertEquals(List.of("c", "e"), d.dependents("a"));
    assertEquals(List.of("c"), d.dependents("b"));
    assertEquals(List.of(), d.dependents("c"));
    d.forget("a");
    assertEquals(List.of(), d.dependents("a"));
  }
}
