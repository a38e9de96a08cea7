package io.heady.client.cli;

import io.heady.client.ApiPaths;
import io.heady.client.ClientConfig;
import io.heady.client.HeadyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code heady token [show|rotate|create|list|revoke]}: which token the CLI uses and what it may do; on the
 * manager's machine, the admin and join tokens themselves; rotation; and people's named tokens with a role.
 */
@Command(name = "token", description = {"Show which URL and token the CLI uses, what that token may do (its role), "
    + "and where the tokens are.",
    "'token show' prints the admin token (--join: the join token agents need) from the manager's data dir: "
        + "run it on the manager's machine.",
    "'token rotate' replaces the admin token (--join: the join token) with a new one and prints it. An old admin "
        + "token keeps working for the manager's --token-grace-sec (default 1 h): update clients within it. An old "
        + "join token enrolls nothing from that moment; enrolled agents do not use it (nothing to restart): only "
        + "new installs need the new one.",
    "'token create NAME --access viewer|operator|admin' makes a named token and prints its secret once: a viewer "
        + "reads (a dashboard on a wall), an operator also submits, cancels and drains, an admin does everything.",
    "'token list' lists the named tokens (name, role, created, last used; never the secrets); "
        + "'token revoke NAME' refuses one from now on. These three need an admin token."})
final class TokenCommand extends SubCommand {
  @Parameters(arity = "0..2", paramLabel = "ACTION [NAME]",
      description = "show | rotate | create NAME | list | revoke NAME")
  List<String> words = new ArrayList<>();

  @Option(names = "--join", description = "the join token (for agents) instead of the admin token")
  boolean join;

  @Option(names = "--access", paramLabel = "ROLE", description = "the role of a new named token: viewer, operator "
      + "or admin")
  String access;

  // why: "--role" is how a server process is started (--role=manager); for a token it is a mistake to name
  @Option(names = "--role", hidden = true)
  String role;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "the manager's data dir (default: HEADY_DATA_DIR, "
      + "~/.heady, /var/lib/heady)")
  Path dataDir;

  @Override
  public Integer call() {
    String action = words.isEmpty() ? null : words.get(0);
    String name = words.size() > 1 ? words.get(1) : null;
    if (role != null) {
      throw usage("--role names a server's process role (heady --role=manager|agent); a token's role is --access, "
          + "e.g. heady token create " + (name == null ? "NAME" : name) + " --access " + role);
    }
    if (action != null && !List.of("show", "rotate", "create", "list", "revoke").contains(action)) {
      throw usage("unknown token action '" + action + "' (use: heady token [show | rotate | create NAME --access ROLE"
          + " | list | revoke NAME])");
    }
    boolean named = "create".equals(action) || "revoke".equals(action);
    if (named && name == null) {
      throw usage("'heady token " + action + "' needs the token's NAME");
    }
    if (!named && name != null) {
      throw usage("'heady token " + (action == null ? "" : action) + "' takes no NAME ('" + name + "')");
    }
    if (access != null && !"create".equals(action)) {
      throw usage("--access is only for 'heady token create NAME --access viewer|operator|admin'");
    }
    if (action == null) {
      return info();
    }
    return switch (action) {
      case "rotate" -> rotate();
      case "create" -> create(name);
      case "list" -> list();
      case "revoke" -> revoke(name);
      default -> show(dirs(), join ? "join.token" : "admin.token");
    };
  }

  private List<Path> dirs() {
    return dataDir != null ? List.of(dataDir) : ClientConfig.dataDirs(ctx().env(), ctx().home());
  }

  /** {@code heady token}: where URL and token come from, the token's role (asked of the manager), the files. */
  private int info() {
    List<Path> dirs = dirs();
    ClientConfig c = top.config();
    Path user = ClientConfig.userFile(ctx().env(), ctx().home());
    JsonObject whoami = null;
    String whoamiError = null;
    if (c.token() != null) {
      try {
        whoami = client().get(ApiPaths.WHOAMI);
      } catch (HeadyException e) {
        whoamiError = e.getMessage();
      }
    }
    if (json()) {
      JsonArray dd = new JsonArray();
      for (Path d : dirs) {
        dd.add(new JsonObject().put("path", d.toString())
            .put("admin_token", exists(d.resolve("admin.token")))
            .put("join_token", exists(d.resolve("join.token"))));
      }
      top.printJson(new JsonObject().put("url", c.url()).put("url_source", c.urlSource())
          .put("token_found", c.token() != null).put("token_source", c.tokenSource())
          .put("manager_fingerprint", c.fingerprint()).put("manager_fingerprint_source", c.fingerprintSource())
          .put("whoami", whoami).put("whoami_error", whoamiError)
          .put("config_files", new JsonArray()
              .add(new JsonObject().put("path", user.toString()).put("exists", Files.isRegularFile(user)))
              .add(new JsonObject().put("path", ctx().machineConfig().toString())
                  .put("exists", Files.isRegularFile(ctx().machineConfig()))))
          .put("data_dirs", dd));
      return ExitCodes.OK;
    }
    StringBuilder sb = new StringBuilder();
    Render.field(sb, "url", c.url() + "  (" + c.urlSource() + ")");
    Render.field(sb, "token", c.token() == null ? "none found" : mask(c.token()) + "  (" + c.tokenSource() + ")");
    if (c.fingerprint() != null) {
      Render.field(sb, "pinned", c.fingerprint() + "  (" + c.fingerprintSource() + ")");
    }
    if (c.token() != null) {
      Render.field(sb, "role", whoami != null ? describe(whoami) : "unknown: " + whoamiError);
    }
    Render.field(sb, "config", user + (Files.isRegularFile(user) ? "" : " (missing)") + ", "
        + ctx().machineConfig() + (Files.isRegularFile(ctx().machineConfig()) ? "" : " (missing)"));
    for (Path d : dirs) {
      List<String> found = new ArrayList<>();
      for (String f : List.of("admin.token", "join.token")) {
        if (Files.exists(d.resolve(f))) {
          found.add(f + (Files.isReadable(d.resolve(f)) ? "" : " (not readable by you)"));
        }
      }
      Render.field(sb, "data dir", d + ": " + (found.isEmpty() ? "no tokens" : String.join(", ", found)));
    }
    sb.append("'heady token show' prints the admin token on the manager's machine; "
        + "'heady token show --join' the agents' join token.\n");
    top.print(sb.toString());
    return ExitCodes.OK;
  }

  /** A whoami answer in words: {@code operator (named token 'ci')}. */
  static String describe(JsonObject w) {
    String kind = w.getString("kind", "");
    String role = w.getString("role");
    String what = switch (kind) {
      case "admin" -> "the admin token";
      case "named" -> "named token '" + w.getString("name") + "'";
      case "join" -> "the join token: agents only, it cannot use the people's API";
      default -> kind;
    };
    return role + " (" + what + (w.getBoolean("previous", false) ? "; the old token of a rotation, valid for its "
        + "grace period only" : "") + ")";
  }

  /** {@code POST /api/cluster/tokens}: the secret is printed once; the manager keeps its digest only. */
  private int create(String name) {
    if (access == null) {
      throw usage("give the new token's role: heady token create " + name + " --access viewer|operator|admin");
    }
    String r = access.trim().toLowerCase(java.util.Locale.ROOT);
    if (!List.of("viewer", "operator", "admin").contains(r)) {
      throw usage("--access must be viewer, operator or admin, not '" + access + "'");
    }
    JsonObject t = client().post(ApiPaths.TOKENS, new JsonObject().put("name", name).put("role", r));
    if (json()) {
      top.printJson(t);
      return ExitCodes.OK;
    }
    top.print(t.getString("token") + "\n"
        + "token '" + name + "' (" + r + ") created; this is the only time its secret is shown: keep it now "
        + "(HEADY_TOKEN, --token, the dashboard's sign-in). 'heady token revoke " + name + "' refuses it.\n");
    return ExitCodes.OK;
  }

  /** {@code GET /api/cluster/tokens}: names, roles, when made and last used; never secrets. */
  private int list() {
    JsonObject all = client().get(ApiPaths.TOKENS);
    if (json()) {
      top.printJson(all);
      return ExitCodes.OK;
    }
    Instant now = ctx().clock().instant();
    Table t = new Table("NAME", "ROLE", "CREATED", "LAST USED");
    for (Object o : all.getJsonArray("tokens", new JsonArray())) {
      JsonObject j = (JsonObject) o;
      t.row(j.getString("name"), j.getString("role"), Render.ago(j.getString("created_at"), now),
          j.getString("last_used_at") == null ? "never" : Render.ago(j.getString("last_used_at"), now));
    }
    top.print(t.size() == 0 ? "no named tokens ('heady token create NAME --access viewer' makes one)\n"
        : t.render());
    return ExitCodes.OK;
  }

  /** {@code DELETE /api/cluster/tokens/NAME}: refused from now on. */
  private int revoke(String name) {
    JsonObject r = client().delete(ApiPaths.token(name));
    if (json()) {
      top.printJson(r);
    } else {
      top.print("token '" + name + "' is revoked: the manager refuses it from now on\n");
    }
    return ExitCodes.OK;
  }

  /** {@code POST /api/cluster/tokens/rotate}: the new token is printed once; the manager's file holds it too. */
  private int rotate() {
    JsonObject r = client().post("/api/cluster/tokens/rotate", new JsonObject().put("kind", join ? "join" : "admin"));
    if (json()) {
      top.printJson(r);
      return ExitCodes.OK;
    }
    String until = r.getString("previous_valid_until");
    StringBuilder sb = new StringBuilder();
    sb.append(r.getString("token")).append('\n');
    sb.append("the ").append(join ? "join" : "admin").append(" token was rotated; the manager wrote it to ")
        .append(r.getString("file")).append('\n');
    if (join) {
      sb.append("the old join token enrolls nothing from now on; enrolled agents do not use it (nothing to restart):"
          + " give the new one only to new installs (install-agent.sh --token-file)\n");
    } else {
      sb.append(until == null ? "the old token is refused from now on\n"
          : "the old token works until " + until + "\n");
      sb.append("give the CLI (HEADY_TOKEN, ~/.config/heady/cli.json), the dashboard and scripts the new token before "
          + "then\n");
    }
    top.print(sb.toString());
    return ExitCodes.OK;
  }

  private int show(List<Path> dirs, String file) {
    List<String> unreadable = new ArrayList<>();
    for (Path d : dirs) {
      Path f = d.resolve(file);
      String t = ClientConfig.readToken(f);
      if (t != null) {
        if (json()) {
          top.printJson(new JsonObject().put(join ? "join_token" : "admin_token", t).put("file", f.toString()));
        } else {
          top.print(t + "\n");
        }
        return ExitCodes.OK;
      }
      if (Files.exists(f)) {
        unreadable.add(f.toString());
      }
    }
    if (!unreadable.isEmpty()) {
      throw new HeadyException(0, "UNREADABLE", "cannot read " + String.join(", ", unreadable)
          + " (run as the user that runs the manager, or with sudo)");
    }
    List<String> where = dirs.stream().map(Path::toString).toList();
    throw new HeadyException(0, "NOT_FOUND", "no " + file + " in " + String.join(", ", where)
        + ": run this on the manager's machine, or pass --data-dir DIR");
  }

  private static String exists(Path p) {
    return Files.exists(p) ? p.toString() : null;
  }

  /** Enough of a token to tell which one it is, not enough to use it. */
  static String mask(String token) {
    return token.length() <= 8 ? "****" : token.substring(0, 6) + "…" + " (" + token.length() + " characters)";
  }
}
