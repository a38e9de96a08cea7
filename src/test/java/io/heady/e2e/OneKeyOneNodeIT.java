package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heady.common.identity.EnrollProof;
import io.heady.common.identity.PairKey;
import io.heady.common.identity.Pki;
import io.heady.common.identity.Seal;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * A key is one node: the holder of a node's key and the join token cannot enroll that key under a second node
 * id, so revoking the node stops its key everywhere. Otherwise the key outlives its revocation as the alias.
 */
class OneKeyOneNodeIT {
  @Test
  void aKeyEnrollsUnderOneNodeIdOnlySoItsRevocationStopsItEverywhere() throws Exception {
    try (Cluster c = new Cluster().startManager("--local-executor=false")) {
      KeyPair kp = Pki.newKeyPair();
      Api join = new Api(c.url(), c.joinToken);
      Api.Res victim = join.post("/api/cluster/enroll", EnrollProof.request("node_id", "victim", null, kp,
          System.currentTimeMillis()));
      assertEquals(201, victim.status(), victim.raw());
      Api.Res alias = join.post("/api/cluster/enroll", EnrollProof.request("node_id", "alias", null, kp,
          System.currentTimeMillis()));
      assertEquals(409, alias.status(), "the same key under another id is refused");
      assertEquals("ID_TAKEN", alias.json().getJsonObject("error").getString("code"));

      assertEquals(200, c.admin.post("/api/cluster/nodes/victim/revoke", "{}").status());
      X509Certificate manager = Pki.certificate(victim.json().getString("manager_certificate"));
      Seal asAlias = Seal.node("alias", PairKey.derive(kp.getPrivate(), manager.getPublicKey(), "alias"),
          Clock.systemUTC());
      String reg = new JsonObject().put("node_id", "alias").put("transport", "http")
          .put("tunnel_url", "http://127.0.0.1:9").put("hardware", new JsonObject().put("cpu_cores", 2)
              .put("ram_gb", 1)).encode();
      assertEquals(401, new Api(c.url(), null).sealed(asAlias, Seal.MANAGER, "POST", "/api/cluster/nodes/register",
          reg).status(), "the revoked key does not register under another name");
      Api.Res again = join.post("/api/cluster/enroll", EnrollProof.request("node_id", "alias", null, kp,
          System.currentTimeMillis()));
      assertEquals(403, again.status(), "a revoked key enrolls nothing: " + again.raw());
    }
  }
}
