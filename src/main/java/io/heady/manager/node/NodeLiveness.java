package io.heady.manager.node;

import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Refusal;
import io.heady.common.protocol.Registration;
import io.heady.manager.task.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How a node's health moves: registration, heartbeats, probes, reports, undelivered dispatches, silence
 * past the TTL, a cluster member leaving, lost work, quarantine and probation. Each step takes the record
 * and {@code now}, changes the record, and returns an {@link Outcome} that the scheduler applies (events,
 * writes, requeues, a placement pass); nothing here reads a clock or does I/O.
 *
 * <p>Faults are counted per incident: one outage of a node, from its first sign (a dispatch it did not
 * take, no heartbeat for the TTL, its cluster member leaving, probes failing) until it proves it is alive
 * again (a heartbeat, a registration, a probe that answers, a report). However many dispatches, probes or
 * leases one outage spoiled, it is one fault, and only when it spoiled some work (a dispatch or a lease); a
 * node that was down while idle lost nothing. So a node killed and restarted, or paused and resumed, comes
 * back {@code active} with its history; quarantine needs repeated incidents.
 *
 * <p>A quarantined ({@code degraded}) node earns its way back on probation: it may take low-priority tasks
 * one at a time while it answers, and after {@link Settings#probationSuccesses} of them ran to their end (any
 * exit code: the node did its job) it is {@code active} again. A fault during probation starts it over.
 *
 * <p>A node's own word about itself (a registration, a heartbeat, a probe's answer) is a {@link NodeStep}: the
 * liveness step with what the node's list of held tasks showed ({@link NodeHoldings}) and its word on new work.
 */
public final class NodeLiveness {
  /**
   * @param probeFailures failed probes in a row that make a node unhealthy
   * @param probationSuccesses probation tasks a quarantined node must run to be active again
   * @param quarantineMinFaults faults (incidents that cost work) a node must have before a low score
   *     quarantines it
   */
  public record Settings(int probeFailures, int probationSuccesses, int quarantineMinFaults) {
    public static final Settings DEFAULTS = new Settings(3, 3, 3);

    public Settings {
      if (probeFailures < 1 || probationSuccesses < 1 || quarantineMinFaults < 1) {
        throw new IllegalArgumentException("liveness settings must be positive");
      }
    }
  }

  /**
   * What one step did to a node.
   *
   * @param previous the status before, when the step changed it; {@code null} when it did not
   * @param loseWork the node is gone: its live attempts must be revoked and their tasks requeued
   * @param opened why an incident began with this step, or {@code null}
   * @param closed the step ended the node's incident (it proved it is alive)
   * @param faulted the step counted a fault against the node
   */
  public record Outcome(NodeStatus previous, boolean loseWork, String opened, boolean closed, boolean faulted) {
    public static final Outcome NONE = new Outcome(null, false, null, false, false);

    public boolean changed() {
      return previous != null;
    }

    /** Whether anything about the node worth writing happened. */
    public boolean any() {
      return previous != null || loseWork || opened != null || closed || faulted;
    }

    /** Both steps, in order: the first status before them, and everything either did. */
    public Outcome then(Outcome next) {
      return new Outcome(previous != null ? previous : next.previous, loseWork || next.loseWork,
          opened != null ? opened : next.opened, closed || next.closed, faulted || next.faulted);
    }
  }

  private final Settings settings;

  public NodeLiveness(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  // ---- the node's word about itself -----------------------------------------------------------------------

  /** A registration's record: the known one updated (its counters kept), or a new one. */
  public static NodeRecord admit(NodeRecord known, Registration r, boolean local, Instant now) {
    if (known == null) {
      return new NodeRecord(r, local ? NodeRecord.CLOUD : NodeRecord.PHYSICAL, now);
    }
    known.update(r);
    return known;
  }

  /**
   * The node registered (first time or again), listing what it holds. What it lost while it was away belongs
   * to the outage its registration ends.
   *
   * @param grace how long past its delivery an attempt may go unlisted before it counts as lost
   */
  public NodeStep registered(NodeRecord n, List<String> listed, Function<String, TaskRecord> tasks,
      Duration grace, Instant now) {
    n.heartbeat(now, n.stats());
    List<String> lost = NodeHoldings.missing(n, listed, tasks, grace, now);
    Outcome o = lost(n, lost, now);
    NodeHoldings.Slots slots = NodeHoldings.resync(n, listed, tasks);
    return new NodeStep(o.then(registered(n, now)), lost, slots, null, false, Map.of());
  }

  /** A heartbeat: its time and stats, the node's word on new work, what it holds, and proof of life. */
  public NodeStep heartbeat(NodeRecord n, Heartbeat hb, Function<String, TaskRecord> tasks, Duration grace,
      Instant now) {
    n.heartbeat(now, hb.systemStats());
    Refusal was = n.refusing();
    boolean refusal = n.refusing(hb.refusing());
    List<String> lost = NodeHoldings.missing(n, hb.runningTaskIds(), tasks, grace, now);
    Outcome o = lost(n, lost, now);
    NodeHoldings.Slots slots = NodeHoldings.resync(n, hb.runningTaskIds(), tasks);
    return new NodeStep(o.then(heartbeat(n, now)), lost, slots, refusal ? was : null, refusal,
        hb.progress());
  }

  /** An active probe answered; {@code listed}, when the probe told it, is what the node holds. */
  public NodeStep probeOk(NodeRecord n, List<String> listed, Function<String, TaskRecord> tasks, Instant now) {
    NodeHoldings.Slots slots = listed == null ? NodeHoldings.Slots.SAME : NodeHoldings.resync(n, listed, tasks);
    return new NodeStep(probeOk(n, now), List.of(), slots, null, false, Map.of());
  }

  private Outcome lost(NodeRecord n, List<String> lost, Instant now) {
    return lost.isEmpty() ? Outcome.NONE : workLost(n, "the agent no longer runs tasks it was given", now);
  }

  /** Whether a report from the node (starts, results) is news about its health: it is suspect or in an incident. */
  public static boolean inDoubt(NodeRecord n) {
    return n.status() == NodeStatus.SUSPECT || n.incidentSince() != null;
  }

  /** Whether the node gets active probes: it should be alive and is not the manager's own executor. */
  public static boolean probed(NodeRecord n) {
    NodeStatus st = n.status();
    return !n.cloud() && (st == NodeStatus.ACTIVE || st == NodeStatus.DRAINING || st == NodeStatus.UNHEALTHY
        || st == NodeStatus.PENDING || st == NodeStatus.SUSPECT);
  }

  // ---- proof of life ------------------------------------------------------------------------------------

  /** The agent registered (first time or again). */
  public Outcome registered(NodeRecord n, Instant now) {
    return alive(n, NodeEvent.REGISTERED, now);
  }

  /** A heartbeat arrived. */
  public Outcome heartbeat(NodeRecord n, Instant now) {
    return alive(n, NodeEvent.HEARTBEAT, now);
  }

  /** An active probe answered. */
  public Outcome probeOk(NodeRecord n, Instant now) {
    return alive(n, NodeEvent.PROBE_OK, now);
  }

  /** The node sent starts or results. */
  public Outcome reported(NodeRecord n, Instant now) {
    return alive(n, NodeEvent.REPORTED, now);
  }

  private Outcome alive(NodeRecord n, NodeEvent e, Instant now) {
    n.probeOk();
    NodeStatus prev = n.apply(e, now);
    NodeStatus s = n.status();
    boolean closed = false;
    // why: a stale, offline or unhealthy node is not back until its heartbeats are (a probe or a report
    // shows only that its process lives); everywhere else the proof ends the outage
    if (s != NodeStatus.STALE && s != NodeStatus.OFFLINE && s != NodeStatus.UNHEALTHY) {
      n.reachable(true);
      if (n.incidentSince() != null) {
        n.closeIncident();
        closed = true;
      }
    }
    return new Outcome(prev, false, null, closed, false);
  }

  // ---- signs of trouble ---------------------------------------------------------------------------------

  /**
   * A dispatch to the node was not delivered. It gets no new work until it proves it is alive.
   *
   * @param spoiled whether the node is to blame for it (unreachable, no handler, no answer); a node that
   *     answered it is closing is not
   */
  public Outcome undelivered(NodeRecord n, String why, boolean spoiled, Instant now) {
    n.reachable(false);
    NodeStatus prev = n.apply(NodeEvent.UNDELIVERED, now);
    Outcome o = new Outcome(prev, false, n.openIncident(why, now) ? why : null, false, false);
    return spoiled ? o.then(fault(n, why, now)) : o;
  }

  /** An active probe failed; enough in a row make the node unhealthy. */
  public Outcome probeFailed(NodeRecord n, Instant now) {
    if (n.probeFailed() < settings.probeFailures()) {
      return Outcome.NONE;
    }
    n.reachable(false);
    NodeStatus prev = n.apply(NodeEvent.PROBES_FAILED, now);
    String why = n.probeFailures() + " probes failed in a row";
    return new Outcome(prev, false, n.openIncident(why, now) ? why : null, false, false);
  }

  /**
   * Time passed without a heartbeat. Past the TTL an in-service node (or one still holding work) is stale
   * and loses its work; past the offline timeout a stale node is offline.
   */
  public Outcome silent(NodeRecord n, Duration ttl, Duration offline, Instant now) {
    Duration silent = Duration.between(n.lastHeartbeat(), now);
    if (silent.compareTo(ttl) <= 0) {
      return Outcome.NONE;
    }
    Outcome o = Outcome.NONE;
    NodeStatus s = n.status();
    boolean live = s == NodeStatus.PENDING || s == NodeStatus.ACTIVE || s == NodeStatus.DRAINING
        || s == NodeStatus.UNHEALTHY || s == NodeStatus.SUSPECT;
    if (live || !n.running().isEmpty()) {
      n.reachable(false);
      String why = "no heartbeat for " + silent.toSeconds() + " s";
      o = new Outcome(n.apply(NodeEvent.TTL_EXPIRED, now), true, n.openIncident(why, now) ? why : null, false,
          false);
    }
    if (silent.compareTo(offline) > 0 && n.status() == NodeStatus.STALE) {
      o = o.then(new Outcome(n.apply(NodeEvent.OFFLINE_EXPIRED, now), false, null, false, false));
    }
    return o;
  }

  /** The node's cluster member left (its process died or was cut off), or it deregistered. */
  public Outcome memberLost(NodeRecord n, String why, Instant now) {
    n.reachable(false);
    NodeStatus prev = n.apply(NodeEvent.MEMBER_LOST, now);
    return new Outcome(prev, true, n.openIncident(why, now) ? why : null, false, false);
  }

  /**
   * The node lost work the manager had given it (leases revoked with the node, or an agent that no longer
   * runs a task it was given): a fault, once per incident.
   */
  public Outcome workLost(NodeRecord n, String why, Instant now) {
    return fault(n, why, now);
  }

  private Outcome fault(NodeRecord n, String why, Instant now) {
    String opened = n.openIncident(why, now) ? why : null;
    if (n.incidentFaulted()) {
      return new Outcome(null, false, opened, false, false);
    }
    n.incidentFaulted(true);
    n.recordFault();
    if (n.status() == NodeStatus.DEGRADED) {
      n.resetProbation(); // why: probation proves a clean run; a fault during it starts it over
    }
    NodeStatus prev = null;
    if (n.reliability() < Reliability.QUARANTINE_BELOW && n.history() >= Reliability.QUARANTINE_MIN_HISTORY
        && n.faults() >= settings.quarantineMinFaults() && n.status() != NodeStatus.DEGRADED) {
      prev = n.apply(NodeEvent.RELIABILITY_LOW, now);
    }
    return new Outcome(prev, false, opened, false, true);
  }

  // ---- work done ----------------------------------------------------------------------------------------

  /**
   * The node ran an attempt to its end (any exit code: it did its job). A quarantined node counts it toward
   * its probation.
   */
  public Outcome ran(NodeRecord n, boolean taskSucceeded, long durationMs, Instant now) {
    n.recordRan(taskSucceeded, durationMs);
    if (n.status() == NodeStatus.DEGRADED && n.countProbation() >= settings.probationSuccesses()) {
      return new Outcome(n.apply(NodeEvent.PROBATION_PASSED, now), false, null, false, false);
    }
    return Outcome.NONE;
  }

  /** Whether a quarantined node may take a probation task now: it answers and runs nothing else. */
  public static boolean onProbation(NodeRecord n) {
    return n.status() == NodeStatus.DEGRADED && n.reachable() && !n.drain() && n.used() == 0;
  }

  // ---- operators ----------------------------------------------------------------------------------------

  /** An operator lifts a quarantine (the caller checks the node is quarantined). */
  public Outcome reinstate(NodeRecord n, Instant now) {
    return new Outcome(n.apply(NodeEvent.REINSTATED, now), false, null, false, false);
  }

  public Outcome drain(NodeRecord n, boolean on, Instant now) {
    return new Outcome(n.apply(on ? NodeEvent.DRAIN_ON : NodeEvent.DRAIN_OFF, now), false, null, false, false);
  }
}
