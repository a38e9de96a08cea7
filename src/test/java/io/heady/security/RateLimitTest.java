package io.heady.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.tls.ServerTls;
import io.heady.manager.api.ApiSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Submissions beyond a client's burst get 429 RATE_LIMITED with Retry-After; reads are not limited. */
class RateLimitTest {
  private final Http http = new Http();

  @Test
  void submissionsBeyondTheBurstAre429(@TempDir Path dir) throws Exception {
    try (InProcessManager m = new InProcessManager(dir, new ApiSettings("127.0.0.1", 0, 64 * 1024, true, "",
        ServerTls.NONE, 0.2, 4, 100))) {
      String url = m.url() + "/api/cluster/tasks/route";
      String task = new JsonObject().put("command", "true").put("node", "nowhere").encode();
      for (int i = 0; i < 2; i++) {
        assertEquals(201, http.send("POST", url, m.tokens.admin(), task).status(), "within the burst");
      }
      JsonArray two = new JsonArray().add(new JsonObject().put("command", "true").put("node", "nowhere"))
          .add(new JsonObject().put("command", "true").put("node", "nowhere"));
      assertEquals(201, http.send("POST", url, m.tokens.admin(), new JsonObject().put("tasks", two).encode())
          .status(), "a DAG of two costs two");
      Http.Res r = http.send("POST", url, m.tokens.admin(), task);
      assertEquals(429, r.status(), r.body());
      assertEquals("RATE_LIMITED", new JsonObject(r.body()).getJsonObject("error").getString("code"));
      assertNotNull(r.retryAfter(), "Retry-After is set");
      long after = Long.parseLong(r.retryAfter());
      assertTrue(after >= 1 && after <= 5, "at 0.2/s one token takes five seconds: " + after);
      assertEquals(200, http.send("GET", m.url() + "/api/cluster/state", m.tokens.admin(), null).status(),
          "reads are not limited");
      assertEquals(401, http.send("POST", url, null, task).status(), "auth comes before the limit");
    }
  }
}
