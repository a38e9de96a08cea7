package io.heady.client.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A manager and N agents started as separate JVM processes on loopback (with a Redis of its own when the
 * store is Redis), each with the launcher's JVM options for its role, and stopped by PID when closed (also
 * from a shutdown hook, so Ctrl-C leaves nothing behind). For {@code heady chaos} any of them can be killed
 * (SIGKILL), an agent paused (SIGSTOP) and resumed, and each restarted with the same ports, flags and data
 * directory; every signal goes to a PID this class started, never to a process found by name.
 */
public final class LocalCluster implements AutoCloseable {
  /**
   * What to start.
   *
   * @param store {@code memory} or {@code redis} (a redis-server of our own: AOF, fsync always)
   * @param agentProfile the launcher options file for agents: {@code agent} or {@code agent-small}
   * @param managerJvm extra JVM options for the manager, after the launcher's (they win)
   * @param agentJvm extra JVM options for the agents
   * @param managerArgs extra heady flags for the manager (after the defaults: they win)
   * @param httpAgents agents started after the {@code agents} ones with {@code --transport=http}
   * @param name the prefix of the cluster name, the temporary folder and the agents' node ids
   *     ({@code <name>-a1}…, {@code <name>-h1}… for the http ones)
   */
  public record Spec(int agents, int slots, String store, String transport, String agentProfile,
      List<String> managerJvm, List<String> agentJvm, List<String> managerArgs, Path jar, boolean keep,
      int httpAgents, String name) {
    /** The bench's cluster: {@code agents} agents of one transport, named {@code bench-a<i>}. */
    public Spec(int agents, int slots, String store, String transport, String agentProfile, List<String> managerJvm,
        List<String> agentJvm, List<String> managerArgs, Path jar, boolean keep) {
      this(agents, slots, store, transport, agentProfile, managerJvm, agentJvm, managerArgs, jar, keep, 0, "bench");
    }
  }

  private final Spec spec;
  private final Consumer<String> note;
  private final String name;
  private Path dir;
  private volatile Process redis;
  private List<String> redisCmd;
  private int redisPort;
  private volatile Process manager;
  private List<String> managerArgs;
  private Path managerData;
  private final List<Process> agents = new ArrayList<>();
  private final List<String> agentIds = new ArrayList<>();
  private final List<List<String>> agentArgs = new ArrayList<>();
  private final java.util.Set<Long> paused = new java.util.HashSet<>();
  private String url;
  private String adminToken;
  private String joinToken;
  private Thread hook;
  private boolean closed;

  public LocalCluster(Spec spec, Consumer<String> note) {
    this.spec = spec;
    this.note = note;
    this.name = spec.name() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Starts everything and waits until the manager is ready and every agent is an active node. */
  public LocalCluster start() throws IOException, InterruptedException {
    dir = Files.createTempDirectory("heady-" + spec.name() + "-");
    Files.createDirectories(dir.resolve("conf"));
    hook = new Thread(this::close, "heady-" + spec.name() + "-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    String store = "memory";
    if ("redis".equals(spec.store())) {
      redisPort = freePort();
      Path rd = Files.createDirectories(dir.resolve("redis"));
      redisCmd = List.of("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(redisPort),
          "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", rd.toString(),
          "--daemonize", "no");
      startRedis();
      store = "redis://127.0.0.1:" + redisPort + "/0";
      note.accept("redis-server pid " + redis.pid() + " on 127.0.0.1:" + redisPort + " (appendfsync always)");
    }
    int port = freePort();
    int clusterPort = freePort();
    url = "http://127.0.0.1:" + port;
    Path mdata = Files.createDirectories(dir.resolve("manager"));
    managerData = mdata;
    List<String> margs = new ArrayList<>(List.of("--role=manager", "--port=" + port, "--data-dir=" + mdata,
        "--conf-dir=" + dir.resolve("conf"), "--cluster-host=127.0.0.1", "--cluster-port=" + clusterPort,
        "--cluster-name=" + name, "--host=127.0.0.1", "--offload-cpu-pct=101", "--local-executor=false",
        "--log-level=warn", "--store=" + store,
        // why: the bench measures the scheduler, not the per-client limiter that guards a shared manager
        "--submit-rate=10000000", "--submit-burst=100000000"));
    margs.addAll(spec.managerArgs());
    managerArgs = List.copyOf(margs);
    manager = java("manager", JvmProfile.options("manager"), spec.managerJvm(), margs);
    awaitManager(mdata);
    note.accept("manager pid " + manager.pid() + " at " + url);
    for (int i = 1; i <= spec.agents() + spec.httpAgents(); i++) {
      boolean http = i > spec.agents();
      String id = spec.name() + (http ? "-h" + (i - spec.agents()) : "-a" + i);
      Path adata = Files.createDirectories(dir.resolve(id));
      List<String> aargs = List.of("--role=agent", "--manager=" + url, "--token=" + joinToken, "--node-id=" + id,
          "--port=" + freePort(), "--cluster-host=127.0.0.1", "--max-concurrent=" + spec.slots(),
          "--transport=" + (http ? "http" : spec.transport()), "--data-dir=" + adata,
          "--conf-dir=" + dir.resolve("conf"), "--log-level=warn",
          // why: heady's own echo tasks; run as root, an agent would otherwise need the heady-task user
          "--run-as=" + System.getProperty("user.name"));
      agents.add(java(id, JvmProfile.options(spec.agentProfile()), spec.agentJvm(), aargs));
      agentIds.add(id);
      agentArgs.add(aargs);
    }
    if (!agents.isEmpty()) {
      awaitAgents();
      String transports = spec.httpAgents() == 0 ? spec.transport()
          : spec.agents() + " " + spec.transport() + ", " + spec.httpAgents() + " http";
      note.accept(agents.size() + " agents active (" + transports + ", " + spec.slots() + " slots each, pids "
          + agents.stream().map(p -> Long.toString(p.pid())).reduce((a, b) -> a + "," + b).orElse("") + ")");
    }
    return this;
  }

  // ---- faults: each by the PID of a process this cluster started -------------------------------------------

  /** SIGKILLs an agent and waits for it to be gone; returns its PID. */
  public synchronized long killAgent(String id) throws InterruptedException {
    Process p = agents.get(agentIndex(id));
    paused.remove(p.pid());
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
    return p.pid();
  }

  /** Starts an agent again with the same node id, port, flags and data directory; returns its new PID. */
  public synchronized long restartAgent(String id) throws IOException {
    int i = agentIndex(id);
    if (closed) {
      throw new IllegalStateException("the cluster is closed");
    }
    if (agents.get(i).isAlive()) {
      throw new IllegalStateException("agent " + id + " (pid " + agents.get(i).pid() + ") is still running");
    }
    Process p = java(id, JvmProfile.options(spec.agentProfile()), spec.agentJvm(), agentArgs.get(i));
    agents.set(i, p);
    return p.pid();
  }

  /** SIGSTOPs an agent (it stays in memory, silent); returns its PID. */
  public synchronized long pauseAgent(String id) throws IOException, InterruptedException {
    Process p = agents.get(agentIndex(id));
    signal(p.pid(), "STOP");
    paused.add(p.pid());
    return p.pid();
  }

  /** SIGCONTs a paused agent; returns its PID. */
  public synchronized long resumeAgent(String id) throws IOException, InterruptedException {
    Process p = agents.get(agentIndex(id));
    signal(p.pid(), "CONT");
    paused.remove(p.pid());
    return p.pid();
  }

  /** SIGKILLs the manager and waits for it to be gone; returns its PID. */
  public synchronized long killManager() throws InterruptedException {
    manager.destroyForcibly();
    manager.waitFor(10, TimeUnit.SECONDS);
    return manager.pid();
  }

  /**
   * Starts the manager again with the same ports, flags and data directory and waits until it is ready;
   * returns its new PID.
   */
  public long restartManager() throws IOException, InterruptedException {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the cluster is closed");
      }
      if (manager.isAlive()) {
        throw new IllegalStateException("the manager (pid " + manager.pid() + ") is still running");
      }
      manager = java("manager", JvmProfile.options("manager"), spec.managerJvm(), managerArgs);
    }
    // why: not under the lock, so a Ctrl-C (close) need not wait for a recovering manager
    awaitManager(managerData);
    return manager.pid();
  }

  /** SIGKILLs the cluster's redis-server; returns its PID. */
  public synchronized long killRedis() throws InterruptedException {
    if (redis == null) {
      throw new IllegalStateException("this cluster has no redis-server (memory store)");
    }
    redis.destroyForcibly();
    redis.waitFor(10, TimeUnit.SECONDS);
    return redis.pid();
  }

  /** Starts redis-server again on the same port and data directory (it reloads its AOF); returns its PID. */
  public long restartRedis() throws IOException, InterruptedException {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the cluster is closed");
      }
      if (redis == null || redis.isAlive()) {
        throw new IllegalStateException("no stopped redis-server to restart");
      }
      startRedis();
    }
    return redis.pid();
  }

  public synchronized boolean hasRedis() {
    return redis != null;
  }

  private void startRedis() throws IOException, InterruptedException {
    redis = new ProcessBuilder(redisCmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
    awaitRedis(redisPort);
  }

  private int agentIndex(String id) {
    int i = agentIds.indexOf(id);
    if (i < 0) {
      throw new IllegalArgumentException("no agent " + id + " in this cluster (" + agentIds + ")");
    }
    return i;
  }

  /** {@code kill -SIG <pid>}: the JDK cannot stop or continue a process. */
  private static void signal(long pid, String sig) throws IOException, InterruptedException {
    Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).redirectErrorStream(true).start();
    String out = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new IOException("kill -" + sig + " " + pid + " failed: " + out);
    }
  }

  public String url() {
    return url;
  }

  public String adminToken() {
    return adminToken;
  }

  public String joinToken() {
    return joinToken;
  }

  public synchronized long managerPid() {
    return manager.pid();
  }

  public synchronized List<Long> agentPids() {
    return agents.stream().map(Process::pid).toList();
  }

  /** The PID of an agent's current process. */
  public synchronized long agentPid(String id) {
    return agents.get(agentIndex(id)).pid();
  }

  public List<String> agentIds() {
    return List.copyOf(agentIds);
  }

  public Path dir() {
    return dir;
  }

  private Process java(String name, List<String> profile, List<String> extra, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(profile);
    cmd.addAll(extra);
    cmd.add("-jar");
    cmd.add(spec.jar().toString());
    cmd.addAll(args);
    // why: append, so a restarted process's log follows the one it replaces
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_"));
    return pb.start();
  }

  private void awaitManager(Path mdata) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(mdata.resolve("admin.token")) || !Files.exists(mdata.resolve("join.token"))) {
      alive(manager, "manager");
      pause(deadline, "the manager's token files");
    }
    adminToken = Files.readString(mdata.resolve("admin.token")).trim();
    joinToken = Files.readString(mdata.resolve("join.token")).trim();
    AdminHttp admin = new AdminHttp(url, adminToken);
    while (admin.get("/health/ready").status() != 200) {
      alive(manager, "manager");
      pause(deadline, "the manager to be ready");
    }
  }

  private void awaitAgents() throws InterruptedException {
    AdminHttp admin = new AdminHttp(url, adminToken);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      for (int i = 0; i < agents.size(); i++) {
        alive(agents.get(i), agentIds.get(i));
      }
      AdminHttp.Res r = admin.get("/api/cluster/nodes");
      if (r.ok() && r.json() != null) {
        JsonArray nodes = r.json().getJsonArray("nodes", new JsonArray());
        int active = 0;
        for (Object o : nodes) {
          JsonObject n = (JsonObject) o;
          if (agentIds.contains(n.getString("node_id")) && "active".equals(n.getString("status"))) {
            active++;
          }
        }
        if (active == agents.size()) {
          return;
        }
      }
      pause(deadline, "all " + agents.size() + " agents to be active nodes");
    }
  }

  private void alive(Process p, String what) {
    if (!p.isAlive()) {
      throw new IllegalStateException("the " + what + " exited with " + p.exitValue() + ": " + tail(what));
    }
  }

  /** The last lines a process printed (for an error message). */
  public String tail(String what) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(what + ".log"));
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static void pause(long deadline, String what) throws InterruptedException {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("gave up waiting for " + what);
    }
    Thread.sleep(100);
  }

  private void awaitRedis(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      if (!redis.isAlive()) {
        throw new IllegalStateException("redis-server exited: " + tail("redis"));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        OutputStream o = s.getOutputStream();
        o.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        o.flush();
        InputStream in = s.getInputStream();
        byte[] b = new byte[7];
        int n = in.read(b);
        if (n > 0 && new String(b, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      pause(deadline, "redis-server on port " + port);
    }
  }

  /** Stops the agents, then the manager, then Redis, each by PID (TERM, then KILL after a grace). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Process a : agents) {
      if (paused.remove(a.pid())) {
        try {
          signal(a.pid(), "CONT"); // why: a stopped process holds a TERM until it runs again
        } catch (IOException | InterruptedException e) {
          a.destroyForcibly();
        }
      }
      a.destroy();
    }
    for (Process a : agents) {
      stop(a, 15);
    }
    if (manager != null) {
      stop(manager, 15);
    }
    if (redis != null) {
      stop(redis, 10);
    }
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // already running hooks
      }
    }
    if (dir != null && !spec.keep()) {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort: it is a temporary folder
      }
    }
  }

  private static void stop(Process p, int graceSec) {
    try {
      p.destroy();
      if (!p.waitFor(graceSec, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** A free loopback TCP port. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port: " + e.getMessage(), e);
    }
  }

  /** The jar this code runs from, or {@code target/heady.jar} when it does not run from a jar (tests). */
  public static Path runningJar() {
    try {
      var src = LocalCluster.class.getProtectionDomain().getCodeSource();
      if (src != null) {
        Path p = Path.of(src.getLocation().toURI());
        if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
          return p;
        }
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall through
    }
    return Path.of("target", "heady.jar").toAbsolutePath();
  }
}
