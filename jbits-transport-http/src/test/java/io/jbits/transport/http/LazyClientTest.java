package io.jbits.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.Test;

/** The HTTP client an idle service does not hold: made by the first request, once, and closed with the transport. */
class LazyClientTest {
    private final AtomicInteger made = new AtomicInteger();
    private final LazyClient lazy = new LazyClient(() -> {
        made.incrementAndGet();
        return HttpClientFactory.build(HttpTransportConfig.defaults(), null, null);
    });

    @Test
    void nothingIsMadeBeforeTheFirstRequestAndOneClientServesAllAfterIt() throws Exception {
        assertEquals(0, made.get());
        CloseableHttpClient first = lazy.get();
        assertSame(first, lazy.get());
        assertEquals(1, made.get());
        lazy.close();
    }

    @Test
    void requestsArrivingTogetherShareTheOneClientMade() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<CloseableHttpClient>> asked = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            asked.add(pool.submit(() -> {
                go.await();
                return lazy.get();
            }));
        }
        go.countDown();
        CloseableHttpClient first = asked.getFirst().get(10, TimeUnit.SECONDS);
        for (Future<CloseableHttpClient> f : asked) {
            assertSame(first, f.get(10, TimeUnit.SECONDS));
        }
        pool.shutdownNow();
        assertEquals(1, made.get());
        lazy.close();
    }

    @Test
    void aClientNeverUsedIsNeverMadeAndAClosedOneServesNoMore() throws Exception {
        lazy.close();
        IOException refused = assertThrows(IOException.class, lazy::get);
        assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
        assertEquals(0, made.get());
    }

    @Test
    void closingAfterUseClosesTheClientMade() throws Exception {
        lazy.get();
        lazy.close();
        assertThrows(IOException.class, lazy::get);
        assertEquals(1, made.get());
    }
}
