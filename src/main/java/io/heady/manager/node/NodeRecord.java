package io.heady.manager.node;

import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Fields;
import io.heady.common.protocol.Hardware;
import io.heady.common.protocol.Refusal;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.SystemStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node as the manager keeps it. Owned by the scheduler alone (one thread); every status change goes
 * through {@link #apply}, which consults {@link NodeStatusMachine}.
 */
public final class NodeRecord {
  /** Nodes the manager runs itself (the local executor) have this location. */
  public static final String CLOUD = "cloud";
  public static final String PHYSICAL = "physical";

  private final String nodeId;
  private String name;
  private String location;
  private String transport;
  private String tunnelUrl;
  private String memberId;
  private Hardware hardware;
  private List<String> capabilities;
  private Map<String, String> labels;
  private Tier tier;
  private int maxConcurrent;
  private int requestedSlots;
  private NodeStatus status = NodeStatus.PENDING;
  private boolean drain;
  private final Instant registeredAt;
  private Instant lastHeartbeat;
  private Instant statusSince;
  private SystemStats stats = SystemStats.EMPTY;
  private final Set<String> running = new LinkedHashSet<>();
  private long completed;
  private long failed;
  private long ok;
  private long faults;
  private long consecutiveFaults;
  private long totalDurationMs;
  private int probeFailures;
  private String version;
  private Enforcement containment;
  // An incident: one outage of the node, from its first sign (a dispatch not delivered, a lost lease, no
  // heartbeat, its member leaving) until it proves it is alive again. It counts one fault at most.
  private Instant incidentSince;
  private String incidentReason;
  private boolean incidentFaulted;
  private long incidents;
  private int probationPassed;
  private boolean reachable = true;
  // why: not persisted; the node's next heartbeat lists what it really holds, which rebuilds both
  private final Map<String, String> foreign = new LinkedHashMap<>();
  private boolean fullClaimed;
  // why: the node's own word (its heartbeat, or its answer to a dispatch); placement sends it nothing meanwhile
  private Refusal refusing;

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

  public Set<String> running() {
    return running;
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

  public JsonObject toJson() {
    return new JsonObject()
        .put("node_id", nodeId)
        .put("name", name)
        .put("tier", tier.name())
        .put("status", status.wire())
        .put("location", location)
        .put("transport", transport)
        .put("tunnel_url", tunnelUrl)
        .put("member_id", memberId)
        .put("hardware", hardware.toJson())
        .put("capabilities", Fields.toArray(capabilities))
        .put("labels", Fields.toObject(labels))
        .put("reliability_score", reliability())
        .put("max_concurrent", maxConcurrent)
        .put("requested_max_concurrent", requestedSlots)
        .put("running", running.size())
        .put("running_task_ids", new JsonArray(List.copyOf(running)))
        .put("tasks_completed", completed)
        .put("tasks_failed", failed)
        .put("node_faults", faults)
        .put("consecutive_faults", consecutiveFaults)
        .put("avg_task_duration_ms", avgTaskDurationMs())
        .put("total_task_duration_ms", totalDurationMs)
        .put("system_stats", stats.toJson())
        .put("registered_at", registeredAt.toString())
        .put("last_heartbeat", lastHeartbeat == null ? null : lastHeartbeat.toString())
        .put("status_since", statusSince.toString())
        .put("probe_failures", probeFailures)
        .put("drain", drain)
        .put("refusing", refusing == null ? null : refusing.toJson())
        .put("version", version)
        .put("containment", containment == null ? null : containment.toJson())
        .put("incident_since", incidentSince == null ? null : incidentSince.toString())
        .put("incident_reason", incidentReason)
        .put("incident_faulted", incidentFaulted)
        .put("incidents", incidents)
        .put("probation_passed", probationPassed)
        .put("reachable", reachable)
        .put("held_elsewhere", foreign.isEmpty() ? null : new JsonArray(List.copyOf(foreign.keySet())));
  }

  /** Rebuilds a record from {@link #toJson()} (store recovery). Running tasks are re-attached separately. */
  public static NodeRecord fromJson(JsonObject j) {
    JsonObject reg = j.copy();
    reg.put("max_concurrent", j.getInteger("requested_max_concurrent", 0));
    reg.remove("running_task_ids");
    reg.remove("held_elsewhere");
    NodeRecord n = new NodeRecord(Registration.fromJson(reg), j.getString("location"),
        Instant.parse(j.getString("registered_at")));
    n.status = NodeStatus.fromWire(j.getString("status"));
    n.drain = j.getBoolean("drain", false);
    n.lastHeartbeat = j.getString("last_heartbeat") == null ? null : Instant.parse(j.getString("last_heartbeat"));
    n.statusSince = Instant.parse(j.getString("status_since"));
    n.completed = j.getLong("tasks_completed", 0L);
    n.failed = j.getLong("tasks_failed", 0L);
    n.faults = j.getLong("node_faults", 0L);
    n.ok = n.completed + n.failed;
    n.consecutiveFaults = j.getLong("consecutive_faults", 0L);
    n.totalDurationMs = j.getLong("total_task_duration_ms", 0L);
    n.stats = SystemStats.fromJson(j.getJsonObject("system_stats"));
    n.incidentSince = j.getString("incident_since") == null ? null : Instant.parse(j.getString("incident_since"));
    n.incidentReason = j.getString("incident_reason");
    n.incidentFaulted = j.getBoolean("incident_faulted", false);
    n.incidents = j.getLong("incidents", 0L);
    n.probationPassed = j.getInteger("probation_passed", 0);
    n.reachable = j.getBoolean("reachable", true);
    n.refusing = Refusal.fromJson(j.getJsonObject("refusing"));
    return n;
  }
}
