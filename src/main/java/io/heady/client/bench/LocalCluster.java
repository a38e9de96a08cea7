package io.heady.client.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A manager and N agents started as separate JVM processes on loopback (with a Redis of its own when the
 * store is Redis), each with the launcher's JVM options for its role, and stopped by PID when closed (also
 * from a shutdown hook, so Ctrl-C leaves nothing behind). For {@code heady chaos} any of them can be killed
 * (SIGKILL), an agent paused (SIGSTOP) and resumed, and each restarted with the same ports, flags and data
 * directory; every signal goes to a PID this class started, never to a process found by name.
 * {@link ClusterProcesses} starts and signals them, {@link RedisServerProcess} is the Redis of its own and
 * {@link ClusterReadiness} waits until each is usable.
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
  private ClusterProcesses processes;
  private ClusterReadiness readiness;
  private volatile RedisServerProcess redis;
  private volatile Process manager;
  private List<String> managerArgs;
  private Path managerData;
  private final List<Process> agents = new ArrayList<>();
  private final List<String> agentIds = new ArrayList<>();
  private final List<List<String>> agentArgs = new ArrayList<>();
  private final Set<Long> paused = new HashSet<>();
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
    processes = new ClusterProcesses(dir, spec.jar());
    readiness = new ClusterReadiness(processes);
    hook = new Thread(this::close, "heady-" + spec.name() + "-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    String store = "memory";
    if ("redis".equals(spec.store())) {
      redis = new RedisServerProcess(processes, dir, freePort());
      redis.start();
      store = "redis://127.0.0.1:" + redis.port() + "/0";
      note.accept("redis-server pid " + redis.pid() + " on 127.0.0.1:" + redis.port() + " (appendfsync always)");
    }
    int port = freePort();
    int clusterPort = freePort();
    url = "http://127.0.0.1:" + port;
    managerData = Files.createDirectories(dir.resolve("manager"));
    List<String> margs = new ArrayList<>(List.of("--role=manager", "--port=" + port, "--data-dir=" + managerData,
        "--conf-dir=" + dir.resolve("conf"), "--cluster-host=127.0.0.1", "--cluster-port=" + clusterPort,
        "--cluster-name=" + name, "--host=127.0.0.1", "--offload-cpu-pct=101", "--local-executor=false",
        "--log-level=warn", "--store=" + store,
        // why: the bench measures the scheduler, not the per-client limiter that guards a shared manager
        "--submit-rate=10000000", "--submit-burst=100000000"));
    margs.addAll(spec.managerArgs());
    managerArgs = List.copyOf(margs);
    manager = processes.java("manager", JvmProfile.options("manager"), spec.managerJvm(), margs);
    awaitManager();
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
      agents.add(agent(id, aargs));
      agentIds.add(id);
      agentArgs.add(aargs);
    }
    if (!agents.isEmpty()) {
      readiness.agents(url, adminToken, agents, agentIds);
      String transports = spec.httpAgents() == 0 ? spec.transport()
          : spec.agents() + " " + spec.transport() + ", " + spec.httpAgents() + " http";
      note.accept(agents.size() + " agents active (" + transports + ", " + spec.slots() + " slots each, pids "
          + agents.stream().map(p -> Long.toString(p.pid())).reduce((a, b) -> a + "," + b).orElse("") + ")");
    }
    return this;
  }

  private Process agent(String id, List<String> args) throws IOException {
    return processes.java(id, JvmProfile.options(spec.agentProfile()), spec.agentJvm(), args);
  }

  /** Waits for the manager (started or restarted) and reads its tokens. */
  private void awaitManager() throws IOException, InterruptedException {
    ClusterReadiness.Tokens t = readiness.manager(manager, managerData, url);
    adminToken = t.admin();
    joinToken = t.join();
  }

  // ---- faults: each by the PID of a process this cluster started -------------------------------------------

  /** SIGKILLs an agent and waits for it to be gone; returns its PID. */
  public synchronized long killAgent(String id) throws InterruptedException {
    Process p = agents.get(agentIndex(id));
    paused.remove(p.pid());
    return ClusterProcesses.kill(p);
  }

  /** Starts an agent again with the same node id, port, flags and data directory; returns its new PID. */
  public synchronized long restartAgent(String id) throws IOException {
    int i = agentIndex(id);
    open();
    if (agents.get(i).isAlive()) {
      throw new IllegalStateException("agent " + id + " (pid " + agents.get(i).pid() + ") is still running");
    }
    Process p = agent(id, agentArgs.get(i));
    agents.set(i, p);
    return p.pid();
  }

  /** SIGSTOPs an agent (it stays in memory, silent); returns its PID. */
  public synchronized long pauseAgent(String id) throws IOException, InterruptedException {
    Process p = agents.get(agentIndex(id));
    ClusterProcesses.signal(p.pid(), "STOP");
    paused.add(p.pid());
    return p.pid();
  }

  /** SIGCONTs a paused agent; returns its PID. */
  public synchronized long resumeAgent(String id) throws IOException, InterruptedException {
    Process p = agents.get(agentIndex(id));
    ClusterProcesses.signal(p.pid(), "CONT");
    paused.remove(p.pid());
    return p.pid();
  }

  /** SIGKILLs the manager and waits for it to be gone; returns its PID. */
  public synchronized long killManager() throws InterruptedException {
    return ClusterProcesses.kill(manager);
  }

  /**
   * Starts the manager again with the same ports, flags and data directory and waits until it is ready;
   * returns its new PID.
   */
  public long restartManager() throws IOException, InterruptedException {
    synchronized (this) {
      open();
      if (manager.isAlive()) {
        throw new IllegalStateException("the manager (pid " + manager.pid() + ") is still running");
      }
      manager = processes.java("manager", JvmProfile.options("manager"), spec.managerJvm(), managerArgs);
    }
    // why: not under the lock, so a Ctrl-C (close) need not wait for a recovering manager
    awaitManager();
    return manager.pid();
  }

  /** SIGKILLs the cluster's redis-server; returns its PID. */
  public synchronized long killRedis() throws InterruptedException {
    if (redis == null) {
      throw new IllegalStateException("this cluster has no redis-server (memory store)");
    }
    return ClusterProcesses.kill(redis.process());
  }

  /** Starts redis-server again on the same port and data directory (it reloads its AOF); returns its PID. */
  public long restartRedis() throws IOException, InterruptedException {
    synchronized (this) {
      open();
      if (redis == null || redis.alive()) {
        throw new IllegalStateException("no stopped redis-server to restart");
      }
      redis.start();
    }
    return redis.pid();
  }

  public synchronized boolean hasRedis() {
    return redis != null;
  }

  /** Throws when the cluster is closed: nothing may be started again. */
  private void open() {
    if (closed) {
      throw new IllegalStateException("the cluster is closed");
    }
  }

  private int agentIndex(String id) {
    int i = agentIds.indexOf(id);
    if (i < 0) {
      throw new IllegalArgumentException("no agent " + id + " in this cluster (" + agentIds + ")");
    }
    return i;
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

  /** The last lines a process printed (for an error message). */
  public String tail(String what) {
    return processes == null ? "(no log)" : processes.tail(what);
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
          ClusterProcesses.signal(a.pid(), "CONT"); // why: a stopped process holds a TERM until it runs again
        } catch (IOException | InterruptedException e) {
          a.destroyForcibly();
        }
      }
      a.destroy();
    }
    for (Process a : agents) {
      ClusterProcesses.stop(a, 15);
    }
    if (manager != null) {
      ClusterProcesses.stop(manager, 15);
    }
    if (redis != null && redis.process() != null) {
      ClusterProcesses.stop(redis.process(), 10);
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

  /** A free loopback TCP port. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
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
