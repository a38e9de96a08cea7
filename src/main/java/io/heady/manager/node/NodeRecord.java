package io.heady.manager.node;

import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Hardware;
import io.heady.common.protocol.Refusal;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.SystemStats;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node as the manager keeps it. Owned by the scheduler alone (one thread); every status change goes
 * through {@link #apply}, which consults {@link NodeStatusMachine}. Its fields are package-private for its
 * stored form ({@link NodeDocument}) alone; everything else goes through the methods.
 */
public final class NodeRecord {
  /** Nodes the manager runs itself (the local executor) have this location. */
  public static final String CLOUD = "cloud";
  public static final String PHYSICAL = "physical";

  final String nodeId;
  String name;
  String location;
  String transport;
  String tunnelUrl;
  String memberId;
  Hardware hardware;
  List<String> capabilities;
  Map<String, String> labels;
  Tier tier;
  int maxConcurrent;
  int requestedSlots;
  // why: set by the scheduler at registration (its --prefetch-per-slot times the slots); the node learns it from
  // the registration's answer and queues no more than that
  int prefetch;
  NodeStatus status = NodeStatus.PENDING;
  boolean drain;
  final Instant registeredAt;
  Instant lastHeartbeat;
  Instant statusSince;
  SystemStats stats = SystemStats.EMPTY;
  final Set<String> running = new LinkedHashSet<>();
  long completed;
  long failed;
  long ok;
  long faults;
  long consecutiveFaults;
  long totalDurationMs;
  int probeFailures;
  String version;
  Enforcement containment;
  // An incident: one outage of the node, from its first sign (a dispatch not delivered, a lost lease, no
  // heartbeat, its member leaving) until it proves it is alive again. It counts one fault at most.
  Instant incidentSince;
  String incidentReason;
  boolean incidentFaulted;
  long incidents;
  int probationPassed;
  boolean reachable = true;
  // why: not persisted; the node's next heartbeat lists what it really holds, which rebuilds both
  final Map<String, String> foreign = new LinkedHashMap<>();
  boolean fullClaimed;
  // why: the node's own word (its heartbeat, or its answer to a dispatch); placement sends it nothing meanwhile
  Refusal refusing;

  public NodeRecord(Registration r, String location, Instant now) {
    this.nodeId = r.nodeId();
    this.registeredAt = now;
    this.statusSince = now;
    this.lastHeartbeat = now;
    this.location = location;
    update(r);
  }

  /** Takes the (re-)registration's facts; tier and slots are recomputed, counters are kept. */
  public void update(Registration r) {
    this.name = r.name();
    this.transport = r.transport();
    this.tunnelUrl = r.tunnelUrl();
    this.memberId = r.memberId();
    this.hardware = r.hardware();
    this.capabilities = List.copyOf(r.capabilities());
    this.labels = new LinkedHashMap<>(r.labels());
    this.requestedSlots = r.maxConcurrent();
    this.version = r.version();
    this.containment = r.containment();
    this.tier = Tier.classify(hardware.cpuCores(), hardware.ramGb());
    this.maxConcurrent = requestedSlots > 0 ? requestedSlots
        : Tier.maxConcurrent(hardware.cpuCores(), hardware.ramGb());
  }

  /**
   * Moves the status by the table; returns the previous status when it changed, else {@code null}.
   */
  public NodeStatus apply(NodeEvent event, Instant now) {
    NodeStatus from = status;
    boolean drainAfter = event == NodeEvent.DRAIN_ON || (drain && event != NodeEvent.DRAIN_OFF);
    // why: ask the table first, so an illegal move throws before it changes anything
    NodeStatus to = NodeStatusMachine.next(from, event, drainAfter);
    drain = drainAfter;
    if (event == NodeEvent.REINSTATED || event == NodeEvent.PROBATION_PASSED) {
      consecutiveFaults = 0;
      // why: a reinstated node starts from a clean slate of faults so the same score does not re-quarantine it
      faults = 0;
      probationPassed = 0;
    }
    status = to;
    if (status != from) {
      statusSince = now;
      return from;
    }
    return null;
  }

  public void heartbeat(Instant now, SystemStats s) {
    lastHeartbeat = now;
    stats = s;
  }

  /** The node ran an attempt to an outcome (any exit code): it did its job. */
  public void recordRan(boolean taskSucceeded, long durationMs) {
    ok++;
    consecutiveFaults = 0;
    totalDurationMs += durationMs;
    if (taskSucceeded) {
      completed++;
    } else {
      failed++;
    }
  }

  /** The node failed an attempt itself: lost, refused, spawn error. */
  public void recordFault() {
    faults++;
    consecutiveFaults++;
  }

  /** Attempts behind the reliability score (ran plus faults). */
  public long history() {
    return ok + faults;
  }

  public int reliability() {
    return Reliability.score(ok, faults, consecutiveFaults);
  }

  public int probeFailures() {
    return probeFailures;
  }

  public int probeFailed() {
    return ++probeFailures;
  }

  public void probeOk() {
    probeFailures = 0;
  }

  public String nodeId() {
    return nodeId;
  }

  public String name() {
    return name;
  }

  public String location() {
    return location;
  }

  public boolean cloud() {
    return CLOUD.equals(location);
  }

  public String transport() {
    return transport;
  }

  public String tunnelUrl() {
    return tunnelUrl;
  }

  public String memberId() {
    return memberId;
  }

  public Hardware hardware() {
    return hardware;
  }

  public List<String> capabilities() {
    return capabilities;
  }

  public Map<String, String> labels() {
    return labels;
  }

  /** How the node contains its tasks, as it reported; {@code null} when it did not say. */
  public Enforcement containment() {
    return containment;
  }

  public Tier tier() {
    return tier;
  }

  public int maxConcurrent() {
    return maxConcurrent;
  }

  public NodeStatus status() {
    return status;
  }

  public boolean drain() {
    return drain;
  }

  public Instant lastHeartbeat() {
    return lastHeartbeat;
  }

  public Instant statusSince() {
    return statusSince;
  }

  public SystemStats stats() {
    return stats;
  }

  /**
   * The node's live attempts, dispatched or running: those in its slots and those waiting in its prefetch
   * ({@link #prefetched()}).
   */
  public Set<String> running() {
    return running;
  }

  /** The most quick tasks the node may hold beyond its slots, waiting for one to free (0: none). */
  public int prefetch() {
    return prefetch;
  }

  public void prefetch(int p) {
    this.prefetch = Math.max(0, p);
  }

  /**
   * Live attempts beyond the node's slots, as far as the manager knows: they wait in the node's prefetch. The
   * node starts its tasks in order as slots free, so which ones wait is the node's affair; the count is not.
   */
  public int prefetched() {
    return Math.min(running.size(), Math.max(0, running.size() + foreign.size() - maxConcurrent));
  }

  /** Live attempts in the node's slots (running, or about to): {@link #running()} less {@link #prefetched()}. */
  public int inSlots() {
    return running.size() - prefetched();
  }

  /** Dispatches the node may still take now: its free slots plus its free places in the prefetch. */
  public int room() {
    return fullClaimed ? 0 : Math.max(0, maxConcurrent + prefetch - used());
  }

  public int free() {
    return Math.max(0, maxConcurrent - used());
  }

  /**
   * Slots taken on the node as far as the manager knows: its live attempts, plus attempts the manager took
   * back that the node still holds (being killed), or all of them when the node last said it was full and
   * has not listed its tasks since.
   */
  public int used() {
    return fullClaimed ? Math.max(maxConcurrent, running.size()) : running.size() + foreign.size();
  }

  /**
   * Attempts the node holds that are no longer the manager's (revoked, lost, taken back): task id → lease.
   * They hold a slot on the node until it has killed them.
   */
  public Map<String, String> foreign() {
    return foreign;
  }

  /** The node refused a dispatch as full: treat it as full until it lists its tasks again. */
  public void claimedFull(boolean full) {
    this.fullClaimed = full;
  }

  /** What the node says now; returns whether that changed. {@code null}: it takes work. */
  public boolean refusing(Refusal r) {
    boolean changed = !java.util.Objects.equals(refusing, r);
    refusing = r;
    return changed;
  }

  /** Why the node takes no new work for now, or {@code null}. */
  public Refusal refusing() {
    return refusing;
  }

  public boolean fullClaimed() {
    return fullClaimed;
  }

  // ---- incidents (see NodeLiveness) ----

  /** When the current incident began, or {@code null} when the node is well. */
  public Instant incidentSince() {
    return incidentSince;
  }

  public String incidentReason() {
    return incidentReason;
  }

  public boolean incidentFaulted() {
    return incidentFaulted;
  }

  /** Incidents since the node first registered. */
  public long incidents() {
    return incidents;
  }

  /** Opens an incident if none is open; returns whether it opened one. */
  public boolean openIncident(String why, Instant now) {
    if (incidentSince != null) {
      return false;
    }
    incidentSince = now;
    incidentReason = why;
    incidentFaulted = false;
    incidents++;
    return true;
  }

  /** Marks the open incident as having cost a fault (it counts one at most). */
  public void incidentFaulted(boolean f) {
    incidentFaulted = f;
  }

  public void closeIncident() {
    incidentSince = null;
    incidentReason = null;
    incidentFaulted = false;
  }

  /** Probation tasks run to their end since the quarantine began. */
  public int probationPassed() {
    return probationPassed;
  }

  public int countProbation() {
    return ++probationPassed;
  }

  public void resetProbation() {
    probationPassed = 0;
  }

  /** Whether the node showed lately that it can be reached (a quarantined node only takes probation then). */
  public boolean reachable() {
    return reachable;
  }

  public void reachable(boolean r) {
    this.reachable = r;
  }

  public long completed() {
    return completed;
  }

  public long failed() {
    return failed;
  }

  public long faults() {
    return faults;
  }

  public long avgTaskDurationMs() {
    return ok == 0 ? 0 : totalDurationMs / ok;
  }

  /** The record as the store keeps it and the API shows it; see {@link NodeDocument}. */
  public JsonObject toJson() {
    return NodeDocument.toJson(this);
  }

  /** Rebuilds a record from {@link #toJson()} (store recovery). Running tasks are re-attached separately. */
  public static NodeRecord fromJson(JsonObject j) {
    return NodeDocument.fromJson(j);
  }
}
