package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 18, honest errors, against the real jar: a JSON body sent as a form (what {@code curl -d @file.json} does)
 * gets 415 naming application/json instead of a percent-encoding error; a client id given again with another spec
 * gets 409 ID_CONFLICT while the same spec is still the idempotent repeat; a DAG of exactly {@code --max-dag-tasks}
 * (1001 here: one more than the limit that used to hide behind the flag) is taken and one more is refused naming the
 * flag; {@code heady bench} against this running cluster prints no "null"; and the manager's start logs no warning.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HonestErrorsIT {
  private static final int MAX_DAG = 1001;
  private Cluster c;
  private String startLog;

  @BeforeAll
  void start() throws Exception {
    c = new Cluster().startManager("--max-dag-tasks=" + MAX_DAG);
    // a normal start, and a first task run to its end: what the log holds then is what a user sees at a start
    c.awaitFinished(c.submit(new JsonObject().put("command", "echo started")), Duration.ofSeconds(60));
    startLog = c.manager.output();
  }

  @AfterAll
  void stop() throws Exception {
    if (c != null) {
      c.close();
    }
  }

  @Test
  void aNormalStartLogsNoWarningAndNoError() {
    List<String> bad = startLog.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
        // why: the JVM's own report that this machine was too busy to run an event loop in time is about the
        // machine the test runs on, not about heady's start
        .filter(l -> !l.contains("BlockedThreadChecker")).toList();
    assertEquals(List.of(), bad, startLog);
    assertTrue(startLog.contains("heady manager ready"), startLog);
  }

  @Test
  void aJsonBodySentAsAFormIs415NamingApplicationJsonAndTheSameBodyAsJsonRuns() throws Exception {
    String body = new JsonObject().put("command", "echo 100% done # " + "x".repeat(20 * 1024)).encode();
    HttpResponse<String> form = post(body, "application/x-www-form-urlencoded");
    assertEquals(415, form.statusCode(), form.body());
    JsonObject e = new JsonObject(form.body()).getJsonObject("error");
    assertEquals("UNSUPPORTED_MEDIA_TYPE", e.getString("code"));
    assertTrue(e.getString("message").contains("application/json"), e.encode());
    assertEquals("application/json", e.getJsonObject("details").getString("expected"));
    assertFalse(form.body().contains("percent-encoding"), form.body());

    HttpResponse<String> json = post(body, "application/json");
    assertEquals(201, json.statusCode(), json.body());
    JsonObject done = c.awaitFinished(new JsonObject(json.body()).getString("task_id"), Duration.ofSeconds(60));
    assertEquals("succeeded", done.getString("status"), done.encode());
    assertEquals(201, post(body, null).statusCode(), "a body with no Content-Type is read as JSON");
  }

  @Test
  void aClientIdAgainWithAnotherSpecIs409AndWithTheSameSpecTheExistingTask() {
    JsonObject spec = new JsonObject().put("id", "honest-1").put("command", "echo one");
    Api.Res first = c.admin.post("/api/cluster/tasks/route", spec);
    assertEquals(201, first.status(), first.raw());
    Api.Res same = c.admin.post("/api/cluster/tasks/route", spec.copy().put("priority", "P2").put("type", "shell"));
    assertEquals(200, same.status(), "the same spec, its defaults spelled out: " + same.raw());
    assertEquals("honest-1", same.json().getString("task_id"));
    assertFalse(same.json().getBoolean("created"));

    Api.Res other = c.admin.post("/api/cluster/tasks/route", spec.copy().put("command", "echo two"));
    assertEquals(409, other.status(), other.raw());
    JsonObject e = other.json().getJsonObject("error");
    assertEquals("ID_CONFLICT", e.getString("code"));
    assertTrue(e.getString("message").contains("honest-1") && e.getString("message").contains("command"), e.encode());
    assertEquals(new JsonArray().add("command"), e.getJsonObject("details").getJsonArray("differs"));
    assertEquals("echo one", c.admin.get("/api/cluster/tasks/honest-1").json().getString("command"),
        "the task keeps its spec");

    // a DAG with client ids: the same DAG again is the existing one, a changed entry is a conflict naming it
    JsonObject dag = new JsonObject().put("tasks", new JsonArray()
        .add(new JsonObject().put("id", "honest-a").put("command", "echo a"))
        .add(new JsonObject().put("id", "honest-b").put("command", "echo b").put("depends_on",
            new JsonArray().add("honest-a"))));
    assertEquals(201, c.admin.post("/api/cluster/tasks/route", dag).status());
    Api.Res dagAgain = c.admin.post("/api/cluster/tasks/route", dag);
    assertEquals(200, dagAgain.status(), dagAgain.raw());
    JsonObject changed = dag.copy();
    changed.getJsonArray("tasks").getJsonObject(1).put("priority", "P0");
    Api.Res dagOther = c.admin.post("/api/cluster/tasks/route", changed);
    assertEquals(409, dagOther.status(), dagOther.raw());
    assertEquals("tasks[1].id", dagOther.json().getJsonObject("error").getJsonObject("details").getString("field"));
  }

  @Test
  void aDagOfExactlyTheLimitRunsAndOneMoreIsRefusedNamingTheFlag() {
    JsonArray tasks = new JsonArray();
    JsonArray before = new JsonArray();
    for (int i = 0; i < MAX_DAG - 1; i++) {
      tasks.add(new JsonObject().put("id", "edge-" + i).put("type", "noop"));
      before.add("edge-" + i);
    }
    tasks.add(new JsonObject().put("id", "edge-end").put("type", "noop").put("depends_on", before));
    Api.Res ok = c.admin.post("/api/cluster/tasks/route", new JsonObject().put("tasks", tasks));
    assertEquals(201, ok.status(), ok.raw().length() > 500 ? ok.raw().substring(0, 500) : ok.raw());
    assertEquals(MAX_DAG, ok.json().getJsonArray("tasks").size());
    JsonObject end = c.awaitFinished("edge-end", Duration.ofSeconds(240));
    assertEquals("succeeded", end.getString("status"), "the task that waits for all others ran: " + end.encode());

    tasks.add(new JsonObject().put("id", "edge-more").put("type", "noop"));
    Api.Res more = c.admin.post("/api/cluster/tasks/route", new JsonObject().put("tasks", tasks));
    assertEquals(400, more.status(), more.raw());
    JsonObject e = more.json().getJsonObject("error");
    assertEquals("tasks", e.getJsonObject("details").getString("field"));
    assertTrue(e.getString("message").contains("--max-dag-tasks") && e.getString("message").contains("1001"),
        e.encode());
  }

  @Test
  void benchAgainstThisRunningClusterPrintsItsFiguresAndNoNull() throws Exception {
    BenchRun r = BenchRun.heady(240, "bench", "--url", c.url(), "--token", c.adminToken, "--tasks", "20",
        "--warmup", "5", "--history", HeadyProcess.tempDir("bench-history-").resolve("h.jsonl").toString());
    assertEquals(0, r.code, r.out + r.err);
    assertFalse(r.out.contains("null"), r.out);
    assertTrue(r.out.contains("nodes,") && r.out.contains("slots in all") && r.out.contains("memory store"), r.out);
  }

  private HttpResponse<String> post(String body, String contentType) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(c.url() + "/api/cluster/tasks/route"))
        .header("Authorization", "Bearer " + c.adminToken).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
