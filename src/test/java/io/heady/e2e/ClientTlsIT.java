package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.client.HeadyClient;
import io.heady.client.HeadyException;
import io.heady.client.NodeInfo;
import io.heady.client.TaskResult;
import io.heady.common.tls.Fingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The CLI and the SDK reach a {@code --tls-self-signed} manager the way a user does: the fingerprint copied from
 * the manager's start log, given as {@code --manager-fingerprint}, {@code HEADY_MANAGER_FINGERPRINT} or the
 * config file; another fingerprint is refused naming both; the certificate names the advertised host;
 * {@code heady bench} measures the pinned manager.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientTlsIT {
  private static final Pattern PRINTED = Pattern.compile("--manager-fingerprint=((?:[0-9A-F]{2}:){31}[0-9A-F]{2})");
  private static final String ADVERTISED = "heady-it.example";
  private final String name = "ctls-" + UUID.randomUUID().toString().substring(0, 8);
  private final int port = HeadyProcess.freePort();
  private final List<HeadyProcess> procs = new ArrayList<>();
  private Path dataDir;
  private Path home;
  private String fingerprint;
  private String wrong;
  private String admin;

  private String url() {
    return "https://127.0.0.1:" + port;
  }

  private HeadyClient sdk(String pin) {
    return HeadyClient.builder().url(url()).token(admin).managerFingerprint(pin).build();
  }

  @BeforeAll
  void start() throws Exception {
    dataDir = HeadyProcess.tempDir("ctls-manager-");
    home = HeadyProcess.tempDir("ctls-home-");
    HeadyProcess manager = HeadyProcess.start("ctls-manager", Map.of(), "--role=manager", "--port=" + port,
        "--data-dir=" + dataDir, "--cluster-host=127.0.0.1", "--cluster-port=" + HeadyProcess.freePort(),
        "--cluster-name=" + name, "--host=127.0.0.1", "--tls-self-signed", "--offload-cpu-pct=101",
        "--advertise-url=https://" + ADVERTISED + ":" + port);
    procs.add(manager);
    fingerprint = Poll.until("the manager prints its fingerprint", Duration.ofSeconds(60), () -> {
      if (!manager.alive()) {
        throw new AssertionError("manager exited:\n" + manager.output());
      }
      Matcher m = PRINTED.matcher(manager.output());
      return m.find() ? m.group(1) : null;
    });
    wrong = (fingerprint.startsWith("00") ? "11" : "00") + fingerprint.substring(2);
    admin = Poll.until("the admin token", Duration.ofSeconds(30), () -> {
      try {
        return Files.readString(dataDir.resolve("admin.token")).trim();
      } catch (java.io.IOException e) {
        return null;
      }
    });
    HeadyClient pinned = sdk(fingerprint);
    Poll.until("the manager answers the pinned SDK", Duration.ofSeconds(60), () -> pinned.state());
    String join = Files.readString(dataDir.resolve("join.token")).trim();
    procs.add(HeadyProcess.start("ctls-agent", Map.of("HEADY_MANAGER_FINGERPRINT", fingerprint), "--role=agent",
        "--manager=" + url(), "--token=" + join, "--node-id=ctls-agent", "--port=" + HeadyProcess.freePort(),
        "--cluster-host=127.0.0.1", "--transport=http", "--data-dir=" + HeadyProcess.tempDir("ctls-agent-")));
    Poll.until("the pinned agent is active", Duration.ofSeconds(90), () -> pinned.nodes().stream()
        .anyMatch(n -> n.nodeId().equals("ctls-agent") && "active".equals(n.status())));
  }

  @AfterAll
  void stop() throws Exception {
    for (HeadyProcess p : procs) {
      p.close();
    }
  }

  @Test
  void theCertificateNamesTheAdvertisedHostAndLoopback() throws Exception {
    var cert = Fingerprint.readPem(dataDir.resolve("tls/cert.pem"));
    assertEquals(fingerprint, Fingerprint.format(Fingerprint.sha256(cert)), "the printed fingerprint is the file's");
    String sans = String.valueOf(cert.getSubjectAlternativeNames());
    for (String n : List.of(ADVERTISED, "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1")) {
      assertTrue(sans.contains(n), n + " in " + sans);
    }
  }

  @Test
  void theCliWithThePrintedFingerprintRunsAndLists() throws Exception {
    CliIT.Out run = CliIT.heady(home, Map.of(), "run", "echo pinned cli", "--wait", "--url", url(), "--token",
        admin, "--manager-fingerprint", fingerprint);
    assertEquals(0, run.rc(), run::toString);
    assertEquals("pinned cli\n", run.out(), run::toString);
    CliIT.Out tasks = CliIT.heady(home, Map.of("HEADY_URL", url(), "HEADY_TOKEN", admin,
        "HEADY_MANAGER_FINGERPRINT", fingerprint.replace(":", "").toLowerCase()), "tasks", "--json");
    assertEquals(0, tasks.rc(), tasks::toString);
    assertTrue(tasks.out().contains("echo pinned cli"), tasks::toString);
    Path cfgHome = HeadyProcess.tempDir("ctls-cfg-");
    Files.createDirectories(cfgHome.resolve(".config/heady"));
    Files.writeString(cfgHome.resolve(".config/heady/cli.json"), "{\"url\": \"" + url() + "\", \"token\": \""
        + admin + "\", \"manager_fingerprint\": \"" + fingerprint + "\"}");
    CliIT.Out fromFile = CliIT.heady(cfgHome, Map.of(), "tasks", "--json");
    assertEquals(0, fromFile.rc(), fromFile::toString);
    assertTrue(fromFile.out().contains("echo pinned cli"), fromFile::toString);
  }

  @Test
  void theCliRefusesAnotherFingerprintNamingBoth() throws Exception {
    CliIT.Out o = CliIT.heady(home, Map.of("HEADY_MANAGER_FINGERPRINT", wrong), "run", "echo never", "--wait",
        "--url", url(), "--token", admin);
    assertNotEquals(0, o.rc(), o::toString);
    assertTrue(o.err().contains("expected the pinned " + wrong) && o.err().contains("got " + fingerprint),
        o::toString);
    CliIT.Out unpinned = CliIT.heady(home, Map.of(), "tasks", "--url", url(), "--token", admin);
    assertNotEquals(0, unpinned.rc(), unpinned::toString);
    assertTrue(unpinned.err().contains("--manager-fingerprint"), "says how to trust it: " + unpinned);
    CliIT.Out plain = CliIT.heady(home, Map.of(), "tasks", "--url", "http://127.0.0.1:" + port, "--token", admin,
        "--manager-fingerprint", fingerprint);
    assertNotEquals(0, plain.rc(), plain::toString);
    assertTrue(plain.err().contains("needs an https:// manager URL"), plain::toString);
    assertFalse(sdk(fingerprint).tasks(null, null, 1000).stream().anyMatch(t -> "echo never".equals(t.command())),
        "the refused run submitted nothing");
  }

  @Test
  void theSdkWithThePinRunsAndWithAnotherIsRefusedInTheHandshake() {
    HeadyClient heady = sdk(fingerprint);
    TaskResult r = heady.run("echo pinned sdk").await(Duration.ofSeconds(90));
    assertTrue(r.succeeded(), r.toString());
    assertEquals("pinned sdk\n", r.stdout());
    assertTrue(heady.nodes().stream().map(NodeInfo::nodeId).anyMatch("ctls-agent"::equals));
    HeadyException e = assertThrows(HeadyException.class, () -> sdk(wrong).state());
    assertTrue(e.getMessage().contains("expected the pinned " + wrong) && e.getMessage().contains("got "
        + fingerprint), e.getMessage());
    boolean handshake = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      handshake |= t instanceof SSLHandshakeException;
    }
    assertTrue(handshake, "refused in the TLS handshake, before a request carries the token");
    assertThrows(HeadyException.class, () -> HeadyClient.builder().url(url()).token(admin).build().state(),
        "without the pin the JVM's trust store does not know a self-signed certificate");
  }

  @Test
  void benchMeasuresThePinnedManager() throws Exception {
    BenchRun r = BenchRun.of(240, "--url", url(), "--token", admin, "--manager-fingerprint", fingerprint,
        "--tasks", "30", "--warmup", "0");
    assertEquals(0, r.code, r.err);
    io.vertx.core.json.JsonObject j = r.json();
    assertEquals(30, j.getInteger("tasks"), j.encode());
    assertEquals(0, j.getInteger("lost"), j.encodePrettily());
    BenchRun refused = BenchRun.of(120, "--url", url(), "--token", admin, "--manager-fingerprint", wrong,
        "--tasks", "5", "--warmup", "0");
    assertNotEquals(0, refused.code, refused.out + refused.err);
    assertTrue(refused.err.contains("expected the pinned " + wrong) && refused.err.contains("got " + fingerprint),
        refused.err);
  }
}
