package io.heady.client.chaos;

import io.heady.client.bench.LocalCluster;
import io.heady.client.bench.ProgressBar;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code heady chaos --local}: checks that heady keeps every task through the faults it promises to survive, on
 * a cluster of separate processes it starts on loopback. Prints the steps and the audit; exits 0 only when no
 * task was lost, failed, doubled or crossed, both completion counters grew by exactly the number of tasks and
 * every agent is active at the end.
 */
@Command(name = "chaos", sortOptions = false, usageHelpAutoWidth = true,
    description = {"Check that a heady cluster keeps every task through faults: agents killed and restarted, an "
        + "agent paused past its TTL, Redis and the manager killed and restarted.",
        "--local starts a manager, agents and (for --store redis) a redis-server of its own on loopback, with a "
            + "TTL of 4 s; it submits a paced stream of shell tasks whose output names the task while the faults "
            + "happen on a timeline drawn from --seed, then audits every task, the counters and the nodes.",
        "Exit 0: no violation; 1: a violation (listed); 2: a bad flag."},
    footerHeading = "%n",
    footer = {"Examples:",
        "  heady chaos --local                        1,000 tasks; agent, Redis, manager faults",
        "  heady chaos --local --store memory         no Redis, no manager kill",
        "  heady chaos --local --seed 42 --keep       replay a schedule, keep the logs",
        "  bench/chaos-soak.sh                        the long run (10,000 tasks, 10 kills)"})
public final class ChaosCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--local", description = "start the cluster here (required: chaos never touches a running one)")
  boolean local;

  @Option(names = "--store", paramLabel = "memory|redis", description = "the manager's store; redis starts a "
      + "redis-server of its own (AOF, appendfsync always) (default: ${DEFAULT-VALUE})")
  String store = "redis";

  @Option(names = "--agents", paramLabel = "N", description = "event-bus agents (default: ${DEFAULT-VALUE})")
  int agents = 3;

  @Option(names = "--http-agents", paramLabel = "M", description = "http-transport agents (default: "
      + "${DEFAULT-VALUE})")
  int httpAgents = 1;

  @Option(names = "--slots", paramLabel = "S", description = "task slots per agent (default: ${DEFAULT-VALUE})")
  int slots = 2;

  @Option(names = "--tasks", paramLabel = "N", description = "shell tasks submitted (default: ${DEFAULT-VALUE})")
  int tasks = 1000;

  @Option(names = "--rate", paramLabel = "R", description = "tasks submitted a second (default: ${DEFAULT-VALUE})")
  int rate = 20;

  @Option(names = "--task-ms", paramLabel = "MS", description = "each task sleeps up to this long before it prints "
      + "its line, so kills hit running tasks (default: ${DEFAULT-VALUE})")
  int taskMs = 200;

  @Option(names = "--agent-kills", paramLabel = "K", description = "SIGKILL a random agent K times, each restarted "
      + "--restart-after later (default: ${DEFAULT-VALUE})")
  int agentKills = 3;

  @Option(names = "--pauses", paramLabel = "P", description = "SIGSTOP a random agent P times for --pause-sec, "
      + "then SIGCONT (default: ${DEFAULT-VALUE})")
  int pauses = 1;

  @Option(names = "--pause-sec", paramLabel = "SEC", description = "how long a pause lasts; more than the TTL of "
      + "4 s (default: ${DEFAULT-VALUE})")
  double pauseSec = 8;

  @Option(names = "--redis-kill-sec", paramLabel = "SEC", description = "SIGKILL redis-server once and restart it "
      + "SEC later; 0: never (default: 5 with --store redis, 0 with memory)")
  Integer redisKillSec;

  @Option(names = "--manager-kills", paramLabel = "K", description = "SIGKILL the manager K times (0 to 3), each "
      + "restarted --restart-after later (default: 1 with --store redis, 0 with memory)")
  Integer managerKills;

  @Option(names = "--restart-after", paramLabel = "SEC", description = "seconds from a kill to the restart "
      + "(default: ${DEFAULT-VALUE})")
  double restartAfter = 1;

  @Option(names = "--timeout", paramLabel = "SEC", description = "after the stream, wait this long for the tasks "
      + "to end; unfinished ones are lost (default: ${DEFAULT-VALUE})")
  int timeoutSec = 300;

  @Option(names = "--seed", paramLabel = "S", description = "the seed of the fault schedule and task sleeps "
      + "(default: random, printed)")
  Long seed;

  @Option(names = "--keep", description = "keep the processes' logs and data (the folder is printed)")
  boolean keep;

  /** The flags as settings (the store decides the Redis and manager defaults). */
  ChaosSettings settings() {
    boolean redis = "redis".equals(store);
    return new ChaosSettings(local, store, agents, httpAgents, slots, tasks, rate, taskMs, agentKills, pauses,
        pauseSec, redisKillSec != null ? redisKillSec : redis ? 5 : 0,
        managerKills != null ? managerKills : redis ? 1 : 0, restartAfter, timeoutSec);
  }

  /** The plan these flags and this seed make; a bad flag or a plan that does not fit is a usage error. */
  FaultPlan plan(ChaosSettings s, long seed) {
    try {
      s.check();
      return FaultPlan.of(new FaultPlan.Spec(seed, s.streamSec(), ChaosRun.agentIds(s), s.agentKills(), s.pauses(),
          s.pauseSec(), s.redisKillSec(), s.managerKills(), s.restartAfterSec()));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), ProgressBar.stderrTty(), "heady chaos");
    ChaosSettings s = settings();
    long sd = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
    FaultPlan plan = plan(s, sd);
    bar.note("seed " + sd + " (replay the same schedule with --seed " + sd + ")");
    for (FaultStep step : plan.steps()) {
      bar.note("plan " + step.describe());
    }
    ChaosRun.Result r = new ChaosRun(s, plan, keep, bar, LocalCluster.runningJar()).run();
    bar.clear();
    out.print(ChaosReport.table(r));
    if (keep) {
      out.println("logs and data kept in " + r.dir());
    }
    if (option("--json")) {
      out.println(ChaosReport.json(r).encode());
    }
    out.flush();
    return r.verdict().ok() ? 0 : 1;
  }

  private boolean option(String name) {
    OptionSpec o = spec.findOption(name);
    return o != null && Boolean.TRUE.equals(o.getValue());
  }
}
