/**
 * Layered configuration: built-in defaults, then {@code conf/<role>.json}, then {@code HEADY_*}
 * environment variables, then command-line flags. Every key is declared once in {@link Keys}, which is
 * also what {@code --help} prints, so a key cannot exist without a flag, an environment name and a default.
 */
package io.heady.common.config;
