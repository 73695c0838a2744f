/**
 * Per-directory settings of {@code jbits serve --config}: a YAML file of upload directories, each like an IIS
 * virtual directory with the BITS extension, applied by {@link io.jbits.server.config.ConfiguredDirectories} and
 * reloaded without dropping sessions.
 */
package io.jbits.server.config;
