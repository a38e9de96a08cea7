package io.heady.client.cli;

import io.heady.client.ClientConfig;
import io.heady.client.HeadyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code heady token [show|rotate]}: where the tokens are; on the manager's machine, the tokens themselves;
 * and rotation through the API (the old token stays valid for the manager's grace period).
 */
@Command(name = "token", description = {"Show which URL and token the CLI uses, and where the tokens are.",
    "'token show' prints the admin token (--join: the join token agents need) from the manager's data dir: "
        + "run it on the manager's machine.",
    "'token rotate' replaces the admin token (--join: the join token) with a new one and prints it; the old one "
        + "keeps working for the manager's --token-grace-sec (default 1 h): restart agents or update clients "
        + "within it."})
final class TokenCommand extends SubCommand {
  @Parameters(arity = "0..1", paramLabel = "show|rotate", description = "print the token itself, or rotate it")
  String action;

  @Option(names = "--join", description = "the join token (for agents) instead of the admin token")
  boolean join;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "the manager's data dir (default: HEADY_DATA_DIR, "
      + "~/.heady, /var/lib/heady)")
  Path dataDir;

  @Override
  public Integer call() {
    if (action != null && !action.equals("show") && !action.equals("rotate")) {
      throw usage("unknown token action '" + action + "' (use: heady token, heady token show, heady token rotate)");
    }
    if ("rotate".equals(action)) {
      return rotate();
    }
    List<Path> dirs = dataDir != null ? List.of(dataDir) : ClientConfig.dataDirs(ctx().env(), ctx().home());
    String file = join ? "join.token" : "admin.token";
    if (action != null) {
      return show(dirs, file);
    }
    ClientConfig c = top.config();
    Path user = ClientConfig.userFile(ctx().env(), ctx().home());
    if (json()) {
      JsonArray dd = new JsonArray();
      for (Path d : dirs) {
        dd.add(new JsonObject().put("path", d.toString())
            .put("admin_token", exists(d.resolve("admin.token")))
            .put("join_token", exists(d.resolve("join.token"))));
      }
      top.printJson(new JsonObject().put("url", c.url()).put("url_source", c.urlSource())
          .put("token_found", c.token() != null).put("token_source", c.tokenSource())
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
    sb.append(until == null ? "the old token is refused from now on\n"
        : "the old token works until " + until + "\n");
    sb.append(join ? "restart every agent with the new token (HEADY_TOKEN) before then\n"
        : "give the CLI (HEADY_TOKEN, ~/.config/heady/cli.json), the dashboard and scripts the new token before "
            + "then\n");
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
