package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The manager's live log stream ({@code GET /api/cluster/tasks/:id/log?follow=true}) read as raw server-sent
 * events, as any HTTP client would: who may open it, stdout and stderr apart from an http-transport agent,
 * whole UTF-8 characters, a large output in bounded events, and a node that dies under a follower.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogStreamIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Cluster cluster;
  private String viewer;

  /** One event as read. */
  record Ev(String type, JsonObject data) {}

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster().startManager();
    cluster.startAgent("ls-bus", "--transport=eventbus", "--max-concurrent=4");
    cluster.startAgent("ls-http", "--transport=http", "--max-concurrent=4");
    cluster.awaitNode("ls-bus", "active", LIMIT);
    cluster.awaitNode("ls-http", "active", LIMIT);
    Api.Res t = cluster.admin.post("/api/cluster/tokens", new JsonObject().put("name", "ls-viewer")
        .put("role", "viewer"));
    assertEquals(201, t.status(), t.raw());
    viewer = t.json().getString("token");
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private HttpResponse<InputStream> open(String taskId, String bearer, String queryToken) throws Exception {
    String q = "follow=true" + (queryToken == null ? "" : "&token=" + URLEncoder.encode(queryToken,
        StandardCharsets.UTF_8));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.url() + "/api/cluster/tasks/" + taskId
        + "/log?" + q)).header("Accept", "text/event-stream").GET();
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /** Reads events into {@code into} until the stream ends. */
  private static void read(HttpResponse<InputStream> r, List<Ev> into) throws IOException {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String type = null;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ")) {
          into.add(new Ev(type, new JsonObject(line.substring(6))));
        }
      }
    }
  }

  /** Reads the stream's events into {@code into} on another thread; the future completes when it ends. */
  private static CompletableFuture<Void> readInBackground(HttpResponse<InputStream> r, List<Ev> into) {
    return CompletableFuture.runAsync(() -> {
      try {
        read(r, into);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private List<Ev> follow(String taskId) throws Exception {
    HttpResponse<InputStream> r = open(taskId, viewer, null);
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    List<Ev> evs = new CopyOnWriteArrayList<>();
    readInBackground(r, evs).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    return evs;
  }

  private static String text(List<Ev> evs, String type) {
    return evs.stream().filter(e -> e.type().equals(type)).map(e -> e.data().getString("text"))
        .collect(Collectors.joining());
  }

  private static Ev last(List<Ev> evs) {
    return evs.get(evs.size() - 1);
  }

  @Test
  void whoMayFollow() throws Exception {
    String id = cluster.submit(new JsonObject().put("command", "echo hi").put("node", "ls-bus"));
    cluster.awaitFinished(id, LIMIT);
    assertEquals(401, open(id, null, null).statusCode(), "no token");
    assertEquals(401, open(id, null, "not-a-token-of-this-cluster").statusCode(), "a wrong ?token=");
    assertEquals(403, open(id, null, cluster.joinToken).statusCode(), "the join token is for agents");
    HttpResponse<InputStream> asBrowser = open(id, null, viewer);
    assertEquals(200, asBrowser.statusCode(), "a viewer's token as ?token=, as a browser's EventSource sends it");
    List<Ev> evs = new CopyOnWriteArrayList<>();
    read(asBrowser, evs);
    assertEquals("hi\n", text(evs, "stdout"));
    assertEquals("end", last(evs).type());
    HttpResponse<InputStream> unknown = open("t-no-such-task", viewer, null);
    assertEquals(404, unknown.statusCode());
    assertTrue(new String(unknown.body().readAllBytes(), StandardCharsets.UTF_8).contains("UNKNOWN_TASK"));
  }

  @Test
  void anHttpAgentsOutputComesApartInOrderInWholeCharacters() throws Exception {
    String id = cluster.submit(new JsonObject().put("node", "ls-http").put("command",
        "echo out1; echo err1 >&2; sleep 1; printf 'é日本\\n'; echo err2 >&2; exit 3"));
    List<Ev> evs = follow(id);
    // why: stdout and stderr are two pipes; lines written back to back may reach the node in either order, so
    // the order is checked across the one-second gap, where it is the task's, and within each stream
    List<String> lines = new java.util.ArrayList<>();
    for (Ev e : evs.subList(0, evs.size() - 1)) {
      for (String line : e.data().getString("text").split("(?<=\n)")) {
        lines.add(e.type() + ":" + line);
      }
    }
    assertEquals(4, lines.size(), evs::toString);
    assertEquals(java.util.Set.of("stdout:out1\n", "stderr:err1\n"), java.util.Set.copyOf(lines.subList(0, 2)),
        evs::toString);
    assertEquals(java.util.Set.of("stdout:é日本\n", "stderr:err2\n"), java.util.Set.copyOf(lines.subList(2, 4)),
        evs::toString);
    assertEquals("end", last(evs).type());
    assertEquals("out1\né日本\n", text(evs, "stdout"));
    assertEquals("err1\nerr2\n", text(evs, "stderr"));
    assertEquals("failed", last(evs).data().getString("status"));
    assertEquals(3, last(evs).data().getInteger("exit_code"));
    long offset = 0;
    for (Ev e : evs.subList(0, evs.size() - 1)) {
      assertEquals(offset, e.data().getLong("offset"), "each event starts where the one before stopped");
      offset += e.data().getString("text").getBytes(StandardCharsets.UTF_8).length;
    }
  }

  @Test
  void whenTheNodesLogStopsShortTheRestComesFromTheRecord() throws Exception {
    Path go = HeadyProcess.tempDir("ls-short-").resolve("go");
    String id = cluster.submit(new JsonObject().put("node", "ls-bus").put("command",
        "echo first; while [ ! -e " + go + " ]; do sleep 0.1; done; echo second; echo third >&2"));
    HttpResponse<InputStream> r = open(id, viewer, null);
    assertEquals(200, r.statusCode());
    List<Ev> evs = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> reading = readInBackground(r, evs);
    Poll.until("first streamed", LIMIT, () -> text(evs, "stdout").contains("first") ? true : null);
    // why: as when the node's disk fills, the log on the node stops while the task goes on printing: the
    // task writes on into the file it opened, which is no longer the one the node reads
    Path log = cluster.agentDir("ls-bus").resolve("logs").resolve(id + ".log");
    Files.delete(log);
    Files.createFile(log);
    Files.createFile(go);
    reading.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals("first\nsecond\n", text(evs, "stdout"), evs::toString);
    assertEquals("third\n", text(evs, "stderr"), evs::toString);
    assertEquals("succeeded", last(evs).data().getString("status"), evs::toString);
    assertTrue(evs.stream().filter(e -> e.data().getString("text", "").contains("second"))
        .allMatch(e -> "record".equals(e.data().getString("source"))), evs::toString);
  }

  @Test
  void aLargeOutputComesWholeInBoundedEvents() throws Exception {
    int size = 3_000_000;
    String id = cluster.submit(new JsonObject().put("node", "ls-bus").put("command",
        "head -c " + size + " /dev/zero | tr '\\0' x; echo done >&2"));
    List<Ev> evs = follow(id);
    List<Ev> out = evs.stream().filter(e -> e.type().equals("stdout")).toList();
    assertEquals(size, out.stream().mapToInt(e -> e.data().getString("text").length()).sum());
    assertTrue(out.size() >= size / (64 * 1024), "events of at most 64 KiB: " + out.size());
    assertTrue(out.stream().allMatch(e -> e.data().getString("text").length() <= 64 * 1024));
    assertEquals("done\n", text(evs, "stderr"));
    assertEquals("succeeded", last(evs).data().getString("status"));
  }

  @Test
  void aFollowerWhoseNodeDiesEndsWithTheStatusAndAFinishedTaskFallsBackToItsRecord() throws Exception {
    HeadyProcess doomed = cluster.startAgent("ls-doomed", "--transport=eventbus");
    cluster.awaitNode("ls-doomed", "active", LIMIT);
    String done = cluster.submit(new JsonObject().put("node", "ls-doomed").put("command",
        "echo kept; echo kept-err >&2"));
    cluster.awaitFinished(done, LIMIT);
    String running = cluster.submit(new JsonObject().put("node", "ls-doomed").put("command",
        "echo before; sleep 120"));
    HttpResponse<InputStream> r = open(running, viewer, null);
    assertEquals(200, r.statusCode());
    List<Ev> evs = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> reading = readInBackground(r, evs);
    Poll.until("the first line on the follower", LIMIT, () -> text(evs, "stdout").equals("before\n"));
    doomed.kill9();
    assertEquals(200, cluster.admin.post("/api/cluster/tasks/" + running + "/cancel", "{}").status());
    try {
      reading.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the follower did not end; the task: " + cluster.admin.get("/api/cluster/tasks/"
          + running).raw() + "; events: " + evs + "; " + cluster.keepLogs(), e);
    }
    assertEquals("end", last(evs).type(), evs::toString);
    assertEquals("cancelled", last(evs).data().getString("status"));
    assertEquals("before\n", text(evs, "stdout"), "nothing sent twice");

    List<Ev> fromRecord = follow(done);
    assertEquals("kept\n", text(fromRecord, "stdout"), fromRecord::toString);
    assertEquals("kept-err\n", text(fromRecord, "stderr"));
    assertEquals("record", fromRecord.get(0).data().getString("source"));
    assertEquals("succeeded", last(fromRecord).data().getString("status"));
  }
}
