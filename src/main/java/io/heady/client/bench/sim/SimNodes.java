package io.heady.client.bench.sim;

import io.heady.client.bench.Samples;
import io.heady.common.exec.TaskSlots.Admission;
import io.heady.common.identity.Seal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The state of the simulated nodes (tasks each holds, free slots, seals) and what the simulator counts.
 * Touched only on the simulator's context, so nothing here locks; {@link NodeSimulator#snapshot()} copies the
 * counters there.
 */
final class SimNodes {
  /** A task a holding node accepted and keeps until released. */
  record Held(int node, String taskId, String leaseId) {}

  private final NodeSimulator.Settings s;
  private final int[] running;
  private final long[] freedAt;
  private final List<Set<String>> held;
  /** Each node's seal, once it enrolled (as a real agent, with the join token, once). */
  private final Seal[] seals;
  private final List<Held> deferred = new ArrayList<>();
  private volatile boolean measuring;
  private boolean holding;
  long dispatches;
  long refused;
  long completionsAcked;
  long completionErrors;
  long heartbeatsAcked;
  long heartbeatErrors;
  long reRegistrations;
  final Samples placement = new Samples();
  final Samples heartbeatLatency = new Samples();

  SimNodes(NodeSimulator.Settings s) {
    this.s = s;
    this.running = new int[s.nodes()];
    this.seals = new Seal[s.nodes()];
    this.freedAt = new long[s.nodes()];
    this.held = new ArrayList<>(s.nodes());
    for (int i = 0; i < s.nodes(); i++) {
      held.add(new LinkedHashSet<>(2));
    }
  }

  int count() {
    return s.nodes();
  }

  int slots() {
    return s.slots();
  }

  String nodeId(int i) {
    return s.idPrefix() + i;
  }

  /** The node of an id, or -1 when no simulated node has it. */
  int index(String id) {
    if (!id.startsWith(s.idPrefix())) {
      return -1;
    }
    try {
      int i = Integer.parseInt(id.substring(s.idPrefix().length()));
      return i >= 0 && i < s.nodes() ? i : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  Seal seal(int node) {
    return seals[node];
  }

  void seal(int node, Seal seal) {
    seals[node] = seal;
  }

  int running(int node) {
    return running[node];
  }

  /** What the node holds: its running tasks and the results it has not had acknowledged. */
  List<String> held(int node) {
    return new ArrayList<>(held.get(node));
  }

  /**
   * A dispatch arrives at {@code now}: a node answers as an agent does, a duplicate of a task it holds first,
   * then a full node; an accepted task takes a slot (and, while measuring, gives a placement sample: how long
   * the slot was free).
   */
  Admission admit(int node, String taskId, long now) {
    if (held.get(node).contains(taskId)) {
      return Admission.DUPLICATE;
    }
    if (running[node] >= s.slots()) {
      refused++;
      return Admission.FULL;
    }
    dispatches++;
    if (freedAt[node] > 0 && measuring) {
      placement.add(now - freedAt[node]);
    }
    freedAt[node] = 0;
    running[node]++;
    held.get(node).add(taskId);
    return Admission.ACCEPTED;
  }

  /** The task ended on its node at {@code now}: its slot is free; it stays held until its result is acknowledged. */
  void ended(int node, long now) {
    running[node]--;
    freedAt[node] = now;
  }

  /** The manager acknowledged the result (or it was given up on). */
  void reported(int node, String taskId) {
    held.get(node).remove(taskId);
  }

  void measuring(boolean on) {
    measuring = on;
  }

  boolean holding() {
    return holding;
  }

  /** Starts holding; or stops, and answers the tasks held so far (to complete now). */
  List<Held> hold(boolean on) {
    holding = on;
    if (on) {
      return List.of();
    }
    List<Held> all = new ArrayList<>(deferred);
    deferred.clear();
    return all;
  }

  void defer(Held h) {
    deferred.add(h);
  }

  NodeSimulator.Snapshot snapshot() {
    return new NodeSimulator.Snapshot(dispatches, refused, completionsAcked, completionErrors, heartbeatsAcked,
        heartbeatErrors, reRegistrations, placement.toJson(), heartbeatLatency.toJson(), placement.size());
  }
}
