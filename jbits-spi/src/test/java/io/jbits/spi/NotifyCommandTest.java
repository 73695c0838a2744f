package io.jbits.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.api.JbitsException;
import io.jbits.api.JobEvent;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NotifyCommandTest {

    @Test
    void wordsAreSplitAsAShellSplitsThemWithQuotesAndBackslashes() {
        assertEquals(List.of("/bin/echo", "a b", "c", "d\"e", "f g", "it's", ""),
                NotifyCommand.split("/bin/echo 'a b'  c \"d\\\"e\" f\\ g \"it's\" ''"));
    }

    @Test
    void optionsRoundTripAndDefaultToTransferredAndError() {
        NotifyCommand c = NotifyCommand.parse("/usr/bin/notify {job}", Set.of());
        assertEquals(Set.of(JobEvent.Kind.TRANSFERRED, JobEvent.Kind.ERROR), c.on());
        JobOptions o = c.writeTo(JobOptions.empty());
        assertEquals("transferred,error", o.get(NotifyCommand.ON));
        assertEquals(c, NotifyCommand.from(o));
        assertEquals(null, NotifyCommand.from(JobOptions.empty()));
    }

    @Test
    void relativeProgramsLongLinesUnbalancedQuotesAndFileEventsAreRefused() {
        for (String bad : List.of("notify.sh", "", "/bin/x 'open", "/x".repeat(2001))) {
            JbitsException e = assertThrows(JbitsException.class, () -> NotifyCommand.parse(bad, Set.of()), bad);
            assertEquals(BitsCodes.E_INVALIDARG, e.code());
        }
        JbitsException e = assertThrows(JbitsException.class,
                () -> NotifyCommand.parse("/bin/x", Set.of(JobEvent.Kind.FILE_TRANSFERRED)));
        assertTrue(e.getMessage().contains("transferred, error, modified"));
    }
}
