package io.heady.client.bench;

import io.heady.client.ClientConfig;
import io.heady.common.Version;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
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
 * Celery peer's ({@code ../shared/bench/peer-celery}). This class holds the options and checks them; a
 * {@link LoadRun} or a {@link SimRun} measures the {@link BenchTarget}.
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
    JsonObject result;
    try (BenchTarget target = target()) {
      result = simNodes > 0 ? new SimRun(plan(), bar).run(target) : new LoadRun(plan(), bar).run(target);
    }
    result.put("version", Version.VERSION).put("java", System.getProperty("java.version"))
        .put("cores", Runtime.getRuntime().availableProcessors());
    bar.clear();
    if (option("--json")) {
      out.println(result.encode());
    } else {
      out.print(BenchReport.table(result));
    }
    out.flush();
    try {
      History.append(hist, result);
    } catch (IOException e) {
      bar.note("could not append to " + hist + ": " + e.getMessage());
    }
    if (plot != null) {
      writePlot(hist);
    }
    return result.getInteger("lost", 0) == 0 && result.getInteger("duplicates", 0) == 0 ? 0 : 1;
  }

  private void writePlot(Path hist) throws IOException {
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

  /** The run the options ask for. */
  private BenchPlan plan() {
    return new BenchPlan(kind, tasks, warmupTasks(), inFlight, batch, requests, timeoutSec, agents, slots, store,
        transport, agentProfile, simNodes, simHeartbeatSec, simFloodSec, profileDir, label, local);
  }

  /** The cluster to measure: started here with --local, else the one the configuration names. */
  private BenchTarget target() throws IOException, InterruptedException {
    if (!local) {
      return BenchTarget.running(config(), simNodes > 0 ? joinToken : null, managerPid);
    }
    if (simNodes > 0) {
      bar.note("starting a manager (" + store + " store) for " + simNodes + " simulated nodes");
      return BenchTarget.start(clusterSpec(0), bar);
    }
    bar.note("starting a manager and " + agents + " agents (" + store + " store, " + transport + ", " + slots
        + " slots each)");
    return BenchTarget.start(clusterSpec(agents), bar);
  }

  private LocalCluster.Spec clusterSpec(int n) {
    List<String> margs = new ArrayList<>();
    if (simNodes > 0) {
      margs.add("--heartbeat-sec=" + simHeartbeatSec);
    }
    return new LocalCluster.Spec(n, slots, store, transport, agentProfile.equals("small") ? "agent-small" : "agent",
        words(managerJvm), words(agentJvm), margs, LocalCluster.runningJar(), keep);
  }

  static List<String> words(String s) {
    return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
  }

  /**
   * The URL, admin token and pinned certificate as every heady command resolves them (--url/--token/
   * --manager-fingerprint, env, files, defaults).
   */
  private ClientConfig config() {
    return ClientConfig.resolve(optionValue("--url"), optionValue("--token"), optionValue("--manager-fingerprint"),
        System.getenv(), Path.of(System.getProperty("user.home", ".")), Path.of("/etc/heady/cli.json"));
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
