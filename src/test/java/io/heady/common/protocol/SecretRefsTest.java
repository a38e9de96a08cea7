package io.heady.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a task names secrets, what a secret's name and value may be, and that a stored task keeps names only. */
class SecretRefsTest {
  @Test
  void bothFormsGiveVariableToSecretAndPlainEnvStaysAsGiven() {
    TaskSpec t = TaskSpec.fromJson(new JsonObject().put("command", "env")
        .put("secrets", new JsonArray().add("API_KEY").add("_db2"))
        .put("env", new JsonObject().put("MODE", "prod").put("TOKEN", new JsonObject().put("secret", "API_KEY"))));
    Map<String, String> want = new LinkedHashMap<>();
    want.put("API_KEY", "API_KEY");
    want.put("_db2", "_db2");
    want.put("TOKEN", "API_KEY");
    assertEquals(want, t.secrets());
    assertEquals(Map.of("MODE", "prod"), t.env());

    JsonObject stored = t.toJson();
    assertEquals(new JsonObject().put("MODE", "prod"), stored.getJsonObject("env"), "env keeps plain values only");
    assertEquals(new JsonObject().put("API_KEY", "API_KEY").put("_db2", "_db2").put("TOKEN", "API_KEY"),
        stored.getJsonObject("secrets"));
    TaskSpec again = TaskSpec.fromJson(stored);
    assertEquals(t.secrets(), again.secrets(), "a stored task reads back the same");
    assertEquals(t.env(), again.env());
    assertEquals(null, TaskSpec.fromJson(new JsonObject().put("command", "true")).toJson().getValue("secrets"),
        "no secrets, no field");
  }

  @Test
  void badNamesAndFormsAreRefusedNamingTheField() {
    assertInvalid(new JsonObject().put("secrets", new JsonArray().add("1BAD")), "secrets", "not a valid secret name");
    assertInvalid(new JsonObject().put("secrets", new JsonArray().add("has-dash")), "secrets", "not a valid");
    assertInvalid(new JsonObject().put("secrets", new JsonArray().add(7)), "secrets", "must be a secret's name");
    assertInvalid(new JsonObject().put("secrets", "API_KEY"), "secrets", "list of secret names");
    assertInvalid(new JsonObject().put("secrets", new JsonArray().add("A").add("A")), "secrets", "given twice");
    assertInvalid(new JsonObject().put("env", new JsonObject().put("X", new JsonObject().put("secret", "bad name"))),
        "env", "not a valid secret name");
    assertInvalid(new JsonObject().put("env", new JsonObject().put("X", new JsonObject().put("value", "v"))), "env",
        "{\"secret\": NAME}");
    assertInvalid(new JsonObject().put("env", new JsonObject().put("X", 5)), "env", "must be a string");
    assertInvalid(new JsonObject().put("secrets", new JsonArray().add("X")).put("env", new JsonObject().put("X", "v")),
        "secrets", "both a value in env and the secret X");
    JsonArray many = new JsonArray();
    for (int i = 0; i <= SecretRefs.MAX_PER_TASK; i++) {
      many.add("S" + i);
    }
    assertInvalid(new JsonObject().put("secrets", many), "secrets", "at most 64");
    assertTrue(SecretRefs.validName("A".repeat(128)));
    assertFalse(SecretRefs.validName("A".repeat(129)));
    assertFalse(SecretRefs.validName(""));
    assertFalse(SecretRefs.validName(null));
  }

  @Test
  void aValueMustBeTextAnEnvironmentVariableCanHold() {
    SecretRefs.checkValue("x", "value");
    SecretRefs.checkValue("é".repeat(SecretRefs.MAX_VALUE_BYTES / 2), "value");
    InvalidInputException big = assertThrows(InvalidInputException.class,
        () -> SecretRefs.checkValue("x".repeat(SecretRefs.MAX_VALUE_BYTES + 1), "value"));
    assertTrue(big.getMessage().contains("at most 65536 bytes"), big.getMessage());
    assertFalse(big.getMessage().contains("xxxx"), "never quotes the value");
    assertEquals("value", assertThrows(InvalidInputException.class, () -> SecretRefs.checkValue("", "value")).field());
    InvalidInputException nul = assertThrows(InvalidInputException.class,
        () -> SecretRefs.checkValue("a\0b", "value"));
    assertTrue(nul.getMessage().contains("NUL"), nul.getMessage());
  }

  private static void assertInvalid(JsonObject task, String field, String says) {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> TaskSpec.fromJson(task.put("command", "true")));
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().contains(says), e.getMessage());
  }
}
