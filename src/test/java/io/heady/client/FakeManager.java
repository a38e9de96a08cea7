package io.heady.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A stand-in manager on a loopback port: answers are scripted per {@code "METHOD /path"} (query ignored), and
 * every request is recorded. It checks the admin token like the real one (401 with the API's error shape).
 */
public final class FakeManager implements AutoCloseable {
  /** One recorded request. */
  public record Request(String method, String path, String query, String authorization, String accept,
      String body) {}

  /** One scripted answer. */
  public record Answer(int status, String contentType, String body) {
    public static Answer json(int status, JsonObject j) {
      return new Answer(status, "application/json", j.encode());
    }
  }

  public static final String TOKEN = "ha_test_token_0123456789";

  private final HttpServer server;
  private final Map<String, Function<Request, Answer>> routes = new ConcurrentHashMap<>();
  public final List<Request> requests = new CopyOnWriteArrayList<>();

  public FakeManager() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-manager");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public FakeManager on(String methodAndPath, Function<Request, Answer> answer) {
    routes.put(methodAndPath, answer);
    return this;
  }

  public FakeManager onJson(String methodAndPath, int status, JsonObject body) {
    return on(methodAndPath, r -> Answer.json(status, body));
  }

  /** The requests to this method and path. */
  public List<Request> requests(String methodAndPath) {
    return requests.stream().filter(r -> (r.method() + " " + r.path()).equals(methodAndPath)).toList();
  }

  public static JsonObject error(String code, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)
        .put("details", new JsonObject()));
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Request req = new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
        ex.getRequestURI().getRawQuery(), ex.getRequestHeaders().getFirst("Authorization"),
        ex.getRequestHeaders().getFirst("Accept"), body);
    requests.add(req);
    Answer a;
    if (!("Bearer " + TOKEN).equals(req.authorization())) {
      a = Answer.json(401, error("UNAUTHORIZED", req.authorization() == null
          ? "this route needs Authorization: Bearer <token>" : "the token is not valid for this cluster"));
    } else {
      Function<Request, Answer> f = routes.get(req.method() + " " + req.path());
      a = f == null ? Answer.json(404, error("NOT_FOUND", "no route " + req.method() + " " + req.path()))
          : f.apply(req);
    }
    byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", a.contentType());
    ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** A task record as the manager shows it. */
  public static JsonObject task(String id, String status, Integer exit, String stdout, String stderr) {
    return new JsonObject().put("task_id", id).put("type", "shell").put("priority", "P2").put("status", status)
        .put("command", "echo hi").put("node_id", "n1").put("exit_code", exit)
        .put("duration_ms", exit == null ? null : 12)
        .put("result", new JsonObject().put("stdout", stdout).put("stderr", stderr).put("truncated", false))
        .put("attempt", 1).put("created_at", "2025-01-01T00:00:00Z");
  }

  /** A submit answer. */
  public static JsonObject submitted(String id, String status) {
    return new JsonObject().put("task_id", id).put("status", status).put("routed", !status.equals("queued"))
        .put("node_id", "n1").put("created", true);
  }
}
