package io.heady.manager.store;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a store URL ({@code redis://[[user]:password@]host[:port][/db]}, {@code rediss://} for TLS) says: a
 * description without the password, the endpoint the Redis client connects to, and the AUTH and SELECT that
 * heady sends itself on each new connection.
 */
final class RedisUrl {
  private RedisUrl() {}

  /** {@code redis://host:port/db} without the password; rejects what is not a Redis URL. */
  static String describe(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      // why: the reason only; the message would repeat the URL, password included
      throw new IllegalArgumentException("not a Redis URL: " + e.getReason() + " at index " + e.getIndex());
    }
    String scheme = u.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new IllegalArgumentException("a Redis store URL starts with redis:// or rediss://, not '"
          + (scheme == null ? url : scheme + "://") + "'");
    }
    if (u.getHost() == null) {
      throw new IllegalArgumentException("the Redis URL names no host: " + url.replaceAll("//[^@/]*@", "//"));
    }
    String db = database(u);
    if (!db.matches("\\d+")) {
      throw new IllegalArgumentException("the Redis URL's database must be a number, not '" + db + "'");
    }
    return scheme + "://" + u.getHost() + ":" + port(u) + "/" + db;
  }

  /** The URL without user, password and database: what the Redis client connects to. */
  static String endpoint(String url) {
    URI u = URI.create(url);
    return u.getScheme() + "://" + u.getHost() + ":" + port(u);
  }

  /** AUTH (when the URL has a password) and SELECT, sent first on every new connection. */
  static List<Request> handshake(String url) {
    URI u = URI.create(url);
    List<Request> out = new ArrayList<>();
    String info = u.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      String user = colon < 0 ? "" : decode(info.substring(0, colon));
      String password = decode(colon < 0 ? info : info.substring(colon + 1));
      if (!password.isEmpty()) {
        Request auth = Request.cmd(Command.AUTH);
        if (!user.isEmpty() && !user.equals("default")) {
          auth.arg(user);
        }
        out.add(auth.arg(password));
      }
    }
    out.add(Request.cmd(Command.SELECT).arg(Integer.parseInt(database(u))));
    return out;
  }

  private static String database(URI u) {
    return u.getPath() == null || u.getPath().length() <= 1 ? "0" : u.getPath().substring(1);
  }

  private static int port(URI u) {
    return u.getPort() < 0 ? 6379 : u.getPort();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
