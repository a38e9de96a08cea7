package io.heady.client.bench;

import static io.heady.client.bench.ProcessUsage.round1;
import static io.heady.client.bench.ProcessUsage.round3;

import io.heady.client.bench.sim.NodeSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A bench run of the manager alone against simulated nodes ({@code --sim-nodes}): registers them, floods
 * heartbeats to find how many a second the manager absorbs, then fills its queue while the nodes hold their
 * tasks, weighs the manager's heap with that deep queue, releases the nodes and measures the flow. Answers the
 * result line.
 */
final class SimRun {
  private final BenchPlan plan;
  private final ProgressBar bar;

  SimRun(BenchPlan plan, ProgressBar bar) {
    this.plan = plan;
    this.bar = bar;
  }

  JsonObject run(BenchTarget t) throws Exception {
    long mpid = t.managerPid();
    int nodes = plan.simNodes();
    int tasks = plan.tasks();
    AdminHttp admin = new AdminHttp(t.url(), t.token(), t.tls());
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
    NodeSimulator sim = null;
    try {
      sim = new NodeSimulator(vertx, new NodeSimulator.Settings(nodes, plan.slots(), plan.simHeartbeatSec(), t.url(),
          t.joinToken(), "sim" + Long.toString(System.currentTimeMillis() % 100000, 36) + "-"), t.tls());
      long r0 = System.nanoTime();
      sim.start();
      double regRate = nodes / ((System.nanoTime() - r0) / 1e9);
      bar.note(nodes + " simulated nodes registered (" + Math.round(regRate) + "/s)");
      double loadBefore = ProcInfo.loadAverage();
      LoadDriver.Settings ds = new LoadDriver.Settings("noop", 0, 1000, plan.requests(), 15, plan.timeoutSec());
      JsonObject r;
      try (LoadDriver driver = new LoadDriver(vertx, t.url(), t.token(), t.tls(), ds, bar)) {
        driver.open();
        int w = plan.warmup();
        if (w > 0) {
          driver.run("warmup", w);
        }
        bar.clear();
        double flood = plan.simFloodSec() > 0 ? sim.flood(plan.simFloodSec(), 64) : 0;
        bar.note("heartbeats absorbed at saturation: " + Math.round(flood) + "/s");
        sim.startHeartbeats();
        sim.hold(true);
        NodeSimulator.Snapshot s0 = sim.snapshot();
        // why: the decisions of the measured tasks alone, not those of the warm-up
        PromHistogram decided0 = placements(admin);
        CompletableFuture<LoadDriver.Outcome> run = CompletableFuture.supplyAsync(() -> {
          try {
            return driver.run("measure", tasks);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        int held = Math.min(tasks, nodes * plan.slots());
        int queuedTarget = tasks - held;
        int depth = awaitDepth(admin, queuedTarget, run);
        bar.clear();
        bar.note(depth + " tasks queued, " + held + " held by the simulated nodes; heap after GC...");
        double heapDeep = mpid > 0 ? ProcInfo.heapAfterGcMb(mpid) : -1;
        bar.note("manager heap after GC with " + depth + " queued: " + heapDeep + " MB; releasing the nodes");
        Profiles profiles = Profiles.start(plan.profileDir(), mpid, List.of());
        sim.measuring(true);
        long t0 = System.nanoTime();
        NodeSimulator.Snapshot sRelease = sim.snapshot();
        sim.hold(false);
        LoadDriver.Outcome m = run.get(plan.timeoutSec() + 180L, TimeUnit.SECONDS);
        sim.measuring(false);
        long t1 = m.lastDoneNs();
        NodeSimulator.Snapshot s1 = sim.snapshot();
        String profile = profiles.stop();
        bar.clear();
        double flowSec = Math.max(1e-9, (t1 - t0) / 1e9);
        double loadAfter = ProcInfo.loadAverage();
        PromHistogram decided = placements(admin).since(decided0);
        Audit.Verdict v = Audit.of(admin, m.ids());
        double heapEnd = mpid > 0 ? ProcInfo.heapAfterGcMb(mpid) : -1;
        r = new JsonObject()
            .put("system", "heady")
            .put("kind", "sim")
            .put("tasks", tasks)
            .put("sim_nodes", nodes)
            .put("agents", 0)
            .put("slots", plan.slots())
            .put("concurrency", nodes * plan.slots())
            .put("throughput_per_s", round1(m.succeeded() / flowSec))
            .put("latency_ms", m.latency().toJson())
            .put("start_latency_ms", m.start().toJson())
            .put("start_event", m.startEvent())
            .put("placement_ms", s1.placementMs())
            .put("placement_samples", s1.placementSamples())
            .put("placement_decision_ms", decided.toJsonMs())
            .put("heartbeats_per_s", round1(flood))
            .put("heartbeats_steady_per_s", round1((s1.heartbeatsAcked() - sRelease.heartbeatsAcked()) / flowSec))
            .put("heartbeat_latency_ms", s1.heartbeatLatencyMs())
            .put("heartbeat_sec", plan.simHeartbeatSec())
            .put("heartbeat_errors", s1.heartbeatErrors() - s0.heartbeatErrors())
            .put("registrations_per_s", round1(regRate))
            .put("dispatch_refusals", s1.refused())
            .put("manager_heap_mb", new JsonObject().put("deep_queue", heapDeep).put("queued", depth)
                .put("end", heapEnd))
            .put("lost", v.lost())
            .put("duplicates", v.duplicates())
            .put("rss_mb", ProcessUsage.rss(mpid, List.of()))
            .put("store", plan.local() ? plan.store() : ClusterFacts.of(admin.get("/api/cluster/state").json())
                .store())
            .put("transport", "http")
            .put("in_flight", "all")
            .put("batch", ds.batch())
            .put("warmup", w)
            .put("wall_s", round3(flowSec))
            .put("failed", m.failed())
            .put("submit_errors", m.submitErrors())
            .put("late_results", v.lateResults())
            .put("load_avg_before", loadBefore)
            .put("load_avg_after", loadAfter)
            .put("label", plan.label() != null ? plan.label() : "heady sim " + nodes + " nodes, " + tasks + " queued");
        if (m.firstError() != null) {
          r.put("error", m.firstError());
        }
        if (profile != null) {
          bar.note("profile of the flow:\n" + profile);
        }
      }
      return r;
    } finally {
      if (sim != null) {
        sim.close();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** The manager's {@code heady_placement_seconds} as {@code /metrics} has it now (empty when unreadable). */
  private static PromHistogram placements(AdminHttp admin) {
    return PromHistogram.parse(admin.text("/metrics"), "heady_placement_seconds");
  }

  /** Waits until the manager's queue holds {@code target} tasks (all submitted, the rest held by nodes). */
  private int awaitDepth(AdminHttp admin, int target, CompletableFuture<?> run) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(plan.timeoutSec());
    int depth = 0;
    while (System.nanoTime() < deadline && !run.isDone()) {
      AdminHttp.Res s = admin.get("/api/cluster/state");
      if (s.ok() && s.json() != null) {
        depth = s.json().getJsonObject("queue", new JsonObject()).getInteger("depth", 0);
        if (depth >= target) {
          return depth;
        }
      }
      Thread.sleep(250);
    }
    return depth;
  }
}
