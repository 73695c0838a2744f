package io.jbits.server.config;

import io.jbits.server.upload.UploadConfig;
import io.jbits.server.upload.UserPath;
import java.util.Set;

/**
 * One upload directory of the configuration file, as an IIS virtual directory with the BITS extension.
 *
 * @param urlPrefix the URL path it answers below, without a trailing slash ({@code /crash-reports})
 * @param upload what it accepts and where it puts it
 * @param users the users who may upload to it, or null for every user the server lets in
 * @param userPath where below the upload directory each user's uploads go ({@code {user}} in its path)
 * @param allowGet whether plain GET and HEAD may read its files
 */
record Directory(String urlPrefix, UploadConfig upload, Set<String> users, UserPath userPath, boolean allowGet) {

    /** What makes two directories the same one across a reload (its sessions live there). */
    String identity() {
        return urlPrefix + "\u0000" + upload.uploadDir() + "\u0000" + upload.sessionDir();
    }
}
