package io.heady.client.chaos;

import io.heady.client.bench.AdminHttp;
import io.heady.client.bench.Audit;
import io.heady.client.bench.LocalCluster;
import io.heady.client.bench.ProgressBar;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One chaos run from start to verdict: start the cluster, follow its events, submit the stream while the faults
 * happen, wait for every task to end (reading back those whose end the event stream missed), give the agents a
 * bounded time to be active again, then read every record and the counters and judge them.
 */
public final class ChaosRun {
  /** Seconds the agents get after the run to be {@code active} again. */
  static final int AGENTS_BACK_SEC = 60;
  /** A task accepted this long ago with no end seen is read back from the manager. */
  private static final long READ_BACK_AFTER_NS = TimeUnit.SECONDS.toNanos(5);
  private static final int READ_BACK_MAX = 500;

  /**
   * What the run did and found.
   *
   * @param readBack the tasks whose end no event had brought when they were read back from the manager
   * @param noEndEvent of those, the tasks whose end event never came (the stream was down, or it was not sent)
   * @param timedOut whether the deadline passed with tasks still unfinished
   * @param dir the processes' logs and data (kept with {@code --keep})
   */
  public record Result(ChaosSettings settings, FaultPlan plan, String runId, Instant startedAt, double wallSec,
      List<FaultRunner.Entry> steps, ChaosAudit.Verdict verdict, long retries, int retriedTasks,
      Map<String, Long> retryCauses, int eventConnections, List<String> readBack, List<String> noEndEvent,
      boolean timedOut, Path dir) {}

  private final ChaosSettings s;
  private final FaultPlan plan;
  private final boolean keep;
  private final ProgressBar bar;
  private final Path jar;
  private final Clock clock = Clock.systemUTC();

  public ChaosRun(ChaosSettings s, FaultPlan plan, boolean keep, ProgressBar bar, Path jar) {
    this.s = s;
    this.plan = plan;
    this.keep = keep;
    this.bar = bar;
    this.jar = jar;
  }

  /** The agents' node ids, as {@link LocalCluster} names them. */
  public static List<String> agentIds(ChaosSettings s) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= s.agents(); i++) {
      ids.add("chaos-a" + i);
    }
    for (int i = 1; i <= s.httpAgents(); i++) {
      ids.add("chaos-h" + i);
    }
    return ids;
  }

  public Result run() throws Exception {
    LocalCluster.Spec spec = new LocalCluster.Spec(s.agents(), s.slots(), s.store(), "eventbus", "agent", List.of(),
        List.of(), s.managerArgs(), jar, keep, s.httpAgents(), "chaos");
    List<String> ids = agentIds(s);
    String runId = Long.toString(System.currentTimeMillis(), 36);
    try (LocalCluster cluster = new LocalCluster(spec, bar::note)) {
      bar.note("starting a manager (" + s.store() + " store, TTL " + ChaosSettings.TTL_SEC + " s), " + s.agents()
          + " event-bus and " + s.httpAgents() + " http agents (" + s.slots() + " slots each)");
      cluster.start();
      if (keep) {
        bar.note("logs and data in " + cluster.dir());
      }
      AdminHttp admin = new AdminHttp(cluster.url(), cluster.adminToken());
      ChaosAudit.Counts before = counts(admin, ids);
      TaskStream stream = new TaskStream(new AdminHttp(cluster.url(), cluster.adminToken()), runId, s.tasks(),
          s.rate(), s.taskMs(), plan.seed());
      try (EventTally tally = new EventTally(cluster.url(), cluster.adminToken(), stream::index, s.tasks());
          FaultRunner faults = new FaultRunner(cluster, admin, plan.steps(), bar::note, clock);
          stream) {
        tally.open(Duration.ofSeconds(30));
        bar.note(String.format(java.util.Locale.ROOT, "submitting %d tasks at %d/s (%.0f s) with %d faults",
            s.tasks(), s.rate(), s.streamSec(), plan.steps().size()));
        long t0 = System.nanoTime();
        Instant startedAt = clock.instant();
        long deadline = t0 + (long) ((s.streamSec() + s.timeoutSec()) * 1e9);
        stream.start(deadline);
        faults.start(t0);
        List<String> readBack = awaitEnds(admin, stream, tally, deadline);
        boolean timedOut = unfinished(stream, tally) > 0;
        double wall = (System.nanoTime() - t0) / 1e9;
        if (!faults.await(Math.max(0, (long) ((plan.lastEndSec() - wall) * 1000)) + 120_000)) {
          bar.note("some faults were not undone in time");
        }
        bar.clear();
        bar.note("stream done in " + Math.round(wall) + " s; waiting up to " + AGENTS_BACK_SEC + " s for every "
            + "agent to be active");
        Map<String, String> statuses = awaitActive(admin, ids);
        ChaosAudit.Counts after = counts(admin, ids);
        List<ChaosAudit.Sent> sent = new ArrayList<>(s.tasks());
        for (int i = 0; i < s.tasks(); i++) {
          String refused = stream.refused(i);
          if (refused == null && stream.acceptedAt(i) == 0) {
            refused = "not submitted before the run ended";
          }
          sent.add(new ChaosAudit.Sent(stream.id(i), stream.marker(i), refused, tally.successes(i)));
        }
        bar.note("reading " + s.tasks() + " task records");
        Audit records = Audit.fetch(admin, sent.stream().map(ChaosAudit.Sent::id).toList());
        ChaosAudit.Verdict v = ChaosAudit.judge(sent, records::record, before, after, statuses, faults.errors());
        List<String> noEndEvent = readBack.stream().filter(id -> !tally.endEventSeen(stream.index(id))).toList();
        return new Result(s, plan, runId, startedAt, wall, faults.log(), v, stream.retries(), stream.retriedTasks(),
            stream.retryCauses(), tally.connections(), readBack, noEndEvent, timedOut, cluster.dir());
      }
    }
  }

  /** Waits until every task is refused or ended (or the deadline); returns the tasks whose end was read back. */
  private List<String> awaitEnds(AdminHttp admin, TaskStream stream, EventTally tally, long deadline)
      throws InterruptedException {
    List<String> readBack = new ArrayList<>();
    long lastRead = System.nanoTime();
    int lastDone = 0;
    long lastTick = System.nanoTime();
    while (true) {
      int open = unfinished(stream, tally);
      int done = s.tasks() - open;
      long now = System.nanoTime();
      bar.progress("chaos", done, s.tasks(), (done - lastDone) / Math.max(1e-9, (now - lastTick) / 1e9));
      lastDone = done;
      lastTick = now;
      if (open == 0 && stream.allSettled()) {
        return readBack;
      }
      if (now > deadline) {
        bar.clear();
        bar.note(open + " tasks unfinished at the deadline (--timeout " + s.timeoutSec() + " s after the stream)");
        return readBack;
      }
      if (now - lastRead > TimeUnit.SECONDS.toNanos(3)) {
        readBack(admin, stream, tally, readBack);
        lastRead = System.nanoTime();
      }
      Thread.sleep(250);
    }
  }

  /** Tasks accepted whose end is not known yet, plus those not yet accepted nor given up. */
  private static int unfinished(TaskStream stream, EventTally tally) {
    int open = 0;
    for (int i = 0; i < stream.size(); i++) {
      if (stream.refused(i) == null && tally.ended(i) == null) {
        open++;
      }
    }
    return open;
  }

  /** Asks the manager for tasks accepted a while ago whose end no event brought (it was missed in an outage). */
  private static void readBack(AdminHttp admin, TaskStream stream, EventTally tally, List<String> found) {
    long now = System.nanoTime();
    int asked = 0;
    for (int i = 0; i < stream.size() && asked < READ_BACK_MAX; i++) {
      long at = stream.acceptedAt(i);
      if (at == 0 || tally.ended(i) != null || now - at < READ_BACK_AFTER_NS) {
        continue;
      }
      asked++;
      AdminHttp.Res r = admin.get("/api/cluster/tasks/" + stream.id(i));
      if (r.status() == 0) {
        return; // the manager is down: try again later
      }
      String status = r.ok() && r.json() != null ? r.json().getString("status") : null;
      if (status != null && List.of("succeeded", "failed", "timed_out", "cancelled", "skipped").contains(status)) {
        tally.end(i, status);
        found.add(stream.id(i));
      }
    }
  }

  /** Each agent's status once all are active, or as they are when {@link #AGENTS_BACK_SEC} has passed. */
  private static Map<String, String> awaitActive(AdminHttp admin, List<String> ids) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AGENTS_BACK_SEC);
    Map<String, String> statuses = new LinkedHashMap<>();
    while (true) {
      statuses.clear();
      ids.forEach(id -> statuses.put(id, "missing"));
      AdminHttp.Res r = admin.get("/api/cluster/nodes");
      if (r.ok() && r.json() != null) {
        for (Object o : r.json().getJsonArray("nodes", new JsonArray())) {
          JsonObject n = (JsonObject) o;
          if (statuses.containsKey(n.getString("node_id"))) {
            statuses.put(n.getString("node_id"), n.getString("status"));
          }
        }
      } else {
        ids.forEach(id -> statuses.put(id, "unknown (the manager answered " + r.status() + ")"));
      }
      if (statuses.values().stream().allMatch("active"::equals) || System.nanoTime() > deadline) {
        return statuses;
      }
      Thread.sleep(500);
    }
  }

  /** The manager's completed counter and the agents' tasks_completed summed (asked again while it recovers). */
  private static ChaosAudit.Counts counts(AdminHttp admin, List<String> ids) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      AdminHttp.Res st = admin.get("/api/cluster/state");
      AdminHttp.Res nodes = admin.get("/api/cluster/nodes");
      if (st.ok() && st.json() != null && nodes.ok() && nodes.json() != null) {
        long completed = st.json().getJsonObject("metrics", new JsonObject()).getLong("completed", 0L);
        long sum = 0;
        for (Object o : nodes.json().getJsonArray("nodes", new JsonArray())) {
          JsonObject n = (JsonObject) o;
          if (ids.contains(n.getString("node_id"))) {
            sum += n.getLong("tasks_completed", 0L);
          }
        }
        return new ChaosAudit.Counts(completed, sum);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the manager did not answer GET /api/cluster/state and /api/cluster/nodes "
            + "for 60 s (last: " + st.status() + ", " + nodes.status() + ")");
      }
      Thread.sleep(500);
    }
  }
}
