package io.heady.manager.api;

import io.heady.common.identity.PrivateFile;
import io.heady.common.identity.TokenCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two secrets: the join token (agents) and the admin token (people and programs). Generated on first
 * start into {@code <data-dir>/join.token} and {@code admin.token} with mode 0600, unless given.
 *
 * <p>Rotation ({@link #rotate}) writes a new token and keeps the old one valid for a grace period, so agents
 * and clients can be restarted with the new one without an outage; the old one is kept in
 * {@code <kind>.token.previous} (0600) with its end of validity, so a manager restart does not cut the grace
 * short. Every comparison is of SHA-256 digests in constant time ({@link TokenCheck}), over every candidate,
 * so neither the content nor the length of a token leaks through timing.
 */
public final class Tokens {
  /**
   * Which secret a request presented; {@code NODE} is not a token: routes declared with it need a node's own
   * credential (see {@code NodeCredentials}).
   */
  public enum Kind { JOIN, ADMIN, NODE, NONE }

  /**
   * What a presented secret is.
   *
   * @param kind which token
   * @param generation which generation of it (rises by one per rotation)
   * @param previous whether it is the old token of a rotation, still in its grace period
   */
  public record Match(Kind kind, long generation, boolean previous) {
    public static final Match NONE = new Match(Kind.NONE, 0, false);
  }

  /** What a rotation did. */
  public record Rotation(Kind kind, String token, Path file, Instant previousValidUntil, long generation) {}

  /** One kind's secrets: the current one and, during a grace period, the previous one. */
  private record Slot(String current, byte[] currentDigest, long generation, String previous,
      byte[] previousDigest, Instant previousUntil, boolean fixed) {
    boolean previousValid(Instant now) {
      return previous != null && now.isBefore(previousUntil);
    }
  }

  private final Path joinFile;
  private final Path adminFile;
  private final Duration grace;
  private final Clock clock;
  private volatile Slot join;
  private volatile Slot admin;
  /** Node id → generation of the join token it last authenticated with (for dispatching back to it). */
  private final Map<String, Long> nodeGeneration = new ConcurrentHashMap<>();

  private Tokens(Slot join, Slot admin, Path joinFile, Path adminFile, Duration grace, Clock clock) {
    this.join = join;
    this.admin = admin;
    this.joinFile = joinFile;
    this.adminFile = adminFile;
    this.grace = grace;
    this.clock = clock;
  }

  /** Loads or creates the tokens with a one-hour rotation grace. */
  public static Tokens load(Path dataDir, String joinGiven, String adminGiven) throws IOException {
    return load(dataDir, joinGiven, adminGiven, Duration.ofHours(1), Clock.systemUTC());
  }

  /** Loads or creates the tokens; an explicit value (flag or env) wins, is not written to disk, and is fixed. */
  public static Tokens load(Path dataDir, String joinGiven, String adminGiven, Duration grace, Clock clock)
      throws IOException {
    Files.createDirectories(dataDir);
    Path jf = dataDir.resolve("join.token");
    Path af = dataDir.resolve("admin.token");
    Slot j = slot(jf, joinGiven, "hj_", clock.instant());
    Slot a = slot(af, adminGiven, "ha_", clock.instant());
    if (j.current().equals(a.current())) {
      throw new IllegalArgumentException("the join token and the admin token must differ");
    }
    if (j.current().length() < 16 || a.current().length() < 16) {
      throw new IllegalArgumentException("tokens must be at least 16 characters");
    }
    return new Tokens(j, a, jf, af, grace, clock);
  }

  private static Slot slot(Path file, String given, String prefix, Instant now) throws IOException {
    if (given != null && !given.isBlank()) {
      String t = given.trim();
      return new Slot(t, TokenCheck.digest(t), 1, null, null, null, true);
    }
    String t = readOrCreate(file, prefix);
    Path prevFile = previousFile(file);
    String prev = null;
    Instant until = null;
    if (Files.isRegularFile(prevFile)) {
      List<String> lines = Files.readAllLines(prevFile, StandardCharsets.UTF_8);
      try {
        if (lines.size() >= 2 && !lines.get(0).isBlank()) {
          Instant u = Instant.ofEpochMilli(Long.parseLong(lines.get(1).trim()));
          if (now.isBefore(u) && !lines.get(0).trim().equals(t)) {
            prev = lines.get(0).trim();
            until = u;
          }
        }
      } catch (NumberFormatException e) {
        prev = null;
      }
      if (prev == null) {
        Files.deleteIfExists(prevFile);
      }
    }
    return new Slot(t, TokenCheck.digest(t), 1, prev, prev == null ? null : TokenCheck.digest(prev), until, false);
  }

  private static Path previousFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".previous");
  }

  private static String readOrCreate(Path file, String prefix) throws IOException {
    if (Files.isRegularFile(file)) {
      String t = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (!t.isEmpty()) {
        return t;
      }
    }
    String t = generate(prefix);
    PrivateFile.write(file, t + "\n");
    return t;
  }

  private static String generate(String prefix) {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /**
   * Which token the presented secret is. Every candidate is compared (no early exit), digests of equal
   * length, in constant time.
   */
  public Match match(String presented) {
    byte[] p = TokenCheck.presented(presented);
    if (p == null) {
      return Match.NONE;
    }
    Instant now = clock.instant();
    Slot a = admin;
    Slot j = join;
    boolean adminCur = TokenCheck.matches(p, a.currentDigest());
    boolean adminPrev = TokenCheck.matches(p, a.previousDigest()) & a.previousValid(now);
    boolean joinCur = TokenCheck.matches(p, j.currentDigest());
    boolean joinPrev = TokenCheck.matches(p, j.previousDigest()) & j.previousValid(now);
    if (adminCur) {
      return new Match(Kind.ADMIN, a.generation(), false);
    }
    if (adminPrev) {
      return new Match(Kind.ADMIN, a.generation() - 1, true);
    }
    if (joinCur) {
      return new Match(Kind.JOIN, j.generation(), false);
    }
    if (joinPrev) {
      return new Match(Kind.JOIN, j.generation() - 1, true);
    }
    return Match.NONE;
  }

  /** Which token the presented secret is; compared in constant time. */
  public Kind classify(String presented) {
    return match(presented).kind();
  }

  /**
   * Replaces a token with a fresh random one, written to its file (0600); the old one stays valid for the
   * grace period (a second rotation within it ends the first old token's grace at once). Refused for a
   * token set by flag or environment, which heady cannot change for the next start. Blocking (file I/O).
   */
  public synchronized Rotation rotate(Kind kind) throws IOException {
    if (kind != Kind.JOIN && kind != Kind.ADMIN) {
      throw new IllegalArgumentException("kind must be join or admin");
    }
    Slot s = kind == Kind.JOIN ? join : admin;
    Slot other = kind == Kind.JOIN ? admin : join;
    String name = kind.name().toLowerCase(Locale.ROOT);
    if (s.fixed()) {
      throw new IllegalStateException("the " + name + " token is set by --" + name + "-token or HEADY_"
          + name.toUpperCase(Locale.ROOT) + "_TOKEN; change it there and restart the manager");
    }
    Path file = kind == Kind.JOIN ? joinFile : adminFile;
    String fresh;
    do {
      fresh = generate(kind == Kind.JOIN ? "hj_" : "ha_");
    } while (fresh.equals(other.current()) || fresh.equals(s.current()));
    Instant until = clock.instant().plus(grace);
    // why: write the old token (with its end) before the new one, so a crash in between keeps both valid
    if (grace.isZero()) {
      Files.deleteIfExists(previousFile(file));
    } else {
      PrivateFile.write(previousFile(file), s.current() + "\n" + until.toEpochMilli() + "\n");
    }
    PrivateFile.write(file, fresh + "\n");
    Slot next = new Slot(fresh, TokenCheck.digest(fresh), s.generation() + 1, grace.isZero() ? null : s.current(),
        grace.isZero() ? null : s.currentDigest(), grace.isZero() ? null : until, false);
    if (kind == Kind.JOIN) {
      join = next;
    } else {
      admin = next;
    }
    return new Rotation(kind, fresh, file, grace.isZero() ? null : until, next.generation());
  }

  /** Remembers which join token generation a node authenticated with. */
  public void seen(String nodeId, Match m) {
    if (m.kind() == Kind.JOIN && nodeId != null) {
      nodeGeneration.put(nodeId, m.generation());
    }
  }

  /**
   * The join token to present to a node's API: the previous one while the node still uses it and it is in
   * its grace period (the agent was not restarted with the new token yet), else the current one.
   */
  public String joinFor(String nodeId) {
    Slot j = join;
    Long g = nodeId == null ? null : nodeGeneration.get(nodeId);
    if (g != null && g == j.generation() - 1 && j.previousValid(clock.instant())) {
      return j.previous();
    }
    return j.current();
  }

  /** Join tokens valid now (current first, then the previous one in its grace): keys to verify with. */
  public List<String> validJoinTokens() {
    Slot j = join;
    List<String> out = new ArrayList<>(2);
    out.add(j.current());
    if (j.previousValid(clock.instant())) {
      out.add(j.previous());
    }
    return out;
  }

  public Duration grace() {
    return grace;
  }

  public String join() {
    return join.current();
  }

  public String admin() {
    return admin.current();
  }

  public Path joinFile() {
    return joinFile;
  }

  public Path adminFile() {
    return adminFile;
  }
}
