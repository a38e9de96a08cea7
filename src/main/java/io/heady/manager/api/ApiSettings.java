package io.heady.manager.api;

/** Where and how the API listens. */
public record ApiSettings(String host, int port, long maxBodyBytes, boolean openHealth, String advertiseUrl) {}
