package io.heady.client.bench;

import io.heady.client.ClientConfig;
import io.heady.client.bench.sim.NodeSimulator;
import io.heady.common.Version;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code heady bench}: measures throughput, latency, loss and memory of a heady cluster, started here on
 * loopback ({@code --local}) or already running ({@code --url/--token}); with {@code --sim-nodes K}, the
 * manager alone against K simulated nodes. Prints a table, or with {@code --json} one line shaped like the
 * Celery peer's ({@code ../shared/bench/peer-celery}).
 */
@Command(name = "bench", sortOptions = false, usageHelpAutoWidth = true,
    description = {"Measure a heady cluster: tasks a second, submit-to-done latency, lost and duplicated tasks, "
        + "memory.",
        "--local starts a manager and agents as separate processes on loopback and stops them afterwards; "
            + "without it the cluster at --url is measured.",
        "--sim-nodes K measures the manager alone against K simulated HTTP nodes (deep queue, heartbeats, heap)."},
    footerHeading = "%n",
    footer = {"Examples:",
        "  heady bench --local --tasks 20000                      noop, 2 agents x 2 slots, memory store",
        "  heady bench --local --kind shell --tasks 2000 --json   shell `true`, one JSON line",
        "  heady bench --local --in-flight 1 --tasks 2000         per-task round trip",
        "  heady bench --local --store redis                      durable acknowledgement (own redis-server)",
        "  heady bench --local --sim-nodes 10000 --tasks 100000   the manager alone",
        "  heady bench --plot-only --plot chart.svg --history results.jsonl"})
public final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--local", description = "start a manager and agents on loopback for the run, stop them after")
  boolean local;

  @Option(names = "--agents", paramLabel = "N", description = "agents to start with --local (default: ${DEFAULT-VALUE})")
  int agents = 2;

  @Option(names = "--slots", paramLabel = "S", description = "task slots per agent (default: ${DEFAULT-VALUE})")
  int slots = 2;

  @Option(names = "--store", paramLabel = "memory|redis",
      description = "manager store with --local; redis starts a redis-server of its own with appendfsync always "
          + "(default: ${DEFAULT-VALUE})")
  String store = "memory";

  @Option(names = "--transport", paramLabel = "eventbus|http",
      description = "how the agents reach the manager (default: ${DEFAULT-VALUE})")
  String transport = "eventbus";

  @Option(names = "--agent-profile", paramLabel = "default|small",
      description = "launcher JVM options for the agents: agent.options or agent-small.options (default: "
          + "${DEFAULT-VALUE})")
  String agentProfile = "default";

  @Option(names = "--manager-jvm", paramLabel = "OPTS", description = "extra JVM options for the manager")
  String managerJvm = "";

  @Option(names = "--agent-jvm", paramLabel = "OPTS", description = "extra JVM options for the agents")
  String agentJvm = "";

  @Option(names = "--kind", paramLabel = "noop|shell", description = "noop runs no process; shell runs `true` "
      + "(default: ${DEFAULT-VALUE})")
  String kind = "noop";

  @Option(names = "--tasks", paramLabel = "N", description = "tasks measured (default: ${DEFAULT-VALUE})")
  int tasks = 10_000;

  @Option(names = "--warmup", paramLabel = "N", description = "tasks run first and not counted (default: a fifth "
      + "of --tasks, 100 to 2000)")
  Integer warmup;

  @Option(names = "--in-flight", paramLabel = "W", description = "keep at most W tasks unfinished; 0: submit all "
      + "at once (default: ${DEFAULT-VALUE}); 1 gives the per-task round trip")
  int inFlight = 0;

  @Option(names = "--batch", paramLabel = "B", description = "tasks a submission request, as {tasks:[...]} "
      + "(default: ${DEFAULT-VALUE}, at most 1000)")
  int batch = 500;

  @Option(names = "--requests", paramLabel = "R", description = "submission requests outstanding at once "
      + "(default: ${DEFAULT-VALUE})")
  int requests = 4;

  @Option(names = "--timeout", paramLabel = "SEC", description = "give up a phase after this long; unfinished "
      + "tasks count as lost (default: ${DEFAULT-VALUE})")
  int timeoutSec = 600;

  @Option(names = "--sim-nodes", paramLabel = "K", description = "simulate K HTTP nodes that complete tasks at once "
      + "(the manager alone)")
  int simNodes;

  @Option(names = "--sim-heartbeat-sec", paramLabel = "SEC", description = "simulated nodes heartbeat this often "
      + "(default: ${DEFAULT-VALUE})")
  int simHeartbeatSec = 10;

  @Option(names = "--sim-flood-sec", paramLabel = "SEC", description = "seconds of back-to-back heartbeats to find "
      + "how many a second the manager absorbs (default: ${DEFAULT-VALUE})")
  int simFloodSec = 5;

  @Option(names = "--join-token", paramLabel = "TOKEN", description = "join token for --sim-nodes without --local")
  String joinToken;

  @Option(names = "--manager-pid", paramLabel = "PID", description = "the manager's PID without --local (memory "
      + "and heap are read from it)")
  Long managerPid;

  @Option(names = "--profile", paramLabel = "DIR", description = "record the measured phase with Java Flight "
      + "Recorder in each started process and print the hot methods")
  Path profileDir;

  @Option(names = "--label", paramLabel = "TEXT", description = "this run's name in the chart")
  String label;

  @Option(names = "--history", paramLabel = "FILE", description = "results file: each run appends its JSON line; "
      + "--plot draws from it (default: ~/.heady/bench-history.jsonl)")
  Path history;

  @Option(names = "--plot", paramLabel = "FILE", description = "write an SVG chart of throughput and latency of "
      + "the last runs in the history")
  Path plot;

  @Option(names = "--plot-only", description = "draw --plot from --history without running anything")
  boolean plotOnly;

  @Option(names = "--table-only", description = "print the runs in --history as a Markdown table (with the Celery "
      + "peer's and the spawn baseline's lines) without running anything")
  boolean tableOnly;

  @Option(names = "--plot-runs", paramLabel = "N", description = "how many of the last runs to draw or tabulate (default: "
      + "${DEFAULT-VALUE})")
  int plotRuns = 12;

  @Option(names = "--plot-title", paramLabel = "TEXT", description = "the chart's title")
  String plotTitle;

  @Option(names = "--keep", description = "keep the processes' logs and data (the folder is printed)")
  boolean keep;

  private PrintWriter out;
  private ProgressBar bar;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    bar = new ProgressBar(err, ProgressBar.stderrTty());
    Path hist = history != null ? history : Path.of(System.getProperty("user.home", "."), ".heady",
        "bench-history.jsonl");
    if (tableOnly) {
      out.print(MarkdownTable.render(History.last(hist, plotRuns)));
      out.flush();
      if (plot != null) {
        writePlot(hist);
      }
      return 0;
    }
    if (plotOnly) {
      if (plot == null) {
        throw usage("--plot-only needs --plot FILE");
      }
      writePlot(hist);
      return 0;
    }
    validate();
    JsonObject result = simNodes > 0 ? runSim() : runLoad();
    result.put("version", Version.VERSION).put("java", System.getProperty("java.version"))
        .put("cores", Runtime.getRuntime().availableProcessors());
    bar.clear();
    if (option("--json")) {
      out.println(result.encode());
    } else {
      out.print(Report.table(result));
    }
    out.flush();
    try {
      History.append(hist, result);
    } catch (java.io.IOException e) {
      bar.note("could not append to " + hist + ": " + e.getMessage());
    }
    if (plot != null) {
      writePlot(hist);
    }
    return result.getInteger("lost", 0) == 0 && result.getInteger("duplicates", 0) == 0 ? 0 : 1;
  }

  private void writePlot(Path hist) throws java.io.IOException {
    List<JsonObject> runs = History.last(hist, plotRuns);
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no results to plot in " + hist);
    }
    String title = plotTitle != null ? plotTitle : "heady bench: " + runs.size() + " runs, " + hist.getFileName();
    Files.writeString(plot, SvgChart.render(title, runs), StandardCharsets.UTF_8);
    bar.note("chart of " + runs.size() + " runs written to " + plot);
  }

  void validate() {
    List<String> kinds = List.of("noop", "shell");
    if (!kinds.contains(kind)) {
      throw usage("--kind must be noop or shell, not '" + kind + "'");
    }
    if (!List.of("memory", "redis").contains(store)) {
      throw usage("--store must be memory or redis, not '" + store + "'");
    }
    if (!List.of("eventbus", "http").contains(transport)) {
      throw usage("--transport must be eventbus or http, not '" + transport + "'");
    }
    if (!List.of("default", "small").contains(agentProfile)) {
      throw usage("--agent-profile must be default or small, not '" + agentProfile + "'");
    }
    if (tasks < 1) {
      throw usage("--tasks must be at least 1");
    }
    if (batch < 1 || batch > 1000) {
      throw usage("--batch must be from 1 to 1000");
    }
    if (inFlight < 0 || requests < 1 || timeoutSec < 1 || slots < 1 || agents < 0 || agents > 64) {
      throw usage("--in-flight must be 0 or more, --requests, --timeout and --slots at least 1, --agents 0 to 64");
    }
    if (simNodes < 0 || simNodes > 100_000 || simHeartbeatSec < 1 || simFloodSec < 0) {
      throw usage("--sim-nodes must be 0 to 100000, --sim-heartbeat-sec at least 1");
    }
    if (!local && simNodes > 0 && joinToken == null) {
      throw usage("--sim-nodes without --local needs --join-token (the manager's join.token)");
    }
    if (local && simNodes == 0 && agents == 0) {
      throw usage("--local needs at least one agent (--agents), or --sim-nodes");
    }
  }

  int warmupTasks() {
    return warmup != null ? Math.max(0, warmup) : Math.max(100, Math.min(2000, tasks / 5));
  }

  // ---- a load run: real agents --------------------------------------------------------------------------

  private JsonObject runLoad() throws Exception {
    LocalCluster cluster = null;
    Vertx vertx = null;
    try {
      String url;
      String token;
      long mpid = managerPid == null ? -1 : managerPid;
      List<Long> apids = List.of();
      if (local) {
        bar.note("starting a manager and " + agents + " agents (" + store + " store, " + transport + ", "
            + slots + " slots each)");
        cluster = new LocalCluster(clusterSpec(agents), bar::note).start();
        url = cluster.url();
        token = cluster.adminToken();
        mpid = cluster.managerPid();
        apids = cluster.agentPids();
        if (keep) {
          bar.note("logs and data in " + cluster.dir());
        }
        Thread.sleep(2000); // why: idle memory after start-up work settles, not during it
      } else {
        ClientConfig c = config();
        url = c.url();
        token = c.token();
      }
      JsonObject idle = rss(mpid, apids);
      AdminHttp admin = new AdminHttp(url, token);
      JsonObject before = admin.getJson("/api/cluster/state");
      int concurrency = local ? agents * slots : before.getJsonObject("compute_capacity", new JsonObject())
          .getInteger("slots_total", 0);
      double loadBefore = ProcInfo.loadAverage();
      vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
      LoadDriver.Outcome m;
      String profile = null;
      double[] cpu0;
      double[] cpu1;
      try (LoadDriver driver = new LoadDriver(vertx, url, token, driverSettings(), bar)) {
        driver.open();
        int w = warmupTasks();
        if (w > 0) {
          LoadDriver.Outcome wo = driver.run("warmup", w);
          if (wo.succeeded() < w) {
            bar.note("warm-up: " + wo.succeeded() + " of " + w + " succeeded" + (wo.firstError() == null ? ""
                : " (" + wo.firstError() + ")"));
          }
        }
        List<JfrProfile> profiles = startProfiles(mpid, apids);
        cpu0 = cpu(mpid, apids);
        m = driver.run("measure", tasks);
        cpu1 = cpu(mpid, apids);
        profile = stopProfiles(profiles, mpid);
      }
      bar.clear();
      double loadAfter = ProcInfo.loadAverage();
      Audit.Verdict v = Audit.of(admin, m.ids());
      JsonObject r = new JsonObject()
          .put("system", "heady")
          .put("kind", kind)
          .put("tasks", tasks)
          .put("agents", local ? agents : before.getJsonObject("nodes", new JsonObject()).getValue("total"))
          .put("slots", local ? slots : null)
          .put("concurrency", concurrency)
          .put("throughput_per_s", round1(m.throughput()))
          .put("latency_ms", m.latency().toJson())
          .put("start_latency_ms", m.start().toJson())
          .put("start_event", m.startEvent())
          .put("lost", v.lost())
          .put("duplicates", v.duplicates())
          .put("rss_mb", rss(mpid, apids))
          .put("idle_rss_mb", idle)
          .put("cpu_s", cpuUsed(cpu0, cpu1, apids.size()))
          .put("cpu_us_per_task", cpuPerTask(cpu0, cpu1, apids.size(), m.succeeded()))
          .put("store", local ? store : null)
          .put("transport", local ? transport : null)
          .put("agent_profile", local ? agentProfile : null)
          .put("in_flight", inFlight == 0 ? "all" : Integer.toString(inFlight))
          .put("batch", batch)
          .put("warmup", warmupTasks())
          .put("wall_s", round3(m.wallSeconds()))
          .put("submit_s", m.submitEndNs() > 0 ? round3((m.submitEndNs() - m.firstSubmitNs()) / 1e9) : null)
          .put("failed", m.failed())
          .put("submit_errors", m.submitErrors())
          .put("read_back", m.readBack())
          .put("late_results", v.lateResults())
          .put("load_avg_before", loadBefore)
          .put("load_avg_after", loadAfter);
      if (label != null) {
        r.put("label", label);
      }
      if (m.firstError() != null) {
        r.put("error", m.firstError());
      }
      if (profile != null) {
        bar.note("profile of the measured phase:\n" + profile);
      }
      return r;
    } finally {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  private LoadDriver.Settings driverSettings() {
    return new LoadDriver.Settings(kind, inFlight, batch, requests, 15, timeoutSec);
  }

  private LocalCluster.Spec clusterSpec(int n) {
    List<String> margs = new ArrayList<>();
    if (simNodes > 0) {
      margs.add("--heartbeat-sec=" + simHeartbeatSec);
    }
    return new LocalCluster.Spec(n, slots, store, transport, agentProfile.equals("small") ? "agent-small" : "agent",
        words(managerJvm), words(agentJvm), margs, LocalCluster.runningJar(), keep);
  }

  private List<JfrProfile> startProfiles(long mpid, List<Long> apids) throws java.io.IOException {
    List<JfrProfile> out = new ArrayList<>();
    if (profileDir == null || mpid < 0) {
      return out;
    }
    Files.createDirectories(profileDir);
    out.add(new JfrProfile(mpid, profileDir.resolve("manager.jfr")));
    for (int i = 0; i < apids.size(); i++) {
      out.add(new JfrProfile(apids.get(i), profileDir.resolve("agent-" + (i + 1) + ".jfr")));
    }
    out.forEach(JfrProfile::start);
    return out;
  }

  private String stopProfiles(List<JfrProfile> profiles, long mpid) throws java.io.IOException {
    if (profiles.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < profiles.size(); i++) {
      String s = profiles.get(i).stopAndSummarise(15);
      String who = i == 0 ? "manager" : "agent-" + i;
      if (s != null) {
        sb.append("== ").append(who).append(": ").append(s);
        Files.writeString(profileDir.resolve(who + "-hot.txt"), s, StandardCharsets.UTF_8);
      }
    }
    return sb.toString();
  }

  // ---- a simulated run: the manager alone ----------------------------------------------------------------

  private JsonObject runSim() throws Exception {
    LocalCluster cluster = null;
    Vertx vertx = null;
    NodeSimulator sim = null;
    try {
      String url;
      String token;
      String join;
      long mpid = managerPid == null ? -1 : managerPid;
      if (local) {
        bar.note("starting a manager (" + store + " store) for " + simNodes + " simulated nodes");
        cluster = new LocalCluster(clusterSpec(0), bar::note).start();
        url = cluster.url();
        token = cluster.adminToken();
        join = cluster.joinToken();
        mpid = cluster.managerPid();
        if (keep) {
          bar.note("logs and data in " + cluster.dir());
        }
      } else {
        ClientConfig c = config();
        url = c.url();
        token = c.token();
        join = joinToken;
      }
      AdminHttp admin = new AdminHttp(url, token);
      vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
      sim = new NodeSimulator(vertx, new NodeSimulator.Settings(simNodes, slots, simHeartbeatSec, url, join,
          "sim" + Long.toString(System.currentTimeMillis() % 100000, 36) + "-"));
      long r0 = System.nanoTime();
      sim.start();
      double regRate = simNodes / ((System.nanoTime() - r0) / 1e9);
      bar.note(simNodes + " simulated nodes registered (" + Math.round(regRate) + "/s)");
      double loadBefore = ProcInfo.loadAverage();
      LoadDriver.Settings ds = new LoadDriver.Settings("noop", 0, 1000, requests, 15, timeoutSec);
      JsonObject r;
      try (LoadDriver driver = new LoadDriver(vertx, url, token, ds, bar)) {
        driver.open();
        int w = warmupTasks();
        if (w > 0) {
          driver.run("warmup", w);
        }
        bar.clear();
        double flood = simFloodSec > 0 ? sim.flood(simFloodSec, 64) : 0;
        bar.note("heartbeats absorbed at saturation: " + Math.round(flood) + "/s");
        sim.startHeartbeats();
        sim.hold(true);
        NodeSimulator.Snapshot s0 = sim.snapshot();
        CompletableFuture<LoadDriver.Outcome> run = CompletableFuture.supplyAsync(() -> {
          try {
            return driver.run("measure", tasks);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        int held = Math.min(tasks, simNodes * slots);
        int queuedTarget = tasks - held;
        int depth = awaitDepth(admin, queuedTarget, run);
        bar.clear();
        bar.note(depth + " tasks queued, " + held + " held by the simulated nodes; heap after GC...");
        double heapDeep = mpid > 0 ? ProcInfo.heapAfterGcMb(mpid) : -1;
        bar.note("manager heap after GC with " + depth + " queued: " + heapDeep + " MB; releasing the nodes");
        List<JfrProfile> profiles = startProfiles(mpid, List.of());
        sim.measuring(true);
        long t0 = System.nanoTime();
        NodeSimulator.Snapshot sRelease = sim.snapshot();
        sim.hold(false);
        LoadDriver.Outcome m = run.get(timeoutSec + 180L, TimeUnit.SECONDS);
        sim.measuring(false);
        long t1 = m.lastDoneNs();
        NodeSimulator.Snapshot s1 = sim.snapshot();
        String profile = stopProfiles(profiles, mpid);
        bar.clear();
        double flowSec = Math.max(1e-9, (t1 - t0) / 1e9);
        double loadAfter = ProcInfo.loadAverage();
        Audit.Verdict v = Audit.of(admin, m.ids());
        double heapEnd = mpid > 0 ? ProcInfo.heapAfterGcMb(mpid) : -1;
        r = new JsonObject()
            .put("system", "heady")
            .put("kind", "sim")
            .put("tasks", tasks)
            .put("sim_nodes", simNodes)
            .put("agents", 0)
            .put("slots", slots)
            .put("concurrency", simNodes * slots)
            .put("throughput_per_s", round1(m.succeeded() / flowSec))
            .put("latency_ms", m.latency().toJson())
            .put("start_latency_ms", m.start().toJson())
            .put("start_event", m.startEvent())
            .put("placement_ms", s1.placementMs())
            .put("placement_samples", s1.placementSamples())
            .put("heartbeats_per_s", round1(flood))
            .put("heartbeats_steady_per_s", round1((s1.heartbeatsAcked() - sRelease.heartbeatsAcked()) / flowSec))
            .put("heartbeat_latency_ms", s1.heartbeatLatencyMs())
            .put("heartbeat_sec", simHeartbeatSec)
            .put("heartbeat_errors", s1.heartbeatErrors() - s0.heartbeatErrors())
            .put("registrations_per_s", round1(regRate))
            .put("dispatch_refusals", s1.refused())
            .put("manager_heap_mb", new JsonObject().put("deep_queue", heapDeep).put("queued", depth)
                .put("end", heapEnd))
            .put("lost", v.lost())
            .put("duplicates", v.duplicates())
            .put("rss_mb", rss(mpid, List.of()))
            .put("store", local ? store : null)
            .put("transport", "http")
            .put("in_flight", "all")
            .put("batch", ds.batch())
            .put("warmup", w)
            .put("wall_s", round3(flowSec))
            .put("failed", m.failed())
            .put("submit_errors", m.submitErrors())
            .put("late_results", v.lateResults())
            .put("load_avg_before", loadBefore)
            .put("load_avg_after", loadAfter)
            .put("label", label != null ? label : "heady sim " + simNodes + " nodes, " + tasks + " queued");
        if (m.firstError() != null) {
          r.put("error", m.firstError());
        }
        if (profile != null) {
          bar.note("profile of the flow:\n" + profile);
        }
      }
      return r;
    } finally {
      if (sim != null) {
        sim.close();
      }
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  /** Waits until the manager's queue holds {@code target} tasks (all submitted, the rest held by nodes). */
  private int awaitDepth(AdminHttp admin, int target, CompletableFuture<?> run) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSec);
    int depth = 0;
    while (System.nanoTime() < deadline && !run.isDone()) {
      AdminHttp.Res s = admin.get("/api/cluster/state");
      if (s.ok() && s.json() != null) {
        depth = s.json().getJsonObject("queue", new JsonObject()).getInteger("depth", 0);
        if (depth >= target) {
          return depth;
        }
      }
      Thread.sleep(250);
    }
    return depth;
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  /** CPU seconds used so far by: this process, the manager, then each agent (-1 where unknown). */
  private static double[] cpu(long mpid, List<Long> apids) {
    double[] c = new double[2 + apids.size()];
    c[0] = ProcInfo.cpuSeconds(ProcessHandle.current().pid());
    c[1] = mpid > 0 ? ProcInfo.cpuSeconds(mpid) : -1;
    for (int i = 0; i < apids.size(); i++) {
      c[2 + i] = ProcInfo.cpuSeconds(apids.get(i));
    }
    return c;
  }

  /** {@code {bench, manager, agents[]}}: CPU seconds each used during the measured phase. */
  static JsonObject cpuUsed(double[] a, double[] b, int agents) {
    JsonArray ag = new JsonArray();
    for (int i = 0; i < agents; i++) {
      ag.add(diff(a, b, 2 + i));
    }
    return new JsonObject().put("bench", diff(a, b, 0)).put("manager", diff(a, b, 1)).put("agents", ag);
  }

  /** {@code {manager, agents}}: CPU microseconds a task (agents summed), the cost that bounds throughput. */
  static JsonObject cpuPerTask(double[] a, double[] b, int agents, int tasks) {
    if (tasks <= 0) {
      return null;
    }
    double ag = 0;
    for (int i = 0; i < agents; i++) {
      Double d = diff(a, b, 2 + i);
      ag += d == null ? 0 : d;
    }
    Double m = diff(a, b, 1);
    Double bench = diff(a, b, 0);
    return new JsonObject().put("manager", m == null ? null : Math.round(m * 1e6 / tasks))
        .put("agents", agents == 0 ? null : Math.round(ag * 1e6 / tasks))
        .put("bench", bench == null ? null : Math.round(bench * 1e6 / tasks));
  }

  private static Double diff(double[] a, double[] b, int i) {
    return a[i] < 0 || b[i] < 0 ? null : Math.round((b[i] - a[i]) * 100) / 100.0;
  }

  private static JsonObject rss(long mpid, List<Long> apids) {
    JsonArray a = new JsonArray();
    for (long p : apids) {
      a.add(ProcInfo.rssMb(p));
    }
    return new JsonObject().put("manager", mpid > 0 ? ProcInfo.rssMb(mpid) : null).put("agents", a);
  }

  static List<String> words(String s) {
    return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
  }

  static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** The URL and admin token as every heady command resolves them (--url/--token, env, files, defaults). */
  private ClientConfig config() {
    String url = optionValue("--url");
    String token = optionValue("--token");
    return ClientConfig.resolve(url, token, System.getenv(), Path.of(System.getProperty("user.home", ".")),
        Path.of("/etc/heady/cli.json"));
  }

  /** An option inherited from the top {@code heady} command (its value is held there). */
  private String optionValue(String name) {
    OptionSpec o = spec.findOption(name);
    Object v = o == null ? null : o.getValue();
    return v == null ? null : v.toString();
  }

  private boolean option(String name) {
    OptionSpec o = spec.findOption(name);
    return o != null && Boolean.TRUE.equals(o.getValue());
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
