package io.heady.client;

import io.heady.common.tls.Fingerprint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Java SDK: talks to a heady manager over its HTTP API with the admin token. Thread-safe; one per manager
 * is enough. Needs no Vert.x instance ({@code java.net.http}; Vert.x's JSON types carry the documents).
 *
 * <pre>{@code
 * HeadyClient heady = HeadyClient.connect("http://manager:7070", token);
 * heady.run("echo hello").await();                       // anywhere
 * heady.runOn("mac-mini", "ffmpeg -i a.mp4 b.webm");     // relayq's run_on_mac
 * heady.workerStatus().workers().keySet();               // relayq's worker_status()
 * }</pre>
 *
 * Every call throws {@link HeadyException} with the API's error code and HTTP status when it fails.
 */
public final class HeadyClient {
  private final HttpApi api;

  private HeadyClient(HttpApi api) {
    this.api = api;
  }

  /** A client for the manager at {@code url} ({@code http://host:7070}) presenting the admin {@code token}. */
  public static HeadyClient connect(String url, String token) {
    return builder().url(url).token(token).build();
  }

  /**
   * A client configured the way the CLI is: {@code HEADY_URL}/{@code HEADY_TOKEN}, the config files, then the
   * defaults (see {@link ClientConfig}), with {@code HEADY_MANAGER_FINGERPRINT} pinning the manager's certificate.
   */
  public static HeadyClient connect() {
    ClientConfig c = ClientConfig.resolve(null, null);
    return builder().url(c.url()).token(c.token()).managerFingerprint(c.fingerprint()).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The manager's base URL. */
  public String url() {
    return api.base();
  }

  // ---- tasks ---------------------------------------------------------------------------------------------

  /** Runs a shell command on whichever node is best (relayq's {@code job.run}). */
  public TaskHandle run(String command) {
    return submit(TaskRequest.command(command).build());
  }

  /** Runs a shell command on one node, by id or name (relayq's {@code job.run_on_mac}). */
  public TaskHandle runOn(String node, String command) {
    return submit(TaskRequest.command(command).node(node).build());
  }

  public TaskHandle submit(TaskRequest task) {
    Submission s = Submission.fromJson(post(ApiPaths.ROUTE, task.toJson()));
    return new TaskHandle(this, s.taskId(), s);
  }

  public TaskHandle submit(TaskRequest.Builder task) {
    return submit(task.build());
  }

  /** Submits tasks that depend on each other ({@code dependsOn} by id) as one DAG; a cycle is refused. */
  public DagHandle submitDag(List<TaskRequest> tasks) {
    JsonArray arr = new JsonArray();
    tasks.forEach(t -> arr.add(t.toJson()));
    return dagFromReply(post(ApiPaths.ROUTE, new JsonObject().put("tasks", arr)));
  }

  /** Reads a DAG submission answer ({@code {dag_id, tasks: [...]}}) into handles. */
  public DagHandle dagFromReply(JsonObject reply) {
    List<TaskHandle> handles = new ArrayList<>();
    if (reply.getValue("tasks") instanceof JsonArray a) {
      for (Object o : a) {
        Submission s = Submission.fromJson((JsonObject) o);
        handles.add(new TaskHandle(this, s.taskId(), s));
      }
    }
    return new DagHandle(reply.getString("dag_id"), List.copyOf(handles), reply);
  }

  /** A handle on an existing task, to read, cancel or await it. */
  public TaskHandle handle(String taskId) {
    return new TaskHandle(this, taskId, null);
  }

  public TaskInfo task(String id) {
    return TaskInfo.fromJson(get(ApiPaths.task(id)));
  }

  /**
   * The newest tasks first, up to {@code limit} (≤ 1000) of one page: {@code status} and {@code node} (an id or a
   * unique name) may be null. A page may hold fewer than {@code limit} when the manager stopped its read early.
   */
  public List<TaskInfo> tasks(String status, String node, int limit) {
    return taskList(get(ApiPaths.tasks(status, node, null, limit, null, "newest")));
  }

  /** Finished tasks, oldest to newest, the last {@code limit} (≤ 200). */
  public List<TaskInfo> history(int limit) {
    return taskList(get(ApiPaths.history(limit, null)));
  }

  public TaskInfo cancel(String id) {
    return TaskInfo.fromJson(post(ApiPaths.cancel(id), new JsonObject()));
  }

  /** The captured output: {@code {task_id, status, stdout, stderr}}. */
  public JsonObject log(String id) {
    return get(ApiPaths.taskLog(id));
  }

  // ---- nodes and the cluster -----------------------------------------------------------------------------

  public List<NodeInfo> nodes() {
    return NodeInfo.listFromJson(get(ApiPaths.NODES));
  }

  public NodeInfo node(String id) {
    return NodeInfo.fromJson(get(ApiPaths.node(id)));
  }

  /** Drains a node (no new tasks; running ones finish), or puts it back in service. */
  public NodeInfo drain(String id, boolean enabled) {
    return NodeInfo.fromJson(post(ApiPaths.drain(id), new JsonObject().put("enabled", enabled)));
  }

  /** relayq's {@code job.worker_status()}. */
  public WorkerStatus workerStatus() {
    return WorkerStatus.fromJson(get(ApiPaths.WORKERS));
  }

  /** {@code GET /api/cluster/state}: counts, capacity, queue depth, counters. */
  public JsonObject state() {
    return get(ApiPaths.STATE);
  }

  /** Whether any node could take a task of this type, which is best, and why each node is or is not. */
  public JsonObject canHandle(String type) {
    return get(ApiPaths.canHandle(type, null));
  }

  // ---- secrets -------------------------------------------------------------------------------------------

  /**
   * Sets the cluster's secret {@code name} (admin); tasks name it with {@link TaskRequest.Builder#secret}. The
   * answer holds its name and times, never its value.
   */
  public JsonObject setSecret(String name, String value) {
    return api.send("PUT", ApiPaths.secret(name), new JsonObject().put("value", value));
  }

  /** The cluster's secrets: names and times only ({@code {secrets: [{name, created_at, updated_at}], count}}). */
  public JsonObject secrets() {
    return get(ApiPaths.SECRETS);
  }

  /** Removes a secret (admin): later attempts of tasks that name it fail. */
  public JsonObject removeSecret(String name) {
    return delete(ApiPaths.secret(name));
  }

  // ---- raw access ----------------------------------------------------------------------------------------

  /** {@code GET path} ({@code /api/cluster/…}); the answer's JSON. */
  public JsonObject get(String path) {
    return api.send("GET", path, null);
  }

  /** {@code POST path} with a JSON body; the answer's JSON. */
  public JsonObject post(String path, JsonObject body) {
    return api.send("POST", path, body == null ? new JsonObject() : body);
  }

  /** {@code DELETE path}; the answer's JSON. */
  public JsonObject delete(String path) {
    return api.send("DELETE", path, null);
  }

  // ---- internals -----------------------------------------------------------------------------------------

  private static List<TaskInfo> taskList(JsonObject j) {
    List<TaskInfo> out = new ArrayList<>();
    if (j.getValue("tasks") instanceof JsonArray a) {
      for (Object o : a) {
        out.add(TaskInfo.fromJson((JsonObject) o));
      }
    }
    return out;
  }

  /** How a {@link #followLog} ended. */
  enum Follow {
    /** The manager does not stream this task's output: poll the record. */
    NOT_STREAMED,
    /** The stream broke or hit the deadline before its end: go on by polling. */
    BROKEN,
    /** The manager said the task ended ({@code event: end}): every byte of output was handed on. */
    ENDED
  }

  /**
   * Streams a running task's output from {@code GET …/log?follow=true} into {@code out} until the stream
   * ends, the connection breaks or {@code limitNanos} pass.
   *
   * <p>Stream format (USAGE.md, "Following a task's output"): {@code event: stdout} / {@code event: stderr}
   * with {@code data: {"offset": n, "text": "…"}} in the order the task wrote them, {@code event: attempt} when a
   * new attempt starts over, and {@code event: end} with {@code {"status", "exit_code"}} when it is finished.
   */
  Follow followLog(String id, OutputTracker out, long limitNanos) {
    HttpResponse<InputStream> r;
    try {
      r = api.openStream(ApiPaths.taskLog(id) + "?follow=true", null);
    } catch (HeadyException e) {
      if (e.unauthorized() || HeadyException.CONNECTION_FAILED.equals(e.code())) {
        throw e;
      }
      return Follow.NOT_STREAMED;
    }
    if (r == null) {
      return Follow.NOT_STREAMED;
    }
    InputStream body = r.body();
    if (limitNanos != Long.MAX_VALUE) {
      // why: java.net.http bounds the wait for headers, not for a stream's body; close it at the deadline
      CompletableFuture.delayedExecutor(Math.max(1, limitNanos), TimeUnit.NANOSECONDS).execute(() -> {
        try {
          body.close();
        } catch (IOException ignored) {
          // already closed
        }
      });
    }
    try (SseReader sse = new SseReader(body)) {
      for (SseReader.Event e = sse.next(); e != null; e = sse.next()) {
        switch (e.type()) {
          case "stdout" -> out.append(false, text(e.data()));
          case "stderr" -> out.append(true, text(e.data()));
          case "attempt" -> {
            JsonObject a = json(e.data());
            if (a.getValue("attempt") instanceof Number n) {
              out.attempt(n.intValue(), a.getString("node_id"));
            }
          }
          case "end" -> {
            return Follow.ENDED;
          }
          default -> {
            // error and later event types: the caller reads the record anyway
          }
        }
      }
    } catch (IOException e) {
      // the stream broke or hit the deadline: the caller goes on by polling
    }
    return Follow.BROKEN;
  }

  private static JsonObject json(String data) {
    try {
      return new JsonObject(data);
    } catch (RuntimeException notJson) {
      return new JsonObject();
    }
  }

  static String text(String data) {
    if (data.startsWith("{")) {
      try {
        JsonObject j = new JsonObject(data);
        for (String k : new String[] {"text", "data", "chunk"}) {
          if (j.getValue(k) instanceof String s) {
            return s;
          }
        }
      } catch (RuntimeException notJson) {
        // plain text that happens to start with a brace
      }
    }
    return data + "\n";
  }

  /** Settings for a client. */
  public static final class Builder {
    private String url = ClientConfig.DEFAULT_URL;
    private String token;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private String fingerprint;

    private Builder() {}

    public Builder url(String url) {
      this.url = url;
      return this;
    }

    /** The admin token ({@code <data-dir>/admin.token} on the manager). */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    /** How long one request may take (not how long a task may run). */
    public Builder requestTimeout(Duration d) {
      this.requestTimeout = d;
      return this;
    }

    /**
     * Pins the manager's HTTPS certificate by its SHA-256 fingerprint, as a {@code --tls-self-signed} manager
     * prints it at start ({@code AB:CD:…}; with or without colons, any case). Only that certificate is then
     * accepted, by any address; any other fails the TLS handshake, before the token is sent, with an error
     * naming both fingerprints. {@code null}: trust the JVM's certificate authorities.
     */
    public Builder managerFingerprint(String fingerprint) {
      this.fingerprint = fingerprint == null || fingerprint.isBlank() ? null
          : ClientConfig.formatPin(fingerprint, "managerFingerprint");
      return this;
    }

    public HeadyClient build() {
      String u = ClientConfig.normalizeUrl(url == null ? ClientConfig.DEFAULT_URL : url, "the client's url");
      String t = token == null || token.isBlank() ? null : token.trim();
      if (fingerprint != null && !u.regionMatches(true, 0, "https://", 0, 8)) {
        throw new HeadyException(0, "BAD_CONFIG", "a pinned manager fingerprint needs an https:// URL, not " + u);
      }
      byte[] pin = fingerprint == null ? null : Fingerprint.parse(fingerprint);
      return new HeadyClient(new HttpApi(u, t, connectTimeout, requestTimeout, pin));
    }
  }
}
