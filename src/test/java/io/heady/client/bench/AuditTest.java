package io.heady.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditTest {
  static JsonObject task(String id, String status, String... outcomes) {
    JsonArray attempts = new JsonArray();
    int n = 1;
    for (String o : outcomes) {
      attempts.add(new JsonObject().put("attempt", n++).put("outcome", o));
    }
    return new JsonObject().put("task_id", id).put("status", status).put("attempts", attempts);
  }

  @Test
  void countsLostDuplicatedAndLate() {
    Audit a = new Audit();
    a.add(new JsonArray()
        .add(task("ok", "succeeded", "succeeded"))
        .add(task("retried", "succeeded", "lost", "succeeded"))
        .add(task("twice", "succeeded", "succeeded", "succeeded"))
        .add(task("failed", "failed", "failed"))
        .add(task("queued", "queued"))
        .add(task("other", "succeeded", "succeeded")));
    JsonObject late = task("late", "succeeded", "revoked", "succeeded");
    late.getJsonArray("attempts").getJsonObject(0).put("late_result", new JsonObject().put("status", "succeeded"));
    a.add(late);
    Audit.Verdict v = a.judge(List.of("ok", "retried", "twice", "failed", "queued", "late", "missing", "ok"));
    assertEquals(7, v.tasks()); // "ok" twice counts once
    assertEquals(4, v.succeeded());
    assertEquals(3, v.lost()); // failed, queued, missing
    assertEquals(1, v.duplicates());
    assertEquals(1, v.lateResults());
    assertEquals(1, v.missing());
  }

  @Test
  void nothingIsNothing() {
    Audit.Verdict v = new Audit().judge(List.of());
    assertEquals(0, v.lost());
    assertEquals(0, v.duplicates());
  }
}
