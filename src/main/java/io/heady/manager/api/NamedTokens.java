package io.heady.manager.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.heady.common.identity.TokenCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * People's named tokens, each with a {@link Role}: made with {@code heady token create NAME --access ROLE},
 * listed, revoked. Only the SHA-256 digest of each secret is kept, in {@code <data-dir>/tokens.json} (0600,
 * replaced atomically); the secret itself is shown once, when it is made. A presented secret is compared
 * with every digest in constant time, so neither which token nor how much of it matched leaks through
 * timing. A revoked token is refused from the moment {@link #revoke} returns.
 *
 * <p>When each token was last used is kept in memory and written with the next change or {@link #flush}.
 * File I/O blocks: call {@link #create}, {@link #revoke} and {@link #flush} off the event loop.
 */
public final class NamedTokens {
  /** The file in the data dir. */
  public static final String FILE = "tokens.json";
  /** Most named tokens one manager keeps. */
  public static final int MAX = 1000;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  // why: the two built-in secrets are called this in whoami and in the CLI; a named token may not pose as one
  private static final Set<String> RESERVED = Set.of("admin", "join");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What is listed of a token: never its secret or digest. */
  public record Info(String name, Role role, Instant created, Instant lastUsed) {
    public JsonObject toJson() {
      return new JsonObject().put("name", name).put("role", role.wire()).put("created_at", created.toString())
          .put("last_used_at", lastUsed == null ? null : lastUsed.toString());
    }
  }

  /** A new token: its listing and its secret, which is shown this once. */
  public record Created(Info info, String secret) {}

  /** Who a presented secret is. */
  public record Hit(String name, Role role) {}

  private record Entry(String name, Role role, byte[] digest, Instant created) {}

  private final Path file;
  private final Clock clock;
  private volatile List<Entry> entries;
  private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();
  private volatile boolean dirty;

  private NamedTokens(Path file, Clock clock, List<Entry> entries, Map<String, Instant> used) {
    this.file = file;
    this.clock = clock;
    this.entries = List.copyOf(entries);
    this.lastUsed.putAll(used);
  }

  /**
   * Reads {@code <dataDir>/tokens.json}, or starts with none when it does not exist.
   *
   * @throws IOException when the file cannot be read or is not what heady wrote (the message names it)
   */
  public static NamedTokens load(Path dataDir, Clock clock) throws IOException {
    Path f = dataDir.resolve(FILE);
    List<Entry> list = new ArrayList<>();
    Map<String, Instant> used = new ConcurrentHashMap<>();
    if (Files.isRegularFile(f)) {
      try {
        JsonObject doc = new JsonObject(Files.readString(f, StandardCharsets.UTF_8));
        for (Object o : doc.getJsonArray("tokens", new JsonArray())) {
          JsonObject t = (JsonObject) o;
          String name = t.getString("name");
          Role role = Role.parse(t.getString("role"));
          byte[] digest = HexFormat.of().parseHex(t.getString("sha256"));
          if (name == null || !NAME.matcher(name).matches() || role == null || digest.length != 32) {
            throw new IllegalArgumentException("entry " + t.encode().replaceAll("[0-9a-f]{64}", "…")
                + " needs a name, a role (viewer, operator, admin) and a 64-digit sha256");
          }
          if (list.stream().anyMatch(e -> e.name().equals(name))) {
            throw new IllegalArgumentException("the name " + name + " appears twice");
          }
          list.add(new Entry(name, role, digest, Instant.parse(t.getString("created_at"))));
          if (t.getString("last_used_at") != null) {
            used.put(name, Instant.parse(t.getString("last_used_at")));
          }
        }
      } catch (RuntimeException e) {
        throw new IOException(f + " is not a valid token file (" + e.getMessage() + "); fix or remove it", e);
      }
    }
    return new NamedTokens(f, clock, list, used);
  }

  /**
   * Which named token the secret is, or {@code null}. Every digest is compared (no early exit), in constant
   * time; a match notes the time of use.
   */
  public Hit match(String presented) {
    byte[] p = TokenCheck.presented(presented);
    if (p == null) {
      return null;
    }
    Entry found = null;
    for (Entry e : entries) {
      if (TokenCheck.matches(p, e.digest()) & found == null) {
        found = e;
      }
    }
    if (found == null) {
      return null;
    }
    lastUsed.put(found.name(), clock.instant());
    dirty = true;
    return new Hit(found.name(), found.role());
  }

  /**
   * Makes a token; its secret is returned this once and only its digest is written.
   *
   * @throws IllegalArgumentException a bad or reserved name (the message says which)
   * @throws IllegalStateException a token of that name exists, or there are {@value #MAX} already
   */
  public synchronized Created create(String name, Role role) throws IOException {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a token name must match [A-Za-z0-9._-]{1,64}");
    }
    if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("'" + name + "' is reserved (the built-in admin and join tokens); "
          + "choose another name");
    }
    if (role == null) {
      throw new IllegalArgumentException("a token needs a role: viewer, operator or admin");
    }
    if (entries.stream().anyMatch(e -> e.name().equals(name))) {
      throw new IllegalStateException("a token named " + name + " exists already; revoke it first");
    }
    if (entries.size() >= MAX) {
      throw new IllegalStateException("this manager holds " + MAX + " named tokens already; revoke some first");
    }
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String secret = "hn_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    Entry e = new Entry(name, role, TokenCheck.digest(secret), clock.instant());
    List<Entry> next = new ArrayList<>(entries);
    next.add(e);
    write(next);
    entries = List.copyOf(next);
    return new Created(new Info(name, role, e.created(), null), secret);
  }

  /** Revokes a token: refused from now on. False when there is none of that name. */
  public synchronized boolean revoke(String name) throws IOException {
    List<Entry> next = new ArrayList<>(entries);
    if (!next.removeIf(e -> e.name().equals(name))) {
      return false;
    }
    // why: the file first; a token that stays in the file must not look revoked until the next restart
    write(next);
    entries = List.copyOf(next);
    lastUsed.remove(name);
    return true;
  }

  /** Every token, oldest first. */
  public List<Info> list() {
    List<Info> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add(new Info(e.name(), e.role(), e.created(), lastUsed.get(e.name())));
    }
    return out;
  }

  public int size() {
    return entries.size();
  }

  /** Writes the times of last use when they changed since the last write. */
  public synchronized void flush() throws IOException {
    if (dirty) {
      write(entries);
    }
  }

  private void write(List<Entry> list) throws IOException {
    boolean wasDirty = dirty;
    dirty = false;
    try {
      writeFile(list);
    } catch (IOException | RuntimeException e) {
      dirty |= wasDirty;
      throw e;
    }
  }

  private void writeFile(List<Entry> list) throws IOException {
    JsonArray arr = new JsonArray();
    for (Entry e : list) {
      Instant used = lastUsed.get(e.name());
      arr.add(new JsonObject().put("name", e.name()).put("role", e.role().wire())
          .put("sha256", HexFormat.of().formatHex(e.digest())).put("created_at", e.created().toString())
          .put("last_used_at", used == null ? null : used.toString()));
    }
    Files.createDirectories(file.getParent());
    io.heady.common.identity.PrivateFile.write(file, new JsonObject().put("tokens", arr).encodePrettily() + "\n");
  }
}
