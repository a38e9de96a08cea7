package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * The event bus speaks TLS with client certificates by default: agents enroll, carry the cluster and its
 * tasks over it, and a peer without a certificate of the cluster's CA is refused in the handshake.
 */
class BusTlsIT {
  @Test
  void anEncryptedEventBusCarriesTheClusterAndItsTasks() throws Exception {
    int busPort = HeadyProcess.freePort();
    try (Cluster c = new Cluster().startManager("--bus-port=" + busPort)) {
      assertEquals(401, new Api(c.url(), c.joinToken).get("/api/cluster/join").status(),
          "the join token only enrolls; the cluster's details are for enrolled nodes");
      c.startAgent("sealed", "--transport=eventbus");
      c.awaitNode("sealed", "active", Duration.ofSeconds(40));
      String id = c.submit(new JsonObject().put("command", "echo private").put("node", "sealed"));
      JsonObject t = c.awaitFinished(id, Duration.ofSeconds(30));
      assertEquals("succeeded", t.getString("status"), t::encodePrettily);
      assertEquals("private\n", t.getJsonObject("result").getString("stdout"));

      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, null);
      // A peer that trusts anything but has no certificate of this cluster: the manager ends the handshake.
      try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", busPort)) {
        s.setSoTimeout(5000);
        s.startHandshake();
        // TLS 1.3 reports a refused client certificate on the first read, not in the handshake
        int read = s.getInputStream().read();
        assertTrue(read == -1, "the manager must not talk to a peer without a certificate");
      } catch (javax.net.ssl.SSLException | java.net.SocketException refused) {
        // the handshake was refused: what a stranger gets
      }
    }
  }
}
