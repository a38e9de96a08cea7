package io.heady.client.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The faults of a chaos run and when each happens, drawn from a seed: the same seed and the same flags give the
 * same plan, so a run that found something can be replayed with {@code --seed}. Every fault starts after the
 * first tenth of the task stream and is undone before its last tenth, so the run ends on a cluster that had time
 * to heal. An agent gets one fault at a time, with time to come back between two; Redis and manager faults do not
 * overlap each other (a manager restarted while Redis is down cannot recover its state).
 */
public final class FaultPlan {
  /** Seconds an agent needs after its restart or resume before it is fair to hit it again. */
  static final double AGENT_BACK_SEC = 15;
  /** Seconds the manager needs after its restart (JVM start, leadership, recovery from Redis). */
  static final double MANAGER_BACK_SEC = 20;
  /** Seconds the manager needs after Redis is back to flush what waited. */
  static final double REDIS_BACK_SEC = 10;
  private static final int TRIES = 2000;

  /**
   * What to plan.
   *
   * @param streamSec how long the task stream lasts (tasks / rate)
   * @param agents the agents' node ids, in a fixed order
   */
  public record Spec(long seed, double streamSec, List<String> agents, int agentKills, int pauses, double pauseSec,
      int redisKillSec, int managerKills, double restartAfterSec) {}

  private final long seed;
  private final List<FaultStep> steps;

  private FaultPlan(long seed, List<FaultStep> steps) {
    this.seed = seed;
    this.steps = List.copyOf(steps);
  }

  /**
   * Draws the plan.
   *
   * @throws IllegalArgumentException when the faults asked for do not fit in the stream (it names the flags)
   */
  public static FaultPlan of(Spec s) {
    Random r = new Random(s.seed());
    double lo = Math.max(2, s.streamSec() * 0.1);
    double hi = s.streamSec() * 0.9;
    List<FaultStep> out = new ArrayList<>();
    List<double[]> global = new ArrayList<>();
    Map<String, List<double[]>> perAgent = new HashMap<>();
    for (String a : s.agents()) {
      perAgent.put(a, new ArrayList<>());
    }
    for (int i = 0; i < s.managerKills(); i++) {
      out.add(placeGlobal(r, s, lo, hi, global, FaultStep.Kind.MANAGER_KILL, "manager", s.restartAfterSec(),
          MANAGER_BACK_SEC));
    }
    if (s.redisKillSec() > 0) {
      out.add(placeGlobal(r, s, lo, hi, global, FaultStep.Kind.REDIS_KILL, "redis", s.redisKillSec(),
          REDIS_BACK_SEC));
    }
    for (int i = 0; i < s.pauses(); i++) {
      out.add(placeAgent(r, s, lo, hi, perAgent, FaultStep.Kind.AGENT_PAUSE, s.pauseSec()));
    }
    for (int i = 0; i < s.agentKills(); i++) {
      out.add(placeAgent(r, s, lo, hi, perAgent, FaultStep.Kind.AGENT_KILL, s.restartAfterSec()));
    }
    out.sort(Comparator.comparingDouble(FaultStep::atSec).thenComparing(FaultStep::target));
    return new FaultPlan(s.seed(), out);
  }

  private static FaultStep placeGlobal(Random r, Spec s, double lo, double hi, List<double[]> busy,
      FaultStep.Kind kind, String target, double forSec, double back) {
    for (int i = 0; i < TRIES; i++) {
      double t = draw(r, lo, hi - forSec, s, kind);
      double[] span = {t, t + forSec + back};
      if (free(busy, span)) {
        busy.add(span);
        return new FaultStep(t, kind, target, forSec);
      }
    }
    throw tooShort(s, kind);
  }

  private static FaultStep placeAgent(Random r, Spec s, double lo, double hi, Map<String, List<double[]>> busy,
      FaultStep.Kind kind, double forSec) {
    if (s.agents().isEmpty()) {
      throw new IllegalArgumentException("--agent-kills and --pauses need at least one agent (--agents, "
          + "--http-agents)");
    }
    for (int i = 0; i < TRIES; i++) {
      double t = draw(r, lo, hi - forSec, s, kind);
      double[] span = {t, t + forSec + AGENT_BACK_SEC};
      List<String> free = new ArrayList<>();
      for (String a : s.agents()) {
        if (free(busy.get(a), span)) {
          free.add(a);
        }
      }
      if (!free.isEmpty()) {
        String a = free.get(r.nextInt(free.size()));
        busy.get(a).add(span);
        return new FaultStep(t, kind, a, forSec);
      }
    }
    throw tooShort(s, kind);
  }

  private static double draw(Random r, double lo, double hi, Spec s, FaultStep.Kind kind) {
    if (hi <= lo) {
      throw tooShort(s, kind);
    }
    return lo + r.nextDouble() * (hi - lo);
  }

  private static boolean free(List<double[]> busy, double[] span) {
    for (double[] b : busy) {
      if (span[0] < b[1] && b[0] < span[1]) {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException tooShort(Spec s, FaultStep.Kind kind) {
    String what = switch (kind) {
      case AGENT_KILL -> "--agent-kills " + s.agentKills();
      case AGENT_PAUSE -> "--pauses " + s.pauses() + " of --pause-sec " + FaultStep.sec(s.pauseSec());
      case REDIS_KILL -> "--redis-kill-sec " + s.redisKillSec();
      case MANAGER_KILL -> "--manager-kills " + s.managerKills();
    };
    return new IllegalArgumentException(String.format(Locale.ROOT, "the faults asked (%s) do not fit in a stream "
        + "of %.0f s (--tasks / --rate) with %d agents: faults happen between 10%% and 90%% of the stream, an agent takes one "
        + "every %.0f s at most, Redis and manager faults %.0f s apart; submit more tasks, lower --rate, add agents "
        + "or ask fewer faults", what, s.streamSec(), s.agents().size(), AGENT_BACK_SEC, MANAGER_BACK_SEC));
  }

  public long seed() {
    return seed;
  }

  /** The steps in time order. */
  public List<FaultStep> steps() {
    return steps;
  }

  /** When the last fault is undone (0 without faults). */
  public double lastEndSec() {
    return steps.stream().mapToDouble(FaultStep::endSec).max().orElse(0);
  }
}
