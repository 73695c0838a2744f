package io.jbits.api;

/**
 * One file of a job, as seen now.
 *
 * @param index position in the job, from 0
 * @param remoteUrl where the bytes come from (download) or go to (upload)
 * @param localPath the final local name (absolute)
 * @param bytesTotal size of the file, or -1 while unknown
 * @param bytesTransferred bytes moved so far
 * @param completed true when every byte has arrived
 */
public record FileInfo(int index, String remoteUrl, String localPath, long bytesTotal, long bytesTransferred,
                       boolean completed) {
    /** Size BITS reports while the size is not known ({@code BG_SIZE_UNKNOWN}). */
    public static final long SIZE_UNKNOWN = -1;
}
