package io.heady.manager.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Limits;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.SystemStats;
import io.heady.manager.testing.NodeBuilder;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the store keeps of a node comes back the same after a manager restart. */
class NodeRecordTest {
  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void roundTripThroughJson() {
    NodeRecord n = NodeBuilder.node("ryzen9").name("Ryzen 9").cores(16).ram(31.3).gpu("RTX 3090")
        .caps("gcc", "docker").label("site", "home").member("m1").slots(6).active(T);
    n.apply(NodeEvent.DRAIN_ON, T.plusSeconds(1));
    n.heartbeat(T.plusSeconds(2), new SystemStats(12.5, 40, 50, 1.5, 999));
    for (int i = 0; i < 7; i++) {
      n.recordRan(i != 3, 100);
    }
    n.recordFault();
    NodeRecord back = NodeRecord.fromJson(new JsonObject(n.toJson().encode()));
    JsonObject a = n.toJson();
    JsonObject b = back.toJson();
    a.remove("probe_failures");
    b.remove("probe_failures");
    assertEquals(a, b);
    assertEquals(NodeStatus.DRAINING, back.status());
    assertEquals(n.reliability(), back.reliability());
    assertEquals(Tier.POWERHOUSE, back.tier());
    assertEquals(6, back.maxConcurrent());
    assertTrue(back.drain());
  }

  @Test
  void theContainmentTheNodeReportedIsKeptAndShownAndAnOlderNodeSaysNothing() {
    Enforcement said = new Enforcement(Enforcement.RLIMIT, "heady-task", Limits.NONE,
        "no control group can be made here: limits are per process");
    NodeRecord n = NodeBuilder.node("pi").containment(said).active(T);
    assertEquals(said, n.containment());
    JsonObject json = n.toJson();
    assertEquals(said.toJson(), json.getJsonObject("containment"));
    assertEquals(said, NodeRecord.fromJson(new JsonObject(json.encode())).containment(), "kept over a restart");

    NodeRecord old = NodeBuilder.node("old").active(T);
    assertNull(old.containment());
    assertTrue(old.toJson().containsKey("containment"));
    assertNull(old.toJson().getValue("containment"));

    // a re-registration (an upgraded agent) brings the new report
    old.update(NodeBuilder.node("old").containment(said).build());
    assertEquals(said, old.containment());
  }

  @Test
  void aRegistrationCarriesTheContainmentOnTheWire() {
    Enforcement said = new Enforcement(Enforcement.CGROUP2, "heady-task", Limits.NONE, null);
    Registration r = NodeBuilder.node("n").containment(said).build();
    assertEquals(said, Registration.fromJson(new JsonObject(r.toJson().encode())).containment());
    assertNull(Registration.fromJson(new JsonObject(NodeBuilder.node("n").build().toJson().encode())
        .put("containment", null)).containment());
  }
}
