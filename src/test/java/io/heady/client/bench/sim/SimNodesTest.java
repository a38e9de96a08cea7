package io.heady.client.bench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.exec.TaskSlots;
import io.heady.common.exec.TaskSlots.Admission;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SimNodes}: a simulated node admits a dispatch as an agent does, and keeps its counts. */
class SimNodesTest {
  private final SimNodes nodes = new SimNodes(new NodeSimulator.Settings(3, 2, 10, "http://127.0.0.1:1", "j", "s-"));

  @Test
  void aNodeTakesTasksUntilItsSlotsAreFullAndRefusesADuplicate() {
    assertEquals(Admission.ACCEPTED, nodes.admit(0, "t1", 1));
    assertEquals(Admission.DUPLICATE, nodes.admit(0, "t1", 2));
    assertEquals(Admission.ACCEPTED, nodes.admit(0, "t2", 3));
    assertEquals(Admission.FULL, nodes.admit(0, "t3", 4));
    assertEquals(Admission.ACCEPTED, nodes.admit(1, "t3", 5), "another node has its own slots");
    NodeSimulator.Snapshot s = nodes.snapshot();
    assertEquals(3, s.dispatches());
    assertEquals(1, s.refused());
    assertEquals(409, TaskSlots.status(Admission.DUPLICATE), "the agent's answer to a duplicate");
  }

  @Test
  void aTaskStaysHeldUntilItsResultIsTakenButFreesItsSlotWhenItEnds() {
    nodes.admit(2, "a", 1);
    nodes.admit(2, "b", 1);
    nodes.ended(2, 10);
    assertEquals(1, nodes.running(2));
    assertEquals(List.of("a", "b"), nodes.held(2));
    assertEquals(Admission.DUPLICATE, nodes.admit(2, "a", 11), "its result is not yet taken");
    nodes.reported(2, "a");
    assertEquals(List.of("b"), nodes.held(2));
    assertEquals(Admission.ACCEPTED, nodes.admit(2, "c", 12));
  }

  @Test
  void placementIsSampledOnlyWhileMeasuring() {
    nodes.admit(0, "a", 0);
    nodes.ended(0, 100);
    nodes.admit(0, "b", 150);
    assertEquals(0, nodes.snapshot().placementSamples());
    nodes.measuring(true);
    nodes.ended(0, 200);
    nodes.admit(0, "c", 260);
    assertEquals(1, nodes.snapshot().placementSamples());
  }

  @Test
  void holdingKeepsTasksUntilReleased() {
    nodes.hold(true);
    assertTrue(nodes.holding());
    nodes.defer(new SimNodes.Held(0, "a", "l1"));
    nodes.defer(new SimNodes.Held(1, "b", "l2"));
    assertEquals(List.of(new SimNodes.Held(0, "a", "l1"), new SimNodes.Held(1, "b", "l2")), nodes.hold(false));
    assertEquals(List.of(), nodes.hold(false), "released once");
  }

  @Test
  void onlyItsOwnIdsNameANode() {
    assertEquals(0, nodes.index("s-0"));
    assertEquals(2, nodes.index("s-2"));
    assertEquals(-1, nodes.index("s-3"));
    assertEquals(-1, nodes.index("s--1"));
    assertEquals(-1, nodes.index("s-x"));
    assertEquals(-1, nodes.index("other-1"));
    assertEquals("s-1", nodes.nodeId(1));
  }
}
