package io.heady.e2e;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The manager's real event stream ({@code GET /api/cluster/events}, server-sent events) read on a thread of
 * its own from the first event the journal holds, as a dashboard would.
 */
final class EventTap implements AutoCloseable {
  /** One event: its type and data. */
  record Event(String type, JsonObject data) {}

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final InputStream in;
  private final Thread reader;

  EventTap(String baseUrl, String token) throws IOException, InterruptedException {
    this(baseUrl, token, null);
  }

  /** A tap that asks only for {@code types} ({@code ?types=}; null: every type). */
  EventTap(String baseUrl, String token, String types) throws IOException, InterruptedException {
    HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl
        + "/api/cluster/events?last_event_id=0&token=" + token + (types == null ? "" : "&types=" + types)))
        .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      throw new AssertionError("the event stream answered " + r.statusCode());
    }
    in = r.body();
    reader = new Thread(this::read, "event-tap");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String type = null;
      for (String line = br.readLine(); line != null; line = br.readLine()) {
        if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ") && type != null) {
          JsonObject envelope = new JsonObject(line.substring(6));
          events.add(new Event(type, envelope.getJsonObject("data", new JsonObject())));
          type = null;
        }
      }
    } catch (IOException | RuntimeException closed) {
      // the stream ended (closed by close() or by the manager)
    }
  }

  /** Events of a type whose data matches. */
  List<Event> of(String type, Predicate<JsonObject> where) {
    return events.stream().filter(e -> e.type().equals(type) && where.test(e.data())).toList();
  }

  /** Events about one task. */
  List<Event> ofTask(String type, String taskId) {
    return of(type, d -> taskId.equals(d.getString("task_id")));
  }

  /** Waits until an event of the type about the task arrived; returns it. */
  Event await(String type, String taskId, Duration limit) {
    return Poll.until(type + " for " + taskId, limit, () -> {
      List<Event> e = ofTask(type, taskId);
      return e.isEmpty() ? null : e.get(0);
    });
  }

  List<Event> all() {
    return List.copyOf(events);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
