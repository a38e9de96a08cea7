package io.heady.manager.placement;

import static io.heady.manager.testing.NodeBuilder.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Priority;
import io.heady.common.protocol.Requirements;
import io.heady.manager.node.NodeRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The grouped waiting reason: nodes counted under the check that turned them away, in one bounded line. */
class ReasonGroupsTest {
  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
  private static final FeasibilityCheck DRAIN = new DrainCheck();
  private static final FeasibilityCheck CORES = new CoresCheck();
  private static final FeasibilityCheck PIN = new PinCheck();
  private static final FeasibilityCheck SLOTS = new SlotCheck();
  private final PlacementRequest req = new PlacementRequest("t", Policy.builtIn().type("general"), Priority.P2,
      false, new Requirements(64, 0, false, null, List.of(), Map.of()), "rpi4", false, Set.of());

  private static NodeRecord n(String name, int cores) {
    return node(name).cores(cores).ram(16).active(T);
  }

  /** A row: the nodes, each with the check it fails (by its order in the placement), and the line expected. */
  private record Row(String line, Object... nodesAndChecks) {}

  @Test
  void groupsComeLargestFirstAndSmallOnesNameTheirNodes() {
    List<Row> table = List.of(
        new Row("1 node (a): draining", n("a", 8), DRAIN),
        new Row("2 nodes (a, b): needs 64 cores (has at most 16)", n("a", 8), CORES, n("b", 16), CORES),
        new Row("1 node (a): needs 64 cores (has 8)", n("a", 8), CORES),
        new Row("3 nodes (a, b, c): draining; 1 node (d): needs 64 cores (has 4)",
            n("a", 8), DRAIN, n("d", 4), CORES, n("b", 8), DRAIN, n("c", 8), DRAIN),
        new Row("4 nodes: draining; 2 nodes (e, f): needs 64 cores (has at most 8)",
            n("e", 8), CORES, n("a", 8), DRAIN, n("b", 8), DRAIN, n("f", 4), CORES, n("c", 8), DRAIN, n("d", 8), DRAIN),
        // equal groups: the placement's check order decides (drain before pin)
        new Row("1 node (rpi4): draining; 1 node (mac): task is pinned to rpi4",
            n("mac", 8), PIN, n("rpi4", 8), DRAIN),
        new Row("no nodes are registered"));
    for (Row row : table) {
      ReasonGroups g = new ReasonGroups();
      for (int i = 0; i < row.nodesAndChecks().length; i += 2) {
        FeasibilityCheck c = (FeasibilityCheck) row.nodesAndChecks()[i + 1];
        g.add(order(c), c, (NodeRecord) row.nodesAndChecks()[i]);
      }
      assertEquals(row.line(), g.describe(req, PlacementSettings.DEFAULTS));
      assertEquals(row.nodesAndChecks().length / 2, g.nodes());
    }
  }

  @Test
  void manyNodesAndManyReasonsStayWithinTheBound() {
    ReasonGroups g = new ReasonGroups();
    List<FeasibilityCheck> checks = List.of(DRAIN, PIN, CORES, new GpuCheck(), SLOTS);
    for (int i = 0; i < 10_000; i++) {
      FeasibilityCheck c = checks.get(i % checks.size());
      g.add(order(c), c, n("node-with-a-rather-long-name-" + i, 8));
    }
    String line = g.describe(req, PlacementSettings.DEFAULTS);
    assertEquals("2000 nodes: draining; 2000 nodes: task is pinned to rpi4; 2000 nodes: needs 64 cores (has at"
        + " most 8); 2000 nodes: needs a GPU (has none); 2000 more nodes: 1 other check (heady explain)", line);
    assertEquals(10_000, g.nodes());

    ReasonGroups named = new ReasonGroups();
    for (int i = 0; i < 12; i++) { // the longest a line can grow: four named groups of long names, then a count
      FeasibilityCheck c = List.of(DRAIN, PIN, CORES, SLOTS).get(i % 4);
      named.add(order(c), c, n("a-very-long-node-name-indeed-" + i, 8));
    }
    for (int i = 0; i < 100; i++) {
      named.add(order(CORES) + 100 + i, new GpuCheck(), n("g" + i, 8)); // a hundred more reasons
    }
    String bounded = named.describe(req, PlacementSettings.DEFAULTS);
    assertTrue(bounded.length() <= ReasonGroups.MAX_CHARS, bounded.length() + ": " + bounded);
    assertTrue(bounded.endsWith("…"), bounded);
  }

  @Test
  void theOtherGroupsAreCountedPastTheFirstFew() {
    ReasonGroups g = new ReasonGroups();
    List<FeasibilityCheck> checks = List.of(DRAIN, PIN, CORES, new GpuCheck(), SLOTS, SLOTS);
    int k = 0;
    for (FeasibilityCheck c : checks) {
      g.add(order(c), c, n("n" + k++, 8));
    }
    assertEquals("2 nodes (n4, n5): no free slot; 1 node (n0): draining; 1 node (n1): task is pinned to rpi4;"
        + " 1 node (n2): needs 64 cores (has 8); 1 more node: 1 other check (heady explain)",
        g.describe(req, PlacementSettings.DEFAULTS));
  }

  @Test
  void aLongNameIsShortened() {
    String longName = "x".repeat(100);
    assertEquals("1 node (" + "x".repeat(23) + "…)", ReasonGroups.label(List.of(n(longName, 8))));
  }

  /** The check's place in the placement's own order. */
  private static int order(FeasibilityCheck c) {
    List<String> order = List.of("status", "drain", "refusing", "pin", "location", "arch", "cores", "ram", "gpu",
        "capabilities", "labels", "reliability", "held", "slots");
    return order.indexOf(c.name());
  }
}
