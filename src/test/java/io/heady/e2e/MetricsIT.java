package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code /metrics}, {@code /health/ready}, the event stream's {@code ?token=} and the dashboard's files on a
 * real manager and agent. The metrics of a manager that ran tasks must pass {@code promtool check metrics}
 * (Debian package {@code prometheus}; a prerequisite that {@code .ci/run} installs: missing, the test fails).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsIT {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Cluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster().startManager("--offload-cpu-pct=101");
    cluster.startAgent("metrics-agent", "--transport=eventbus");
    cluster.awaitNode("metrics-agent", "active", Duration.ofSeconds(30));
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.url() + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The status line for a request java.net.URI would refuse to build (a malformed escape). */
  private String rawStatusLine(String pathAndQuery) throws IOException {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", cluster.port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  /** The sum of the samples of a metric whose labels include all of {@code labels}. */
  static double sum(String text, String name, String... labels) {
    double total = 0;
    boolean found = false;
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(text);
    while (m.find()) {
      String l = m.group(1) == null ? "" : m.group(1);
      boolean all = true;
      for (String want : labels) {
        all &= l.contains(want);
      }
      if (all) {
        total += Double.parseDouble(m.group(2));
        found = true;
      }
    }
    return found ? total : Double.NaN;
  }

  @Test
  void metricsOfAManagerThatRanTasksPassPromtool() throws Exception {
    String promtool = DashboardIT.which("promtool");
    if (promtool == null) {
      fail("promtool is missing: apt-get install -y prometheus (.ci/run installs it)");
    }
    List<String> ok = List.of(cluster.submit(new JsonObject().put("type", "shell").put("command", "echo one")),
        cluster.submit(new JsonObject().put("type", "shell").put("command", "echo two").put("priority", "P1")),
        cluster.submit(new JsonObject().put("type", "deployment").put("command", "echo deployed")));
    String bad = cluster.submit(new JsonObject().put("type", "shell").put("command", "exit 3"));
    String odd = cluster.submit(new JsonObject().put("type", "my-own-type").put("command", "true"));
    for (String id : ok) {
      assertEquals("succeeded", cluster.awaitFinished(id, Duration.ofSeconds(30)).getString("status"));
    }
    assertEquals("failed", cluster.awaitFinished(bad, Duration.ofSeconds(30)).getString("status"));
    cluster.awaitFinished(odd, Duration.ofSeconds(30));

    // task metrics follow the event stream; wait until the last finish is counted
    String text = Poll.until("the failure counted in /metrics", Duration.ofSeconds(15), () -> {
      try {
        HttpResponse<String> r = get("/metrics", null);
        return r.statusCode() == 200 && sum(r.body(), "heady_tasks_finished_total", "status=\"failed\"") >= 1
            && sum(r.body(), "heady_tasks_finished_total") >= 5 ? r.body() : null;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    HttpResponse<String> res = get("/metrics", null);
    assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    Path file = Path.of("target", "metrics.prom");
    Files.writeString(file, text);

    Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true)
        .redirectInput(file.toFile()).start();
    String lint = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool finished");
    assertEquals(0, p.exitValue(), () -> "promtool check metrics found problems in " + file + ":\n" + lint);

    assertEquals(5, sum(text, "heady_tasks_submitted_total"), text);
    assertEquals(1, sum(text, "heady_tasks_submitted_total", "type=\"shell\"", "priority=\"P1\""));
    assertEquals(1, sum(text, "heady_tasks_submitted_total", "type=\"other\""), "an unlisted type is 'other'");
    assertEquals(1, sum(text, "heady_tasks_finished_total", "type=\"deployment\"", "status=\"succeeded\""));
    assertEquals(1, sum(text, "heady_tasks_finished_total", "type=\"shell\"", "status=\"failed\""));
    assertTrue(sum(text, "heady_task_duration_seconds_count") >= 5);
    assertTrue(sum(text, "heady_task_duration_seconds_bucket", "le=\"+Inf\"") >= 5);
    assertTrue(sum(text, "heady_task_queue_wait_seconds_count") >= 5);
    assertTrue(sum(text, "heady_dispatch_latency_seconds_count") >= 1);
    // every dispatch above was a placement decision first, timed on its own
    assertTrue(sum(text, "heady_placement_seconds_count") >= 5, text);
    assertTrue(sum(text, "heady_placement_seconds_bucket", "le=\"+Inf\"") >= 5);
    assertTrue(text.contains("heady_placement_seconds_bucket{le=\"0.001\"}"), "a bucket at 1 ms");
    assertEquals(0, sum(text, "heady_queue_depth"));
    for (String pr : new String[] {"P0", "P1", "P2", "P3"}) {
      assertEquals(0, sum(text, "heady_queue_depth", "priority=\"" + pr + "\""), pr);
    }
    assertEquals(2, sum(text, "heady_nodes", "status=\"active\""), "the agent and the local executor");
    assertEquals(100, sum(text, "heady_node_reliability", "node=\"metrics-agent\""));
    assertTrue(sum(text, "heady_store_operation_seconds_count", "operation=\"save_tasks\"", "outcome=\"ok\"") >= 5);
    assertTrue(sum(text, "heady_slots_capacity") >= 2);
    assertTrue(sum(text, "heady_events_total", "event=\"task.succeeded\"") >= 3);
    // what the tasks used, as their records say, is what /metrics counted (nothing, from nodes that do not measure)
    double userSec = 0;
    double peaks = 0;
    for (String id : List.of(ok.get(0), ok.get(1), ok.get(2), bad, odd)) {
      JsonObject u = cluster.admin.get("/api/cluster/tasks/" + id).json().getJsonObject("usage");
      if (u != null && u.getDouble("cpu_user_sec") >= 0) {
        userSec += u.getDouble("cpu_user_sec");
      }
      if (u != null && u.getLong("peak_memory_bytes") >= 0) {
        peaks++;
      }
    }
    double counted = sum(text, "heady_task_cpu_seconds_total", "mode=\"user\"");
    assertEquals(userSec, Double.isNaN(counted) ? 0 : counted, 1e-6, "user CPU seconds: records vs /metrics");
    double observed = sum(text, "heady_task_peak_memory_bytes_count");
    assertEquals(peaks, Double.isNaN(observed) ? 0 : observed, "peak memory observations: records vs /metrics");
    for (String jvm : new String[] {"jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_seconds_total",
        "process_uptime_seconds", "vertx_http_server_requests_total"}) {
      assertTrue(sum(text, jvm) > 0, jvm);
    }
  }

  @Test
  void theExampleAlertsInMonitoringMdAreValidRules() throws Exception {
    String promtool = DashboardIT.which("promtool");
    if (promtool == null) {
      fail("promtool is missing: apt-get install -y prometheus (.ci/run installs it)");
    }
    String doc = Files.readString(Path.of("MONITORING.md"));
    Matcher m = Pattern.compile("<!-- alerts:begin -->\\s*```yaml\\n(.*?)```\\s*<!-- alerts:end -->", Pattern.DOTALL)
        .matcher(doc);
    assertTrue(m.find(), "MONITORING.md has its alert rules between the alerts markers");
    Path rules = Path.of("target", "heady-alerts.yml");
    Files.writeString(rules, m.group(1));
    Process p = new ProcessBuilder(promtool, "check", "rules", rules.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool finished");
    assertEquals(0, p.exitValue(), () -> "promtool check rules:\n" + out);
    assertTrue(out.contains("SUCCESS"), out);
  }

  @Test
  void readinessChecksTheStoreTheSchedulerLoopAndTheCluster() throws Exception {
    HttpResponse<String> r = get("/health/ready", null);
    assertEquals(200, r.statusCode(), r.body());
    JsonObject body = new JsonObject(r.body());
    assertEquals("UP", body.getString("outcome"));
    Map<String, JsonObject> checks = new HashMap<>();
    body.getJsonArray("checks").forEach(o -> checks.put(((JsonObject) o).getString("id"), (JsonObject) o));
    assertEquals(java.util.Set.of("store", "scheduler", "cluster"), checks.keySet());
    checks.values().forEach(c -> assertEquals("UP", c.getString("status"), c.encode()));
    JsonObject cl = checks.get("cluster").getJsonObject("data");
    assertEquals("ACTIVE", cl.getString("state"));
    assertTrue(cl.getInteger("members") >= 2 && cl.getInteger("lite_members") >= 1, cl.encode());
    assertNotNull(checks.get("scheduler").getJsonObject("data").getInteger("answered_in_ms"));
  }

  @Test
  void theEventStreamTakesTheAdminTokenAsAQueryParameterAndNoOtherRouteDoes() throws Exception {
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(cluster.url()
        + "/api/cluster/events?token=" + cluster.adminToken)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
      byte[] first = in.readNBytes(": heady events".length());
      assertEquals(": heady events", new String(first, StandardCharsets.UTF_8));
    }
    assertEquals(401, get("/api/cluster/events?token=wrong-token-of-some-length", null).statusCode());
    assertEquals(401, get("/api/cluster/events", null).statusCode());
    assertEquals(403, get("/api/cluster/events?token=" + cluster.joinToken, null).statusCode());
    assertEquals(401, get("/api/cluster/state?token=" + cluster.adminToken, null).statusCode(),
        "only the event stream reads a token from the URL");
    assertTrue(rawStatusLine("/api/cluster/events?token=%zz").contains(" 400 "), "a bad query is the client's error");
  }

  @Test
  void anEventStreamGetsOnlyTheTypesItAsksForInItsReplayTooAndAnUnknownTypeIs400() throws Exception {
    // why: a cluster of its own, so the task run here does not move the counts the metrics test checks
    try (Cluster c = new Cluster().startManager()) {
      Api.Res bad = c.admin.get("/api/cluster/events?types=task.succeeded,task.finished");
      assertEquals(400, bad.status(), bad.raw());
      JsonObject error = new JsonObject(bad.raw()).getJsonObject("error");
      assertTrue(error.getString("message").contains("task.finished"), error.encode());
      assertTrue(error.getString("message").contains("task.succeeded"), "the known types are listed: " + error);
      assertEquals(400, c.admin.get("/api/cluster/events?types=nothing.*").status());
      try (EventTap ends = new EventTap(c.url(), c.adminToken, "task.succeeded")) {
        String id = c.submit(new JsonObject().put("type", "shell").put("command", "echo typed"));
        assertEquals("succeeded", c.awaitFinished(id, Duration.ofSeconds(60)).getString("status"));
        ends.await("task.succeeded", id, Duration.ofSeconds(30));
        // the stream is in id order: had they been sent, the task's earlier events would have come first
        List<String> types = ends.all().stream().map(EventTap.Event::type).distinct().toList();
        assertEquals(List.of("task.succeeded"), types);
        try (EventTap replay = new EventTap(c.url(), c.adminToken, "task.submitted,task.r*")) {
          replay.await("task.running", id, Duration.ofSeconds(30));
          assertEquals(1, replay.ofTask("task.submitted", id).size(), "the replay from id 0 keeps the filter");
          assertTrue(replay.all().stream().allMatch(e -> e.type().equals("task.submitted")
              || e.type().startsWith("task.r")), replay.all().toString());
          assertTrue(replay.ofTask("task.succeeded", id).isEmpty());
        }
      }
    }
  }

  @Test
  void theDashboardIsServedFromTheJarWithoutAToken() throws Exception {
    HttpResponse<String> page = get("/", null);
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("<title>heady</title>"));
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
    for (String asset : new String[] {"app.js", "api.js", "style.css", "favicon.svg"}) {
      assertEquals(200, get("/assets/" + asset, null).statusCode(), asset);
    }
    assertEquals(404, get("/assets/nope.js", null).statusCode());
    HttpResponse<String> api = get("/api/cluster/nope", cluster.adminToken);
    assertEquals(404, api.statusCode());
    assertEquals("NOT_FOUND", new JsonObject(api.body()).getJsonObject("error").getString("code"));
  }

  @Test
  void withOpenHealthOffMetricsAndHealthNeedTheAdminToken() throws Exception {
    try (Cluster closed = new Cluster().startManager("--open-health=false")) {
      Api anon = new Api(closed.url(), null);
      assertEquals(401, anon.get("/metrics").status());
      assertEquals(401, anon.get("/health/ready").status());
      assertEquals(401, anon.get("/health/live").status());
      assertEquals(403, new Api(closed.url(), closed.joinToken).get("/metrics").status());
      Api.Res m = closed.admin.get("/metrics");
      assertEquals(200, m.status());
      assertTrue(m.raw().contains("# TYPE heady_nodes gauge"));
      assertEquals(200, closed.admin.get("/health/ready").status());
      assertEquals(200, anon.get("/").status(), "the page itself stays open; it asks for the token");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
