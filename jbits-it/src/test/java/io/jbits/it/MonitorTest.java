package io.jbits.it;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jbits monitor} against the service: its table follows the event stream. */
class MonitorTest extends EndToEnd {

    @Test
    void theTableShowsAJobMovingFromOneRefreshToTheNext() throws Exception {
        TestData.randomFile(data.resolve("m.bin"), 12 * MIB, 31);
        startNginx("1m");
        String job = cli.createJob("watched", "normal");
        add(job, nginx.url("/slow/m.bin"), "m.bin");
        cli.ok("resume", job);
        cli.awaitInfo(job, "transferring", STATE_TIMEOUT, info -> bytesTransferred(info) > 0);
        String out = cli.ok("monitor", "--count", "3");
        String[] tables = out.split("(?m)^(?=ID )");
        assertTrue(tables.length == 3, out);
        String first = tables[0];
        String last = tables[tables.length - 1];
        assertTrue(first.contains("watched") && last.contains("watched"), out);
        assertTrue(last.contains("TRANSFERRING") || last.contains("TRANSFERRED"), out);
        assertTrue(!first.equals(last), "the job moved between the first and the last table:\n" + out);
        cli.ok("cancel", job);
    }
}
