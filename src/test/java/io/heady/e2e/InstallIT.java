package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.tls.Fingerprint;
import io.heady.common.tls.PinnedTrustManager;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issues 9 and 15 end to end: a manager serves its own jar and installer; the installer, fetched with curl as a
 * user would, lays out a node under a throwaway root with the join token from a file; the agent, started from
 * that layout as systemd would start it (the unit, its enrollment drop-in, the env file), enrolls, waits for an
 * operator's approval ({@code --approve-nodes}), and the installer, which waits on the node's own status file,
 * then deletes the join token. A manager with a self-signed certificate is installed from only with its pin.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstallIT {
  private static final Pattern KEY_FINGERPRINT = Pattern.compile("\\(key fingerprint ([0-9A-F:]{95})\\)");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Process> processes = new ArrayList<>();
  private final List<HeadyProcess> managers = new ArrayList<>();
  private Cluster cluster;
  private Path agentLog;

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster().startManager("--approve-nodes");
  }

  @AfterAll
  void stop() throws Exception {
    for (Process p : processes) {
      if (p.isAlive()) {
        p.destroy(); // SIGTERM, by PID
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
    for (HeadyProcess m : managers) {
      m.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theServedJarIsTheRunningJarAndMatchesItsChecksum() throws Exception {
    HttpResponse<byte[]> jar = get("/install/heady.jar");
    assertEquals(200, jar.statusCode(), "open route: no token needed");
    assertEquals("application/java-archive", jar.headers().firstValue("Content-Type").orElse(""));
    String hex = sha256(jar.body());
    HttpResponse<byte[]> sum = get("/install/heady.jar.sha256");
    assertEquals(200, sum.statusCode());
    assertEquals(hex + "  heady.jar\n", new String(sum.body(), StandardCharsets.UTF_8));
    assertEquals(hex, jar.headers().firstValue("X-Checksum-Sha256").orElse(""));
    assertEquals(sha256(Files.readAllBytes(HeadyProcess.jar())), hex, "the manager serves the jar it runs from");
  }

  @Test
  void anInstalledAgentWaitsForApprovalEnrollsRunsTasksAndTheJoinTokenIsDeleted() throws Exception {
    Path root = HeadyProcess.tempDir("install-root-");
    int nodePort = HeadyProcess.freePort();
    Path tokenFile = tokenFile(cluster.joinToken);
    // The documented one-liner with --token-file, plus the flags that keep it inside the throwaway root; the
    // node's id and name come from the environment, as in the seed's setup script (HEADY_NODE_ID, HEADY_NODE_NAME).
    Path installLog = HeadyProcess.tempDir("install-log-").resolve("installer.log");
    Process install = new ProcessBuilder("sh", "-c", "curl -fsSL \"$1/install/agent.sh\" | HEADY_NODE_ID=installed-1"
        + " HEADY_NODE_NAME='Installed One' sh -s -- --token-file"
        + " \"$2\" --dry-run --root \"$3\" --label site=e2e"
        + " --port \"$4\" --wait 180", "sh", cluster.url(), tokenFile.toString(), root.toString(),
        Integer.toString(nodePort)).redirectErrorStream(true).redirectOutput(installLog.toFile()).start();
    processes.add(install);
    awaitOutput(install, installLog, "==> Waiting up to 180 s for node installed-1 to become active");
    String out = Files.readString(installLog);
    assertTrue(out.contains("(verified)"), "the installer checked the jar:\n" + out);
    assertTrue(out.contains("this cluster makes new nodes wait for an operator's approval"), out);
    assertTrue(out.contains("[dry-run] systemctl restart heady-agent.service"), out);
    assertArrayEquals(Files.readAllBytes(HeadyProcess.jar()), Files.readAllBytes(root.resolve("opt/heady/heady.jar")));
    Path kept = root.resolve("etc/heady/join.token");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
    assertEquals(cluster.joinToken, Files.readString(kept).trim());
    assertFalse(Files.readString(root.resolve("etc/heady/agent.env")).contains(cluster.joinToken));

    Map<String, String> env = readEnv(root.resolve("etc/heady/agent.env"));
    assertEquals("127.0.0.1", env.get("HEADY_CLUSTER_HOST"), "the source address of the route to the manager");
    Process agent = startLikeSystemd(root, "installed-1");

    // The node waits for approval; the installer says so, with the key fingerprint the manager holds.
    String waiting = awaitOutput(install, installLog, "(key fingerprint ");
    assertTrue(waiting.contains("waits for an operator's approval") && waiting.contains("heady nodes approve"
        + " installed-1"), waiting);
    Matcher fp = KEY_FINGERPRINT.matcher(waiting);
    assertTrue(fp.find(), waiting);
    JsonObject pending = Poll.until("the manager holds installed-1's request", Duration.ofSeconds(30), () -> {
      for (Object o : cluster.admin.get("/api/cluster/enrollments").json().getJsonArray("enrollments")) {
        JsonObject e = (JsonObject) o;
        if ("installed-1".equals(e.getString("node_id"))) {
          return e;
        }
      }
      return null;
    });
    assertEquals(pending.getString("fingerprint"), fp.group(1), "the fingerprint the operator compares");
    assertTrue(install.isAlive(), "the installer waits while the node is pending");
    assertTrue(Files.exists(kept), "the pending node still needs the join token");
    assertEquals(200, cluster.admin.post("/api/cluster/nodes/installed-1/approve", "{}").status());

    assertTrue(install.waitFor(180, TimeUnit.SECONDS), "installer finished");
    out = Files.readString(installLog);
    assertEquals(0, install.exitValue(), out);
    assertTrue(out.contains("node installed-1 is active"), out);
    assertTrue(out.contains("it no longer needs the join token"), out);
    assertFalse(Files.exists(kept), "the join token is deleted once the node is active");
    assertFalse(Files.exists(root.resolve("etc/systemd/system/heady-agent.service.d/enroll.conf")),
        "and the service's reference to it");
    assertFalse(out.contains(cluster.joinToken), "the installer never printed the token");

    JsonObject node = cluster.awaitNode("installed-1", "active", Duration.ofSeconds(60));
    assertEquals("Installed One", node.getString("name"));
    assertEquals("e2e", node.getJsonObject("labels").getString("site"));
    assertEquals("eventbus", node.getString("transport"));

    // The launcher exec'd java (same PID) with the agent's options and the installed jar; the token file's
    // path is on its command line, the token is not.
    List<String> cmdline = cmdline(agent.pid());
    assertTrue(cmdline.get(0).endsWith("/java"), cmdline.toString());
    assertTrue(cmdline.containsAll(List.of("-XX:+UseSerialGC", "-jar", root.resolve("opt/heady/heady.jar").toString(),
        "--role=agent")), cmdline.toString());
    assertTrue(cmdline.stream().anyMatch(a -> a.startsWith("--token-file=") && a.endsWith("/join-token")),
        cmdline.toString());
    assertTrue(cmdline.stream().noneMatch(a -> a.contains(cluster.joinToken)), cmdline.toString());

    String id = cluster.submit(new JsonObject().put("command", "echo installed").put("node", "installed-1"));
    JsonObject t = cluster.awaitFinished(id, Duration.ofSeconds(30));
    assertEquals("succeeded", t.getString("status"), () -> t.encodePrettily() + "\n" + log());
    assertEquals("installed-1", t.getString("node_id"));
    assertEquals("installed\n", t.getJsonObject("result").getString("stdout"));

    // SIGTERM while a task runs: the task finishes and is reported, then the agent deregisters and exits.
    String slow = cluster.submit(new JsonObject().put("command", "sleep 2; echo finished").put("node", "installed-1"));
    Poll.until("slow task running", Duration.ofSeconds(20), () ->
        "running".equals(cluster.admin.get("/api/cluster/tasks/" + slow).json().getString("status")));
    agent.destroy(); // SIGTERM, by PID
    assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent exits after its task");
    JsonObject s = cluster.admin.get("/api/cluster/tasks/" + slow).json();
    assertEquals("succeeded", s.getString("status"), () -> s.encodePrettily() + "\n" + log());
    assertEquals("finished\n", s.getJsonObject("result").getString("stdout"));
    assertEquals("offline", cluster.node("installed-1").getString("status"), "deregistered cleanly");
    assertTrue(log().contains("deregistered from the manager"), log());
    assertEquals(1, s.getJsonArray("attempts").size(), "finished where it ran, not requeued");

    // An upgrade of the enrolled node needs no token at all, and keeps none.
    Process again = new ProcessBuilder("sh", "-c", "curl -fsSL \"$1/install/agent.sh\" | sh -s -- --dry-run --root"
        + " \"$2\" --no-start", "sh", cluster.url(), root.toString()).redirectErrorStream(true).start();
    String upgrade = new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(again.waitFor(120, TimeUnit.SECONDS), "upgrade finished");
    assertEquals(0, again.exitValue(), upgrade);
    assertTrue(upgrade.contains("node installed-1 is enrolled (it holds its own credential): no join token needed"),
        upgrade);
    assertFalse(Files.exists(kept));
  }

  @Test
  void aSelfSignedManagerIsInstalledFromOnlyWithItsPin() throws Exception {
    Path data = HeadyProcess.tempDir("install-tls-manager-");
    int port = HeadyProcess.freePort();
    HeadyProcess manager = HeadyProcess.start("install-tls-manager", Map.of(), "--role=manager", "--port=" + port,
        "--data-dir=" + data, "--cluster-host=127.0.0.1", "--cluster-port=" + HeadyProcess.freePort(),
        "--cluster-name=install-tls-" + UUID.randomUUID().toString().substring(0, 8), "--host=127.0.0.1",
        "--tls-self-signed", "--local-executor=false");
    managers.add(manager);
    Path cert = data.resolve("tls").resolve("cert.pem");
    Poll.until("the manager's certificate and tokens", Duration.ofSeconds(60), () -> {
      if (!manager.alive()) {
        throw new AssertionError("manager exited:\n" + manager.output());
      }
      return Files.exists(cert) && Files.exists(data.resolve("join.token"));
    });
    String fingerprint = Fingerprint.format(Fingerprint.sha256(Fingerprint.readPem(cert)));
    String url = "https://127.0.0.1:" + port;
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new PinnedTrustManager(Fingerprint.parse(fingerprint))}, null);
    HttpClient pinned = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<byte[]> served = Poll.until("the manager serves its installer over HTTPS", Duration.ofSeconds(60),
        () -> {
          try {
            HttpResponse<byte[]> r = pinned.send(HttpRequest.newBuilder(URI.create(url + "/install/agent.sh"))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? r : null;
          } catch (IOException e) {
            return null;
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
    assertTrue(manager.output().contains("--manager-fingerprint=" + fingerprint), "the manager prints its pin");
    Path script = Files.write(HeadyProcess.tempDir("install-tls-script-").resolve("agent.sh"), served.body());
    Path tokenFile = tokenFile(Files.readString(data.resolve("join.token")).trim());

    // A pin that is not this certificate's: refused before the token is sent or anything downloaded.
    String wrong = fingerprint.startsWith("00") ? "11" + fingerprint.substring(2) : "00" + fingerprint.substring(2);
    Path refusedRoot = HeadyProcess.tempDir("install-tls-refused-");
    Shell r = sh(script, "--token-file", tokenFile.toString(), "--dry-run", "--root", refusedRoot.toString(),
        "--no-start", "--node-id", "tls-1", "--manager-fingerprint", wrong);
    assertNotEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("refusing to download from " + url + ": its certificate's SHA-256 fingerprint is "
        + fingerprint + ", not the pinned " + wrong + " (--manager-fingerprint)"), r.output());
    assertEquals(List.of(), filesUnder(refusedRoot));
    Shell unpinned = sh(script, "--token-file", tokenFile.toString(), "--dry-run", "--root", refusedRoot.toString(),
        "--no-start", "--node-id", "tls-1");
    assertNotEquals(0, unpinned.exit(), unpinned.output());
    assertTrue(unpinned.output().contains("this machine does not trust the manager's HTTPS certificate"),
        unpinned.output());
    assertEquals(List.of(), filesUnder(refusedRoot));

    // The right pin (pasted in another spelling): the jar comes over the pinned connection, the agent gets the
    // pin, enrolls over HTTPS, and the installer deletes the token once it is active.
    Path root = HeadyProcess.tempDir("install-tls-root-");
    Path installLog = root.resolveSibling(root.getFileName() + ".log");
    Process install = new ProcessBuilder("sh", script.toString(), "--token-file", tokenFile.toString(), "--dry-run",
        "--root", root.toString(), "--node-id", "tls-1", "--port", Integer.toString(HeadyProcess.freePort()),
        "--wait", "120", "--manager-fingerprint", "sha256:" + fingerprint.replace(":", "").toLowerCase())
        .redirectErrorStream(true).redirectOutput(installLog.toFile()).start();
    processes.add(install);
    awaitOutput(install, installLog, "==> Waiting up to 120 s for node tls-1 to become active");
    String out = Files.readString(installLog);
    assertTrue(out.contains("the manager's certificate has the pinned SHA-256 fingerprint"), out);
    assertTrue(out.contains("(verified)"), out);
    assertArrayEquals(Files.readAllBytes(HeadyProcess.jar()), Files.readAllBytes(root.resolve("opt/heady/heady.jar")));
    Map<String, String> env = readEnv(root.resolve("etc/heady/agent.env"));
    assertEquals(url, env.get("HEADY_MANAGER_URL"));
    assertEquals(fingerprint, env.get("HEADY_MANAGER_FINGERPRINT"), "the agent pins the manager too");

    startLikeSystemd(root, "tls-1");
    assertTrue(install.waitFor(120, TimeUnit.SECONDS), "installer finished");
    out = Files.readString(installLog);
    assertEquals(0, install.exitValue(), out + "\n" + log());
    assertTrue(out.contains("node tls-1 is active"), out);
    assertFalse(Files.exists(root.resolve("etc/heady/join.token")), out);
    assertTrue(log().contains("enrolled as tls-1"), log());
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  /**
   * Starts the installed agent as systemd would start the unit: its {@code ExecStart} (the enrollment drop-in's
   * while there is one), the env file as the environment, and for {@code LoadCredential=} a private copy of
   * the token file. Target paths map into {@code root}; the data dir is the one the installer watches.
   */
  private Process startLikeSystemd(Path root, String nodeId) throws IOException {
    Map<String, String> unit = settings(Files.readString(root.resolve("etc/systemd/system/heady-agent.service")));
    Path dropIn = root.resolve("etc/systemd/system/heady-agent.service.d/enroll.conf");
    if (Files.exists(dropIn)) {
      unit.putAll(settings(Files.readString(dropIn)));
    }
    String exec = unit.get("ExecStart");
    String credential = unit.get("LoadCredential");
    if (credential != null) {
      String[] idAndPath = credential.split(":", 2);
      Path credentials = HeadyProcess.tempDir("credentials-" + nodeId + "-");
      Files.copy(root.resolve(idAndPath[1].substring(1)), credentials.resolve(idAndPath[0]));
      exec = exec.replace("${CREDENTIALS_DIRECTORY}", credentials.toString());
    }
    assertFalse(exec.contains("$"), "nothing left to expand: " + exec);
    List<String> command = new ArrayList<>(List.of(exec.split(" ")));
    command.set(0, root.resolve(command.get(0).substring(1)).toString());

    Map<String, String> env = readEnv(root.resolve("etc/heady/agent.env"));
    env.put("HEADY_DATA_DIR", root.resolve(env.get("HEADY_DATA_DIR").substring(1)).toString());
    env.put("HEADY_CONF_DIR", root.resolve(env.get("HEADY_CONF_DIR").substring(1)).toString());
    env.put("HEADY_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // why: a root agent refuses to start without its task user; this test checks the install, not that user
    env.putIfAbsent("HEADY_RUN_AS", System.getProperty("user.name"));
    agentLog = Files.createDirectories(Path.of("target", "e2e-logs")).resolve("installed-" + nodeId + "-"
        + System.nanoTime() + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(agentLog.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  /** Waits until the installer's output holds {@code line}; returns the output. */
  private String awaitOutput(Process install, Path log, String line) {
    return Poll.until("the installer prints '" + line + "'", Duration.ofSeconds(150), () -> {
      String out;
      try {
        out = Files.readString(log);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      if (out.contains(line)) {
        return out;
      }
      if (!install.isAlive()) {
        throw new AssertionError("the installer exited " + install.exitValue() + " first:\n" + out + "\n" + log());
      }
      return null;
    });
  }

  private record Shell(int exit, String output) {}

  private static Shell sh(Path script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("sh", script.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "installer finished");
    return new Shell(p.exitValue(), out);
  }

  private static Path tokenFile(String token) throws IOException {
    Path f = HeadyProcess.tempDir("join-token-").resolve("join.token");
    Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return Files.writeString(f, token + "\n");
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(cluster.url() + path)).timeout(Duration.ofSeconds(60)).GET()
        .build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private String log() {
    try {
      return agentLog == null ? "" : Files.readString(agentLog);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static List<String> cmdline(long pid) throws IOException {
    String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
    return new ArrayList<>(List.of(raw.split("\0")));
  }

  private static Map<String, String> readEnv(Path file) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      if (!line.startsWith("#") && eq > 0) {
        String v = line.substring(eq + 1);
        m.put(line.substring(0, eq), v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v);
      }
    }
    return m;
  }

  /** KEY=value lines of a unit or drop-in; a later line wins (as a drop-in's ExecStart= replaces the unit's). */
  private static Map<String, String> settings(String unit) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : unit.split("\n")) {
      int eq = line.indexOf('=');
      if (!line.startsWith("#") && eq > 0) {
        m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    return m;
  }

  private static List<String> filesUnder(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
