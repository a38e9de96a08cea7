package io.heady.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.config.Config;
import io.heady.common.tls.Fingerprint;
import io.heady.common.tls.ServerTls;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's pinned HTTPS against a server with a self-signed certificate, reached at 127.0.0.2, an address
 * the certificate does not name: the pin alone decides, and a refused certificate never sees a request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientPinTest {
  private static final String HOST = "127.0.0.2";
  @TempDir
  static Path dir;
  private Vertx vertx;
  private ServerTls tls;
  private String url;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    tls = ServerTls.fromConfig(Config.of("manager", Map.of("tls-self-signed", "true")), dir, List.of());
    HttpServer server = vertx.createHttpServer(tls.apply(new HttpServerOptions().setHost(HOST).setPort(0)))
        .requestHandler(r -> {
          seen.add(String.valueOf(r.getHeader("Authorization")));
          r.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("ok", true).encode());
        }).listen().await(20, TimeUnit.SECONDS);
    url = "https://" + HOST + ":" + server.actualPort();
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @BeforeEach
  void forget() {
    seen.clear();
  }

  private static boolean handshakeFailed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException) {
        return true;
      }
    }
    return false;
  }

  @Test
  void thePinnedCertificateIsTrustedAtAnAddressItDoesNotName() throws Exception {
    String sans = String.valueOf(Fingerprint.readPem(tls.cert()).getSubjectAlternativeNames());
    assertFalse(sans.contains(HOST), "the test needs an address the certificate does not name: " + sans);
    HeadyClient c = HeadyClient.builder().url(url).token("ha_secret").managerFingerprint(tls.fingerprint()).build();
    assertEquals(true, c.get("/api/cluster/state").getBoolean("ok"));
    assertEquals(List.of("Bearer ha_secret"), seen);
    HeadyClient lower = HeadyClient.builder().url(url).token("ha_secret")
        .managerFingerprint(tls.fingerprint().replace(":", "").toLowerCase()).build();
    assertEquals(true, lower.get("/api/cluster/state").getBoolean("ok"), "any case, colons or not");
  }

  @Test
  void anotherCertificateFailsTheHandshakeBeforeTheTokenIsSentNamingBothFingerprints() {
    String wrong = (tls.fingerprint().startsWith("00") ? "11" : "00") + tls.fingerprint().substring(2);
    HeadyClient c = HeadyClient.builder().url(url).token("ha_secret").managerFingerprint(wrong).build();
    HeadyException e = assertThrows(HeadyException.class, () -> c.get("/api/cluster/state"));
    assertEquals(HeadyException.CONNECTION_FAILED, e.code());
    assertTrue(e.getMessage().contains("expected the pinned " + wrong) && e.getMessage().contains("got "
        + tls.fingerprint()), e.getMessage());
    assertTrue(handshakeFailed(e), "refused in the TLS handshake");
    assertEquals(List.of(), seen, "no request, so no token, reached the server");
  }

  @Test
  void withoutAPinTheJvmTrustStoreDecidesAndTheErrorSaysHowToPin() {
    HeadyClient c = HeadyClient.builder().url(url).token("ha_secret").build();
    HeadyException e = assertThrows(HeadyException.class, () -> c.get("/api/cluster/state"));
    assertTrue(handshakeFailed(e), e.toString());
    assertTrue(e.getMessage().contains("--manager-fingerprint or HEADY_MANAGER_FINGERPRINT"), e.getMessage());
    assertEquals(List.of(), seen);
  }
}
