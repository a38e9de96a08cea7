/** The client side: the Java SDK and the {@code heady} CLI. Imports nothing of manager or agent. */
package io.heady.client;
