package io.heady.client.bench;

import static io.heady.client.bench.ProcessUsage.round1;
import static io.heady.client.bench.ProcessUsage.round3;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bench run with real agents: a warm-up phase, then the measured one (with CPU, memory and optionally JFR
 * profiles of the processes around it), then the audit of every measured task's record. Answers the result
 * line.
 */
final class LoadRun {
  private final BenchPlan plan;
  private final ProgressBar bar;

  LoadRun(BenchPlan plan, ProgressBar bar) {
    this.plan = plan;
    this.bar = bar;
  }

  JsonObject run(BenchTarget t) throws Exception {
    long mpid = t.managerPid();
    List<Long> apids = t.agentPids();
    if (plan.local()) {
      Thread.sleep(2000); // why: idle memory after start-up work settles, not during it
    }
    JsonObject idle = ProcessUsage.rss(mpid, apids);
    AdminHttp admin = new AdminHttp(t.url(), t.token(), t.tls());
    JsonObject before = admin.getJson("/api/cluster/state");
    int concurrency = plan.local() ? plan.agents() * plan.slots()
        : before.getJsonObject("compute_capacity", new JsonObject()).getInteger("slots_total", 0);
    double loadBefore = ProcInfo.loadAverage();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    try {
      LoadDriver.Outcome m;
      String profile;
      double[] cpu0;
      double[] cpu1;
      try (LoadDriver driver = new LoadDriver(vertx, t.url(), t.token(), t.tls(), plan.driverSettings(), bar)) {
        driver.open();
        int w = plan.warmup();
        if (w > 0) {
          LoadDriver.Outcome wo = driver.run("warmup", w);
          if (wo.succeeded() < w) {
            bar.note("warm-up: " + wo.succeeded() + " of " + w + " succeeded" + (wo.firstError() == null ? ""
                : " (" + wo.firstError() + ")"));
          }
        }
        Profiles profiles = Profiles.start(plan.profileDir(), mpid, apids);
        cpu0 = ProcessUsage.cpu(mpid, apids);
        m = driver.run("measure", plan.tasks());
        cpu1 = ProcessUsage.cpu(mpid, apids);
        profile = profiles.stop();
      }
      bar.clear();
      double loadAfter = ProcInfo.loadAverage();
      Audit.Verdict v = Audit.of(admin, m.ids());
      JsonObject r = new JsonObject()
          .put("system", "heady")
          .put("kind", plan.kind())
          .put("tasks", plan.tasks())
          .put("agents", plan.local() ? plan.agents()
              : before.getJsonObject("nodes", new JsonObject()).getValue("total"))
          .put("slots", plan.local() ? plan.slots() : null)
          .put("concurrency", concurrency)
          .put("throughput_per_s", round1(m.throughput()))
          .put("latency_ms", m.latency().toJson())
          .put("start_latency_ms", m.start().toJson())
          .put("start_event", m.startEvent())
          .put("lost", v.lost())
          .put("duplicates", v.duplicates())
          .put("rss_mb", ProcessUsage.rss(mpid, apids))
          .put("idle_rss_mb", idle)
          .put("cpu_s", ProcessUsage.cpuUsed(cpu0, cpu1, apids.size()))
          .put("cpu_us_per_task", ProcessUsage.cpuPerTask(cpu0, cpu1, apids.size(), m.succeeded()))
          .put("store", plan.local() ? plan.store() : null)
          .put("transport", plan.local() ? plan.transport() : null)
          .put("agent_profile", plan.local() ? plan.agentProfile() : null)
          .put("in_flight", plan.inFlight() == 0 ? "all" : Integer.toString(plan.inFlight()))
          .put("batch", plan.batch())
          .put("warmup", plan.warmup())
          .put("wall_s", round3(m.wallSeconds()))
          .put("submit_s", m.submitEndNs() > 0 ? round3((m.submitEndNs() - m.firstSubmitNs()) / 1e9) : null)
          .put("failed", m.failed())
          .put("submit_errors", m.submitErrors())
          .put("read_back", m.readBack())
          .put("late_results", v.lateResults())
          .put("load_avg_before", loadBefore)
          .put("load_avg_after", loadAfter);
      if (plan.label() != null) {
        r.put("label", plan.label());
      }
      if (m.firstError() != null) {
        r.put("error", m.firstError());
      }
      if (profile != null) {
        bar.note("profile of the measured phase:\n" + profile);
      }
      return r;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
