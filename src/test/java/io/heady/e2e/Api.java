package io.heady.e2e;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A user's HTTP client for the manager: JSON in, JSON out, with a token. */
public final class Api {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  public Api(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** A response: status and the body parsed as JSON (or {@code raw} when it is not JSON). */
  public record Res(int status, JsonObject json, String raw) {}

  public Res get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), token);
  }

  public Res post(String path, String body) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)), token);
  }

  public Res post(String path, JsonObject body) {
    return post(path, body.encode());
  }

  public Res delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), token);
  }

  /**
   * A request sealed as {@code seal}'s holder would send it to {@code to} (the manager, or a node): the
   * {@code Authorization: Heady …} header over the method, path and body.
   */
  public Res sealed(io.heady.common.identity.Seal seal, String to, String method, String path, String body) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    b.header("Authorization", seal.header(method, URI.create(base + path).getRawPath()
        + (URI.create(base + path).getRawQuery() == null ? "" : "?" + URI.create(base + path).getRawQuery()), bytes, to));
    return send(b, null);
  }

  public Res withToken(String t, String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    return send(b, t);
  }

  private Res send(HttpRequest.Builder b, String t) {
    if (t != null) {
      b.header("Authorization", "Bearer " + t);
    }
    try {
      HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonObject j = null;
      try {
        j = r.body().isEmpty() ? null : new JsonObject(r.body());
      } catch (RuntimeException notJson) {
        j = null;
      }
      return new Res(r.statusCode(), j, r.body());
    } catch (IOException e) {
      throw new IllegalStateException("request failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
