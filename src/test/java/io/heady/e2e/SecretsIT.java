package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's secrets with the real jar: a secret set through the real CLI (its value on standard input) reaches a
 * task on an event-bus agent, on an http agent and on the manager's local executor as its variable (each task writes
 * its digest, which is checked), while the task record, its stored output, its log, the event stream, the CLI's
 * listing and every process's log show {@code ***} or the name, never the value. A removed secret refuses new tasks
 * naming it (400 {@code UNKNOWN_SECRET}) and fails a task that was waiting to be dispatched when it went.
 */
class SecretsIT {
  private static final String BUS = "sec-bus";
  private static final String HTTP = "sec-http";
  // why: unique per run, so finding it anywhere can only mean a leak of this run's value
  private static final String VALUE = "s3cr3t-" + UUID.randomUUID() + "-value";
  /** What the tasks print: the value's digest, the value itself on both streams and in their progress file. */
  private static final String ECHO = "printf '%s' \"$API_TOKEN\" | sha256sum | cut -c1-64; echo \"token=$API_TOKEN\";"
      + " echo \"err $API_TOKEN\" >&2; echo \"progress $API_TOKEN\" >> \"$HEADY_PROGRESS_FILE\"; echo plain=$MODE";

  record Out(int rc, String out, String err) {
    @Override
    public String toString() {
      return "exit " + rc + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  @Test
  void aSecretReachesItsTaskAndNothingElse() throws Exception {
    try (Cluster c = new Cluster().startManager("--offload-cpu-pct=101")) {
      c.startAgent(BUS, "--transport=eventbus");
      c.startAgent(HTTP, "--transport=http");
      c.awaitNode(BUS, "active", Duration.ofSeconds(120));
      c.awaitNode(HTTP, "active", Duration.ofSeconds(120));
      c.awaitNode("local", "active", Duration.ofSeconds(30));
      List<String> seen = new ArrayList<>(); // everything a user or a program could read, checked at the end
      try (EventTap events = new EventTap(c.url(), c.adminToken)) {
        // set through the real CLI, the value on standard input (its trailing newline dropped)
        Out set = cli(c, VALUE + "\n", "secret", "set", "API_TOKEN");
        assertEquals(0, set.rc(), set::toString);
        assertTrue(set.out().contains("secret API_TOKEN created"), set::toString);
        Out list = cli(c, "", "secret", "list", "--json");
        assertEquals(0, list.rc(), list::toString);
        JsonArray names = new JsonObject(list.out()).getJsonArray("secrets");
        assertEquals(1, names.size(), list::toString);
        assertEquals("API_TOKEN", names.getJsonObject(0).getString("name"));
        seen.add(set.toString());
        seen.add(list.toString());
        seen.add(cli(c, "", "secret", "list").toString());
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(VALUE.getBytes(StandardCharsets.UTF_8)));

        // an event-bus agent, through the real CLI's run --secret
        Out run = cli(c, "", "run", "--on", BUS, "--secret", "API_TOKEN", "--env", "MODE=shown", "--json", ECHO);
        assertEquals(0, run.rc(), run::toString);
        String onBus = new JsonObject(run.out()).getString("task_id");
        // an http agent, the other form of the API: a variable of another name
        String onHttp = c.submit(new JsonObject().put("command", ECHO.replace("$API_TOKEN", "$TOKEN"))
            .put("node", HTTP).put("env", new JsonObject().put("MODE", "shown")
                .put("TOKEN", new JsonObject().put("secret", "API_TOKEN"))));
        // the manager's own local executor
        String onLocal = c.submit(new JsonObject().put("command", ECHO).put("node", "local")
            .put("secrets", new JsonArray().add("API_TOKEN")).put("env", new JsonObject().put("MODE", "shown")));

        for (String id : List.of(onBus, onHttp, onLocal)) {
          JsonObject t = c.awaitFinished(id, Duration.ofSeconds(120));
          assertEquals("succeeded", t.getString("status"), () -> t.encode() + "\n" + c.logs());
          JsonObject result = t.getJsonObject("result");
          assertEquals(digest + "\ntoken=***\nplain=shown\n", result.getString("stdout"),
              "the task saw the value; its stored output shows ***: " + t.encode());
          assertEquals("err ***\n", result.getString("stderr"));
          JsonObject spec = t.getJsonObject("spec");
          assertEquals(new JsonObject().put("MODE", "shown"), spec.getJsonObject("env"), "plain env as given");
          assertEquals(1, spec.getJsonObject("secrets").size(), "the name only: " + spec.encode());
          assertTrue(spec.getJsonObject("secrets").getString("API_TOKEN", spec.getJsonObject("secrets")
              .getString("TOKEN")).equals("API_TOKEN"), spec.encode());
          Api.Res log = c.admin.get("/api/cluster/tasks/" + id + "/log");
          assertEquals(200, log.status(), log.raw());
          assertTrue(log.raw().contains("token=***"), log.raw());
          seen.add(t.encode());
          seen.add(log.raw());
          seen.add(c.admin.get("/api/cluster/tasks?limit=50").raw());
          seen.add(c.admin.get("/api/cluster/tasks/history?limit=50").raw());
        }
        Out shown = cli(c, "", "task", onBus);
        assertEquals(0, shown.rc(), shown::toString);
        assertTrue(shown.out().lines().anyMatch(l -> l.equals("secrets      API_TOKEN")), shown::toString);
        Out shownHttp = cli(c, "", "task", onHttp);
        assertTrue(shownHttp.out().lines().anyMatch(l -> l.equals("secrets      API_TOKEN as TOKEN")),
            shownHttp::toString);
        seen.add(shownHttp.toString());
        seen.add(shown.toString());
        Out waited = cli(c, "", "run", "--on", BUS, "--secret", "T=API_TOKEN", "--id", "waited", "--wait",
            "echo \"$T\"");
        assertEquals(0, waited.rc(), waited::toString);
        assertEquals(c.admin.get("/api/cluster/tasks/waited").json().getJsonObject("result").getString("stdout"),
            waited.out(), "what run --wait prints is the stored, masked output");
        seen.add(waited.toString());

        // removed: a new task naming it is refused, naming it; one waiting to be dispatched fails when it goes out
        assertEquals(200, c.admin.post("/api/cluster/nodes/" + BUS + "/drain", new JsonObject().put("enabled", true))
            .status());
        String waiting = c.submit(new JsonObject().put("command", ECHO).put("node", BUS)
            .put("secrets", new JsonArray().add("API_TOKEN")));
        Out rm = cli(c, "", "secret", "rm", "API_TOKEN");
        assertEquals(0, rm.rc(), rm::toString);
        assertEquals(0, new JsonObject(cli(c, "", "secret", "list", "--json").out()).getInteger("count"));
        Api.Res refused = c.admin.post("/api/cluster/tasks/route", new JsonObject().put("command", "true")
            .put("secrets", new JsonArray().add("API_TOKEN")));
        assertEquals(400, refused.status(), refused.raw());
        JsonObject error = refused.json().getJsonObject("error");
        assertEquals("UNKNOWN_SECRET", error.getString("code"));
        assertEquals("API_TOKEN", error.getJsonObject("details").getString("secret"));
        assertTrue(error.getString("message").contains("the secret API_TOKEN does not exist"), refused.raw());
        Out refusedCli = cli(c, "", "run", "--secret", "API_TOKEN", "true");
        assertEquals(1, refusedCli.rc(), refusedCli::toString);
        assertTrue(refusedCli.err().contains("API_TOKEN does not exist"), refusedCli::toString);
        assertEquals(200, c.admin.post("/api/cluster/nodes/" + BUS + "/drain", new JsonObject().put("enabled", false))
            .status());
        JsonObject failed = c.awaitFinished(waiting, Duration.ofSeconds(60));
        assertEquals("failed", failed.getString("status"), failed::encode);
        assertTrue(failed.getString("reason").startsWith("secret_unavailable: the secret API_TOKEN"), failed::encode);

        // nothing anyone can read holds the value: API answers, CLI output, the event stream, every process's log,
        // the nodes' task logs and the manager's data dir
        seen.add(c.admin.get("/api/cluster/state").raw());
        seen.add(c.admin.get("/api/cluster/nodes").raw());
        Poll.until("the events of the failed task", Duration.ofSeconds(20),
            () -> !events.ofTask("task.failed", waiting).isEmpty());
        assertFalse(events.ofTask("task.succeeded", onHttp).isEmpty(), "the stream carried the tasks' events");
        events.all().forEach(e -> seen.add(e.type() + " " + e.data().encode()));
      }
      for (String s : seen) {
        assertFalse(s.contains(VALUE), "the value leaked into: " + s);
      }
      String processes = c.logs();
      assertFalse(processes.contains(VALUE), "a process logged the value: " + c.keepLogs());
      assertTrue(processes.contains("secret 'API_TOKEN' was created by"), "the manager logs who set it, by name");
      for (Path dir : List.of(c.agentDir(BUS), c.agentDir(HTTP), c.dataDir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(VALUE), "the value is in " + f);
          }
        }
      }
      assertTrue(Files.isRegularFile(c.dataDir.resolve("identity").resolve("secrets.key")));
    }
  }

  /** {@code java -jar heady.jar ARGS --url … --token …} with {@code stdin} on its standard input. */
  private static Out cli(Cluster c, String stdin, String... args) throws IOException, InterruptedException {
    Path home = HeadyProcess.tempDir("secrets-cli-");
    Path in = home.resolve("in");
    Files.writeString(in, stdin, StandardCharsets.UTF_8);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Duser.home=" + home, "-jar", HeadyProcess.jar().toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--url", c.url(), "--token", c.adminToken));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(home.resolve("out").toFile())
        .redirectError(home.resolve("err").toFile()).redirectInput(in.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_") || k.equals("XDG_CONFIG_HOME"));
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("heady " + cmd + " did not finish in 90 s");
    }
    Files.delete(in); // why: the test's own copy of the value must not be what the data-dir scan finds
    return new Out(p.exitValue(), Files.readString(home.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(home.resolve("err"), StandardCharsets.UTF_8));
  }
}
