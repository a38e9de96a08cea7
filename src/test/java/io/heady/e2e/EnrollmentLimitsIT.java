package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.identity.EnrollProof;
import io.heady.common.identity.Pki;
import io.heady.common.identity.Seal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A join-token holder cannot make the manager keep any number of enrollments: those whose node has not
 * registered are capped (429, with what to do), and an enrollment answered 201 is on disk, so it outlives a
 * manager killed right after the answer. (Expiry after an hour without registering: EnrollmentsTest, with a
 * moved clock.)
 */
class EnrollmentLimitsIT {
  private static final int MAX_PENDING = 200;

  @Test
  void enrollmentsThatNeverRegisterAreCappedAndAnEnrollmentAnsweredSurvivesACrash() throws Exception {
    try (Cluster c = new Cluster().startManager("--local-executor=false")) {
      Seal durable = c.enroll("durable");
      c.restartManager(); // SIGKILL right after the 201
      String reg = new JsonObject().put("node_id", "durable").put("transport", "http")
          .put("tunnel_url", "http://127.0.0.1:9").put("hardware", new JsonObject().put("cpu_cores", 2)
              .put("ram_gb", 1)).encode();
      assertEquals(201, new Api(c.url(), null).sealed(durable, Seal.MANAGER, "POST", "/api/cluster/nodes/register",
          reg).status(), "the node enrolled before the crash is known after it");

      Api join = new Api(c.url(), c.joinToken);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Api.Res>> all = new ArrayList<>();
        for (int i = 0; i < MAX_PENDING; i++) {
          String id = "ghost-" + i;
          all.add(pool.submit(() -> join.post("/api/cluster/enroll", EnrollProof.request("node_id", id, null,
              Pki.newKeyPair(), System.currentTimeMillis()))));
        }
        for (Future<Api.Res> f : all) {
          Api.Res r = f.get(120, TimeUnit.SECONDS);
          assertEquals(201, r.status(), r.raw());
        }
      } finally {
        pool.shutdownNow();
      }
      Api.Res over = join.post("/api/cluster/enroll", EnrollProof.request("node_id", "ghost-more", null,
          Pki.newKeyPair(), System.currentTimeMillis()));
      assertEquals(429, over.status(), over.raw());
      JsonObject err = over.json().getJsonObject("error");
      assertEquals("TOO_MANY_PENDING", err.getString("code"));
      assertTrue(err.getString("message").contains("for their node to register")
          && err.getString("message").contains("rotate it"), err.getString("message"));
      JsonObject listed = c.admin.get("/api/cluster/enrollments").json();
      assertEquals(MAX_PENDING + 1, listed.getInteger("count"), "the refused one is not kept");
    }
  }
}
