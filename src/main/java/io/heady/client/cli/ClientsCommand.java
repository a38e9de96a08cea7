package io.heady.client.cli;

import io.heady.client.ClientIdentity;
import io.heady.common.identity.Pki;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code heady clients enroll NAME --dir DIR}: an admin makes the identity a Vert.x application needs to join
 * the cluster's event bus (the SDK's {@code EventBusHeadyClient}).
 */
@Command(name = "clients", description = {"Identities for Vert.x applications that join the cluster's event bus.",
    "'clients enroll NAME --dir DIR' makes a key in DIR (it never leaves it), has the manager certify it as the "
        + "client NAME, and keeps the certificate, the managers' CA and the managers' certificate beside it. "
        + "Load it in the application with ClientIdentity.load(DIR). Needs an admin token."})
final class ClientsCommand extends SubCommand {
  @Parameters(index = "0", paramLabel = "ACTION", description = "enroll")
  String action;

  @Parameters(index = "1", paramLabel = "NAME", description = "the client's name (letters, digits, . _ -)")
  String name;

  @Option(names = "--dir", paramLabel = "DIR", required = true, description = "where the identity is kept")
  Path dir;

  @Override
  public Integer call() throws IOException {
    if (!"enroll".equals(action)) {
      throw usage("unknown action '" + action + "': the one action is enroll (heady clients enroll NAME --dir DIR)");
    }
    ClientIdentity id = ClientIdentity.enroll(client(), name, dir);
    String fp = Pki.fingerprint(id.credential().certificate().getPublicKey());
    if (json()) {
      top.printJson(new JsonObject().put("name", id.name()).put("dir", dir.toAbsolutePath().toString())
          .put("fingerprint", fp).put("not_after", id.credential().certificate().getNotAfter().toInstant()
              .toString()));
    } else {
      top.print("client " + id.name() + " is enrolled (key fingerprint " + fp + "); its identity is in "
          + dir.toAbsolutePath() + "\n");
    }
    return ExitCodes.OK;
  }
}
