package io.heady.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A manager and its agents as real processes on loopback, with unique ports and cluster name. */
public final class Cluster implements AutoCloseable {
  public final String name = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
  public int port = HeadyProcess.freePort();
  public int clusterPort = HeadyProcess.freePort();
  private String[] managerArgs = new String[0];
  public final Path dataDir;
  public HeadyProcess manager;
  public String joinToken;
  public String adminToken;
  public Api admin;
  private final List<HeadyProcess> agents = new ArrayList<>();
  private final Map<String, Path> agentDirs = new HashMap<>();
  /** JVM options of the manager and of agents started from now on. */
  public List<String> managerJvm = HeadyProcess.TEST_JVM;
  public List<String> agentJvm = HeadyProcess.TEST_JVM;

  public Cluster() throws IOException {
    this.dataDir = HeadyProcess.tempDir("manager-");
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Starts the manager and waits until it is ready; tokens are read from the files it generated. */
  public Cluster startManager(String... extra) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return startManagerOnce(extra);
      } catch (AssertionError e) {
        // why: a "free" port can be taken by another process between choosing it and binding it on a busy
        // machine; only then is it worth choosing again
        if (attempt >= 3 || manager == null || !manager.output().contains("Address already in use")) {
          throw e;
        }
        port = HeadyProcess.freePort();
        clusterPort = HeadyProcess.freePort();
      }
    }
  }

  private Cluster startManagerOnce(String... extra) throws IOException {
    managerArgs = extra;
    List<String> args = new ArrayList<>(List.of("--role=manager", "--port=" + port, "--data-dir=" + dataDir,
        "--cluster-host=127.0.0.1", "--cluster-port=" + clusterPort, "--cluster-name=" + name,
        "--host=127.0.0.1"));
    args.addAll(List.of(extra));
    manager = HeadyProcess.start("manager", Map.of(), managerJvm, args.toArray(String[]::new));
    Poll.until("manager token files", Duration.ofSeconds(30), () -> {
      if (!manager.alive()) {
        throw new AssertionError("manager exited:\n" + manager.output());
      }
      return Files.exists(dataDir.resolve("admin.token")) && Files.exists(dataDir.resolve("join.token"));
    });
    joinToken = Files.readString(dataDir.resolve("join.token")).trim();
    adminToken = Files.readString(dataDir.resolve("admin.token")).trim();
    admin = new Api(url(), adminToken);
    Poll.until("manager ready", Duration.ofSeconds(40), () -> {
      if (!manager.alive()) {
        throw new AssertionError("manager exited:\n" + manager.output());
      }
      return admin.get("/health/ready").status() == 200;
    });
    return this;
  }

  /** Kills the manager (SIGKILL) and starts it again with the same data dir, ports and flags. */
  public void restartManager() throws IOException, InterruptedException {
    manager.kill9();
    startManager(managerArgs);
  }

  /** Starts an agent process; returns it (not yet registered: use {@link #awaitNode}). */
  public HeadyProcess startAgent(String nodeId, String... extra) throws IOException {
    Path dir = agentDirs.containsKey(nodeId) ? agentDirs.get(nodeId) : HeadyProcess.tempDir("agent-" + nodeId + "-");
    agentDirs.put(nodeId, dir);
    List<String> args = new ArrayList<>(List.of("--role=agent", "--manager=" + url(),
        "--node-id=" + nodeId, "--port=" + HeadyProcess.freePort(), "--cluster-host=127.0.0.1",
        "--data-dir=" + dir));
    if (joinToken != null) {
      args.add("--token=" + joinToken); // why: null starts an agent that holds no join token (enrolled already)
    }
    args.addAll(List.of(extra));
    HeadyProcess a = HeadyProcess.start("agent-" + nodeId, new HashMap<>(), agentJvm, args.toArray(String[]::new));
    agents.add(a);
    return a;
  }

  /** The data dir of an agent this cluster started. */
  public Path agentDir(String nodeId) {
    return agentDirs.get(nodeId);
  }

  /**
   * What the manager holds for an enrolled node: a seal with their pair key, derived from the real keys on
   * disk (the manager's and the node's public key). For tests that must call a node's API as the manager does.
   */
  public io.heady.common.identity.Seal asManager(String nodeId) throws IOException {
    return managerSeal(dataDir, agentDirs.get(nodeId), nodeId);
  }

  /** {@link #asManager} for a manager and an agent started with these data dirs. */
  public static io.heady.common.identity.Seal managerSeal(Path managerData, Path agentData, String nodeId)
      throws IOException {
    JsonObject identity = new JsonObject(Files.readString(managerData.resolve("identity").resolve("cluster.json")));
    java.security.PrivateKey mk = io.heady.common.identity.Pki.privateKey(identity.getString("manager_key"));
    java.security.cert.X509Certificate nodeCert = io.heady.common.identity.Pki.certificate(Files.readString(
        agentData.resolve("identity").resolve(nodeId).resolve("cert.pem")));
    byte[] key = io.heady.common.identity.PairKey.derive(mk, nodeCert.getPublicKey(), nodeId);
    return new io.heady.common.identity.Seal(io.heady.common.identity.Seal.MANAGER,
        p -> nodeId.equals(p) ? key : null, java.time.Clock.systemUTC(), io.heady.common.identity.Seal.DEFAULT_WINDOW);
  }

  /** What an enrolled node holds: its own seal, from its real keys on disk. */
  public io.heady.common.identity.Seal asNode(String nodeId) throws IOException {
    Path id = agentDirs.get(nodeId).resolve("identity").resolve(nodeId);
    java.security.PrivateKey k = io.heady.common.identity.Pki.privateKey(Files.readString(id.resolve("key.pem")));
    java.security.cert.X509Certificate m = io.heady.common.identity.Pki.certificate(Files.readString(
        id.resolve("manager.pem")));
    return io.heady.common.identity.Seal.node(nodeId, io.heady.common.identity.PairKey.derive(k, m.getPublicKey(),
        nodeId), java.time.Clock.systemUTC());
  }

  /**
   * Enrolls a node of the test's own through the real enrollment route (a new key, its proof, the join
   * token) and returns its seal: for tests that send the manager what a node may send, without an agent.
   */
  public io.heady.common.identity.Seal enroll(String nodeId) {
    java.security.KeyPair kp = io.heady.common.identity.Pki.newKeyPair();
    long ts = System.currentTimeMillis();
    JsonObject body = new JsonObject().put("node_id", nodeId).put("public_key",
        io.heady.common.identity.Pki.pem(kp.getPublic())).put("ts", ts)
        .put("proof", io.heady.common.identity.Pki.sign(kp.getPrivate(), ("heady-enroll-v1\n" + nodeId + "\n" + ts)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    Api.Res r = new Api(url(), joinToken).post("/api/cluster/enroll", body);
    if (r.status() != 201 && r.status() != 200) {
      throw new AssertionError("enrolling " + nodeId + " answered " + r.status() + ": " + r.raw());
    }
    java.security.cert.X509Certificate m = io.heady.common.identity.Pki.certificate(
        r.json().getString("manager_certificate"));
    return io.heady.common.identity.Seal.node(nodeId, io.heady.common.identity.PairKey.derive(kp.getPrivate(),
        m.getPublicKey(), nodeId), java.time.Clock.systemUTC());
  }

  /** Waits until the node is listed with the given status; returns its record. */
  public JsonObject awaitNode(String nodeId, String status, Duration limit) {
    return Poll.until("node " + nodeId + " " + status, limit, () -> {
      JsonObject n = node(nodeId);
      return n != null && status.equals(n.getString("status")) ? n : null;
    });
  }

  public JsonObject node(String nodeId) {
    Api.Res r = admin.get("/api/cluster/nodes");
    if (r.status() != 200) {
      return null;
    }
    JsonArray nodes = r.json().getJsonArray("nodes");
    for (Object o : nodes) {
      JsonObject n = (JsonObject) o;
      if (nodeId.equals(n.getString("node_id"))) {
        return n;
      }
    }
    return null;
  }

  /** Submits a task; returns its id (fails on a non-2xx answer). */
  public String submit(JsonObject task) {
    Api.Res r = admin.post("/api/cluster/tasks/route", task);
    if (r.status() != 201 && r.status() != 200) {
      throw new AssertionError("submit answered " + r.status() + ": " + r.raw());
    }
    return r.json().getString("task_id");
  }

  /** Waits until the task is finished; returns its record. */
  public JsonObject awaitFinished(String taskId, Duration limit) {
    try {
      return Poll.until("task " + taskId + " to finish", limit, () -> {
        Api.Res r = admin.get("/api/cluster/tasks/" + taskId);
        String s = r.json() == null ? null : r.json().getString("status");
        return s != null && List.of("succeeded", "failed", "timed_out", "cancelled", "skipped").contains(s)
            ? r.json() : null;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the task now: " + admin.get("/api/cluster/tasks/" + taskId).raw()
          + "; the processes' output: " + keepLogs(), e);
    }
  }

  /** Writes every process's output to {@code target/e2e-failures/<cluster>.log} for a failed test; its path. */
  public Path keepLogs() {
    try {
      Path dir = Path.of("target", "e2e-failures");
      Files.createDirectories(dir);
      Path f = dir.resolve(name + ".log");
      Files.writeString(f, logs());
      return f.toAbsolutePath();
    } catch (IOException e) {
      return Path.of("(could not write the logs: " + e.getMessage() + ")");
    }
  }

  public String logs() {
    StringBuilder sb = new StringBuilder();
    if (manager != null) {
      sb.append("---- manager\n").append(manager.output());
    }
    for (HeadyProcess a : agents) {
      sb.append("---- agent\n").append(a.output());
    }
    return sb.toString();
  }

  @Override
  public void close() throws InterruptedException {
    for (HeadyProcess a : agents) {
      a.close();
    }
    if (manager != null) {
      manager.close();
    }
  }
}
