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

/** With --bus-tls the event bus speaks TLS, agents follow the manager's choice, and tasks still run. */
class BusTlsIT {
  @Test
  void anEncryptedEventBusCarriesTheClusterAndItsTasks() throws Exception {
    int busPort = HeadyProcess.freePort();
    try (Cluster c = new Cluster().startManager("--bus-tls=true", "--bus-port=" + busPort)) {
      assertEquals(Boolean.TRUE, new Api(c.url(), c.joinToken).get("/api/cluster/join").json().getBoolean("bus_tls"));
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
      try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", busPort)) {
        s.setSoTimeout(5000);
        s.startHandshake();
        assertTrue(s.getSession().getProtocol().startsWith("TLS"), s.getSession().getProtocol());
      }
    }
  }
}
