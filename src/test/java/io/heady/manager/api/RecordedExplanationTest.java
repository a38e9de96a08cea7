package io.heady.manager.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The explanation a standby (or a manager that let the task go) gives from the store: where the task was placed
 * as recorded, and never a placement for a task that is not on a node, even one with an earlier attempt's.
 */
class RecordedExplanationTest {
  private static final JsonArray EXPLAIN = new JsonArray().add(new JsonObject().put("node_id", "n-1")
      .put("eligible", true).put("chosen", true).put("score", 80.0));

  @Test
  void eachStoredTaskIsToldAsItWas() {
    Object[][] table = { // status, node, explain recorded, waiting reason, placed, summary
        {"succeeded", "n-1", EXPLAIN, null, true, "placed on mac (as recorded), succeeded"},
        {"running", "n-1", EXPLAIN, null, true, "placed on mac (as recorded), running"},
        {"queued", "n-1", EXPLAIN, "no eligible node: 1 node (mac): draining", false,
            "not placed: no eligible node: 1 node (mac): draining (as stored; the leader weighs it now)"},
        {"queued", null, null, null, false, "not placed: queued (as stored; the leader weighs it now)"},
        {"cancelled", null, null, null, false, "never placed: cancelled before it reached a node"},
    };
    for (Object[] row : table) {
      JsonObject doc = new JsonObject().put("task_id", "t-1").put("status", row[0]).put("type", "shell")
          .put("priority", "P2").put("node_id", row[1]).put("node_name", row[1] == null ? null : "mac")
          .put("explain", row[2]).put("waiting_reason", row[3]);
      JsonObject x = TaskRoutes.recorded(doc);
      assertEquals(row[4], x.getBoolean("placed"), doc::encode);
      assertEquals(row[5], x.getString("summary"), doc::encode);
      assertEquals(Boolean.TRUE.equals(row[4]) ? EXPLAIN : null, x.getJsonArray("explain"), doc::encode);
    }
  }
}
