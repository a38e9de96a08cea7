/**
 * What every heady HTTP server does before it spends anything on a request: who calls is decided from the
 * request head alone, then the body is read with that caller's limit; connections that send no request head
 * in time, idle keep-alive connections and bodies that never finish are closed; one client address holds a
 * bounded number of connections. {@link io.heady.common.http.RequestGate} is the one entry point, used by the
 * manager's API and the agent's node API alike.
 */
package io.heady.common.http;
