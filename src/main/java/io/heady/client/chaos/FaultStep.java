package io.heady.client.chaos;

import java.util.Locale;

/**
 * One fault of a chaos run: what is done to whom, how many seconds after the stream of tasks began, and how long
 * until it is undone (the process restarted or resumed).
 *
 * @param atSec seconds after the first submission
 * @param kind what is done
 * @param target the agent's node id, or {@code redis} / {@code manager}
 * @param forSec seconds from the fault to the restart or resume
 */
public record FaultStep(double atSec, Kind kind, String target, double forSec) {
  /** The faults {@code heady chaos} knows. */
  public enum Kind {
    /** SIGKILL an agent, then start it again with the same node id and data directory. */
    AGENT_KILL,
    /** SIGSTOP an agent for longer than the TTL, then SIGCONT it. */
    AGENT_PAUSE,
    /** SIGKILL redis-server, then start it again on the same port and data directory (it reloads its AOF). */
    REDIS_KILL,
    /** SIGKILL the manager, then start it again with the same ports, flags and data directory. */
    MANAGER_KILL
  }

  /** When the fault is undone, in seconds after the first submission. */
  public double endSec() {
    return atSec + forSec;
  }

  /** One line for the printed plan: {@code +12.3 s  SIGKILL agent chaos-a2, restart 1.0 s later}. */
  public String describe() {
    String what = switch (kind) {
      case AGENT_KILL -> "SIGKILL agent " + target + ", restart it " + sec(forSec) + " later";
      case AGENT_PAUSE -> "SIGSTOP agent " + target + ", SIGCONT it " + sec(forSec) + " later";
      case REDIS_KILL -> "SIGKILL redis-server, restart it " + sec(forSec) + " later";
      case MANAGER_KILL -> "SIGKILL the manager, restart it " + sec(forSec) + " later";
    };
    return "+" + sec(atSec) + "  " + what;
  }

  static String sec(double s) {
    return String.format(Locale.ROOT, "%.1f s", s);
  }
}
