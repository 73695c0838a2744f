package io.jbits.core.internal;

import static io.jbits.api.JobState.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.jbits.api.BitsCodes;
import io.jbits.api.JobState;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransitionsTest {

    /** The legal moves of docs/bits.md, for a job with files of which some are not yet transferred. */
    private static Map<JobEvent, Map<JobState, JobState>> legal() {
        Map<JobEvent, Map<JobState, JobState>> t = new EnumMap<>(JobEvent.class);
        for (JobEvent e : JobEvent.values()) {
            t.put(e, new EnumMap<>(JobState.class));
        }
        for (JobState s : new JobState[] {SUSPENDED, ERROR, TRANSIENT_ERROR, TRANSFERRED}) {
            t.get(JobEvent.RESUME).put(s, QUEUED);
        }
        for (JobState s : new JobState[] {QUEUED, CONNECTING, TRANSFERRING}) {
            t.get(JobEvent.RESUME).put(s, s);
        }
        for (JobState s : JobState.values()) {
            if (!s.isFinal()) {
                t.get(JobEvent.SUSPEND).put(s, SUSPENDED);
                t.get(JobEvent.CANCEL).put(s, CANCELLED);
                t.get(JobEvent.COMPLETE).put(s, ACKNOWLEDGED);
            }
        }
        t.get(JobEvent.SCHEDULED).put(QUEUED, CONNECTING);
        t.get(JobEvent.CONNECTED).put(CONNECTING, TRANSFERRING);
        t.get(JobEvent.CONNECTED).put(TRANSFERRING, TRANSFERRING);
        for (JobState s : new JobState[] {QUEUED, CONNECTING, TRANSFERRING}) {
            t.get(JobEvent.PREEMPTED).put(s, QUEUED);
        }
        t.get(JobEvent.TRANSIENT_FAILURE).put(CONNECTING, TRANSIENT_ERROR);
        t.get(JobEvent.TRANSIENT_FAILURE).put(TRANSFERRING, TRANSIENT_ERROR);
        t.get(JobEvent.FATAL_FAILURE).put(CONNECTING, ERROR);
        t.get(JobEvent.FATAL_FAILURE).put(TRANSFERRING, ERROR);
        t.get(JobEvent.FATAL_FAILURE).put(TRANSIENT_ERROR, ERROR);
        t.get(JobEvent.RETRY_DUE).put(TRANSIENT_ERROR, QUEUED);
        t.get(JobEvent.ALL_TRANSFERRED).put(CONNECTING, TRANSFERRED);
        t.get(JobEvent.ALL_TRANSFERRED).put(TRANSFERRING, TRANSFERRED);
        return t;
    }

    @Test
    void everyStateAndEventFollowsTheBitsTable() {
        Map<JobEvent, Map<JobState, JobState>> legal = legal();
        int checked = 0;
        for (JobEvent e : JobEvent.values()) {
            for (JobState s : JobState.values()) {
                Transitions.Result r = Transitions.apply(s, e, true, false);
                JobState expected = legal.get(e).get(s);
                if (expected != null) {
                    assertEquals(new Transitions.Moved(expected), r, s + " + " + e);
                } else {
                    Transitions.Rejected rej = assertInstanceOf(Transitions.Rejected.class, r, s + " + " + e);
                    assertEquals(BitsCodes.BG_E_INVALID_STATE, rej.code(), s + " + " + e);
                }
                checked++;
            }
        }
        assertEquals(JobEvent.values().length * JobState.values().length, checked);
    }

    @Test
    void finalStatesRefuseEveryEvent() {
        for (JobEvent e : JobEvent.values()) {
            for (JobState s : new JobState[] {ACKNOWLEDGED, CANCELLED}) {
                Transitions.Rejected r = assertInstanceOf(Transitions.Rejected.class,
                        Transitions.apply(s, e, true, true));
                assertEquals(BitsCodes.BG_E_INVALID_STATE, r.code());
            }
        }
    }

    @Test
    void resumeWithoutFilesIsRefusedAsEmpty() {
        Transitions.Rejected r = assertInstanceOf(Transitions.Rejected.class,
                Transitions.apply(SUSPENDED, JobEvent.RESUME, false, false));
        assertEquals(BitsCodes.BG_E_EMPTY, r.code());
    }

    @Test
    void resumeOfAFullyTransferredJobStaysTransferred() {
        assertEquals(new Transitions.Moved(TRANSFERRED), Transitions.apply(TRANSFERRED, JobEvent.RESUME, true, true));
        assertEquals(new Transitions.Moved(TRANSFERRED), Transitions.apply(SUSPENDED, JobEvent.RESUME, true, true));
    }
}
