package io.heady.client.cli;

import io.heady.client.ClientConfig;
import io.heady.client.HeadyClient;
import io.heady.common.Version;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code heady}: the top command. Its connection and output options are accepted by every subcommand. */
@Command(name = "heady", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
    versionProvider = HeadyCommand.VersionProvider.class,
    usageHelpAutoWidth = true, sortOptions = false,
    description = {"Run shell tasks on the best machine of your heady cluster, and see what it does.",
        "'heady help COMMAND' explains a command."},
    subcommands = {RunCommand.class, SubmitCommand.class, StatusCommand.class, NodesCommand.class,
        io.heady.client.bench.BenchCommand.class, io.heady.client.chaos.ChaosCommand.class,
        WorkersCommand.class, TasksCommand.class, TaskCommand.class, LogsCommand.class, CancelCommand.class,
        DrainCommand.class, ExplainCommand.class, TokenCommand.class, SecretCommand.class, ClientsCommand.class,
        CommandLine.HelpCommand.class},
    footerHeading = "%n",
    footer = {"The manager URL and token come from --url/--token, else HEADY_URL/HEADY_TOKEN, else "
        + "~/.config/heady/cli.json or /etc/heady/cli.json ({\"url\": …, \"token\": …}), else "
        + "http://127.0.0.1:7070 and ~/.heady/admin.token. 'heady token' shows which are used. An https "
        + "manager with a self-signed certificate is trusted by --manager-fingerprint (or "
        + "HEADY_MANAGER_FINGERPRINT, or \"manager_fingerprint\" in the file).",
        "Exit codes: 0 ok, 1 API or connection error, 2 usage error; 'run --wait' exits with the task's code.",
        "Servers: heady --role=manager | --role=agent (their settings: heady --role=manager --help)."})
final class HeadyCommand implements Callable<Integer> {
  @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "manager URL (default: HEADY_URL, the config file, http://127.0.0.1:7070)")
  String url;

  @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
      description = "the admin token or a named token (default: HEADY_TOKEN, the config file, "
          + "~/.heady/admin.token)")
  String token;

  @Option(names = "--manager-fingerprint", scope = ScopeType.INHERIT, paramLabel = "SHA256",
      description = "trust only the manager certificate with this SHA-256 fingerprint, as a --tls-self-signed "
          + "manager prints it (default: HEADY_MANAGER_FINGERPRINT, the config file's manager_fingerprint; "
          + "none: the JVM's certificate authorities)")
  String managerFingerprint;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "print the API's JSON instead of a table")
  boolean json;

  @Spec
  CommandLine.Model.CommandSpec spec;

  final CliContext ctx;
  private ClientConfig config;
  private HeadyClient client;

  HeadyCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(ctx.err());
    return ExitCodes.USAGE;
  }

  /** The resolved URL and token (flags, env, files, defaults), once. */
  ClientConfig config() {
    if (config == null) {
      config = ClientConfig.resolve(url, token, managerFingerprint, ctx.env(), ctx.home(), ctx.machineConfig());
    }
    return config;
  }

  HeadyClient client() {
    if (client == null) {
      ClientConfig c = config();
      client = HeadyClient.builder().url(c.url()).token(c.token()).managerFingerprint(c.fingerprint()).build();
    }
    return client;
  }

  /** Prints an API answer as JSON (for {@code --json}). */
  void printJson(JsonObject j) {
    ctx.out().println(j.encodePrettily());
    ctx.out().flush();
  }

  void print(String text) {
    ctx.out().print(text);
    ctx.out().flush();
  }

  /** A one-line note on stderr ({@code heady: …}). */
  void note(String line) {
    ctx.err().println("heady: " + line);
    ctx.err().flush();
  }

  /** Prints the heady version. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"heady " + Version.VERSION};
    }
  }
}
