package io.heady.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.config.Config;
import io.heady.common.config.ConfigException;
import io.heady.common.tls.ClientTls;
import io.heady.common.tls.Fingerprint;
import io.heady.common.tls.PinnedTrustManager;
import io.heady.common.tls.ServerTls;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The self-signed certificate, its fingerprint, and an HTTPS server trusted by pin, refused otherwise. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsTest {
  @TempDir
  static Path dir;
  private Vertx vertx;
  private ServerTls tls;
  private HttpServer server;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    tls = ServerTls.fromConfig(Config.of("manager", Map.of("tls-self-signed", "true")), dir, List.of("10.1.2.3",
        "heady.local"));
    server = vertx.createHttpServer(tls.apply(new HttpServerOptions().setHost("127.0.0.1").setPort(0)))
        .requestHandler(r -> r.response().end("hello")).listen().await(20, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void selfSignedPairIsKeptPrivateAndStable() throws Exception {
    assertTrue(tls.enabled() && tls.selfSigned());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.key())));
    X509Certificate cert = Fingerprint.readPem(tls.cert());
    assertEquals(tls.fingerprint(), Fingerprint.format(Fingerprint.sha256(cert)));
    assertTrue(tls.fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), tls.fingerprint());
    String sans = String.valueOf(cert.getSubjectAlternativeNames());
    assertTrue(sans.contains("127.0.0.1") && sans.contains("10.1.2.3") && sans.contains("heady.local"), sans);
    ServerTls again = ServerTls.fromConfig(Config.of("manager", Map.of("tls-self-signed", "true")), dir, List.of());
    assertEquals(tls.fingerprint(), again.fingerprint(), "a restart keeps the certificate agents pinned");
  }

  @Test
  void fingerprintsParseTheWaysOperatorsPasteThem() {
    byte[] raw = Fingerprint.parse(tls.fingerprint());
    assertArrayEquals(raw, Fingerprint.parse(tls.fingerprint().replace(":", "").toLowerCase()));
    assertArrayEquals(raw, Fingerprint.parse("sha256:" + tls.fingerprint()));
    assertArrayEquals(raw, Fingerprint.parse("SHA256 Fingerprint=" + tls.fingerprint()));
    assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("AB:CD"));
    assertThrows(ConfigException.class, () -> ClientTls.fromConfig(Config.of("agent",
        Map.of("manager-fingerprint", "nothex"))));
    assertThrows(ConfigException.class, () -> ClientTls.fromConfig(Config.of("agent",
        Map.of("manager-fingerprint", tls.fingerprint(), "tls-insecure", "true"))));
  }

  @Test
  void badTlsSettingsStopTheStart() throws Exception {
    assertThrows(ConfigException.class, () -> ServerTls.fromConfig(Config.of("manager",
        Map.of("tls-cert", tls.cert().toString())), dir, List.of()), "a cert without a key");
    assertThrows(ConfigException.class, () -> ServerTls.fromConfig(Config.of("manager",
        Map.of("tls-cert", "/nonexistent.pem", "tls-key", "/nonexistent.key")), dir, List.of()));
    assertThrows(ConfigException.class, () -> ServerTls.fromConfig(Config.of("manager",
        Map.of("tls-cert", tls.key().toString(), "tls-key", tls.key().toString())), dir, List.of()),
        "a key is not a certificate");
    ServerTls given = ServerTls.fromConfig(Config.of("manager", Map.of("tls-cert", tls.cert().toString(),
        "tls-key", tls.key().toString())), dir, List.of());
    assertEquals(tls.fingerprint(), given.fingerprint());
  }

  private int get(ClientTls trust) throws Exception {
    WebClient c = WebClient.create(vertx, trust.apply(new WebClientOptions().setConnectTimeout(5000)));
    try {
      return c.getAbs("https://127.0.0.1:" + server.actualPort() + "/").send().await(20, TimeUnit.SECONDS)
          .statusCode();
    } finally {
      c.close();
    }
  }

  @Test
  void clientsTrustThePinAndNothingElse() throws Exception {
    assertEquals(200, get(new ClientTls(Fingerprint.parse(tls.fingerprint()), false)));
    byte[] wrong = Fingerprint.parse(tls.fingerprint());
    wrong[0] ^= 1;
    assertThrows(Exception.class, () -> get(new ClientTls(wrong, false)), "a different certificate is refused");
    assertThrows(Exception.class, () -> get(ClientTls.DEFAULT), "a self-signed certificate is not trusted by default");
    assertEquals(200, get(new ClientTls(null, true)), "--tls-insecure trusts anything");
  }

  @Test
  void pinnedTrustManagerChecksTheLeaf() throws Exception {
    X509Certificate cert = Fingerprint.readPem(tls.cert());
    new PinnedTrustManager(Fingerprint.sha256(cert)).checkServerTrusted(new X509Certificate[] {cert}, "RSA");
    byte[] other = new byte[32];
    CertificateException e = assertThrows(CertificateException.class,
        () -> new PinnedTrustManager(other).checkServerTrusted(new X509Certificate[] {cert}, "RSA"));
    assertTrue(e.getMessage().contains("--manager-fingerprint"));
    assertThrows(CertificateException.class,
        () -> new PinnedTrustManager(other).checkServerTrusted(new X509Certificate[0], "RSA"));
  }

  @Test
  void aNewAdvertisedHostKeepsThePinnedCertificateUntilItsFolderIsDeleted() throws Exception {
    Path own = dir.resolve("advertised");
    Config self = Config.of("manager", Map.of("tls-self-signed", "true"));
    ServerTls first = ServerTls.fromConfig(self, own, List.of("heady.example.org"), "heady.example.org");
    String sans = String.valueOf(Fingerprint.readPem(first.cert()).getSubjectAlternativeNames());
    assertTrue(sans.contains("heady.example.org") && sans.contains("localhost") && sans.contains("127.0.0.1")
        && sans.contains("0:0:0:0:0:0:0:1"), sans);
    ServerTls moved = ServerTls.fromConfig(self, own, List.of("heady.example.net"), "heady.example.net");
    assertEquals(first.fingerprint(), moved.fingerprint(), "a new name never breaks the pins by itself");
    try (var files = Files.walk(own.resolve("tls"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    ServerTls fresh = ServerTls.fromConfig(self, own, List.of("heady.example.net"), "heady.example.net");
    assertTrue(!fresh.fingerprint().equals(first.fingerprint()), "deleting <data-dir>/tls makes a new one");
    assertTrue(String.valueOf(Fingerprint.readPem(fresh.cert()).getSubjectAlternativeNames())
        .contains("heady.example.net"));
  }
}
