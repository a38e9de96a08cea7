/**
 * The wire contract: event-bus addresses and the JSON records exchanged over HTTP and the event bus. Field
 * names are snake_case and identical on both transports.
 */
package io.heady.common.protocol;
