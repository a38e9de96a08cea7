package io.heady.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node's refusal on the wire: in the heartbeat, round trip, bounded; absent means it takes work. */
class RefusalTest {
  @Test
  void travelsInTheHeartbeat() {
    Refusal r = Refusal.diskFull("only 12 MB free on the disk under /data");
    Heartbeat hb = new Heartbeat("n1", 0, List.of(), SystemStats.EMPTY, Map.of(), r);
    JsonObject wire = hb.toJson();
    assertEquals("disk_full", wire.getJsonObject("refusing").getString("reason"));
    assertEquals(r, Heartbeat.fromJson(wire).refusing());
    assertNull(Heartbeat.fromJson(new Heartbeat("n1", 0, List.of(), SystemStats.EMPTY).toJson()).refusing(),
        "no refusal: it takes work");
    assertNull(Heartbeat.fromJson(new JsonObject().put("node_id", "n1")).refusing(), "an older agent sends none");
  }

  @Test
  void describesItselfForPeople() {
    assertEquals("disk_full (only 12 MB free)", Refusal.diskFull("only 12 MB free").describe());
    assertEquals("disk_full", new Refusal("disk_full", null).describe());
  }

  @Test
  void badInputNamesTheField() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Heartbeat.fromJson(new JsonObject()
        .put("node_id", "n1").put("refusing", new JsonObject().put("reason", "Disk Full!"))));
    assertEquals("refusing.reason", e.field());
    assertThrows(InvalidInputException.class, () -> Heartbeat.fromJson(new JsonObject().put("node_id", "n1")
        .put("refusing", new JsonObject().put("reason", "disk_full").put("message", "x".repeat(513)))));
    assertThrows(InvalidInputException.class, () -> new Refusal("disk_full", "line\nbreak"));
    assertThrows(InvalidInputException.class, () -> Heartbeat.fromJson(new JsonObject().put("node_id", "n1")
        .put("refusing", "disk_full")));
  }
}
