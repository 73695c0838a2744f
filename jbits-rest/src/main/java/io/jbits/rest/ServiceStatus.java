package io.jbits.rest;

/**
 * What {@code GET /v1/service} answers: the running service's version, process, owner and state directory.
 *
 * @param pid the daemon's process id
 * @param owner the user the daemon runs as, who owns its jobs
 * @param home the state directory
 * @param jobs how many jobs (not final) the service holds
 */
public record ServiceStatus(String version, long pid, String owner, String home, int jobs) {
}
