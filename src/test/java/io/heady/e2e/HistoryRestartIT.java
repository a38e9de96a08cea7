package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.testing.RedisServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, "history survives restarts", with real processes and a real redis-server: tasks that finished
 * before a manager SIGKILL are listed after its restart by the history, the list (with its filters and both
 * orders), the real CLI and the dashboard (in Chromium), and by a standby manager on the same Redis.
 */
class HistoryRestartIT {
  private static final List<String> FINAL = List.of("succeeded", "failed", "timed_out", "cancelled", "skipped");

  /** One CLI run: exit code, stdout, stderr. */
  record Out(int rc, String out, String err) {
    @Override
    public String toString() {
      return "exit " + rc + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  @Test
  void tasksFinishedBeforeAManagerKillAreListedAfterItsRestart() throws Exception {
    try (RedisServer redis = RedisServer.start(true, "always", null);
        Cluster c = new Cluster().startManager("--store=" + redis.url(), "--heartbeat-sec=1", "--ttl-sec=8",
            "--offline-sec=60", "--offload-cpu-pct=101")) {
      // one at a time, so submission order is finish order: five succeed, the last one fails
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String id = c.submit(new JsonObject().put("command", i < 5 ? "echo done-" + i : "echo nope; exit 3"));
        JsonObject t = c.awaitFinished(id, Duration.ofSeconds(60));
        assertEquals(i < 5 ? "succeeded" : "failed", t.getString("status"), t.encode());
        ids.add(id);
      }
      List<String> succeeded = ids.subList(0, 5);
      String failed = ids.get(5);
      JsonObject first = c.admin.get("/api/cluster/tasks/" + ids.get(0)).json();
      String nodeName = first.getString("node_name");
      assertNotNull(nodeName, first.encode());

      c.restartManager();

      // history: oldest to newest, and paged backwards with before
      Api.Res h = c.admin.get("/api/cluster/tasks/history?limit=200");
      assertEquals(200, h.status(), h.raw());
      assertEquals(ids, ids(h.json()), h.raw());
      assertNull(h.json().getValue("before"), "nothing older");
      Api.Res last4 = c.admin.get("/api/cluster/tasks/history?limit=4");
      assertEquals(ids.subList(2, 6), ids(last4.json()), last4.raw());
      Api.Res older = c.admin.get("/api/cluster/tasks/history?limit=4&before="
          + last4.json().getLong("before"));
      assertEquals(ids.subList(0, 2), ids(older.json()), older.raw());

      // the list, by status, node (name) and type, in both orders
      assertEquals(succeeded, ids(c.admin.get("/api/cluster/tasks?status=succeeded").json()));
      assertEquals(List.of(failed), ids(c.admin.get("/api/cluster/tasks?status=failed").json()));
      assertEquals(ids, finished(c.admin.get("/api/cluster/tasks").json()));
      assertEquals(reversed(ids), finished(c.admin.get("/api/cluster/tasks?order=newest").json()));
      assertEquals(reversed(succeeded), ids(c.admin.get("/api/cluster/tasks?status=succeeded&order=newest&node="
          + java.net.URLEncoder.encode(nodeName, StandardCharsets.UTF_8) + "&type=shell").json()));
      List<String> paged = new ArrayList<>();
      String cursor = null;
      for (int pages = 0; pages < 10; pages++) {
        JsonObject page = c.admin.get("/api/cluster/tasks?status=succeeded&order=newest&limit=2"
            + (cursor == null ? "" : "&cursor=" + cursor)).json();
        paged.addAll(ids(page));
        cursor = page.getString("next_cursor");
        if (cursor == null) {
          break;
        }
      }
      assertEquals(reversed(succeeded), paged, "pages of two, newest first, each task once");
      Api.Res bad = c.admin.get("/api/cluster/tasks?order=sideways");
      assertEquals(400, bad.status(), bad.raw());
      assertEquals("order", bad.json().getJsonObject("error").getJsonObject("details").getString("field"));

      // the real CLI
      Path home = HeadyProcess.tempDir("history-cli-home-");
      Out newest = cli(c, home, "tasks");
      assertEquals(0, newest.rc, newest::toString);
      assertEquals(reversed(ids), listed(newest.out, ids), newest::toString);
      Out oldest = cli(c, home, "tasks", "--oldest-first");
      assertEquals(0, oldest.rc, oldest::toString);
      assertEquals(ids, listed(oldest.out, ids), oldest::toString);
      Out onlyFailed = cli(c, home, "tasks", "--status", "failed");
      assertEquals(List.of(failed), listed(onlyFailed.out, ids), onlyFailed::toString);
      Out two = cli(c, home, "tasks", "--status", "succeeded", "--limit", "2");
      assertEquals(reversed(succeeded).subList(0, 2), listed(two.out, ids), two::toString);
      String hint = two.out.lines().filter(l -> l.startsWith("next page: heady tasks ")).findFirst()
          .orElseThrow(() -> new AssertionError("no next page hint:\n" + two));
      List<String> again = new ArrayList<>(List.of(hint.substring("next page: heady ".length()).split(" ")));
      Out next = cli(c, home, again.toArray(String[]::new));
      assertEquals(0, next.rc, next::toString);
      assertEquals(reversed(succeeded).subList(2, 4), listed(next.out, ids), next::toString);

      // a task submitted after the restart comes after every task the store holds, finished ones included
      String after = c.submit(new JsonObject().put("command", "echo after"));
      c.awaitFinished(after, Duration.ofSeconds(60));
      List<String> newestFirst = finished(c.admin.get("/api/cluster/tasks?order=newest").json());
      assertEquals(after, newestFirst.get(0), "the newest task is listed first: " + newestFirst);

      // the dashboard, in a real browser
      String nodeBin = DashboardIT.requireTools();
      Path log = Path.of("target", "history-browser.log");
      List<String> cmd = new ArrayList<>(List.of(nodeBin, DashboardIT.BROWSER.resolve("history.mjs").toString(),
          c.url(), c.adminToken, failed));
      cmd.addAll(succeeded);
      Process browser = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!browser.waitFor(180, TimeUnit.SECONDS)) {
        browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("the browser check did not finish within 180 s:\n" + Files.readString(log));
      }
      String shown = Files.readString(log);
      assertEquals(0, browser.exitValue(), () -> "the browser check failed:\n" + shown);
      assertTrue(shown.contains("dashboard history test passed"), shown);

      // a standby on the same Redis answers the same reads from the store
      int portB = HeadyProcess.freePort();
      try (HeadyProcess b = HeadyProcess.start("manager-b", Map.of(), "--role=manager", "--port=" + portB,
          "--host=127.0.0.1", "--data-dir=" + HeadyProcess.tempDir("manager-b-"), "--cluster-host=127.0.0.1",
          "--cluster-port=" + HeadyProcess.freePort(), "--cluster-name=" + c.name,
          "--cluster-members=127.0.0.1:" + c.clusterPort, "--store=" + redis.url(), "--join-token=" + c.joinToken,
          "--admin-token=" + c.adminToken, "--heartbeat-sec=1", "--ttl-sec=8", "--offline-sec=60")) {
        Api standby = new Api("http://127.0.0.1:" + portB, c.adminToken);
        Poll.until("the standby answers NOT_LEADER", Duration.ofSeconds(60), () -> {
          if (!b.alive()) {
            throw new AssertionError("manager b exited:\n" + b.output());
          }
          Api.Res r = standby.get("/api/cluster/state");
          return r.status() == 503 && r.json() != null
              && "NOT_LEADER".equals(r.json().getJsonObject("error").getString("code")) ? r : null;
        });
        List<String> allDone = new ArrayList<>(ids);
        allDone.add(after);
        List<String> allSucceeded = new ArrayList<>(List.of(after));
        allSucceeded.addAll(reversed(succeeded));
        Api.Res sh = standby.get("/api/cluster/tasks/history?limit=200");
        assertEquals(200, sh.status(), sh.raw());
        assertEquals(allDone, ids(sh.json()));
        assertEquals(allSucceeded, ids(standby.get("/api/cluster/tasks?status=succeeded&order=newest")
            .json()));
        assertEquals(allDone, finished(standby.get("/api/cluster/tasks").json()));
      }
    }
  }

  private static List<String> ids(JsonObject page) {
    JsonArray tasks = page.getJsonArray("tasks");
    assertNotNull(tasks, page.encode());
    return tasks.stream().map(o -> ((JsonObject) o).getString("task_id")).collect(Collectors.toList());
  }

  /** The finished tasks of a page (the manager's own probes and the like may be listed too). */
  private static List<String> finished(JsonObject page) {
    return page.getJsonArray("tasks").stream().map(o -> (JsonObject) o)
        .filter(t -> FINAL.contains(t.getString("status"))).map(t -> t.getString("task_id"))
        .collect(Collectors.toList());
  }

  private static List<String> reversed(List<String> l) {
    List<String> r = new ArrayList<>(l);
    Collections.reverse(r);
    return r;
  }

  /** The ids of these tasks in the order the CLI's table lists them (each row starts with its id). */
  private static List<String> listed(String table, List<String> ids) {
    Set<String> known = Set.copyOf(ids);
    return table.lines().map(l -> l.split(" ", 2)[0]).filter(known::contains).collect(Collectors.toList());
  }

  /** {@code java -jar heady.jar ARGS --url … --token …} with a clean environment and an empty home. */
  private static Out cli(Cluster c, Path home, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Duser.home=" + home, "-jar",
        HeadyProcess.jar().toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--url", c.url(), "--token", c.adminToken));
    Path dir = HeadyProcess.tempDir("history-cli-run-");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
        .redirectError(dir.resolve("err").toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_") || k.equals("XDG_CONFIG_HOME"));
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("heady " + cmd + " did not finish in 90 s");
    }
    return new Out(p.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
  }
}
