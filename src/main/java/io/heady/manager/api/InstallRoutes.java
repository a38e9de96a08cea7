package io.heady.manager.api;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.manager.ManagerMain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The installer downloads: {@code GET /install/agent.sh} (the agent installer, with this manager's URL filled
 * in), {@code /install/heady.jar} (the jar this manager runs from) and {@code /install/heady.jar.sha256}, and
 * the launcher and unit files the installer puts beside the jar ({@code /install/launcher/<file>},
 * {@code /install/systemd/<file>}). So {@code curl -fsSL http://<manager>:7070/install/agent.sh | sudo sh} (which
 * asks for the join token) adds a machine with no internet. {@code GET /install/heady.py} is the Python client
 * (relayq's {@code job.run}, {@code worker_status()}), with this manager's URL as its default.
 *
 * <p>These routes are deliberately open: a new machine has only the join token, which the script reads from a
 * file or the terminal, never from curl or a command line, and nothing served here is secret (the script
 * carries the manager's URL, never a token). Every answer carries {@code X-Checksum-Sha256} (of its own body),
 * which the installer checks.
 */
public final class InstallRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(InstallRoutes.class);

  /** Where the build puts the installer files inside the jar (see pom.xml). */
  public static final String RESOURCE_DIR = "heady/install/";
  /** The files of {@code launcher/}, served under {@code /install/launcher/}. */
  public static final List<String> LAUNCHER_FILES = List.of("heady", "agent.options", "agent-small.options",
      "manager.options", "cli.options");
  /** The files of {@code systemd/}, served under {@code /install/systemd/}. */
  public static final List<String> UNIT_FILES = List.of("heady-agent.service", "heady-manager.service");
  /** The line of install-agent.sh (and of heady.py) that the manager rewrites with its own URL. */
  public static final String URL_LINE = "SERVED_MANAGER_URL=''";
  /** The Python client (clients/python/heady.py), served at {@code /install/heady.py}. */
  public static final String PYTHON = "heady.py";
  /** The header every download carries: the SHA-256 of the body, in hex. */
  public static final String CHECKSUM_HEADER = "X-Checksum-Sha256";

  // why: the URL ends up inside a shell script; only characters that cannot break out of '...' pass.
  private static final String HOST_PORT = "([A-Za-z0-9._-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(:[0-9]{1,5})?";
  private static final Pattern HOST = Pattern.compile(HOST_PORT);
  private static final Pattern URL = Pattern.compile("https?://" + HOST_PORT + "(/[A-Za-z0-9._~/-]{0,200})?");

  private final Vertx vertx;
  private final String advertiseUrl;
  private final Path jar;
  private Future<Map<String, byte[]>> files;
  private volatile JarDigest digest;

  private record JarDigest(long size, long modified, String hex) {}

  /**
   * @param advertiseUrl the URL installers reach this manager on; blank: derived from each request's Host
   * @param jar the jar to serve; {@code null} when the manager does not run from one (then 404)
   */
  public InstallRoutes(Vertx vertx, String advertiseUrl, Path jar) {
    this.vertx = vertx;
    String a = advertiseUrl == null ? "" : advertiseUrl.trim();
    while (a.endsWith("/")) {
      a = a.substring(0, a.length() - 1);
    }
    if (!a.isEmpty() && !URL.matcher(a).matches()) {
      throw new IllegalArgumentException("--advertise-url '" + a + "' is not a plain http(s)://host:port URL");
    }
    this.advertiseUrl = a;
    this.jar = jar;
  }

  void mount(Routes r) {
    r.open("GET", "/install/agent.sh", rc -> servePersonalized(rc, "install-agent.sh",
        "text/x-shellscript; charset=utf-8"));
    r.open("GET", "/install/heady.py", rc -> servePersonalized(rc, PYTHON, "text/x-python; charset=utf-8"));
    r.open("GET", "/install/heady.jar", rc -> jarDigest().onComplete(ar -> {
      if (ar.failed()) {
        Replies.error(rc, ar.cause());
        return;
      }
      rc.response().putHeader("Content-Type", "application/java-archive")
          .putHeader("Content-Disposition", "attachment; filename=\"heady.jar\"")
          .putHeader("Cache-Control", "no-cache")
          .putHeader(CHECKSUM_HEADER, ar.result().hex())
          .sendFile(jar.toString())
          .onFailure(e -> LOG.warn("sending {} failed: {}", jar, e.getMessage()));
    }));
    r.open("GET", "/install/heady.jar.sha256", rc -> jarDigest().onComplete(ar -> {
      if (ar.failed()) {
        Replies.error(rc, ar.cause());
      } else {
        // why: the format of sha256sum, so `sha256sum -c heady.jar.sha256` works beside the jar.
        send(rc, "text/plain; charset=utf-8", (ar.result().hex() + "  heady.jar\n").getBytes(StandardCharsets.UTF_8));
      }
    }));
    r.open("GET", "/install/launcher/:file", rc -> serve(rc, "launcher/", LAUNCHER_FILES));
    r.open("GET", "/install/systemd/:file", rc -> serve(rc, "systemd/", UNIT_FILES));
  }

  /** The Host header, or HTTP/2's :authority (a client that upgraded to h2c sends no Host). */
  private static String authority(RoutingContext rc) {
    String host = rc.request().getHeader("Host");
    if (host != null) {
      return host;
    }
    HostAndPort a = rc.request().authority();
    if (a == null) {
      return null;
    }
    String h = a.host().indexOf(':') >= 0 && !a.host().startsWith("[") ? "[" + a.host() + "]" : a.host();
    return a.port() >= 0 ? h + ":" + a.port() : h;
  }

  /** A bundled file with this manager's URL put into its {@link #URL_LINE}. */
  private void servePersonalized(RoutingContext rc, String file, String type) {
    String url = managerUrl(advertiseUrl, rc.request().isSSL(), authority(rc));
    bundle().onComplete(ar -> {
      if (ar.failed()) {
        Replies.error(rc, ar.cause());
        return;
      }
      String text = new String(ar.result().get(file), StandardCharsets.UTF_8);
      send(rc, type, personalize(text, url).getBytes(StandardCharsets.UTF_8));
    });
  }

  private void serve(RoutingContext rc, String dir, List<String> allowed) {
    String name = rc.pathParam("file");
    if (!allowed.contains(name)) {
      throw new ApiException(ErrorCode.NOT_FOUND, "no installer file '" + dir + name + "'; there are: "
          + String.join(", ", allowed), new JsonObject().put("field", "file"));
    }
    bundle().onComplete(ar -> {
      if (ar.failed()) {
        Replies.error(rc, ar.cause());
      } else {
        String type = name.equals("heady") ? "text/x-shellscript; charset=utf-8" : "text/plain; charset=utf-8";
        send(rc, type, ar.result().get(dir + name));
      }
    });
  }

  private static void send(RoutingContext rc, String type, byte[] body) {
    if (rc.response().ended()) {
      return;
    }
    rc.response().putHeader("Content-Type", type).putHeader("Cache-Control", "no-cache")
        .putHeader(CHECKSUM_HEADER, sha256Hex(body)).end(Buffer.buffer(body));
  }

  /** The installer files from the classpath, read once on a worker thread. */
  private synchronized Future<Map<String, byte[]>> bundle() {
    if (files == null || files.failed()) {
      files = vertx.executeBlocking(InstallRoutes::loadBundle);
    }
    return files;
  }

  static Map<String, byte[]> loadBundle() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    out.put("install-agent.sh", resource("install-agent.sh"));
    for (String f : LAUNCHER_FILES) {
      out.put("launcher/" + f, resource("launcher/" + f));
    }
    for (String f : UNIT_FILES) {
      out.put("systemd/" + f, resource("systemd/" + f));
    }
    out.put(PYTHON, resource(PYTHON));
    for (String f : List.of("install-agent.sh", PYTHON)) {
      if (new String(out.get(f), StandardCharsets.UTF_8).lines().noneMatch(URL_LINE::equals)) {
        throw new IllegalStateException(f + " has no line " + URL_LINE + " to put the manager URL in");
      }
    }
    return out;
  }

  private static byte[] resource(String name) {
    try (InputStream in = InstallRoutes.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new ApiException(ErrorCode.NOT_FOUND, "this build of heady has no installer file " + RESOURCE_DIR
            + name + "; build the jar with mvn package");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The SHA-256 of the jar, computed on a worker thread and again only when the file changes. */
  private Future<JarDigest> jarDigest() {
    if (jar == null) {
      return Future.failedFuture(new ApiException(ErrorCode.NOT_FOUND, "this manager does not run from heady.jar "
          + "(it runs from " + codeSource() + "), so it has no jar to serve; start it with java -jar heady.jar"));
    }
    return vertx.executeBlocking(() -> {
      long size = Files.size(jar);
      long modified = Files.getLastModifiedTime(jar).toMillis();
      JarDigest d = digest;
      if (d == null || d.size() != size || d.modified() != modified) {
        d = new JarDigest(size, modified, sha256Hex(jar));
        digest = d;
      }
      return d;
    });
  }

  /**
   * The URL installers reach this manager on: {@code advertiseUrl} when set, else the scheme and the Host
   * header of the request (a plain {@code host[:port]}; anything else is refused, since it goes into a script).
   */
  public static String managerUrl(String advertiseUrl, boolean ssl, String hostHeader) {
    if (advertiseUrl != null && !advertiseUrl.isBlank()) {
      return advertiseUrl;
    }
    if (hostHeader == null || !HOST.matcher(hostHeader.trim()).matches()) {
      throw new ApiException(ErrorCode.INVALID_FIELD, "cannot tell this manager's URL from the Host header "
          + (hostHeader == null ? "(none)" : "'" + abbreviate(hostHeader) + "'")
          + "; request it as http://<address>:<port>/install/agent.sh or start the manager with --advertise-url",
          new JsonObject().put("field", "Host"));
    }
    return (ssl ? "https://" : "http://") + hostHeader.trim();
  }

  /** The installer with the manager's URL put into its {@link #URL_LINE}. */
  public static String personalize(String script, String managerUrl) {
    if (!URL.matcher(managerUrl).matches()) {
      throw new IllegalArgumentException("not a plain URL: " + managerUrl);
    }
    StringBuilder sb = new StringBuilder(script.length() + managerUrl.length());
    boolean done = false;
    for (String line : script.split("\n", -1)) {
      if (!done && line.equals(URL_LINE)) {
        line = "SERVED_MANAGER_URL='" + managerUrl + "'";
        done = true;
      }
      sb.append(line).append('\n');
    }
    if (!done) {
      throw new IllegalStateException("the installer has no line " + URL_LINE);
    }
    return sb.substring(0, sb.length() - 1);
  }

  /** The jar this manager runs from, or {@code null} when it runs from a classes folder (tests, IDEs). */
  public static Path runningJar() {
    Path p = codeSource();
    return p != null && Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar") ? p : null;
  }

  private static Path codeSource() {
    CodeSource cs = ManagerMain.class.getProtectionDomain().getCodeSource();
    if (cs == null || cs.getLocation() == null) {
      return null;
    }
    try {
      return Path.of(cs.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  public static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(sha256().digest(data));
  }

  public static String sha256Hex(Path file) throws IOException {
    MessageDigest md = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
