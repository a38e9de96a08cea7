package io.heady.manager.placement;

import static io.heady.manager.testing.NodeBuilder.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Priority;
import io.heady.common.protocol.Requirements;
import io.heady.common.protocol.SystemStats;
import io.heady.manager.node.NodeEvent;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.testing.NodeBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The placement pipeline with the built-in policy and default settings: checks, scores, explanations. */
class PlacerTest {
  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
  private final Policy policy = Policy.builtIn();
  private final Placer placer = new Placer(PlacementSettings.DEFAULTS);

  // The seed's machines.
  private final NodeRecord ryzen = node("ryzen9").name("Ryzen 9 Powerhouse").cores(16).ram(32)
      .caps("gcc", "make", "git", "docker").active(T);
  private final NodeRecord laptop = node("laptop").name("Backup Compute Node").cores(8).ram(16)
      .caps("gcc", "make", "git").active(T);
  private final NodeRecord gpuBox = node("gpubox").cores(8).ram(32).gpu("RTX 3090").caps("cuda", "gpu")
      .active(T);
  private final NodeRecord rpi = node("rpi4").cores(4).ram(3.8).arch("aarch64").caps("python").active(T);
  private final NodeRecord cloud = node("local").name("cloud executor").cores(4).ram(8).activeCloud(T);

  private PlacementRequest req(String type, Priority p) {
    return new PlacementRequest("t", policy.type(type), p, false, Requirements.NONE, null, false, Set.of());
  }

  private PlacementRequest pinned(String type, String pin) {
    return new PlacementRequest("t", policy.type(type), Priority.P2, false, Requirements.NONE, pin, false, Set.of());
  }

  private PlacementRequest needing(String type, Requirements r) {
    return new PlacementRequest("t", policy.type(type), Priority.P2, false, r, null, false, Set.of());
  }

  private static JsonObject entry(Placement p, NodeRecord n) {
    for (Object o : p.explain()) {
      JsonObject e = (JsonObject) o;
      if (e.getString("node_id").equals(n.nodeId())) {
        return e;
      }
    }
    throw new AssertionError("no explain entry for " + n.nodeId() + " in " + p.explain().encodePrettily());
  }

  private static void fill(NodeRecord n, int tasks) {
    for (int i = 0; i < tasks; i++) {
      n.running().add(n.nodeId() + "-busy-" + i);
    }
  }

  // ---- the seed's build example ----------------------------------------------------------------------

  @Test
  void buildGoesToThePowerhouseWhichOutscoresTheLaptop91To77() {
    Placement p = placer.place(req("build", Priority.P2), List.of(laptop, ryzen));
    assertSame(ryzen, p.node());
    assertEquals(91.0, p.score(), 1e-9);
    assertEquals(91.0, entry(p, ryzen).getDouble("score"), 1e-9);
    assertEquals(77.0, entry(p, laptop).getDouble("score"), 1e-9);
    assertEquals(Boolean.TRUE, entry(p, ryzen).getBoolean("chosen"));
    assertNull(entry(p, laptop).getBoolean("chosen"));
    JsonObject b = entry(p, ryzen).getJsonObject("breakdown");
    assertEquals(new JsonObject().put("capability", 20.0).put("headroom", 20.0).put("tier", 6.0)
        .put("reliability", 15.0).put("speed", 20.0).put("load", 10.0), b);
    JsonObject small = entry(p, laptop).getJsonObject("breakdown");
    assertEquals(2.0, small.getDouble("tier"));
    assertEquals(10.0, small.getDouble("speed"));
    assertFalse(p.fallback());
    assertTrue(p.summary().contains("Ryzen 9 Powerhouse"));
  }

  @Test
  void withSevenOfEightSlotsBusyTheLaptopWins() {
    fill(ryzen, 7);
    // P2 may fill only 0.7 of the Ryzen's 8 slots (6): it no longer fits at all.
    Placement p2 = placer.place(req("build", Priority.P2), List.of(ryzen, laptop));
    assertSame(laptop, p2.node());
    assertEquals("slots", entry(p2, ryzen).getString("failed_check"));
    // P0 may use 0.9 of 8 (rounded up: 8): it fits, but one free slot of eight scores 2.5, not 20.
    Placement p0 = placer.place(req("build", Priority.P0), List.of(ryzen, laptop));
    assertSame(laptop, p0.node());
    assertEquals(73.5, entry(p0, ryzen).getDouble("score"), 1e-9);
    assertEquals(77.0, entry(p0, laptop).getDouble("score"), 1e-9);
    assertEquals(2.5, entry(p0, ryzen).getJsonObject("breakdown").getDouble("headroom"), 1e-9);
  }

  @Test
  void liveLoadLowersTheScore() {
    ryzen.heartbeat(T, new SystemStats(100, 100, 0, 8, 10));
    Placement p = placer.place(req("build", Priority.P2), List.of(ryzen, laptop));
    // 91 - 10 (load) = 81, still ahead of 77; a CPU above 70 % halves the usable slots (6 -> 3).
    assertSame(ryzen, p.node());
    assertEquals(81.0, p.score(), 1e-9);
    fill(ryzen, 3);
    Placement hot = placer.place(req("build", Priority.P2), List.of(ryzen, laptop));
    assertSame(laptop, hot.node());
    assertEquals("slots", entry(hot, ryzen).getString("failed_check"));
  }

  // ---- location policy ---------------------------------------------------------------------------------

  @Test
  void aiInferenceOnlyOnARealGpuNeverTheCloud() {
    List<NodeRecord> all = List.of(ryzen, laptop, gpuBox, rpi, cloud);
    Placement p = placer.place(req("ai_inference", Priority.P2), all);
    assertSame(gpuBox, p.node());
    assertEquals("gpu", entry(p, ryzen).getString("failed_check"));
    assertEquals("gpu", entry(p, laptop).getString("failed_check"));
    assertEquals("location", entry(p, cloud).getString("failed_check"));
    // Without the GPU node: nothing, and no cloud fallback.
    Placement none = placer.place(req("ai_inference", Priority.P2), List.of(ryzen, laptop, rpi, cloud));
    assertFalse(none.placed());
    assertFalse(none.waitingForSlot());
    assertTrue(none.summary().startsWith("no eligible node"), none.summary());
    // Even a cloud node that claims a GPU is not a GPU node.
    NodeRecord gpuCloud = node("gpucloud").cores(8).ram(32).gpu("A100").activeCloud(T);
    assertFalse(placer.place(req("ai_inference", Priority.P2), List.of(gpuCloud)).placed());
  }

  @Test
  void aTaskThatAsksForAGpuIsNeverFailedOverToTheCloud() {
    Requirements gpu = new Requirements(0, 0, true, null, List.of(), Map.of());
    Placement p = placer.place(needing("shell", gpu), List.of(ryzen, cloud));
    assertFalse(p.placed());
    assertEquals("gpu", entry(p, ryzen).getString("failed_check"));
    assertSame(gpuBox, placer.place(needing("shell", gpu), List.of(ryzen, cloud, gpuBox)).node());
  }

  @Test
  void cloudOnlyTypesNeverRunOnPhysicalNodes() {
    for (String type : List.of("deployment", "site-gen", "verify")) {
      Placement p = placer.place(req(type, Priority.P2), List.of(ryzen, laptop, gpuBox, rpi, cloud));
      assertSame(cloud, p.node(), type);
      assertFalse(p.fallback(), type);
      for (NodeRecord n : List.of(ryzen, laptop, gpuBox, rpi)) {
        assertEquals("location", entry(p, n).getString("failed_check"), type + " on " + n.nodeId());
      }
      Placement noCloud = placer.place(req(type, Priority.P0), List.of(ryzen, laptop, gpuBox, rpi));
      assertFalse(noCloud.placed(), type);
    }
  }

  @Test
  void physicalTypesPreferAgentsOverTheCloudExecutor() {
    Placement p = placer.place(req("shell", Priority.P2), List.of(cloud, rpi));
    assertSame(rpi, p.node());
    assertFalse(p.fallback());
    assertEquals("location", entry(p, cloud).getString("failed_check"));
  }

  // ---- failover ----------------------------------------------------------------------------------------

  @Test
  void failsOverToTheCloudOnlyWhenNoPhysicalNodeIsEligible() {
    ryzen.apply(NodeEvent.TTL_EXPIRED, T);
    laptop.apply(NodeEvent.DRAIN_ON, T);
    Placement p = placer.place(req("build", Priority.P2), List.of(ryzen, laptop, cloud));
    assertSame(cloud, p.node());
    assertTrue(p.fallback());
    assertTrue(p.summary().contains("cloud fallback"), p.summary());
    assertEquals("status", entry(p, ryzen).getString("failed_check"));
    assertEquals("drain", entry(p, laptop).getString("failed_check"));
  }

  @Test
  void doesNotFailOverWhileAPhysicalNodeOnlyLacksAFreeSlot() {
    fill(laptop, 8);
    Placement p = placer.place(req("build", Priority.P2), List.of(laptop, cloud));
    assertFalse(p.placed());
    assertTrue(p.waitingForSlot());
    assertEquals("waiting for a free slot: 1 node (cloud executor): build runs on physical nodes (cloud only as a"
        + " fallback); 1 node (Backup Compute Node): no free slot", p.summary());
  }

  @Test
  void failoverCanBeTurnedOff() {
    Placer strict = new Placer(new PlacementSettings(0.9, 0.8, 0.7, 70, false));
    assertFalse(strict.place(req("build", Priority.P2), List.of(cloud)).placed());
    assertTrue(placer.place(req("build", Priority.P2), List.of(cloud)).fallback());
  }

  // ---- P0, pins, requirements --------------------------------------------------------------------------

  @Test
  void p0NeverGoesToANodeBelow80() {
    for (int i = 0; i < 8; i++) {
      ryzen.recordRan(true, 1);
    }
    ryzen.recordFault();
    ryzen.recordFault(); // 80 - 20 = 60
    assertEquals(60, ryzen.reliability());
    Placement p0 = placer.place(req("build", Priority.P0), List.of(ryzen, laptop));
    assertSame(laptop, p0.node());
    JsonObject e = entry(p0, ryzen);
    assertEquals("reliability", e.getString("failed_check"));
    assertTrue(e.getString("reason").contains("60"), e.getString("reason"));
    assertFalse(placer.place(req("build", Priority.P0), List.of(ryzen)).placed());
    // P1 may still use it.
    assertSame(ryzen, placer.place(req("build", Priority.P1), List.of(ryzen)).node());
    ryzen.recordRan(true, 1); // 9/11 = 82, the streak is over
    assertSame(ryzen, placer.place(req("build", Priority.P0), List.of(ryzen)).node());
    // 80 exactly is enough: 12 ok, 3 faults, none in a row at the end.
    NodeRecord edge = node("edge").cores(8).ram(16).active(T);
    for (int i = 0; i < 3; i++) {
      edge.recordRan(true, 1);
      edge.recordRan(true, 1);
      edge.recordRan(true, 1);
      edge.recordFault();
    }
    edge.recordRan(true, 1);
    edge.recordRan(true, 1);
    edge.recordRan(true, 1);
    assertEquals(80, edge.reliability());
    assertSame(edge, placer.place(req("build", Priority.P0), List.of(edge)).node());
  }

  @Test
  void pinByNameOrIdWorksAndAPinToAMissingNodePlacesNothing() {
    List<NodeRecord> all = List.of(ryzen, laptop, rpi, cloud);
    Placement byName = placer.place(pinned("shell", "Backup Compute Node"), all);
    assertSame(laptop, byName.node());
    assertEquals("pin", entry(byName, ryzen).getString("failed_check"));
    assertSame(rpi, placer.place(pinned("shell", "rpi4"), all).node());
    Placement missing = placer.place(pinned("shell", "mac-mini"), all);
    assertFalse(missing.placed());
    assertFalse(missing.fallback());
    for (NodeRecord n : all) {
      assertEquals("pin", entry(missing, n).getString("failed_check"));
    }
    // A pin to the cloud executor is honoured for a physical type.
    assertSame(cloud, placer.place(pinned("shell", "local"), all).node());
  }

  @Test
  void requirementsOfTheTaskAreChecked() {
    List<NodeRecord> all = List.of(ryzen, rpi);
    Requirements arm = new Requirements(0, 0, false, "aarch64", List.of(), Map.of());
    Placement a = placer.place(needing("shell", arm), all);
    assertSame(rpi, a.node());
    assertEquals("arch", entry(a, ryzen).getString("failed_check"));

    Requirements big = new Requirements(12, 24, false, null, List.of(), Map.of());
    Placement b = placer.place(needing("shell", big), all);
    assertSame(ryzen, b.node());
    assertEquals("cores", entry(b, rpi).getString("failed_check"));

    Requirements ram = new Requirements(1, 16, false, null, List.of(), Map.of());
    assertEquals("ram", entry(placer.place(needing("shell", ram), all), rpi).getString("failed_check"));

    Requirements docker = new Requirements(0, 0, false, null, List.of("docker"), Map.of());
    assertEquals("capabilities",
        entry(placer.place(needing("shell", docker), all), rpi).getString("failed_check"));
    // docker_build requires docker by policy.
    assertEquals("capabilities",
        entry(placer.place(req("docker_build", Priority.P2), List.of(laptop, ryzen)), laptop)
            .getString("failed_check"));

    NodeRecord home = node("home").cores(4).ram(8).label("site", "home").active(T);
    Requirements site = new Requirements(0, 0, false, null, List.of(), Map.of("site", "home"));
    Placement s = placer.place(needing("shell", site), List.of(ryzen, home));
    assertSame(home, s.node());
    assertEquals("labels", entry(s, ryzen).getString("failed_check"));
  }

  @Test
  void anEightGigabyteLaptopAsReportedTakesAnEightGigabyteTask() {
    NodeRecord reported = node("l").cores(4).ram(7.6).active(T);
    Requirements eight = new Requirements(0, 8, false, null, List.of(), Map.of());
    assertSame(reported, placer.place(needing("shell", eight), List.of(reported)).node());
  }

  @Test
  void everyRejectedNodeNamesItsFailingCheck() {
    NodeRecord pending = new NodeRecord(node("pending").cores(16).ram(32).build(), NodeRecord.PHYSICAL, T);
    NodeRecord degraded = node("degraded").cores(16).ram(32).active(T);
    degraded.apply(NodeEvent.RELIABILITY_LOW, T);
    NodeRecord drained = node("drained").cores(16).ram(32).active(T);
    drained.apply(NodeEvent.DRAIN_ON, T);
    NodeRecord tiny = node("tiny").cores(1).ram(1).active(T);
    NodeRecord full = node("full").cores(16).ram(32).active(T);
    fill(full, 8);
    Placement p = placer.place(req("build", Priority.P2),
        List.of(pending, degraded, drained, tiny, cloud, full, laptop));
    assertSame(laptop, p.node());
    Map<NodeRecord, String> want = Map.of(pending, "status", degraded, "status", drained, "drain", tiny, "cores",
        cloud, "location", full, "slots");
    want.forEach((n, check) -> {
      JsonObject e = entry(p, n);
      assertEquals(Boolean.FALSE, e.getBoolean("eligible"), n.nodeId());
      assertEquals(check, e.getString("failed_check"), n.nodeId());
      assertNotNull(e.getString("reason"), n.nodeId());
      assertNull(e.getValue("score"), n.nodeId());
    });
    assertEquals(Boolean.TRUE, entry(p, laptop).getBoolean("eligible"));
    assertEquals(7, p.explain().size());
    assertEquals(NodeStatus.PENDING, pending.status());
  }

  @Test
  void noNodesAtAll() {
    Placement p = placer.place(req("shell", Priority.P2), List.of());
    assertFalse(p.placed());
    assertEquals("no nodes are registered", p.summary());
  }

  // ---- determinism -------------------------------------------------------------------------------------

  @Test
  void tiesGoToFewerRunningThenTheSmallerIdWhateverTheOrder() {
    NodeRecord b = node("b").cores(8).ram(16).active(T);
    NodeRecord a = node("a").cores(8).ram(16).active(T);
    NodeRecord c = node("c").cores(8).ram(16).active(T);
    List<NodeRecord> nodes = new ArrayList<>(List.of(b, a, c));
    for (int i = 0; i < 6; i++) {
      Collections.rotate(nodes, 1);
      if (i == 3) {
        Collections.reverse(nodes);
      }
      Placement p = placer.place(req("shell", Priority.P2), nodes);
      assertSame(a, p.node(), "order " + nodes.stream().map(NodeRecord::nodeId).toList());
    }
  }

  @Test
  void theSameInputsGiveTheSameExplanation() {
    List<NodeRecord> all = List.of(ryzen, laptop, gpuBox, rpi, cloud);
    JsonArray first = placer.place(req("transcribe", Priority.P1), all).explain();
    for (int i = 0; i < 5; i++) {
      assertEquals(first, placer.place(req("transcribe", Priority.P1), all).explain());
    }
  }

  @Test
  void aNodeThatJustLostTheTaskIsTheLastResort() {
    PlacementRequest avoidRyzen = new PlacementRequest("t", policy.type("build"), Priority.P2, false,
        Requirements.NONE, null, false, Set.of("ryzen9"));
    Placement p = placer.place(avoidRyzen, List.of(ryzen, laptop));
    assertSame(laptop, p.node());
    assertEquals(Boolean.TRUE, entry(p, ryzen).getBoolean("avoided"));
    assertSame(ryzen, placer.place(avoidRyzen, List.of(ryzen)).node(), "but still used when it is the only one");
  }

  // ---- the speed controller's shares ---------------------------------------------------------------------

  @Test
  void slotSharesKeepTheLastSlotsForUrgentWork() {
    // 8 slots: P2/P3 (OFF) may fill 6, P1 (ON) 7, P0 and critical-path (MAX) 8.
    assertEquals(6, SlotCheck.usableSlots(req("shell", Priority.P3), ryzen, PlacementSettings.DEFAULTS));
    assertEquals(6, SlotCheck.usableSlots(req("shell", Priority.P2), ryzen, PlacementSettings.DEFAULTS));
    assertEquals(7, SlotCheck.usableSlots(req("shell", Priority.P1), ryzen, PlacementSettings.DEFAULTS));
    assertEquals(8, SlotCheck.usableSlots(req("shell", Priority.P0), ryzen, PlacementSettings.DEFAULTS));
    PlacementRequest critical = new PlacementRequest("t", policy.type("shell"), Priority.P3, true,
        Requirements.NONE, null, false, Set.of());
    assertEquals(8, SlotCheck.usableSlots(critical, ryzen, PlacementSettings.DEFAULTS));
    // A one-slot node is never shut to anyone.
    NodeRecord one = node("one").cores(2).ram(4).active(T);
    assertEquals(1, one.maxConcurrent());
    assertEquals(1, SlotCheck.usableSlots(req("shell", Priority.P3), one, PlacementSettings.DEFAULTS));
  }

  /** A cluster too large to explain node by node: {@code n} x86 nodes, the first {@code armFirst} of them arm. */
  private static List<NodeRecord> many(int n, int armFirst, int slots) {
    List<NodeRecord> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      NodeBuilder b = node(String.format("n%03d", i)).cores(8).ram(16).slots(slots).caps("gcc", "make", "git");
      if (i < armFirst) {
        b.arch("armv7");
      }
      out.add(b.active(T));
    }
    return out;
  }

  @Test
  void aLargeClusterIsSearchedBoundedAndExplainedByCounts() {
    Placer bounded = new Placer(new PlacementSettings(0.9, 0.8, 0.7, 70, true, 8));
    List<NodeRecord> nodes = many(100, 0, 2);
    Placement p = bounded.place(req("build", Priority.P2), nodes);
    assertTrue(p.placed());
    JsonObject counts = p.explain().getJsonObject(p.explain().size() - 1);
    assertEquals(100, counts.getInteger("nodes"));
    assertEquals(8, counts.getInteger("eligible_seen"), "the search stops after the configured candidates");
    assertTrue(p.explain().getJsonObject(0).getBoolean("chosen"));
    Placement next = bounded.place(req("build", Priority.P2), nodes);
    assertNotSame(p.node(), next.node(), "the next search starts where the last one stopped");
  }

  @Test
  void aLargeClusterTellsWaitingFromImpossible() {
    Placer bounded = new Placer(new PlacementSettings(0.9, 0.8, 0.7, 70, true, 8));
    List<NodeRecord> nodes = many(40, 20, 1);
    for (NodeRecord n : nodes.subList(20, 40)) {
      n.running().add(n.nodeId() + "-busy");
    }
    PlacementRequest x86 = needing("build", new Requirements(0, 0, false, "x86_64", List.of(), Map.of()));
    Placement waiting = bounded.place(x86, nodes);
    assertFalse(waiting.placed());
    assertTrue(waiting.waitingForSlot(), "the x86 nodes are only full");
    JsonObject byCheck = waiting.explain().getJsonObject(0).getJsonObject("rejected_by_check");
    assertEquals(20, byCheck.getInteger("arch"));
    assertEquals(20, byCheck.getInteger("slots"));

    Placement never = bounded.place(x86, nodes.subList(0, 20));
    assertFalse(never.waitingForSlot());
    assertEquals("no eligible node: 20 nodes: needs arch x86_64 (has armv7)", never.summary());
    assertEquals("waiting for a free slot: 20 nodes: needs arch x86_64 (has armv7); 20 nodes: no free slot",
        waiting.summary(), "each node counted under its first failing check, a full one too");
  }
}
