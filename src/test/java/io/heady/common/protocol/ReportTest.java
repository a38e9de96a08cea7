package io.heady.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node's batched report: what it carries survives the wire, and a bad item is named by its place. */
class ReportTest {
  private static Completion result(String id, String node) {
    return new Completion(id, node, "l1", "succeeded", 0, 3, "out", "", false, null);
  }

  @Test
  void roundTrips() {
    Report r = new Report("n1", List.of(new Report.Started("a", "la")), List.of(result("b", "n1")));
    Report back = Report.fromJson(new JsonObject(r.toJson().encode()));
    assertEquals(r, back);
  }

  @Test
  void aBadResultIsNamedByItsPlace() {
    JsonObject j = new Report("n1", List.of(), List.of(result("b", "n1"), result("c", "n1"))).toJson();
    j.getJsonArray("results").getJsonObject(1).put("status", "exploded");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Report.fromJson(j));
    assertEquals("results[1].status", e.field());
  }

  @Test
  void anotherNodesResultIsRefused() {
    JsonObject j = new Report("n1", List.of(), List.of(result("b", "n2"))).toJson();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Report.fromJson(j));
    assertEquals("results[0].node_id", e.field());
  }

  @Test
  void tooManyItemsAreRefused() {
    JsonArray started = new JsonArray();
    for (int i = 0; i <= Report.MAX_ITEMS; i++) {
      started.add(new JsonObject().put("task_id", "t" + i).put("lease_id", "l"));
    }
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Report.fromJson(new JsonObject().put("node_id", "n1").put("started", started)));
    assertTrue(e.getMessage().contains("at most " + Report.MAX_ITEMS), e.getMessage());
  }

  @Test
  void answersCarryTheSingleEndpointsStatus() {
    JsonObject refused = Report.itemRefused("t", new ApiException(ErrorCode.STALE_LEASE, "revoked"));
    assertEquals(409, refused.getInteger("status"));
    assertEquals("STALE_LEASE", refused.getJsonObject("error").getString("code"));
    assertEquals(Boolean.TRUE, Report.itemAccepted("t", true).getBoolean("duplicate"));
  }
}
