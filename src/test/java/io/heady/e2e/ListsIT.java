package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Lists that work and names everywhere, with the real jar: {@code heady tasks} newest first with its filters and
 * cursors, a node drained and read by its name, {@code output_bytes} of printing tasks on an event-bus agent, an
 * HTTP agent and the manager's local executor, and the build's version in {@code --version}, {@code /health} and
 * the node records.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListsIT {
  private static final String BUS = "lists-a";
  private static final String BUS_NAME = "builder";
  private static final String HTTP = "lists-h";
  private static final String HTTP_NAME = "tunnel-box";
  private Cluster cluster;
  private HeadyCli cli;
  /** The tasks in the order they were submitted. */
  private final List<String> submitted = new ArrayList<>();
  private final List<JsonObject> finished = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster().startManager();
    cluster.startAgent(BUS, "--transport=eventbus", "--name=" + BUS_NAME, "--max-concurrent=2");
    cluster.startAgent(HTTP, "--transport=http", "--name=" + HTTP_NAME, "--max-concurrent=2");
    cluster.awaitNode(BUS, "active", Duration.ofSeconds(60));
    cluster.awaitNode(HTTP, "active", Duration.ofSeconds(60));
    cli = new HeadyCli(cluster);
    // one at a time, so submission order is finish order too; each pinned by name
    submit(BUS_NAME, "shell", "head -c 200000 /dev/zero | tr '\\0' x; printf 'warn' >&2");
    submit(HTTP_NAME, "shell", "printf 'hello\\n'; printf 'e\\n' >&2");
    submit("local", "general", "head -c 70000 /dev/zero | tr '\\0' y");
    submit(BUS_NAME, "lint", "echo linted");
  }

  private void submit(String node, String type, String command) {
    String id = cluster.submit(new JsonObject().put("command", command).put("type", type).put("node", node));
    submitted.add(id);
    finished.add(cluster.awaitFinished(id, Duration.ofSeconds(60)));
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The project's version as the build set it (failsafe passes it; else the pom says it). */
  private static String expectedVersion() throws Exception {
    String v = System.getProperty("heady.version");
    if (v != null && !v.isBlank()) {
      return v;
    }
    Matcher m = Pattern.compile("<artifactId>heady</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(m.find(), "the pom names heady's version");
    return m.group(1);
  }

  private List<String> ids(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("tasks", "--json"));
    all.addAll(List.of(args));
    HeadyCli.Out o = cli.run(all.toArray(String[]::new));
    assertEquals(0, o.rc(), o::toString);
    List<String> out = new ArrayList<>();
    new JsonObject(o.out()).getJsonArray("tasks").forEach(t -> out.add(((JsonObject) t).getString("task_id")));
    return out;
  }

  private String id(int i) {
    return submitted.get(i);
  }

  @Test
  void theTaskListIsNewestFirstAndFiltersByStatusNodeTypeAndTime() throws Exception {
    assertEquals(List.of(id(3), id(2), id(1), id(0)), ids());
    assertEquals(List.of(id(0), id(1), id(2), id(3)), ids("--oldest-first"));
    assertEquals(List.of(id(0), id(1), id(2), id(3)), ids("--order", "oldest"));
    assertEquals(List.of(id(3), id(0)), ids("--node", BUS_NAME), "by name");
    assertEquals(List.of(id(3), id(0)), ids("--node", BUS), "by id");
    assertEquals(List.of(id(1)), ids("--node", HTTP_NAME));
    assertEquals(List.of(id(2)), ids("--node", "local"));
    assertEquals(List.of(id(3)), ids("--type", "lint"));
    assertEquals(List.of(id(3), id(2), id(1), id(0)), ids("--status", "succeeded"));
    assertEquals(List.of(), ids("--status", "failed"));
    assertEquals(List.of(id(3), id(2), id(1), id(0)), ids("--since", "1h"));
    assertEquals(List.of(), ids("--until", "2020-01-01"));
    String third = finished.get(2).getString("created_at");
    assertEquals(List.of(id(3), id(2)), ids("--since", third));
    assertEquals(List.of(id(1), id(0)), ids("--until", third));
    assertEquals(List.of(id(0), id(1)), ids("--until", third, "--oldest-first"));

    // the table too: its first task is the newest
    HeadyCli.Out table = cli.run("tasks");
    assertEquals(0, table.rc(), table::toString);
    List<String> rows = table.out().lines().skip(1).toList();
    assertTrue(rows.get(0).startsWith(id(3) + " "), table::toString);

    HeadyCli.Out bad = cli.run("tasks", "--since", "yesterday");
    assertNotEquals(0, bad.rc(), bad::toString);
    assertTrue(bad.err().contains("since must be"), bad::toString);
  }

  @Test
  void cursorsPageBothWaysWithoutRepeatsOrGaps() throws Exception {
    for (boolean oldest : new boolean[] {false, true}) {
      List<String> seen = new ArrayList<>();
      String cursor = null;
      for (int pages = 0; pages < 4; pages++) {
        List<String> args = new ArrayList<>(List.of("tasks", "--json", "--limit", "3"));
        if (oldest) {
          args.add("--oldest-first");
        }
        if (cursor != null) {
          args.addAll(List.of("--cursor", cursor));
        }
        HeadyCli.Out o = cli.run(args.toArray(String[]::new));
        assertEquals(0, o.rc(), o::toString);
        JsonObject page = new JsonObject(o.out());
        page.getJsonArray("tasks").forEach(t -> seen.add(((JsonObject) t).getString("task_id")));
        cursor = page.getString("next_cursor");
        if (cursor == null) {
          break;
        }
      }
      List<String> want = new ArrayList<>(submitted);
      if (!oldest) {
        java.util.Collections.reverse(want);
      }
      assertEquals(want, seen, oldest ? "oldest first" : "newest first");
      assertNull(cursor);
    }
  }

  @Test
  void outputBytesCountEveryBytePrintedOnEveryKindOfExecutor() {
    JsonObject bus = finished.get(0);
    assertEquals(BUS, bus.getString("node_id"), bus::encodePrettily);
    assertEquals(200_004L, bus.getLong("output_bytes"), bus::encodePrettily);
    assertTrue(bus.getJsonObject("result").getBoolean("truncated"), "the kept tail is cut, the count is not");
    JsonObject http = finished.get(1);
    assertEquals(HTTP, http.getString("node_id"), http::encodePrettily);
    assertEquals(8L, http.getLong("output_bytes"), http::encodePrettily);
    JsonObject local = finished.get(2);
    assertEquals("local", local.getString("node_id"), local::encodePrettily);
    assertEquals(70_000L, local.getLong("output_bytes"), local::encodePrettily);
    // and as the list shows it
    JsonObject listed = cluster.admin.get("/api/cluster/tasks?order=oldest&limit=1").json();
    assertEquals(200_004L, listed.getJsonArray("tasks").getJsonObject(0).getLong("output_bytes"));
  }

  @Test
  void aNodeIsReadAndDrainedByItsName() throws Exception {
    Api.Res byName = cluster.admin.get("/api/cluster/nodes/" + BUS_NAME);
    assertEquals(200, byName.status(), byName.raw());
    assertEquals(BUS, byName.json().getString("node_id"));
    HeadyCli.Out show = cli.run("nodes", HTTP_NAME, "--json");
    assertEquals(0, show.rc(), show::toString);
    assertEquals(HTTP, new JsonObject(show.out()).getString("node_id"));
    HeadyCli.Out unknown = cli.run("nodes", "no-such-box");
    assertNotEquals(0, unknown.rc(), unknown::toString);
    assertTrue(unknown.err().contains("no-such-box"), unknown::toString);

    HeadyCli.Out drain = cli.run("drain", BUS_NAME);
    assertEquals(0, drain.rc(), drain::toString);
    assertTrue(drain.out().contains("node " + BUS_NAME + " (" + BUS + ") is draining"), drain::toString);
    assertTrue(cluster.node(BUS).getBoolean("drain"));
    assertFalse(cluster.node(HTTP).getBoolean("drain"), "only that node");
    HeadyCli.Out undrain = cli.run("undrain", BUS_NAME);
    assertEquals(0, undrain.rc(), undrain::toString);
    assertTrue(undrain.out().contains("takes tasks again"), undrain::toString);
    assertFalse(cluster.node(BUS).getBoolean("drain"));
  }

  @Test
  void theVersionIsTheBuildsEverywhere() throws Exception {
    String version = expectedVersion();
    assertNotEquals("dev", version);
    HeadyCli.Out v = cli.bare("--version");
    assertEquals(0, v.rc(), v::toString);
    assertEquals("heady " + version + "\n", v.out(), v::toString);
    Api.Res health = cluster.admin.get("/health");
    assertEquals(200, health.status(), health.raw());
    assertEquals(version, health.json().getString("version"));
    assertEquals(version, cluster.admin.get("/health/live").json().getString("version"));
    for (String node : new String[] {BUS, HTTP, "local"}) {
      JsonObject n = cluster.node(node);
      assertNotNull(n, node);
      assertEquals(version, n.getString("version"), node + ": " + n.encode());
    }
    String script = new String(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(cluster.url() + "/install/agent.sh")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(script.contains("\nSERVED_VERSION='" + version + "'\n"), "the installer's banner names it");
  }
}
