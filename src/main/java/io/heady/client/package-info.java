/**
 * The client side of heady: the Java SDK ({@link io.heady.client.HeadyClient} over HTTP,
 * {@link io.heady.client.EventBusHeadyClient} over the clustered event bus) and, in {@code cli}, the {@code heady}
 * command. Imports nothing of manager or agent (a test checks the sources).
 */
package io.heady.client;
