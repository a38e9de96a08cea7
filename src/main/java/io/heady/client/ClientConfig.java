package io.heady.client;

import io.heady.common.tls.Fingerprint;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the manager is, which admin token to present and which certificate to trust, each value resolved on its
 * own, first found wins:
 * <ol>
 *   <li>flags ({@code --url}, {@code --token}, {@code --manager-fingerprint});</li>
 *   <li>environment ({@code HEADY_URL}, {@code HEADY_TOKEN}, {@code HEADY_MANAGER_FINGERPRINT});</li>
 *   <li>the user's config file {@code $XDG_CONFIG_HOME/heady/cli.json} (default
 *       {@code ~/.config/heady/cli.json}), or the file named by {@code HEADY_CONFIG};</li>
 *   <li>the machine's config file {@code /etc/heady/cli.json};</li>
 *   <li>defaults: {@code http://127.0.0.1:7070}, and the admin token the manager generated in
 *       {@code $HEADY_DATA_DIR/admin.token} or {@code ~/.heady/admin.token} when readable.</li>
 * </ol>
 * A config file is {@code {"url": "...", "token": "...", "manager_fingerprint": "AB:CD:…"}};
 * {@code "token_file": "/path"} may stand for the token.
 *
 * <p>A fingerprint pins the manager's HTTPS certificate (the SHA-256 a {@code --tls-self-signed} manager prints
 * at start): only that certificate is accepted, at any address; without one, {@code https://} trusts the JVM's
 * certificate authorities.
 *
 * @param url the manager's base URL, without a trailing slash
 * @param urlSource where {@code url} came from, for messages ("--url", "HEADY_URL", a file, "default")
 * @param token the admin token, or {@code null} when none was found
 * @param tokenSource where {@code token} came from, or {@code null}
 * @param fingerprint the pinned certificate fingerprint ({@code AB:CD:…}), or {@code null}
 * @param fingerprintSource where {@code fingerprint} came from, or {@code null}
 */
public record ClientConfig(String url, String urlSource, String token, String tokenSource, String fingerprint,
    String fingerprintSource) {
  public static final String DEFAULT_URL = "http://127.0.0.1:7070";
  /** The environment variable (and, lower-cased, the flag) that pins the manager's certificate. */
  public static final String FINGERPRINT_ENV = "HEADY_MANAGER_FINGERPRINT";

  /** Without a pinned certificate. */
  public ClientConfig(String url, String urlSource, String token, String tokenSource) {
    this(url, urlSource, token, tokenSource, null, null);
  }

  /** The places a manager keeps its data (and its tokens) on this machine, most specific first. */
  public static List<Path> dataDirs(Map<String, String> env, Path home) {
    List<Path> out = new ArrayList<>();
    String d = env.get("HEADY_DATA_DIR");
    if (d != null && !d.isBlank()) {
      out.add(expand(d.trim(), home));
    }
    out.add(home.resolve(".heady"));
    out.add(Path.of("/var/lib/heady"));
    return out;
  }

  /** The user's config file: {@code HEADY_CONFIG}, else under {@code XDG_CONFIG_HOME} or {@code ~/.config}. */
  public static Path userFile(Map<String, String> env, Path home) {
    String explicit = env.get("HEADY_CONFIG");
    if (explicit != null && !explicit.isBlank()) {
      return expand(explicit.trim(), home);
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg.trim()) : home.resolve(".config");
    return base.resolve("heady").resolve("cli.json");
  }

  /** Resolves from this process's environment and home; the flags may be null. */
  public static ClientConfig resolve(String flagUrl, String flagToken) {
    return resolve(flagUrl, flagToken, null, System.getenv(), Path.of(System.getProperty("user.home", ".")),
        Path.of("/etc/heady/cli.json"));
  }

  /** Resolves with an explicit environment, home folder and machine config file (tests). */
  public static ClientConfig resolve(String flagUrl, String flagToken, Map<String, String> env, Path home,
      Path machineFile) {
    return resolve(flagUrl, flagToken, null, env, home, machineFile);
  }

  /** Resolves with a {@code --manager-fingerprint} flag (may be null) too. */
  public static ClientConfig resolve(String flagUrl, String flagToken, String flagFingerprint,
      Map<String, String> env, Path home, Path machineFile) {
    String fp = null;
    String fpSource = null;
    if (present(flagFingerprint)) {
      fp = flagFingerprint;
      fpSource = "--manager-fingerprint";
    } else if (present(env.get(FINGERPRINT_ENV))) {
      fp = env.get(FINGERPRINT_ENV);
      fpSource = FINGERPRINT_ENV;
    }
    for (Path file : List.of(userFile(env, home), machineFile)) {
      JsonObject j = fp == null ? readConfig(file) : null;
      if (j != null && j.getValue("manager_fingerprint") instanceof String s && present(s)) {
        fp = s;
        fpSource = file.toString();
      }
    }
    ClientConfig c = resolveUrlAndToken(flagUrl, flagToken, env, home, machineFile);
    if (fp == null) {
      return c;
    }
    String pin = formatPin(fp, fpSource);
    if (!c.url().regionMatches(true, 0, "https://", 0, 8)) {
      throw new HeadyException(0, "BAD_CONFIG", "a pinned certificate (" + fpSource + ") needs an https:// "
          + "manager URL, but " + c.url() + " (from " + c.urlSource() + ") is plain http, which would send the "
          + "token unprotected; use https://");
    }
    return new ClientConfig(c.url(), c.urlSource(), c.token(), c.tokenSource(), pin, fpSource);
  }

  /** A fingerprint as the manager prints it ({@code AB:CD:…}); a clear error naming its source when it is not one. */
  public static String formatPin(String text, String source) {
    try {
      return Fingerprint.format(Fingerprint.parse(text));
    } catch (IllegalArgumentException e) {
      throw new HeadyException(0, "BAD_CONFIG", "the manager fingerprint from " + source + " is wrong: "
          + e.getMessage() + " (copy the SHA-256 fingerprint the manager prints at start)");
    }
  }

  private static ClientConfig resolveUrlAndToken(String flagUrl, String flagToken, Map<String, String> env,
      Path home, Path machineFile) {
    String url = null;
    String urlSource = null;
    String token = null;
    String tokenSource = null;
    if (present(flagUrl)) {
      url = flagUrl.trim();
      urlSource = "--url";
    }
    if (present(flagToken)) {
      token = flagToken.trim();
      tokenSource = "--token";
    }
    if (url == null && present(env.get("HEADY_URL"))) {
      url = env.get("HEADY_URL").trim();
      urlSource = "HEADY_URL";
    }
    if (token == null && present(env.get("HEADY_TOKEN"))) {
      token = env.get("HEADY_TOKEN").trim();
      tokenSource = "HEADY_TOKEN";
    }
    for (Path file : List.of(userFile(env, home), machineFile)) {
      if (url != null && token != null) {
        break;
      }
      JsonObject j = readConfig(file);
      if (j == null) {
        continue;
      }
      if (url == null && present(j.getValue("url") instanceof String s ? s : null)) {
        url = j.getString("url").trim();
        urlSource = file.toString();
      }
      if (token == null && j.getValue("token") instanceof String s && present(s)) {
        token = s.trim();
        tokenSource = file.toString();
      } else if (token == null && j.getValue("token_file") instanceof String tf && present(tf)) {
        Path p = expand(tf.trim(), home);
        token = readToken(p);
        if (token == null) {
          throw new HeadyException(0, "BAD_CONFIG", file + " names token_file " + p + ", which cannot be read");
        }
        tokenSource = p.toString();
      }
    }
    if (url == null) {
      url = DEFAULT_URL;
      urlSource = "default";
    }
    if (token == null) {
      for (Path dir : dataDirs(env, home)) {
        Path f = dir.resolve("admin.token");
        String t = readToken(f);
        if (t != null) {
          token = t;
          tokenSource = f.toString();
          break;
        }
      }
    }
    return new ClientConfig(normalizeUrl(url, urlSource), urlSource, token, tokenSource);
  }

  /**
   * {@code host:port} and {@code http://host:port/} become {@code http://host:port}; anything that is not an
   * http(s) URL is refused naming its source.
   */
  public static String normalizeUrl(String raw, String source) {
    String u = raw.strip();
    if (!u.contains("://")) {
      u = "http://" + u;
    }
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    try {
      URI uri = new URI(u);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new URISyntaxException(u, "not an http(s) URL with a host");
      }
    } catch (URISyntaxException e) {
      throw new HeadyException(0, "BAD_CONFIG", "the manager URL '" + raw + "' (from " + source
          + ") is not an http(s) URL like http://host:7070");
    }
    return u;
  }

  /** A config file's JSON; {@code null} when the file does not exist; a clear error when it is unreadable. */
  static JsonObject readConfig(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      // why: an unreadable system-wide file (permissions) must not stop a user who has flags or env
      return null;
    } catch (DecodeException | ClassCastException e) {
      throw new HeadyException(0, "BAD_CONFIG", file + " is not a JSON object like {\"url\": \"http://host:7070\", "
          + "\"token\": \"…\"}");
    }
  }

  /** A token file's trimmed content, or {@code null} when missing, unreadable or empty. */
  public static String readToken(Path f) {
    try {
      if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
        return null;
      }
      String t = Files.readString(f, StandardCharsets.UTF_8).trim();
      return t.isEmpty() ? null : t;
    } catch (IOException | SecurityException e) {
      return null;
    }
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  private static Path expand(String p, Path home) {
    if (p.equals("~")) {
      return home;
    }
    if (p.startsWith("~/")) {
      return home.resolve(p.substring(2));
    }
    return Path.of(p);
  }
}
