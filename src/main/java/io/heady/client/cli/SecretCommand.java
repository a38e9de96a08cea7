package io.heady.client.cli;

import io.heady.client.ApiPaths;
import io.heady.common.protocol.SecretRefs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code heady secret set NAME | list | rm NAME}: the cluster's secrets. The value is read from standard input,
 * never from the command line (which every user of a machine can read in {@code ps}).
 */
@Command(name = "secret", description = {"The cluster's secrets: values a task gets as environment variables "
    + "without them ever being stored with the task, shown by the API or printed in its output (it shows ***).",
    "'secret set NAME' reads the value from standard input (one trailing newline is dropped; --keep-newline keeps "
        + "it): echo \"$TOKEN\" | heady secret set API_TOKEN, or heady secret set API_TOKEN < file. It replaces a "
        + "secret of that name. Needs an admin token.",
    "'secret list' lists names and when each was made and changed (never values); an operator token may.",
    "'secret rm NAME' removes one: tasks that name it are refused, attempts not yet started fail. Needs admin.",
    "A task names secrets with 'heady run --secret NAME' (the variable NAME) or '--secret VAR=NAME'."})
final class SecretCommand extends SubCommand {
  @Parameters(arity = "1..2", paramLabel = "ACTION [NAME]", description = "set NAME | list | rm NAME")
  List<String> words = new ArrayList<>();

  @Option(names = "--keep-newline", description = "with set: keep a trailing newline of the input in the value")
  boolean keepNewline;

  @Override
  public Integer call() {
    String action = words.get(0);
    String name = words.size() > 1 ? words.get(1) : null;
    if (!List.of("set", "list", "rm").contains(action)) {
      throw usage("unknown secret action '" + action + "' (use: heady secret set NAME | list | rm NAME)");
    }
    boolean named = !action.equals("list");
    if (named && name == null) {
      throw usage("'heady secret " + action + "' needs the secret's NAME");
    }
    if (!named && name != null) {
      throw usage("'heady secret list' takes no NAME ('" + name + "')");
    }
    if (named && !SecretRefs.validName(name)) {
      throw usage("'" + name + "' is not a valid secret name: " + SecretRefs.NAME_RULE);
    }
    if (keepNewline && !action.equals("set")) {
      throw usage("--keep-newline is only for 'heady secret set NAME'");
    }
    return switch (action) {
      case "set" -> set(name);
      case "rm" -> remove(name);
      default -> list();
    };
  }

  private int set(String name) {
    String value = readValue(ctx().in());
    JsonObject r = client().setSecret(name, value);
    if (json()) {
      top.printJson(r);
    } else {
      top.print("secret " + name + (r.getBoolean("created", false) ? " created" : " replaced") + "; tasks name it "
          + "with: heady run --secret " + name + " …\n");
    }
    return ExitCodes.OK;
  }

  /** The value from standard input: UTF-8 text, at most the size of a secret, one trailing newline dropped. */
  private String readValue(InputStream in) {
    byte[] raw;
    try {
      raw = in.readNBytes(SecretRefs.MAX_VALUE_BYTES + 2);
    } catch (IOException e) {
      throw usage("cannot read the value from standard input: " + e.getMessage());
    }
    int len = raw.length;
    if (!keepNewline && len > 0 && raw[len - 1] == '\n') {
      len--;
      if (len > 0 && raw[len - 1] == '\r') {
        len--;
      }
    }
    if (len == 0) {
      throw usage("no value on standard input; give it there: echo \"$VALUE\" | heady secret set NAME, or "
          + "heady secret set NAME < FILE");
    }
    if (len > SecretRefs.MAX_VALUE_BYTES) {
      throw usage("the value on standard input is longer than " + SecretRefs.MAX_VALUE_BYTES + " bytes");
    }
    try {
      String v = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(raw, 0, len)).toString();
      if (v.indexOf('\0') >= 0) {
        throw usage("the value holds a NUL byte, which an environment variable cannot hold");
      }
      return v;
    } catch (CharacterCodingException e) {
      throw usage("the value on standard input is not UTF-8 text (an environment variable holds text; encode "
          + "binary data, e.g. with base64)");
    }
  }

  private int list() {
    JsonObject all = client().secrets();
    if (json()) {
      top.printJson(all);
      return ExitCodes.OK;
    }
    Instant now = ctx().clock().instant();
    Table t = new Table("NAME", "CREATED", "UPDATED");
    for (Object o : all.getJsonArray("secrets", new JsonArray())) {
      JsonObject j = (JsonObject) o;
      t.row(j.getString("name"), Render.ago(j.getString("created_at"), now),
          Render.ago(j.getString("updated_at"), now));
    }
    top.print(t.size() == 0 ? "no secrets ('echo \"$VALUE\" | heady secret set NAME' makes one)\n" : t.render());
    return ExitCodes.OK;
  }

  private int remove(String name) {
    JsonObject r = client().delete(ApiPaths.secret(name));
    if (json()) {
      top.printJson(r);
    } else {
      top.print("secret " + name + " removed\n");
    }
    return ExitCodes.OK;
  }

}
