package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.tls.Fingerprint;
import io.heady.common.tls.PinnedTrustManager;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * HTTPS end to end: a manager with {@code --tls-self-signed} prints its fingerprint; agents that pin it join
 * (over HTTP and over the event bus) and run work; an agent pinning another certificate never joins; plain
 * HTTP to the TLS port gets nothing; an agent's node API can serve HTTPS too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityTlsIT {
  private final String name = "tls-" + UUID.randomUUID().toString().substring(0, 8);
  private final int port = HeadyProcess.freePort();
  private final int clusterPort = HeadyProcess.freePort();
  private final List<HeadyProcess> procs = new ArrayList<>();
  private Path dataDir;
  private HeadyProcess manager;
  private String fingerprint;
  private String admin;
  private String join;
  private HttpClient pinned;

  private static HttpClient pinnedTo(String fp) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new PinnedTrustManager(Fingerprint.parse(fp))}, null);
    return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpResponse<String> get(HttpClient c, String url, String token) throws Exception {
    return c.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(HttpClient c, String url, String token, JsonObject body) throws Exception {
    return c.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String base() {
    return "https://127.0.0.1:" + port;
  }

  @BeforeAll
  void start() throws Exception {
    dataDir = HeadyProcess.tempDir("tls-manager-");
    manager = HeadyProcess.start("tls-manager", Map.of(), "--role=manager", "--port=" + port,
        "--data-dir=" + dataDir, "--cluster-host=127.0.0.1", "--cluster-port=" + clusterPort,
        "--cluster-name=" + name, "--host=127.0.0.1", "--tls-self-signed", "--offload-cpu-pct=101");
    procs.add(manager);
    Path cert = dataDir.resolve("tls").resolve("cert.pem");
    Poll.until("the manager's certificate and tokens", Duration.ofSeconds(60), () -> {
      if (!manager.alive()) {
        throw new AssertionError("manager exited:\n" + manager.output());
      }
      return Files.exists(cert) && Files.exists(dataDir.resolve("admin.token"));
    });
    fingerprint = Fingerprint.format(Fingerprint.sha256(Fingerprint.readPem(cert)));
    admin = Files.readString(dataDir.resolve("admin.token")).trim();
    join = Files.readString(dataDir.resolve("join.token")).trim();
    pinned = pinnedTo(fingerprint);
    Poll.until("the manager answers over HTTPS", Duration.ofSeconds(60), () -> {
      try {
        return get(pinned, base() + "/health/ready", admin).statusCode() == 200;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @AfterAll
  void stop() throws Exception {
    for (HeadyProcess p : procs) {
      p.close();
    }
  }

  private HeadyProcess agent(String id, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("--role=agent", "--manager=" + base(), "--token=" + join,
        "--node-id=" + id, "--port=" + HeadyProcess.freePort(), "--cluster-host=127.0.0.1",
        "--data-dir=" + HeadyProcess.tempDir("tls-agent-" + id + "-")));
    args.addAll(List.of(extra));
    HeadyProcess a = HeadyProcess.start("tls-agent-" + id, Map.of(), args.toArray(String[]::new));
    procs.add(a);
    return a;
  }

  private JsonObject node(String id) throws Exception {
    JsonArray nodes = new JsonObject(get(pinned, base() + "/api/cluster/nodes", admin).body()).getJsonArray("nodes");
    for (Object o : nodes) {
      if (id.equals(((JsonObject) o).getString("node_id"))) {
        return (JsonObject) o;
      }
    }
    return null;
  }

  private JsonObject awaitActive(String id) {
    return Poll.until(id + " active", Duration.ofSeconds(60), () -> {
      try {
        JsonObject n = node(id);
        return n != null && "active".equals(n.getString("status")) ? n : null;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private JsonObject runOn(String nodeId) throws Exception {
    HttpResponse<String> r = post(pinned, base() + "/api/cluster/tasks/route", admin,
        new JsonObject().put("command", "echo over tls").put("node", nodeId));
    assertEquals(201, r.statusCode(), r.body());
    String id = new JsonObject(r.body()).getString("task_id");
    return Poll.until("task " + id, Duration.ofSeconds(40), () -> {
      try {
        JsonObject t = new JsonObject(get(pinned, base() + "/api/cluster/tasks/" + id, admin).body());
        return List.of("succeeded", "failed", "timed_out").contains(t.getString("status")) ? t : null;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void managerPrintsTheFingerprintAndRefusesPlainHttp() {
    assertTrue(manager.output().contains(fingerprint), "the log prints the SHA-256 fingerprint");
    assertTrue(manager.output().contains("--manager-fingerprint=" + fingerprint), "and how agents pin it");
    HttpClient plain = HttpClient.newHttpClient();
    boolean refused;
    try {
      HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/api/cluster/state")).header("Authorization", "Bearer " + admin).timeout(Duration.ofSeconds(10))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      refused = r.statusCode() != 200;
    } catch (IOException e) {
      refused = true;
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    assertTrue(refused, "plain HTTP must not reach the API on a TLS port");
    assertThrows(IOException.class, () -> get(HttpClient.newHttpClient(), base() + "/api/cluster/state", admin),
        "a client that does not trust the self-signed certificate cannot talk to it");
  }

  @Test
  void pinnedHttpAgentJoinsAndRuns() throws Exception {
    agent("tls-http", "--transport=http", "--manager-fingerprint=" + fingerprint);
    awaitActive("tls-http");
    JsonObject t = runOn("tls-http");
    assertEquals("succeeded", t.getString("status"), t.encode());
    assertEquals("over tls\n", t.getJsonObject("result").getString("stdout"));
  }

  @Test
  void pinnedEventBusAgentWithItsOwnHttpsNodeApi() throws Exception {
    int nodePort = HeadyProcess.freePort();
    Path agentData = HeadyProcess.tempDir("tls-agent-bus-");
    procs.add(HeadyProcess.start("tls-agent-bus", Map.of(), "--role=agent", "--manager=" + base(), "--token=" + join,
        "--node-id=tls-bus", "--port=" + nodePort, "--cluster-host=127.0.0.1", "--data-dir=" + agentData,
        "--transport=eventbus", "--manager-fingerprint=sha256:" + fingerprint.replace(":", "").toLowerCase(),
        "--tls-self-signed"));
    awaitActive("tls-bus");
    assertEquals("succeeded", runOn("tls-bus").getString("status"));
    String nodeFp = Fingerprint.format(Fingerprint.sha256(Fingerprint.readPem(agentData.resolve("tls/cert.pem"))));
    HttpClient toNode = pinnedTo(nodeFp);
    io.heady.common.identity.Seal asManager = Cluster.managerSeal(dataDir, agentData, "tls-bus");
    String sealed = asManager.header("GET", "/api/node/health", new byte[0], "tls-bus");
    assertEquals(200, toNode.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + nodePort
        + "/api/node/health")).header("Authorization", sealed).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofString()).statusCode(), "the node API over HTTPS answers the manager");
    assertEquals(401, get(toNode, "https://127.0.0.1:" + nodePort + "/api/node/health", join).statusCode(),
        "and no token");
  }

  @Test
  void anAgentPinningAnotherCertificateNeverJoins() throws Exception {
    String other = fingerprint.startsWith("00") ? "11" + fingerprint.substring(2) : "00" + fingerprint.substring(2);
    HeadyProcess rogue = agent("tls-wrong", "--transport=http", "--manager-fingerprint=" + other);
    Poll.until("the agent reports the fingerprint mismatch", Duration.ofSeconds(60),
        () -> rogue.output().contains("certificate fingerprint mismatch: expected the pinned " + other));
    assertNull(node("tls-wrong"), "an agent that does not trust the manager did not register");
  }
}
