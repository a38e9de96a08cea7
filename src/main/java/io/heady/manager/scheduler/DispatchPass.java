package io.heady.manager.scheduler;

import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.Priority;
import io.heady.common.protocol.Requirements;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.placement.DecisionTimer;
import io.heady.manager.placement.EffectiveLimits;
import io.heady.manager.placement.Placement;
import io.heady.manager.placement.PlacementRequest;
import io.heady.manager.placement.PlacementSettings;
import io.heady.manager.placement.Placer;
import io.heady.manager.placement.Policy;
import io.heady.manager.placement.TaskType;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Placement and dispatch: one pass puts queued tasks, in the queue's fair order, onto the best free nodes until
 * slots or tasks run out; each placed task gets a new attempt under a new lease and its {@link Dispatch} (built
 * in {@link #dispatchOf} alone). It also tells a queued task at once when no node of the cluster could ever take
 * it, and remembers the nodes each task should avoid next time (ones that lost or refused it).
 */
final class DispatchPass {
  /** A task the pass placed: the node it goes to and the message that carries it. */
  record Placed(TaskRecord task, NodeRecord node, Dispatch dispatch, boolean fallback) {}

  /** A verdict of {@link Placer#unplaceable}, valid while the cluster's nodes stay as they were. */
  private record Verdict(long topology, String reason) {}

  private final Policy policy;
  private final Placer placer;
  private final int prefetchPerSlot;
  private final IdSource ids;
  private final NodeBook nodes;
  private final DecisionTimer timer;
  private final TaskQueue queue = new TaskQueue(t -> request(t).signature());
  private final Map<String, Set<String>> avoid = new HashMap<>();
  private final Map<List<Object>, Verdict> verdicts = new HashMap<>();
  // why: why each kind of queued task waits, as the latest pass found it (its failed placement says so) or as a
  // read first asked for it since; a pass follows every change of the cluster, so each pass starts afresh, and
  // a deep queue of tasks alike costs one evaluation, not one per task
  private final Map<Object, java.util.function.Supplier<String>> waiting = new HashMap<>();
  // why: nodes came or went (or changed hardware): queued tasks are checked again on the next tick
  private boolean topologyChanged;
  private long topology;
  private Instant lastDispatch;

  DispatchPass(Policy policy, PlacementSettings settings, IdSource ids, NodeBook nodes) {
    this(policy, settings, ids, nodes, DecisionTimer.OFF);
  }

  /** @param timer times each placement decision of a pass (one per task weighed, placed or not) */
  DispatchPass(Policy policy, PlacementSettings settings, IdSource ids, NodeBook nodes, DecisionTimer timer) {
    this.policy = policy;
    this.placer = new Placer(settings);
    this.prefetchPerSlot = settings.prefetchPerSlot();
    this.ids = ids;
    this.nodes = nodes;
    this.timer = timer;
  }

  TaskQueue queue() {
    return queue;
  }

  /** Quick tasks a node may hold beyond each of its slots ({@link NodeRecord#prefetch()}). */
  int prefetchPerSlot() {
    return prefetchPerSlot;
  }

  /** One pass: returns what it placed, in order; each task is dispatched and its node holds it. */
  List<Placed> run(Instant now) {
    waiting.clear();
    int free = queue.size() == 0 ? 0 : nodes.slotsForPass();
    if (free == 0) {
      return List.of();
    }
    List<Placed> out = new ArrayList<>();
    Set<Object> failed = new HashSet<>();
    // why: once an older task that may not be prefetched waits for a slot, quick tasks behind it take no prefetch
    // places in this pass: filling them would keep its node busy past the slot it waits for, so a stream of quick
    // tasks could starve it
    boolean prefetch = true;
    TaskQueue.Cursor cur = queue.cursor();
    for (TaskRecord t = cur.next(); t != null; t = cur.next()) {
      Object sig = queue.signature(t);
      if (failed.contains(sig)) {
        continue;
      }
      // why: the decision alone (the request, the search, its verdict), not the dispatch that follows it
      long started = timer.start();
      PlacementRequest req = prefetch ? request(t) : request(t).withoutPrefetch();
      Placement p = placer.place(req, nodes.list());
      timer.stop(started);
      if (!p.placed()) {
        failed.add(sig);
        if (p.waitingForSlot() && !req.quick()) {
          prefetch = false;
        }
        waiting.put(sig, p::summary); // why: put in words only if someone reads it before the next pass
        if (failed.size() >= queue.signatures()) {
          break; // why: every kind of task queued has failed this pass; the rest would fail alike
        }
        continue;
      }
      cur.take();
      out.add(dispatch(t, p, req, now));
      if (--free == 0) {
        break; // why: each dispatch takes one slot or prefetch place; counting them down spares a walk over nodes
      }
    }
    return out;
  }

  private Placed dispatch(TaskRecord t, Placement p, PlacementRequest req, Instant now) {
    NodeRecord n = p.node();
    String lease = ids.leaseId();
    t.newAttempt(lease, n.nodeId(), now);
    t.progressed(now);
    n.running().add(t.id());
    t.placedOn(n.name(), n.tier().name());
    t.explain(p.explain());
    t.moveTo(TaskState.DISPATCHED, now, p.summary());
    lastDispatch = now;
    EffectiveLimits held = EffectiveLimits.of(t.spec(), req.type());
    t.limits(held.limits());
    return new Placed(t, n, dispatchOf(t, req, lease, held), p.fallback());
  }

  /** The message that carries one attempt of the task to its node: the only place a dispatch is built. */
  private static Dispatch dispatchOf(TaskRecord t, PlacementRequest req, String lease, EffectiveLimits held) {
    TaskType type = req.type();
    long timeout = t.spec().timeoutMs() > 0 ? t.spec().timeoutMs() : type.timeoutMs();
    return new Dispatch(t.id(), lease, t.attempts().size(), t.spec().type(), t.priority().name(),
        t.spec().command(), t.spec().argv(), t.spec().env(), t.spec().cwd(), timeout, type.noop(),
        req.speed().name(), held.limits(), held.runAs(), held.allowDaemon(), Map.of());
  }

  /**
   * Whether some node of the cluster could ever take the task (see {@link Placer#unplaceable}); when none could,
   * the task says why in its {@code waiting_reason} (and a note). It still waits: it is placed as soon as such a
   * node registers. Verdicts are kept per kind of task until the set of nodes changes, so a deep queue costs one
   * evaluation per kind. Returns whether the task's verdict changed.
   */
  boolean judge(TaskRecord t, Instant now) {
    List<Object> key = Arrays.asList(t.spec().type(), t.spec().requires(), t.spec().node());
    Verdict v = verdicts.get(key);
    if (v == null || v.topology() != topology) {
      if (verdicts.size() > 10_000) {
        verdicts.clear();
      }
      v = new Verdict(topology, placer.unplaceable(request(t), nodes.list()));
      verdicts.put(key, v);
    }
    String why = v.reason();
    if (Objects.equals(why, t.unplaceable())) {
      return false;
    }
    t.unplaceable(why);
    if (why != null) {
      t.note(now, "unplaceable", why, null);
    }
    return true;
  }

  /** Nodes came, went or changed: verdicts are taken again at the next {@link #newTopology}. */
  void topologyChanged() {
    topologyChanged = true;
  }

  /** Whether the nodes changed since the last call: the verdicts of queued tasks are then stale. */
  boolean newTopology() {
    if (!topologyChanged) {
      return false;
    }
    topologyChanged = false;
    topology++;
    return true;
  }

  /** The next placement of the task prefers any other node over this one (it lost or refused the task). */
  void avoid(String taskId, String nodeId) {
    avoid.computeIfAbsent(taskId, k -> new HashSet<>()).add(nodeId);
  }

  /** The task needs no more placements (it ended, or was cancelled): its preferences go. */
  void forget(String taskId) {
    avoid.remove(taskId);
  }

  PlacementRequest request(TaskRecord t) {
    TaskType type = policy.type(t.spec().type());
    return new PlacementRequest(t.id(), type, t.priority(), t.critical(), t.spec().requires(), t.spec().node(),
        false, Set.copyOf(avoid.getOrDefault(t.id(), Set.of())),
        PlacementRequest.quick(type, t.spec().estimatedDurationMs()));
  }

  /**
   * Why a queued task waits, in one bounded line: its lasting verdict when no node could ever take it, else
   * each node counted under the check that turns it away now ({@code "no eligible node: 3 nodes: draining;
   * 2 nodes (mac, pc): needs 64 cores (has at most 16)"}). Tasks alike share the answer of the latest pass (or of
   * the first read since it); {@code null} when a node could take it now (the next pass places it).
   */
  String waitingReason(TaskRecord t) {
    if (t.unplaceable() != null) {
      return t.unplaceable();
    }
    PlacementRequest req = request(t);
    Object sig = req.signature();
    var known = waiting.get(sig);
    if (known != null) {
      return known.get();
    }
    if (waiting.size() > 10_000) {
      waiting.clear();
    }
    String why = placer.verdicts(req, nodes.list()).reason();
    waiting.put(sig, () -> why);
    return why;
  }

  /** The task's requirements weighed against every node by every check, without placing it ({@code explain}). */
  io.heady.manager.placement.TaskVerdicts verdicts(TaskRecord t) {
    return placer.verdicts(request(t), nodes.list());
  }

  /** Places a hypothetical task of a type without dispatching: {@code can-handle} and {@code explain}. */
  Placement explain(String type, Priority priority) {
    PlacementRequest req = new PlacementRequest("(probe)", policy.type(type), priority, false,
        Requirements.NONE, null, false, Set.of());
    return placer.explainAll(req, nodes.list());
  }

  /** Places an existing queued task without dispatching (why is it waiting?). */
  Placement explain(TaskRecord t) {
    return placer.explainAll(request(t), nodes.list());
  }

  /** When the latest dispatch left, or {@code null}. */
  Instant lastDispatch() {
    return lastDispatch;
  }
}
