package io.heady.client.chaos;

import io.heady.client.bench.SseEvent;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToIntFunction;

/**
 * Follows {@code GET /api/cluster/events} for the whole run on a thread of its own and counts, per task, the
 * {@code task.succeeded} events and the first end it saw. When the stream breaks (the manager was killed) it
 * connects again, resuming after the last event id it saw; a manager that restarted numbers its events afresh and
 * resumes from its newest, so an event is never counted twice, although the ones published while nobody listened
 * are missed (a task whose end was missed is read back by the run).
 */
public final class EventTally implements AutoCloseable {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;
  private final ToIntFunction<String> index;
  private final AtomicIntegerArray successes;
  private final AtomicReferenceArray<String> ends;
  private final AtomicIntegerArray endEvents;
  private final AtomicInteger ended = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final CountDownLatch first = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean closed;
  private volatile InputStream current;
  private long lastId = -1;

  /**
   * @param index the task index of an id of this run, or -1 for any other task
   * @param tasks how many tasks the run has
   */
  public EventTally(String base, String token, ToIntFunction<String> index, int tasks) {
    this.base = base;
    this.token = token;
    this.index = index;
    this.successes = new AtomicIntegerArray(tasks);
    this.ends = new AtomicReferenceArray<>(tasks);
    this.endEvents = new AtomicIntegerArray(tasks);
    this.thread = new Thread(this::follow, "chaos-events");
    this.thread.setDaemon(true);
  }

  /** Starts following; returns once the manager has begun sending the stream. */
  public void open(Duration limit) throws InterruptedException {
    thread.start();
    if (!first.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the manager did not open /api/cluster/events within " + limit.toSeconds()
          + " s");
    }
  }

  private void follow() {
    while (!closed) {
      try {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/cluster/events"
            + (lastId >= 0 ? "?last_event_id=" + lastId : ""))).header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = res.body()) {
          current = in;
          if (res.statusCode() == 200) {
            connections.incrementAndGet();
            first.countDown();
            read(in);
          }
        }
      } catch (IOException e) {
        // the manager is gone or restarting: connect again below
      } catch (InterruptedException e) {
        return;
      }
      if (!closed) {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void read(InputStream in) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    StringBuilder block = new StringBuilder();
    String line;
    while (!closed && (line = r.readLine()) != null) {
      if (!line.isEmpty()) {
        block.append(line).append('\n');
        continue;
      }
      SseEvent e = SseEvent.parse(block.toString());
      block.setLength(0);
      if (e == null) {
        continue;
      }
      if (e.id() >= 0) {
        lastId = e.id();
      }
      if (e.type() != null && e.type().startsWith("task.")) {
        int i = index.applyAsInt(e.taskId());
        if (i >= 0) {
          if ("task.succeeded".equals(e.type())) {
            successes.incrementAndGet(i);
          }
          if (e.terminal()) {
            endEvents.incrementAndGet(i);
            end(i, e.type().substring("task.".length()));
          }
        }
      }
    }
  }

  /** Records how task {@code i} ended (from an event, or read back by the run); the first end counts. */
  public void end(int i, String status) {
    if (ends.compareAndSet(i, null, status)) {
      ended.incrementAndGet();
    }
  }

  /** How task {@code i} ended, or null when its end is not known yet. */
  public String ended(int i) {
    return ends.get(i);
  }

  /** Tasks whose end is known. */
  public int endedCount() {
    return ended.get();
  }

  /** Whether an event ending task {@code i} was seen (its end may also have been read back). */
  public boolean endEventSeen(int i) {
    return endEvents.get(i) > 0;
  }

  /** {@code task.succeeded} events seen for task {@code i}. */
  public int successes(int i) {
    return successes.get(i);
  }

  /** How many times the stream was opened (more than one: it broke and was resumed). */
  public int connections() {
    return connections.get();
  }

  @Override
  public void close() {
    closed = true;
    InputStream in = current;
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    thread.interrupt();
  }
}
