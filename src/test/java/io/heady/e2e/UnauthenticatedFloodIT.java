package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.client.bench.JvmProfile;
import io.heady.security.Http;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Nothing is spent before a token is checked, on real processes: a manager and an agent started with the JVM
 * options the launcher gives them on a small machine ({@code launcher/manager.options}, the manager has no
 * small profile; {@code launcher/agent-small.options}: a 96 MB heap), each under 2,000 concurrent
 * unauthenticated 1 MiB uploads (each slot starting a new one when the server ends it) and 1,000 half-open
 * connections (a partial request head, then nothing), from 40 loopback addresses. Both stay up; their live
 * heap, measured after a full collection in the middle of the attack, stays small; a normal task runs on the
 * agent to succeeded while the attack goes on; every half-open connection is closed by the server within the
 * head timeout (10 s by default) plus 8 s.
 */
class UnauthenticatedFloodIT {
  static final int UPLOADS = 2000;
  static final int HALF_OPEN = 1000;
  static final long HEAD_TIMEOUT_MS = 10_000;
  // why: the sweep runs each second, and the servers and this test share two busy cores during the attack
  static final long SLACK_MS = 8_000;
  /** Live heap (after a full collection) allowed in the middle of the attack. */
  static final long MANAGER_LIVE_MB = 160;
  static final long AGENT_LIVE_MB = 64;

  @Test
  void aManagerAndAnAgentOnTheLaunchersOptionsShrugOffAnUnauthenticatedFlood() throws Exception {
    int agentPort = HeadyProcess.freePort();
    try (Cluster cluster = new Cluster()) {
      cluster.managerJvm = JvmProfile.options("manager");
      cluster.agentJvm = JvmProfile.options("agent-small");
      cluster.startManager("--offload-cpu-pct=101");
      HeadyProcess agent = cluster.startAgent("flood-agent", "--transport=http", "--port=" + agentPort);
      cluster.awaitNode("flood-agent", "active", Duration.ofSeconds(60));
      Map<String, HeadyProcess> procs = Map.of("manager", cluster.manager, "agent", agent);
      Map<String, Long> pids = Map.of("manager", cluster.manager.pid(), "agent", agent.pid());
      Map<String, Long> baseline = new ConcurrentHashMap<>();
      for (var e : procs.entrySet()) {
        baseline.put(e.getKey(), liveHeapKb(e.getKey(), e.getValue()));
      }
      System.out.println("[flood] live heap before: manager " + baseline.get("manager") / 1024 + " MB, agent "
          + baseline.get("agent") / 1024 + " MB");

      Flood.Target mt = new Flood.Target("manager", cluster.port, "/api/cluster/tasks/route");
      Flood.Target at = new Flood.Target("agent", agentPort, "/api/node/task");
      List<String> sources = new ArrayList<>();
      for (int i = 1; i <= 40; i++) {
        sources.add("127.0.2." + i);
      }
      Map<String, Long> peakRss = new ConcurrentHashMap<>();
      try (Flood flood = new Flood(List.of(mt, at), UPLOADS, HALF_OPEN, sources);
          Sampler sampler = new Sampler(pids, peakRss)) {
        flood.start();
        Poll.until("every half-open connection sent its partial head", Duration.ofSeconds(60), () -> {
          assertNull(flood.failure(), "the attack itself failed");
          return flood.tally(mt).halfOpenSent.get() == HALF_OPEN && flood.tally(at).halfOpenSent.get() == HALF_OPEN
              && flood.tally(mt).uploads.get() >= UPLOADS && flood.tally(at).uploads.get() >= UPLOADS;
        });
        long attackFrom = System.nanoTime();
        System.out.println("[flood] attack in place: manager " + flood.tally(mt) + "; agent " + flood.tally(at));
        // the live heap with every half-open connection held and the uploads coming
        long managerLive = liveHeapKb("manager", cluster.manager) / 1024;
        long agentLive = liveHeapKb("agent", agent) / 1024;
        System.out.println("[flood] live heap under attack: manager " + managerLive + " MB, agent " + agentLive
            + " MB (half-open held: manager " + flood.tally(mt).halfOpenOpen + ", agent " + flood.tally(at).halfOpenOpen
            + ")");

        // a normal task, submitted and run while the attack goes on
        String id = cluster.submit(new JsonObject().put("command", "echo under-attack").put("node", "flood-agent"));
        JsonObject done = cluster.awaitFinished(id, Duration.ofSeconds(90));
        assertEquals("succeeded", done.getString("status"), done.encodePrettily());
        System.out.println("[flood] the task " + id + " succeeded "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attackFrom) + " ms into the attack");

        // and again, later in the attack
        managerLive = Math.max(managerLive, liveHeapKb("manager", cluster.manager) / 1024);
        agentLive = Math.max(agentLive, liveHeapKb("agent", agent) / 1024);
        System.out.println("[flood] most live heap during the attack: manager " + managerLive + " MB, agent "
            + agentLive + " MB; manager " + flood.tally(mt) + "; agent " + flood.tally(at));

        Poll.until("the servers closed every half-open connection", Duration.ofMillis(HEAD_TIMEOUT_MS + SLACK_MS
            + 30_000), () -> flood.tally(mt).halfOpenOpen.get() == 0 && flood.tally(at).halfOpenOpen.get() == 0);
        flood.stopUploads();
        for (Flood.Target t : List.of(mt, at)) {
          Flood.Tally tally = flood.tally(t);
          long slowest = Collections.max(tally.halfOpenClosedAfterMs);
          System.out.println("[flood] " + t.name() + ": " + tally + "; slowest half-open close " + slowest + " ms");
          assertEquals(HALF_OPEN, tally.halfOpenClosedAfterMs.size(), t.name() + ": every half-open one was closed");
          assertTrue(slowest <= HEAD_TIMEOUT_MS + SLACK_MS, t.name() + ": a half-open connection lived " + slowest
              + " ms");
          assertEquals(0, tally.answered2xx.get(), t.name() + ": an unauthenticated upload was accepted");
          assertTrue(tally.uploads.get() >= UPLOADS, t.name() + ": " + tally);
          assertTrue(tally.answered401.get() + tally.endedWithoutAnswer.get() + tally.answeredOther.get()
              >= UPLOADS, t.name() + ": the server ended the uploads: " + tally);
        }
        assertNull(flood.failure());
        assertTrue(managerLive <= MANAGER_LIVE_MB, "the manager's live heap grew to " + managerLive + " MB");
        assertTrue(agentLive <= AGENT_LIVE_MB, "the agent's live heap grew to " + agentLive + " MB");
      }
      System.out.println("[flood] peak RSS: manager " + peakRss.get("manager") / 1024 + " MB, agent "
          + peakRss.get("agent") / 1024 + " MB");

      // both are up and serve their callers
      assertTrue(cluster.manager.alive() && agent.alive(), cluster.logs());
      assertEquals(200, cluster.admin.get("/health/live").status());
      assertEquals(200, new Api("http://127.0.0.1:" + agentPort, null).sealed(cluster.asManager("flood-agent"),
          "flood-agent", "GET", "/api/node/health", null).status(), "the node answers the manager");
      String again = cluster.submit(new JsonObject().put("command", "echo after").put("node", "flood-agent"));
      assertEquals("succeeded", cluster.awaitFinished(again, Duration.ofSeconds(60)).getString("status"));
      assertTrue(!cluster.logs().contains("OutOfMemoryError"), "an OutOfMemoryError was logged");
    }
  }

  /** Used heap after a full collection, in KB ({@code jcmd GC.run}, then {@code jstat -gc}). */
  static long liveHeapKb(String name, HeadyProcess p) throws IOException, InterruptedException {
    if (!p.alive()) {
      String log = p.output();
      throw new AssertionError("the " + name + " died under the attack; its log ends:\n"
          + log.substring(Math.max(0, log.length() - 3000)));
    }
    long pid = p.pid();
    run(tool("jcmd"), Long.toString(pid), "GC.run");
    List<String> lines = run(tool("jstat"), "-gc", Long.toString(pid)).lines().filter(l -> !l.isBlank()).toList();
    String[] names = lines.get(0).trim().split("\\s+");
    String[] values = lines.get(1).trim().split("\\s+");
    double kb = 0;
    for (int i = 0; i < names.length; i++) {
      if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
        kb += Double.parseDouble(values[i]);
      }
    }
    return (long) kb;
  }

  private static String tool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
    }
    return out;
  }

  /** Resident memory of each process, sampled every half second from {@code /proc}, keeping the peak (KB). */
  static final class Sampler implements AutoCloseable {
    private final java.util.concurrent.ScheduledExecutorService timer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

    Sampler(Map<String, Long> pids, Map<String, Long> peak) {
      timer.scheduleAtFixedRate(() -> pids.forEach((name, pid) -> peak.merge(name, rssKb(pid), Math::max)), 0, 500,
          TimeUnit.MILLISECONDS);
    }

    private static long rssKb(long pid) {
      try {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          if (l.startsWith("VmRSS:")) {
            return Long.parseLong(l.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException | RuntimeException gone) {
        // the process ended
      }
      return 0;
    }

    @Override
    public void close() throws InterruptedException {
      timer.shutdownNow();
      timer.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
