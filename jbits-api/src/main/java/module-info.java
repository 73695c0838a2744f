/** The types of jbits: jobs, files, states, priorities, errors and the {@link io.jbits.api.TransferManager}. */
module io.jbits.api {
    exports io.jbits.api;
}
