package io.heady.agent.executor;

import io.heady.agent.AgentState;
import io.heady.common.exec.TaskSlots;
import io.heady.common.protocol.Addresses;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.SignedBus;
import io.heady.common.identity.Seal;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Takes what the manager dispatches to this node into its {@link TaskSlots} (the node's own hard limit:
 * 429 beyond it) and answers health probes. The slots and the pending results belong to the agent, not to
 * this verticle, so they survive a new transport session.
 */
public final class ExecutorVerticle extends VerticleBase {
  private final AgentState state;
  private final TaskSlots slots;
  private final Reports reports;
  private final boolean eventBus;
  private final java.nio.file.Path logDir;
  private final Seal seal;
  private final List<io.vertx.core.eventbus.MessageConsumer<Object>> consumers = new ArrayList<>();

  public ExecutorVerticle(AgentState state, TaskSlots slots, Reports reports, boolean eventBus,
      java.nio.file.Path logDir, Seal seal) {
    this.seal = seal;
    this.logDir = logDir;
    this.state = state;
    this.slots = slots;
    this.reports = reports;
    this.eventBus = eventBus;
  }

  @Override
  public Future<?> start() {
    return eventBus ? subscribe() : Future.succeededFuture();
  }

  /**
   * The node's addresses on the bus. Only the manager's sealed messages open (this node's seal holds no
   * other key), so no other member can make this node run or stop anything.
   */
  private Future<?> subscribe() {
    var bus = vertx.eventBus();
    List<Future<Void>> ready = new ArrayList<>();
    String id = state.nodeId();
    consumers.add(SignedBus.consumer(bus, false, Addresses.nodeDispatch(id), seal, (from, body) -> {
      int status = admit(body);
      return status == 202 ? Future.succeededFuture(new JsonObject().put("accepted", true))
          : Future.failedFuture(new SignedBus.StatusException(status,
              status == 429 ? "node full" : status == 409 ? "duplicate"
                  : status == io.heady.common.protocol.Refusal.DISK_FULL_STATUS ? "disk_full" : "refused"));
    }));
    consumers.add(SignedBus.consumer(bus, false, Addresses.nodeDispatchBatch(id), seal,
        (from, body) -> Future.succeededFuture(slots.admitBatch(body))));
    consumers.add(SignedBus.consumer(bus, false, Addresses.nodeCancel(id), seal, (from, b) ->
        Future.succeededFuture(new JsonObject().put("cancelled", slots.cancel(b.getString("task_id"),
            b.getString("lease_id"))))));
    consumers.add(SignedBus.consumer(bus, false, Addresses.nodeHealth(id), seal,
        (from, b) -> Future.succeededFuture(health())));
    consumers.add(SignedBus.consumer(bus, false, Addresses.nodeLog(id), seal,
        (from, b) -> readLog(b.getString("task_id", ""), b.getLong("offset", 0L), b.getInteger("max", 65536))
            .compose(j -> j != null ? Future.succeededFuture(j)
                : Future.failedFuture(new SignedBus.StatusException(404, "no log for that task on this node")))));
    consumers.forEach(c -> ready.add(c.completion()));
    // why: the manager dispatches as soon as the node registers; registering before these subscriptions
    // have reached the whole cluster would make the first dispatches fail with NO_HANDLERS
    return Future.all(ready);
  }

  /**
   * Subscribes the node's addresses again (the manager found them missing from the cluster's map while the
   * node was alive: someone removed them).
   */
  public Future<?> resubscribe() {
    if (!eventBus) {
      return Future.succeededFuture();
    }
    List<io.vertx.core.eventbus.MessageConsumer<Object>> old = new ArrayList<>(consumers);
    consumers.clear();
    List<Future<Void>> gone = new ArrayList<>();
    old.forEach(c -> gone.add(c.unregister()));
    return Future.join(gone).transform(ar -> subscribe());
  }

  /** Admits one dispatch: 202 accepted, 409 duplicate, 429 full, 503 shutting down, 507 disk full, 400 bad. */
  public int admit(JsonObject body) {
    Dispatch d;
    try {
      d = Dispatch.fromJson(body);
    } catch (RuntimeException e) {
      return 400;
    }
    return TaskSlots.status(slots.accept(d));
  }

  /** A slice of a task's full log, read on a worker thread; {@code null} when there is none. */
  public Future<JsonObject> readLog(String taskId, long offset, int max) {
    return vertx.executeBlocking(() -> io.heady.common.exec.LogReader.read(logDir, taskId, offset, max));
  }

  public boolean cancel(String taskId, String leaseId) {
    return slots.cancel(taskId, leaseId);
  }

  /** Running tasks plus results not yet acknowledged: what the heartbeat tells the manager this node holds. */
  public List<String> heldTaskIds() {
    Set<String> ids = new LinkedHashSet<>(slots.runningIds());
    ids.addAll(reports.pendingIds());
    return List.copyOf(ids);
  }

  public int running() {
    return slots.running();
  }

  /** The manager's slot count for this node (from registration). */
  public void limit(int max) {
    slots.limit(max);
  }

  public TaskSlots slots() {
    return slots;
  }

  public Reports reports() {
    return reports;
  }

  public JsonObject health() {
    JsonObject hw = state.hardware() == null ? new JsonObject() : state.hardware().toJson();
    return new JsonObject()
        .put("node_id", state.nodeId())
        .put("name", state.name())
        .put("status", state.status())
        .put("tier", state.tier())
        .put("transport", state.transport())
        .put("registered", state.isRegistered())
        .put("hardware", hw)
        .put("cpu_cores", hw.getInteger("cpu_cores"))
        .put("ram_gb", hw.getDouble("ram_gb"))
        .put("capabilities", new JsonArray(state.capabilities()))
        .put("containment", state.containment() == null ? null : state.containment().toJson())
        .put("labels", new JsonObject(new LinkedHashMap<>(state.labels())))
        .put("running", slots.running())
        .put("running_task_ids", new JsonArray(heldTaskIds()))
        .put("max_concurrent", slots.limit())
        .put("pending_reports", reports.size())
        .put("refusing", state.refusing() == null ? null : state.refusing().toJson())
        .put("system_stats", state.stats().toJson())
        .put("version", io.heady.common.Version.VERSION);
  }
}
