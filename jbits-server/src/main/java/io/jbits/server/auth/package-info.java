/**
 * Who may upload to {@code jbits serve}: {@link io.jbits.server.auth.BasicAuthHandler} checks HTTP Basic
 * credentials against the bcrypt entries of an htpasswd file ({@link io.jbits.server.auth.UserFile}), and slows
 * and then refuses client addresses that keep failing.
 */
package io.jbits.server.auth;
