package io.heady.common.exec;

import io.heady.common.identity.SecretSeal;
import io.heady.common.protocol.Dispatch;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Opens the secrets the manager sealed into a dispatch for this node ({@link SecretSeal}), so the task gets them
 * as variables. A value that does not open fails the attempt with {@link Unopened}, which names the variable and
 * never the value.
 */
@FunctionalInterface
public interface SecretOpener {
  /** Variable → value for each sealed secret of the dispatch (empty without secrets). */
  Map<String, String> open(Dispatch d);

  /** A node that holds no key: any dispatch with secrets fails. */
  SecretOpener NONE = d -> {
    if (d.secrets().isEmpty()) {
      return Map.of();
    }
    throw new Unopened(d.secrets().keySet().iterator().next(), "this node holds no key to open secrets with");
  };

  /** Opens with the key the node shares with the manager, as it is when a dispatch arrives ({@code null}: none). */
  static SecretOpener withKey(Supplier<byte[]> key) {
    return d -> {
      if (d.secrets().isEmpty()) {
        return Map.of();
      }
      byte[] k = key.get();
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : d.secrets().entrySet()) {
        if (k == null) {
          throw new Unopened(e.getKey(), "this node holds no key to open secrets with");
        }
        try {
          out.put(e.getKey(), new String(SecretSeal.open(k, d.taskId(), d.leaseId(), e.getKey(), e.getValue()),
              StandardCharsets.UTF_8));
        } catch (IllegalArgumentException x) {
          throw new Unopened(e.getKey(), x.getMessage());
        }
      }
      return out;
    };
  }

  /** A secret did not open: which variable, and why (never its value). */
  final class Unopened extends RuntimeException {
    private final String variable;

    public Unopened(String variable, String why) {
      super("the secret for " + variable + " could not be opened: " + why, null, false, false);
      this.variable = variable;
    }

    public String variable() {
      return variable;
    }
  }
}
