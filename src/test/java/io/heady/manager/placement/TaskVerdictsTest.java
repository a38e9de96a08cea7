package io.heady.manager.placement;

import static io.heady.manager.testing.NodeBuilder.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Priority;
import io.heady.common.protocol.Requirements;
import io.heady.manager.node.NodeEvent;
import io.heady.manager.node.NodeRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A task's requirements weighed against every node by every check ({@link Placer#verdicts}): what {@code heady
 * explain} shows of a task not on a node. Every failing check of every node, the same reason placement gives,
 * and the node placement would choose.
 */
class TaskVerdictsTest {
  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
  private final Policy policy = Policy.builtIn();
  private final Placer placer = new Placer(PlacementSettings.DEFAULTS);

  private PlacementRequest req(Requirements r, String pin, Priority p) {
    return new PlacementRequest("t", policy.type("general"), p, false, r, pin, false, Set.of());
  }

  private static Requirements cores(int c) {
    return new Requirements(c, 0, false, null, List.of(), Map.of());
  }

  private static NodeRecord drained(NodeRecord n) {
    n.apply(NodeEvent.DRAIN_ON, T);
    return n;
  }

  private static List<String> checks(NodeVerdict v) {
    return v.failures().stream().map(CheckFailure::check).toList();
  }

  @Test
  void aSixtyFourCoreTaskFailsTheCoresCheckOnEveryNodeWhateverElseFails() {
    NodeRecord mac = node("mac").cores(8).ram(16).active(T);
    NodeRecord rpi = drained(node("rpi4").cores(4).ram(8).arch("aarch64").active(T));
    NodeRecord pc = node("pc").cores(16).ram(32).active(T);
    TaskVerdicts v = placer.verdicts(req(cores(64), null, Priority.P2), List.of(mac, rpi, pc));
    assertNull(v.best(), "no node can take it");
    assertEquals(3, v.nodes().size(), "every node is weighed");
    for (NodeVerdict n : v.nodes()) {
      assertFalse(n.feasible());
      assertTrue(checks(n).contains("cores"), n.toString());
    }
    assertEquals(List.of("drain", "cores"), checks(v.nodes().get(1)), "every failing check, not only the first");
    assertEquals("needs 64 cores, node has 4", v.nodes().get(1).failures().get(1).reason());
    assertTrue(v.nodes().get(1).failures().get(1).lasting());
    assertFalse(v.nodes().get(1).failures().get(0).lasting(), "a drain passes");
    assertEquals("no eligible node: 2 nodes (mac, pc): needs 64 cores (has at most 16); 1 node (rpi4): draining",
        v.reason());
    assertEquals(v.reason(), placer.place(req(cores(64), null, Priority.P2), List.of(mac, rpi, pc)).summary(),
        "the same words as the placement itself");
  }

  @Test
  void theReasonIsThePlacementsForEveryShapeOfCluster() {
    NodeRecord mac = node("mac").cores(8).ram(16).active(T);
    NodeRecord full = node("full").cores(8).ram(16).slots(1).active(T);
    full.running().add("busy");
    NodeRecord rpi = drained(node("rpi4").cores(4).ram(8).active(T));
    NodeRecord cloud = node("local").cores(4).ram(8).activeCloud(T);
    Object[][] table = { // requirements, pin, nodes, the reason (null: a node could take it now)
        {cores(0), "rpi4", List.of(mac, rpi), "no eligible node: 1 node (rpi4): draining; 1 node (mac): task is"
            + " pinned to rpi4"},
        {cores(0), "rpi4", List.of(rpi), "no eligible node: 1 node (rpi4): draining"},
        {cores(0), null, List.of(full, rpi), "waiting for a free slot: 1 node (rpi4): draining; 1 node (full): no"
            + " free slot"},
        {cores(0), null, List.of(), "no nodes are registered"},
        {cores(0), null, List.of(mac, rpi), null},
        {cores(6), null, List.of(rpi, cloud), "no eligible node: 1 node (rpi4): draining; 1 node (local): needs 6"
            + " cores (has 4)"},
    };
    for (Object[] row : table) {
      @SuppressWarnings("unchecked")
      List<NodeRecord> nodes = (List<NodeRecord>) row[2];
      PlacementRequest r = req((Requirements) row[0], (String) row[1], Priority.P2);
      TaskVerdicts v = placer.verdicts(r, nodes);
      assertEquals(row[3], v.reason(), () -> java.util.Arrays.toString(row));
      Placement p = placer.place(r, nodes);
      assertEquals(row[3] == null, p.placed());
      if (row[3] != null) {
        assertEquals(row[3], p.summary(), "the pass says what explain says");
      }
    }
  }

  @Test
  void aFeasibleNodeHasItsScoreAndTheBestIsThePlacementsChoice() {
    NodeRecord mac = node("mac").cores(8).ram(16).active(T);
    NodeRecord pc = node("pc").cores(16).ram(32).active(T);
    PlacementRequest r = req(cores(2), null, Priority.P2);
    TaskVerdicts v = placer.verdicts(r, List.of(mac, pc));
    assertSame(pc, v.best().node());
    assertSame(placer.place(r, List.of(mac, pc)).node(), v.best().node());
    assertNull(v.reason());
    for (NodeVerdict n : v.nodes()) {
      assertTrue(n.feasible());
      assertEquals(n.score(), n.breakdown().values().stream().mapToDouble(Double::doubleValue).sum(), 0.5);
    }
  }

  @Test
  void thePhysicalFailoverToTheCloudIsWeighedAsPlacementWouldBe() {
    NodeRecord rpi = node("rpi4").cores(4).ram(8).arch("aarch64").active(T);
    NodeRecord cloud = node("local").cores(4).ram(8).activeCloud(T);
    PlacementRequest r = new PlacementRequest("t", policy.type("build"), Priority.P2, false,
        new Requirements(0, 0, false, "x86_64", List.of(), Map.of()), null, false, Set.of());
    TaskVerdicts v = placer.verdicts(r, List.of(rpi, cloud));
    Placement p = placer.place(r, List.of(rpi, cloud));
    assertSame(p.node(), v.best() == null ? null : v.best().node());
    assertEquals(p.fallback(), v.fallback());
  }

  @Test
  void aTaskNoNodeCouldEverTakeNamesTheCloudExecutorsFallbackReason() {
    NodeRecord rpi = node("rpi4").cores(4).ram(8).active(T);
    NodeRecord cloud = node("local").cores(2).ram(8).activeCloud(T);
    PlacementRequest r = req(cores(64), null, Priority.P2);
    assertEquals("no node in the cluster can take this task: 2 nodes (rpi4, local): needs 64 cores (has at most 4)",
        placer.unplaceable(r, List.of(rpi, cloud)), "the cloud executor is weighed as the failover would weigh it");
    assertNull(placer.unplaceable(req(cores(2), null, Priority.P2), List.of(node("tiny").cores(1).ram(8).active(T),
        cloud)), "the failover could take it");
  }
}
