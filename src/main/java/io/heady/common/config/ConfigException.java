package io.heady.common.config;

/** A configuration value is missing or invalid; the message is one line that names the key. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
