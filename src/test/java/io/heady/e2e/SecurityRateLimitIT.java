package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.security.RawHttp;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The per-client submission limit on the real manager: a client past its burst gets 429 RATE_LIMITED with
 * Retry-After, another client (same token, another address) is not held back, and waiting the advertised
 * time is enough.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityRateLimitIT {
  private Cluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster().startManager("--submit-rate=1", "--submit-burst=3");
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private RawHttp.Res submitFrom(String local) {
    byte[] body = new JsonObject().put("command", "true").put("node", "nowhere").encode()
        .getBytes(StandardCharsets.UTF_8);
    try {
      return RawHttp.send("127.0.0.1", cluster.port, local, "POST", "/api/cluster/tasks/route", cluster.adminToken,
          body, 10_000);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aClientPastItsBurstIsToldToWait() {
    for (int i = 0; i < 3; i++) {
      assertEquals(201, submitFrom("127.0.0.1").status(), "submission " + i + " is within the burst");
    }
    RawHttp.Res limited = submitFrom("127.0.0.1");
    assertEquals(429, limited.status(), limited.body());
    assertEquals("RATE_LIMITED", new JsonObject(limited.body()).getJsonObject("error").getString("code"));
    String after = limited.header("Retry-After");
    assertNotNull(after, limited.head());
    assertTrue(Integer.parseInt(after) >= 1, after);

    assertEquals(201, submitFrom("127.0.0.2").status(), "another address has its own bucket");
    assertEquals(200, cluster.admin.get("/api/cluster/state").status(), "reads are not limited");

    Poll.until("a submission after Retry-After", Duration.ofSeconds(Integer.parseInt(after) + 10),
        () -> submitFrom("127.0.0.1").status() == 201);
  }
}
